"""The tracking tab `ติดตามบุคคลอ้างอิง` as a second ledger of reference mail.

The service writes into it when each invitation went out (`ส่งเมื่อ`) and how many reminders followed. When the
run store is lost (a new server, `var/` deleted) these cells are still in the workbook: every mail they show as
gone out counts as sent, so no reference is invited twice. The tab shows when the invitation went out but not
when each reminder did: the reminders it counts are taken as sent now, so the next one waits a whole interval (it
may come late, never early and never twice).
"""
from __future__ import annotations

from datetime import datetime

from app.assessment.reference_mail import PREFIX, SENDING, UNCERTAIN
from app.mail.mail_log import MailState
from app.sheets.cell_dates import read_moment
from app.sheets.grid import Grid
from app.sheets.headers import normalize_header
from app.sheets.layout import TabSpec

COLUMNS = ("application_no", "reference_email", "link", "sent_at", "reminders", "status")


def sheet_ledger(tab: TabSpec, grid: Grid | None, now: datetime) -> dict[str, MailState]:
    """Mail key → sent (or uncertain, for a row shown as being sent) for every mail the tab shows as gone out."""
    at = _columns(tab, grid)
    if at is None:
        return {}
    found: dict[str, MailState] = {}
    number_at, email_at, sent_at, reminders_at, status_at = (at[key] for key in COLUMNS if key != "link")
    for row in grid[1:]:  # one row per reference (tens of thousands): cells taken as needed, most rows end early
        number, email = _cell(row, number_at), _cell(row, email_at)
        if not number or not email:
            continue
        moment = _cell(row, sent_at)
        sent, _ = read_moment(moment) if moment not in (None, "") else (None, "")
        if sent is not None:
            prefix = f"{PREFIX}{number}:{email}:"
            reminders = _cell(row, reminders_at)
            reminders = reminders if isinstance(reminders, (int, float)) else 0
            found[prefix + "invite"] = MailState("sent", sent.replace(tzinfo=now.tzinfo))
            found |= {f"{prefix}reminder:{n}": MailState("sent", now) for n in range(1, int(reminders) + 1)}
        elif _cell(row, status_at) in (SENDING, UNCERTAIN):
            found[f"{PREFIX}{number}:{email}:invite"] = MailState("uncertain", now)
    return found


def _cell(row: list, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def links_sent(tab: TabSpec, grid: Grid | None) -> bool:
    """True when the tab holds a personal link that went out: links signed with the installation's secret."""
    at = _columns(tab, grid)
    return at is not None and at["link"] is not None and any(
        len(row) > at["link"] and row[at["link"]] for row in grid[1:])


def _columns(tab: TabSpec, grid: Grid | None) -> dict[str, int | None] | None:
    if not grid:
        return None
    header = [normalize_header(h) for h in grid[0]]
    at = {key: _index(header, normalize_header(tab.column(key).header)) for key in COLUMNS}
    return None if at["application_no"] is None or at["reference_email"] is None else at


def _index(header: list[str], wanted: str) -> int | None:
    return header.index(wanted) if wanted in header else None
