"""Hand-written in-memory doubles of our ports, for service tests (they record results, not calls)."""
from __future__ import annotations

from typing import Sequence

from app.adapters.xlsx import trimmed
from app.sheets.grid import Grid, RangeWrite, TabStyle, WriteStats
from app.sync.ports import TabNotFound


class FakeWorkbook:
    """A workbook held in memory; behaves like the real ones (trimming, styles, missing tabs)."""

    def __init__(self, tabs: dict[str, Grid] | None = None, label: str = "fake") -> None:
        self.tabs: dict[str, Grid] = {t: [list(r) for r in g] for t, g in (tabs or {}).items()}
        self.styles: dict[str, TabStyle] = {}
        self._label = label
        self.write_calls = 0

    @property
    def label(self) -> str:
        return self._label

    def tab_titles(self) -> list[str]:
        return list(self.tabs)

    def read(self, titles: Sequence[str]) -> dict[str, Grid]:
        missing = [t for t in titles if t not in self.tabs]
        if missing:
            raise TabNotFound(f"{self.label}: no tab named {missing[0]!r}")
        return {t: trimmed([[None if v == "" else v for v in row] for row in self.tabs[t]]) for t in titles}

    def write(self, writes: Sequence[RangeWrite], styles: Sequence[TabStyle] = ()) -> WriteStats:
        created = [s.title for s in styles if s.title not in self.tabs]
        restyled = [s.title for s in styles if s.title in self.tabs and self.styles.get(s.title) != s]
        if not writes and not created and not restyled:
            return WriteStats()
        for style in styles:
            self.tabs.setdefault(style.title, [])
            self.styles[style.title] = style
        for w in writes:
            if w.tab not in self.tabs:
                raise TabNotFound(f"{self.label}: no tab named {w.tab!r}")
            grid = self.tabs[w.tab]
            for r, row in enumerate(w.values):
                while len(grid) < w.row + r:
                    grid.append([])
                line = grid[w.row + r - 1]
                for c, value in enumerate(row):
                    while len(line) < w.col + c:
                        line.append(None)
                    line[w.col + c - 1] = None if value == "" else value
        self.write_calls += 1
        cells = sum(len(row) for w in writes for row in w.values)
        return WriteStats(requests=1, cells=cells, tabs_created=tuple(created), tabs_styled=tuple(restyled))

    def cell_link(self, tab: str, row: int, col: int) -> str:
        return f"{self.label} › {tab}!R{row}C{col}"
