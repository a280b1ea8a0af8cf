"""Basic qualification (spec, Workflow A step 2): every condition, its boundary, and every failed one a reason."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from app.assessment.qualification import NOT_QUALIFIED, QUALIFIED, UNCHECKED, qualify

CLOSING = date(2026, 10, 31)
TODAY = date(2026, 11, 21)
GOOD = {"timestamp": pd.Timestamp(2026, 10, 1, 9), "member_no": "IND1", "i3c_date": pd.Timestamp(2025, 1, 1),
        "experience_years": 8.0, "sample_works": 0, "documents_complete": True}


def check(closing: date | None = CLOSING, years: int = 3, **changes) -> tuple[str, str]:
    frame = pd.DataFrame([{**GOOD, **changes}])
    frame["sample_works"] = frame["sample_works"].astype("Int64")
    frame["documents_complete"] = frame["documents_complete"].astype("boolean")
    result = qualify(frame, closing, years, TODAY)
    return result.at[0, "qualification"], result.at[0, "reasons"]


@pytest.mark.parametrize("changes, status, reason", [
    ({}, QUALIFIED, ""),
    ({"member_no": None}, NOT_QUALIFIED, "ไม่มีเลขสมาชิก i.industry"),
    ({"i3c_date": pd.Timestamp(2023, 10, 31)}, QUALIFIED, ""),  # exactly 3 years before closing
    ({"i3c_date": pd.Timestamp(2023, 10, 30)}, NOT_QUALIFIED,
     "ผลสอบ I3C ลงวันที่ 30/10/2566 เกิน 3 ปีก่อนวันปิดรับสมัคร"),
    ({"i3c_date": pd.NaT}, NOT_QUALIFIED, "ไม่มีวันที่สอบผ่าน I3C"),
    ({"documents_complete": False}, NOT_QUALIFIED, "เอกสารไม่ครบถ้วน"),
    ({"documents_complete": None}, UNCHECKED, "ยังไม่ได้ตรวจความครบถ้วนของเอกสาร"),
    ({"experience_years": 5.0, "sample_works": 0}, QUALIFIED, ""),  # 5 years: the service form is enough
    ({"experience_years": 4.9, "sample_works": 3}, QUALIFIED, ""),
    ({"experience_years": 4.9, "sample_works": 2}, NOT_QUALIFIED,
     "ประสบการณ์ 4.9 ปี ต้องส่งตัวอย่างผลงานอย่างน้อย 3 ชิ้น แต่ส่ง 2 ชิ้น"),
    ({"experience_years": None, "sample_works": None}, NOT_QUALIFIED,
     "ประสบการณ์ ไม่ระบุ ต้องส่งตัวอย่างผลงานอย่างน้อย 3 ชิ้น แต่ส่ง 0 ชิ้น"),
])
def test_each_condition(changes, status, reason):
    got_status, reasons = check(**changes)
    assert got_status == status
    assert (reason in reasons) if reason else reasons == ""


def test_every_failed_condition_is_listed_and_an_unchecked_file_with_a_failure_is_not_qualified():
    status, reasons = check(member_no=None, i3c_date=pd.Timestamp(2020, 1, 1), documents_complete=None,
                            experience_years=2.0, sample_works=1)
    assert status == NOT_QUALIFIED
    assert reasons.count("; ") == 2 and "documents not checked" not in reasons


def test_validity_years_from_the_settings_and_the_application_date_without_a_closing_date():
    assert check(years=1, i3c_date=pd.Timestamp(2025, 10, 30))[0] == NOT_QUALIFIED
    status, reasons = check(closing=None, i3c_date=pd.Timestamp(2023, 9, 30))  # applied 1/10/2569
    assert status == NOT_QUALIFIED and "ก่อนวันที่สมัคร" in reasons
    assert check(closing=None, i3c_date=pd.Timestamp(2023, 10, 1))[0] == QUALIFIED
