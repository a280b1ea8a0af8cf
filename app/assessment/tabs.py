"""Workflow A's service tabs สรุปผลการประเมิน, ติดตามบุคคลอ้างอิง and ประกาศรายชื่อ, with their colours and formats."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from operator import itemgetter
from typing import Sequence

import numpy as np
import pandas as pd

from app.sheets.cell_dates import kept_serial
from app.sheets.grid import DATE_FORMAT, DATETIME_FORMAT, Grid, StatusColour, TabStyle
from app.sheets.grid_diff import same_cell, whole_rows_equal
from app.sheets.layout import TabSpec
from app.sheets.text_columns import serial_days
from app.sheets.thai_time import serial
from app.assessment.evaluation import Evaluation
from app.sync.workflow import ServiceTab

GREEN, AMBER, RED, GREY = "C6EFCE", "FFEB9C", "FFC7CE", "E7E6E6"
QUALIFICATION_COLOURS = (("ผ่าน", GREEN), ("ไม่ผ่าน", RED), ("รอ", GREY))
VERDICT_COLOURS = (("ผ่าน", GREEN), ("ไม่ผ่าน", RED), ("ข้อมูลไม่เพียงพอ", AMBER))
DECISION_COLOURS = (("ผ่านการประเมิน", GREEN), ("สัมภาษณ์", AMBER), ("ไม่ผ่าน", RED), ("รอข้อมูล", GREY))
STAGE_COLOURS = (("ประกาศ", GREEN), ("รอสัมภาษณ์", AMBER), ("ไม่ผ่าน", RED), ("คณะกรรมการไม่เห็นชอบ", RED),
                 ("รอ", GREY))
TIME_COLOURS = (("เกินกำหนด", RED), ("ตามกำหนด", GREEN))
TRACKING_COLOURS = (("ตอบแล้ว", GREEN), ("รอคำตอบ", AMBER), ("ไม่แน่ใจ", AMBER), ("ส่งไม่สำเร็จ", RED),
                    ("หมดเวลา", RED), ("ไม่ส่ง", GREY), ("ไม่นับ", GREY), ("รอส่ง", GREY), ("กำลังส่ง", GREY))
VOLATILE = ("days_since_application", "time_status", "updated")  # change with the date alone, not with the case


def summary_tab(spec: TabSpec, found: Evaluation, names: pd.Series, existing: Grid | None, now: datetime) -> ServiceTab:
    """One row per applicant; `ปรับปรุงล่าสุด` keeps its old value while the row's content stays the same."""
    people, topics = found.applicants, list(found.verdicts.columns)
    keys = [c.key for c in spec.columns]
    split = keys.index(spec.group("topic").after) + 1
    header = [c.header for c in spec.columns[:split]] + [f"[{code}] {names[code]}" for code in topics] \
        + [c.header for c in spec.columns[split:]]
    values = {"application_no": people.index.to_series(), "full_name": people["full_name"],
              "basic_qualification": people["qualification"], "qualification_reasons": people["reasons"],
              "references_answered": people["references"], "experience_value": people["experience_value"],
              "pass_weight": people["P"], "fail_weight": people["F"],
              "insufficient_weight": people["I"], "decision": people["decision"], "rule": people["rule"],
              "stage": people["stage"], "days_since_application": people["days"],
              "time_status": people["time_status"], "applicant_mail": people["applicant_mail"],
              "updated": pd.Series("", index=people.index)}
    columns = [values[k] for k in keys[:split]] + [found.verdicts[c] for c in topics] \
        + [values[k] for k in keys[split:]]
    rows = _rows(columns)
    volatile = {header.index(spec.column(k).header) for k in VOLATILE}
    _keep_updated(header, rows, existing, volatile, serial(now))
    at = {key: header.index(spec.column(key).header) + 1 for key in keys}
    colours = [(at["basic_qualification"], QUALIFICATION_COLOURS), (at["decision"], DECISION_COLOURS),
               (at["stage"], STAGE_COLOURS), (at["time_status"], TIME_COLOURS)]
    colours += [(split + 1 + i, VERDICT_COLOURS) for i in range(len(topics))]
    formats = {at[k]: "0.00" for k in ("pass_weight", "fail_weight", "insufficient_weight")}
    return _tab(spec.title, header, rows, colours,
                formats | {at["days_since_application"]: "0", at["updated"]: DATETIME_FORMAT})


def tracking_tab(spec: TabSpec, found: Evaluation) -> ServiceTab:
    """One row per (applicant, reference), then answers that match no invited reference."""
    refs = found.references
    invited = refs["invite_state"].notna() & refs["invite_state"].ne("failed")
    rows = _rows_by_key(spec, {
        "application_no": refs["application_no"], "reference_name": refs["name"], "reference_email": refs["email"],
        "link": refs["link"], "sent_at": serial_days(refs["invited_at"].where(invited)),
        "reminders": refs["reminders"].astype("Int64").where(invited), "answered_at": serial_days(refs["answered_at"]),
        "status": refs["status"], "remarks": refs["remarks"]})
    at = _positions(spec)
    formats = {at["reminders"]: "0", at["sent_at"]: DATETIME_FORMAT, at["answered_at"]: DATETIME_FORMAT}
    tab = _tab(spec.title, _header(spec), rows, [(at["status"], TRACKING_COLOURS)], formats)
    return replace(tab, style=replace(tab.style, clipped=(at["link"],)))


def announcement_tab(spec: TabSpec, found: Evaluation) -> ServiceTab:
    """Approved passes, numbered in the order of the committee's approval."""
    people = found.announced
    rows = _rows_by_key(spec, {
        "order": pd.Series(np.arange(1, len(people) + 1)), "title": people["title"],
        "first_name": people["first_name"], "last_name": people["last_name"],
        "application_no": people.index.to_series(),
        "approved_date": serial_days(people["approved"], with_time=False)})
    at = _positions(spec)
    return _tab(spec.title, _header(spec), rows, [], {at["order"]: "0", at["approved_date"]: DATE_FORMAT})


def empty_tab(spec: TabSpec) -> ServiceTab:
    """A service tab with its header only."""
    return _tab(spec.title, _header(spec), [], [], {})


def _tab(title: str, header: list[str], rows: Grid, colours, formats: dict[int, str]) -> ServiceTab:
    status = tuple(StatusColour(col, prefix, rgb) for col, pairs in colours for prefix, rgb in pairs)
    style = TabStyle(title, len(header), number_formats=formats, status_colours=status)
    return ServiceTab(title, tuple(header), rows, style)


def _header(spec: TabSpec) -> list[str]:
    return [c.header for c in spec.columns]


def _positions(spec: TabSpec) -> dict[str, int]:
    """Column key → its 1-based column in the tab, as the layout orders them."""
    return {c.key: i + 1 for i, c in enumerate(spec.columns)}


def _rows_by_key(spec: TabSpec, values: dict[str, pd.Series]) -> Grid:
    """The rows of a tab whose columns the layout orders: each column taken by its key, never by position."""
    return _rows([values[c.key] for c in spec.columns])


def _rows(columns: Sequence[pd.Series]) -> Grid:
    """Columns of equal length as sheet rows: plain Python values (numpy's turned into Python's), "" for missing."""
    lists = [column.astype(object).where(column.notna(), "").tolist() for column in columns]
    return [list(row) for row in zip(*lists)]


def _keep_updated(header: list[str], rows: Grid, existing: Grid | None, volatile: set[int], now: float) -> None:
    """Fill the last column: the sheet's old moment when the row (by application number) is unchanged, else now
    (as a date cell; the พ.ศ. text an older version wrote is read back as its moment)."""
    old_header = list(existing[0]) if existing else []
    old = {row[0]: row for row in (existing or [])[1:] if row}
    places = [(i, old_header.index(name) if name in old_header else None) for i, name in enumerate(header)
              if i not in volatile]
    last = old_header.index(header[-1]) if header[-1] in old_header else None
    if last is None or any(j is None for _, j in places):  # a column is new: every row changed
        for row in rows:
            row[-1] = now
        return
    width = max(j for _, j in places) + 1
    # the key (column 0 on both sides, equal by construction) is picked too, so that one column still gives a tuple
    new_cells, old_cells = itemgetter(*(i for i, _ in places), 0), itemgetter(*(j for _, j in places), 0)
    kept_of: dict = {}  # the moments kept repeat (rows written by one run): each is read once
    for row in rows:
        before = old.get(row[0])
        if before is not None and len(before) < width:
            before = [*before, *[None] * (width - len(before))]
        same = before is not None and (  # whole rows first (C speed); cell by cell only where they differ
            whole_rows_equal(new_cells(row), old_cells(before))
            or all(same_cell(row[i], before[j]) for i, j in places))
        kept = None
        if same and last < len(before):
            key = (before[last].__class__, before[last])  # 1, 1.0 and True are equal keys, not equal cells
            kept = kept_of[key] if key in kept_of else kept_of.setdefault(key, kept_serial(before[last]))
        row[-1] = now if kept is None else kept
