"""How a workbook is understood, tab by tab and column by column (`python -m app map`): field ← header and cell,
what is required and missing with the closest headers the sheet has, and the override file that pins it."""
from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from app.sheets.a1 import cell_ref
from app.sheets.grid import Grid
from app.sheets.headers import MissingHeader, find_header_row, group_labels, header_key, match_headers, normalize_header
from app.sheets.layout import TabSpec, WorkbookSpec
from app.sheets.layout_roles import layout_score, officer_tabs_by_layout
from app.sheets.tables import read_table

CLOSEST = 3  # "did you mean" suggestions per missing column
CLOSE_ENOUGH = 60  # rapidfuzz WRatio (0–100) a suggestion needs


@dataclass(frozen=True)
class ColumnReading:
    """One spec column in one tab: the sheet header it was read from and where, or the closest headers."""

    key: str
    header: str  # the layout's header
    required: bool
    found: str | None = None  # the sheet's header text
    cell: str | None = None  # the header cell, e.g. "C3"
    closest: tuple[str, ...] = ()


@dataclass(frozen=True)
class TabReading:
    """One tab of the workbook and the role it plays."""

    title: str
    role: str  # the layout's tab key ("" when the tab plays none)
    how: str  # title | listed | layout | officer_only | service | foreign | unknown
    header_row: int | None = None
    columns: tuple[ColumnReading, ...] = ()
    members: tuple[tuple[str, str, str], ...] = ()  # (family key, sheet header, cell)
    ignored: tuple[str, ...] = ()

    @property
    def missing(self) -> list[ColumnReading]:
        """Required columns the tab lacks."""
        return [c for c in self.columns if c.required and c.found is None]


def read_layout(spec: WorkbookSpec, grids: dict[str, Grid], owned: dict[str, str]) -> list[TabReading]:
    """Every tab of `grids` (in order) as the service reads it."""
    roles = officer_tabs_by_layout(spec, grids)
    by_title = {title: key for key, title in roles.items()}
    templates = [t for t in spec.officer_tabs if t.is_template]
    listed = _listed(spec, grids, roles)
    service = {t.title for t in spec.service_tabs}
    readings = []
    for title, grid in grids.items():
        fixed = spec.find_tab(title)
        if title in owned.values() or (fixed is not None and fixed.owner == "service" and owned.get(title) == title):
            readings.append(TabReading(title, next(k for k, v in owned.items() if v == title), "service"))
        elif title in service:
            readings.append(TabReading(title, "", "foreign"))
        elif spec.is_officer_only(title):
            readings.append(TabReading(title, "", "officer_only"))
        elif title in by_title:
            tab = spec.tab(by_title[title])
            readings.append(_reading(title, grid, tab, spec, "title" if fixed is not None else "layout"))
        elif normalize_header(title) in listed:
            readings.append(_reading(title, grid, listed[normalize_header(title)].titled(title), spec, "listed"))
        else:
            template = next((t for t in templates if layout_score(grid, t.titled(title), spec.title)), None)
            readings.append(_reading(title, grid, template.titled(title), spec, "layout") if template
                            else TabReading(title, "", "unknown"))
    return readings


def _listed(spec: WorkbookSpec, grids: dict[str, Grid], roles: dict[str, str]) -> dict[str, TabSpec]:
    """Tab titles listed in another tab (a unit tab named in `หน่วยงาน`) → the template they are."""
    listed = {}
    for template in (t for t in spec.officer_tabs if t.is_template):
        source, _, column = str(template.title_from).partition(".")
        if source in roles:
            try:
                table = read_table(grids[roles[source]], spec.tab(source), spec.title, roles[source])
            except MissingHeader:
                continue
            listed |= {normalize_header(title): template for title in table.frame[column].dropna()}
    return listed


def _reading(title: str, grid: Grid, tab: TabSpec, spec: WorkbookSpec, how: str) -> TabReading:
    row = find_header_row(grid, tab)
    lenient = replace(tab, columns=tuple(replace(c, required=False) for c in tab.columns),
                      groups=tuple(replace(g, required=False) for g in tab.groups))
    cells = grid[row - 1] if len(grid) >= row else []
    found = match_headers(cells, lenient, spec.title, tab_title=title, labels=group_labels(grid, row), row=row)
    used = set(found.columns.values()) | {i for members in found.groups.values() for i in members.values()}
    unused = {i: text for i, text in enumerate(found.headers) if i not in used and header_key(text)}
    columns = tuple(
        ColumnReading(c.key, c.header, c.required, found.headers[found.columns[c.key]],
                      cell_ref(row, found.columns[c.key] + 1)) if c.key in found.columns
        else ColumnReading(c.key, c.header, c.required, closest=_closest(c.names, unused))
        for c in tab.columns)
    members = tuple((f"{key}:{code}", found.headers[i], cell_ref(row, i + 1))
                    for key, codes in found.groups.items() for code, i in codes.items())
    return TabReading(title, tab.key, how, row, columns, members, tuple(unused.values()))


def _closest(names, unused: dict[int, str]) -> tuple[str, ...]:
    choices = {i: header_key(text) for i, text in unused.items()}
    best: dict[int, float] = {}
    for name in names:
        for _match, score, i in process.extract(header_key(name), choices, scorer=fuzz.WRatio, limit=CLOSEST,
                                                score_cutoff=CLOSE_ENOUGH):
            best[i] = max(best.get(i, 0), score)
    return tuple(unused[i] for i in sorted(best, key=lambda i: -best[i])[:CLOSEST])


def override_text(spec: WorkbookSpec, readings: list[TabReading], job: str) -> str:
    """An override file (YAML) that pins what was understood — each officer tab's header row (where all its tabs
    agree), the titles of tabs known only by their layout — with an alias list to fill in for each required column
    still missing, the closest headers in a comment."""
    lines = [f"# Layout overrides of job {job!r}, written by `python -m app map`. Edit freely: `sync` and `check`",
             "# read this file. aliases: more headers that mean a column; header_row: where the headers are",
             "# (not looked for); titles: tab titles that play this tab's role.",
             f"workbook: {spec.name}", "tabs:"]
    roles = [r for r in readings if r.role and r.how in ("title", "listed", "layout")]
    for role in dict.fromkeys(r.role for r in roles):
        mine = [r for r in roles if r.role == role]
        lines.append(f"  {role}:")
        if len({r.header_row for r in mine}) == 1:
            lines.append(f"    header_row: {mine[0].header_row}")
        titles = [r.title for r in mine if r.how == "layout" and not spec.tab(role).is_template]
        if titles:
            lines.append(f"    titles: [{', '.join(_quoted(t) for t in titles)}]")
        missing = {c.key: c for r in mine for c in r.missing}
        if missing:
            lines.append("    aliases:")
            for key, column in missing.items():
                hint = f"  # {column.header!r} not found; did you mean: " + ", ".join(map(_quoted, column.closest)) \
                    if column.closest else f"  # {column.header!r} not found"
                lines.append(f"      {key}: []{hint}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'
