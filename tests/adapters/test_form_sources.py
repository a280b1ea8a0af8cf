"""Form sources: the responses tab read locally, and (with the fake Google server) the Forms API, agreeing."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.adapters.google.forms import GoogleFormSource, parse_rfc3339, rfc3339
from app.config import GoogleSettings
from app.sync.ports import BackendError

BANGKOK = ZoneInfo("Asia/Bangkok")
UTC = timezone.utc





def test_rfc3339_round_trip():
    assert rfc3339(datetime(2026, 1, 1, 7, 0, tzinfo=BANGKOK)) == "2026-01-01T00:00:00Z"
    assert rfc3339(datetime(2026, 1, 1, 0, 0, 0, 250000, tzinfo=UTC)) == "2026-01-01T00:00:00.250000Z"
    assert parse_rfc3339("2024-02-15T03:30:00.123456789Z") == datetime(2024, 2, 15, 3, 30, 0, 123456, tzinfo=UTC)
    assert parse_rfc3339("2024-02-15T03:30:00Z").tzinfo is not None














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
