"""Value types for sheet content and the look of service tabs (pure data, shared by all layers)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Union

# A cell as both backends read it: numbers and dates unformatted (dates as serial days since 1899-12-30),
# text as text, booleans as bool, empty as None. Trailing empty cells and rows are trimmed, as Google does.
Cell = Union[str, int, float, bool, None]
Grid = list[list[Cell]]


@dataclass(frozen=True)
class RangeWrite:
    """A rectangle of values written from (row, col), both 1-based, in one tab. Text is always written RAW."""

    tab: str
    row: int
    col: int
    values: Grid


@dataclass(frozen=True)
class StatusColour:
    """Background colour for cells of a column whose text starts with `prefix` (a conditional format)."""

    column: int  # 1-based
    prefix: str
    rgb: str  # "RRGGBB"


@dataclass(frozen=True)
class TabStyle:
    """How a service tab looks: frozen header, warning-only protection, number formats, status colours."""

    title: str
    columns: int  # width of the tab's header
    frozen_rows: int = 1
    number_formats: dict[int, str] = field(default_factory=dict)  # 1-based column → pattern, e.g. "#,##0.00"
    status_colours: tuple[StatusColour, ...] = ()

    def signature(self) -> str:
        """A short stable text that changes whenever the style does (lets adapters skip re-styling)."""
        text = repr((self.columns, self.frozen_rows, sorted(self.number_formats.items()), self.status_colours))
        return hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class WriteStats:
    """What one write did: requests sent, cells written, tabs created or re-styled."""

    requests: int = 0
    cells: int = 0
    tabs_created: tuple[str, ...] = ()
    tabs_styled: tuple[str, ...] = ()


