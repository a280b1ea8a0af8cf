"""The sent-mail ledger: each mail key is sent at most once, even when a run crashes mid-send.

Protocol: claim_mail() records `sending` before the send; then mark_sent() on success, release_mail() when the
send failed for sure (the next run retries), or mark_uncertain() when the request may have reached the server
with no answer back. A claim still `sending` after its process died, or after SENDING_GRACE, is reported as
`uncertain` too: the mail may have gone out, so it is never resent automatically. An operator checks the mailbox
or relay log and settles it with settle_uncertain(): `sent` (it went out) or `resend` (it did not; the next run
sends it).

A run claims a batch in one transaction (claim_mails()), sends each, then settles the batch in one more
(settle_mails()); a crash in between leaves every claim of the batch not yet settled `sending`, hence `uncertain`,
as a crash between claim_mail() and mark_sent() does.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from app.adapters.state.locks import HOST, process_gone
from app.adapters.state.db import moment_of, reading, stamp, transaction
from app.sheets.masking import mask_personal

SENDING_GRACE = timedelta(minutes=15)  # far longer than any send: every mailer has explicit time-outs


@dataclass(frozen=True)
class MailRecord:
    """One mail key's history: state is sending | sent | failed (will be retried) | uncertain."""

    key: str
    recipient: str
    subject: str
    state: str
    claimed: datetime
    sent: datetime | None
    message_id: str | None
    error: str | None
    attempts: int


class MailLedger:
    """The sent-mail part of RunStore (needs `path` and `clock` from it)."""

    path: Path
    clock: Callable[[], datetime]

    def claim_mail(self, key: str, recipient: str, subject: str) -> bool:
        """Record `sending` before a send; False when the key is already sent, being sent or uncertain."""
        return key in self.claim_mails([(key, recipient, subject)])

    def claim_mails(self, mails: list[tuple[str, str, str]]) -> set[str]:
        """claim_mail() for each (key, recipient, subject) in one transaction: the keys claimed."""
        claimed_at, claimed = stamp(self.clock()), set()
        with transaction(self.path) as con:
            for key, recipient, subject in mails:
                row = con.execute("SELECT state FROM mails WHERE key = ?", (key,)).fetchone()
                if row and row["state"] != "failed":
                    continue
                con.execute(
                    "INSERT INTO mails (key, recipient, subject, state, claimed, claimer_pid, claimer_host, attempts) "
                    "VALUES (?, ?, ?, 'sending', ?, ?, ?, 1) ON CONFLICT (key) DO UPDATE SET "
                    "recipient = excluded.recipient, subject = excluded.subject, state = 'sending', "
                    "claimed = excluded.claimed, claimer_pid = excluded.claimer_pid, "
                    "claimer_host = excluded.claimer_host, attempts = attempts + 1",
                    (key, recipient, subject, claimed_at, os.getpid(), HOST))
                claimed.add(key)
        return claimed

    def settle_mails(self, sent: list[tuple[str, str]], failed: list[tuple[str, str]], untried: list[str],
                     uncertain: list[tuple[str, str]] = ()) -> None:
        """In one transaction: mark_sent() each (key, message id), release_mail() each (key, error),
        mark_uncertain() each (key, error), and undo the claims of `untried` keys, never handed to the mailer (a
        first claim is removed, a retry is failed again with the attempt given back)."""
        at = stamp(self.clock())
        with transaction(self.path) as con:
            con.executemany("UPDATE mails SET state = 'uncertain', error = ? WHERE key = ? AND state = 'sending'",
                            [(mask_personal(error), key) for key, error in uncertain])
            con.executemany("UPDATE mails SET state = 'sent', sent = ?, message_id = ?, error = NULL "
                            "WHERE key = ? AND state = 'sending'", [(at, mid, key) for key, mid in sent])
            con.executemany("UPDATE mails SET state = 'failed', error = ? WHERE key = ? AND state = 'sending'",
                            [(mask_personal(error), key) for key, error in failed])
            con.executemany("DELETE FROM mails WHERE key = ? AND state = 'sending' AND attempts = 1",
                            [(key,) for key in untried])
            con.executemany("UPDATE mails SET state = 'failed', attempts = attempts - 1 "
                            "WHERE key = ? AND state = 'sending'", [(key,) for key in untried])

    def mark_sent(self, key: str, message_id: str) -> None:
        """The mail went out: never send this key again."""
        self._settle(key, "UPDATE mails SET state = 'sent', sent = ?, message_id = ?, error = NULL "
                     "WHERE key = ? AND state = 'sending'",
                     (stamp(self.clock()), message_id, key))

    def release_mail(self, key: str, error: str) -> None:
        """The send failed for sure: back to not sent (state `failed`), so the next run tries again."""
        self._settle(key, "UPDATE mails SET state = 'failed', error = ? WHERE key = ? AND state = 'sending'",
                     (mask_personal(error), key))

    def mark_uncertain(self, key: str, error: str) -> None:
        """The send may have reached the server (no answer, or interrupted): never resent until an operator says."""
        self._settle(key, "UPDATE mails SET state = 'uncertain', error = ? WHERE key = ? AND state = 'sending'",
                     (mask_personal(error), key))

    def uncertain_mails(self, prefix: str | None = None) -> list[MailRecord]:
        """Mails whose outcome is unknown (recorded so, or claimed by a process that is gone), oldest first."""
        return [r for r in self.mails(prefix) if r.state == "uncertain"]

    def settle_uncertain(self, key: str, outcome: str, who: str) -> MailRecord:
        """An operator's word on an uncertain mail: `sent` (it went out: never again) or `resend` (it did not:
        the next run sends it). KeyError when the key is not uncertain (unknown, still sending, or settled)."""
        if outcome not in ("sent", "resend"):
            raise ValueError(f"outcome must be sent or resend, not {outcome!r}")
        record = self.mail_record(key)
        if record is None or record.state != "uncertain":
            raise KeyError(f"no uncertain mail {key!r}")
        if outcome == "sent":  # the message id says who vouched for it
            sql = ("UPDATE mails SET state = 'sent', sent = ?, message_id = COALESCE(message_id, ?), error = NULL "
                   "WHERE key = ? AND state IN ('uncertain', 'sending')")
            params: tuple = (stamp(self.clock()), f"settled as sent by {who}", key)
        else:  # attempts start again: the operator made sure it never went out
            sql = ("UPDATE mails SET state = 'failed', attempts = 0, error = NULL "
                   "WHERE key = ? AND state IN ('uncertain', 'sending')")
            params = (key,)
        self._settle(key, sql, params)
        return self.mail_record(key)

    def _settle(self, key: str, sql: str, params: tuple) -> None:
        with transaction(self.path) as con:
            if not con.execute(sql, params).rowcount:
                raise KeyError(f"no mail claim {key!r} to settle (never claimed, or already settled)")

    def mail_record(self, key: str) -> MailRecord | None:
        """One mail key's record."""
        with reading(self.path) as con:
            row = con.execute("SELECT * FROM mails WHERE key = ?", (key,)).fetchone()
        return self._record(row, self.clock()) if row else None

    def mails(self, prefix: str | None = None) -> list[MailRecord]:
        """All mail records, or those whose key starts with `prefix`, in the order they were claimed."""
        with reading(self.path) as con:
            rows = con.execute("SELECT * FROM mails WHERE ? IS NULL OR substr(key, 1, length(?)) = ? "
                               "ORDER BY claimed, key", (prefix, prefix, prefix)).fetchall()
        now = self.clock()
        return [self._record(row, now) for row in rows]

    def counted_since(self, when: datetime) -> list[datetime]:
        """When each mail the daily budget counts since `when` went, oldest first: a sent one by its sending, one
        still sending or uncertain by its claim (it may have gone out)."""
        with reading(self.path) as con:
            rows = con.execute("SELECT CASE state WHEN 'sent' THEN sent ELSE claimed END AS moment FROM mails "
                               "WHERE (state = 'sent' AND sent >= ?) OR (state IN ('sending', 'uncertain') AND claimed >= ?) "
                               "ORDER BY moment", (stamp(when), stamp(when))).fetchall()
        return [moment_of(row["moment"]) for row in rows]

    def mails_mark(self, prefix: str) -> str | None:
        """A short text that changes whenever a mail under `prefix` is claimed or settled (by a run or an
        operator); None while one is `sending`, since that one turns `uncertain` with time alone."""
        with reading(self.path) as con:
            row = con.execute("SELECT COUNT(*) AS n, MAX(claimed) AS claimed, MAX(sent) AS sent, "
                              "SUM(attempts) AS attempts, SUM(state = 'sent') AS done, SUM(state = 'uncertain') AS unsure, "
                              "SUM(state = 'sending') AS busy "
                              "FROM mails WHERE substr(key, 1, length(?)) = ?", (prefix, prefix)).fetchone()
        return None if row["busy"] else \
            f"{row['n']}/{row['claimed']}/{row['sent']}/{row['attempts']}/{row['done']}/{row['unsure']}"

    @staticmethod
    def _record(row, now: datetime) -> MailRecord:
        claimed = moment_of(row["claimed"])
        abandoned = now - claimed > SENDING_GRACE or process_gone(row["claimer_pid"], row["claimer_host"])
        state = "uncertain" if row["state"] == "sending" and abandoned else row["state"]
        return MailRecord(key=row["key"], recipient=row["recipient"], subject=row["subject"], state=state,
                          claimed=claimed, sent=moment_of(row["sent"]), message_id=row["message_id"],
                          error=row["error"], attempts=row["attempts"])
