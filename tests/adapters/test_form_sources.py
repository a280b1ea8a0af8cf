"""Form sources: the responses tab read locally, and (with the fake Google server) the Forms API, agreeing."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.adapters.google.forms import GoogleFormSource, TabFormSource, parse_rfc3339, rfc3339
from app.config import GoogleSettings
from app.sheets.problems import RowProblem
from app.sync.ports import BackendError, FormQuestion

BANGKOK = ZoneInfo("Asia/Bangkok")
UTC = timezone.utc


@pytest.mark.parametrize("cell", [
    45337.4375,                      # serial days since 1899-12-30, Bangkok time: 15 Feb 2024 10:30
    "15/2/2024, 10:30:00",           # as a linked sheet shows it
    "15/02/2567 10:30:00",           # Buddhist Era, no comma
])
def test_tab_timestamps_are_bangkok_local_time(cell):
    [response] = TabFormSource([{"ประทับเวลา": cell, "Q": "a"}]).responses_since(None)
    assert response.submitted == datetime(2024, 2, 15, 3, 30, tzinfo=UTC)


def test_rfc3339_round_trip():
    assert rfc3339(datetime(2026, 1, 1, 7, 0, tzinfo=BANGKOK)) == "2026-01-01T00:00:00Z"
    assert rfc3339(datetime(2026, 1, 1, 0, 0, 0, 250000, tzinfo=UTC)) == "2026-01-01T00:00:00.250000Z"
    assert parse_rfc3339("2024-02-15T03:30:00.123456789Z") == datetime(2024, 2, 15, 3, 30, 0, 123456, tzinfo=UTC)
    assert parse_rfc3339("2024-02-15T03:30:00Z").tzinfo is not None


REFERENCE_ROWS = [
    {"ประทับเวลา": "16/2/2567, 09:00:00", "ที่อยู่อีเมล": "ref2@example.com", "เลขที่ใบสมัคร": "A-002",
     "รหัสยืนยัน": "tok-2", "[C1] ความรู้ในสาขา": 5.0, "[C2] การวิเคราะห์ปัญหา": "ไม่ทราบ", "ข้อเสนอแนะ": ""},
    {},  # a blank row between answers
    {"ประทับเวลา": 45337.4375, "ที่อยู่อีเมล": "ref1@example.com", "เลขที่ใบสมัคร": "A-001",
     "รหัสยืนยัน": "tok-1", "[C1] ความรู้ในสาขา": 4, "[C2] การวิเคราะห์ปัญหา": 3, "ข้อเสนอแนะ": "ดีมาก, ละเอียด"},
    {"ประทับเวลา": "เมื่อวาน", "เลขที่ใบสมัคร": "A-003"},
]


def test_tab_responses_are_typed_sorted_and_skip_blank_rows():
    source = TabFormSource(REFERENCE_ROWS, tab="แบบประเมินบุคคลอ้างอิง")
    first, second = source.responses_since(None)
    assert (first.response_id, first.submitted, first.respondent_email) == (
        "row-4", datetime(2024, 2, 15, 3, 30, tzinfo=UTC), "ref1@example.com")
    assert first.answers == {"เลขที่ใบสมัคร": "A-001", "รหัสยืนยัน": "tok-1", "[C1] ความรู้ในสาขา": "4",
                             "[C2] การวิเคราะห์ปัญหา": "3", "ข้อเสนอแนะ": "ดีมาก, ละเอียด"}
    assert second.response_id == "row-2" and second.submitted == datetime(2024, 2, 16, 2, 0, tzinfo=UTC)
    assert second.answers["[C1] ความรู้ในสาขา"] == "5" and "ข้อเสนอแนะ" not in second.answers
    assert source.problems == [RowProblem("แบบประเมินบุคคลอ้างอิง", 5, "ประทับเวลา", "เมื่อวาน",
                                          "อ่านเป็นวันที่ไม่ได้ (not a date)")]


def test_tab_watermark_is_strictly_after():
    source = TabFormSource(REFERENCE_ROWS)
    at_first = datetime(2024, 2, 15, 10, 30, tzinfo=BANGKOK)
    assert [r.response_id for r in source.responses_since(at_first)] == ["row-2"]
    assert [r.response_id for r in source.responses_since(at_first - timedelta(microseconds=1))] == ["row-4", "row-2"]
    assert source.responses_since(datetime(2024, 2, 16, 2, 0, tzinfo=UTC)) == []


def test_tab_questions_are_its_answer_headers():
    assert TabFormSource(REFERENCE_ROWS).questions() == [
        FormQuestion("", title, "other") for title in
        ("เลขที่ใบสมัคร", "รหัสยืนยัน", "[C1] ความรู้ในสาขา", "[C2] การวิเคราะห์ปัญหา", "ข้อเสนอแนะ")]


def test_tab_with_english_headers():
    rows = [{"Timestamp": "1/3/2026, 08:05:09", "Email Address": "x@example.com", "Q": "a"}]
    [response] = TabFormSource(rows, timestamp_header="Timestamp").responses_since(None)
    assert response.respondent_email == "x@example.com" and response.answers == {"Q": "a"}
    assert response.submitted == datetime(2026, 3, 1, 1, 5, 9, tzinfo=UTC)


REFERENCE_FORM = [
    {"title": "เลขที่ใบสมัคร", "kind": "text"},
    {"title": "รหัสยืนยัน", "kind": "text"},
    {"title": "ความสัมพันธ์กับผู้สมัคร", "kind": "choice", "type": "CHECKBOX",
     "options": ["ผู้ว่าจ้าง", "เพื่อนร่วมงาน", "อื่น ๆ"]},
    {"title": "[C1] ความรู้ในสาขา", "kind": "scale"},
    {"title": "ความพึงพอใจ", "kind": "grid", "rows": ["ข้อ 1", "ข้อ 2"], "columns": ["1", "2", "3", "4", "5"]},
    {"title": "วันที่ทำงานร่วมกัน", "kind": "date"},
    {"title": "ข้อเสนอแนะ", "kind": "text", "paragraph": True},
]
LIST = "forms.forms.responses.list"


def google_settings(fake, **overrides):
    return GoogleSettings(endpoint=fake.base_url, backoff_base=0, **overrides)


def form_source(fake, form_id, **overrides):
    return GoogleFormSource(form_id, fake.service_account_info(), google_settings(fake, **overrides))


def test_google_questions_kinds_grid_rows_and_prefill_ids(fake_google):
    form_id = fake_google.create_form("แบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม", REFERENCE_FORM)
    source = form_source(fake_google, form_id)
    questions = source.questions()
    assert [(q.title, q.kind) for q in questions] == [
        ("เลขที่ใบสมัคร", "text"), ("รหัสยืนยัน", "text"), ("ความสัมพันธ์กับผู้สมัคร", "choice"),
        ("[C1] ความรู้ในสาขา", "scale"), ("ความพึงพอใจ [ข้อ 1]", "grid-row"), ("ความพึงพอใจ [ข้อ 2]", "grid-row"),
        ("วันที่ทำงานร่วมกัน", "date"), ("ข้อเสนอแนะ", "text")]
    item_ids = {item["questionItem"]["question"]["questionId"] for item in fake_google.state.forms[form_id]
                .resource["items"] if "questionItem" in item}
    assert {q.question_id for q in questions if q.kind != "grid-row"} == item_ids
    entry_ids = source.prefill_entry_ids()
    assert entry_ids["รหัสยืนยัน"] == f"entry.{int(questions[1].question_id, 16)}"
    assert len(set(entry_ids.values())) == 8
    assert source.responder_uri() == f"https://docs.google.com/forms/d/e/{form_id}/viewform"
    assert fake_google.request_counts["forms.forms.get"] == 1  # the form is read once per source


def test_google_responses_are_mapped_to_titles(fake_google):
    form_id = fake_google.create_form("แบบประเมิน", REFERENCE_FORM)
    fake_google.add_form_response(form_id, {
        "เลขที่ใบสมัคร": "A-001", "รหัสยืนยัน": "tok-1", "ความสัมพันธ์กับผู้สมัคร": ["ผู้ว่าจ้าง", "เพื่อนร่วมงาน"],
        "[C1] ความรู้ในสาขา": "4", "ข้อ 2": "5", "วันที่ทำงานร่วมกัน": "2024-02-15"},
        datetime(2024, 2, 15, 3, 30, 0, 123000, tzinfo=UTC), "ref1@example.com")
    fake_google.add_form_response(form_id, {"เลขที่ใบสมัคร": "A-002"}, datetime(2024, 2, 14, tzinfo=UTC))
    older, newer = form_source(fake_google, form_id).responses_since(None)
    assert (older.answers, older.respondent_email) == ({"เลขที่ใบสมัคร": "A-002"}, None)
    assert newer.submitted == datetime(2024, 2, 15, 3, 30, 0, 123000, tzinfo=UTC)
    assert newer.respondent_email == "ref1@example.com" and newer.response_id.startswith("ACYDBN")
    assert newer.answers == {"เลขที่ใบสมัคร": "A-001", "รหัสยืนยัน": "tok-1",
                             "ความสัมพันธ์กับผู้สมัคร": "ผู้ว่าจ้าง, เพื่อนร่วมงาน", "[C1] ความรู้ในสาขา": "4",
                             "ความพึงพอใจ [ข้อ 2]": "5", "วันที่ทำงานร่วมกัน": "2024-02-15"}


def test_google_pages_with_the_same_filter_and_keeps_strictly_after(fake_google):
    form_id = fake_google.create_form("แบบประเมิน", [{"title": "เลขที่ใบสมัคร", "kind": "text"}])
    start = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    for n in range(5010):
        fake_google.add_form_response(form_id, {"เลขที่ใบสมัคร": f"A-{n:04d}"}, start + timedelta(seconds=n))
    source = form_source(fake_google, form_id)

    everything = source.responses_since(None)
    assert [r.answers["เลขที่ใบสมัคร"] for r in everything] == [f"A-{n:04d}" for n in range(5010)]
    assert fake_google.request_counts[LIST] == 2

    watermark = everything[7].submitted  # 01:00:07 UTC = 08:00:07 in Bangkok
    fresh = source.responses_since(watermark.astimezone(BANGKOK))
    assert fresh[0].answers["เลขที่ใบสมัคร"] == "A-0008" and len(fresh) == 5002
    pages = [query for method, _, _, query, _ in fake_google.requests if method == LIST][2:]
    assert [query["filter"] for query in pages] == ["timestamp > 2026-01-05T01:00:07Z"] * 2
    assert [query.get("pageToken") is None for query in pages] == [True, False]
    assert {query["pageSize"] for query in pages} == {"5000"}

    assert source.responses_since(everything[-1].submitted) == []


def test_google_watermark_inside_a_second(fake_google):
    form_id = fake_google.create_form("แบบประเมิน", [{"title": "เลขที่ใบสมัคร", "kind": "text"}])
    for n, micros in enumerate((0, 250000, 250001, 999999)):
        fake_google.add_form_response(form_id, {"เลขที่ใบสมัคร": f"A-{n}"},
                                      datetime(2026, 1, 5, 1, 0, 7, micros, tzinfo=UTC))
    fresh = form_source(fake_google, form_id).responses_since(datetime(2026, 1, 5, 1, 0, 7, 250000, tzinfo=UTC))
    assert [r.answers["เลขที่ใบสมัคร"] for r in fresh] == ["A-2", "A-3"]


def test_google_retries_and_explains_sharing(fake_google):
    form_id = fake_google.create_form("แบบประเมิน", REFERENCE_FORM)
    fake_google.inject_fault(LIST, status=503)
    assert form_source(fake_google, form_id).responses_since(None) == []
    assert fake_google.request_counts[LIST] == 2

    hidden = fake_google.create_form("ไม่ได้แชร์", REFERENCE_FORM, shared_with="someone-else@example.com")
    email = fake_google.service_account_info()["client_email"]
    with pytest.raises(BackendError, match=f"share it with {email}"):
        form_source(fake_google, hidden).questions()
    with pytest.raises(BackendError, match=f"HTTP 404.*share it with {email}"):
        form_source(fake_google, "no-such-form").responses_since(None)
    assert fake_google.request_counts["forms.forms.get"] == 3  # one per source: 403 and 404 are not retried


def linked_sheet_rows(responses):
    """The rows Google's linked responses sheet would hold: Bangkok serial timestamps, numbers as numbers."""
    rows = []
    for submitted, email, answers in responses:
        local = submitted.astimezone(BANGKOK).replace(tzinfo=None)
        serial = (local - datetime(1899, 12, 30)).total_seconds() / 86400
        cells = {title: float(value) if value.isdigit() else value for title, value in answers.items()}
        rows.append({"ประทับเวลา": serial, "ที่อยู่อีเมล": email or "", **cells})
    return rows


def test_google_and_tab_give_the_same_responses(fake_google):
    form_id = fake_google.create_form("แบบประเมิน", [q for q in REFERENCE_FORM if q["kind"] != "date"])
    data = [
        (datetime(2024, 2, 16, 2, 0, 5, tzinfo=UTC), "ref2@example.com",
         {"เลขที่ใบสมัคร": "A-002", "[C1] ความรู้ในสาขา": "5", "ความพึงพอใจ [ข้อ 1]": "4"}),
        (datetime(2024, 2, 15, 3, 30, tzinfo=UTC), "ref1@example.com",
         {"เลขที่ใบสมัคร": "A-001", "รหัสยืนยัน": "tok-1", "ความสัมพันธ์กับผู้สมัคร": "ผู้ว่าจ้าง, อื่น ๆ",
          "[C1] ความรู้ในสาขา": "3", "ข้อเสนอแนะ": "ละเอียด, ตรงเวลา"}),
        (datetime(2024, 2, 17, 9, 15, 59, tzinfo=UTC), None, {"เลขที่ใบสมัคร": "A-003"}),
    ]
    for submitted, email, answers in data:
        shaped = {k: v.split(", ") if k == "ความสัมพันธ์กับผู้สมัคร" else v for k, v in answers.items()}
        fake_google.add_form_response(form_id, shaped, submitted, email)

    def seen(responses):
        return [(r.submitted, r.respondent_email, r.answers) for r in responses]

    google, tab = form_source(fake_google, form_id), TabFormSource(linked_sheet_rows(data))
    for watermark in (None, datetime(2024, 2, 15, 3, 30, tzinfo=UTC)):
        assert seen(google.responses_since(watermark)) == seen(tab.responses_since(watermark))
    assert len(seen(tab.responses_since(None))) == 3
