"""Google's and Excel's limits on one cell and on one request (issue #11, finding 10 and part of 11)."""
from __future__ import annotations

import json

import pytest

from app.adapters.google.retry import RetryPolicy
from app.adapters.google.sheets import GoogleWorkbook, MAX_PAYLOAD, payload_chunks, sheets_http_client
from app.config import GoogleSettings
from app.sheets.grid import Link, RangeWrite, TabStyle
from app.sync.cell_limits import CUT_MARK, clipped
from app.sync.problem_tab import PROBLEMS_TITLE
from app.sync.workflow import ServiceTab
from tests.assessment_book import APPLICANT_HEADERS, assessment_backend, workbook

SUMMARY = "สรุปผลการประเมิน"
LIMITS = {"xlsx": 32_767, "google": 50_000}


@pytest.fixture(params=["xlsx", "google"])
def kind(request):
    return request.param


def test_a_name_longer_than_a_cell_holds_is_cut_with_a_problem_line_and_written_once(kind, tmp_path, request):
    """Two 49,999-character name parts made a 100,002-character cell: Google refused it (every later run failed)
    and a .xlsx reader cut it, so every run rewrote the row."""
    tabs = workbook()
    names = tabs["ผู้สมัคร"][1]
    assert tabs["ผู้สมัคร"][0] == APPLICANT_HEADERS
    names[APPLICANT_HEADERS.index("ชื่อ")] = "ก" * 49_999
    names[APPLICANT_HEADERS.index("นามสกุล")] = "ข" * 49_999
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    backend = assessment_backend(kind, tmp_path, fake, tabs)
    first = backend.run()
    assert first.status == "ok"
    cells = [value for row in backend.read(SUMMARY) for value in row if isinstance(value, str)]
    longest = max(cells, key=len)
    assert len(longest) == LIMITS[kind] and longest.endswith("…")
    lines = [p for p in first.problems if p.tab == SUMMARY]
    assert lines and f"{LIMITS[kind]:,}" in lines[0].problem
    assert any("cut to fit" in str(row) for row in backend.read(PROBLEMS_TITLE))
    second = backend.run()
    assert second.status == "ok" and second.counts["cells_changed"] == 0


def test_write_bodies_are_measured_as_sent_and_stay_under_2_mb(fake_google):
    """The splitter measured bodies in UTF-8 while requests sent Thai as \\uXXXX: "≤ 8 MB" went out at 10–11.5 MB
    and Google refuses over 10 MB. Bodies now go as UTF-8 JSON (3 bytes a Thai character), measured so."""
    sheet_id = fake_google.create_spreadsheet("ใหญ่", {"ข้อมูล": [["ชื่อ"]]})
    settings = GoogleSettings(endpoint=fake_google.base_url, backoff_base=0)
    book = GoogleWorkbook(sheet_id, sheets_http_client(fake_google.service_account_info(), settings),
                          RetryPolicy(sleep=lambda _s: None))
    rows = [["ข้อความภาษาไทย" * 50, n] for n in range(6_000)]  # 4.2 M Thai characters: 13 MB as sent
    book.write([RangeWrite("สรุป", 1, 1, rows)], [TabStyle("สรุป", columns=2)])
    writes = [body for method_id, *_, body in fake_google.requests if method_id.endswith("batchUpdate")]
    sizes = [len(json.dumps(body, ensure_ascii=False).encode()) for body in writes]  # the bytes sent
    assert len(writes) > 1 and max(sizes) <= MAX_PAYLOAD
    assert fake_google.values(sheet_id, "สรุป") == [[row[0], row[1]] for row in rows]


def test_payload_chunks_count_thai_as_the_three_utf8_bytes_sent():
    rows = [["ก" * 1_000] for _ in range(100)]  # 300 KB as sent in UTF-8 (600 KB with \\uXXXX escapes)
    chunks = payload_chunks([RangeWrite("t", 1, 1, rows)], 200_000)
    assert len(chunks) == 2
    assert all(len(json.dumps({"valueInputOption": "RAW", "data": [{"range": "t!A1:A100", "values": w.values}
                                                                  for w in c.writes]}, ensure_ascii=False).encode())
               <= 200_000 for c in chunks)


def test_only_a_text_over_the_limit_is_cut_however_long_its_row():
    """Rows are screened by their length as a whole before their cells are: a long row of short texts, numbers
    and links is kept as it is; a text one character over the limit is cut, at the limit it is not."""
    limit = 20
    header = ("a", "b", "c")
    rows = [["x" * 20, 123456789.125, Link("y" * 20, "t", 2, 1)], [True, None, "ก" * 20],
            ["z" * 21, "", 7], ["ok", "w" * 40, "ที่" * 7]]
    tab = ServiceTab("t", header, [list(r) for r in rows], TabStyle("t", 3))
    (out,), problems = clipped([tab], limit)
    assert out.rows[:2] == rows[:2]
    assert out.rows[2] == ["z" * 19 + CUT_MARK, "", 7]
    assert out.rows[3] == ["ok", "w" * 19 + CUT_MARK, "ที่" * 6 + "ท" + CUT_MARK]
    assert [(p.row, p.column) for p in problems] == [(4, "a"), (5, "b"), (5, "c")]
    untouched = ServiceTab("u", header, [list(r) for r in rows[:2]], TabStyle("u", 3))
    assert clipped([untouched], limit) == ([untouched], [])

    class Text(str):  # a text of another str type (numpy's str_ is one) is text too
        pass

    (out,), problems = clipped([ServiceTab("v", header, [[1, Text("q" * 21)]], TabStyle("v", 3))], limit)
    assert out.rows == [[1, "q" * 19 + CUT_MARK]] and len(problems) == 1
