"""Targets that are not summary figures: the cluster project's 270 days (seed 002) and seed 000's countable outputs."""
from __future__ import annotations

import pandas as pd
import pytest

from app.reporting.outputs import count_outputs
from app.reporting.rules_files import load_reporting_rules
from app.reporting.targets import MET, NOT_MET, NO_DATA, Program, Target, assess_targets
from tests import reporting_book as book
from app.config import JobSettings, Settings
from app.wiring import bootstrap
from tests.backends import NOW, make_backend
from tests.seed_quotes import seed_says

SCALE_UP = load_reporting_rules("sme_scale_up").program
WITHIN_270 = "ได้กำหนดค่ามาตรฐานของงานที่ต้องดำเนินการทั้งหมดภายในระยะเวลา ๒๗๐ วัน"


@pytest.mark.parametrize("last_day, days, verdict", [("2024-09-26", 270, MET), ("2024-09-27", 271, NOT_MET)])
def test_the_project_s_activities_fit_in_270_days(last_day, days, verdict):
    """Seed 002: "ได้กำหนดค่ามาตรฐานของงานที่ต้องดำเนินการทั้งหมดภายในระยะเวลา ๒๗๐ วัน" — 1/1/2567 to 26/9/2567 is
    270 days counting both."""
    seed_says("002", WITHIN_270)
    frame = pd.DataFrame({"start_date": pd.to_datetime(["2024-01-01", "2024-05-01"]),
                          "end_date": pd.to_datetime(["2024-01-05", last_day])})
    program = Program("p", "p", (Target("ระยะเวลา (วัน)", None, 270, span_days=True, at_most=True),))
    rows = assess_targets(program, frame, pd.DataFrame(index=frame.index), (), pd.Series(dtype=object), [])
    assert rows[0][:4] == ["ระยะเวลา (วัน)", 270, days, verdict] and "ต้องไม่เกิน 270" in rows[0][4]


def test_the_cluster_project_s_shares_are_80_percent_of_the_recipients():
    """Seed 002: "ร้อยละ ๘๐ ของผู้รับบริการมีความพึงพอใจไม่น้อยกว่า ร้อยละ ๘๐" and "ร้อยละ ๘๐ ของผู้รับบริการที่ได้รับ
    การพัฒนามีประสิทธิภาพเพิ่มขึ้นเฉลี่ยไม่น้อยกว่าร้อยละ ๑๐": each target is 80, a share of the recipients, and the name
    the officer reads says so."""
    seed_says("002", "ร้อยละ ๘๐ ของผู้รับบริการมีความพึงพอใจไม่น้อยกว่า ร้อยละ ๘๐")
    seed_says("002", "ร้อยละ ๘๐ ของผู้รับบริการที่ได้รับการพัฒนามีประสิทธิภาพเพิ่มขึ้นเฉลี่ยไม่น้อยกว่าร้อยละ ๑๐")
    targets = {t.figure: t for t in load_reporting_rules("cluster_project").program.targets}
    for figure, within in (("satisfied_share", "พึงพอใจไม่น้อยกว่าร้อยละ 80"),
                           ("efficient_share", "ประสิทธิภาพเพิ่มขึ้นเฉลี่ยไม่น้อยกว่าร้อยละ 10")):
        assert targets[figure].target == 80 and not targets[figure].at_most
        assert within in targets[figure].name and targets[figure].name.endswith("(ร้อยละของผู้รับบริการ)")


def outputs(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{"output": None, "count": None, "tax_id": None, **r} for r in rows])


def test_outputs_are_counted_rows_and_reports_are_one_per_enterprise():
    """Seed 000: "ประชุม เพ่ือรายงานความคืบหน้าในการด าเนินโครงการ จ านวน 4 ครั้ง"; the reports: "100 กิจการ 100 ฉบับ"."""
    seed_says("000", "ประชุม เพ่ือรายงานความคืบหน้าในการด าเนินโครงการ จ านวน 4 ครั้ง")
    seed_says("000", "จ านวน 100 กิจการ 100 ฉบับ")
    counted, unknown = count_outputs(outputs(
        {"output": "ประชุม"}, {"output": "ประชุมเตรียมความพร้อม/รายงานความคืบหน้า", "count": 1},
        {"output": " ประชุม ", "count": 2},
        {"output": "Business Feasibility", "tax_id": "T1"}, {"output": "business feasibility", "tax_id": "T1"},
        {"output": "รายงานผลการศึกษาความเป็นไปได้ทางธุรกิจ", "tax_id": "T2"},
        {"output": "สัมมนาออนไลน์"}), SCALE_UP.outputs)
    assert counted == {"feasibility_report": 2, "meeting": 4, "network_event": 0, "database": 0, "network": 0}
    assert unknown.tolist() == [False] * 6 + [True]


def test_scale_up_targets_from_the_outputs_tab_and_never_from_activity_names(tmp_path):
    tabs = dict(book.TABS)
    tabs["กข."] = book.grid([dict(book.ROW_A, **{"ชื่อกิจกรรม": "Business Feasibility (69)"})])
    tabs["ผลผลิตโครงการ"] = [["ผลผลิต", "จำนวน", "วันที่", "เลขประจำตัวผู้เสียภาษี", "รายละเอียด/หลักฐาน"],
                             ["ประชุม", 2, "01/03/2569", None, "ประชุมครั้งที่ 1–2"], ["ประชุม", None, None, None, None],
                             ["ฐานข้อมูล", 1, None, None, "ลิงก์"], ["งานเลี้ยง", 1, None, None, None]]
    backend = make_backend("xlsx", tabs, tmp_path, workflow="reporting")
    settings = Settings(state_db=tmp_path / "p.sqlite",
                        jobs={"reporting": JobSettings(kind="reporting", workbook=backend.path, program="sme_scale_up")})
    bootstrap(settings, clock=lambda: NOW).run("reporting")
    grid = backend.read("สรุปผลผลิต")
    targets = {r[0]: r[1:4] for r in grid[grid.index(["ตัวชี้วัด", "เป้าหมาย", "ผลงาน", "บรรลุ", "วิธีนับ", "หมายเหตุ"]) + 1:]}
    assert targets["รายงานผลการศึกษาความเป็นไปได้ทางธุรกิจ (ฉบับ)"] == [100, 0, NOT_MET]  # the activity's name: not a report
    assert targets["ประชุมเตรียมความพร้อม/รายงานความคืบหน้า (ครั้ง)"] == [4, 3, NOT_MET]
    assert targets["ฐานข้อมูลหน่วยงานวิจัยและภาคเอกชน (ฐานข้อมูล)"] == [1, 1, MET]
    problems = [r for r in backend.read("ข้อผิดพลาดข้อมูล")[1:] if r[0] == "ผลผลิตโครงการ"]
    assert [r[:4] for r in problems] == [["ผลผลิตโครงการ", 5, "ผลผลิต", "งานเลี้ยง"]]
    assert NO_DATA not in targets["ฐานข้อมูลหน่วยงานวิจัยและภาคเอกชน (ฐานข้อมูล)"]
