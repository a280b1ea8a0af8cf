"""One contract, every Workbook adapter: in-memory fake, .xlsx in tmp_path, Google over the fake server."""
from __future__ import annotations

import datetime as dt

import pytest

from app.adapters.google.sheets import GoogleWorkbook, sheets_http_client
from app.adapters.google.retry import RetryPolicy
from app.adapters.xlsx import XlsxWorkbook, create_xlsx
from app.config import GoogleSettings
from app.sheets.grid import Link, RangeWrite, StatusColour, TabStyle
from app.sheets.grid_diff import diff_tab
from app.sync.ports import TabNotFound
from app.sync.seen_read import read_after_writes
from tests.fakes import FakeWorkbook
from tests.fake_google.seed import as_sheet_values

OFFICER_TABS = {
    "ศภ.1": [["ชื่อกิจกรรม", "จำนวน", "วันที่"], ["อบรม Lean", 1250.5, 45337], [], ["สัมมนา", 3, None]],
    "it's": [["a"]],
}
TYPED = {"ชนิด": [["วันที่", "เวลาส่ง", "ใช่ไหม", "ว่าง", "ข้อความ"],
                  [dt.date(2024, 2, 15), dt.datetime(2024, 2, 15, 10, 30), True, None, "  เว้นวรรค "],
                  [None, None, False, "", 0], [], [None, "b", ""]]}  # date cells on .xlsx, serials on Google
STYLE = TabStyle("สรุป", columns=3, number_formats={2: "#,##0.00"},
                 status_colours=(StatusColour(3, "ผ่าน", "C6EFCE"),))


@pytest.fixture(params=["fake", "xlsx", "google"])
def make_workbook(request, tmp_path):
    """A factory: officer tabs in, a fresh adapter over them out (a new object per call, like a new run)."""
    if request.param == "fake":
        book = FakeWorkbook(as_sheet_values(OFFICER_TABS | TYPED))
        return lambda: book
    if request.param == "xlsx":
        path = tmp_path / "book.xlsx"
        create_xlsx(path, OFFICER_TABS | TYPED)
        return lambda: XlsxWorkbook(path)
    fake = request.getfixturevalue("fake_google")
    sheet_id = fake.create_spreadsheet("สมุดทดสอบ", as_sheet_values(OFFICER_TABS | TYPED))
    settings = GoogleSettings(endpoint=fake.base_url, backoff_base=0)
    return lambda: GoogleWorkbook(sheet_id, sheets_http_client(fake.service_account_info(), settings),
                                  RetryPolicy(sleep=lambda _s: None))


def test_reads_many_tabs_trimmed_with_thai_text_intact(make_workbook):
    grids = make_workbook().read(["ศภ.1", "it's"])
    assert grids["ศภ.1"] == [["ชื่อกิจกรรม", "จำนวน", "วันที่"], ["อบรม Lean", 1250.5, 45337], [], ["สัมมนา", 3]]
    assert grids["it's"] == [["a"]]


def test_dates_booleans_blanks_and_offsets_read_as_google_gives_them(make_workbook):
    grid = make_workbook().read(["ชนิด"])["ชนิด"]
    assert grid[1][2] is True and grid[2][2] is False and type(grid[2][4]) is int  # True == 1 would hide a bug
    assert grid == [
        ["วันที่", "เวลาส่ง", "ใช่ไหม", "ว่าง", "ข้อความ"], [45337, 45337.4375, True, None, "  เว้นวรรค "],
        [None, None, False, None, 0], [], [None, "b"]]


def test_unknown_tab_is_tab_not_found(make_workbook):
    with pytest.raises(TabNotFound):
        make_workbook().read(["ไม่มีแท็บนี้"])


def test_write_creates_styled_tab_and_reads_back_raw(make_workbook):
    target = [["หัวข้อ", "ค่า", "ผล"], ["=1+1", 87.5, "ผ่านเกณฑ์"], ["0812345678", 3, True]]
    book = make_workbook()
    stats = book.write(diff_tab("สรุป", target, None), [STYLE])
    assert stats.tabs_created == ("สรุป",) and stats.cells == 9
    again = make_workbook()
    assert "สรุป" in again.tab_titles()
    assert again.read(["สรุป"])["สรุป"] == target  # "=1+1" and "0812345678" stay text: written RAW


def test_second_identical_write_sends_nothing(make_workbook):
    target = [["หัวข้อ", "ค่า", "ผล"], ["a", 1, "ผ่าน"]]
    make_workbook().write(diff_tab("สรุป", target, None), [STYLE])
    book = make_workbook()
    existing = book.read(["สรุป"])["สรุป"]
    writes = diff_tab("สรุป", target, existing)
    assert writes == []
    assert book.write(writes, [STYLE]).requests == 0


def test_shrinking_clears_cells(make_workbook):
    make_workbook().write(diff_tab("สรุป", [["h", "x", "y"], [1, 2, 3], [4, 5, 6]], None), [STYLE])
    book = make_workbook()
    writes = diff_tab("สรุป", [["h", "x", "y"], [1]], book.read(["สรุป"])["สรุป"])
    book.write(writes, [STYLE])
    assert make_workbook().read(["สรุป"])["สรุป"] == [["h", "x", "y"], [1]]


def test_writing_into_existing_officer_tab_changes_only_that_range(make_workbook):
    make_workbook().write([RangeWrite("ศภ.1", 4, 2, [[4]])])
    assert make_workbook().read(["ศภ.1"])["ศภ.1"][3] == ["สัมมนา", 4]


def test_cell_link_names_the_cell(make_workbook):
    link = make_workbook().cell_link("ศภ.1", 4, 2)
    assert "B4" in link or "R4C2" in link


def test_the_read_after_a_write_is_as_predicted(make_workbook):
    """What a scheduled run after a write compares with (app.sync.seen_read): the tabs with the writes in, each cell
    as a read gives it back, and the titles and marks the writing adapter knows after its write."""
    first = [["หัวข้อ", "ค่า", "ผล", "หมายเหตุ"], ["a", 85.0, True, "x"], ["b", 0.1 + 0.2, "=1+1", "y"], ["c", 1]]
    book = make_workbook()
    book.write(diff_tab("สรุป", first, None), [STYLE])
    read = make_workbook().read(["สรุป", "ศภ.1"])
    second = [["หัวข้อ", "ค่า", "ผล"], [Link("ศภ.1!B2", "ศภ.1", 2, 2), 90.0, False], ["b", 0.1 + 0.2, "=1+1", "y"],
              [], ["d", "", 2.5]]
    writer = make_workbook()
    writes = diff_tab("สรุป", second, read["สรุป"])
    writer.write(writes, [STYLE])
    reader = make_workbook()
    assert read_after_writes(read, writes, ["สรุป"]) == reader.read(["สรุป", "ศภ.1"])
    assert (writer.tab_titles(), writer.owned_tabs()) == (reader.tab_titles(), reader.owned_tabs())
    created = make_workbook()
    created.write(diff_tab("ใหม่", [["ก", 3.0]], None), [TabStyle("ใหม่", columns=2)])
    assert read_after_writes({}, diff_tab("ใหม่", [["ก", 3.0]], None), ["ใหม่"]) == make_workbook().read(["ใหม่"])
    assert (created.tab_titles(), created.owned_tabs()) == (make_workbook().tab_titles(), make_workbook().owned_tabs())
