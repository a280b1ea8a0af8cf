"""The Google path under real conditions: request budget, quota errors, slow answers, sharing, unknown ids."""
from __future__ import annotations

import json
import re

import pytest
import requests

from app.errors import ServiceError
from app.sync.ports import BackendError
from app.sync.problem_tab import PROBLEMS_HEADER, PROBLEMS_TITLE
from tests.fake_google.a1 import column_letters
from tests.fake_google.cells import Formula
from tests.backends import make_backend
from tests.assessment.test_sync_satisfaction import TABS

SHEETS_WRITES = ("sheets.spreadsheets.values.batchUpdate", "sheets.spreadsheets.batchUpdate")
NOTES_READ = 1  # a run whose problem cells changed reads their notes first (never overwrite an officer's note)


def sheets_requests(fake) -> dict[str, int]:
    return {k: v for k, v in fake.request_counts.items() if k.startswith("sheets.")}


def test_first_run_three_requests_then_no_writes(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    backend.run()
    first = sheets_requests(fake_google)
    assert sum(first.values()) == 3 + NOTES_READ and first["sheets.spreadsheets.values.batchGet"] == 1
    before = dict(fake_google.request_counts)
    backend.run()
    second = {k: v - before.get(k, 0) for k, v in sheets_requests(fake_google).items()}
    assert sum(second.values()) <= 3 and second["sheets.spreadsheets.get"] == 1
    assert all(second.get(k, 0) == 0 for k in SHEETS_WRITES)


def test_service_tab_gets_frozen_header_and_warning_only_protection(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    backend.run()
    props = fake_google.sheet_properties(backend.spreadsheet_id, "ภาพรวมการประเมิน")
    assert props["gridProperties"]["frozenRowCount"] == 1
    assert [p["warningOnly"] for p in props["protectedRanges"]] == [True]


def test_a_lost_style_is_restored_in_the_same_single_write(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    backend.run()
    backend.edit("ความพึงพอใจ", 5, 2, 5)
    sheet_id = fake_google.sheet_properties(backend.spreadsheet_id, "ภาพรวมการประเมิน")["sheetId"]
    officer_unfreezes = {"requests": [{"updateSheetProperties": {
        "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 0}},
        "fields": "gridProperties.frozenRowCount"}}]}
    fake_google.allow_token("officer")
    answer = requests.post(f"{fake_google.base_url}/v4/spreadsheets/{backend.spreadsheet_id}:batchUpdate",
                           json=officer_unfreezes, headers={"Authorization": "Bearer officer"}, timeout=5)
    assert answer.status_code == 200
    before = dict(fake_google.request_counts)
    backend.run()
    sent = {k: v - before.get(k, 0) for k, v in sheets_requests(fake_google).items()}
    assert sent.get("sheets.spreadsheets.batchUpdate") == 1 and not sent.get("sheets.spreadsheets.values.batchUpdate")
    assert fake_google.sheet_properties(backend.spreadsheet_id, "ภาพรวมการประเมิน")["gridProperties"][
        "frozenRowCount"] == 1
    assert fake_google.values(backend.spreadsheet_id, "ภาพรวมการประเมิน")[3][1] == 85


def test_survives_429_with_bounded_retry(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    fake_google.inject_fault("sheets.spreadsheets.values.batchGet", status=429, times=2)
    fake_google.inject_fault("sheets.spreadsheets.batchUpdate", status=503, times=1)
    outcome = backend.run()
    assert outcome.status == "ok"
    assert fake_google.request_counts["sheets.spreadsheets.values.batchGet"] == 3
    assert fake_google.values(backend.spreadsheet_id, "ภาพรวมการประเมิน")[1][1] == 3


def test_gives_up_after_max_attempts_and_records_the_failure(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google, max_attempts=3)
    fake_google.inject_fault("sheets.spreadsheets.values.batchGet", status=429, times=10)
    with pytest.raises(BackendError, match="gave up after 3 tries.*429"):
        backend.run()
    assert fake_google.request_counts["sheets.spreadsheets.values.batchGet"] == 3
    last = backend.services.store.last_run("assessment")
    assert last.status == "failed" and "429" in last.error


def test_a_response_slower_than_the_timeout_is_retried(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google, read_timeout=0.5)
    fake_google.inject_fault("sheets.spreadsheets.values.batchGet", status=None, delay=1.5)
    assert backend.run().status == "ok"
    assert fake_google.request_counts["sheets.spreadsheets.values.batchGet"] == 2


def test_not_shared_says_whom_to_share_with(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    other = fake_google.create_spreadsheet("ไม่ได้แชร์", TABS, shared_with=["someone@else.test"])
    workflows = {"assessment": backend.services.settings.jobs["assessment"].model_copy(
        update={"spreadsheet_id": other})}
    backend.services.settings = backend.services.settings.model_copy(update={"jobs": workflows})
    with pytest.raises(BackendError, match="not shared with svc@"):
        backend.run()


def test_unknown_spreadsheet_is_a_clear_error(fake_google, tmp_path):
    backend = make_backend("google", TABS, tmp_path, fake_google)
    workflows = {"assessment": backend.services.settings.jobs["assessment"].model_copy(
        update={"spreadsheet_id": "does-not-exist"})}
    backend.services.settings = backend.services.settings.model_copy(update={"jobs": workflows})
    with pytest.raises(BackendError, match="not found: check spreadsheet_id"):
        backend.run()


def test_payload_chunks_respect_the_limit_and_keep_every_cell():
    from app.adapters.google.sheets import payload_chunks
    from app.sheets.grid import RangeWrite

    writes = [RangeWrite("t", 1, 1, [["ข้อความ" * 10, i] for i in range(1000)]), RangeWrite("u", 5, 2, [["x"]])]
    chunks = payload_chunks(writes, 20_000)
    assert len(chunks) > 1
    assert all(len(c.body) <= 20_000 for c in chunks)
    rows = [(w.tab, w.row + i, tuple(v)) for c in chunks for w in c.writes for i, v in enumerate(w.values)]
    assert rows == [("t", 1 + i, ("ข้อความ" * 10, i)) for i in range(1000)] + [("u", 5, ("x",))]
    assert payload_chunks([], 20_000) == []


def test_a_values_body_is_what_json_dumps_makes_of_its_writes():
    """Rows are encoded once, to measure them, and those bytes are joined into the body: it must be the UTF-8 JSON
    json.dumps gives for the same request, with Thai, quotes, backslashes, numbers, booleans and blanks."""
    from app.adapters.google.sheets import payload_chunks
    from app.sheets.a1 import range_ref
    from app.sheets.grid import RangeWrite

    writes = [RangeWrite("ผู้สมัคร", 2, 3, [["ก\"ข\\", 1.5, True, ""], ["=SUM(A1)", -0.0, None, 10**20]]),
              RangeWrite("it's", 7, 1, [["x"]] * 50)]
    chunks = payload_chunks(writes, 300)
    assert len(chunks) == 3  # the second write is cut between rows
    for chunk in chunks:
        body = {"valueInputOption": "RAW", "data": [
            {"range": range_ref(w.tab, w.row, w.col, len(w.values), max(map(len, w.values))), "values": w.values}
            for w in chunk.writes]}
        assert chunk.body == __import__("json").dumps(body, ensure_ascii=False).encode("utf-8")


def test_service_tabs_get_widths_date_formats_and_cell_links_in_the_same_three_requests(fake_google, tmp_path):
    """Widths, พ.ศ. date formats and the problems tab's links all ride in the first run's one :batchUpdate (the
    fake validates every request against the discovery document); only the service's own tab holds a formula."""
    backend = make_backend("google", TABS, tmp_path, fake_google)
    backend.run()
    assert sum(sheets_requests(fake_google).values()) == 3 + NOTES_READ  # the notes ride in the :batchUpdate too
    book = backend.spreadsheet_id
    widths = fake_google.column_widths(book, PROBLEMS_TITLE)
    assert sorted(widths) == list(range(1, len(PROBLEMS_HEADER) + 1)) and all(60 <= w <= 360 for w in widths.values())
    problems = fake_google.sheet_properties(book, PROBLEMS_TITLE)
    seen_at = f"{column_letters(PROBLEMS_HEADER.index('พบครั้งแรก'))}2"
    assert problems["formats"][seen_at]["numberFormat"] == {"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm"}
    assert problems["formats"]["A1"]["wrapStrategy"] == "WRAP"
    satisfaction_id = fake_google.sheet_properties(book, "ความพึงพอใจ")["sheetId"]
    links = [row[PROBLEMS_HEADER.index("ไปที่เซลล์")] for row in fake_google.values(book, PROBLEMS_TITLE)[1:]]
    assert all(isinstance(link, Formula) for link in links)
    assert re.fullmatch(rf'=HYPERLINK\("#gid={satisfaction_id}&range=[A-Z]+\d+","ความพึงพอใจ![A-Z]+\d+"\)', links[0])
    shown = backend.read(PROBLEMS_TITLE)
    assert all("ความพึงพอใจ!" in str(row[PROBLEMS_HEADER.index("ไปที่เซลล์")]) for row in shown[1:])
    officer = [v for row in fake_google.values(book, "ความพึงพอใจ") for v in row]
    assert not any(isinstance(v, Formula) for v in officer)  # "=1+1" typed by an officer stays text
    before = dict(fake_google.request_counts)
    backend.run()  # links read back as their text: nothing to write
    second = {k: v - before.get(k, 0) for k, v in sheets_requests(fake_google).items()}
    assert all(second.get(k, 0) == 0 for k in SHEETS_WRITES)


def test_a_process_signs_in_once_and_again_when_its_key_file_is_replaced(fake_google, tmp_path):
    """Each run used to load the private key and ask for a token (60 ms of CPU and a round trip, twice a minute for
    a job with a form); a process keeps its credentials until their token expires. A key file replaced by another
    key, as when an administrator rotates it, is read at the next run and signs in with the new key."""
    backend = make_backend("google", TABS, tmp_path, fake_google)
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(fake_google.service_account_info()), encoding="utf-8")
    services = backend.services
    services.key_source = None
    services.settings = services.settings.model_copy(update={"google": services.settings.google.model_copy(
        update={"credentials_file": key_file})})

    def tokens_of_a_run() -> int:
        before = fake_google.request_counts["oauth2.token"]
        assert backend.run().status == "ok"
        return fake_google.request_counts["oauth2.token"] - before

    assert [tokens_of_a_run() for _ in range(3)] == [1, 0, 0]
    rotated = fake_google.service_account_info("rotated@fake-project.iam.gserviceaccount.com")
    key_file.write_text(json.dumps(rotated), encoding="utf-8")
    with pytest.raises(ServiceError, match="not shared"):  # the new key at once: its account is not shared yet
        backend.run()
    fake_google.share(backend.spreadsheet_id, rotated["client_email"])
    assert [tokens_of_a_run() for _ in range(2)] == [0, 0]  # signed in with the new key by the failed run
