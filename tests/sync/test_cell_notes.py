"""Notes on the officer's offending cell (issue 13, item 4: "Optional, on by default on Google: a note on the
officer's offending cell itself (a cell note, never a value change) removed when the problem is fixed"): the notes
ride in the run's one :batchUpdate, cost nothing when no problem moved, never replace or remove an officer's own
note, and leave every officer value as it was."""
from __future__ import annotations

import requests

from app.config import JobSettings
from app.sheets.grid import NOTE_PREFIX
from app.sheets.problems import RowProblem
from app.sync.problem_tab import cell_notes, problem_cell
from tests.adapters.test_google_paths import SHEETS_WRITES, sheets_requests
from tests.assessment.test_sync_satisfaction import TABS
from tests.backends import make_backend

TAB = "ความพึงพอใจ"
OFFICER = "officer"


def notes(fake, book: str, tab: str = TAB) -> dict[str, str]:
    """The notes of a tab as Google gives them: spreadsheets.get with the tab as range and a notes-only mask."""
    fake.allow_token(OFFICER)
    fields = "sheets(data(startRow,startColumn,rowData.values.note))"
    answer = requests.get(f"{fake.base_url}/v4/spreadsheets/{book}", timeout=5,
                          params={"ranges": f"'{tab}'", "fields": fields},
                          headers={"Authorization": f"Bearer {OFFICER}"})
    assert answer.status_code == 200, answer.text
    found = {}
    for data in answer.json()["sheets"][0]["data"]:
        for i, row in enumerate(data.get("rowData", [])):
            for j, cell in enumerate(row.get("values", [])):
                if "note" in cell:
                    found[f"{chr(ord('A') + data.get('startColumn', 0) + j)}{data.get('startRow', 0) + i + 1}"] = \
                        cell["note"]
    return found


def officer_notes(fake, book: str, cells: dict[str, str]) -> None:
    """An officer writes notes of their own (A1 → text) through the API."""
    sheet_id = fake.sheet_properties(book, TAB)["sheetId"]
    fake.allow_token(OFFICER)
    body = {"requests": [{"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": int(a1[1:]) - 1,
                                                    "columnIndex": ord(a1[0]) - ord("A")},
                                          "rows": [{"values": [{"note": text}]}], "fields": "note"}}
                         for a1, text in cells.items()]}
    answer = requests.post(f"{fake.base_url}/v4/spreadsheets/{book}:batchUpdate", json=body, timeout=5,
                           headers={"Authorization": f"Bearer {OFFICER}"})
    assert answer.status_code == 200, answer.text


def officer_values(fake, book: str) -> dict[str, list[list]]:
    return {tab: fake.values(book, tab) for tab in TABS}


def test_each_offending_cell_gets_a_note_and_no_officer_value_changes(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    book = backend.spreadsheet_id
    before = officer_values(fake_google, book)
    backend.run()
    found = notes(fake_google, book)
    assert set(found) == {"B5", "B6", "B8"}  # B7's blank item is a note-level problem: listed, not marked
    assert found["B5"] == f"{NOTE_PREFIX}คะแนนต้องอยู่ระหว่าง 1–5 (score must be 1–5) — วิธีแก้: ใส่คะแนน 1 ถึง 5"
    assert all(text.startswith(NOTE_PREFIX) and "วิธีแก้" in text for text in found.values())
    assert officer_values(fake_google, book) == before  # cell for cell
    for tab in TABS:
        assert notes(fake_google, book, tab) == ({} if tab != TAB else found)


def test_a_fixed_problem_loses_its_note_and_an_unchanged_run_reads_no_notes(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    book = backend.spreadsheet_id
    backend.run()
    before = dict(fake_google.request_counts)
    backend.run()
    again = {k: v - before.get(k, 0) for k, v in sheets_requests(fake_google).items()}
    assert again.get("sheets.spreadsheets.get") == 1 and not any(again.get(k) for k in SHEETS_WRITES)

    backend.edit(TAB, 5, 2, 4)  # the officer fixes B5
    before = dict(fake_google.request_counts)
    backend.run()
    sent = {k: v - before.get(k, 0) for k, v in sheets_requests(fake_google).items()}
    assert sent["sheets.spreadsheets.get"] == 2 and sent["sheets.spreadsheets.batchUpdate"] == 1  # notes + tabs
    assert sum(sent.values()) == 4 and not sent.get("sheets.spreadsheets.values.batchUpdate")
    assert set(notes(fake_google, book)) == {"B6", "B8"}
    assert fake_google.values(book, TAB)[4][1] == 4


def test_an_officers_own_note_is_never_overwritten_nor_removed(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    book = backend.spreadsheet_id
    officer_notes(fake_google, book, {"B5": "ผู้ตอบขอแก้เป็น 5 — สมศรี", "C2": "ตรวจแล้ว"})
    backend.run()
    found = notes(fake_google, book)
    assert found["B5"] == "ผู้ตอบขอแก้เป็น 5 — สมศรี" and found["C2"] == "ตรวจแล้ว"
    assert found["B6"].startswith(NOTE_PREFIX)
    officer_notes(fake_google, book, {"B6": found["B6"] + " (แจ้งผู้ตอบแล้ว)"})  # an officer adds to ours: theirs now
    backend.edit(TAB, 5, 2, 5)
    backend.edit(TAB, 6, 2, 3)
    backend.run()
    after = notes(fake_google, book)
    assert after["B5"] == "ผู้ตอบขอแก้เป็น 5 — สมศรี" and after["C2"] == "ตรวจแล้ว"
    assert after["B6"].endswith("(แจ้งผู้ตอบแล้ว)") and set(after) == {"B5", "B6", "B8", "C2"}


def test_switched_off_the_service_writes_no_note_and_removes_its_own(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    book = backend.spreadsheet_id
    backend.run()
    assert len(notes(fake_google, book)) == 3
    services = backend.services
    jobs = {"assessment": JobSettings(kind="assessment", spreadsheet_id=book, cell_notes=False)}
    services.settings = services.settings.model_copy(update={"jobs": jobs})
    officer_notes(fake_google, book, {"C2": "ตรวจแล้ว"})
    backend.run()
    assert notes(fake_google, book) == {"C2": "ตรวจแล้ว"}
    before = dict(fake_google.request_counts)
    backend.run()
    assert sheets_requests(fake_google)["sheets.spreadsheets.get"] - before["sheets.spreadsheets.get"] == 1


def test_a_dry_run_and_a_local_workbook_write_no_notes(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    backend.run(dry_run=True)
    assert notes(fake_google, backend.spreadsheet_id) == {}
    assert backend.services.store.cell_notes("assessment") == {}
    local = make_backend("xlsx", TABS, tmp_path / "local")
    local.run()
    assert local.services.store.cell_notes("assessment") == {}


def test_the_fake_refuses_grid_data_it_does_not_model(fake_google):
    book = fake_google.create_spreadsheet("x", {"a": [["h"], [1]]})
    fake_google.allow_token(OFFICER)
    answer = requests.get(f"{fake_google.base_url}/v4/spreadsheets/{book}", timeout=5,
                          params={"ranges": "a!A1:A2", "fields": "sheets(data(rowData.values.userEnteredValue))"},
                          headers={"Authorization": f"Bearer {OFFICER}"})
    assert answer.status_code == 501


def test_a_problem_is_placed_under_its_header_when_a_row_of_labels_sits_above_it():
    """Seed 002's unit tabs have a row of labels above the headers and a section row below them: a problem's note
    and its link go to its own cell, not to column A."""
    grids = {"ศก.3": [[], ["ข้อมูลผู้รับบริการ", None, "ผลลัพธ์"], ["ชื่อ", "เลขบัตรประจำตัวประชาชน", "ยอดขาย"],
                      ["5.1-3 บรรจุภัณฑ์"], ["นาย ก", "1234567890123", 500]]}
    wrong_id = RowProblem("ศก.3", 5, "เลขบัตรประจำตัวประชาชน", "1234567890123", "เลขตรวจสอบผิด (bad check digit)")
    assert problem_cell(wrong_id, grids) == (5, 2)
    assert list(cell_notes([wrong_id], grids, {"ศก.3"})) == [("ศก.3", 5, 2)]
    twice = RowProblem("ศก.3", 3, "ยอดขาย", "", "หัวคอลัมน์ซ้ำ (repeated header)")  # on the header row itself
    assert problem_cell(twice, grids) == (3, 3)
    assert problem_cell(RowProblem("ศก.3", 5, "ไม่มีหัวนี้", "", "x"), grids) == (5, 1)
