"""A re-style on Google leaves nothing of the old look where a table moved (issue 13, item 1: "the targets table
borrows the unit table's number formats"; "status colours only on status cells"): number formats, wrapping and bold
of the previous layout are reset in the same :batchUpdate that applies the new one."""
from __future__ import annotations

from app.config import GoogleSettings, JobSettings, Settings
from app.sheets.grid import ColumnFormat, RangeWrite, StatusColour, TabStyle
from app.wiring import bootstrap
from tests.adapters.test_google_paths import sheets_requests

TAB = "สรุปผลผลิต"


def style(targets_from: int, total_row: int) -> TabStyle:
    """A unit table over rows 2…total_row, then a targets table from `targets_from` with its own formats."""
    return TabStyle(title=TAB, columns=4, number_formats={2: "#,##0"},
                    ranged_formats=(ColumnFormat(3, "#,##0.00", targets_from, targets_from + 3),
                                    ColumnFormat(4, "0.0", targets_from, targets_from + 3)),
                    bold_rows=(total_row, targets_from - 1), widths=(120, 380, 100, 100),
                    status_colours=(StatusColour(4, "บรรลุ", "C6EFCE"),))


def test_a_moved_targets_table_leaves_no_stale_format_behind(fake_google, tmp_path):
    book = fake_google.create_spreadsheet("b", {"หน่วยงาน": [["แท็บ"]]})
    settings = Settings(state_db=tmp_path / "state.sqlite",
                        google=GoogleSettings(endpoint=fake_google.base_url, backoff_base=0),
                        jobs={"reporting": JobSettings(kind="reporting", spreadsheet_id=book)})
    services = bootstrap(settings, key_source=fake_google.service_account_info())
    rows = [["หน่วยงาน", "ผู้เข้าร่วม", "ร้อยละ", "บรรลุ"]] + [[f"u{n}", n, None, None] for n in range(1, 6)]
    services.workbook("reporting")[0].write([RangeWrite(TAB, 1, 1, rows)], [style(targets_from=9, total_row=6)])
    before = dict(fake_google.request_counts)
    workbook, _ = services.workbook("reporting")  # a later run: metadata read again
    workbook.write([RangeWrite(TAB, 5, 1, [[None] * 4, [None] * 4])], [style(targets_from=6, total_row=4)])
    sent = {k: v - before.get(k, 0) for k, v in sheets_requests(fake_google).items()}
    assert sent == {"sheets.spreadsheets.get": 1, "sheets.spreadsheets.batchUpdate": 1}

    formats = fake_google.sheet_properties(book, TAB)["formats"]
    number = {a1: f["numberFormat"]["pattern"] for a1, f in formats.items() if "numberFormat" in f}
    assert {a1 for a1 in number if a1[0] in "CD"} == {f"{c}{r}" for c in "CD" for r in range(6, 10)}
    assert number["C6"] == "#,##0.00" and number["D9"] == "0.0" and number["B12"] == "#,##0"
    bold = {a1 for a1, f in formats.items() if f.get("textFormat", {}).get("bold")}
    assert {int(a1.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for a1 in bold} == {1, 4, 5}  # not 6 and 8 any more
    wrapped = {a1 for a1, f in formats.items() if f.get("wrapStrategy") == "WRAP" and a1[1:] != "1"}
    assert wrapped and all(a1[0] == "B" for a1 in wrapped)
    rules = fake_google.sheet_properties(book, TAB)["conditionalFormats"]
    assert len(rules) == 1  # the old layout's colour rule is gone, the new one is there once
