"""Match a sheet's header row to a tab spec: any column order, extra columns ignored, spacing and Unicode form too."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from app.errors import LayoutError
from app.sheets.a1 import column_letter
from app.sheets.problems import RowProblem, problem_text

if TYPE_CHECKING:
    from app.sheets.layout import TabSpec

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Sara am (ำ) typed as nikhahit + sara aa (ํ + า), with or without a tone mark between: looks the same.
_SPLIT_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def normalize_header(text: object) -> str:
    """Text for matching: NFC, sara am composed, zero-width marks dropped, spaces collapsed, ๐–๙ as 0–9, casefold."""
    text = unicodedata.normalize("NFC", "" if text is None else str(text))
    text = _SPLIT_SARA_AM.sub("\\1\\2\u0e33", _ZERO_WIDTH.sub("", text))
    return " ".join(text.translate(THAI_DIGITS).split()).casefold()  # split() knows NBSP and other spaces


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
    headers: tuple[str, ...]
    problems: tuple[RowProblem, ...] = ()

    def header_of(self, key: str) -> str:
        """The sheet's header text of a column key or a group member key (`topic:C1`)."""
        group, _, code = key.partition(":")
        index = self.groups[group][code] if code else self.columns[key]
        return self.headers[index]


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
                  tab_title: str | None = None) -> HeaderMap:
    """Find every spec column and family member in the header row; raise MissingHeader if a required one is absent."""
    title = tab_title or tab_spec.title or tab_spec.key
    texts = tuple(header_text(cell) for cell in header_row)
    by_name = {normalize_header(name): column.key for column in tab_spec.columns for name in column.names}
    patterns = [(group.key, re.compile(group.pattern)) for group in tab_spec.groups]
    columns: dict[str, int] = {}
    groups: dict[str, dict[str, int]] = {group.key: {} for group in tab_spec.groups}
    problems = []
    for index, text in enumerate(texts):
        name = normalize_header(text)
        slot, code = _place(name, by_name, patterns, columns, groups)
        if slot is None:
            continue
        if code in slot:
            problems.append(_duplicate(title, tab_spec.header_row, text, slot[code]))
        else:
            slot[code] = index
    missing = [c.header for c in tab_spec.columns if c.required and c.key not in columns]
    missing += [g.header for g in tab_spec.groups if g.required and not groups[g.key]]
    if missing:
        raise MissingHeader(workbook_title, title, missing, tab_spec.workbook)
    return HeaderMap(columns, groups, texts, tuple(problems))


def _place(name, by_name, patterns, columns, groups) -> tuple[dict | None, str]:
    if not name:
        return None, ""
    if name in by_name:
        return columns, by_name[name]
    for key, pattern in patterns:
        found = pattern.search(name)
        if found and found.group("code"):
            return groups[key], group_code(found.group("code"))
    return None, ""


def _duplicate(tab: str, row: int, text: str, first_index: int) -> RowProblem:
    first = column_letter(first_index + 1)
    return RowProblem(tab, row, text, "", problem_text(
        f"หัวคอลัมน์ซ้ำกับคอลัมน์ {first}: ใช้คอลัมน์ {first} และข้ามคอลัมน์นี้",
        f"duplicate of column {first}: column {first} is used and this one is ignored"))
