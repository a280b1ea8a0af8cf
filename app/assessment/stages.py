"""Where each applicant stands (spec, Workflow A: applied → qualified → evidence → decided → interview → committee →
announced), days since applying against the 60-day standard, and the figures of the overview."""
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
ON_TIME, LATE, CLOSED = "ตามกำหนด", "เกินกำหนด", "เสร็จสิ้น"
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


def timing(stage: pd.Series, applied: pd.Series, today: date, standard_days: int) -> pd.DataFrame:
    """`days` since applying and `time_status`: on time or late while open, closed once the case has ended."""
    days = (pd.Timestamp(today) - pd.to_datetime(applied).dt.normalize()).dt.days.astype("Int64")
    open_case = stage.isin(OPEN_STAGES).to_numpy()
    status = np.select([~open_case, days.isna().to_numpy(), (days > standard_days).fillna(False).to_numpy()],
                       [CLOSED, "", LATE], ON_TIME)
    return pd.DataFrame({"days": days, "time_status": status}, index=stage.index)


@dataclass(frozen=True)
class Progress:
    """Counts per stage and decision, pass rate, median days and overdue cases, for `ภาพรวมการประเมิน`."""

    applicants: int
    by_stage: dict[str, int]
    by_decision: dict[str, int]
    pass_rate: float | None  # % of the applicants with a final pass or fail
    overdue: int
    median_open_days: float | None
    median_days_to_approval: float | None


def progress(stage: pd.Series, decision: pd.Series, timed: pd.DataFrame, approved_days: pd.Series) -> Progress:
    """The overview figures of one run."""
    state = decision.fillna("").astype(str).str.replace(f"^{PENDING}.*", PENDING, regex=True)
    final = stage.isin((FAILED_STAGE, COMMITTEE, NOT_APPROVED, ANNOUNCED))
    passed = stage.isin((COMMITTEE, NOT_APPROVED, ANNOUNCED))
    open_days = timed["days"][stage.isin(OPEN_STAGES)].dropna()
    return Progress(
        applicants=len(stage), by_stage={s: int((stage == s).sum()) for s in STAGES},
        by_decision={d: int((state == d).sum()) for d in (PASSED, INTERVIEW, FAILED, PENDING)},
        pass_rate=float(passed.sum() / final.sum() * 100) if final.any() else None,
        overdue=int((timed["time_status"] == LATE).sum()),
        median_open_days=float(open_days.median()) if len(open_days) else None,
        median_days_to_approval=float(approved_days.dropna().median()) if approved_days.notna().any() else None)
