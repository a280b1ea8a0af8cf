"""Reference mail: what the sent-mail log says about each reference, which mails are due, and each one's status.

Keys: `ref:<application no>:<email>:invite` and `…:reminder:<n>`. An invitation goes to each invitable reference
of a qualified applicant still waiting for evidence; reminders follow every `every_days` after the previous mail,
at most `max_reminders`, until the reference answers. A key the log holds as sent, sending or uncertain is never
due again; a failed one is retried up to MAX_ATTEMPTS.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Mapping

import numpy as np
import pandas as pd

from app.mail.mail_log import MailState, OutgoingMail
from app.assessment.qualification import NOT_QUALIFIED, QUALIFIED, UNCHECKED
from app.assessment.reference_links import PrefillForm
from app.assessment.reference_questions import LINK_KEYS
from app.assessment.reference_mail_text import invitation
from app.assessment.scoring import DEFAULTS
from app.sheets.text_columns import join_where

ANSWERED, NOT_COUNTED, NOT_SENT, UNCERTAIN = "ตอบแล้ว", "ไม่นับคำตอบ", "ไม่ส่ง", "ไม่แน่ใจว่าส่งแล้ว"
SENDING, OVERDUE, WAITING, FAILED, QUEUED = "กำลังส่ง", "หมดเวลารอ", "รอคำตอบ", "ส่งไม่สำเร็จ", "รอส่ง"
PREFIX = "ref:"


@dataclass(frozen=True)
class MailRules:
    """The reminder settings of `ตั้งค่า` (defaults from sheets_schema/assessment.yaml)."""

    wait_days: int = DEFAULTS["reference_wait_days"]
    every_days: int = DEFAULTS["reminder_every_days"]
    max_reminders: int = DEFAULTS["max_reminders"]

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> "MailRules":
        """The reminder settings as `ตั้งค่า` gives them."""
        return cls(settings["reference_wait_days"], settings["reminder_every_days"], settings["max_reminders"])


def history(refs: pd.DataFrame, log: Mapping[str, MailState], zone: tzinfo, rules: MailRules) -> pd.DataFrame:
    """Per reference: the invitation's state and local send time, reminders gone out, when the last mail went out,
    and the key, state and retry flag of the next mail."""
    prefix = PREFIX + refs["application_no"] + ":" + refs["email"].fillna("") + ":"
    suffixes = ["invite"] + [f"reminder:{n}" for n in range(1, rules.max_reminders + 1)]
    keys = np.array([(prefix + suffix).to_numpy(dtype=object) for suffix in suffixes], dtype=object).T
    flat = pd.Series(keys.ravel(), dtype=object)
    states = flat.map({k: s.state for k, s in log.items()}).to_numpy(dtype=object).reshape(keys.shape)
    local = {k: pd.Timestamp(s.at).tz_convert(zone).tz_localize(None) for k, s in log.items()}
    times = pd.to_datetime(flat.map(local)).to_numpy(dtype="datetime64[ns]").reshape(keys.shape)
    went = pd.notna(states) & (states != "failed")
    rows, sent_reminders = np.arange(len(refs)), went[:, 1:].sum(axis=1)
    step = np.where(went[:, 0], np.minimum(sent_reminders + 1, len(suffixes) - 1), 0)
    next_key = pd.Series(keys[rows, step], index=refs.index, dtype=object)
    return pd.DataFrame({
        "invite_state": states[:, 0], "invited_at": times[:, 0], "reminders": sent_reminders,
        "last_at": times[rows, np.maximum(step - 1, 0)], "next_key": next_key,
        "next_state": next_key.map({k: s.state for k, s in log.items()}).astype(object),
        "next_retry": next_key.map({k: s.retry for k, s in log.items()}).eq(True),
        "error": pd.Series(keys[:, 0], index=refs.index).map({k: s.error for k, s in log.items()}).astype(object),
    }, index=refs.index)


def plan(refs: pd.DataFrame, sent: pd.DataFrame, applicants: pd.DataFrame, form: PrefillForm | None,
         now: datetime, rules: MailRules, limit: int | None = None) -> tuple[pd.DataFrame, list[OutgoingMail], int]:
    """Tracking columns (link, status, remarks) per reference, the mails due now (invitations first) and how many
    are due. Only the first `limit` due mails are written out (what the budget lets go this run; None: all): the
    rest would be thrown away, yet the count stays exact.

    `applicants` is indexed by application number with `full_name`, `qualification` and `pending`."""
    who = applicants.reindex(refs["application_no"])
    qualification, pending = who["qualification"].to_numpy(), who["pending"].eq(True).to_numpy()
    links = _links(refs, form).where((qualification == QUALIFIED) & (refs["skip"] == "").to_numpy(), "")
    wait_end = pd.to_datetime(sent["invited_at"]) + pd.Timedelta(days=rules.wait_days)
    invited = (sent["invite_state"].notna() & (sent["invite_state"] != "failed")).to_numpy()
    eligible = (links != "").to_numpy() & (refs["answers"] == 0).to_numpy() & pending
    fresh = sent["next_state"].isna().to_numpy() | sent["next_retry"].to_numpy()
    due = (pd.to_datetime(sent["last_at"]) + pd.Timedelta(days=rules.every_days) <= now).to_numpy()
    invite = eligible & ~invited & fresh
    remind = eligible & invited & (sent["reminders"] < rules.max_reminders).to_numpy() & fresh & due
    status, remarks = _status(refs, sent, qualification, pending, links, invited & (wait_end <= now).to_numpy())
    tracking = pd.DataFrame({"link": links, "status": status, "remarks": remarks}, index=refs.index)
    due = int(invite.sum() + remind.sum())
    return tracking, _mails(refs, sent, who, links, invite, remind, wait_end, now, rules, limit), due


def _status(refs: pd.DataFrame, sent: pd.DataFrame, qualification: np.ndarray, pending: np.ndarray,
            links: pd.Series, overdue: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Each reference's status (the first case that applies) and remarks (the reference's own, then the case's)."""
    state = sent["invite_state"]
    invited = state.notna() & (state != "failed")
    cases = [
        (refs["counted"], ANSWERED, ""), (refs["answers"] > 0, NOT_COUNTED, ""), (refs["skip"] != "", NOT_SENT, ""),
        (qualification == UNCHECKED, NOT_SENT, "รอตรวจคุณสมบัติผู้สมัคร (applicant not checked yet)"),
        (qualification == NOT_QUALIFIED, NOT_SENT, "ผู้สมัครไม่ผ่านคุณสมบัติ (applicant not qualified)"),
        (state == "uncertain", UNCERTAIN, "อาจส่งไปแล้ว: ตรวจบันทึกของระบบอีเมลแล้วยืนยันในฐานข้อมูลสถานะ "
                                         "(may have gone out: check the mail log, then settle it)"),
        (state == "sending", SENDING, ""), (overdue, OVERDUE, ""), (invited, WAITING, ""),
        ((state == "failed") & ~sent["next_retry"], FAILED, "ส่งไม่สำเร็จหลายครั้ง: ตรวจอีเมลแล้วแก้ (gave up)"),
        (links == "", NOT_SENT, "ยังไม่มีลิงก์แบบประเมิน: ตั้งค่า › ลิงก์แบบประเมินบุคคลอ้างอิง (no form link)"),
        (~pending, NOT_SENT, "ตัดสินผลแล้ว ไม่ต้องเชิญ (already decided)"),
        (state == "failed", FAILED, "จะส่งใหม่ในรอบถัดไป (retried next run)"),
    ]
    masks = [np.asarray(mask, dtype=bool) for mask, _, _ in cases]
    first = np.argmax(np.column_stack(masks + [np.ones(len(refs), dtype=bool)]), axis=1)
    notes = [(first == i, note) for i, (_, _, note) in enumerate(cases) if note]
    failure = (state == "failed") & sent["error"].notna()
    remarks = join_where([(refs["remarks"] != "", refs["remarks"]), *notes,
                          (failure, "ข้อผิดพลาด: " + sent["error"].fillna(""))], refs.index)
    return np.select(masks, [s for _, s, _ in cases], QUEUED), remarks


def _links(refs: pd.DataFrame, form: PrefillForm | None) -> pd.Series:
    """Each invitable reference's personal link: the questions the form asks of the two filled in; a form that asks
    neither yet gets its plain URL (the answer is then known by the collected email)."""
    if form is None:
        return pd.Series("", index=refs.index, dtype=object)
    asked = [key for key in LINK_KEYS if key not in form.missing(LINK_KEYS)]
    links = form.links({key: refs[key] for key in asked}) if asked else pd.Series(form.url, index=refs.index)
    return links.where(refs["token"] != "", "").astype(object)


def _mails(refs, sent, who, links, invite, remind, wait_end, now, rules, limit) -> list[OutgoingMail]:
    """The first `limit` due mails, invitations before reminders, each in the applicants' order."""
    mails: list[OutgoingMail] = []
    for wanted, reminder in ((invite, False), (remind, True)):
        room = None if limit is None else max(0, limit - len(mails))
        for i in np.flatnonzero(wanted)[:room]:
            deadline = wait_end.iat[i] if reminder else pd.Timestamp(now) + pd.Timedelta(days=rules.wait_days)
            number = int(sent["reminders"].iat[i]) + 1 if reminder else 0
            mails.append(invitation(sent["next_key"].iat[i], refs.iloc[i], who["full_name"].iat[i], links.iat[i],
                                    deadline.date(), number))
    return mails
