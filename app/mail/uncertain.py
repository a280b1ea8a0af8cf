"""Mails whose fate is unknown (`uncertain`), as people see them, and an operator's word that settles one.

A mail is uncertain when its send may have reached the server with no answer back, or its process died between
claiming and recording it. It is never resent on its own: someone checks the mailbox or the relay's log, then
says `sent` (it went out: never again) or `resend` (it did not: the next run sends it)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.errors import ServiceError, EXIT_USAGE

OUTCOMES = ("sent", "resend")


class UnknownMail(ServiceError):
    """No uncertain mail has the id given (never uncertain, or already settled)."""

    exit_code = EXIT_USAGE
    http_status = 404


class UncertainLedger(Protocol):
    """The part of the sent-mail ledger this needs."""

    def uncertain_mails(self, prefix: str | None = None) -> list: ...
    def settle_uncertain(self, key: str, outcome: str, who: str): ...


@dataclass(frozen=True)
class UncertainMail:
    """One uncertain mail for a list: a short id, its job, what it is, the recipient masked, since when, why."""

    id: str
    job: str  # the job's namespace in the ledger; "" for the job named after its kind
    what: str  # the mail key without the job and the address, e.g. `ref:A-007:invite`
    recipient: str
    claimed: datetime
    error: str | None


def mail_id(key: str) -> str:
    """A short stable id for a ledger key, safe to show (the key holds the address)."""
    return hashlib.sha256(key.encode()).hexdigest()[:10]


def masked_address(address: str) -> str:
    """`so•••@example.com`: enough to recognise, not enough to copy."""
    local, _, domain = address.partition("@")
    return f"{local[:2]}•••@{domain}" if domain else f"{address[:2]}•••"


def _described(record) -> UncertainMail:
    head, _, _ = record.key.partition(":")
    job, slash, _ = head.rpartition("/")
    rest = record.key[len(job) + len(slash):]
    return UncertainMail(mail_id(record.key), job, rest.replace(f":{record.recipient}", ""),
                         masked_address(record.recipient), record.claimed, record.error)


def uncertain_mails(ledger: UncertainLedger) -> list[UncertainMail]:
    """Every uncertain mail of every job, oldest first."""
    return [_described(r) for r in ledger.uncertain_mails()]


def settle(ledger: UncertainLedger, given_id: str, outcome: str, who: str) -> UncertainMail:
    """Mark the uncertain mail `given_id` (its short id, or its full key) as `sent` or released to `resend`."""
    if outcome not in OUTCOMES:
        raise UnknownMail(f"ผลที่ยืนยันต้องเป็น sent หรือ resend (the outcome must be sent or resend, not {outcome!r})")
    found = [r for r in ledger.uncertain_mails() if given_id.strip() in (mail_id(r.key), r.key)]
    if not found:
        raise UnknownMail(f"ไม่พบอีเมลที่ไม่แน่ใจรหัส {given_id} (no uncertain mail {given_id}: list them with "
                          "`python -m app mail uncertain`; it may be settled already)")
    ledger.settle_uncertain(found[0].key, outcome, who)
    return _described(found[0])
