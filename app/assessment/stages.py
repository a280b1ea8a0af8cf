"""Where each applicant stands (spec, Workflow A: applied → qualified → evidence → decided → interview → committee →
announced), days since applying against the 60-day standard, and the figures of the overview.

Seed 004 sets the whole process at "60 วัน": every case is judged against it — an open one on today, a closed one
on the day it closed (committee meeting, or the decision for a failed one).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from app.assessment.qualification import NOT_QUALIFIED, UNCHECKED
from app.assessment.scoring import FAILED, INTERVIEW, PASSED, PENDING

APPLIED, REJECTED_BASIC, AWAITING = "รอตรวจคุณสมบัติ", "ไม่ผ่านคุณสมบัติ", "รอหลักฐาน"
INTERVIEWING, FAILED_STAGE, COMMITTEE = "รอสัมภาษณ์", "ไม่ผ่านการประเมิน", "รอคณะกรรมการ"
NOT_APPROVED, ANNOUNCED = "คณะกรรมการไม่เห็นชอบ", "ประกาศรายชื่อแล้ว"
STAGES = (APPLIED, REJECTED_BASIC, AWAITING, INTERVIEWING, FAILED_STAGE, COMMITTEE, NOT_APPROVED, ANNOUNCED)
OPEN_STAGES = (APPLIED, AWAITING, INTERVIEWING, COMMITTEE)
ON_TIME, LATE = "ตามกำหนด", "เกินกำหนด"
APPROVE, DISAPPROVE = "เห็นชอบ", "ไม่เห็นชอบ"


def stages(qualification: pd.Series, decision: pd.Series, resolution: pd.Series) -> pd.Series:
    """The stage of each applicant from qualification, decision (`รอข้อมูล…` while pending) and committee vote."""
    state = decision.fillna("").astype(str)
    passed = state == PASSED
    return pd.Series(np.select([
        qualification == UNCHECKED, qualification == NOT_QUALIFIED, state.str.startswith(PENDING),
        state == INTERVIEW, state == FAILED, passed & (resolution == APPROVE), passed & (resolution == DISAPPROVE),
    ], [APPLIED, REJECTED_BASIC, AWAITING, INTERVIEWING, FAILED_STAGE, ANNOUNCED, NOT_APPROVED], COMMITTEE),
        index=qualification.index, dtype=object)


def closing_dates(stage: pd.Series, meeting_date: pd.Series, decided_on: pd.Series,
                  closing_date: date | None) -> pd.Series:
    """The day a closed case ended: the committee meeting (approved or not), the decision for a failed one, the
    application closing date for one not qualified (when set); NaT while open or not known."""
    ended = np.select([stage.isin((ANNOUNCED, NOT_APPROVED)).to_numpy(), (stage == FAILED_STAGE).to_numpy(),
                       (stage == REJECTED_BASIC).to_numpy() & (closing_date is not None)],
                      [pd.to_datetime(meeting_date).to_numpy(), pd.to_datetime(decided_on).to_numpy(),
                       np.datetime64(pd.Timestamp(closing_date or "1970-01-01"))], np.datetime64("NaT"))
    return pd.Series(pd.to_datetime(ended), index=stage.index).dt.normalize()


def timing(stage: pd.Series, applied: pd.Series, closed_on: pd.Series, today: date, standard_days: int) -> pd.DataFrame:
    """`days` from applying to today (open case) or to its closing day, and `time_status` against the standard;
    both blank for a closed case whose closing day is not known."""
    open_case = stage.isin(OPEN_STAGES)
    until = pd.Series(pd.Timestamp(today), index=stage.index).where(open_case, pd.to_datetime(closed_on))
    days = (until - pd.to_datetime(applied).dt.normalize()).dt.days.astype("Int64")
    status = np.select([days.isna().to_numpy(), (days > standard_days).fillna(False).to_numpy()], ["", LATE], ON_TIME)
    return pd.DataFrame({"days": days, "time_status": status}, index=stage.index)


@dataclass(frozen=True)
class Progress:
    """Counts per stage and decision, pass rate, median days and overdue cases, for `ภาพรวมการประเมิน`."""

    applicants: int
    by_stage: dict[str, int]
    by_decision: dict[str, int]
    pass_rate: float | None  # % of the applicants with a final pass or fail
    overdue: int  # open cases beyond the standard
    late_closed: int  # closed cases that took longer than the standard
    median_open_days: float | None
    median_days_to_approval: float | None
    committee_overdue: int = 0  # passes waiting for the committee longer than the compile + committee days
    last_meeting: date | None = None  # the latest committee meeting (its results are announced within the days)


def progress(stage: pd.Series, decision: pd.Series, timed: pd.DataFrame, approved_days: pd.Series,
             decided_on: pd.Series, meetings: pd.Series, today: date, committee_wait_days: int) -> Progress:
    """The overview figures of one run; `decided_on` the day each decision was reached, `meetings` the committee's
    meeting dates."""
    waited = (pd.Timestamp(today) - pd.to_datetime(decided_on).dt.normalize()).dt.days
    last_meeting = pd.to_datetime(meetings).max()
    state = decision.fillna("").astype(str).str.replace(f"^{PENDING}.*", PENDING, regex=True)
    final = stage.isin((FAILED_STAGE, COMMITTEE, NOT_APPROVED, ANNOUNCED))
    passed = stage.isin((COMMITTEE, NOT_APPROVED, ANNOUNCED))
    open_days = timed["days"][stage.isin(OPEN_STAGES)].dropna()
    return Progress(
        applicants=len(stage), by_stage={s: int((stage == s).sum()) for s in STAGES},
        by_decision={d: int((state == d).sum()) for d in (PASSED, INTERVIEW, FAILED, PENDING)},
        pass_rate=float(passed.sum() / final.sum() * 100) if final.any() else None,
        overdue=int(((timed["time_status"] == LATE) & stage.isin(OPEN_STAGES)).sum()),
        late_closed=int(((timed["time_status"] == LATE) & ~stage.isin(OPEN_STAGES)).sum()),
        median_open_days=float(open_days.median()) if len(open_days) else None,
        median_days_to_approval=float(approved_days.dropna().median()) if approved_days.notna().any() else None,
        committee_overdue=int(((stage == COMMITTEE) & (waited > committee_wait_days).fillna(False)).sum()),
        last_meeting=None if pd.isna(last_meeting) else last_meeting.date())
