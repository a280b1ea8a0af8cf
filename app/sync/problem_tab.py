"""The `ข้อผิดพลาดข้อมูล` service tab: every row problem, keeping when each was first seen."""
from __future__ import annotations

from datetime import datetime

from app.sheets.grid import Grid, TabStyle
from app.sheets.problems import RowProblem
from app.sheets.thai_time import format_be
from app.sync.workflow import ServiceTab

PROBLEMS_TITLE = "ข้อผิดพลาดข้อมูล"
PROBLEMS_HEADER = ("แท็บ", "แถว", "คอลัมน์", "ค่า", "ปัญหา", "พบครั้งแรก")


def _key(tab, row, column, value, problem) -> tuple:
    return (str(tab or ""), str(row if row not in (None, "") else ""), str(column or ""), str(value or ""),
            str(problem or ""))


def problems_tab(problems: list[RowProblem], existing: Grid | None, now: datetime) -> ServiceTab:
    """One row per distinct problem, in sheet order; `พบครั้งแรก` is kept from the previous run."""
    first_seen = {_key(*row[:5]): row[5] for row in (existing or [])[1:] if len(row) >= 6 and row[5]}
    stamp = format_be(now)
    rows, seen = [], set()
    for p in sorted(set(problems), key=lambda p: (p.tab, p.row or 0, p.column, p.problem, p.value)):
        key = _key(p.tab, p.row, p.column, p.value, p.problem)
        if key not in seen:
            seen.add(key)
            rows.append([p.tab, p.row, p.column, p.value, p.problem, first_seen.get(key, stamp)])
    style = TabStyle(title=PROBLEMS_TITLE, columns=len(PROBLEMS_HEADER))
    return ServiceTab(PROBLEMS_TITLE, PROBLEMS_HEADER, rows, style)
