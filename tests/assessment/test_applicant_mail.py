"""Mail to applicants (seed 004 6.5 and 6.8): the interview invitation with the topics to be asked, the result once the
committee voted; Thai templates as data; through the same ledger as reference mail — once each, even after a crash."""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from app.assessment.applicant_mail import Template, applicant_mails, load_templates, summary_ledger
from app.assessment.scoring import FAIL, INSUFFICIENT, PASS
from app.assessment.stages import ANNOUNCED, COMMITTEE, FAILED_STAGE, INTERVIEWING, NOT_APPROVED
from app.mail.mail_log import MailState
from app.sheets.layout_files import SCHEMA_DIR, SchemaError, load_workbook_spec
from tests.assessment.test_reference_mail import CrashAfterHandingOver, outbox
from tests.assessment.test_sync_assessment import OVERVIEW, by_number
from tests.assessment_book import assessment_backend
from tests.seed_quotes import seed_says

SETTINGS = load_workbook_spec("assessment").setting_defaults()
NAMES = pd.Series({"C1": "ความรู้ในสาขา", "C3": "การวางแผนงาน", "C5": "การสื่อสาร"})
ZONE = timezone.utc
NOTIFY_INTERVIEW = "6.5 แจ้งผู้ที่ “ข้อมูลไม่เพียงพอ” เข้ารับการสัมภาษณ์"
APPROVED_THEN_ANNOUNCED = ("เมื่อคณะกรรมการฯ ให้ความเห็นชอบแล้ว จึงถือว่า “ผ่านการประเมิน” โดยสมบูรณ์ และ "
                           "ประกาศผลให้ทราบในล าดับต่อไป")


def applicant(stage: str, *, interview_due=False, meeting=None, note=None, interviewed=False) -> pd.DataFrame:
    return pd.DataFrame({"full_name": ["นายผู้สมัคร1 ทดสอบ"], "email": ["applicant1@example.com"], "stage": [stage],
                         "interview_due": [interview_due], "interviewed": [interviewed],
                         "meeting_date": [pd.Timestamp(meeting) if meeting else pd.NaT], "committee_note": [note]},
                        index=pd.Index(["A-001"], name="application_no"))


def verdicts(*letters: str) -> pd.DataFrame:
    return pd.DataFrame([list(letters)], index=["A-001"], columns=["C1", "C3", "C5"])


def due(people: pd.DataFrame, log=None, before=(PASS, INSUFFICIENT, INSUFFICIENT), after=None, **settings):
    both = (verdicts(*before), verdicts(*(after or before)))
    return applicant_mails(people, both, NAMES, log or {}, {**SETTINGS, **settings}, load_templates(), ZONE)


def test_the_interview_invitation_lists_the_topics_still_insufficient():
    """Seed 004: "6.5 แจ้งผู้ที่ “ข้อมูลไม่เพียงพอ” เข้ารับการสัมภาษณ์"."""
    seed_says("004", NOTIFY_INTERVIEW)
    mails, notes = due(applicant(INTERVIEWING, interview_due=True))
    (mail,) = mails
    assert (mail.key, mail.to) == ("app:A-001:interview", "applicant1@example.com")
    assert mail.subject == "แจ้งเข้ารับการสัมภาษณ์ การประเมินสมรรถนะร่วมที่ปรึกษาอุตสาหกรรม (ใบสมัคร A-001)"
    assert "- [C3] การวางแผนงาน\n- [C5] การสื่อสาร\n" in mail.text and "[C1]" not in mail.text
    assert "คณะทำงานจะติดต่อท่านเพื่อนัดหมาย" in mail.text and "กำหนดการสัมภาษณ์:" not in mail.text  # no schedule set
    assert "ติดต่อสอบถาม" not in mail.text  # no contact set: the line is left out
    assert notes.tolist() == ["เชิญสัมภาษณ์: รอส่ง"]
    scheduled, _ = due(applicant(INTERVIEWING, interview_due=True), interview_schedule="25/11/2569 ห้อง 301",
                       applicant_contact="02-202-4414")
    assert "กำหนดการสัมภาษณ์: 25/11/2569 ห้อง 301" in scheduled[0].text and "จะติดต่อท่าน" not in scheduled[0].text
    assert "ติดต่อสอบถาม: 02-202-4414" in scheduled[0].text


def test_a_mail_in_the_ledger_is_not_due_again_unless_it_failed_with_tries_left():
    sent_at = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)
    for state, again in (("sent", False), ("uncertain", False), ("sending", False), ("failed", True)):
        log = {"app:A-001:interview": MailState(state, sent_at, 1, "451 busy" if state == "failed" else None)}
        mails, notes = due(applicant(INTERVIEWING, interview_due=True), log)
        assert bool(mails) == again, state
    log = {"app:A-001:interview": MailState("sent", sent_at)}
    assert due(applicant(INTERVIEWING, interview_due=True), log)[1].tolist() == ["เชิญสัมภาษณ์: ส่งแล้ว 21/11/2569 03:00"]


def test_no_invitation_when_not_due():
    assert due(applicant(INTERVIEWING, interview_due=False))[0] == []  # interviewed already, or evidence pending
    assert due(applicant(COMMITTEE))[0] == []  # passed: waiting for the committee, nothing to tell yet
    assert due(applicant(INTERVIEWING, interview_due=True), mail_applicants=False)[0] == []


def test_the_result_once_the_committee_approved():
    """Seed 004 6.8: "เมื่อคณะกรรมการฯ ให้ความเห็นชอบแล้ว จึงถือว่า “ผ่านการประเมิน” โดยสมบูรณ์ และ ประกาศผลให้ทราบ
    ในล าดับต่อไป"."""
    seed_says("004", APPROVED_THEN_ANNOUNCED)
    (mail,), _ = due(applicant(ANNOUNCED, meeting="2026-11-20"))
    assert mail.key == "app:A-001:result" and "ผ่านการประเมิน" in mail.subject
    assert "ในการประชุมเมื่อวันที่ 20/11/2569" in mail.text


@pytest.mark.parametrize("note", ["ขอให้ส่งผลงานเพิ่มเติม", None])
def test_the_result_when_the_committee_did_not_approve(note):
    (mail,), _ = due(applicant(NOT_APPROVED, meeting="2026-11-20", note=note))
    assert "มีมติไม่ให้ความเห็นชอบ" in mail.text
    assert ("หมายเหตุของคณะกรรมการ: ขอให้ส่งผลงานเพิ่มเติม" in mail.text) == bool(note)
    assert "หมายเหตุของคณะกรรมการ" in mail.text or note is None


def test_a_failed_applicant_is_told_only_when_the_settings_say_so():
    failed = applicant(FAILED_STAGE, interviewed=True)
    assert due(failed)[0] == []
    (mail,), _ = due(failed, after=(PASS, FAIL, FAIL), notify_failed=True)
    assert "หัวข้อสมรรถนะที่ไม่ผ่าน: [C3] การวางแผนงาน, [C5] การสื่อสาร" in mail.text
    assert "แบบประเมินจากบุคคลอ้างอิง และการสัมภาษณ์แล้ว" in mail.text


def test_a_template_using_an_unknown_field_stops_with_one_line(tmp_path):
    folder = tmp_path / "schema"
    folder.mkdir()
    text = (SCHEMA_DIR / "mail_templates.yaml").read_text(encoding="utf-8")
    (folder / "mail_templates.yaml").write_text(text.replace("{meeting_date}\n", "{meeting_day}\n", 1),
                                                encoding="utf-8")
    with pytest.raises(SchemaError, match=r"mail_templates.yaml: result_approved.body: unknown field \{meeting_day\}"):
        load_templates(folder)


def test_a_body_line_whose_fields_are_all_empty_is_left_out():
    template = Template("s {application_no}", "a\nb: {contact}\nc {full_name}\n")
    assert template.render({"application_no": "1", "contact": "", "full_name": "x"}) == ("s 1", "a\nc x\n")


def summary_mail(backend) -> dict[str, str]:
    return {number: row["อีเมลถึงผู้สมัคร"] for number, row in by_number(backend).items() if row["อีเมลถึงผู้สมัคร"]}


def to_applicants(tmp_path) -> list:
    return [m for m in outbox(tmp_path) if m["To"].startswith("applicant")]


def test_each_applicant_mail_goes_once_and_is_shown_in_the_summary(tmp_path):
    backend = assessment_backend("xlsx", tmp_path)
    backend.run()
    sent = {m["To"]: m for m in to_applicants(tmp_path)}
    assert set(sent) == {"applicant1@example.com", "applicant2@example.com"}  # A-001 approved; A-002 interview
    body = sent["applicant2@example.com"].get_body(("plain",)).get_content()
    assert "- [C3] การวางแผนงาน" in body and "- [C1]" not in body  # A-002's insufficient topics C3, C4, C5
    assert summary_mail(backend) == {"A-001": "แจ้งผล: ส่งแล้ว 21/11/2569 10:00",
                                     "A-002": "เชิญสัมภาษณ์: ส่งแล้ว 21/11/2569 10:00"}
    overview = {row[0]: row[1] for row in backend.read(OVERVIEW)[1:]}
    assert overview["อีเมลเชิญผู้สมัครเข้ารับการสัมภาษณ์ที่ส่งแล้ว (ฉบับ)"] == 1
    assert overview["อีเมลแจ้งผลการประเมินถึงผู้สมัครที่ส่งแล้ว (ฉบับ)"] == 1
    backend.clock.advance(days=1)
    assert backend.run().counts["mails_sent"] == 0 and len(to_applicants(tmp_path)) == 2


class CrashOnApplicantMail(CrashAfterHandingOver):
    """Reference mail goes through; the process dies right after the relay took the first applicant mail."""

    def send(self, message) -> str:
        if message["To"].startswith("applicant"):
            return super().send(message)
        return "<ok@example>"


def test_a_crash_between_sending_and_recording_an_applicant_mail_never_sends_it_twice(tmp_path):
    backend = assessment_backend("xlsx", tmp_path)
    crashing = CrashOnApplicantMail()
    backend.services.mailer = lambda: crashing
    with pytest.raises(SystemExit):
        backend.run()
    assert crashing.handed_over == ["applicant2@example.com"]  # the interview invitation, first in line
    del backend.services.mailer
    backend.clock.advance(minutes=20)  # the interrupted claim is now 'uncertain'
    assert backend.run().counts["mails_sent"] == 1  # A-001's result only
    assert [m["To"] for m in to_applicants(tmp_path)] == ["applicant1@example.com"]
    assert summary_mail(backend)["A-002"].startswith("เชิญสัมภาษณ์: ไม่แน่ใจว่าส่งแล้ว")
    assert backend.run().counts["mails_sent"] == 0


def test_the_summary_column_read_back_as_a_ledger():
    tab = load_workbook_spec("assessment").tab("summary")
    grid = [["เลขที่ใบสมัคร", "อีเมลถึงผู้สมัคร"],
            ["A-001", "เชิญสัมภาษณ์: ส่งแล้ว 21/11/2569 10:00; แจ้งผล: ไม่แน่ใจว่าส่งแล้ว (ตรวจบันทึกอีเมลก่อนส่งเอง)"],
            ["A-002", "แจ้งผล: รอส่ง"], ["A-003", None]]
    now = datetime(2026, 11, 22, tzinfo=ZONE)
    assert summary_ledger(tab, grid, now) == {"app:A-001:interview": MailState("sent", datetime(2026, 11, 21, 10,
                                                                                                tzinfo=ZONE)),
                                              "app:A-001:result": MailState("uncertain", now)}
