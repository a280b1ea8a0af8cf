"""Every unit tab listed in `หน่วยงาน` (or, without that tab, every tab laid out as one), typed and stacked: one
frame with the unit and the row the officer sees.

A listed tab that is missing, or lacks a required header, is one problem and is left out; the others go on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from app.sheets.grid import Grid
from app.sheets.headers import HeaderMap, MissingHeader, normalize_header
from app.sheets.problems import RowProblem, problem_text
from app.sheets.layout import WorkbookSpec
from app.sheets.tables import ROW, LocatedTable, locate_table, read_table, type_tables

UNIT = "_unit"  # frame column: the unit tab a row comes from
UNIT_NAME = "_unit_name"  # frame column: the unit a row counts for (its `หน่วยงาน` cell, else its tab)
TAB_MISSING = problem_text("ไม่พบแท็บนี้ในสมุดงาน: หน่วยงานนี้ยังไม่ถูกรวบรวม", "tab not found: this unit is left out")
NO_UNITS = problem_text("ไม่พบแท็บ: ยังรวบรวมข้อมูลหน่วยงานไม่ได้", "tab not found: nothing consolidated")
LISTED_TWICE = problem_text("แท็บนี้อยู่ในรายการแล้ว: นับครั้งเดียว", "tab listed twice: consolidated once")
NOT_A_UNIT = problem_text("เป็นแท็บของระบบ ไม่ใช่แท็บหน่วยงาน", "a fixed tab of the workbook, not a unit tab")


@dataclass(frozen=True)
class Consolidated:
    """The stacked unit rows, each unit's header map, the units in listed order and what went wrong."""

    frame: pd.DataFrame  # UNIT, UNIT_NAME, ROW, every unit column key, then column-family members
    header_maps: dict[str, HeaderMap]
    units: list[str]
    problems: list[RowProblem]
    notes: list[str] = field(default_factory=list)  # for the run log: tabs taken as unit tabs, section rows


def consolidate(grids: dict[str, Grid], spec: WorkbookSpec, units_title: str | None, *, today: date) -> Consolidated:
    """Read the `หน่วยงาน` tab, then each listed unit tab found in `grids`; without that tab (None), every tab of
    `grids` that is laid out as a unit tab (its required headers found) is one."""
    if units_title is None:
        return _recognised(grids, spec, today)
    listing = read_table(grids[units_title], spec.tab("units"), spec.title, units_title, today=today)
    problems = list(listing.problems)
    header = listing.header_map.header_of("tab")
    tabs = {normalize_header(t): t for t in grids if spec.find_tab(t) is None and not spec.is_officer_only(t)}
    unit_spec = spec.tab("unit")
    located, units, seen, at = [], [], set(), []
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
            located.append(locate_table(grids[title], unit_spec.titled(title), spec.title, title))
            at.append(len(problems))
        except MissingHeader as exc:
            problems.append(RowProblem(title, unit_spec.header_row, exc.header, "", str(exc)))
    return _stacked(located, spec, units, problems, at, [], today)


def _recognised(grids: dict[str, Grid], spec: WorkbookSpec, today: date) -> Consolidated:
    """Unit tabs known by their layout, in workbook order; the tabs that are not are passed over quietly."""
    unit_spec = spec.tab("unit")
    located = []
    for title in (t for t in grids if spec.find_tab(t) is None and not spec.is_officer_only(t)):
        try:
            located.append(locate_table(grids[title], unit_spec.titled(title), spec.title, title))
        except MissingHeader:
            continue
    units = [table.title for table in located]
    if not units:
        return Consolidated(_empty(spec), {}, [], [RowProblem(spec.tab("units").title, None, "", "", NO_UNITS)])
    note = (f"ไม่มีแท็บหน่วยงาน: อ่านแท็บหน่วยงานตามรูปแบบ {', '.join(units)} "
            f"(no units tab: unit tabs recognised by their headers)")
    return _stacked(located, spec, units, [], [0] * len(located), [note], today)


def _unit_rows(table, title: str) -> pd.DataFrame:
    label = table.frame["unit_label"].astype(object)
    return table.frame.assign(**{UNIT: title, UNIT_NAME: label.where(label.notna(), title)})


def _stacked(located: list[LocatedTable], spec: WorkbookSpec, units: list[str], problems: list[RowProblem],
             at: list[int], notes: list[str], today: date) -> Consolidated:
    """The unit tabs typed together (one pass per column for all of them), stacked in order; each tab's problems go
    where `at` says, in the listing's order."""
    tables = type_tables(located, today=today)
    frames = [_unit_rows(table, tab.title) for tab, table in zip(located, tables)]
    maps = {tab.title: table.header_map for tab, table in zip(located, tables)}
    problems = list(problems)
    for position, table in reversed(list(zip(at, tables))):
        problems[position:position] = table.problems
    notes = notes + [note for table in tables for note in table.notes]
    frame = pd.concat(frames, ignore_index=True) if frames else _empty(spec)
    ordered = [UNIT, UNIT_NAME, ROW] + [c for c in frame.columns if c not in (UNIT, UNIT_NAME, ROW)]
    return Consolidated(frame[ordered], maps, units, problems, notes)


def _empty(spec: WorkbookSpec) -> pd.DataFrame:
    """A typed frame with every unit column and no rows."""
    unit = spec.tab("unit")
    table = read_table([[c.header for c in unit.columns]], unit.titled("-"), spec.title)
    return table.frame.assign(**{UNIT: pd.Series(dtype=object), UNIT_NAME: pd.Series(dtype=object)})
