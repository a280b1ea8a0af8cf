"""Reference mail through a whole run: outbox by default, a real SMTP server (aiosmtpd), Gmail on the fake server;
the daily budget, reminders, retries, and a crash between sending and recording that must not send twice."""
from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from app.assessment.reference_links import reference_token
from tests.assessment_book import SECRET, answer, assessment_backend, workbook
from tests.adapters.test_mailers import Recorder, free_port
from tests.assessment.test_sync_assessment import OVERVIEW, TRACKING, by_number, records

DUE = {("A-007", "ref2.a-007@example.com"), ("A-007", "ref3.a-007@example.com"), ("A-011", "ref2.a-011@example.com")}


def references_only() -> dict:
    """The test workbook with mail to applicants switched off: these tests follow reference mail alone
    (tests/assessment/test_applicant_mail.py follows the applicants')."""
    tabs = workbook()
    tabs["ตั้งค่า"].append(["ส่งอีเมลถึงผู้สมัคร", "ไม่ใช่"])
    return tabs


def reference_backend(kind: str, tmp_path, fake=None, **mail):
    return assessment_backend(kind, tmp_path, fake, tabs=references_only(), **mail)


def outbox(tmp_path) -> list:
    folder = tmp_path / "outbox"
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))] \
        if folder.exists() else []


def sent_to(messages) -> set[tuple[str, str]]:
    """(application number, recipient) of each message, the number read from the subject."""
    return {(m["Subject"].rsplit("ใบสมัคร ", 1)[1].rstrip(")"), m["To"]) for m in messages}


def tracking(backend) -> dict[tuple[str, str], dict]:
    return {(r["เลขที่ใบสมัคร"], r["อีเมล"]): r for r in records(backend, TRACKING) if r["สถานะ"] != "ไม่นับคำตอบ"}


def test_invitations_land_in_the_outbox_in_thai_with_the_personal_link(tmp_path):
    backend = reference_backend("xlsx", tmp_path)
    backend.run()
    messages = outbox(tmp_path)
    assert sent_to(messages) == DUE
    message = next(m for m in messages if m["To"] == "ref2.a-007@example.com")
    body = message.get_body(("plain",)).get_content()
    token = reference_token(SECRET, "A-007", "ref2.a-007@example.com")
    assert message["Subject"] == ("ขอความอนุเคราะห์ตอบแบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม: "
                                  "นายผู้สมัคร7 ทดสอบ (ใบสมัคร A-007)")
    assert body.startswith("เรียน นายอ้างอิง2 A-007")
    assert "นายผู้สมัคร7 ทดสอบ" in body and "ภายในวันที่ 05/12/2569" in body  # 14 days from today
    assert f"viewform?usp=pp_url&entry.1000001=A-007&entry.1000002={token}" in body
    assert message["From"] == "noreply@example.go.th"


@pytest.fixture
def smtp_server():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def test_a_real_smtp_server_receives_each_invitation_once(smtp_server, tmp_path):
    handler, port = smtp_server
    backend = reference_backend("xlsx", tmp_path, backend="smtp", smtp_host="127.0.0.1", smtp_port=port,
                                 sender="assessment@dip.go.th")
    backend.run()
    backend.run()
    received = [message_from_bytes(content, policy=policy.default) for _, _, content in handler.received]
    assert sent_to(received) == DUE and len(received) == 3
    assert {mail_from for mail_from, _, _ in handler.received} == {"assessment@dip.go.th"}


def test_gmail_sends_as_the_delegated_user(fake_google, tmp_path):
    backend = reference_backend("google", tmp_path, fake_google, backend="gmail",
                                 gmail_delegated_user="assessment@dip.go.th")
    backend.run()
    backend.run()
    sent = fake_google.sent_messages
    assert {m["subject"] for m in sent} == {"assessment@dip.go.th"} and len(sent) == 3
    assert sent_to(message_from_bytes(m["raw"], policy=policy.default) for m in sent) == DUE
    assert not (tmp_path / "outbox").exists()


def test_the_daily_budget_leaves_the_rest_for_the_next_day(tmp_path):
    backend = reference_backend("xlsx", tmp_path, daily_budget=2)
    first = backend.run()
    assert (first.counts["mails_sent"], first.counts["mails_waiting"]) == (2, 1)
    waiting = [key for key, row in tracking(backend).items() if row["สถานะ"] == "รอส่ง"]
    assert len(waiting) == 1 and {row[0]: row[1] for row in backend.read(OVERVIEW)}[
        "อีเมลที่รอส่งรอบถัดไป (ฉบับ)"] == 1
    backend.clock.advance(hours=12)
    assert backend.run().counts["mails_sent"] == 0
    backend.clock.advance(hours=12, minutes=1)
    assert backend.run().counts["mails_sent"] == 1
    assert sent_to(outbox(tmp_path)) == DUE and len(outbox(tmp_path)) == 3


def test_only_the_mails_the_budget_lets_go_are_written_and_the_waiting_count_stays_exact(tmp_path):
    backend = reference_backend("xlsx", tmp_path, daily_budget=1)  # reference mail only: applicant mail off
    first = backend.run()
    assert (first.counts["mails_sent"], first.counts["mails_waiting"]) == (1, 2)
    backend.clock.advance(hours=1)
    again = backend.run()  # the budget is spent: nothing is built or sent, and the tabs stay as they are
    assert (again.counts["mails_sent"], again.counts["mails_waiting"], again.counts["cells_written"]) == (0, 2, 0)


def test_reminders_every_few_days_up_to_the_maximum_and_not_after_an_answer(tmp_path):
    backend = reference_backend("xlsx", tmp_path)
    backend.run()
    backend.clock.advance(days=2, hours=23)
    assert backend.run().counts["mails_sent"] == 0  # not yet three days
    backend.clock.advance(hours=1)
    assert backend.run().counts["mails_sent"] == 3
    assert all(m["Subject"].startswith("[แจ้งเตือนครั้งที่ 1]") for m in outbox(tmp_path)[3:])
    row = len(workbook()["แบบประเมินบุคคลอ้างอิง"]) + 1
    for col, value in enumerate(answer("A-007", 2, [4] * 6, day=22), start=1):  # A-007's second reference answers
        backend.edit("แบบประเมินบุคคลอ้างอิง", row, col, value)
    backend.clock.advance(days=3)
    backend.run()
    reminders = outbox(tmp_path)[6:]
    assert sent_to(reminders) == {("A-011", "ref2.a-011@example.com")}  # A-007 has its two answers now
    assert reminders[0]["Subject"].startswith("[แจ้งเตือนครั้งที่ 2]")
    backend.clock.advance(days=3)
    assert backend.run().counts["mails_sent"] == 0  # at most two reminders
    followed = tracking(backend)
    assert followed[("A-011", "ref2.a-011@example.com")]["จำนวนครั้งที่เตือน"] == 2
    assert followed[("A-007", "ref2.a-007@example.com")]["สถานะ"] == "ตอบแล้ว"
    assert by_number(backend)["A-007"]["ผลการประเมิน"] == "ผ่านการประเมิน"
    backend.clock.advance(days=6)  # 15 days after the invitation: the wait is over
    backend.run()
    assert tracking(backend)[("A-011", "ref2.a-011@example.com")]["สถานะ"] == "หมดเวลารอ"
    assert by_number(backend)["A-011"]["ผลการประเมิน"] == "ผ่านการประเมิน"


def test_a_refused_mail_is_retried_next_run_then_given_up(smtp_server, tmp_path):
    handler, port = smtp_server
    handler.recipient_reply = "451 4.3.0 Mailbox busy, try later"
    backend = reference_backend("xlsx", tmp_path, backend="smtp", smtp_host="127.0.0.1", smtp_port=port)
    outcome = backend.run()
    assert (outcome.counts["mails_sent"], outcome.counts["mails_failed"]) == (0, 3)
    row = tracking(backend)[("A-007", "ref2.a-007@example.com")]
    assert row["สถานะ"] == "ส่งไม่สำเร็จ" and "451" in row["ข้อสังเกต"] and "จะส่งใหม่" in row["ข้อสังเกต"]
    backend.run()
    backend.run()
    assert backend.run().counts["mails_failed"] == 0  # three tries each: given up
    assert "ส่งไม่สำเร็จหลายครั้ง" in tracking(backend)[("A-007", "ref2.a-007@example.com")]["ข้อสังเกต"]
    assert handler.received == []


class CrashAfterHandingOver:
    """A mailer whose process dies right after the relay took the message (before the log could record it)."""

    def __init__(self) -> None:
        self.handed_over: list[str] = []

    def send(self, message) -> str:
        self.handed_over.append(message["To"])
        raise SystemExit("killed")

    def flush(self) -> dict[str, str]:
        return {}


def test_a_crash_between_sending_and_recording_never_sends_twice(tmp_path):
    backend = reference_backend("xlsx", tmp_path)
    crashing = CrashAfterHandingOver()
    backend.services.mailer = lambda: crashing
    with pytest.raises(SystemExit):
        backend.run()
    del backend.services.mailer  # the restarted service has its real mailer again
    backend.clock.advance(minutes=20)  # the interrupted claim is now 'uncertain'
    outcome = backend.run()
    assert outcome.counts["mails_sent"] == 2
    first = crashing.handed_over[0]
    assert first not in {m["To"] for m in outbox(tmp_path)}
    row = next(r for key, r in tracking(backend).items() if key[1] == first)
    assert row["สถานะ"] == "ไม่แน่ใจว่าส่งแล้ว"
    assert backend.run().counts["mails_sent"] == 0
