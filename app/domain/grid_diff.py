"""Compare a service tab's desired content with what the sheet holds; send only the cells that differ."""
from __future__ import annotations

import math
from typing import Sequence

from app.domain.grid import Cell, Grid, RangeWrite


def same_cell(a: Cell, b: Cell) -> bool:
    """Equal as an officer would see them: blank == "", 85 == 85.0, floats to 1e-9 relative."""
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _changed_runs(target: Sequence[Cell], existing: Sequence[Cell]) -> list[tuple[int, int]]:
    """Half-open column spans [start, end) where the two rows differ."""
    width = max(len(target), len(existing))
    runs: list[tuple[int, int]] = []
    start = None
    for c in range(width + 1):
        differs = c < width and not same_cell(target[c] if c < len(target) else None,
                                              existing[c] if c < len(existing) else None)
        if differs and start is None:
            start = c
        elif not differs and start is not None:
            runs.append((start, c))
            start = None
    return runs


def diff_tab(tab: str, target: Grid, existing: Grid | None) -> list[RangeWrite]:
    """Rectangles that turn `existing` into `target`; cells to clear are written as "". Empty when equal."""
    existing = existing or []
    writes: list[RangeWrite] = []
    open_blocks: dict[tuple[int, int], list] = {}  # (start, end) → [first_row, rows] still growing downwards
    for r in range(max(len(target), len(existing))):
        t = target[r] if r < len(target) else []
        e = existing[r] if r < len(existing) else []
        runs = _changed_runs(t, e)
        for span in list(open_blocks):
            if span not in runs:
                first, rows = open_blocks.pop(span)
                writes.append(RangeWrite(tab, first + 1, span[0] + 1, rows))
        for start, end in runs:
            values = [("" if (v := (t[c] if c < len(t) else None)) is None else v) for c in range(start, end)]
            open_blocks.setdefault((start, end), [r, []])[1].append(values)
    for (start, _end), (first, rows) in open_blocks.items():
        writes.append(RangeWrite(tab, first + 1, start + 1, rows))
    return sorted(writes, key=lambda w: (w.row, w.col))


def cell_count(writes: Sequence[RangeWrite]) -> int:
    """How many cells a set of writes touches."""
    return sum(len(row) for w in writes for row in w.values)
