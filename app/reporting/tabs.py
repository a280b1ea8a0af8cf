"""Workbook B's service tabs from computed frames: cells as officers read them, Thai number formats, colours."""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np
import pandas as pd

from app.sheets.grid import DATE_FORMAT, DATETIME_FORMAT, ColumnFormat, Grid, StatusColour, TabStyle
from app.reporting.summaries import TOTAL
from app.sheets.text_columns import serial_days
from app.sheets.layout import ColumnSpec, TabSpec
from app.reporting.targets import MET, NO_DATA, NOT_MET
from app.sync.workflow import ServiceTab

GREEN, RED, AMBER = "C6EFCE", "FFC7CE", "FFEB9C"
REPEAT_PREFIX = "ซ้ำกับ"
FORMATS = {"integer": "#,##0", "amount": "#,##0", "money": "#,##0.00", "number": "#,##0.00", "percent": "#,##0.00",
           "date": DATE_FORMAT, "datetime": DATETIME_FORMAT}
PLAIN = {"source_row", "year"}  # row and year numbers: no thousands separator
# figure key → its name in the web page's summary contract
PAGE_KEYS = {"efficient_share": "gain_share", "efficient_share_no_data": "gain_share_no_data"}
DECIMALS = 2


def cells(values: pd.Series, kind: str) -> np.ndarray:
    """One column as sheet cells: numbers rounded, dates as date cells (their format shows พ.ศ.), yes/no in
    Thai, "" for missing."""
    present = values.notna().to_numpy().copy()
    out = np.full(len(values), "", dtype=object)
    if kind in ("date", "datetime"):
        out[present] = serial_days(values[present], with_time=kind == "datetime").to_numpy(dtype=object)
    elif kind == "yes_no":
        out[present] = np.where(values[present].astype(bool), "ใช่", "ไม่ใช่")
    elif kind in ("integer", "score"):
        out[present] = values[present].astype("int64").tolist()
    elif kind in FORMATS and kind not in ("date", "datetime"):
        numbers = values.astype(float).round(DECIMALS)
        present &= np.isfinite(numbers.to_numpy())
        out[present] = numbers[present].tolist()
    else:
        out[present] = values[present].astype(str).tolist()
    return out


def frame_grid(frame: pd.DataFrame, columns: Sequence[tuple[str, str]]) -> Grid:
    """Rows of cells for (frame column key, type) pairs; a key the frame lacks is an empty column."""
    if frame.empty:
        return []
    blank = pd.Series(np.nan, index=frame.index, dtype=object)
    return np.column_stack([cells(frame[k] if k in frame.columns else blank, kind) for k, kind in columns]).tolist()


def style(spec: TabSpec, kinds: Sequence[str], keys: Sequence[str], colours: tuple[StatusColour, ...] = ()) -> TabStyle:
    """Frozen header, number formats from the column types, and status colours."""
    formats = {i: FORMATS[kind] for i, (kind, key) in enumerate(zip(kinds, keys), start=1)
               if kind in FORMATS and key not in PLAIN}
    return TabStyle(spec.title, len(kinds), number_formats=formats, status_colours=colours)


def verdict_colours(column: int) -> tuple[StatusColour, ...]:
    """Met green, not met red, in one column (1-based)."""
    return (StatusColour(column, MET.split()[0], GREEN), StatusColour(column, NOT_MET.split()[0], RED))


def consolidated_tab(spec: TabSpec, frame: pd.DataFrame, members: dict[str, list[tuple[str, str]]]) -> ServiceTab:
    """`รวบรวมรายชื่อ`: the spec's columns in order, each column family's members (key, header) after its anchor."""
    columns: list[tuple[str, str, str]] = []
    for column in spec.columns:
        columns.append((column.key, column.header, column.type))
        for group in (g for g in spec.groups if g.after == column.key):
            columns += [(key, header, group.type) for key, header in members.get(group.key, [])]
    keys, headers, kinds = zip(*columns)
    rows = frame_grid(frame, list(zip(keys, kinds)))
    duplicate = keys.index("duplicate_check") + 1
    colours = (StatusColour(duplicate, REPEAT_PREFIX, AMBER),)
    return ServiceTab(spec.title, headers, rows, style(spec, kinds, keys, colours))


def summary_tab(spec: TabSpec, table: pd.DataFrame, footer: Grid = (), footer_title: str = "") -> ServiceTab:
    """A summary tab: one row per group (its label first) with the total row last (bold), then, when given,
    the targets table below with its own number formats; only its verdict cells are coloured."""
    first, *figures = spec.columns
    frame = table.rename_axis(first.key).reset_index()
    rows = frame_grid(frame, [(c.key, c.type) for c in spec.columns])
    kinds, keys = [c.type for c in spec.columns], [c.key for c in spec.columns]
    look = style(spec, kinds, keys)
    bold = [i for i, row in enumerate(rows, start=2) if row and row[0] == TOTAL]
    colours: tuple[StatusColour, ...] = ()
    last_data_row = len(rows) + 1
    if footer:
        title_row = len(rows) + 3
        rows += [[], [footer_title], [c.header for c in spec.footer_columns]] + [list(r) for r in footer]
        bold += [title_row, title_row + 1]
        first_target = title_row + 2
        colours = tuple(replace(c, first_row=first_target)
                        for c in verdict_colours(_position(spec.footer_columns, "met")))
        ranged = [ColumnFormat(col, _shown_as(value, c.type), row, row)
                  for row, target in enumerate(footer, start=first_target)
                  for col, (c, value) in enumerate(zip(spec.footer_columns, target), 1) if c.type in FORMATS]
        # the unit table's formats stop above the targets table, which has its own
        number = tuple(ColumnFormat(col, pattern, 2, last_data_row) for col, pattern in look.number_formats.items())
        look = replace(look, number_formats={}, ranged_formats=number + tuple(ranged))
    return ServiceTab(spec.title, tuple(c.header for c in spec.columns), rows,
                      replace(look, status_colours=colours, bold_rows=tuple(bold)))


def _shown_as(value: object, kind: str) -> str:
    """A targets-table figure's format: whole where the figure is whole (20 people, 270 days, 1,000,000 baht), else
    its type's decimals (83.33 %). One table holds counts, shares and money, so a column has no single format."""
    whole = isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
    return FORMATS["integer"] if whole else FORMATS[kind]


def levels_tab(spec: TabSpec, frame: pd.DataFrame) -> ServiceTab:
    """`ระดับความสำเร็จคลัสเตอร์`: one row per cluster in the evidence tab."""
    rows = frame_grid(frame, [(c.key, c.type) for c in spec.columns])
    colours = verdict_colours(_position(spec.columns, "target_met"))
    kinds, keys = [c.type for c in spec.columns], [c.key for c in spec.columns]
    return ServiceTab(spec.title, tuple(c.header for c in spec.columns), rows, style(spec, kinds, keys, colours))


def _position(columns: Sequence[ColumnSpec], key: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.key == key)


def page_summary(program: str, targets: Grid, dimensions: dict[str, pd.DataFrame]) -> dict:
    """The run's summary for the web page (app/web/summaries.py contract): targets and figures per group."""
    def groups(table: pd.DataFrame) -> list[dict]:
        rounded = table.round(DECIMALS).astype(object).where(table.notna(), None)
        return [{"name": name, **{PAGE_KEYS.get(k, k): v for k, v in row.items()}}
                for name, row in zip(rounded.index, rounded.to_dict("records"))]

    return {"program": program, **{key: groups(table) for key, table in dimensions.items()},
            "targets": [{"indicator": name, "target": target, "actual": actual,
                         "met": None if verdict == NO_DATA else verdict == MET, "rule": rule,
                         **({"note": note} if note else {})}
                        for name, target, actual, verdict, rule, note in targets]}
