"""Turn one parsed layout file (plain dicts from YAML) into frozen specs; every error names the file and the key."""
from __future__ import annotations

import re
from dataclasses import replace

from app.errors import ConfigError
from app.sheets.cell_readers import VERDICTS
from app.sheets.cells import CHOICE_TYPES, DATE_TYPES, NUMERIC_TYPES, TYPES, parse_cell
from app.sheets.headers import header_key, normalize_header
from app.sheets.layout import Choice, ColumnGroupSpec, ColumnSpec, SettingSpec, TabSpec, WorkbookSpec

_NAME = re.compile(r"[a-z][a-z0-9_]*")
SCORED = ("score", "rating")  # choices name the words that mean each score
_OWNERS = ("officer", "service")
_TAB = {"key", "title", "title_from", "aliases", "owner", "header_row", "required", "keys", "columns",
        "column_groups", "settings", "footer_columns", "section_rows"}
_TYPING = {"type", "choices", "choices_from", "min", "max"}
_COLUMN = _TYPING | {"key", "header", "aliases", "required", "not_blank", "owner", "not_future", "form_entry",
                     "under", "follows", "blank_right_of", "prefilled"}
_GROUP = _TYPING | {"key", "header", "pattern", "required", "owner", "after"}
_SETTING = _TYPING | {"key", "name", "aliases", "default"}


class SchemaError(ConfigError):
    """A layout file is malformed; the message is one line naming the file and the bad key."""


def parse_workbook(data: dict, name: str, label: str, lists: dict[str, object]) -> WorkbookSpec:
    """The workbook spec of one file; `lists` holds the `choices:` of each `choices_from` file by name."""
    return _Layout(label, lists).workbook(data, name)


class _Layout:
    def __init__(self, label: str, lists: dict[str, object]):
        self.label, self.lists, self.tabs = label, lists, {}

    def fail(self, where: str, what: str):
        raise SchemaError(f"{self.label}: {where}: {what}")

    def workbook(self, data: dict, name: str) -> WorkbookSpec:
        self.fields(data, "(top)", {"workbook", "title", "tabs", "officer_only"}, {"workbook", "title", "tabs"})
        if data["workbook"] != name:
            self.fail("workbook", f"must be {name!r}, the file's name")
        for i, raw in enumerate(self.listed(data, "tabs", "(top)", non_empty=True)):
            tab = self.tab(raw, f"tabs[{i}]", name)
            if tab.key in self.tabs:
                self.fail(f"tabs.{tab.key}", "tab key used twice")
            self.tabs[tab.key] = tab
        self.unique([(n, f"tabs.{t.key}") for t in self.tabs.values() for n in t.names], "tab title")
        for tab in self.tabs.values():
            source, _, column = str(tab.title_from).partition(".")
            if tab.title_from and not any(c.key == column for c in getattr(self.tabs.get(source), "columns", ())):
                self.fail(f"tabs.{tab.key}.title_from", f"{tab.title_from!r} is not <tab key>.<column key>")
        return WorkbookSpec(name, self.text(data, "title", "(top)"), tuple(self.tabs.values()),
                            self.texts(data, "officer_only", "(top)"))

    def tab(self, data: dict, where: str, workbook: str) -> TabSpec:
        self.fields(data, where, _TAB, {"key", "columns"})
        where = f"tabs.{self.name(data, 'key', where)}"
        if ("title" in data) == ("title_from" in data):
            self.fail(where, "give exactly one of title and title_from")
        owner = self.one_of(data, "owner", where, _OWNERS, "officer")
        columns, groups = self.columns(data, "columns", where, owner)
        footer, _ = self.columns(data, "footer_columns", where, owner)
        groups += tuple(self.group(g, f"{where}.column_groups[{i}]", owner)
                        for i, g in enumerate(self.listed(data, "column_groups", where)))
        keys = [c.key for c in columns]
        self.unique([(n, f"{where}.columns.{c.key}") for c in columns for n in _in_context(c)], "header")
        self.unique([(k, f"{where}.columns") for k in keys + [g.key for g in groups]], "key", normal=False)
        for group in groups:
            if group.after is not None and group.after not in keys:
                self.fail(f"{where}.column_groups.{group.key}.after", f"no column {group.after!r}")
        for key in self.texts(data, "keys", where):
            if key not in keys:
                self.fail(f"{where}.keys", f"no column {key!r}")
        settings = tuple(self.setting(s, f"{where}.settings[{i}]")
                         for i, s in enumerate(self.listed(data, "settings", where)))
        if settings and not {"item", "value"} <= set(keys):
            self.fail(f"{where}.columns", "a settings tab needs columns `item` (รายการ) and `value` (ค่า)")
        header_row = data.get("header_row", 1)
        if type(header_row) is not int or header_row < 1:
            self.fail(f"{where}.header_row", "must be a whole number ≥ 1")
        title = self.text(data, "title", where) if "title" in data else None
        return TabSpec(data["key"], title, workbook, owner, self.texts(data, "aliases", where), header_row,
                       self.flag(data, "required", where, True), columns, groups, self.texts(data, "keys", where),
                       data.get("title_from"), settings, footer, self.flag(data, "section_rows", where))

    def columns(self, data: dict, key: str, where: str, owner: str):
        columns, groups = [], []
        for i, raw in enumerate(self.listed(data, key, where, non_empty=key == "columns")):
            if isinstance(raw, dict) and "include" in raw:
                included, included_groups = self.included(raw, f"{where}.{key}[{i}]")
                columns += [replace(c, owner=owner) for c in included]
                groups += [replace(g, owner=owner) for g in included_groups]
            else:
                columns.append(self.column(raw, f"{where}.{key}[{i}]", owner))
        return tuple(columns), tuple(groups)

    def included(self, data: dict, where: str):
        self.fields(data, where, {"include", "exclude"}, {"include"})
        source = self.tabs.get(data["include"])
        if source is None:
            self.fail(f"{where}.include", f"no tab {data['include']!r} defined above")
        excluded = self.texts(data, "exclude", where)
        for key in set(excluded) - {c.key for c in source.columns}:
            self.fail(f"{where}.exclude", f"tab {source.key!r} has no column {key!r}")
        return [c for c in source.columns if c.key not in excluded], list(source.groups)

    def column(self, data: dict, where: str, owner: str) -> ColumnSpec:
        self.fields(data, where, _COLUMN, {"key", "header", "type"})
        where = f"{where.rsplit('[', 1)[0]}.{self.name(data, 'key', where)}"
        kind, choices, low, high = self.typing(data, where)
        if data.get("not_future") and kind not in DATE_TYPES:
            self.fail(f"{where}.not_future", "only for date and datetime columns")
        entry = self.text(data, "form_entry", where) if "form_entry" in data else None
        return ColumnSpec(data["key"], self.text(data, "header", where), kind, self.texts(data, "aliases", where),
                          self.flag(data, "required", where), self.flag(data, "not_blank", where),
                          self.one_of(data, "owner", where, _OWNERS, owner), choices, low, high,
                          self.flag(data, "not_future", where), entry, self.texts(data, "under", where),
                          self.texts(data, "follows", where), self.texts(data, "blank_right_of", where),
                          self.flag(data, "prefilled", where))

    def group(self, data: dict, where: str, owner: str) -> ColumnGroupSpec:
        self.fields(data, where, _GROUP, {"key", "header", "pattern", "type"})
        where = f"{where.rsplit('[', 1)[0]}.{self.name(data, 'key', where)}"
        pattern = self.text(data, "pattern", where)
        try:
            named = re.compile(pattern).groupindex
        except re.error as exc:
            self.fail(f"{where}.pattern", f"not a regular expression: {exc}")
        if "code" not in named:
            self.fail(f"{where}.pattern", "needs a named group (?P<code>…)")
        kind, choices, low, high = self.typing(data, where)
        after = self.name(data, "after", where) if "after" in data else None
        return ColumnGroupSpec(data["key"], pattern, kind, self.text(data, "header", where),
                               self.flag(data, "required", where), self.one_of(data, "owner", where, _OWNERS, owner),
                               choices, low, high, after)

    def setting(self, data: dict, where: str) -> SettingSpec:
        self.fields(data, where, _SETTING, {"key", "name", "type"})
        where = f"{where.rsplit('[', 1)[0]}.{self.name(data, 'key', where)}"
        kind, choices, low, high = self.typing(data, where)
        spec = SettingSpec(data["key"], self.text(data, "name", where), kind, None,
                           self.texts(data, "aliases", where), choices, low, high)
        default, problem = parse_cell(data.get("default"), spec.as_column())
        if problem:
            self.fail(f"{where}.default", problem)
        return SettingSpec(spec.key, spec.name, kind, default, spec.aliases, choices, low, high)

    def typing(self, data: dict, where: str):
        kind = data["type"]
        if kind not in TYPES:
            self.fail(f"{where}.type", f"unknown type {kind!r} (known: {', '.join(sorted(TYPES))})")
        if "choices" in data and "choices_from" in data:
            self.fail(where, "give choices or choices_from, not both")
        choices = ()
        if "choices" in data or "choices_from" in data:
            source = "choices" if "choices" in data else "choices_from"
            raw = data["choices"] if source == "choices" else self.lists.get(self.name(data, source, where))
            choices = self.choice_list(raw, f"{where}.{source}")
        if kind in CHOICE_TYPES and not choices:
            self.fail(where, f"type {kind} needs choices or choices_from")
        if choices and kind not in (*CHOICE_TYPES, "verdict", *SCORED):
            self.fail(f"{where}.choices", f"only for {', '.join(CHOICE_TYPES)}, verdict, score and rating columns")
        if kind in SCORED and any(c.value not in ("1", "2", "3", "4", "5") for c in choices):
            self.fail(f"{where}.choices", "a score's choices are 1 to 5, each with the words that mean it")
        verdicts = [c.value for c in VERDICTS]
        if kind == "verdict" and any(c.value not in verdicts for c in choices):
            self.fail(f"{where}.choices", f"a verdict is one of {' / '.join(verdicts)}")
        low, high = self.number(data, "min", where), self.number(data, "max", where)
        if (low is not None or high is not None) and kind not in NUMERIC_TYPES:
            self.fail(where, "min and max are only for numeric columns")
        if low is not None and high is not None and low > high:
            self.fail(f"{where}.min", "must not exceed max")
        return kind, choices, low, high

    def choice_list(self, data: object, where: str) -> tuple[Choice, ...]:
        if not isinstance(data, list) or not data:
            self.fail(where, "must be a non-empty list of values or {value, aliases}")
        choices = []
        for i, item in enumerate(data):
            item, at = ({"value": item} if isinstance(item, str) else item), f"{where}[{i}]"
            self.fields(item, at, {"value", "aliases"}, {"value"})
            choices.append(Choice(self.text(item, "value", at), self.texts(item, "aliases", at)))
        self.unique([(n, where) for c in choices for n in (c.value, *c.aliases)], "choice")
        return tuple(choices)

    def fields(self, data: object, where: str, allowed: set, needed: set) -> None:
        if not isinstance(data, dict):
            self.fail(where, "must be a mapping")
        for key in data:
            if key not in allowed:
                self.fail(f"{where}.{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(needed - set(data)):
            self.fail(f"{where}.{key}", "missing")

    def listed(self, data: dict, key: str, where: str, non_empty: bool = False) -> list:
        values = data.get(key, [])
        if not isinstance(values, list) or (non_empty and not values):
            self.fail(f"{where}.{key}", "must be a non-empty list" if non_empty else "must be a list")
        return values

    def text(self, data: dict, key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", "must be non-empty text (quote it in the YAML if needed)")
        return value

    def texts(self, data: dict, key: str, where: str) -> tuple[str, ...]:
        values = self.listed(data, key, where)
        if not all(isinstance(v, str) and v.strip() for v in values):
            self.fail(f"{where}.{key}", "must be a list of non-empty texts")
        return tuple(values)

    def name(self, data: dict, key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not _NAME.fullmatch(value):
            self.fail(f"{where}.{key}", f"{value!r} is not a snake_case name")
        return value

    def flag(self, data: dict, key: str, where: str, default: bool = False) -> bool:
        value = data.get(key, default)
        return value if isinstance(value, bool) else self.fail(f"{where}.{key}", "must be true or false")

    def number(self, data: dict, key: str, where: str) -> float | None:
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self.fail(f"{where}.{key}", "must be a number")
        return value

    def one_of(self, data: dict, key: str, where: str, allowed: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        return value if value in allowed else self.fail(f"{where}.{key}", f"must be one of {', '.join(allowed)}")

    def unique(self, names: list[tuple[str, str]], what: str, normal: bool = True) -> None:
        seen = set()
        for name, where in names:
            key = (header_key(name) if what == "header" else normalize_header(name)) if normal else name
            if key in seen:
                self.fail(where, f"{what} {name!r} used twice")
            seen.add(key)


def _in_context(column: ColumnSpec) -> list[str]:
    """A column's names (each once however spaced) with what tells its repeats apart: two columns may share a
    header under other labels or after other headers ("คิดเป็นมูลค่า (บาท)" after the waste % and the cost %)."""
    names = {header_key(name): name for name in reversed(column.names)}
    return [" | ".join([name, *column.under, *column.follows]) for name in names.values()]
