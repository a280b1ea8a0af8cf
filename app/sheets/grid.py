"""Value types for sheet content and the look of service tabs (pure data, shared by all layers)."""
from __future__ import annotations

import hashlib
import marshal
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, compress, repeat, zip_longest
from math import copysign, isfinite
from operator import is_
from typing import Sequence, Union

# Column formats every backend spells its own way: real date / date-time cells shown in พ.ศ., day first.
DATE_FORMAT = "date"
DATETIME_FORMAT = "datetime"
WIDTH_CAP = 360  # pixels: a wider column is capped and its text wrapped
HEADER_WIDTH_CAP = 140  # a header wraps rather than widen its column beyond this


@dataclass(frozen=True)
class Link:
    """A service-written link to a cell of the same workbook: shows `text`, opens `tab`!row:col. Only the
    service's own tabs hold one (as a formula on Google, a hyperlink on .xlsx); read back it is its text."""

    text: str
    tab: str
    row: int
    col: int

    def __str__(self) -> str:
        return self.text


# A cell as both backends read it: numbers and dates unformatted (dates as serial days since 1899-12-30),
# text as text, booleans as bool, empty as None. Trailing empty cells and rows are trimmed, as Google does.
# A Link is only ever written, never read.
Cell = Union[str, int, float, bool, None, Link]
Grid = list[list[Cell]]


def cells_digest(cells: object) -> str:
    """A digest of cells as a read gives them (text, numbers, booleans, None, in lists and tuples): marshal (format 2,
    without shared references) writes each kind apart, so 1, 1.0 and True differ; about 0.1 s for 35 MB of cells.
    ValueError for a value marshal cannot write."""
    return hashlib.blake2b(marshal.dumps(cells, 2), digest_size=20).hexdigest()


def read_back(value: Cell) -> Cell:
    """A written cell as a read gives it: a link as its text, a whole number as an int (Google answers 3 for 3.0,
    and a .xlsx read does the same), "" as blank."""
    if isinstance(value, Link):
        value = value.text
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else float(value)
    return value


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
    first_row: int = 2
    last_row: int | None = None  # None: to the end of the tab


@dataclass(frozen=True)
class ColumnFormat:
    """A number format (a pattern like "#,##0.00", or DATE_FORMAT / DATETIME_FORMAT) on rows of one column."""

    column: int  # 1-based
    pattern: str
    first_row: int = 2
    last_row: int | None = None  # None: to the end of the tab


@dataclass(frozen=True)
class TabStyle:
    """How a service tab looks: frozen wrapped header, warning-only protection, column widths, number formats
    (whole columns, or row ranges such as a second table below), bold rows (totals), status colours."""

    title: str
    columns: int  # width of the tab's header
    frozen_rows: int = 1
    number_formats: dict[int, str] = field(default_factory=dict)  # 1-based column → pattern, e.g. "#,##0.00"
    status_colours: tuple[StatusColour, ...] = ()
    widths: tuple[int, ...] = ()  # pixels per column, from fit_widths
    ranged_formats: tuple[ColumnFormat, ...] = ()
    bold_rows: tuple[int, ...] = ()  # 1-based rows beyond the header: totals, a lower table's header
    clipped: tuple[int, ...] = ()  # 1-based columns cut at the cap instead of wrapped (long links)

    def formats(self) -> list[ColumnFormat]:
        """Every number format: whole columns first, then the ranged ones (which win where they overlap)."""
        return [ColumnFormat(col, pattern) for col, pattern in sorted(self.number_formats.items())] \
            + list(self.ranged_formats)

    def wrapped(self) -> list[int]:
        """Columns (1-based) whose content reached the width cap: their text wraps instead of being cut."""
        return [i for i, width in enumerate(self.widths, start=1) if width >= WIDTH_CAP and i not in self.clipped]
    owner_mark: str = ""  # the service tab's own title, marked on the tab it is written to (not part of the look)

    def signature(self) -> str:
        """A short stable text that changes whenever the style does (lets adapters skip re-styling)."""
        text = repr((self.columns, self.frozen_rows, sorted(self.number_formats.items()), self.status_colours,
                     self.widths, self.ranged_formats, self.bold_rows, self.clipped))
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def text_width(text: str) -> int:
    """Characters that take room on screen: Thai vowel and tone marks above or below a letter take none."""
    if text.isascii():  # no marks: checked in C
        return len(text)
    return sum(1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn")


def wrapped_lines(value: Cell, width: int, pixels_per_char: int = 8) -> int:
    """How many lines a wrapped cell takes in a column `width` pixels wide (a backend without automatic row
    heights sets the row's height from this)."""
    per_line = max(1, (width - 16) // pixels_per_char)
    return max(1, -(-text_width("" if value is None else str(value)) // per_line))


def _shown(value: Cell, pattern: str | None) -> str:
    """A cell roughly as its format shows it, for measuring."""
    if pattern == DATE_FORMAT:
        return "00/00/0000"
    if pattern == DATETIME_FORMAT:
        return "00/00/0000 00:00"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.2f}" if pattern and "." in pattern else f"{value:,.0f}" if pattern else str(value)
    return "" if value is None else str(value)


def fit_widths(grid: Sequence[Sequence[Cell]], style: TabStyle, pixels_per_char: int = 8) -> tuple[int, ...]:
    """Pixel widths that fit each column's longest cell (the header counts up to HEADER_WIDTH_CAP, as it
    wraps), at least 60 and at most WIDTH_CAP; rounded up to 20 px so a slightly longer name does not
    re-style the tab."""
    by_column: dict[int, list[ColumnFormat]] = {}
    for fmt in style.formats():
        by_column.setdefault(fmt.column, []).append(fmt)
    columns = list(zip_longest(*grid[1:]))  # one tuple per column, None where a row is short (as blank)
    widths = []
    for col in range(style.columns):
        header = grid[0][col] if grid and col < len(grid[0]) else ""
        longest = min(text_width(_shown(header, None)) * pixels_per_char, HEADER_WIDTH_CAP)
        cells = columns[col] if col < len(columns) else ()
        shown = _shown_column(cells, _row_patterns(by_column.get(col + 1, []), len(cells)))
        longest = max(longest, _widest(shown) * pixels_per_char)
        width = min(max(60, longest + 16), WIDTH_CAP)
        widths.append(width if width == WIDTH_CAP else -(-width // 20) * 20)
    return tuple(widths)


def _row_patterns(formats: list[ColumnFormat], rows: int) -> list[str | None]:
    """The number format of each data row (sheet row 2 on) of one column: the last format covering it wins."""
    patterns: list[str | None] = [None] * rows
    for fmt in formats:
        first = max(fmt.first_row, 2) - 2
        last = rows if fmt.last_row is None else min(fmt.last_row - 1, rows)
        if first < last:
            patterns[first:last] = [fmt.pattern] * (last - first)
    return patterns


def _shown_column(cells: Sequence[Cell], patterns: list[str | None]) -> set[str]:
    """The distinct texts of one column's non-blank cells (None, "") roughly as their formats show them, or of
    those that may be the widest (a column of figures or dates in one format). An unformatted cell shows as its
    str(), taken for the whole column in C: str(None) is "None", so that text stays only when a cell holds it, and
    a text that shows as "" takes no room anyway."""
    if not any(patterns):
        shown = set(map(str, cells))
        shown.discard("")
        if "None" in shown and "None" not in cells:
            shown.discard("None")
        return shown
    pattern = patterns[0]
    uniform = patterns.count(pattern) == len(patterns)
    if uniform and pattern in (DATE_FORMAT, DATETIME_FORMAT):  # every cell shown in the format looks alike
        return {_shown(None, pattern)} if any(cell is not None and cell != "" for cell in cells) else set()
    if uniform and set(map(type, cells)) <= {int, float, str, type(None)}:  # figures in one number format, and blanks
        kinds = list(map(type, cells))
        if not "".join(compress(cells, map(is_, kinds, repeat(str)))):  # its text cells, if any, are all ""
            figures = list(chain(*(compress(cells, map(is_, kinds, repeat(kind))) for kind in (int, float))))
            return set(map(format, _widest_figures(figures), repeat(",.2f" if "." in pattern else ",.0f")))
    # a formatted column repeats its values (weights, day counts, dates): each is shown once; values alike by repr
    # show alike, while True, 1, 1.0 and -0.0, 0.0 (equal as keys) may not
    distinct = dict(zip(zip(map(repr, cells), patterns), zip(cells, patterns)))
    return {_shown(value, pattern) for value, pattern in distinct.values() if value not in (None, "")}


def _widest_figures(figures: list[int | float]) -> list[int | float]:
    """The figures of a column whose text in one number format may be the widest: rounded to a fixed number of
    decimals, a figure's text never gets shorter as the figure grows away from zero, and a minus sign takes room
    (-0.0 shows as "-0"). So the largest and the smallest figure (or -0.0) are measured, not 22,000 of them; with
    nan or inf in the column, every figure is."""
    if not figures or not all(map(isfinite, figures)):
        return figures
    low, high = min(figures), max(figures)
    if low == 0 and min(map(copysign, repeat(1.0), figures)) < 0:
        low = -0.0
    return [low, high]


def _widest(texts: set[str]) -> int:
    """The largest text_width of the texts. A text is never wider than its length, so the texts are measured
    longest first and the search stops once no shorter one can be wider: a column of names measures a few."""
    widest = 0
    for text in sorted(texts, key=len, reverse=True):
        if len(text) <= widest:
            break
        widest = max(widest, text_width(text))
    return widest


NoteKey = tuple[str, int, int]  # a cell of an officer's tab: (tab, row, column), 1-based
NOTE_PREFIX = "ระบบ: "  # starts every note the service puts on an officer's cell: officers see who wrote it


def note_digest(text: str) -> str:
    """What the run store keeps of a note the service wrote: enough to recognise it, none of its words (a note
    may quote a national ID)."""
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class NotedCell:
    """A cell the service meant to note: the note's digest, and whether the note is the service's (False: the
    officer's own note was there, so the service left it and wrote nothing)."""

    digest: str
    written: bool


@dataclass(frozen=True)
class CellNotes:
    """The notes the service wants on officers' cells now (text by cell), and the cells it noted before."""

    wanted: dict[NoteKey, str]
    previous: dict[NoteKey, NotedCell]


@dataclass(frozen=True)
class WriteStats:
    """What one write did: requests sent, cells written, tabs created or re-styled, and the cells the service
    keeps a note on after it (None: this workbook does not write notes)."""

    requests: int = 0
    cells: int = 0
    tabs_created: tuple[str, ...] = ()
    tabs_styled: tuple[str, ...] = ()
    notes: dict[NoteKey, NotedCell] | None = None




def shown_text(value: Cell, pattern: str | None) -> str:
    """A cell as an officer reads it in the tab: a date cell as `21/11/2569 10:00` (พ.ศ.), a number with
    separators, a link as its text; "" for blank."""
    if value is None or value == "":
        return ""
    if pattern in (DATE_FORMAT, DATETIME_FORMAT) and isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime(1899, 12, 30) + timedelta(minutes=round(value * 1440))
        year = moment.year + 543
        text = f"{moment.day:02d}/{moment.month:02d}/{year}"
        return f"{text} {moment.hour:02d}:{moment.minute:02d}" if pattern == DATETIME_FORMAT else text
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def pattern_at(style: TabStyle, row: int, col: int) -> str | None:
    """The number format of one cell of a tab with this style (the last one covering it wins)."""
    return next((f.pattern for f in reversed(style.formats()) if f.column == col and f.first_row <= row
                 and (f.last_row is None or row <= f.last_row)), None)
