"""Reference persons: tokens, personal links, matching answers and their flags, and which mails are due."""
from __future__ import annotations

import hashlib
import hmac
from datetime import timezone
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from app.mail.mail_log import MailState
from app.assessment.reference_links import PrefillForm, reference_token
from app.assessment.reference_mail import MailRules, history, plan
from app.assessment.references import _TITLES, _name_key, match_answers, named_references

SECRET = b"k"
BANGKOK = ZoneInfo("Asia/Bangkok")
NOW = pd.Timestamp(2026, 11, 21, 10)


def test_token_is_an_hmac_of_number_and_email_normalised():
    expected = hmac.new(SECRET, b"A-001|ref@example.com", hashlib.sha256).hexdigest()[:16]
    assert reference_token(SECRET, " a-001 ", "Ref@Example.com ") == expected
    assert reference_token(b"other", "A-001", "ref@example.com") != expected


def test_personal_link_is_the_prefilled_url():
    form = PrefillForm("https://docs.google.com/forms/d/e/X/viewform",
                       {"application_no": "entry.1", "token": "entry.2"})
    assert form.link({"application_no": "A 1/2", "token": "ab"}) == (
        "https://docs.google.com/forms/d/e/X/viewform?usp=pp_url&entry.1=A%201%2F2&entry.2=ab")
    assert PrefillForm("https://x/viewform?hl=th", form.entries).link({"token": "t"}).startswith(
        "https://x/viewform?hl=th&usp=pp_url&entry.2=t")
    assert PrefillForm("u", {"token": "entry.2"}).missing(("application_no", "token")) == ["application_no"]


def applicants(*rows: dict) -> pd.DataFrame:
    base = {"first_name": "สมชาย", "last_name": "ใจดี", "email": "me@example.com", "phone": "0812345678",
            **{f"reference{i}_{part}": None for i in (1, 2, 3) for part in ("name", "email")}}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_named_references_flag_self_and_repeated_people():
    refs = named_references(applicants({
        "application_no": "A-1", "reference1_name": "นายสมชาย ใจดี", "reference1_email": "other@example.com",
        "reference2_name": "ดร.เพื่อน ดี", "reference2_email": "friend@example.com",
        "reference3_name": "คุณเพื่อน ดี", "reference3_email": "friend2@example.com"}, {
        "application_no": "A-2", "reference1_name": "ผู้อ้างอิง", "reference1_email": "me@example.com",
        "reference2_name": "ไม่มีอีเมล", "reference3_name": "โทร", "reference3_email": "0812345678@sms.example.com"},
    ), SECRET)
    skip = dict(zip(zip(refs["application_no"], refs["slot"]), refs["skip"]))
    assert "self-reference" in skip[("A-1", 1)]  # the applicant's own name
    assert skip[("A-1", 2)] == "" and "บุคคลอ้างอิง 2" in skip[("A-1", 3)]  # same name under another title
    assert "self-reference" in skip[("A-2", 1)]  # the applicant's own email
    assert "no usable email" in skip[("A-2", 2)]
    assert "self-reference" in skip[("A-2", 3)]  # the applicant's own phone number
    assert refs.loc[refs["slot"] == 2, "token"].iloc[0] == reference_token(SECRET, "A-1", "friend@example.com")


def answers(*rows: dict) -> pd.DataFrame:
    base = {"timestamp": NOW, "respondent_email": None, "token": None, "reviewer_name": "ผู้ตอบ", "topic:C1": 4}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame.insert(0, "_row", range(2, len(frame) + 2))
    return frame


@pytest.fixture
def refs():
    return named_references(applicants({
        "application_no": "A-1", "reference1_name": "หนึ่ง", "reference1_email": "one@example.com",
        "reference2_name": "สอง", "reference2_email": "two@example.com"}), SECRET)


def token(email: str) -> str:
    return reference_token(SECRET, "A-1", email)


def match(refs, frame, allow=False):
    return match_answers(frame, refs, pd.Series(["A-1"]), ["C1"], allow_unverified=allow, tab="แบบประเมิน",
                         number_header="เลขที่ใบสมัคร")


def test_answers_match_by_number_and_token_the_latest_counts(refs):
    found = match(refs, answers(
        {"application_no": "A-1", "token": token("one@example.com"), "topic:C1": 1,
         "timestamp": NOW - pd.Timedelta(days=1)},
        {"application_no": "A-1", "token": token("one@example.com").upper() + " ", "topic:C1": 5,
         "respondent_email": "one@example.com"},
        {"application_no": "A-1", "token": "forged", "respondent_email": "two@example.com"},
        {"application_no": "A-9", "token": token("one@example.com")}))
    counted = found.references.set_index("email")
    assert counted.at["one@example.com", "counted"] and not counted.at["two@example.com", "counted"]
    assert list(found.ratings["C1"]) == [5.0]
    assert "the latest answer counts" in counted.at["one@example.com", "remarks"]
    assert list(found.strays["email"]) == ["two@example.com"]
    assert [(p.row, p.value) for p in found.problems] == [(5, "A-9")]


def test_an_answer_without_a_token_counts_only_when_the_setting_allows(refs):
    frame = answers({"application_no": "A-1", "respondent_email": "two@example.com"})
    assert not match(refs, frame).references["counted"].any()
    allowed = match(refs, frame, allow=True).references.set_index("email")
    assert allowed.at["two@example.com", "counted"] and "counted by setting" in allowed.at["two@example.com", "remarks"]


def test_an_answer_from_another_address_counts_and_is_noted(refs):
    found = match(refs, answers({"application_no": "A-1", "token": token("two@example.com"),
                                 "respondent_email": "two@work.example.com", "topic:C1": "ไม่ทราบ"}))
    row = found.references.set_index("email").loc["two@example.com"]
    assert row["counted"] and "two@work.example.com" in row["remarks"]
    assert found.ratings["C1"].isna().all()  # ไม่ทราบ is no rating


def by_email(refs, frame):
    return match_answers(frame, refs, refs["application_no"].drop_duplicates(), ["C1"], allow_unverified=False,
                         tab="แบบประเมิน", number_header="เลขที่ใบสมัคร", email_header="ที่อยู่อีเมล",
                         asks_token=False)


def test_a_form_without_the_link_questions_counts_an_answer_by_its_collected_email():
    """Officers' reference forms ask neither the number nor the token: the invited address decides; an address two
    applicants named cannot be placed, one nobody invited neither, and an answer with no address is reported."""
    refs = named_references(applicants(
        {"application_no": "A-1", "reference1_name": "หนึ่ง", "reference1_email": "one@example.com",
         "reference2_name": "สอง", "reference2_email": "both@example.com"},
        {"application_no": "A-2", "email": "me2@example.com", "reference1_name": "สอง",
         "reference1_email": "both@example.com"}), SECRET)
    found = by_email(refs, answers({"application_no": None, "respondent_email": "one@example.com", "topic:C1": 5},
                                   {"application_no": None, "respondent_email": "both@example.com"},
                                   {"application_no": None, "respondent_email": "stranger@example.com"},
                                   {"application_no": None, "respondent_email": None}))
    counted = found.references.set_index(["application_no", "email"])
    assert counted["counted"].to_dict() == {("A-1", "one@example.com"): True, ("A-1", "both@example.com"): False,
                                            ("A-2", "both@example.com"): False}
    assert "counted because the collected email is the invited one" in counted.at[("A-1", "one@example.com"),
                                                                                 "remarks"]
    assert list(found.ratings["C1"]) == [5.0]
    assert [(p.row, p.column, p.value) for p in found.problems] == [
        (3, "ที่อยู่อีเมล", "both@example.com"), (4, "ที่อยู่อีเมล", "stranger@example.com"), (5, "ที่อยู่อีเมล", "")]
    assert "A-1, A-2" in found.problems[0].problem and "not invited" not in found.problems[0].problem
    assert "no invited reference" in found.problems[1].problem and "no collected email" in found.problems[2].problem


def test_a_form_that_asks_the_number_but_no_token_matches_number_and_email(refs):
    found = by_email(refs, answers({"application_no": "A-1", "respondent_email": "two@example.com"},
                                   {"application_no": "A-1", "respondent_email": "someone@example.com"}))
    counted = found.references.set_index("email")["counted"]
    assert counted.to_dict() == {"one@example.com": False, "two@example.com": True}
    assert list(found.strays["email"]) == ["someone@example.com"]
    assert "no invited reference" in found.strays["remarks"].iat[0] and not found.problems


def test_blank_token_answers_from_before_forms_prepare_still_count_by_email(refs):
    """After `forms prepare` the form asks the token; earlier answers have none and keep counting by email, later
    ones without a token do not (unless the setting says so)."""
    frame = answers({"application_no": None, "respondent_email": "one@example.com",
                     "timestamp": NOW - pd.Timedelta(days=2)},
                    {"application_no": "A-1", "respondent_email": "two@example.com"})
    found = match_answers(frame, refs, pd.Series(["A-1"]), ["C1"], allow_unverified=False, tab="แบบประเมิน",
                          number_header="เลขที่ใบสมัคร", email_header="ที่อยู่อีเมล",
                          asked_since=NOW - pd.Timedelta(days=1))
    counted = found.references.set_index("email")["counted"]
    assert counted.to_dict() == {"one@example.com": True, "two@example.com": False}
    assert "token invalid or missing" in found.strays["remarks"].iat[0]


def test_a_form_asking_neither_link_question_gets_its_plain_url(refs):
    people = refs.assign(answers=0, counted=False, remarks="")
    sent = history(people, {}, BANGKOK, RULES)
    bare = PrefillForm("https://f/viewform", {})
    tracking, mails, _due = plan(people, sent, PEOPLE, bare, NOW, RULES)
    assert list(tracking["link"]) == ["https://f/viewform"] * 2 and len(mails) == 2
    number_only = PrefillForm("https://f/viewform", {"application_no": "entry.1"})
    tracking, _mails, _due = plan(people, sent, PEOPLE, number_only, NOW, RULES)
    assert list(tracking["link"]) == ["https://f/viewform?usp=pp_url&entry.1=A-1"] * 2


RULES = MailRules(wait_days=14, every_days=3, max_reminders=2)
PEOPLE = pd.DataFrame({"full_name": ["นายสมชาย ใจดี"], "qualification": ["ผ่าน"], "pending": [True]},
                      index=["A-1"])
FORM = PrefillForm("https://f/viewform", {"application_no": "entry.1", "token": "entry.2"})


def due(refs, log, now=NOW, people=PEOPLE, answered=()):
    refs = refs.assign(answers=refs["email"].isin(answered).astype(int), counted=refs["email"].isin(answered),
                       remarks="")
    sent = history(refs, log, BANGKOK, RULES)
    tracking, mails, _due = plan(refs, sent, people, FORM, now, RULES)
    return tracking.set_index(refs["email"]), [m.key for m in mails]


def state(kind: str, days_ago: float, attempts: int = 1, error: str | None = None) -> MailState:
    when = (NOW - pd.Timedelta(days=days_ago)).round("s").tz_localize(BANGKOK).tz_convert(timezone.utc).to_pydatetime()
    return MailState(kind, when, attempts, error)


KEY = "ref:A-1:one@example.com:"


def test_invitations_first_then_reminders_when_due(refs):
    tracking, keys = due(refs, {})
    assert keys == [KEY + "invite", "ref:A-1:two@example.com:invite"] and set(tracking["status"]) == {"รอส่ง"}
    _, keys = due(refs, {KEY + "invite": state("sent", 2.9), "ref:A-1:two@example.com:invite": state("sent", 3)})
    assert keys == ["ref:A-1:two@example.com:reminder:1"]
    log = {KEY + "invite": state("sent", 10), KEY + "reminder:1": state("sent", 7),
           KEY + "reminder:2": state("sent", 4)}
    tracking, keys = due(refs, log, answered=("two@example.com",))
    assert keys == [] and tracking.at["one@example.com", "status"] == "รอคำตอบ"  # no third reminder


def test_no_mail_once_answered_decided_or_unqualified(refs):
    assert due(refs, {}, answered=("one@example.com", "two@example.com"))[1] == []
    assert due(refs, {}, people=PEOPLE.assign(pending=False))[1] == []
    tracking, keys = due(refs, {}, people=PEOPLE.assign(qualification="ไม่ผ่าน"))
    assert keys == [] and set(tracking["status"]) == {"ไม่ส่ง"} and set(tracking["link"]) == {""}


def test_failed_mails_are_retried_uncertain_ones_never(refs):
    log = {KEY + "invite": state("failed", 0.1, attempts=2, error="451 busy"),
           "ref:A-1:two@example.com:invite": state("uncertain", 0.1)}
    tracking, keys = due(refs, log)
    assert keys == [KEY + "invite"]
    assert tracking.at["one@example.com", "status"] == "ส่งไม่สำเร็จ" and "451 busy" in tracking.at[
        "one@example.com", "remarks"]
    assert tracking.at["two@example.com", "status"] == "ไม่แน่ใจว่าส่งแล้ว"
    tracking, keys = due(refs, {KEY + "invite": state("failed", 0.1, attempts=3)})
    assert KEY + "invite" not in keys and "gave up" in tracking.at["one@example.com", "remarks"]


def test_the_wait_ends_fourteen_days_after_the_invitation(refs):
    log = {KEY + "invite": state("sent", 14), KEY + "reminder:1": state("sent", 11),
           KEY + "reminder:2": state("sent", 8)}
    tracking, _ = due(refs, log, answered=("two@example.com",))
    assert tracking.at["one@example.com", "status"] == "หมดเวลารอ"


def test_only_the_first_mails_within_the_limit_are_written_the_count_is_all_due(refs):
    refs = refs.assign(answers=0, counted=False, remarks="")
    sent = history(refs, {KEY + "invite": state("sent", 3)}, BANGKOK, RULES)
    _tracking, mails, count = plan(refs, sent, PEOPLE, FORM, NOW, RULES, limit=1)
    assert [m.key for m in mails] == ["ref:A-1:two@example.com:invite"] and count == 2  # invitations first
    assert plan(refs, sent, PEOPLE, FORM, NOW, RULES, limit=0)[1:] == ([], 2)


def test_name_key_is_the_pandas_text_chain_in_one_pass():
    """_name_key reads each name once; it must give what pandas' strip / casefold / replace / split / join gave."""
    def chained(names):
        text = names.fillna("").astype(str).str.strip().str.casefold().str.replace(_TITLES, "", regex=True)
        return text.str.split().str.join(" ").fillna("")

    names = pd.Series(["นาย สมชาย  ใจดี", None, float("nan"), "ดร.สมศรี", " Mr. John  SMITH ", "", "นางสาว", 5, "ẞtraße",
                       "a\u00a0b", "น.ส. นางสาว ก"], index=range(3, 14))
    got, expected = _name_key(names), chained(names)
    assert got.tolist() == expected.tolist() and got.dtype == expected.dtype and got.index.equals(expected.index)


def test_links_encode_as_quote_does_whether_or_not_a_value_needs_it():
    """PrefillForm.links leaves values quote() would leave as they are without calling it; the links are the same."""
    from urllib.parse import quote

    form = PrefillForm("https://docs.google.com/forms/d/e/x/viewform", {"a": "entry.1", "b": "entry.2"})
    values = ["A2569-0001", "ab_c.d~e-f", "", "ก ข", "a/b?c=d&e", "x y", "%41", "ab12cd34ef56ab78"]
    links = form.links({"a": pd.Series(values), "b": pd.Series(values[::-1])})
    assert links.tolist() == [f"https://docs.google.com/forms/d/e/x/viewform?usp=pp_url&entry.1={quote(a, safe='')}"
                              f"&entry.2={quote(b, safe='')}" for a, b in zip(values, values[::-1])]
