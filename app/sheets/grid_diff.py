"""Compare a service tab's desired content with what the sheet holds; send only the rows that differ."""
from __future__ import annotations

import math
from itertools import repeat
from typing import Sequence

from app.sheets.grid import Cell, Grid, Link, RangeWrite


def same_cell(a: Cell, b: Cell) -> bool:
    """Equal as an officer would see them: blank == "", 85 == 85.0, floats to 1e-9 relative, a link == its text."""
    a, b = (x.text if isinstance(x, Link) else x for x in (a, b))
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


_BLANK_AS_NONE = {"": None}
_NONE_AS_BLANK = {None: ""}


def comparable(row: Sequence[Cell]) -> list[Cell]:
    """A row as a read-back gives it: blank ("" or None) is None, trailing blanks trimmed (Google trims them).
    Done by C loops (map over dict.get), as every row of every service tab goes through it."""
    cells = list(map(_BLANK_AS_NONE.get, row, row))
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def whole_rows_equal(a: Sequence[Cell], b: Sequence[Cell]) -> bool:
    """True when two rows are surely equal cell by cell: equal as comparable rows (a link as its text, as it reads
    back) and free of booleans (True == 1 in Python, never on a sheet). False only means "compare cell by cell"."""
    a = comparable(a)
    if a != b and a != (b := comparable(b)):  # a read-back is mostly comparable already: b is then not rebuilt
        if Link not in map(type, a) or [c.text if type(c) is Link else c for c in a] != b:
            return False
    return bool not in map(type, a) and bool not in map(type, b)


def _changed_span(target: Sequence[Cell], existing: Sequence[Cell]) -> tuple[int, int] | None:
    """[first, last + 1) of the columns where two rows differ; None when they are the same (diff_tab has already
    found them not equal as whole rows)."""
    if not comparable(existing):  # a blank row (all of them on a first run): what changes is what the target fills
        return _filled_span(target)
    width = max(len(target), len(existing))
    changed = [c for c in range(width) if not same_cell(target[c] if c < len(target) else None,
                                                         existing[c] if c < len(existing) else None)]
    return (changed[0], changed[-1] + 1) if changed else None


def _filled_span(row: Sequence[Cell]) -> tuple[int, int] | None:
    """[first, last + 1) of a row's filled cells (a link without text is blank); None for a blank row. Found from
    both ends, not cell by cell: a first run's rows are filled from their first cell."""
    cells = comparable(row)
    while cells and _blank(cells[-1]):
        cells.pop()
    first = next((c for c, value in enumerate(cells) if not _blank(value)), None)
    return None if first is None else (first, len(cells))


def _blank(value: Cell) -> bool:
    """None (comparable made "" None) or a link without text."""
    return value is None or (type(value) is Link and value.text in (None, ""))


def diff_tab(tab: str, target: Grid, existing: Grid | None) -> list[RangeWrite]:
    """One rectangle per run of consecutive changed rows, spanning their changed columns; cells to clear are
    written as "". Unchanged cells inside a rectangle are sent with the value they already hold — a few extra
    cells cost nothing, while splitting at every unchanged cell would send thousands of tiny ranges."""
    existing = existing or []
    writes: list[RangeWrite] = []
    block: list[tuple[int, tuple[int, int]]] = []  # (row index, changed span) of the current run of rows
    for r in range(max(len(target), len(existing))):
        want = target[r] if r < len(target) else []
        if r < len(existing):
            held = existing[r]
            span = None if whole_rows_equal(want, held) else _changed_span(want, held)  # the first: common, in C
        else:  # below what the sheet holds (every row of a new tab): what changes is what the target fills
            span = _filled_span(want)
        if span is not None:
            block.append((r, span))
        elif block:
            writes.append(_rectangle(tab, target, block))
            block = []
    if block:
        writes.append(_rectangle(tab, target, block))
    return writes


def _rectangle(tab: str, target: Grid, block: list[tuple[int, tuple[int, int]]]) -> RangeWrite:
    start = min(span[0] for _, span in block)
    end = max(span[1] for _, span in block)
    rows = []
    for r, _span in block:
        part = target[r][start:end] if r < len(target) else []
        if len(part) < end - start:
            part = [*part, *repeat(None, end - start - len(part))]
        rows.append(list(map(_NONE_AS_BLANK.get, part, part)))  # in C: a first run writes 725,000 cells
    return RangeWrite(tab, block[0][0] + 1, start + 1, rows)


def cell_count(writes: Sequence[RangeWrite]) -> int:
    """How many cells a set of writes sends."""
    return sum(len(row) for w in writes for row in w.values)


def cell_changes(writes: Sequence[RangeWrite], existing: dict[str, Grid]) -> list[tuple[str, int, int, Cell, Cell]]:
    """(tab, row, col, before, after) of every cell the writes would really change (a dry run's list)."""
    changes = []
    for w in writes:
        grid = existing.get(w.tab) or []
        for r, row in enumerate(w.values, start=w.row):
            held = grid[r - 1] if r - 1 < len(grid) else []
            for c, after in enumerate(row, start=w.col):
                before = held[c - 1] if c - 1 < len(held) else None
                if not same_cell(after, before):
                    changes.append((w.tab, r, c, before, after))
    return changes
