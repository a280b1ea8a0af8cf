"""Deliberate edits on generated grids, placed at fixed sheet rows so docs and tests can point at them.

Rows are the numbers the officer sees (header = row 1). Edits are applied in this order: inserted rows
(blank rows, repeated rows), then copies, then bad cells; every position is therefore a final position.
An edit whose row is beyond a small grid is skipped, so tiny workbooks still generate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Grid = list[list[Any]]


@dataclass(frozen=True)
class BadCell:
    """A deliberately wrong value: where it is, what it says and why it is wrong (Thai first, English)."""

    tab: str
    row: int
    header: str  # the header as it stands in the tab
    problem: str
    cells: dict[str, Any] = field(default_factory=dict)  # header → value written; the first is the bad one

    def entry(self) -> tuple[str, int, str, str]:
        """The (tab, row, header, problem) line of BAD_ROWS."""
        return (self.tab, self.row, self.header, self.problem)


@dataclass(frozen=True)
class Copy:
    """Row `row` of `tab` takes `headers` from `source_row` of `source_tab` (a repeated person or firm)."""

    tab: str
    row: int
    source_tab: str
    source_row: int
    headers: tuple[str, ...]


def insert_blank(grid: Grid, row: int) -> bool:
    """Insert an empty row so that it becomes sheet row `row`; False when the grid is too short."""
    if not 2 <= row <= len(grid):
        return False
    grid.insert(row - 1, [None] * len(grid[0]))
    return True


def insert_copy(grid: Grid, row: int, source_row: int, changes: dict[str, Any]) -> bool:
    """Insert a copy of `source_row` as sheet row `row`, with some cells changed."""
    if not (2 <= source_row < row <= len(grid)):
        return False
    copied = list(grid[source_row - 1])
    for header, value in changes.items():
        copied[column(grid[0], header)] = value
    grid.insert(row - 1, copied)
    return True


def column(header_row: list, header: str) -> int:
    """Index of `header` in a header row, ignoring extra spaces (some demo headers have them on purpose)."""
    wanted = " ".join(header.split())
    return next(i for i, h in enumerate(header_row) if " ".join(str(h).split()) == wanted)


def _row_ok(grid: Grid, row: int) -> bool:
    return 2 <= row <= len(grid) and any(v is not None for v in grid[row - 1])


def apply_copies(book: dict[str, Grid], copies: list[Copy]) -> None:
    """Copy identity cells between rows (both positions final)."""
    for c in copies:
        target, source = book.get(c.tab), book.get(c.source_tab)
        if target is None or source is None or not _row_ok(target, c.row) or not _row_ok(source, c.source_row):
            continue
        for header in c.headers:
            target[c.row - 1][column(target[0], header)] = source[c.source_row - 1][column(source[0], header)]


def apply_bad_cells(book: dict[str, Grid], bad: list[BadCell]) -> list[BadCell]:
    """Write the bad values; return the ones actually placed."""
    placed = []
    for b in bad:
        grid = book.get(b.tab)
        if grid is None or not _row_ok(grid, b.row):
            continue
        for header, value in b.cells.items():
            grid[b.row - 1][column(grid[0], header)] = value
        placed.append(b)
    return placed
