"""Text longer than a backend holds in one cell (Google 50,000 characters, .xlsx 32,767) is cut to fit, with a
problem line. Google refuses the whole write otherwise, so every later run would fail; a .xlsx reader cuts it on
its own, so every run would find the cell changed and rewrite it."""
from __future__ import annotations

from dataclasses import replace
from itertools import chain, compress

from app.sheets.problems import RowProblem, problem_text
from app.sync.workflow import ServiceTab

CUT_MARK = "…"
PREVIEW_CHARS = 60  # of the cut text, in the problem line


def clipped(tabs: list[ServiceTab], limit: int) -> tuple[list[ServiceTab], list[RowProblem]]:
    """The tabs with every text cell at most `limit` characters (the cut ones end with …), and one problem each."""
    problems: list[RowProblem] = []
    out = []
    for tab in tabs:
        if _longest_text(tab.rows) <= limit:
            out.append(tab)
            continue
        rows = []
        for r, row in enumerate(tab.rows, start=2):
            cut = [value[:limit - len(CUT_MARK)] + CUT_MARK if _too_long(value, limit) else value for value in row]
            problems += [_problem(tab, r, c, value, limit) for c, value in enumerate(row) if _too_long(value, limit)]
            rows.append(cut)
        out.append(replace(tab, rows=rows))
    return out, problems


def _longest_text(rows: list[list]) -> int:
    """The length of the longest text cell, found in C: every cell of every service tab comes here twice a run."""
    cells = list(chain.from_iterable(rows))
    text_types = {kind for kind in set(map(type, cells)) if issubclass(kind, str)}
    return max(map(len, compress(cells, map(text_types.__contains__, map(type, cells)))), default=0)


def _too_long(value: object, limit: int) -> bool:
    return isinstance(value, str) and len(value) > limit


def _problem(tab: ServiceTab, row: int, col: int, value: str, limit: int) -> RowProblem:
    column = tab.header[col] if col < len(tab.header) else ""
    return RowProblem(tab.title, row, column, value[:PREVIEW_CHARS] + CUT_MARK, problem_text(
        f"ข้อความยาว {len(value):,} ตัวอักษร เกินที่เซลล์หนึ่งเก็บได้ ({limit:,}): ตัดให้สั้นลงแล้ว",
        f"text of {len(value):,} characters is over the {limit:,} a cell holds: cut to fit"))
