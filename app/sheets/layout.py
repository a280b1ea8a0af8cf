"""Workbook layouts as frozen objects: workbooks, tabs, columns, column families and settings (sheets_schema/)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from app.sheets.grid import Grid
from app.sheets.headers import find_header_row, normalize_header


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice column and the other spellings that mean it."""

    value: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its key in code, its header in the sheet (plus aliases) and how its cells are typed."""

    key: str
    header: str
    type: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the header must exist, else the workflow stops (MissingHeader)
    not_blank: bool = False  # every data row must have a value, else a row problem
    owner: str = "officer"  # officer | service
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    not_future: bool = False  # dates after `today` are a problem (only when the caller gives `today`)
    form_entry: str | None = None  # Google Forms pre-fill entry id of the question behind this column
    under: tuple[str, ...] = ()  # a repeated header is this column under these group labels (e.g. "A01")
    follows: tuple[str, ...] = ()  # ... or right after one of these headers (e.g. "ของเสียลดลง (ร้อยละ)")
    blank_right_of: tuple[str, ...] = ()  # the blank header right of one of these spanning headers
    prefilled: bool = False  # filled down the sheet in advance: a row with only such values is still blank

    @property
    def names(self) -> tuple[str, ...]:
        """The header and its aliases, as written in the schema."""
        return (self.header, *self.aliases)

    def choice_lookup(self) -> dict[str, str]:
        """Normalised value or alias → canonical choice value."""
        return {normalize_header(name): c.value for c in self.choices for name in (c.value, *c.aliases)}


@dataclass(frozen=True)
class ColumnGroupSpec:
    """A family of columns recognised by a regex on the normalised header, e.g. `[C1] ความรู้ในสาขา` → C1."""

    key: str
    pattern: str  # with a named group `code`
    type: str
    header: str  # an example for people, e.g. "[C1] …"
    required: bool = False  # at least one column of the family must exist
    owner: str = "officer"
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    after: str | None = None  # key of the column the family follows when a tab is laid out

    def column_key(self, code: str) -> str:
        """The frame column of one member: `topic:C1`."""
        return f"{self.key}:{code}"

    def member(self, code: str, header: str) -> ColumnSpec:
        """The column spec of one member of the family, for typing its cells."""
        return ColumnSpec(key=self.column_key(code), header=header, type=self.type, owner=self.owner,
                          choices=self.choices, min=self.min, max=self.max)


@dataclass(frozen=True)
class SettingSpec:
    """One item of a `รายการ | ค่า` settings tab, with its type and default."""

    key: str
    name: str
    type: str
    default: object = None
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None

    def as_column(self) -> ColumnSpec:
        """A column spec that types this setting's value cell."""
        return ColumnSpec(key=self.key, header=self.name, type=self.type, choices=self.choices,
                          min=self.min, max=self.max)


@dataclass(frozen=True)
class TabSpec:
    """One tab: title and aliases (or `title_from` for per-unit tabs), owner, header row, columns, row keys."""

    key: str
    title: str | None
    workbook: str  # schema name, e.g. "assessment", for messages that say where to add an alias
    owner: str = "officer"
    aliases: tuple[str, ...] = ()
    header_row: int = 1
    required: bool = True
    columns: tuple[ColumnSpec, ...] = ()
    groups: tuple[ColumnGroupSpec, ...] = ()
    keys: tuple[str, ...] = ()  # columns that identify a record (e.g. application number)
    title_from: str | None = None  # "<tab key>.<column key>": titles listed in another tab
    settings: tuple[SettingSpec, ...] = ()
    footer_columns: tuple[ColumnSpec, ...] = ()  # a second table the service writes below the first
    section_rows: bool = False  # a row with text in one cell only is a section title: skipped, noted once
    fixed_header_row: bool = False  # an administrator set the header row (layout override): not looked for

    @property
    def is_template(self) -> bool:
        """True for a tab whose title comes from data (one tab per unit)."""
        return self.title_from is not None

    @property
    def names(self) -> tuple[str, ...]:
        """The title and its aliases (empty for a template)."""
        return () if self.title is None else (self.title, *self.aliases)

    def column(self, key: str) -> ColumnSpec:
        """The column called `key`; KeyError names the tab when there is none."""
        return _by_key(self.columns, key, f"tab {self.key!r} has no column")

    def group(self, key: str) -> ColumnGroupSpec:
        """The column family called `key`."""
        return _by_key(self.groups, key, f"tab {self.key!r} has no column group")

    def setting(self, key: str) -> SettingSpec:
        """The settings item called `key`."""
        return _by_key(self.settings, key, f"tab {self.key!r} has no setting")

    def titled(self, title: str) -> TabSpec:
        """This spec under a concrete title (a unit tab named in the `หน่วยงาน` tab)."""
        return replace(self, title=title)


@dataclass(frozen=True)
class WorkbookSpec:
    """One workbook layout: its name (the YAML file), its Thai title and its tabs."""

    name: str
    title: str
    tabs: tuple[TabSpec, ...] = field(default_factory=tuple)
    officer_only: tuple[str, ...] = ()  # titles of the officers' own tabs (summaries, lists): never read nor written

    def is_officer_only(self, title: str) -> bool:
        """True for a tab the officers keep for themselves (`officer_only` in the layout file)."""
        return normalize_header(title) in {normalize_header(t) for t in self.officer_only}

    def tab(self, key: str) -> TabSpec:
        """The tab called `key` (e.g. "applicants")."""
        return _by_key(self.tabs, key, f"workbook {self.name!r} has no tab")

    def find_tab(self, title: str) -> TabSpec | None:
        """The fixed-title tab whose title or an alias matches `title` after normalisation."""
        wanted = normalize_header(title)
        for tab in self.tabs:
            if any(normalize_header(name) == wanted for name in tab.names):
                return tab
        return None

    def officer_titles(self, titles: Iterable[str]) -> dict[str, str]:
        """Officer tab key → the title it has in this workbook (the first title that matches, aliases too)."""
        found: dict[str, str] = {}
        for title in titles:
            tab = self.find_tab(title)
            if tab is not None and tab.owner == "officer":
                found.setdefault(tab.key, title)
        return found

    def input_key(self, title: str) -> str:
        """What a run remembers an input tab by: a fixed tab's key (so a rename to an alias is the same tab), else
        the title (a unit tab)."""
        tab = self.find_tab(title)
        return tab.key if tab is not None else title

    def data_rows(self, title: str, grid: Grid) -> int:
        """Filled rows below the tab's header row (a unit tab's header row is its template's)."""
        return sum(1 for _row in self._filled_rows(title, grid))

    def has_data_rows(self, title: str, grid: Grid) -> bool:
        """Whether data_rows() is above 0, told at the first filled row."""
        return any(True for _row in self._filled_rows(title, grid))

    def _filled_rows(self, title: str, grid: Grid) -> Iterator[list]:
        tab = self.find_tab(title) or next((t for t in self.tabs if t.is_template), None)
        header_row = find_header_row(grid, tab) if tab is not None else 1
        return (row for row in grid[header_row:] if len(row) > row.count(None) + row.count(""))  # counted in C

    @property
    def officer_tabs(self) -> tuple[TabSpec, ...]:
        """Tabs typed by people or filled by a form."""
        return tuple(t for t in self.tabs if t.owner == "officer")

    @property
    def service_tabs(self) -> tuple[TabSpec, ...]:
        """Tabs written only by the service."""
        return tuple(t for t in self.tabs if t.owner == "service")

    @property
    def settings_tab(self) -> TabSpec | None:
        """The `รายการ | ค่า` tab, if the workbook has one."""
        return next((t for t in self.tabs if t.settings), None)

    def setting_defaults(self) -> dict[str, object]:
        """Each setting's default by key: the one source of the rules' defaults (sheets_schema/<workbook>.yaml)."""
        tab = self.settings_tab
        return {s.key: s.default for s in tab.settings} if tab else {}


def _by_key(items, key: str, missing: str):
    """The item whose `key` is `key`; KeyError saying what is missing otherwise."""
    for item in items:
        if item.key == key:
            return item
    raise KeyError(f"{missing} {key!r}")
