"""An administrator's layout override file (written by `python -m app map`, then edited): more header aliases, a
fixed header row and which tab titles play which officer tab's role, laid over a workbook layout."""
from __future__ import annotations

from dataclasses import replace

from app.sheets.layout import TabSpec, WorkbookSpec
from app.sheets.layout_parse import SchemaError

_TAB_KEYS = {"titles", "header_row", "aliases"}


def apply_overrides(spec: WorkbookSpec, data: dict | None, label: str) -> WorkbookSpec:
    """The layout with the override file's data laid over it; SchemaError names the file and the bad key."""
    if not data:
        return spec
    if not isinstance(data, dict) or set(data) - {"workbook", "tabs"}:
        raise SchemaError(f"{label}: (top): only `workbook` and `tabs` are allowed")
    if data.get("workbook", spec.name) != spec.name:
        raise SchemaError(f"{label}: workbook: must be {spec.name!r}, the job's layout")
    tabs = data.get("tabs") or {}
    if not isinstance(tabs, dict):
        raise SchemaError(f"{label}: tabs: must be a mapping of tab keys")
    keys = {tab.key for tab in spec.tabs if tab.owner == "officer"}
    for key in tabs:
        if key not in keys:
            raise SchemaError(f"{label}: tabs.{key}: no officer tab {key!r} (known: {', '.join(sorted(keys))})")
    return replace(spec, tabs=tuple(_tab(tab, tabs.get(tab.key), f"{label}: tabs.{tab.key}") for tab in spec.tabs))


def _tab(tab: TabSpec, data: object, where: str) -> TabSpec:
    if data is None:
        return tab
    if not isinstance(data, dict) or set(data) - _TAB_KEYS:
        raise SchemaError(f"{where}: allowed keys: {', '.join(sorted(_TAB_KEYS))}")
    titles = _texts(data.get("titles", []), f"{where}.titles")
    if titles and tab.is_template:
        raise SchemaError(f"{where}.titles: {tab.key} tabs are known by their headers (or the tab that lists them)")
    header_row = data.get("header_row")
    if header_row is not None and (type(header_row) is not int or header_row < 1):
        raise SchemaError(f"{where}.header_row: must be a whole number ≥ 1")
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise SchemaError(f"{where}.aliases: must map column keys to lists of headers")
    columns = {column.key: column for column in tab.columns}
    for key in aliases:
        if key not in columns:
            raise SchemaError(f"{where}.aliases.{key}: no column {key!r} (known: {', '.join(columns)})")
    extra = {key: _texts(names, f"{where}.aliases.{key}") for key, names in aliases.items()}
    return replace(tab, aliases=tab.aliases + titles,
                   header_row=header_row or tab.header_row, fixed_header_row=header_row is not None,
                   columns=tuple(replace(c, aliases=c.aliases + extra.get(c.key, ())) for c in tab.columns))


def _texts(values: object, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise SchemaError(f"{where}: must be a list of non-empty texts")
    return tuple(values)
