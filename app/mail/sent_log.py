"""The sent-mail log as people read it: every mail the ledger holds, with its kind and state in Thai words, filtered
by job and state, a page at a time. Pure: it reads the ledger through a small protocol."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.mail.uncertain import mail_id, masked_address
from app.sheets.masking import mask_personal

PAGE_SIZE = 50
# state → (Thai, what it means in a few Thai words, and in English); "queued" is not in the ledger: mails waiting
# for the daily budget are counted by the run that built them (counts["mails_waiting"])
STATES = {
    "queued": ("รอส่ง", "รอโควตาอีเมลรายวัน รอบถัดไปจะส่ง", "waiting for the daily budget"),
    "sending": ("กำลังส่ง", "เริ่มส่งแล้ว รอคำตอบจากระบบอีเมล", "being sent now"),
    "sent": ("ส่งแล้ว", "ระบบอีเมลยืนยันแล้ว จะไม่ส่งซ้ำ", "the mail server confirmed it: never sent again"),
    "failed": ("ส่งไม่สำเร็จ", "ไม่ได้ส่งออกแน่นอน รอบถัดไปจะลองใหม่", "surely not sent: the next run tries again"),
    "uncertain": ("ไม่แน่ใจว่าส่งแล้ว", "อาจส่งถึงแล้ว จึงไม่ส่งซ้ำเอง ตรวจกล่องจดหมายที่ส่งแล้วยืนยันผล",
                  "may have gone out: never resent on its own; check the sent mailbox, then settle it"),
}
LEDGER_STATES = ("sending", "sent", "failed", "uncertain")
_KINDS = (  # the ledger key (after the job's namespace) → what the mail is
    (re.compile(r"ref:(?P<number>[^:]+):(?:.*:)?invite$"), "เชิญบุคคลอ้างอิง", "reference invitation"),
    (re.compile(r"ref:(?P<number>[^:]+):(?:.*:)?reminder:(?P<n>\d+)$"), "เตือนบุคคลอ้างอิง ครั้งที่ {n}", "reminder {n}"),
    (re.compile(r"app:(?P<number>[^:]+):interview$"), "เชิญสัมภาษณ์ผู้สมัคร", "interview invitation"),
    (re.compile(r"app:(?P<number>[^:]+):result$"), "แจ้งผลผู้สมัคร", "applicant result"),
)


class Ledger(Protocol):
    """The part of the sent-mail ledger the log reads."""

    def mails(self, prefix: str | None = None) -> list: ...


@dataclass(frozen=True)
class LoggedMail:
    """One mail of the log, ready for a page: nothing in it needs masking again."""

    id: str  # the short id `python -m app mail uncertain --resolve` takes
    job: str  # the job's namespace in the ledger; "" for the job named after its kind
    what: str  # the key without the job and the address, e.g. `ref:A-007:invite`
    kind: str  # Thai, with the English in brackets
    application: str  # the application number it is about ("" when the key names none)
    recipient: str  # the address in full, or masked (`so•••@example.com`) for those who may not see it
    state: str  # sending | sent | failed | uncertain
    at: datetime  # when it went out (sent), else when the send was started
    attempts: int
    error: str | None

    @property
    def state_name(self) -> str:
        return STATES[self.state][0]

    @property
    def state_meaning(self) -> str:
        return STATES[self.state][1]


@dataclass(frozen=True)
class MailPage:
    """One page of the log, with the count of each state over the whole filtered log."""

    mails: list[LoggedMail]
    counts: dict[str, int]  # per ledger state, for the job chosen (every state present, 0 when none)
    total: int  # mails matching the filter
    page: int  # 1-based, within 1..pages
    pages: int


def kind_of(key: str) -> tuple[str, str]:
    """What a mail is, in Thai with the English in brackets, and the application number it is about, from its
    ledger key (without the job's namespace; with or without the address)."""
    for pattern, thai, english in _KINDS:
        if found := pattern.match(key):
            groups = found.groupdict()
            return f"{thai.format(**groups)} ({english.format(**groups)})", groups["number"]
    return "อีเมลอื่น (other mail)", ""


def _job_of(key: str) -> str:
    """The job's namespace a ledger key starts with (`assessment-2568/ref:…`), "" for none."""
    return key.partition(":")[0].rpartition("/")[0]


def _described(record, show_address: bool) -> LoggedMail:
    job = _job_of(record.key)
    rest = record.key[len(job) + 1:] if job else record.key
    what = rest.replace(f":{record.recipient}", "")
    kind, number = kind_of(rest)
    recipient = record.recipient if show_address else masked_address(record.recipient)
    return LoggedMail(mail_id(record.key), job, mask_personal(what), kind, mask_personal(number),
                      mask_personal(recipient), record.state, record.sent or record.claimed, record.attempts,
                      mask_personal(record.error) if record.error else None)


def mail_log(ledger: Ledger, job: str | None = None, state: str | None = None, page: int = 1,
             show_address: bool = True, page_size: int = PAGE_SIZE) -> MailPage:
    """The log newest first: of one job's namespace (None: every job), of one state (None: all), page `page`;
    `show_address` False masks each address as the uncertain list does."""
    mine = [r for r in reversed(ledger.mails()) if job is None or _job_of(r.key) == job]
    counts = {s: sum(r.state == s for r in mine) for s in LEDGER_STATES}
    chosen = [r for r in mine if state is None or r.state == state]
    pages = max(1, -(-len(chosen) // page_size))
    page = min(max(page, 1), pages)
    shown = [_described(r, show_address) for r in chosen[(page - 1) * page_size:page * page_size]]  # a page, not all
    return MailPage(shown, counts, len(chosen), page, pages)
