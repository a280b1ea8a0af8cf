"""Send a workflow's due mails through the sent-mail log: each key at most once, within the daily budget.

Every send is claimed in the log first and settled after (sent, or released when it surely failed), so a crash
between the two leaves the key `uncertain` — never sent twice, never silently skipped.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable, Protocol, Sequence

from app.mail.mail_log import MailState, OutgoingMail
from app.mail.message import build_message
from app.errors import BackendError
from app.sync.ports import Mailer

log = logging.getLogger(__name__)
BUDGET_WINDOW = timedelta(days=1)  # the budget counts mails sent in the last 24 hours, as Gmail's quota does
STOP_AFTER_FAILURES = 3  # in a row: the mailer is down or misconfigured, the rest waits for the next run


class MailLog(Protocol):
    """The sent-mail part of the run-state store."""

    def claim_mail(self, key: str, recipient: str, subject: str) -> bool: ...
    def mark_sent(self, key: str, message_id: str) -> None: ...
    def release_mail(self, key: str, error: str) -> None: ...
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
    counts = {"sent": 0, "failed": 0}
    chosen = list(mails)[:allowed]
    send = mailer() if chosen else None  # built before any claim: a bad mail setting claims nothing
    failures_in_a_row = 0
    for mail in chosen:
        if failures_in_a_row >= STOP_AFTER_FAILURES:
            break
        key = namespace + mail.key
        if not store.claim_mail(key, mail.to, mail.subject):
            continue
        try:
            message_id = send.send(build_message(sender, mail.to, mail.subject, mail.text))
        except BackendError as exc:
            store.release_mail(key, str(exc))
            counts["failed"] += 1
            failures_in_a_row += 1
            log.warning("mail %s not sent: %s", mail.key.split(":", 2)[1], exc)
            continue
        store.mark_sent(key, message_id)
        counts["sent"] += 1
        failures_in_a_row = 0
    counts["later"] = len(mails) - counts["sent"]
    return counts
