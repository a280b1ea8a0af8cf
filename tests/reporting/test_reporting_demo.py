"""`init-demo` then `sync reporting --workbook demo/reporting.xlsx`: exactly the documented bad rows, repeats once."""
from __future__ import annotations

from app.adapters.xlsx import XlsxWorkbook
from app.cli.main import main
from app.demo_data import BAD_ROWS, DUPLICATE_ROWS
from app.sheets.headers import normalize_header
from app.sync.problem_tab import PROBLEMS_TITLE

UNIT_TABS = {"กข.", "ศภ.1", "ศภ.2", "ศภ.3"}


def test_demo_reporting_workbook_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init-demo", "--dir", "demo"]) == 0
    assert main(["sync", "reporting", "--workbook", "demo/reporting.xlsx"]) == 0
    book = XlsxWorkbook(tmp_path / "demo" / "reporting.xlsx")
    tabs = book.read([PROBLEMS_TITLE, "รวบรวมรายชื่อ"])
    found = {(r[0], r[1], normalize_header(r[2])) for r in tabs[PROBLEMS_TITLE][1:]}
    assert found == {(t, row, normalize_header(h)) for t, row, h, _ in BAD_ROWS if t in UNIT_TABS}
    consolidated = tabs["รวบรวมรายชื่อ"]
    at = consolidated[0].index("ตรวจสอบการนับซ้ำ")
    marks = {(r[0], r[1]): r[at] for r in consolidated[1:] if len(r) > at and r[at]}
    assert {key: text.split(":")[0] for key, text in marks.items()} == {
        repeat: f"ซ้ำกับ {source[0]} แถว {source[1]}" for repeat, source in DUPLICATE_ROWS}
    capsys.readouterr()
    assert main(["sync", "reporting", "--workbook", "demo/reporting.xlsx"]) == 0
    assert "cells written 0" in capsys.readouterr().out
