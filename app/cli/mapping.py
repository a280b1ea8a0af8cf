"""`python -m app map`: how every tab and column of a workbook is read, and the override file an administrator edits."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.assessment.reference_questions import LINK_KEYS
from app.sheets.layout_map import TabReading, override_text, read_layout

HOW = {"title": "by its title", "listed": "listed in the tab that names them", "layout": "by its headers", "officer_only": "the officers' own tab: never read nor written",
       "service": "a service tab (carries the service's mark)", "unknown": "not read: no layout fits",
       "foreign": "an officer tab with a service tab's title: left alone, the service writes \"<title> (ระบบ)\""}


def print_map(services, name: str, path: Path | None) -> int:
    """Exit 0 when every required column was found, 2 when some are missing (the file says where to add them)."""
    spec = services.layout(name, path)
    workbook, _lock = services.workbook(name, path)
    titles = workbook.tab_titles()
    readings = [_answers_by_email(reading) for reading in read_layout(spec, workbook.read(titles),
                                                                        workbook.owned_tabs())]
    print(f"{name}: {workbook.label} — layout {spec.name} ({spec.title})")
    for reading in readings:
        _print_tab(reading)
        lacking = [c.header for c in reading.columns if c.key in LINK_KEYS and not c.required and c.found is None]
        if reading.role == "reference_form" and lacking:
            print(f"  ! the form asks no {', '.join(lacking)}: an answer counts when its collected email is the "
                  f"invited reference's until `python -m app forms prepare {name}` (or an officer) adds them")
    overrides = services.overrides_path(name)
    if overrides.exists():
        print(f"override file {overrides} exists and is used by sync and check (not rewritten)")
    else:
        overrides.parent.mkdir(parents=True, exist_ok=True)
        overrides.write_text(override_text(spec, readings, name), encoding="utf-8")
        print(f"wrote {overrides}: edit it (aliases, header_row, titles); sync and check use it")
    return 2 if any(r.missing for r in readings) else 0


def _answers_by_email(reading: TabReading) -> TabReading:
    """A reference form that asks no token but collects emails is read (as a run reads it): its link questions are
    not missing columns."""
    found = {column.key for column in reading.columns if column.found is not None}
    if reading.role != "reference_form" or "token" in found or "respondent_email" not in found:
        return reading
    return replace(reading, columns=tuple(replace(c, required=False) if c.key in LINK_KEYS else c
                                          for c in reading.columns))


def _print_tab(reading: TabReading) -> None:
    role = f" → {reading.role}" if reading.role else ""
    row = f", headers in row {reading.header_row}" if reading.header_row else ""
    print(f"\nแท็บ {reading.title!r}{role} ({HOW[reading.how]}{row})")
    for column in reading.columns:
        if column.found is not None:
            print(f"  ✓ {column.key} ← {' '.join(column.found.split())!r} {reading.title}!{column.cell}")
        elif column.required:
            hint = f" — did you mean {', '.join(repr(' '.join(c.split())) for c in column.closest)}?" \
                if column.closest else ""
            print(f"  ✗ {column.key}: required header {column.header!r} not found{hint}")
    for key, header, cell in reading.members:
        print(f"  ✓ {key} ← {' '.join(header.split())!r} {reading.title}!{cell}")
    if reading.ignored:
        print(f"  ignored: {', '.join(repr(' '.join(h.split())) for h in reading.ignored)}")
