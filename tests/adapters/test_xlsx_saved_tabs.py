"""A local workbook's service tabs are taken from the run store while the file is byte for byte our last save;
any edit to the file — in an officer tab or in a service tab — makes the run read everything from the file."""
from __future__ import annotations

import openpyxl

from app.adapters.state.run_store import RunStore
from app.adapters.xlsx import XlsxWorkbook, create_xlsx
from app.sheets.grid import TabStyle
from app.sheets.grid_diff import diff_tab

SERVICE = TabStyle("สรุป", columns=2)
TARGET = [["หัวข้อ", "ค่า"], ["ผ่าน", 3], ["=1+1", 2.5]]


def saved_book(tmp_path):
    path, store = tmp_path / "book.xlsx", RunStore(tmp_path / "state.sqlite")
    create_xlsx(path, {"ข้อมูล": [["ชื่อ"], ["สมชาย"]]})
    XlsxWorkbook(path, store).write(diff_tab("สรุป", TARGET, None), [SERVICE])
    return path, store


def test_the_saved_tabs_read_as_the_file_and_are_used_while_it_is_unchanged(tmp_path):
    path, store = saved_book(tmp_path)
    digest, tabs = store.saved_tabs(str(path.resolve()))
    assert tabs == {"สรุป": TARGET} == XlsxWorkbook(path).read(["สรุป"])
    store.keep_saved_tabs(str(path.resolve()), digest, {"สรุป": [["marked"]]})  # proves where the read comes from
    assert XlsxWorkbook(path, store).read(["สรุป", "ข้อมูล"]) == {"สรุป": [["marked"]], "ข้อมูล": [["ชื่อ"], ["สมชาย"]]}


def test_any_edit_to_the_file_is_read_from_the_file(tmp_path):
    path, store = saved_book(tmp_path)
    book = openpyxl.load_workbook(path)
    book["สรุป"]["B2"] = 4  # an officer typed into the service tab
    book.save(path)
    assert XlsxWorkbook(path, store).read(["สรุป"])["สรุป"][1] == ["ผ่าน", 4]
