"""Workbook layouts from sheets_schema/*.yaml: the only module that reads those files (cached, fails fast)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Iterable

import yaml

from app.sheets.layout import WorkbookSpec
from app.sheets.layout_parse import SchemaError, parse_workbook

__all__ = ["SCHEMA_DIR", "SchemaError", "available_workbooks", "load_overrides", "load_workbook_spec", "read_yaml",
           "recognise_workbook"]

SCHEMA_DIR = Path(str(files("sheets_schema")))  # the repo's sheets_schema/, installed beside app/ as package data
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_workbook_spec(name: str, schema_dir: Path | None = None) -> WorkbookSpec:
    """The layout of workbook `name` from `<schema_dir>/<name>.yaml`, with `choices_from` lists resolved."""
    return _load(name, Path(schema_dir or SCHEMA_DIR).resolve())


def available_workbooks(schema_dir: Path | None = None) -> list[str]:
    """Names of the workbook layouts in the schema folder (the YAML files with `tabs:`)."""
    folder = Path(schema_dir or SCHEMA_DIR).resolve()
    return sorted(path.stem for path in folder.glob("*.yaml") if "tabs" in read_yaml(path))


def recognise_workbook(tab_titles: Iterable[str], schema_dir: Path | None = None) -> str | None:
    """The workbook whose required officer tabs are all present (most officer tabs found wins; a tie → None)."""
    titles = list(tab_titles)
    scores = []
    for name in available_workbooks(schema_dir):
        spec = load_workbook_spec(name, schema_dir)
        officer = [tab for tab in spec.officer_tabs if not tab.is_template]
        found = {tab.key for tab in map(spec.find_tab, titles) if tab is not None}
        if officer and all(tab.key in found for tab in officer if tab.required):
            scores.append((sum(tab.key in found for tab in officer), name))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


@lru_cache(maxsize=None)
def _load(name: str, folder: Path) -> WorkbookSpec:
    path = folder / f"{name}.yaml"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise SchemaError(f"{_label(path)}: no such workbook layout "
                          f"(available: {', '.join(available_workbooks(folder)) or 'none'})")
    data = read_yaml(path)
    lists = {}
    for list_name in sorted(_choices_from(data)):
        list_path = folder / f"{list_name}.yaml"
        if not _NAME.fullmatch(list_name) or not list_path.is_file():
            raise SchemaError(f"{_label(path)}: choices_from: no list {_label(list_path)}")
        lists[list_name] = read_yaml(list_path).get("choices")
    return parse_workbook(data, name, _label(path), lists)


def _choices_from(data: object) -> set[str]:
    """Every `choices_from` value anywhere in a parsed file."""
    if isinstance(data, dict):
        found = {str(data["choices_from"])} if "choices_from" in data else set()
        return found.union(*map(_choices_from, data.values()))
    if isinstance(data, list):
        return set().union(*map(_choices_from, data))
    return set()


def load_overrides(path: Path) -> dict | None:
    """An administrator's layout override file (`python -m app map` writes one), None where there is none."""
    return read_yaml(path) if path.is_file() else None


def read_yaml(path: Path) -> dict:
    """A definitions file as a mapping; SchemaError (naming the file) when it cannot be read."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SchemaError(f"{_label(path)}: cannot read: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict):
        raise SchemaError(f"{_label(path)}: (top): must be a mapping")
    return data


def _label(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"
