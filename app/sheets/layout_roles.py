"""Which officer tab each tab of a workbook is: by its title, or — for a form's responses tab, whatever Google or
an officer named it (`การตอบกลับแบบฟอร์ม 1`, `Form Responses 1`, renamed) — by the headers it has."""
from __future__ import annotations

from app.sheets.grid import Grid
from app.sheets.headers import MissingHeader, find_header_row, group_labels, match_headers
from app.sheets.layout import TabSpec, WorkbookSpec


def officer_tabs_by_layout(spec: WorkbookSpec, grids: dict[str, Grid]) -> dict[str, str]:
    """Officer tab key → title. A tab no title or alias names is the officer tab (not found by title) whose
    required headers it has; where several fit, the best match (most columns found) is taken first."""
    found = spec.officer_titles(list(grids))
    unknown = [t for t in grids if spec.find_tab(t) is None and not spec.is_officer_only(t)]
    open_tabs = [t for t in spec.officer_tabs if not t.is_template and t.key not in found]
    scored = sorted((-score, i, tab.key, title) for i, title in enumerate(unknown) for tab in open_tabs
                    if (score := layout_score(grids[title], tab, spec.title)))
    for _score, _i, key, title in scored:
        if key not in found and title not in found.values():
            found[key] = title
    return found


def missing_required(spec: WorkbookSpec, grids: dict[str, Grid]) -> list[str]:
    """Titles of the required officer tabs no tab plays, by title or by headers. A tab that lists one-per-unit tabs
    (`หน่วยงาน`) is not missing where tabs are laid out as such (seed 002's sheet has none)."""
    found = officer_tabs_by_layout(spec, grids)
    templates = [t for t in spec.officer_tabs if t.is_template]
    rest = [t for t in grids if t not in found.values() and spec.find_tab(t) is None and not spec.is_officer_only(t)]
    listers = {str(template.title_from).partition(".")[0] for template in templates
               if any(layout_score(grids[t], template.titled(t), spec.title) for t in rest)}
    return [t.title for t in spec.officer_tabs
            if t.required and not t.is_template and t.key not in found and t.key not in listers]


def layout_score(grid: Grid, tab: TabSpec, workbook_title: str) -> int:
    """How many of the tab's columns and family members a grid's header row has; 0 when a required one is missing."""
    row = find_header_row(grid, tab)
    try:
        found = match_headers(grid[row - 1] if len(grid) >= row else [], tab, workbook_title,
                              labels=group_labels(grid, row), row=row)
    except MissingHeader:
        return 0
    return len(found.columns) + sum(map(len, found.groups.values()))


def recognise_by_layout(specs: list[WorkbookSpec], grids: dict[str, Grid]) -> str | None:
    """The layout whose required officer tabs a workbook has — by title or by headers, a template tab (one per
    unit) standing in for the tab that lists them — the most officer tabs found winning; a tie → None."""
    scores = []
    for spec in specs:
        found = officer_tabs_by_layout(spec, grids)
        templates = [t for t in spec.officer_tabs if t.is_template]
        rest = [t for t in grids if t not in found.values() and spec.find_tab(t) is None]
        instances = [t for t in rest for template in templates if layout_score(grids[t], template.titled(t), spec.title)]
        listed_by = {str(t.title_from).partition(".")[0] for t in templates} if instances else set()
        officer = [t for t in spec.officer_tabs if not t.is_template]
        if officer and all(t.key in found or t.key in listed_by for t in officer if t.required):
            scores.append((len(found) + len(instances), spec.name))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]
