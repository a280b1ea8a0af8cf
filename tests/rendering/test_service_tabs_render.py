"""Every service tab of the demo workbooks as an officer sees it: rendered by LibreOffice into
var/screenshots/tabs/*.png (look at them), and the properties the rendering depends on checked in the file:
column widths set, no date written as text, every problem line with an address and a fix.

Without LibreOffice (or poppler's pdftoppm) the rendering is skipped with the reason, except in CI (CI=true),
where it fails: .ci/run installs libreoffice-calc-nogui and poppler-utils."""
from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pytest

from app.cli.main import main
from app.sync.problem_tab import PROBLEMS_HEADER, PROBLEMS_TITLE
from tests.rendering.libreoffice import missing_tools, render_tab

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "tabs"
SERVICE_TAB_COLOUR = "808080"
BE_TEXT_DATE = re.compile(r"^\d{2}/\d{2}/25\d{2}( \d{2}:\d{2})?$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        assert main(["init-demo", "--dir", "demo"]) == 0
        assert main(["--config", "demo/config.toml", "sync"]) == 0
    finally:
        os.chdir(cwd)
    return folder / "demo"


def service_tabs(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [t for t in book.sheetnames
            if book[t].sheet_properties.tabColor is not None and book[t].sheet_properties.tabColor.rgb.endswith(
                SERVICE_TAB_COLOUR)]


@pytest.mark.parametrize("name", ["assessment", "reporting", "program"])
def test_every_service_tab_has_widths_and_no_date_as_text(demo, name):
    path = demo / f"{name}.xlsx"
    book = openpyxl.load_workbook(path)
    for title in service_tabs(path):
        sheet = book[title]
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(width and width > 5 for width in widths), (title, widths)
        copied = PROBLEMS_HEADER.index("ค่า") if title == PROBLEMS_TITLE else None  # the officer's own text
        texts = [c.value for row in sheet.iter_rows(min_row=2) for i, c in enumerate(row)
                 if isinstance(c.value, str) and i != copied]
        assert not [t for t in texts if BE_TEXT_DATE.match(t)], title
        assert sheet[1][0].alignment.wrap_text, title


def test_every_problem_line_has_an_address_a_severity_and_a_fix(demo):
    for name in ("assessment", "reporting", "program"):
        sheet = openpyxl.load_workbook(demo / f"{name}.xlsx")[PROBLEMS_TITLE]
        at = {header: i for i, header in enumerate(PROBLEMS_HEADER)}
        rows = list(sheet.iter_rows(min_row=2))
        assert rows
        for row in rows:
            where = row[at["ไปที่เซลล์"]]
            if row[at["แท็บ"]].value in openpyxl.load_workbook(demo / f"{name}.xlsx", read_only=True).sheetnames:
                assert where.hyperlink is not None and where.hyperlink.location.endswith(where.value.split("!")[1])
            assert row[at["ระดับ"]].value in ("ต้องแก้", "ตรวจสอบ", "หมายเหตุ")
            assert row[at["วิธีแก้"]].value
            assert row[at["พบครั้งแรก"]].is_date


def test_the_misspelt_province_gets_a_did_you_mean(demo):
    sheet = openpyxl.load_workbook(demo / "reporting.xlsx")[PROBLEMS_TITLE]
    fixes = {row[3]: row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert fixes["เชียงให่ม"] == "แก้เป็น “เชียงใหม่” ถ้าหมายถึงค่านี้"


@pytest.mark.parametrize("name", ["assessment", "reporting", "program"])
def test_render_every_service_tab(demo, name, tmp_path):
    missing = missing_tools()
    if missing:
        reason = f"{', '.join(missing)} not found: apt-get install libreoffice-calc-nogui poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(f"tab rendering cannot run in CI: {reason}")
        pytest.skip(f"tab rendering skipped: {reason}")
    path = demo / f"{name}.xlsx"
    for index, title in enumerate(service_tabs(path)):
        png = render_tab(path, title, SCREENSHOTS / f"{name}-{index + 1}-{title}.png", tmp_path)
        assert png.stat().st_size > 5_000, title  # a page with the tab on it, not a blank one
