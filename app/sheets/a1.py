"""A1 notation: column letters and quoted tab names, as Google Sheets writes them."""
from __future__ import annotations


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_tab(title: str) -> str:
    """`ศภ.1` → `'ศภ.1'` (always quoted; a quote inside is doubled)."""
    return "'" + title.replace("'", "''") + "'"


def cell_ref(row: int, col: int) -> str:
    """(2, 3) → `C2`."""
    return f"{column_letter(col)}{row}"


def range_ref(tab: str, row: int, col: int, rows: int = 1, cols: int = 1) -> str:
    """`'tab'!C2:E4` for a rectangle starting at (row, col)."""
    start = cell_ref(row, col)
    end = cell_ref(row + rows - 1, col + cols - 1)
    return f"{quote_tab(tab)}!{start}" if start == end else f"{quote_tab(tab)}!{start}:{end}"
