"""The `ข้อผิดพลาดข้อมูล` service tab: every row problem with its severity, how to fix it, a link to its cell
and when it was first seen; a fixed problem is simply not listed on the next run."""
from __future__ import annotations

from datetime import datetime

from app.sheets.a1 import cell_ref
from app.sheets.cell_dates import kept_serial
from app.sheets.grid import DATETIME_FORMAT, NOTE_PREFIX, Cell, Grid, Link, NoteKey, StatusColour, TabStyle
from app.sheets.headers import HEADER_SEARCH_ROWS
from app.sheets.problem_advice import CHECK, MUST_FIX, NOTE, advise
from app.sheets.problems import RowProblem
from app.sheets.thai_time import serial
from app.sync.workflow import ServiceTab

PROBLEMS_TITLE = "ข้อผิดพลาดข้อมูล"
PROBLEMS_HEADER = ("แท็บ", "แถว", "คอลัมน์", "ค่า", "ปัญหา", "ระดับ", "วิธีแก้", "ไปที่เซลล์", "พบครั้งแรก")
FIRST_SEEN = PROBLEMS_HEADER.index("พบครั้งแรก")
SEVERITY_COLOURS = ((MUST_FIX, "FFC7CE"), (CHECK, "FFEB9C"), (NOTE, "E7E6E6"))
MAX_NOTES = 500  # cells noted per run: beyond this the problems tab alone lists them (a request stays small)


def _key(tab, row, column, value, problem) -> tuple:
    return (str(tab or ""), str(row if row not in (None, "") else ""), str(column or ""), str(value or ""),
            str(problem or ""))


def problem_cell(problem: RowProblem, grids: dict[str, Grid]) -> tuple[int, int] | None:
    """(row, column) of a problem, its column found by header in the first of the tab's top rows (up to
    HEADER_SEARCH_ROWS, and to the problem's own row) that holds it: seed 002's tabs have a row of labels above
    their headers. Column A when none does; None for a tab the run did not read."""
    if problem.tab not in grids:
        return None
    row = problem.row or 1
    for header in grids[problem.tab][:min(row, HEADER_SEARCH_ROWS)]:
        if problem.column in header:
            return row, list(header).index(problem.column) + 1
    return row, 1


def cell_notes(problems: list[RowProblem], grids: dict[str, Grid], officer_tabs: set[str]) -> dict[NoteKey, str]:
    """The note for each officer cell a problem points at (several problems on one cell share one note): what is
    wrong and how to fix it, after NOTE_PREFIX so that an officer sees who wrote it. At most MAX_NOTES cells."""
    lines: dict[NoteKey, list[str]] = {}
    for p in sorted(set(problems), key=lambda p: (p.tab, p.row or 0, p.column, p.problem, p.value)):
        if p.tab not in officer_tabs or not p.row or p.row < 2:  # row 1: a header problem, no cell to mark
            continue
        row, col = problem_cell(p, grids)
        advice = advise(p.problem, p.row, p.column, (grids.get(p.tab) or [[]])[0])
        if advice.severity == NOTE:  # nothing to fix: the problems tab lists it, the officer's cell stays clean
            continue
        line = f"{p.problem} — วิธีแก้: {advice.fix}" if advice.fix else p.problem
        if (p.tab, row, col) in lines or len(lines) < MAX_NOTES:
            lines.setdefault((p.tab, row, col), []).append(line)
    return {key: NOTE_PREFIX + "\n".join(dict.fromkeys(found)) for key, found in lines.items()}


def problems_tab(problems: list[RowProblem], existing: Grid | None, now: datetime,
                 grids: dict[str, Grid] | None = None) -> ServiceTab:
    """One row per distinct problem, in sheet order; `พบครั้งแรก` is kept from the previous run (as a date
    cell; the text older versions wrote is read back as its moment)."""
    grids = grids or {}
    old_header = list(existing[0]) if existing else []
    seen_at = old_header.index("พบครั้งแรก") if "พบครั้งแรก" in old_header else None
    first_seen = {_key(*row[:5]): row[seen_at] for row in (existing or [])[1:]
                  if seen_at is not None and len(row) > seen_at and row[seen_at]}
    stamp = serial(now)
    rows: Grid = []
    seen = set()
    for p in sorted(set(problems), key=lambda p: (p.tab, p.row or 0, p.column, p.problem, p.value)):
        key = _key(p.tab, p.row, p.column, p.value, p.problem)
        if key in seen:
            continue
        seen.add(key)
        tab_grid = grids.get(p.tab) or [[]]
        advice = advise(p.problem, p.row, p.column, tab_grid[0])
        where = problem_cell(p, grids)
        link: Cell = Link(f"{p.tab}!{cell_ref(*where)}", p.tab, *where) if where else ""
        kept = kept_serial(first_seen.get(key))
        rows.append([p.tab, p.row, p.column, p.value, p.problem, advice.severity, advice.fix, link,
                     stamp if kept is None else kept])
    severity = PROBLEMS_HEADER.index("ระดับ") + 1
    style = TabStyle(title=PROBLEMS_TITLE, columns=len(PROBLEMS_HEADER),
                     number_formats={FIRST_SEEN + 1: DATETIME_FORMAT},
                     status_colours=tuple(StatusColour(severity, word, rgb) for word, rgb in SEVERITY_COLOURS))
    return ServiceTab(PROBLEMS_TITLE, PROBLEMS_HEADER, rows, style)
