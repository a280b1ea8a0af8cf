"""Time standards of Workflow A as seed 004 sets them: 60 days for the whole process on every case, the steps after
the assessment (5 / 1 / 3 days) and the yearly target of passers — all settings of `ตั้งค่า`."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from app.assessment.overview import progress_rows, step_standards
from app.assessment.scoring import FAILED, PASSED
from app.assessment.stages import (ANNOUNCED, COMMITTEE, FAILED_STAGE, INTERVIEWING, REJECTED_BASIC, closing_dates,
                                   progress, timing)
from app.sheets.layout_files import load_workbook_spec
from tests.seed_quotes import seed_says

SETTINGS = load_workbook_spec("assessment").setting_defaults()
APPLIED = pd.Timestamp("2024-01-01 09:30")  # 01/01/2567
SIXTY_DAYS = "15 นาท/ีราย 1 ชั่วโมง/ราย 0.5 ชัว่โมง/ราย 3 ชั่วโมง/ครั้ง 60 วัน"


def judged(stage: str, meeting=None, decided=None, closing=None, today=date(2024, 6, 1)) -> tuple:
    stages = pd.Series([stage])
    closed = closing_dates(stages, pd.Series([meeting]), pd.Series([pd.Timestamp(decided) if decided else pd.NaT]),
                           closing)
    timed = timing(stages, pd.Series([APPLIED]), closed, today, SETTINGS["standard_days"])
    days = timed.at[0, "days"]
    return (None if pd.isna(days) else int(days)), timed.at[0, "time_status"]


@pytest.mark.parametrize("meeting, days, status", [
    (date(2024, 3, 1), 60, "ตามกำหนด"),   # exactly 60 days
    (date(2024, 3, 2), 61, "เกินกำหนด"),
])
def test_a_closed_case_is_judged_on_the_day_the_committee_met(meeting, days, status):
    """Seed 004's step standards end with the whole process: "... 3 ชั่วโมง/ครั้ง 60 วัน"."""
    seed_says("004", SIXTY_DAYS)
    assert judged(ANNOUNCED, meeting=meeting) == (days, status)


def test_a_failed_case_is_judged_on_its_decision_day_although_it_is_closed():
    seed_says("004", SIXTY_DAYS)
    assert judged(FAILED_STAGE, decided="2024-03-02 15:00") == (61, "เกินกำหนด")


def test_an_open_case_is_judged_on_today_and_a_case_closed_on_an_unknown_day_is_not_judged():
    assert judged(INTERVIEWING, today=date(2024, 3, 1)) == (60, "ตามกำหนด")
    assert judged(REJECTED_BASIC) == (None, "")
    assert judged(REJECTED_BASIC, closing=date(2024, 1, 31)) == (30, "ตามกำหนด")


def figures(stage: list[str], decided_on: list, meetings: list, today=date(2024, 3, 10)):
    stages = pd.Series(stage)
    decision = stages.map({COMMITTEE: PASSED, ANNOUNCED: PASSED, FAILED_STAGE: FAILED}).fillna("")
    timed = pd.DataFrame({"days": pd.Series([10] * len(stage), dtype="Int64"), "time_status": "ตามกำหนด"})
    return progress(stages, decision, timed, pd.Series(dtype=float), pd.Series(pd.to_datetime(decided_on)),
                    pd.Series(meetings, dtype=object), today, SETTINGS["compile_days"] + SETTINGS["committee_days"])


def rows(progressed, **settings) -> dict[str, list]:
    grid = progress_rows(progressed, {**SETTINGS, **settings}, (0, 0, 0, 0),
                         {"invited": 0, "reminded": 0, "waiting": 0})
    return {row[0]: row[1:] for row in grid}


def test_passes_waiting_for_the_committee_beyond_compile_and_committee_days():
    """Seed 004's flowchart after "ประกาศผลการประเมินฯ": "5 วัน", "1 วัน", "3 วัน" (compile, committee, announce)."""
    seed_says("004", "ประกาศผลการประเมินฯ 5 วัน 1 วัน 3 วัน")
    waited = figures([COMMITTEE, COMMITTEE], ["2024-03-04", "2024-03-03"], [date(2024, 3, 1)])  # 6 and 7 days
    found = rows(waited)
    assert found["รอเสนอคณะกรรมการเกิน 6 วันหลังตัดสิน (ราย)"][0] == 1
    assert waited.last_meeting == date(2024, 3, 1)  # its results are due 3 days later (announce_days)


@pytest.mark.parametrize("target, announced, verdict", [
    (10, 10, "ผ่านเกณฑ์ (met)"), (10, 9, "ไม่ผ่านเกณฑ์ (not met)"), (None, 9, ""),
])
def test_the_yearly_target_of_passers(target, announced, verdict):
    """Seed 004 §7 มาตรฐานงาน: "2 จ านวนผู้ผ่านการประเมินฯ ไม่น้อยกว่าเป้าหมาย ในแต่ละปี"."""
    seed_says("004", "2 จ านวนผู้ผ่านการประเมินฯ ไม่น้อยกว่าเป้าหมาย ในแต่ละปี")
    found = rows(figures([ANNOUNCED] * announced, [None] * announced, []), yearly_pass_target=target)
    row = found["ผู้ผ่านการประเมินที่คณะกรรมการเห็นชอบ (ราย)"]
    assert row == [announced, "ยังไม่กำหนดเป้าหมาย (no target set)" if target is None else f"≥ {target} ต่อปี", verdict]


def test_the_step_standards_are_data():
    """Seed 004's flowchart: "15 นาท/ีราย 1 ชั่วโมง/ราย 0.5 ชัว่โมง/ราย 3 ชั่วโมง/ครั้ง" per step."""
    seed_says("004", SIXTY_DAYS)
    assert [hours for _, _, hours, _ in step_standards()] == [0.25, 1.0, 0.5, 3.0]
    found = rows(figures([], [], []))
    assert found["มาตรฐานขั้นที่ 6 ประชุมคณะกรรมการ: เวลาทำงานรวม (ชั่วโมง)"] == [0, "3 ชั่วโมง/ครั้ง", "0 ครั้ง"]
