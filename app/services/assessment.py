"""Workflow A (consultant assessment). So far: satisfaction with the assessment system → `ภาพรวมการประเมิน`."""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from app.domain.grid import Grid, StatusColour, TabStyle
from app.domain.problems import RowProblem, problem_text
from app.domain.satisfaction import individual_percent, summarise
from app.domain.schema_model import TabSpec, WorkbookSpec
from app.domain.tables import ROW, WorkbookSettings, read_settings, read_table
from app.domain.thai_time import format_be
from app.services.workflow import RunContext, ServiceTab, WorkflowResult

MET, NOT_MET = "ผ่านเกณฑ์ (met)", "ไม่ผ่านเกณฑ์ (not met)"
GREEN, RED = "C6EFCE", "FFC7CE"
NOT_ANSWERED = problem_text("ไม่ได้ตอบข้อนี้: แบบประเมินนี้ไม่ถูกนับ", "item not answered: response left out")
TAB_MISSING = problem_text("ไม่พบแท็บ: ยังคำนวณความพึงพอใจไม่ได้", "tab not found: satisfaction not computed")


class AssessmentWorkflow:
    """Reads the settings and satisfaction tabs of workbook A and writes the overview tab."""

    name = "assessment"
    workbook = "assessment"

    def __init__(self, spec: WorkbookSpec) -> None:
        self.spec = spec

    def _titles(self, titles: Sequence[str]) -> dict[str, str]:
        """Spec tab key → the title it has in this workbook (titles may be aliases)."""
        found = {}
        for title in titles:
            tab = self.spec.find_tab(title)
            if tab is not None and tab.owner == "officer":
                found.setdefault(tab.key, title)
        return found

    def tabs_to_read(self, titles: Sequence[str]) -> list[str]:
        found = self._titles(titles)
        return [found[k] for k in ("settings", "satisfaction") if k in found]

    def service_titles(self) -> list[str]:
        return [self.spec.tab("overview").title]

    def run(self, grids: dict[str, Grid], ctx: RunContext) -> WorkflowResult:
        found = self._titles(list(grids))
        settings = self._settings(grids, found)
        problems = list(settings.problems)
        overview = self.spec.tab("overview")
        if "satisfaction" not in found:
            problems.append(RowProblem(self.spec.tab("satisfaction").title, None, "", "", TAB_MISSING))
            return WorkflowResult([self._overview_tab(overview, [])], problems, 0)
        title = found["satisfaction"]
        table = read_table(grids[title], self.spec.tab("satisfaction"), self.spec.title, title, today=ctx.now.date())
        problems += table.problems
        items = table.group_columns("item")
        frame = table.frame
        percent = individual_percent(frame[items])
        problems += _unanswered(frame, items, table, title, problems)
        summary = summarise(percent, float(settings.values.get("satisfaction_standard", 85)),
                            float(settings.values.get("satisfied_percent", 80)))
        rows = [
            ["ผู้ตอบแบบประเมินความพึงพอใจที่นับได้ (ฉบับ)", summary.respondents, "", ""],
            ["แบบประเมินที่ไม่นับ เพราะข้อมูลผิดหรือไม่ครบ (ฉบับ)", int(percent.isna().sum()), "", ""],
            ["ความพึงพอใจเฉลี่ย (ร้อยละ)", _round(summary.mean_percent), f"≥ {summary.standard:g}",
             _verdict(summary.meets_standard)],
            [f"ผู้ตอบที่พึงพอใจตั้งแต่ร้อยละ {summary.satisfied_at:g} (ร้อยละของผู้ตอบ)",
             _round(summary.satisfied_share), "", ""],
        ]
        rows += _respondent_rows(frame, percent, summary.satisfied_at)
        return WorkflowResult([self._overview_tab(overview, rows)], problems, len(frame))

    def _settings(self, grids: dict[str, Grid], found: dict[str, str]) -> WorkbookSettings:
        if "settings" not in found:
            return WorkbookSettings({s.key: s.default for s in self.spec.settings_tab.settings}, [])
        return read_settings(grids[found["settings"]], self.spec, found["settings"])

    @staticmethod
    def _overview_tab(spec: TabSpec, rows: Grid) -> ServiceTab:
        header = tuple(c.header for c in spec.columns)
        result_column = header.index("ผลเทียบเกณฑ์") + 1
        style = TabStyle(spec.title, len(header), status_colours=(
            StatusColour(result_column, MET.split()[0], GREEN), StatusColour(result_column, NOT_MET.split()[0], RED)))
        return ServiceTab(spec.title, header, rows, style)


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def _verdict(met: bool | None) -> str:
    return "" if met is None else (MET if met else NOT_MET)


def _respondent_rows(frame: pd.DataFrame, percent: pd.Series, satisfied_at: float) -> Grid:
    """One line per counted respondent: which row, when, their %, satisfied or not."""
    rows = []
    stamps = frame["timestamp"] if "timestamp" in frame else pd.Series(None, index=frame.index)
    for row_number, stamp, value in zip(frame[ROW], stamps, percent):
        if pd.isna(value):
            continue
        when = f" ({format_be(stamp.to_pydatetime() if hasattr(stamp, 'to_pydatetime') else stamp)})" \
            if not pd.isna(stamp) else ""
        rows.append([f"ผู้ตอบ แถว {row_number}{when}", round(float(value), 2), f"≥ {satisfied_at:g}",
                     MET if value >= satisfied_at else NOT_MET])
    return rows


def _unanswered(frame: pd.DataFrame, items: list[str], table, title: str, known: list[RowProblem]) -> list[RowProblem]:
    """Blank items in an otherwise filled response: say why the response is not counted."""
    reported = {(p.row, p.column) for p in known if p.tab == title}
    found = []
    missing = frame[items].isna()
    for position in missing.index[missing.any(axis=1)]:
        row_number = int(frame.at[position, ROW])
        for item in (i for i in items if missing.at[position, i]):
            header = table.header_map.header_of(item)
            if (row_number, header) not in reported:
                found.append(RowProblem(title, row_number, header, "", NOT_ANSWERED))
    return found
