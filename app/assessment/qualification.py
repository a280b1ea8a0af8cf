"""Basic qualification check of each applicant (spec, Workflow A step 2), every failed condition a Thai reason."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from app.sheets.text_columns import be_date, join_where, plain_number

QUALIFIED, NOT_QUALIFIED, UNCHECKED = "ผ่าน", "ไม่ผ่าน", "รอตรวจ"
EXPERIENCED_YEARS = 5  # from this many years of consulting, sample works are not needed (seed 004, 6.4 (1))
MIN_SAMPLE_WORKS = 3


def qualify(applicants: pd.DataFrame, closing: date | None, valid_years: int, today: date) -> pd.DataFrame:
    """`qualification` (ผ่าน / ไม่ผ่าน / รอตรวจ) and `reasons` per applicant.

    The I3C result must be dated no more than `valid_years` before the closing date (the application date when
    no closing date is set). A blank `เอกสารครบถ้วน` means the officer has not checked yet: รอตรวจ, unless
    another condition already fails."""
    frame = applicants
    reference = _reference_dates(frame, closing, today)
    cutoff = reference - pd.DateOffset(years=valid_years)
    i3c = pd.to_datetime(frame["i3c_date"])
    samples = frame["sample_works"].astype("Float64")
    little_experience = ~(frame["experience_years"].astype(float) >= EXPERIENCED_YEARS)
    few_samples = little_experience & ~(samples.fillna(0) >= MIN_SAMPLE_WORKS).to_numpy(dtype=bool)
    documents = frame["documents_complete"].astype("boolean")
    before = "วันที่สมัคร" if closing is None else "วันปิดรับสมัคร"
    failures = [
        (frame["member_no"].isna(), "ไม่มีเลขสมาชิก i.industry (not registered in i.industry)"),
        (i3c.isna(), "ไม่มีวันที่สอบผ่าน I3C ที่อ่านได้ (no I3C pass date)"),
        (i3c < cutoff, "ผลสอบ I3C ลงวันที่ " + be_date(i3c)
         + f" เกิน {valid_years} ปีก่อน{before} (I3C result older than {valid_years} years)"),
        (documents.eq(False).fillna(False), "เอกสารไม่ครบถ้วน (documents incomplete)"),
        (few_samples, "ประสบการณ์ " + _years(frame["experience_years"]) + f" ต้องส่งตัวอย่างผลงานอย่างน้อย "
         f"{MIN_SAMPLE_WORKS} ชิ้น แต่ส่ง " + plain_number(samples.fillna(0))
         + f" ชิ้น (fewer than {MIN_SAMPLE_WORKS} sample works)"),
    ]
    failed = np.logical_or.reduce([np.asarray(mask, dtype=bool) for mask, _ in failures])
    unchecked = documents.isna().to_numpy() & ~failed
    reasons = join_where(failures + [(unchecked, "ยังไม่ได้ตรวจความครบถ้วนของเอกสาร (documents not checked yet)")],
                         frame.index)
    status = np.select([failed, unchecked], [NOT_QUALIFIED, UNCHECKED], QUALIFIED)
    return pd.DataFrame({"qualification": status, "reasons": reasons}, index=frame.index)


def _reference_dates(frame: pd.DataFrame, closing: date | None, today: date) -> pd.Series:
    if closing is not None:
        return pd.Series(pd.Timestamp(closing), index=frame.index)
    applied = pd.to_datetime(frame["timestamp"]).dt.normalize()
    return applied.fillna(pd.Timestamp(today))


def _years(experience: pd.Series) -> pd.Series:
    text = plain_number(experience)
    return (text + " ปี").where(text != "", "ไม่ระบุ")
