"""Every unit tab listed in `หน่วยงาน`, typed and stacked: one frame with the unit and the row the officer sees.

A listed tab that is missing, or lacks a required header, is one problem and is left out; the others go on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from app.sheets.grid import Grid
from app.sheets.headers import HeaderMap, MissingHeader, normalize_header
from app.sheets.problems import RowProblem, problem_text
from app.sheets.layout import WorkbookSpec
from app.sheets.tables import ROW, read_table

UNIT = "_unit"  # frame column: the unit tab a row comes from
TAB_MISSING = problem_text("ไม่พบแท็บนี้ในสมุดงาน: หน่วยงานนี้ยังไม่ถูกรวบรวม", "tab not found: this unit is left out")
NO_UNITS = problem_text("ไม่พบแท็บ: ยังรวบรวมข้อมูลหน่วยงานไม่ได้", "tab not found: nothing consolidated")
LISTED_TWICE = problem_text("แท็บนี้อยู่ในรายการแล้ว: นับครั้งเดียว", "tab listed twice: consolidated once")
NOT_A_UNIT = problem_text("เป็นแท็บของระบบ ไม่ใช่แท็บหน่วยงาน", "a fixed tab of the workbook, not a unit tab")


@dataclass(frozen=True)
class Consolidated:
    """The stacked unit rows, each unit's header map, the units in listed order and what went wrong."""

    frame: pd.DataFrame  # UNIT, ROW, every unit column key, then column-family members
    header_maps: dict[str, HeaderMap]
    units: list[str]
    problems: list[RowProblem]


def consolidate(grids: dict[str, Grid], spec: WorkbookSpec, units_title: str | None, *, today: date) -> Consolidated:
    """Read the `หน่วยงาน` tab (None: the workbook has none), then each listed unit tab found in `grids`."""
    if units_title is None:
        return Consolidated(_empty(spec), {}, [], [RowProblem(spec.tab("units").title, None, "", "", NO_UNITS)])
    listing = read_table(grids[units_title], spec.tab("units"), spec.title, units_title, today=today)
    problems = list(listing.problems)
    header = listing.header_map.header_of("tab")
    tabs = {normalize_header(t): t for t in grids if spec.find_tab(t) is None}
    unit_spec = spec.tab("unit")
    frames, maps, units, seen = [], {}, [], set()
    for row, listed in zip(listing.frame[ROW], listing.frame["tab"]):
        wanted = normalize_header(listed)
        if spec.find_tab(listed) is not None or wanted in seen:
            why = NOT_A_UNIT if spec.find_tab(listed) is not None else LISTED_TWICE
            problems.append(RowProblem(units_title, int(row), header, listed, why))
            continue
        seen.add(wanted)
        units.append(tabs.get(wanted, listed))
        if wanted not in tabs:
            problems.append(RowProblem(units_title, int(row), header, listed, TAB_MISSING))
            continue
        title = tabs[wanted]
        try:
            table = read_table(grids[title], unit_spec.titled(title), spec.title, title, today=today)
        except MissingHeader as exc:
            problems.append(RowProblem(title, unit_spec.header_row, exc.header, "", str(exc)))
            continue
        frames.append(table.frame.assign(**{UNIT: title}))
        maps[title] = table.header_map
        problems += table.problems
    frame = pd.concat(frames, ignore_index=True) if frames else _empty(spec)
    ordered = [UNIT, ROW] + [c for c in frame.columns if c not in (UNIT, ROW)]
    return Consolidated(frame[ordered], maps, units, problems)


def _empty(spec: WorkbookSpec) -> pd.DataFrame:
    """A typed frame with every unit column and no rows."""
    unit = spec.tab("unit")
    table = read_table([[c.header for c in unit.columns]], unit.titled("-"), spec.title)
    return table.frame.assign(**{UNIT: pd.Series(dtype=object)})
