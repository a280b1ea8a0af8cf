"""Send a workflow's due mails through the sent-mail log: each key at most once, within the daily budget.

Every send is claimed in the log first and settled after: `sent`, `failed` (it surely did not go out: the next run
tries again) or `uncertain` (it may have gone out: shown, never resent on its own). A crash between the claim and
the settlement also reads as `uncertain` — never sent twice, never silently skipped.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable, Protocol, Sequence

from app.mail.mail_log import MailState, OutgoingMail
from app.mail.message import build_message
from app.errors import BackendError, DeliveryUncertain
from app.sync.ports import Mailer

log = logging.getLogger(__name__)
BUDGET_WINDOW = timedelta(days=1)  # the budget counts mails sent in the last 24 hours, as Gmail's quota does
STOP_AFTER_FAILURES = 3  # in a row: the mailer is down or misconfigured, the rest waits for the next run


class MailLog(Protocol):
    """The sent-mail part of the run-state store."""

    def claim_mail(self, key: str, recipient: str, subject: str) -> bool: ...
    def mark_sent(self, key: str, message_id: str) -> None: ...
    def release_mail(self, key: str, error: str) -> None: ...
    def mark_uncertain(self, key: str, error: str) -> None: ...
    def mails(self, prefix: str | None = None) -> list: ...
    def sent_count_since(self, when: datetime) -> int: ...


def mail_states(store: MailLog, prefix: str, namespace: str = "") -> dict[str, MailState]:
    """The log's keys under a job's namespace and a prefix, as the pure workflow sees them (namespace removed)."""
    return {r.key[len(namespace):]: MailState(r.state, r.sent or r.claimed, r.attempts, r.error)
            for r in store.mails(namespace + prefix)}


def deliver(mails: Sequence[OutgoingMail], store: MailLog, mailer: Callable[[], Mailer], sender: str, budget: int,
            now: datetime, namespace: str = "") -> dict[str, int]:
    """Send the mails in order while the budget lasts (one budget for every job: one sender); each key is kept in
    the ledger under the job's namespace. Counts of sent, failed and left for later."""
    allowed = max(0, budget - store.sent_count_since(now - BUDGET_WINDOW))
    counts = {"sent": 0, "failed": 0, "uncertain": 0}
    chosen = list(mails)[:allowed]
    send = mailer() if chosen else None  # built before any claim: a bad mail setting claims nothing
    failures_in_a_row = 0
    for mail in chosen:
        if failures_in_a_row >= STOP_AFTER_FAILURES:
            break
        key = namespace + mail.key
        try:
            message = build_message(sender, mail.to, mail.subject, mail.text)
        except ValueError as exc:  # e.g. an address no mail header can carry: recorded as failed, nothing sent
            if store.claim_mail(key, mail.to, mail.subject):
                store.release_mail(key, f"cannot build the message: {_one_line(exc)}")
                counts["failed"] += 1
            continue
        if not store.claim_mail(key, mail.to, mail.subject):
            continue
        try:
            message_id = send.send(message)
        except DeliveryUncertain as exc:
            store.mark_uncertain(key, str(exc))
            counts["uncertain"] += 1
            failures_in_a_row += 1
            log.warning("mail %s may or may not have gone out: %s", _reference(mail), exc)
            continue
        except BackendError as exc:
            store.release_mail(key, str(exc))
            counts["failed"] += 1
            failures_in_a_row += 1
            log.warning("mail %s not sent: %s", _reference(mail), exc)
            continue
        except BaseException as exc:  # a bug or an interrupt while the send was under way: it may have gone out
            store.mark_uncertain(key, f"interrupted while sending: {_one_line(exc)}")
            raise
        store.mark_sent(key, message_id)
        counts["sent"] += 1
        failures_in_a_row = 0
    counts["later"] = len(mails) - counts["sent"]
    return counts


def _reference(mail: OutgoingMail) -> str:
    """The application number in a key such as `ref:A-001:x@y.th:invite` (never the address, for the log)."""
    parts = mail.key.split(":", 2)
    return parts[1] if len(parts) > 1 else mail.key


def _one_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
