"""Delivery through the sent-mail ledger: every claim ends sent, failed or uncertain, whatever happens after it."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.adapters.state.run_store import RunStore
from app.errors import BackendError, DeliveryUncertain
from app.mail.delivery import deliver
from app.mail.mail_log import OutgoingMail
from tests.assessment.test_reference_mail import outbox, reference_backend, references_only, tracking
from tests.assessment_book import assessment_backend

NOW = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)
SENDER = "noreply@dip.go.th"


def mails(*addresses: str) -> list[OutgoingMail]:
    return [OutgoingMail(f"ref:A-{n:03d}:{to}:invite", to, f"เชิญ A-{n:03d}", "ข้อความ\n")
            for n, to in enumerate(addresses, 1)]


class Raising:
    """A mailer port whose send fails as told (the real adapters' failures are tested in tests/adapters)."""

    def __init__(self, error: BaseException) -> None:
        self.error, self.tried = error, []

    def send(self, message) -> str:
        self.tried.append(message["To"])
        raise self.error


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "state.sqlite", clock=lambda: NOW)


def states(store) -> dict[str, str]:
    return {r.recipient: r.state for r in store.mails()}


def test_a_line_break_in_the_applicants_name_does_not_crash_the_run(tmp_path):
    """Alt+Enter in the name cell put a linefeed into the subject: `ValueError: Header values may not contain
    linefeed` crashed the run and left the mail `sending`."""
    tabs = references_only()  # reference mail alone (applicant mail: tests/assessment/test_applicant_mail.py)
    row = next(r for r in tabs["ผู้สมัคร"][1:] if r[1] == "A-007")
    row[3] = "ผู้สมัคร7\nบรรทัดใหม่"
    backend = assessment_backend("xlsx", tmp_path, tabs=tabs)
    outcome = backend.run()
    assert outcome.status == "ok" and outcome.counts["mails_sent"] == 3
    subjects = {m["Subject"] for m in outbox(tmp_path) if "A-007" in m["Subject"]}
    assert subjects == {"ขอความอนุเคราะห์ตอบแบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม: "
                        "นายผู้สมัคร7 บรรทัดใหม่ ทดสอบ (ใบสมัคร A-007)"}
    assert {r.state for r in backend.services.store.mails()} == {"sent"}


def test_an_address_no_header_can_carry_is_failed_and_the_rest_go_out(store, tmp_path):
    from app.adapters.mailers import OutboxMailer

    counts = deliver(mails("a@example.com\nBcc: x@evil.example", "b@example.com"), store,
                     lambda: OutboxMailer(tmp_path / "outbox"), SENDER, 10, NOW)
    assert (counts["sent"], counts["failed"]) == (1, 1)
    [bad] = [r for r in store.mails() if r.state == "failed"]
    assert "cannot build the message" in bad.error
    assert states(store)["b@example.com"] == "sent"


@pytest.mark.parametrize("error", [RuntimeError("a bug in the mailer"), KeyboardInterrupt(), SystemExit("killed")])
def test_an_unexpected_exception_after_the_claim_leaves_the_mail_uncertain_never_sending(store, error):
    mailer = Raising(error)
    with pytest.raises(type(error)):
        deliver(mails("a@example.com", "b@example.com"), store, lambda: mailer, SENDER, 10, NOW)
    record = store.mail_record("ref:A-001:a@example.com:invite")
    assert record.state == "uncertain" and record.error.startswith("interrupted while sending")
    assert store.mail_record("ref:A-002:b@example.com:invite") is None  # never claimed
    again = Raising(BackendError("unused"))
    deliver(mails("a@example.com"), store, lambda: again, SENDER, 10, NOW)
    assert again.tried == []  # never resent on its own


def test_a_send_whose_answer_was_lost_is_uncertain_and_counted(store):
    mailer = Raising(DeliveryUncertain("SMTP relay: no answer after the message went out"))
    counts = deliver(mails("a@example.com"), store, lambda: mailer, SENDER, 10, NOW)
    assert (counts["sent"], counts["failed"], counts["uncertain"]) == (0, 0, 1)
    assert states(store) == {"a@example.com": "uncertain"}
    assert len(store.counted_since(NOW)) == 1  # it may have gone out: it counts against the daily budget


def test_a_surely_failed_send_is_released_for_the_next_run(store):
    mailer = Raising(BackendError("SMTP relay unreachable (temporary: the next run retries)"))
    counts = deliver(mails("a@example.com"), store, lambda: mailer, SENDER, 10, NOW)
    assert counts["failed"] == 1 and states(store) == {"a@example.com": "failed"}


def test_the_run_shows_a_lost_answer_as_uncertain_and_never_resends_it(tmp_path):
    backend = reference_backend("xlsx", tmp_path)
    lost = Raising(DeliveryUncertain("Gmail: no answer after the request went out"))
    backend.services.mailer = lambda: lost
    outcome = backend.run()
    assert outcome.status == "ok" and outcome.counts["mails_uncertain"] == 3
    assert {r["สถานะ"] for key, r in tracking(backend).items() if key[1] in lost.tried} == {"ไม่แน่ใจว่าส่งแล้ว"}
    del backend.services.mailer
    assert backend.run().counts["mails_sent"] == 0 and outbox(tmp_path) == []


class LosingOnFlush:
    """A mailer port that takes every message but loses those to `lost` when it finishes the deliveries (an
    outbox whose files could not be put in place)."""

    def __init__(self, lost: str) -> None:
        self.lost, self.accepted = lost, {}

    def send(self, message) -> str:
        self.accepted[f"id-{len(self.accepted)}"] = message["To"]
        return f"id-{len(self.accepted) - 1}"

    def flush(self) -> dict[str, str]:
        return {mid: "cannot write mail to outbox" for mid, to in self.accepted.items() if to == self.lost}


def test_a_mail_whose_delivery_fails_when_the_batch_is_finished_is_failed_and_retried(store):
    """The outbox makes its files durable once per batch, before the log records the batch as sent: a file it
    could not place was never delivered, so it is `failed` (the next run sends it), never `sent`."""
    mailer = LosingOnFlush("b@example.com")
    counts = deliver(mails("a@example.com", "b@example.com"), store, lambda: mailer, SENDER, 10, NOW)
    assert (counts["sent"], counts["failed"]) == (1, 1)
    assert states(store) == {"a@example.com": "sent", "b@example.com": "failed"}
    again = LosingOnFlush("nobody")
    deliver(mails("a@example.com", "b@example.com"), store, lambda: again, SENDER, 10, NOW)
    assert list(again.accepted.values()) == ["b@example.com"] and states(store)["b@example.com"] == "sent"
