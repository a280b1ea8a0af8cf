"""The `ภาพรวมการประเมิน` dashboard (satisfaction against its standard, stages, decisions, overdue, the step
standards) and `ความพึงพอใจรายบุคคล`, one line per counted respondent."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import pandas as pd

from app.sheets.grid import DATETIME_FORMAT, Grid, StatusColour, TabStyle
from app.sheets.problems import RowProblem, problem_text
from app.sheets.satisfaction import individual_percent, summarise, unanswered
from app.sheets.layout import TabSpec, WorkbookSpec
from app.sheets.layout_files import SCHEMA_DIR, SchemaError, read_yaml
from app.assessment.stages import ANNOUNCED, Progress
from app.sheets.tables import ROW, read_table
from app.sheets.thai_time import serial
from app.sync.workflow import ServiceTab

MET, NOT_MET = "ผ่านเกณฑ์ (met)", "ไม่ผ่านเกณฑ์ (not met)"
NO_TARGET = "ยังไม่กำหนดเป้าหมาย (no target set)"
GREEN, RED = "C6EFCE", "FFC7CE"
NOT_ANSWERED = problem_text("ไม่ได้ตอบข้อนี้: แบบประเมินนี้ไม่ถูกนับ", "item not answered: response left out")
TAB_MISSING = problem_text("ไม่พบแท็บ: ยังคำนวณความพึงพอใจไม่ได้", "tab not found: satisfaction not computed")
STEP_COUNT = 4  # applicants checked, assessed, interviewed, committee meetings: what Evaluation.steps counts


@lru_cache(maxsize=None)
def step_standards(folder: Path = SCHEMA_DIR) -> tuple[tuple[str, str, float, str], ...]:
    """(step, standard as the manual writes it, hours each, per what) from assessment_standards.yaml."""
    data = read_yaml(folder / "assessment_standards.yaml")
    steps = data.get("steps")
    try:
        found = tuple((str(s["name"]), str(s["standard"]), float(s["hours"]), str(s["per"])) for s in steps)
    except (TypeError, KeyError, ValueError):
        raise SchemaError("assessment_standards.yaml: steps: give name, standard, hours and per for each step") \
            from None
    if len(found) != STEP_COUNT:
        raise SchemaError(f"assessment_standards.yaml: steps: give {STEP_COUNT} steps (checked, assessed, "
                          "interviewed, committee meetings)")
    return found


@dataclass
class Satisfaction:
    """The satisfaction part of the overview, the respondents' lines, and what was wrong with the tab."""

    rows: Grid
    respondents: Grid = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    count: int = 0
    figures: dict = field(default_factory=dict)  # respondents, mean_percent, standard (for the web page)


def satisfaction(spec: WorkbookSpec, grid: Grid | None, title: str | None, settings: dict, today) -> Satisfaction:
    """Individual % = sum / (5 × items) × 100 per respondent; the mean against the standard (85)."""
    if grid is None:
        return Satisfaction([], problems=[RowProblem(spec.tab("satisfaction").title, None, "", "", TAB_MISSING)])
    table = read_table(grid, spec.tab("satisfaction"), spec.title, title, today=today)
    items = table.group_columns("item")
    frame = table.frame
    percent = individual_percent(frame[items])
    summary = summarise(percent, float(settings["satisfaction_standard"]), float(settings["satisfied_percent"]))
    rows = [
        ["ผู้ตอบแบบประเมินความพึงพอใจที่นับได้ (ฉบับ)", summary.respondents, "", ""],
        ["แบบประเมินที่ไม่นับ เพราะข้อมูลผิดหรือไม่ครบ (ฉบับ)", int(percent.isna().sum()), "", ""],
        ["ความพึงพอใจเฉลี่ย (ร้อยละ)", _round(summary.mean_percent), f"≥ {summary.standard:g}",
         _verdict(summary.meets_standard)],
        [f"ผู้ตอบที่พึงพอใจตั้งแต่ร้อยละ {summary.satisfied_at:g} (ร้อยละของผู้ตอบ)", _round(summary.satisfied_share),
         "", ""],
    ]
    problems = table.problems + _unanswered(frame, items, table, title, table.problems)
    figures = {"respondents": summary.respondents, "mean_percent": summary.mean_percent,
               "standard": summary.standard}
    return Satisfaction(rows, _respondent_rows(frame, percent, summary.satisfied_at), problems, len(frame), figures)


def progress_rows(figures: Progress, settings: Mapping[str, object], steps: tuple[int, ...],
                  mail: dict[str, int]) -> Grid:
    """Counts per stage and decision, pass rate, the yearly target of passers, time against the standards (the
    whole process; the steps after the assessment), the work of each step at its standard (`steps`: applicants
    checked, assessed, interviewed, committee meetings) and reference mail."""
    standard_days = settings["standard_days"]
    committee_wait = settings["compile_days"] + settings["committee_days"]
    target, approved = settings["yearly_pass_target"], figures.by_stage.get(ANNOUNCED, 0)
    rows = [["ผู้สมัคร (ราย)", figures.applicants, "", ""]]
    rows += [[f"ขั้นตอน: {stage} (ราย)", count, "", ""] for stage, count in figures.by_stage.items()]
    rows += [[f"ผลการประเมิน: {decision} (ราย)", count, "", ""] for decision, count in figures.by_decision.items()]
    rows += [
        ["อัตราผ่านการประเมิน (ร้อยละของผู้ที่ตัดสินแล้ว)", _round(figures.pass_rate), "", ""],
        ["ผู้ผ่านการประเมินที่คณะกรรมการเห็นชอบ (ราย)", approved,
         NO_TARGET if target is None else f"≥ {target} ต่อปี", "" if target is None else _verdict(approved >= target)],
        [f"รายที่ยังไม่เสร็จและเกิน {standard_days} วัน (ราย)", figures.overdue, "0", _verdict(figures.overdue == 0)],
        [f"รายที่เสร็จแล้วแต่ใช้เวลาเกิน {standard_days} วัน (ราย)", figures.late_closed, "0",
         _verdict(figures.late_closed == 0)],
        [f"รอเสนอคณะกรรมการเกิน {committee_wait} วันหลังตัดสิน (ราย)", figures.committee_overdue,
         f"รวบรวมเอกสาร {settings['compile_days']} วัน + คณะกรรมการ {settings['committee_days']} วัน",
         _verdict(figures.committee_overdue == 0)],
        ["มัธยฐานวันนับจากสมัคร ของรายที่ยังไม่เสร็จ (วัน)", _round(figures.median_open_days), f"≤ {standard_days}",
         _at_most(figures.median_open_days, standard_days)],
        ["มัธยฐานวันจากสมัครถึงคณะกรรมการเห็นชอบ (วัน)", _round(figures.median_days_to_approval),
         f"≤ {standard_days}", _at_most(figures.median_days_to_approval, standard_days)],
    ]
    rows += [[f"มาตรฐาน{step}: เวลาทำงานรวม (ชั่วโมง)", round(count * hours, 2), standard, f"{count} {unit}"]
             for (step, standard, hours, unit), count in zip(step_standards(), steps)]
    rows += [["อีเมลเชิญบุคคลอ้างอิงที่ส่งแล้ว (ฉบับ)", mail["invited"], "", ""],
             ["อีเมลเตือนบุคคลอ้างอิงที่ส่งแล้ว (ฉบับ)", mail["reminded"], "", ""],
             ["อีเมลเชิญผู้สมัครเข้ารับการสัมภาษณ์ที่ส่งแล้ว (ฉบับ)", mail.get("applicants_invited", 0), "", ""],
             ["อีเมลแจ้งผลการประเมินถึงผู้สมัครที่ส่งแล้ว (ฉบับ)", mail.get("results_sent", 0), "", ""],
             ["อีเมลที่รอส่งรอบถัดไป (ฉบับ)", mail["waiting"], "", ""]]
    return rows


def overview_tab(spec: TabSpec, rows: Grid) -> ServiceTab:
    """The dashboard, its verdict column coloured."""
    return _verdict_tab(spec, rows, {})


def respondents_tab(spec: TabSpec, rows: Grid) -> ServiceTab:
    """Each counted respondent: the row of the response, when, the %, and whether it reaches the threshold."""
    return _verdict_tab(spec, rows, {2: DATETIME_FORMAT, 3: "0.00"})


def _verdict_tab(spec: TabSpec, rows: Grid, formats: dict[int, str]) -> ServiceTab:
    header = tuple(c.header for c in spec.columns)
    result_column = header.index("ผลเทียบเกณฑ์") + 1
    style = TabStyle(spec.title, len(header), number_formats=formats, status_colours=(
        StatusColour(result_column, MET.split()[0], GREEN), StatusColour(result_column, NOT_MET.split()[0], RED)))
    return ServiceTab(spec.title, header, rows, style)


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def _verdict(met: bool | None) -> str:
    return "" if met is None else (MET if met else NOT_MET)


def _at_most(value: float | None, limit: float) -> str:
    return _verdict(None if value is None else value <= limit)


def _respondent_rows(frame: pd.DataFrame, percent: pd.Series, satisfied_at: float) -> Grid:
    """One line per counted respondent: which row, when (a date cell), their %, satisfied or not."""
    rows = []
    stamps = frame["timestamp"] if "timestamp" in frame else pd.Series(None, index=frame.index)
    for row_number, stamp, value in zip(frame[ROW], stamps, percent):
        if pd.isna(value):
            continue
        when = "" if pd.isna(stamp) else serial(stamp.to_pydatetime() if hasattr(stamp, "to_pydatetime") else stamp)
        rows.append([int(row_number), when, round(float(value), 2), f"≥ {satisfied_at:g}",
                     MET if value >= satisfied_at else NOT_MET])
    return rows


def _unanswered(frame: pd.DataFrame, items: list[str], table, title: str, known: list[RowProblem]) -> list[RowProblem]:
    """Blank items in an otherwise filled response: say why the response is not counted."""
    reported = {(p.row, p.column) for p in known if p.tab == title}
    found = []
    for position, item in unanswered(frame[items], blank_rows=True):
        row_number, header = int(frame.at[position, ROW]), table.header_map.header_of(item)
        if (row_number, header) not in reported:
            found.append(RowProblem(title, row_number, header, "", NOT_ANSWERED))
    return found
