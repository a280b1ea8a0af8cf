"""The local .xlsx adapter across the service's own saves: officer formulas keep their values, rich text keeps its
formatting, the file keeps its mode and a symlink stays a symlink (issue #11, findings 4 and 11)."""
from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from app.adapters.xlsx import XlsxWorkbook
from app.sheets.grid import TabStyle
from app.sheets.grid_diff import diff_tab

SERVICE = TabStyle("สรุป", columns=1)


def _excel_saved(path: Path) -> None:
    """Officer tabs with formulas and the values Excel computed for them (openpyxl cannot compute, so the cached
    values are put into the file the way Excel stores them)."""
    book = openpyxl.Workbook()
    staff = book.active
    staff.title = "กิจการ"
    staff.append(["ชื่อ", "พนักงาน", "ยอดขาย", "ระดับ", "รวม"])
    staff.append(["ก", "=1+1", 100, '=IF(C2>50,"ใหญ่","เล็ก")', "=SUM(C2:C3)"])
    staff.append(["ข", 3, 250, None, "=ข้อมูล!A1*2"])
    other = book.create_sheet("ข้อมูล")
    other["A1"] = 21
    book.save(path)
    cached = {"B2": ("n", "2"), "D2": ("str", "ใหญ่"), "E2": ("n", "350"), "E3": ("n", "42")}
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, data in members:
            for ref, (kind, value) in cached.items():
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(rf'<c r="{ref}">(<f>[^<]*</f>)<v />'.encode(),
                                  rf'<c r="{ref}" t="{kind}">\1<v>{value}</v>'.encode(), data)
            out.writestr(info, data)


def _service_write(path: Path, text: str) -> None:
    book = XlsxWorkbook(path)
    current = book.read(["สรุป"])["สรุป"] if "สรุป" in book.tab_titles() else None
    book.write(diff_tab("สรุป", [["หัวข้อ"], [text]], current), [SERVICE])


def test_officer_formulas_keep_their_values_across_the_services_saves(tmp_path):
    """Finding 4: `=1+1` read as 2, then as nothing once the service had saved the file."""
    path = tmp_path / "book.xlsx"
    _excel_saved(path)
    expected = [["ชื่อ", "พนักงาน", "ยอดขาย", "ระดับ", "รวม"], ["ก", 2, 100, "ใหญ่", 350], ["ข", 3, 250, None, 42]]
    assert XlsxWorkbook(path).read(["กิจการ"])["กิจการ"] == expected
    for run in ("first", "second"):
        _service_write(path, run)
        assert XlsxWorkbook(path).read(["กิจการ"])["กิจการ"] == expected, run
    formulas = openpyxl.load_workbook(path)["กิจการ"]
    assert [formulas[ref].value for ref in ("B2", "E2", "E3")] == ["=1+1", "=SUM(C2:C3)", "=ข้อมูล!A1*2"]


def test_file_mode_is_kept(tmp_path):
    path = tmp_path / "book.xlsx"
    _excel_saved(path)
    os.chmod(path, 0o664)
    _service_write(path, "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_a_symlink_stays_a_symlink_and_its_target_is_written(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "real.xlsx"
    _excel_saved(target)
    link = tmp_path / "book.xlsx"
    link.symlink_to(target)
    _service_write(link, "through the link")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert XlsxWorkbook(target).read(["สรุป"])["สรุป"] == [["หัวข้อ"], ["through the link"]]
    assert sorted(p.name for p in shared.iterdir()) == ["real.xlsx"]  # no temp file left beside it


def test_rich_text_in_officer_cells_is_not_flattened(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "กิจการ"
    book.active["A1"] = CellRichText(["ชื่อ ", TextBlock(InlineFont(b=True, color="FF0000"), "สำคัญ")])
    book.save(path)
    _service_write(path, "x")
    cell = openpyxl.load_workbook(path, rich_text=True)["กิจการ"]["A1"].value
    assert isinstance(cell, CellRichText) and str(cell) == "ชื่อ สำคัญ"
    assert cell[1].font.b and cell[1].font.color.rgb == "00FF0000"
