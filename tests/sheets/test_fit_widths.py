"""fit_widths measures only the longest texts of a column and formats a column at once; these tests hold it to the
plain definition (every cell of every row, its format looked up row by row), which it must match exactly: a width
that moves by one step re-styles every service tab on the next run."""
from __future__ import annotations

import random

from app.sheets.grid import (DATE_FORMAT, DATETIME_FORMAT, HEADER_WIDTH_CAP, WIDTH_CAP, ColumnFormat, Link, TabStyle,
                             _shown, fit_widths, text_width)

THAI = ["สมชาย", "เชียงใหม่", "ผ่านการประเมิน", "ข้อมูลไม่เพียงพอ", "ที่ปรึกษา", "กรุงเทพมหานคร", "นางสาว", "ผู้ใหญ่บ้าน"]


def widths_cell_by_cell(grid, style, pixels_per_char=8):
    """The definition: each column's widest shown cell, its format the last one covering its row."""
    formats = style.formats()
    widths = []
    for col in range(style.columns):
        header = grid[0][col] if grid and col < len(grid[0]) else ""
        longest = min(text_width(_shown(header, None)) * pixels_per_char, HEADER_WIDTH_CAP)
        for number, row in enumerate(grid[1:], start=2):
            if col < len(row) and row[col] not in (None, ""):
                pattern = next((f.pattern for f in reversed(formats) if f.column == col + 1 and f.first_row <= number
                                and (f.last_row is None or number <= f.last_row)), None)
                longest = max(longest, text_width(_shown(row[col], pattern)) * pixels_per_char)
        width = min(max(60, longest + 16), WIDTH_CAP)
        widths.append(width if width == WIDTH_CAP else -(-width // 20) * 20)
    return tuple(widths)


def _cell(rng: random.Random):
    kind = rng.randrange(10)
    if kind == 0:
        return None
    if kind == 1:
        return ""
    if kind == 2:
        return rng.choice([True, False])
    if kind == 3:
        return rng.randrange(-10**7, 10**9)
    if kind == 4:
        return rng.uniform(-1e6, 1e6)
    if kind == 9:  # equal as keys, shown apart: True == 1 == 1.0, -0.0 == 0 == False
        return rng.choice([True, 1, 1.0, -0.0, 0.0, 0, False, 1e21, -1e-7])
    if kind == 5:
        return Link(rng.choice(THAI) * rng.randrange(1, 4), "t", 2, 1)
    if kind == 6:
        return "x" * rng.randrange(0, 60)
    return "".join(rng.choice(THAI) for _ in range(rng.randrange(1, 6)))


def test_widths_match_the_cell_by_cell_definition_on_mixed_columns():
    rng = random.Random(12)
    for _ in range(60):
        columns = rng.randrange(1, 7)
        rows = rng.randrange(0, 40)
        grid = [[rng.choice(THAI) * rng.randrange(0, 4) for _ in range(rng.randrange(0, columns + 1))]]
        grid += [[_cell(rng) for _ in range(rng.randrange(0, columns + 2))] for _ in range(rows)]
        patterns = ["0", "0.00", "#,##0", DATE_FORMAT, DATETIME_FORMAT]
        whole = {c: rng.choice(patterns) for c in range(1, columns + 1) if rng.random() < 0.4}
        ranged = tuple(ColumnFormat(rng.randrange(1, columns + 1), rng.choice(patterns), rng.randrange(1, rows + 3),
                                    rng.choice([None, rng.randrange(1, rows + 3)])) for _ in range(rng.randrange(3)))
        style = TabStyle("t", columns, number_formats=whole, ranged_formats=ranged)
        assert fit_widths(grid, style) == widths_cell_by_cell(grid, style), (grid, style)


def test_a_shorter_text_with_fewer_marks_can_be_the_widest():
    """Marks take no room: "ที่ที่ที่" is longer than "กกกกก" but narrower; both must be measured."""
    grid = [["h"], ["ที่" * 3], ["ก" * 5], ["ท" * 2]]
    style = TabStyle("t", 1)
    assert fit_widths(grid, style) == widths_cell_by_cell(grid, style) == (60,)
    grid = [["h"], ["ที่" * 8], ["ก" * 20]]
    assert fit_widths(grid, style) == widths_cell_by_cell(grid, style) == (180,)


def test_columns_of_figures_match_the_definition():
    """A column of numbers (and blanks, None or "") in one number format is formatted at once; it must still show
    -0.0 as "-0", large and tiny values, and nan / inf as the definition does; one other text and it is not."""
    rng = random.Random(7)
    special = [-0.0, 0.0, 0, float("nan"), float("inf"), float("-inf"), 1e21, -1e-7, 999.995, -999.995, 10**15]
    for _ in range(40):
        rows = [[rng.choice([None, "", rng.choice(special), rng.uniform(-1e7, 1e7), rng.randrange(-10**6, 10**9)])
                 for _ in range(rng.randrange(0, 4))] for _ in range(rng.randrange(0, 30))]
        grid = [["a", "b", "c"], *rows]
        style = TabStyle("t", 3, number_formats={1: "0.00", 2: "#,##0", 3: rng.choice(["0", "0.0", DATE_FORMAT])})
        assert fit_widths(grid, style) == widths_cell_by_cell(grid, style), grid
        grid.append([True, "ที่ที่ที่ที่ที่ที่ที่ที่ที่ที่", "x" * rng.randrange(1, 30)])
        assert fit_widths(grid, style) == widths_cell_by_cell(grid, style), grid


def test_a_column_of_figures_is_as_wide_as_its_largest_or_its_smallest_figure():
    """Only the two ends of a column of figures are formatted: whichever is further from zero, or a negative
    zero ("-0.00") where the rest are zeros, decides (measured at 20 px a character, where one more shows)."""
    style = TabStyle("t", 1, number_formats={1: "0.00"})
    for figures in ([0.0, -0.0, 0], [5, -12.5, 3], [-1e-7, 0.0], [999.995, 12, -3], [0, 0.0]):
        grid = [["h"], *([f] for f in figures)]
        assert fit_widths(grid, style, 20) == widths_cell_by_cell(grid, style, 20), figures
    assert fit_widths([["h"], [0.0], [-0.0]], style, 20) == (120,)  # "-0.00": 5 characters, 116 px
