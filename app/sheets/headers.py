"""Match a sheet's header row to a tab spec: any column order, extra columns ignored, spacing and Unicode form too."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from app.errors import LayoutError
from app.sheets.a1 import column_letter
from app.sheets.problems import RowProblem, problem_text

if TYPE_CHECKING:
    from app.sheets.layout import TabSpec

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
HEADER_SEARCH_ROWS = 10  # headers are looked for among the first rows
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Sara am (ำ) typed as nikhahit + sara aa (ํ + า), with or without a tone mark between: looks the same.
_SPLIT_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def normalize_header(text: object) -> str:
    """Text for matching: NFC, sara am composed, zero-width marks dropped, spaces collapsed, ๐–๙ as 0–9, casefold."""
    if text.__class__ is str:  # only text is remembered: 1, 1.0 and True are equal keys but read "1", "1.0", "true"
        return _normalized_text(text)
    return _normalized_text.__wrapped__("" if text is None else str(text))


@lru_cache(maxsize=16_384)  # the same headers, choices and words are looked up again and again in one run
def _normalized_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _SPLIT_SARA_AM.sub("\\1\\2\u0e33", _ZERO_WIDTH.sub("", text))
    return " ".join(text.translate(THAI_DIGITS).split()).casefold()  # split() knows NBSP and other spaces


def header_key(text: object) -> str:
    """A header as compared with the layout: `normalize_header` with every space and line break taken out, since
    officers break Thai headers anywhere to fit a narrow column ("มูลค่าทาง\nเศรษฐกิจ (บาท)", "ชื่อ - นามสกุล")."""
    return "".join(normalize_header(text).split())


class MissingHeader(LayoutError):
    """A required header is not in the tab: the workflow cannot read it until the header (or an alias) is added."""

    def __init__(self, workbook: str, tab: str, headers: Sequence[str], schema: str):
        self.workbook, self.tab, self.headers, self.schema = workbook, tab, tuple(headers), schema
        names = ", ".join(f'"{h}"' for h in self.headers)
        fix = "the header (or an alias" if len(self.headers) == 1 else "the headers (or aliases"
        super().__init__(f'สมุดงาน "{workbook}" แท็บ "{tab}": ไม่พบหัวคอลัมน์ {names} — '
                         f"add {fix} in sheets_schema/{schema}.yaml)")

    @property
    def header(self) -> str:
        """The missing header(s) as one text, for the problems tab."""
        return ", ".join(self.headers)


@dataclass(frozen=True)
class HeaderMap:
    """Where each spec column sits in the sheet (0-based), and the header row as the officer wrote it."""

    columns: dict[str, int]  # column key → index
    groups: dict[str, dict[str, int]]  # group key → {code: index}, in sheet order
    headers: tuple[str, ...]  # a blank header taken by a spanning header's column shows the spec's header
    problems: tuple[RowProblem, ...] = ()
    row: int = 1  # the sheet row of the headers (1-based), found among the first rows
    labels: tuple[str, ...] = ()  # each column's group label from the row above ("" where none)

    def header_of(self, key: str) -> str:
        """The sheet's header text of a column key or a group member key (`topic:C1`)."""
        group, _, code = key.partition(":")
        index = self.groups[group][code] if code else self.columns[key]
        return self.headers[index]

    def label_of(self, index: int) -> str:
        """The group label above column `index` ("" where the sheet has none)."""
        return self.labels[index] if index < len(self.labels) else ""


def header_text(cell: object) -> str:
    """A header cell as text (`None` → "", `3.0` → "3")."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def group_code(raw: str) -> str:
    """A family member's code as used in keys: trimmed, Thai digits as 0–9, upper case, `01` → `1`."""
    code = raw.translate(THAI_DIGITS).strip().upper()
    return str(int(code)) if code.isdigit() else code


def match_headers(header_row: Sequence[object], tab_spec: TabSpec, workbook_title: str, *,
                  tab_title: str | None = None, labels: Sequence[str] = (), row: int | None = None) -> HeaderMap:
    """Find every spec column and family member in the header row; raise MissingHeader if a required one is absent.

    A header the sheet repeats goes to the spec column whose `under` names its group label (`labels`, from the
    row above) or whose `follows` names the header before it; a blank header right of a spanning header (e.g.
    one merged "start to end date" over two columns) is the column that names it in `blank_right_of`.
    """
    title, row = tab_title or tab_spec.title or tab_spec.key, row or tab_spec.header_row
    texts = [header_text(cell) for cell in header_row]
    keys = [header_key(text) for text in texts]
    labels = tuple(labels) + ("",) * (len(texts) - len(labels))
    previous = _previous_headers(keys)
    columns: dict[str, int] = {}
    spoken_for = set()  # every position some column's name matches: never a family member
    problems: list[tuple[int, RowProblem]] = []
    for column in tab_spec.columns:
        names = {header_key(name) for name in column.names}
        found = [i for i, key in enumerate(keys) if key in names]
        spoken_for.update(found)
        found = [i for i in _in_context(found, column, labels, previous) if i not in columns.values()]
        if found:
            columns[column.key] = found[0]
            problems += [(i, _duplicate(title, row, texts[i], found[0])) for i in found[1:]]
    for column in tab_spec.columns:
        spans = {header_key(name) for name in column.blank_right_of}
        beside = [i + 1 for i, key in enumerate(keys) if key in spans and not (keys + [""])[i + 1]]
        if column.key not in columns and beside:
            texts += [""] * (beside[0] + 1 - len(texts))
            columns[column.key], texts[beside[0]] = beside[0], column.header
    groups = _members(texts, tab_spec, set(columns.values()) | spoken_for, title, row, problems)
    missing = [c.header for c in tab_spec.columns if c.required and c.key not in columns]
    missing += [g.header for g in tab_spec.groups if g.required and not groups[g.key]]
    if missing:
        raise MissingHeader(workbook_title, title, missing, tab_spec.workbook)
    ordered = tuple(problem for _index, problem in sorted(problems, key=lambda p: p[0]))
    return HeaderMap(columns, groups, tuple(texts), ordered, row, labels)


def _in_context(found: list[int], column, labels: Sequence[str], previous: Sequence[str]) -> list[int]:
    """The positions that fit the column's context: the header before it, then (among several) its group label."""
    if column.follows:
        follows = {header_key(name) for name in column.follows}
        found = [i for i in found if previous[i] in follows]
    if column.under and len(found) > 1:
        under = [header_key(name) for name in column.under]
        fitting = [i for i in found if not labels[i] or any(header_key(labels[i]).startswith(u) for u in under)]
        found = fitting or found
    return found


def _previous_headers(keys: Sequence[str]) -> list[str]:
    """For each position, the nearest non-blank header to its left ("" for none)."""
    previous, last = [], ""
    for key in keys:
        previous.append(last)
        last = key or last
    return previous


def _members(texts, tab_spec: TabSpec, taken: set[int], title: str, row: int, problems: list) -> dict:
    """Column-family members among the positions no column took, by each family's pattern."""
    patterns = [(group.key, re.compile(group.pattern)) for group in tab_spec.groups]
    groups: dict[str, dict[str, int]] = {group.key: {} for group in tab_spec.groups}
    for index, text in enumerate(texts):
        name = normalize_header(text)
        if index in taken or not name:
            continue
        for key, pattern in patterns:
            found = pattern.search(name)
            if found and found.group("code"):
                code = group_code(found.group("code"))
                if code in groups[key]:
                    problems.append((index, _duplicate(title, row, text, groups[key][code])))
                else:
                    groups[key][code] = index
                break
    return groups


def find_header_row(grid: Sequence[Sequence[object]], tab_spec: TabSpec, search: int = HEADER_SEARCH_ROWS) -> int:
    """The row (1-based) among the first `search` that matches the most of the spec's columns and families; the
    spec's own header row unless another matches more (group-label rows above and titles are passed over)."""
    if tab_spec.fixed_header_row:
        return tab_spec.header_row
    names = [{header_key(name) for name in column.names} for column in tab_spec.columns]
    patterns = [re.compile(group.pattern) for group in tab_spec.groups]

    def score(row_number: int) -> int:
        cells = grid[row_number - 1] if row_number <= len(grid) else []
        keys = {header_key(header_text(cell)) for cell in cells} - {""}
        texts = [normalize_header(header_text(cell)) for cell in cells]
        return sum(bool(keys & n) for n in names) + sum(any(p.search(t) for t in texts) for p in patterns)

    best, best_score = tab_spec.header_row, score(tab_spec.header_row)
    for row_number in range(1, min(len(grid), search) + 1):
        if score(row_number) > best_score:
            best, best_score = row_number, score(row_number)
    return best


def group_labels(grid: Sequence[Sequence[object]], header_row: int) -> tuple[str, ...]:
    """Each column's group label: the nearest non-blank row above the headers, a label running right until the next
    (a merged cell holds its text in its first column only)."""
    width = len(grid[header_row - 1]) if header_row <= len(grid) else 0
    for above in range(header_row - 1, 0, -1):
        cells = [header_text(cell).strip() for cell in grid[above - 1]]
        if any(cells):
            labels, current = [], ""
            for text in cells + [""] * (width - len(cells)):
                current = text or current
                labels.append(current)
            return tuple(labels)
    return ()


def _duplicate(tab: str, row: int, text: str, first_index: int) -> RowProblem:
    first = column_letter(first_index + 1)
    return RowProblem(tab, row, text, "", problem_text(
        f"หัวคอลัมน์ซ้ำกับคอลัมน์ {first}: ใช้คอลัมน์ {first} และข้ามคอลัมน์นี้",
        f"duplicate of column {first}: column {first} is used and this one is ignored"))
