"""A program over several activity spreadsheets (job kind `program`).

Each activity is a reporting job with a spreadsheet of its own. The program takes what its run support read of each
activity's unit tabs, works out every activity's rows exactly as that activity's reporting job does (indicators,
checks, repeats within the activity, clusters), stacks them with the activity as one more dimension and writes the
program's summary per activity, unit, cluster and province, with the program's targets, into its own spreadsheet.
People and enterprises are counted once across the activities wherever a figure counts them (`kind: unique` in
indicators.yaml; a share's base is the unique recipients), so the total row is not the sum of the activity rows;
each target on such a figure says in `วิธีนับ` how many the activities listed and how many were the same.

Pure: the activities' tabs come in the run context (ProgramContext), read by the kind's support (program_kind.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import pandas as pd

from app.reporting import tabs
from app.reporting.consolidation import UNIT_NAME
from app.reporting.outputs import count_outputs, unknown_output
from app.reporting.rules import ReportingRules
from app.reporting.summaries import Figure, row_inputs, summarise
from app.reporting.targets import Program, assess_targets
from app.reporting.workflow import ReportingWorkflow
from app.sheets.grid import Grid
from app.sheets.headers import MissingHeader
from app.sheets.layout import ColumnSpec, TabSpec, WorkbookSpec
from app.sheets.layout_files import SCHEMA_DIR, SchemaError, read_yaml
from app.sheets.problems import RowProblem, StopRun
from app.sheets.tables import ROW, read_table
from app.sync.lost_inputs import check_inputs, remembered
from app.sync.workflow import RunContext, WorkflowResult, next_midnight

ACTIVITY = "_activity"  # frame column: the activity (its spreadsheet's title) a row comes from
IN_ACTIVITY = " › "  # a problem's tab as `<activity> › <unit tab>`
SUMMARIES = {"by_activity": ACTIVITY, "by_unit": UNIT_NAME, "by_cluster": "_cluster", "by_province": "province"}
ACTIVITY_INPUTS = "activity_inputs"  # in a run's summary: per activity job, its rows per input tab (lost_inputs)
PAGE_DIMENSIONS = {"by_activity": "activities", "by_unit": "units", "by_cluster": "clusters",
                   "by_province": "provinces"}  # tab key → its name in the web page's summary contract


@dataclass(frozen=True)
class ActivityTabs:
    """What the program read of one activity: its job, its spreadsheet's title, its layout and its unit tabs."""

    job: str
    label: str
    spec: WorkbookSpec  # the activity job's reporting layout, with its own overrides
    grids: dict[str, Grid]
    place: str = ""  # its workbook's lock key: what its remembered rows belong to
    previous: dict | None = None  # its rows per input tab in the program's last successful run


@dataclass(frozen=True)
class ProgramContext(RunContext):
    """The run context with every activity's tabs, in the configured order."""

    activities: tuple[ActivityTabs, ...] = ()
    accept_emptied: bool = False  # an activity's tab emptied or removed on purpose does not stop the run


@dataclass(frozen=True)
class ProgramLayout:
    """The program's service tabs (sheets_schema/program.yaml) and the words above its targets table."""

    spec: WorkbookSpec
    targets_title: str


def load_program_layout(reporting: WorkbookSpec, schema_dir: Path | None = None) -> ProgramLayout:
    """The program's summary tabs: reporting's `สรุปผลผลิต` columns, each grouped by the column program.yaml names."""
    path = Path(schema_dir or SCHEMA_DIR) / "program.yaml"
    data = read_yaml(path)
    where = f"{path.parent.name}/{path.name}"
    summaries = data.get("summaries")
    if not isinstance(summaries, dict) or set(summaries) != set(SUMMARIES):
        raise SchemaError(f"{where}: summaries: give exactly {', '.join(SUMMARIES)}")
    output = reporting.tab("output_summary")
    made = []
    for key, raw in summaries.items():
        if not isinstance(raw, dict) or not raw.get("title") or not raw.get("group"):
            raise SchemaError(f"{where}: summaries.{key}: give its title and group (the first column's header)")
        first = ColumnSpec(key="group", header=str(raw["group"]), type="text", owner="service")
        made.append(replace(output, key=key, title=str(raw["title"]), workbook="program", aliases=(), keys=("group",),
                            columns=(first, *output.columns[1:]),
                            footer_columns=output.footer_columns if raw.get("targets") else ()))
    if sum(bool(tab.footer_columns) for tab in made) != 1:
        raise SchemaError(f"{where}: summaries: exactly one tab has `targets: true`")
    return ProgramLayout(WorkbookSpec("program", str(data.get("title") or "program"), tuple(made)),
                         str(data.get("targets_title") or "{program}"))


class ProgramWorkflow:
    """Reads no officer tab of its own spreadsheet; writes the program summary tabs from its activities' rows."""

    def __init__(self, layout: ProgramLayout, reporting: WorkbookSpec, rules: ReportingRules) -> None:
        self.spec, self.targets_title = layout.spec, layout.targets_title
        self.reporting, self.rules = reporting, rules

    def tabs_to_read(self, titles: Sequence[str]) -> list[str]:
        return []

    def service_titles(self) -> list[str]:
        return [tab.title for tab in self.spec.tabs]

    def run(self, grids: dict[str, Grid], ctx: ProgramContext) -> WorkflowResult:
        activities = ctx.activities  # the program's support always gives a ProgramContext
        frames, problems, notes, units, outputs = [], [], [], [], []
        for activity in activities:
            _check_inputs(activity, ctx.accept_emptied)
            work, data, found = ReportingWorkflow(activity.spec, self.rules).rows(activity.grids, ctx)
            frames.append(work.assign(**{ACTIVITY: activity.label}))
            problems += [replace(p, tab=f"{activity.label}{IN_ACTIVITY}{p.tab}") for p in found]
            notes += [f"{activity.label}: {note}" for note in data.notes]
            units += [u for u in pd.unique(work[UNIT_NAME].dropna()) if u not in units]
            outputs.append(self._outputs(activity, ctx))
        work = pd.concat(frames, ignore_index=True)
        for repeat in ("_person_repeat", "_enterprise_repeat"):
            work[repeat] = work[repeat].fillna(False).astype(bool)
        rules = self.rules
        figures, clusters = rules.figures, [c.value for c in rules.clusters]
        inputs = row_inputs(work, figures, work["_person_repeat"], work["_enterprise_repeat"])
        orders = {"by_activity": [a.label for a in activities], "by_unit": units, "by_cluster": clusters,
                  "by_province": self._provinces(work)}
        tables = {key: summarise(inputs, figures, work[column], orders[key]) for key, column in SUMMARIES.items()}
        total = summarise(inputs, figures, None)
        counted, output_problems = _counted_outputs(outputs, rules.program)
        targets = assess_targets(rules.program, work, inputs, figures, work["_cluster"], clusters, counted)
        targets = _say_unique(targets, rules.program, figures, tables["by_activity"])
        result_tabs = []
        for tab in self.spec.tabs:
            footer = (targets, self.targets_title.format(program=rules.program.title)) if tab.footer_columns else ()
            result_tabs.append(tabs.summary_tab(tab, pd.concat([tables[tab.key], total]), *footer))
        summary = tabs.page_summary(rules.program.title, targets,
                                    {PAGE_DIMENSIONS[key]: table for key, table in tables.items()})
        remembered_rows = {a.job: remembered(a.spec, a.place, a.grids, list(a.grids)) for a in activities}
        return WorkflowResult(result_tabs, list(dict.fromkeys(problems + output_problems)), len(work), notes=notes,
                              summary=summary | {ACTIVITY_INPUTS: remembered_rows},
                              stable_until=next_midnight(ctx.now))

    def _provinces(self, work: pd.DataFrame) -> list[str]:
        """Provinces with rows, in the order of sheets_schema/provinces.yaml."""
        present = set(work["province"].dropna())
        return [c.value for c in self.reporting.tab("unit").column("province").choices if c.value in present]

    def _outputs(self, activity: ActivityTabs, ctx: RunContext) -> tuple[pd.DataFrame | None, list[RowProblem]]:
        """The activity's `ผลผลิตโครงการ` rows (None without the tab), counted with the others' once for all."""
        title = activity.spec.officer_titles(list(activity.grids)).get("program_outputs")
        if title is None or not self.rules.program.outputs:
            return None, []
        named = f"{activity.label}{IN_ACTIVITY}{title}"
        try:
            table = read_table(activity.grids[title], activity.spec.tab("program_outputs"), activity.spec.title,
                               title, today=ctx.now.date())
        except MissingHeader as exc:
            return None, [RowProblem(named, 1, exc.header, "", str(exc))]
        header = table.header_map.header_of("output")
        frame = table.frame.assign(_where=named, _header=header)
        return frame, [replace(p, tab=named) for p in table.problems]


def _check_inputs(activity: ActivityTabs, accept_emptied: bool) -> None:
    """An activity that lost a required tab, or a tab that had rows in the program's last successful run, stops the
    run as its own job would (item 8): the program's summary never drops an activity's rows by mistake."""
    try:
        check_inputs(activity.spec, f"กิจกรรม {activity.label} (job {activity.job})", activity.place, activity.grids,
                     list(activity.grids), activity.previous, accept_emptied)
    except StopRun as exc:
        raise StopRun(replace(exc.problem, tab=f"{activity.label}{IN_ACTIVITY}{exc.problem.tab}")) from exc


def _counted_outputs(read: list[tuple[pd.DataFrame | None, list[RowProblem]]],
                     program: Program) -> tuple[dict[str, float] | None, list[RowProblem]]:
    """The program's outputs over every activity's `ผลผลิตโครงการ` (one per enterprise counts an enterprise once)."""
    frames = [frame for frame, _ in read if frame is not None]
    problems = [p for _, found in read for p in found]
    if not frames:
        return None, problems
    frame = pd.concat(frames, ignore_index=True)
    counted, unknown = count_outputs(frame, program.outputs)
    problem = unknown_output(program.outputs)
    problems += [RowProblem(where, int(row), header, str(name), problem) for where, row, header, name
                 in zip(frame.loc[unknown, "_where"], frame.loc[unknown, ROW], frame.loc[unknown, "_header"],
                        frame.loc[unknown, "output"])]
    return counted, problems


def _say_unique(targets: list[list], program: Program, figures: Sequence[Figure],
                by_activity: pd.DataFrame) -> list[list]:
    """`วิธีนับ` of a target on a counted figure says it is counted once across the activities: for the whole
    program, how many the activities listed in all and how many of them were the same person or enterprise."""
    kinds = {f.key: f.kind for f in figures}
    said = []
    for row, target in zip(targets, program.targets):
        kind = kinds.get(target.figure)
        rule = row[4]
        if kind == "unique" and target.per_cluster is None and not target.activity and row[2] != "":
            listed = int(by_activity[target.figure].sum())
            rule += (f" นับไม่ซ้ำข้ามกิจกรรม: รายกิจกรรมรวมกัน {listed:,} ซ้ำกัน {listed - int(row[2]):,} "
                     f"นับครั้งเดียว (counted once across activities)")
        elif kind == "unique":
            rule += " นับไม่ซ้ำข้ามกิจกรรม (counted once across activities)"
        elif kind == "share":
            rule += " ฐานคือผู้รับบริการไม่ซ้ำทั้งโครงการ (each recipient once across activities)"
        said.append([*row[:4], rule, *row[5:]])
    return said

