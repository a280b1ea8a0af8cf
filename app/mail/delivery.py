"""Send a workflow's due mails through the sent-mail log: each key at most once, within the daily budget.

Every send is claimed in the log first and settled after: `sent`, `failed` (it surely did not go out: the next run
tries again) or `uncertain` (it may have gone out: shown, never resent on its own). A crash between the claim and
the settlement also reads as `uncertain` — never sent twice, never silently skipped.
Claims and settlements go in batches of BATCH, one transaction each: a crash mid-batch leaves at most BATCH keys
for an operator to settle. Before a batch is settled the mailer finishes what it accepted (Mailer.flush: the outbox
makes the batch's files durable together); a mail lost there is `failed`, never `sent`.
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
BATCH = 50  # mails claimed (and settled) per ledger transaction


class MailLog(Protocol):
    """The sent-mail part of the run-state store."""

    def claim_mails(self, mails: list[tuple[str, str, str]]) -> set[str]: ...
    def settle_mails(self, sent: list[tuple[str, str]], failed: list[tuple[str, str]], untried: list[str],
                     uncertain: list[tuple[str, str]] = ()) -> None: ...
    def mails(self, prefix: str | None = None) -> list: ...
    def counted_since(self, when: datetime) -> list[datetime]: ...


def mail_states(store: MailLog, prefix: str, namespace: str = "") -> dict[str, MailState]:
    """The log's keys under a job's namespace and a prefix, as the pure workflow sees them (namespace removed)."""
    return {r.key[len(namespace):]: MailState(r.state, r.sent or r.claimed, r.attempts, r.error)
            for r in store.mails(namespace + prefix)}


def allowance(store: MailLog, budget: int, now: datetime) -> int:
    """Mails the daily budget still lets go now (one budget for every job: one sender)."""
    return max(0, budget - len(store.counted_since(now - BUDGET_WINDOW)))


def budget_frees_at(store: MailLog, budget: int, now: datetime) -> datetime | None:
    """When a spent daily budget next lets a mail go: as soon as enough of the mails it counts have left its window
    (None: it lets some go now, or never will). Mail another job sends meanwhile can only make that moment later, so
    a run waiting for it is early at worst, and an early run finds the budget still spent."""
    counted = store.counted_since(now - BUDGET_WINDOW)
    if budget <= 0 or len(counted) < budget:
        return None
    return counted[len(counted) - budget] + BUDGET_WINDOW


def deliver(mails: Sequence[OutgoingMail], store: MailLog, mailer: Callable[[], Mailer], sender: str, budget: int,
            now: datetime, namespace: str = "") -> dict[str, int]:
    """Send the mails in order while the budget lasts; each key is kept in the ledger under the job's namespace.
    Counts of sent, failed, uncertain, refused (another run holds the key) and left for later."""
    chosen = list(mails)[:allowance(store, budget, now)]
    counts = {"sent": 0, "failed": 0, "uncertain": 0, "refused": 0}
    send = mailer() if chosen else None  # built before any claim: a bad mail setting claims nothing
    failures_in_a_row = 0
    for start in range(0, len(chosen), BATCH):
        batch = chosen[start:start + BATCH]
        claimed = store.claim_mails([(namespace + m.key, m.to, m.subject) for m in batch])
        counts["refused"] += len(batch) - len(claimed)
        pending = [m for m in batch if namespace + m.key in claimed]
        sent: list[tuple[str, str]] = []
        failed: list[tuple[str, str]] = []
        uncertain: list[tuple[str, str]] = []
        tried = 0
        try:
            for mail in pending:
                if failures_in_a_row >= STOP_AFTER_FAILURES:
                    break
                key = namespace + mail.key
                tried += 1  # before the send: the mail in flight is never counted as untried
                try:
                    message = build_message(sender, mail.to, mail.subject, mail.text)
                except ValueError as exc:  # e.g. an address no mail header can carry: failed, nothing sent
                    failed.append((key, f"cannot build the message: {_one_line(exc)}"))
                    continue
                try:
                    message_id = send.send(message)
                except DeliveryUncertain as exc:
                    uncertain.append((key, str(exc)))
                    failures_in_a_row += 1
                    log.warning("mail %s may or may not have gone out: %s", _reference(mail), exc)
                    continue
                except BackendError as exc:
                    failed.append((key, str(exc)))
                    failures_in_a_row += 1
                    log.warning("mail %s not sent: %s", _reference(mail), exc)
                    continue
                except BaseException as exc:  # a bug or an interrupt mid-send: it may have gone out
                    uncertain.append((key, f"interrupted while sending: {_one_line(exc)}"))
                    raise
                sent.append((key, message_id))
                failures_in_a_row = 0
        finally:
            if sent:  # delivered for sure before the log says so (an outbox makes its files durable here)
                lost = send.flush()
                failed += [(key, lost[message_id]) for key, message_id in sent if message_id in lost]
                sent = [(key, message_id) for key, message_id in sent if message_id not in lost]
            store.settle_mails(sent, failed, [namespace + m.key for m in pending[tried:]], uncertain)
        counts["sent"] += len(sent)
        counts["failed"] += len(failed)
        counts["uncertain"] += len(uncertain)
        if failures_in_a_row >= STOP_AFTER_FAILURES:
            break
    counts["later"] = len(mails) - counts["sent"]
    return counts


def _reference(mail: OutgoingMail) -> str:
    """The application number in a key such as `ref:A-001:x@y.th:invite` (never the address, for the log)."""
    parts = mail.key.split(":", 2)
    return parts[1] if len(parts) > 1 else mail.key


def _one_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
