"""Mail to applicants (seed 004): the interview invitation when the decision becomes สัมภาษณ์ (6.5 "แจ้งผู้ที่
“ข้อมูลไม่เพียงพอ” เข้ารับการสัมภาษณ์", with the topics to be asked), and the result once the committee has voted
(6.8) — or, when ตั้งค่า says so, once a final ไม่ผ่านการประเมิน is reached.

Keys: `app:<application no>:interview` and `app:<application no>:result`, in the same sent-mail log, budget and
claim-before-send rules as reference mail: one of each per applicant, ever (a later change of vote sends nothing).
As the tracking tab does for reference mail, `สรุปผลการประเมิน` › `อีเมลถึงผู้สมัคร` is a second ledger: what it
shows as sent is never sent again after the run store was lost. The Thai wording is data:
sheets_schema/mail_templates.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Mapping

import re
from datetime import datetime

import numpy as np
import pandas as pd

from app.assessment.reference_mail_text import SENDER_UNIT
from app.assessment.scoring import FAIL, INSUFFICIENT
from app.assessment.stages import ANNOUNCED, FAILED_STAGE, NOT_APPROVED
from app.mail.mail_log import MailState, OutgoingMail
from app.sheets.cell_dates import read_moment
from app.sheets.grid import Grid
from app.sheets.headers import normalize_header
from app.sheets.layout import TabSpec
from app.sheets.layout_files import SCHEMA_DIR, SchemaError, read_yaml
from app.sheets.thai_time import format_be

PREFIX = "app:"
INTERVIEW, RESULT = "interview", "result"
COMMON = {"application_no", "full_name", "sender_unit", "contact"}
FIELDS = {  # template → the fields it may use
    "applicant_interview": COMMON | {"topic_lines", "interview_schedule", "schedule_pending"},
    "result_approved": COMMON | {"meeting_date"},
    "result_not_approved": COMMON | {"meeting_date", "committee_note"},
    "result_failed": COMMON | {"failed_topics", "and_interview"},
}
SCHEDULE_PENDING = "คณะทำงานจะติดต่อท่านเพื่อนัดหมายวันและเวลาสัมภาษณ์อีกครั้ง"
LABELS = {INTERVIEW: "เชิญสัมภาษณ์", RESULT: "แจ้งผล"}
SENT = "ส่งแล้ว"
STATES = {"sending": "กำลังส่ง", "uncertain": "ไม่แน่ใจว่าส่งแล้ว (ตรวจบันทึกอีเมลก่อนส่งเอง)"}


@dataclass(frozen=True)
class Template:
    """A subject and a body with `{field}`s; a body line whose fields all came out empty is left out."""

    subject: str
    body: str

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        lines = []
        for line in self.body.rstrip("\n").split("\n"):
            used = [name for _, name, _, _ in Formatter().parse(line) if name]
            if used and not any(values.get(name) for name in used):
                continue
            lines.append(line.format_map(values))
        return self.subject.format_map(values), "\n".join(lines) + "\n"


@lru_cache(maxsize=None)
def load_templates(folder: Path = SCHEMA_DIR) -> dict[str, Template]:
    """The templates of `mail_templates.yaml`; SchemaError naming the file and key when one is missing or uses a
    field it may not."""
    data = read_yaml(folder / "mail_templates.yaml")
    templates = {}
    for name, allowed in FIELDS.items():
        raw = data.get(name)
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("subject", "body")):
            raise SchemaError(f"mail_templates.yaml: {name}: give a subject and a body")
        for part in ("subject", "body"):
            try:
                used = {field for _, field, _, _ in Formatter().parse(raw[part]) if field is not None}
            except ValueError as exc:
                raise SchemaError(f"mail_templates.yaml: {name}.{part}: {exc}") from None
            unknown = sorted(used - allowed)
            if unknown:
                raise SchemaError(f"mail_templates.yaml: {name}.{part}: unknown field {{{unknown[0]}}} "
                                  f"(allowed: {', '.join(sorted(allowed))})")
        templates[name] = Template(raw["subject"], raw["body"])
    return templates


def applicant_mails(applicants: pd.DataFrame, verdicts: tuple[pd.DataFrame, pd.DataFrame], names: pd.Series,
                    log: Mapping[str, MailState], settings: Mapping[str, object], templates: Mapping[str, Template],
                    zone: tzinfo) -> tuple[list[OutgoingMail], pd.Series]:
    """The applicant mails due now and, per applicant, what happened to theirs (`เชิญสัมภาษณ์: ส่งแล้ว …`).

    `applicants` (by application number): full_name, email, stage, interview_due (qualified, evidence complete,
    decided สัมภาษณ์ and not interviewed yet), interviewed, meeting_date, committee_note. `verdicts`: the topic
    verdicts before the interview (its topics are those still insufficient) and the final ones."""
    numbers = applicants.index
    has_email = applicants["email"].notna().to_numpy() & bool(settings["mail_applicants"])
    told = (ANNOUNCED, NOT_APPROVED, FAILED_STAGE) if settings["notify_failed"] else (ANNOUNCED, NOT_APPROVED)
    result_due = applicants["stage"].isin(told).to_numpy()
    due = {INTERVIEW: applicants["interview_due"].to_numpy(dtype=bool) & has_email, RESULT: result_due & has_email}
    mails, notes = [], pd.Series("", index=numbers, dtype=object)
    for kind, wanted in due.items():
        keys = PREFIX + numbers.to_series() + f":{kind}"
        states = [log.get(key) for key in keys]
        fresh = np.array([state is None or state.retry for state in states], dtype=bool)
        for i in np.flatnonzero(wanted & fresh):
            chosen = (verdicts[0] if kind == INTERVIEW else verdicts[1]).iloc[i]
            mails.append(_mail(keys.iat[i], applicants.iloc[i], chosen, names, settings, templates))
        text = [_note(state, bool(w), zone) for state, w in zip(states, wanted)]
        labelled = pd.Series([f"{LABELS[kind]}: {t}" if t else "" for t in text], index=numbers, dtype=object)
        notes = notes.where(labelled == "", notes + np.where(notes == "", "", "; ") + labelled)
    return mails, notes


def sent_counts(log: Mapping[str, MailState]) -> dict[str, int]:
    """Interview invitations and result mails gone out (sent, or possibly sent), from the log."""
    went = [k for k, s in log.items() if k.startswith(PREFIX) and s.state != "failed"]
    return {"applicants_invited": sum(k.endswith(f":{INTERVIEW}") for k in went),
            "results_sent": sum(k.endswith(f":{RESULT}") for k in went)}


def _note(state: MailState | None, due: bool, zone: tzinfo) -> str:
    if state is None or (state.state == "failed" and state.retry):
        failed = "" if state is None else f" (ส่งไม่สำเร็จ: {state.error or ''}; จะส่งใหม่)"
        return ("รอส่ง" + failed) if due else ""
    if state.state == "sent":
        return f"{SENT} {format_be(state.at.astimezone(zone).replace(tzinfo=None))}"
    if state.state == "failed":
        return f"ส่งไม่สำเร็จหลายครั้ง: ตรวจอีเมลแล้วแก้ ({state.error or ''})"
    return STATES.get(state.state, state.state)


def _mail(key: str, person: pd.Series, verdicts: pd.Series, names: pd.Series, settings: Mapping[str, object],
          templates: Mapping[str, Template]) -> OutgoingMail:
    values = {"application_no": person.name, "full_name": person["full_name"], "sender_unit": SENDER_UNIT,
              "contact": settings["applicant_contact"] or ""}
    if key.endswith(INTERVIEW):
        topics = [code for code, verdict in verdicts.items() if verdict == INSUFFICIENT]
        schedule = settings["interview_schedule"] or ""
        values |= {"topic_lines": "\n".join(f"- [{code}] {names.get(code, '')}".rstrip() for code in topics),
                   "interview_schedule": schedule, "schedule_pending": "" if schedule else SCHEDULE_PENDING}
        name = "applicant_interview"
    elif person["stage"] == FAILED_STAGE:
        failed = [f"[{code}] {names.get(code, '')}".rstrip() for code, verdict in verdicts.items() if verdict == FAIL]
        values |= {"failed_topics": ", ".join(failed), "and_interview": " และการสัมภาษณ์" if person["interviewed"]
                   else ""}
        name = "result_failed"
    else:
        meeting = person["meeting_date"]
        values |= {"meeting_date": format_be(pd.Timestamp(meeting).date()) if pd.notna(meeting) else "",
                   "committee_note": person["committee_note"] if isinstance(person["committee_note"], str) else ""}
        name = "result_approved" if person["stage"] == ANNOUNCED else "result_not_approved"
    subject, text = templates[name].render(values)
    return OutgoingMail(key, person["email"], subject, text)


def summary_ledger(tab: TabSpec, grid: Grid | None, now: datetime) -> dict[str, MailState]:
    """Mail key → sent (when the cell says when) or uncertain (shown as being sent, or maybe sent) for every
    applicant mail `อีเมลถึงผู้สมัคร` shows as gone out."""
    if not grid:
        return {}
    header = [normalize_header(h) for h in grid[0]]
    wanted = [normalize_header(tab.column(key).header) for key in ("application_no", "applicant_mail")]
    if not all(w in header for w in wanted):
        return {}
    number_at, mail_at = (header.index(w) for w in wanted)
    found: dict[str, MailState] = {}
    for row in grid[1:]:
        number, text = (row[i] if i < len(row) else None for i in (number_at, mail_at))
        if not number or not isinstance(text, str):
            continue
        for kind, label in LABELS.items():
            if label not in text:  # most cells name no mail: nothing below can match
                continue
            sent = re.search(rf"{label}: {SENT} (\d\d?/\d\d?/\d{{4}} \d\d?:\d\d)", text)
            moment = read_moment(sent.group(1))[0] if sent else None
            if moment is not None:
                found[f"{PREFIX}{number}:{kind}"] = MailState("sent", moment.replace(tzinfo=now.tzinfo))
            elif any(f"{label}: {shown}" in text for shown in STATES.values()):
                found[f"{PREFIX}{number}:{kind}"] = MailState("uncertain", now)
    return found
