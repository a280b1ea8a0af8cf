"""The fake Forms API through the real googleapiclient: form shape, paging, filter, page tokens, access."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from googleapiclient.errors import HttpError

from tests.fake_google.clients import credentials, discovery, error_body

FORMS_READ = ["https://www.googleapis.com/auth/forms.body.readonly",
              "https://www.googleapis.com/auth/forms.responses.readonly"]
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
QUESTIONS = [{"title": "เลขที่ใบสมัคร", "kind": "text"},
             {"title": "ความพึงพอใจโดยรวม", "kind": "scale"},
             {"title": "จังหวัด", "kind": "choice", "options": ["เชียงใหม่", "ลำปาง"]},
             {"title": "วันที่อบรม", "kind": "date"},
             {"title": "ด้านวิทยากร", "kind": "grid", "rows": ["ความรู้", "การถ่ายทอด"],
              "columns": ["1", "2", "3", "4", "5"]}]


@pytest.fixture
def form(fake_google):
    form_id = fake_google.create_form("แบบประเมินการอบรม", QUESTIONS)
    for n in range(5):
        fake_google.add_form_response(form_id, {"เลขที่ใบสมัคร": f"A-{n}", "ความพึงพอใจโดยรวม": str(n % 5 + 1),
                                                "ความรู้": "5", "ด้านวิทยากร [การถ่ายทอด]": "4"},
                                      START + timedelta(hours=4 - n), respondent_email=f"p{n}@example.com")
    return form_id


@pytest.fixture
def service(fake_google):
    return discovery(fake_google, "forms", "v1", credentials(fake_google, FORMS_READ)).forms()


def test_form_shape_like_forms_api(service, form):
    resource = service.get(formId=form).execute()
    assert resource["info"]["title"] == "แบบประเมินการอบรม"
    assert resource["responderUri"] == f"https://docs.google.com/forms/d/e/{form}/viewform"
    items = resource["items"]
    questions = [i["questionItem"]["question"] for i in items[:4]]
    assert all(re.fullmatch(r"[0-9a-f]{8}", q["questionId"]) for q in questions)
    assert [next(k for k in q if k.endswith("Question")) for q in questions] == [
        "textQuestion", "scaleQuestion", "choiceQuestion", "dateQuestion"]
    grid = items[4]["questionGroupItem"]
    assert [q["rowQuestion"]["title"] for q in grid["questions"]] == ["ความรู้", "การถ่ายทอด"]
    assert len({q["questionId"] for q in grid["questions"]}) == 2
    assert [o["value"] for o in grid["grid"]["columns"]["options"]] == ["1", "2", "3", "4", "5"]


def test_responses_are_paged_in_submission_order(service, form):
    pages, token = [], None
    while True:
        page = service.responses().list(formId=form, pageSize=2, pageToken=token).execute()
        pages.append(page["responses"])
        token = page.get("nextPageToken")
        if not token:
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    answers = [r for p in pages for r in p]
    times = [r["lastSubmittedTime"] for r in answers]
    assert times == sorted(times) and times[0] == "2026-01-05T09:00:00Z"
    first = answers[0]
    assert first["respondentEmail"] == "p4@example.com" and first["createTime"] == times[0]
    values = {a["questionId"]: a["textAnswers"]["answers"][0]["value"] for a in first["answers"].values()}
    assert sorted(values.values()) == ["4", "5", "5", "A-4"]


def test_filter_by_timestamp_and_token_bound_to_its_filter(service, form):
    since = "2026-01-05T11:00:00Z"
    after = service.responses().list(formId=form, filter=f"timestamp > {since}").execute()["responses"]
    from_ = service.responses().list(formId=form, filter=f"timestamp >= {since}").execute()["responses"]
    assert (len(after), len(from_)) == (2, 3)
    page = service.responses().list(formId=form, filter=f"timestamp >= {since}", pageSize=1).execute()
    with pytest.raises(HttpError) as mismatch:
        service.responses().list(formId=form, pageToken=page["nextPageToken"], pageSize=1).execute()
    assert error_body(mismatch.value)["status"] == "INVALID_ARGUMENT"
    for bad in ("timestamp < 2026-01-05T11:00:00Z", "timestamp > 2026-01-05", "respondentEmail = x"):
        with pytest.raises(HttpError) as refused:
            service.responses().list(formId=form, filter=bad).execute()
        assert error_body(refused.value)["code"] == 400
    assert service.responses().list(formId=form, filter="timestamp > 2027-01-01T00:00:00Z").execute() == {}


def test_access_needs_sharing_and_the_right_scopes(fake_google, form):
    private = fake_google.create_form("ลับ", QUESTIONS[:1], shared_with=["other@fake-project.iam.gserviceaccount.com"])
    service = discovery(fake_google, "forms", "v1", credentials(fake_google, FORMS_READ)).forms()
    with pytest.raises(HttpError) as unshared:
        service.get(formId=private).execute()
    assert error_body(unshared.value) == {"code": 403, "message": "The caller does not have permission",
                                      "status": "PERMISSION_DENIED"}
    drive_only = discovery(fake_google, "forms", "v1",
                           credentials(fake_google, ["https://www.googleapis.com/auth/drive.readonly"])).forms()
    drive_only.get(formId=form).execute()
    with pytest.raises(HttpError) as scoped:
        drive_only.responses().list(formId=form).execute()
    assert error_body(scoped.value)["message"] == "Request had insufficient authentication scopes."


def test_seeding_refuses_answers_a_real_form_would_not_take(fake_google, form):
    with pytest.raises(ValueError):
        fake_google.add_form_response(form, {"จังหวัด": "กรุงเทพ"}, START)
    with pytest.raises(KeyError):
        fake_google.add_form_response(form, {"ไม่มีคำถามนี้": "x"}, START)


FORMS_EDIT = ["https://www.googleapis.com/auth/forms.body"]


def short_answer(title: str, index: int) -> dict:
    return {"createItem": {"item": {"title": title, "questionItem": {"question": {"textQuestion": {}}}},
                           "location": {"index": index}}}


def test_batch_update_creates_items_in_order_and_moves_the_revision(fake_google, form):
    editor = discovery(fake_google, "forms", "v1", credentials(fake_google, FORMS_EDIT)).forms()
    before = editor.get(formId=form).execute()
    answer = editor.batchUpdate(formId=form, body={
        "requests": [short_answer("รหัสยืนยัน", 0), short_answer("ท้ายสุด", 6)],
        "writeControl": {"requiredRevisionId": before["revisionId"]}, "includeFormInResponse": True}).execute()
    items = answer["form"]["items"]
    assert [items[0]["title"], items[-1]["title"]] == ["รหัสยืนยัน", "ท้ายสุด"] and len(items) == 7
    made = answer["replies"][0]["createItem"]
    assert made["itemId"] == items[0]["itemId"] and made["questionId"] == [
        items[0]["questionItem"]["question"]["questionId"]]
    assert answer["writeControl"]["requiredRevisionId"] == answer["form"]["revisionId"] != before["revisionId"]
    fake_google.add_form_response(form, {"รหัสยืนยัน": "abc"}, START)  # the new question takes answers
    with pytest.raises(HttpError) as stale:  # written against the revision read before the change
        editor.batchUpdate(formId=form, body={"requests": [short_answer("x", 0)],
                                              "writeControl": {"requiredRevisionId": before["revisionId"]}}).execute()
    assert error_body(stale.value)["code"] == 400


def test_batch_update_is_all_or_nothing_and_checks_the_location(fake_google, form):
    editor = discovery(fake_google, "forms", "v1", credentials(fake_google, FORMS_EDIT)).forms()
    for index in (-1, 7):  # 6 items after the first request: 0 … 6 (6 appends)
        with pytest.raises(HttpError) as refused:
            editor.batchUpdate(formId=form, body={"requests": [short_answer("ก", 0), short_answer("ข", index)]}
                               ).execute()
        assert error_body(refused.value)["code"] == 400
    assert len(editor.get(formId=form).execute()["items"]) == 5


def test_batch_update_needs_the_forms_body_scope_and_an_editor(fake_google, form):
    reader = discovery(fake_google, "forms", "v1", credentials(fake_google, FORMS_READ)).forms()
    with pytest.raises(HttpError) as scoped:
        reader.batchUpdate(formId=form, body={"requests": [short_answer("ก", 0)]}).execute()
    assert error_body(scoped.value)["code"] == 403
    assert error_body(scoped.value)["message"] == "Request had insufficient authentication scopes."
    viewed = fake_google.create_form("ดูได้อย่างเดียว", QUESTIONS[:1], shared_with=[],
                                     viewers=["svc@fake-project.iam.gserviceaccount.com"])
    editor = discovery(fake_google, "forms", "v1", credentials(fake_google, FORMS_EDIT)).forms()
    assert editor.get(formId=viewed).execute()["items"]
    with pytest.raises(HttpError) as denied:
        editor.batchUpdate(formId=viewed, body={"requests": [short_answer("ก", 0)]}).execute()
    assert error_body(denied.value) == {"code": 403, "message": "The caller does not have permission",
                                        "status": "PERMISSION_DENIED"}
