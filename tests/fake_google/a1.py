"""A1 notation, parsed as the Sheets API reads it and formatted as it answers."""
from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTED = re.compile(r"'((?:[^']|'')*)'(?:!(.*))?", re.S)
_END = re.compile(r"\$?([A-Za-z]{0,3})\$?([0-9]*)")
_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*")


@dataclass(frozen=True)
class Box:
    """Rows and columns, 0-based with exclusive ends; None means open (to the edge of the grid)."""

    r0: int = 0
    c0: int = 0
    r1: int | None = None
    c1: int | None = None

    def closed(self, rows: int, cols: int) -> Box:
        return Box(self.r0, self.c0, rows if self.r1 is None else self.r1, cols if self.c1 is None else self.c1)

    @property
    def single_cell(self) -> bool:
        return self.r1 == self.r0 + 1 and self.c1 == self.c0 + 1


def split(text: str) -> tuple[str | None, str | None]:
    """(tab, cells): `'it''s'!A1` → ("it's", "A1"); `'ศภ.1'` → ("ศภ.1", None); `A1:B2` → (None, "A1:B2")."""
    if text.startswith("'"):
        match = _QUOTED.fullmatch(text)
        if match is None:
            raise ValueError(text)
        return match[1].replace("''", "'"), match[2]
    if "!" in text:
        tab, cells = text.rsplit("!", 1)
        return tab, cells
    return None, text


def column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _span(first: str, last: str | None, start: int) -> tuple[int, int | None]:
    """One dimension of a range; `start` converts the first end to 0-based."""
    a = int(first) - start if first else None
    b = (int(last) if last.isdigit() else column_index(last) + 1) if last else None
    if a is not None and b is not None:
        return min(a, b - 1), max(a, b - 1) + 1
    return (a or 0), b


def box(cells: str) -> Box:
    """`A1`, `A1:B2`, `A:B`, `1:2`, `A1:B` (open rows), `A1:1` (open columns), reversed ends normalised."""
    ends = cells.split(":")
    if len(ends) > 2:
        raise ValueError(cells)
    parsed = [_END.fullmatch(end) for end in ends]
    if any(m is None or not (m[1] or m[2]) for m in parsed) or any(m[2] == "0" or m[2].startswith("0")
                                                                     for m in parsed if m[2]):
        raise ValueError(cells)
    (ca, ra), *rest = [(m[1], m[2]) for m in parsed]
    if not rest:
        if not (ca and ra):
            raise ValueError(cells)
        return Box(int(ra) - 1, column_index(ca), int(ra), column_index(ca) + 1)
    cb, rb = rest[0]
    r0, r1 = _span(ra, rb, 1)
    c0, c1 = _span(str(column_index(ca)) if ca else "", cb, 0)
    return Box(r0, c0, r1, c1)


def quote(title: str) -> str:
    """A tab title as Google writes it in ranges: bare only for plain ASCII names that cannot be a cell."""
    if _PLAIN_TITLE.fullmatch(title) and not _CELL_LIKE.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, area: Box) -> str:
    """`Sheet1!A1:D4`, or `Sheet1!A1` for one cell (the box must be closed)."""
    start = f"{column_letters(area.c0)}{area.r0 + 1}"
    if area.single_cell:
        return f"{quote(title)}!{start}"
    return f"{quote(title)}!{start}:{column_letters(area.c1 - 1)}{area.r1}"
