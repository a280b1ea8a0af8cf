"""Read an officer tab into a typed frame, and the `รายการ | ค่า` settings tab into typed settings."""
from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Iterator, Sequence

import numpy as np
import pandas as pd

from app.sheets.cells import parse_cell, parse_column
from app.sheets.grid import Grid, cells_digest
from app.sheets.headers import (HeaderMap, find_header_row, group_labels, header_text, match_headers,
                                normalize_header)
from app.sheets.problems import RowProblem, problem_text
from app.sheets.layout import ColumnSpec, TabSpec, WorkbookSpec

ROW = "_row"  # frame column: the sheet row number the officer sees
VALUE_REQUIRED = problem_text("ต้องกรอกค่า", "value required")
UNKNOWN_SETTING = problem_text("ไม่รู้จักรายการนี้", "unknown setting")
REPEATED_SETTING = problem_text("รายการซ้ำ: ใช้ค่าในแถวแรก", "setting listed twice: the first row is used")


@dataclass(frozen=True)
class TypedTable:
    """A tab's data rows typed by its spec: one frame column per spec column key and per family member."""

    frame: pd.DataFrame  # `_row`, every spec column (all-missing when absent), then `<group>:<code>` columns
    problems: list[RowProblem]
    header_map: HeaderMap
    notes: tuple[str, ...] = ()  # what was passed over on purpose (section rows), one line each, for the run log

    def group_columns(self, group: str) -> list[str]:
        """Frame columns of one family in sheet order, e.g. ["topic:C1", "topic:C2"]."""
        return [f"{group}:{code}" for code in self.header_map.groups.get(group, {})]


@dataclass(frozen=True)
class WorkbookSettings:
    """Typed settings by key, defaults filled in, and what was wrong with the tab."""

    values: dict[str, object]
    problems: list[RowProblem]

    def __getitem__(self, key: str) -> object:
        return self.values[key]


def read_table(grid: Grid, tab_spec: TabSpec, workbook_title: str, tab_title: str | None = None, *,
               today: date | None = None) -> TypedTable:
    """Type every data row below the header (found among the first rows); fully blank rows are dropped, section
    rows skipped with one note; row numbers are the sheet's own. Raises MissingHeader."""
    return type_tables([locate_table(grid, tab_spec, workbook_title, tab_title)], today=today)[0]


@dataclass(frozen=True)
class LocatedTable:
    """A tab whose header is found, its data rows not yet typed."""

    title: str
    tab_spec: TabSpec
    header_map: HeaderMap
    rows: Grid
    row_numbers: np.ndarray
    placed: list[tuple[ColumnSpec, int | None]]  # each spec column and family member, at its sheet column (None: absent)
    source: str | None = None  # digest of its cells and titles, within a run only (_source)

    @cached_property
    def columns_of_cells(self) -> np.ndarray:
        """The data rows cut into one array per sheet column: made only when the tab is typed (not when a recent
        run's typing of it is taken)."""
        return _matrix(self.rows, len(self.header_map.headers))


def locate_table(grid: Grid, tab_spec: TabSpec, workbook_title: str, tab_title: str | None = None) -> LocatedTable:
    """Find the tab's header and cut its data rows into columns. Raises MissingHeader."""
    title = tab_title or tab_spec.title or tab_spec.key
    header_row = find_header_row(grid, tab_spec)
    header_map = match_headers(_row_at(grid, header_row), tab_spec, workbook_title, tab_title=title,
                               labels=group_labels(grid, header_row), row=header_row)
    rows = grid[header_row:]
    members = [(g.member(code, header_map.headers[i]), i) for g in tab_spec.groups
               for code, i in header_map.groups[g.key].items()]
    placed = [(c, header_map.columns.get(c.key)) for c in tab_spec.columns] + members
    source = _source(grid, workbook_title, title) if _REMEMBERED.get() is not None else None  # only a run keeps
    return LocatedTable(title, tab_spec, header_map, rows, np.arange(len(rows)) + header_row + 1, placed, source)


def _source(grid: Grid, workbook_title: str, title: str) -> str | None:
    """What a located tab is made of: the cells as read (cells_digest: 1, 1.0 and True differ) and the titles its
    problems name; None for a cell the digest cannot take (the tab is then typed each run)."""
    try:
        return cells_digest((workbook_title, title, grid))
    except ValueError:
        return None


class RecentlyTyped:
    """Typed tabs of a service's last runs, by what typing them depends on (the tab as read, its spec, the day), up
    to a number of typed cells: a job's next run types again only the tabs that changed (an officer's edit of one
    unit tab of nine, a new form answer). Each taker gets its own copy of a frame; a lock guards the runs of other
    threads."""

    def __init__(self, cells: int) -> None:
        self._budget, self._cells = cells, 0
        self._tables: OrderedDict[tuple, TypedTable] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple | None) -> TypedTable | None:
        with self._lock:
            table = self._tables.get(key) if key is not None else None
            if table is not None:
                self._tables.move_to_end(key)
        return table

    def keep(self, key: tuple | None, table: TypedTable) -> None:
        size = table.frame.size
        if key is None or size > self._budget:
            return
        with self._lock:
            if key in self._tables:
                return
            self._tables[key] = table
            self._cells += size
            while self._cells > self._budget:
                _key, dropped = self._tables.popitem(last=False)
                self._cells -= dropped.frame.size


_REMEMBERED: ContextVar[RecentlyTyped | None] = ContextVar("recently_typed", default=None)


@contextmanager
def typing_remembered(recent: RecentlyTyped) -> Iterator[None]:
    """Within this block (a run of the service), type_tables takes a tab typed as it is now from `recent` and keeps
    what it types there; outside it every tab is typed."""
    token = _REMEMBERED.set(recent)
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def type_tables(tables: Sequence[LocatedTable], *, today: date | None = None) -> list[TypedTable]:
    """Type located tabs; within typing_remembered, a tab typed as it is now by a recent run (same cells, titles,
    spec and day) is taken from it."""
    recent = _REMEMBERED.get()
    if recent is None:
        return _type_together(tables, today)
    keys = [(t.source, t.tab_spec, today) if t.source is not None else None for t in tables]
    typed = [recent.get(key) for key in keys]
    todo = [i for i, table in enumerate(typed) if table is None]
    for i, table in zip(todo, _type_together([tables[i] for i in todo], today)):
        recent.keep(keys[i], table)
        typed[i] = table
    return [replace(table, frame=table.frame.copy(), problems=list(table.problems)) for table in typed]


def _type_together(tables: Sequence[LocatedTable], today: date | None) -> list[TypedTable]:
    """Type located tabs, each column spec once for all of them: tabs laid out alike (a workbook's unit tabs) then
    cost one pass per column, not one per column and tab — at 2,000 rows a tab, pandas' fixed cost per call was
    most of the typing. A cell types the same whatever column it is stacked in."""
    uses: dict[ColumnSpec, list[tuple[int, int]]] = {}  # spec → (tab, place in its `placed`) of each use
    for t, table in enumerate(tables):
        for p, (column, _index) in enumerate(table.placed):
            uses.setdefault(column, []).append((t, p))
    typed: list[list] = [[None] * len(table.placed) for table in tables]
    for column, where in uses.items():
        parts = [_cells_of(tables[t], tables[t].placed[p][1]) for t, p in where]
        values, problems = parse_column(pd.Series(np.concatenate(parts), dtype=object), column, today=today)
        problems = problems.to_numpy()
        empty = values.isna().to_numpy() & (problems == "")
        start = 0
        for (t, p), part in zip(where, parts):
            end = start + len(part)
            typed[t][p] = (values.iloc[start:end].reset_index(drop=True), problems[start:end], empty[start:end])
            start = end
    return [_typed_table(table, columns) for table, columns in zip(tables, typed)]


def _cells_of(table: LocatedTable, index: int | None) -> np.ndarray:
    """One sheet column's cells; all None for an optional column the sheet does not have."""
    return table.columns_of_cells[index] if index is not None else np.full(len(table.rows), None, dtype=object)


def _typed_table(table: LocatedTable, typed: list) -> TypedTable:
    """One located tab's frame and problems from its typed columns (values, problems, empty; in `placed` order)."""
    rows, row_numbers = table.rows, table.row_numbers
    frame, findings, blank = {ROW: pd.Series(row_numbers)}, [], np.ones(len(rows), dtype=bool)
    for (column, index), (values, problems, empty) in zip(table.placed, typed):
        frame[column.key] = values
        if index is None:  # an optional column the sheet does not have: all missing, typed
            continue
        if not column.prefilled:
            blank &= empty
        findings.append((column, index, table.columns_of_cells[index], problems, empty))
    sections = _section_rows(rows, blank) if table.tab_spec.section_rows else np.zeros(len(rows), dtype=bool)
    keep = ~blank & ~sections
    problems = list(table.header_map.problems) + _row_problems(findings, keep, row_numbers, table.header_map,
                                                               table.title)
    notes = (_section_note(table.title, rows, row_numbers, sections),) if sections.any() else ()
    return TypedTable(pd.DataFrame(frame)[keep].reset_index(drop=True), problems, table.header_map, notes)


def _section_rows(rows: Grid, blank: np.ndarray) -> np.ndarray:
    """Rows holding text in exactly one cell, a text no record has in that column: a section title naming the
    activity below it. (A unit's code filled down in advance, "ศก.1", is a row not yet typed, not a section.)"""
    single = {}
    for i, row in enumerate(rows):
        if len(row) - row.count(None) - row.count("") != 1:  # counted in C: most rows are passed over here
            continue
        column, value = next((c, v) for c, v in enumerate(row) if v is not None and v != "")
        if isinstance(value, str):
            single[i] = (column, value)
    columns = {c for c, _v in single.values()}
    records = {(c, row[c]) for i, row in enumerate(rows) if not blank[i] and i not in single
               for c in columns if c < len(row)}
    sections = np.zeros(len(rows), dtype=bool)
    sections[[i for i, cell in single.items() if cell not in records]] = True
    return sections


def _section_note(title: str, rows: Grid, row_numbers: np.ndarray, sections: np.ndarray) -> str:
    numbers = [int(n) for n in row_numbers[sections]]
    first = next(v for v in rows[int(np.flatnonzero(sections)[0])] if v is not None and v != "")
    return (f'แท็บ "{title}": ข้ามแถวหัวข้อส่วน {len(numbers)} แถว ({row_list(numbers)}) เช่น "{first}" '
            f"(section rows skipped, not data)")


def row_list(numbers: Sequence[int]) -> str:
    """Row numbers as short ranges: 4, 6–9, 12."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(n) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(parts)


def read_settings(grid: Grid, workbook_spec: WorkbookSpec, tab_title: str | None = None) -> WorkbookSettings:
    """The `รายการ | ค่า` tab: defaults for missing items; unknown items and bad values reported (bad → default)."""
    tab = workbook_spec.settings_tab
    if tab is None:
        raise KeyError(f"workbook {workbook_spec.name!r} has no settings tab")
    title = tab_title or tab.title or tab.key
    header_map = match_headers(_row_at(grid, tab.header_row), tab, workbook_spec.title, tab_title=title)
    item_at, value_at = header_map.columns["item"], header_map.columns["value"]
    by_name = {normalize_header(name): s for s in tab.settings for name in (s.name, *s.aliases)}
    values = {s.key: s.default for s in tab.settings}
    problems, seen = list(header_map.problems), set()
    for row_number, row in enumerate(grid[tab.header_row:], start=tab.header_row + 1):
        name, raw = _cell(row, item_at), _cell(row, value_at)
        if not normalize_header(name) and not normalize_header(raw):
            continue
        setting = by_name.get(normalize_header(name))
        if setting is None or setting.key in seen:
            why = UNKNOWN_SETTING if setting is None else REPEATED_SETTING
            problems.append(RowProblem(title, row_number, header_map.headers[item_at], cell_text(name), why))
            continue
        seen.add(setting.key)
        value, problem = parse_cell(raw, setting.as_column())
        if problem:
            default = "ว่าง" if setting.default is None else cell_text(setting.default)
            problems.append(RowProblem(title, row_number, header_map.headers[value_at], cell_text(raw),
                                       f"{problem}; ใช้ค่าเริ่มต้น {default} (default used)"))
        elif value is not None:
            values[setting.key] = value
    return WorkbookSettings(values, problems)


def cell_text(raw: object) -> str:
    """A raw cell as the officer would read it back in the problems tab."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    return header_text(raw)


def _row_problems(findings, keep, row_numbers, header_map: HeaderMap, title: str) -> list[RowProblem]:
    found = []
    for column, index, raw, problems, empty in findings:
        header = header_map.headers[index]
        for i in np.flatnonzero(keep & (problems != "")):
            found.append((row_numbers[i], index, RowProblem(title, int(row_numbers[i]), header,
                                                            cell_text(raw[i]), problems[i])))
        if column.not_blank:
            for i in np.flatnonzero(keep & empty):
                found.append((row_numbers[i], index, RowProblem(title, int(row_numbers[i]), header,
                                                                cell_text(raw[i]), VALUE_REQUIRED)))
    return [problem for _row, _index, problem in sorted(found, key=lambda f: (f[0], f[1]))]


def _row_at(grid: Grid, row_number: int) -> list:
    return list(grid[row_number - 1]) if len(grid) >= row_number else []


def _cell(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _matrix(rows: Grid, header_width: int) -> np.ndarray:
    """Rows padded with None to one width (trailing empty cells may have been trimmed), one array per column."""
    width = max([header_width, *map(len, rows)])
    matrix = np.empty((len(rows), width), dtype=object)
    for i, row in enumerate(rows):
        matrix[i, :len(row)] = row
    return np.ascontiguousarray(matrix.T)
