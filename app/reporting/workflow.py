"""Workflow B (program reporting): consolidate the unit tabs, check them, compute indicators, write the summaries."""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from app.reporting.consolidation import UNIT, UNIT_NAME, Consolidated, consolidate
from app.reporting.duplicates import ENTERPRISE_ID, enterprise_ids, find_repeats
from app.reporting.enterprise_size import classify
from app.reporting.expressions import evaluate
from app.reporting.findings import combine, display
from app.sheets.grid import Grid
from app.sheets.headers import MissingHeader
from app.reporting.indicators import compute, disagreements, figure_sources
from app.reporting.milestones import assess_levels
from app.reporting.outputs import count_outputs, unknown_output
from app.sheets.problems import RowProblem, problem_text
from app.sheets.satisfaction import unanswered
from app.sheets.suggest import did_you_mean
from app.reporting.rules import ReportingRules
from app.sheets.layout import WorkbookSpec
from app.reporting.summaries import (NOT_LISTED_CLUSTER, canonical_names, listed_names, near_names, row_inputs,
                                     share_by_enterprise, summarise)
from app.sheets.tables import ROW, read_table
from app.reporting.targets import assess_targets
from app.reporting.validation_rules import apply_rules
from app.reporting import tabs
from app.sync.workflow import RunContext, ServiceTab, WorkflowResult, next_midnight

SERVICE_KEYS = ("consolidated", "output_summary", "by_cluster", "by_province", "cluster_levels")
CLUSTER_PREFIX = "คลัสเตอร์"
SATISFACTION = "satisfaction"  # the column family of the satisfaction items
ITEM_NOT_ANSWERED = problem_text("ไม่ได้ตอบข้อนี้: ไม่คำนวณความพึงพอใจของแถวนี้ (นับเป็นไม่มีข้อมูล)",
                                 "item not answered: satisfaction not computed for this row (counted as no data)")


class ReportingWorkflow:
    """Reads `หน่วยงาน`, every unit tab and `หลักฐานคลัสเตอร์`; writes the five summary tabs of workbook B."""

    def __init__(self, spec: WorkbookSpec, rules: ReportingRules) -> None:
        self.spec, self.rules = spec, rules

    def tabs_to_read(self, titles: Sequence[str]) -> list[str]:
        """`หน่วยงาน`, `หลักฐานคลัสเตอร์` and every tab that could be a unit tab (not a fixed tab of the layout, not
        one the officers keep for themselves)."""
        found = self.spec.officer_titles(titles)
        return [found[k] for k in ("units", "cluster_evidence", "program_outputs") if k in found] + \
            [t for t in titles if self.spec.find_tab(t) is None and not self.spec.is_officer_only(t)]

    def service_titles(self) -> list[str]:
        return [self.spec.tab(key).title for key in SERVICE_KEYS]

    def run(self, grids: dict[str, Grid], ctx: RunContext) -> WorkflowResult:
        found = self.spec.officer_titles(list(grids))
        work, data, problems = self.rows(grids, ctx)
        figures, program, clusters = self.rules.figures, self.rules.program, [c.value for c in self.rules.clusters]
        inputs = row_inputs(work, figures, work["_person_repeat"], work["_enterprise_repeat"])
        by_unit = summarise(inputs, figures, work[UNIT_NAME], data.units)
        by_cluster = summarise(inputs, figures, work["_cluster"], clusters)
        by_province = summarise(inputs, figures, work["province"], self._provinces(work))
        total = summarise(inputs, figures, None)
        with_total = pd.concat([by_unit, total])
        counted, output_problems = self._outputs(grids, found, ctx)
        targets = assess_targets(program, work, inputs, figures, work["_cluster"], clusters, counted)
        levels, level_problems = self._levels(grids, found, work, ctx)
        level_problems = output_problems + level_problems
        result_tabs = [self._consolidated(work, data),
                       tabs.summary_tab(self.spec.tab("output_summary"), with_total, targets,
                                        f"เป้าหมายโครงการ (targets): {program.title}"),
                       tabs.summary_tab(self.spec.tab("by_cluster"), pd.concat([by_cluster, total])),
                       tabs.summary_tab(self.spec.tab("by_province"), pd.concat([by_province, total])), levels]
        summary = tabs.page_summary(program.title, targets, {"units": by_unit, "clusters": by_cluster,
                                                             "provinces": by_province})
        return WorkflowResult(result_tabs, list(dict.fromkeys(problems + level_problems)), len(work), notes=data.notes,
                              summary=summary, stable_until=next_midnight(ctx.now))

    def rows(self, grids: dict[str, Grid], ctx: RunContext) -> tuple[pd.DataFrame, Consolidated, list[RowProblem]]:
        """The unit rows consolidated, with their indicators, checks, repeats, sizes and clusters as columns; the
        consolidation; and the problems found on the rows (a program job does this for each of its activities)."""
        found = self.spec.officer_titles(list(grids))
        data = consolidate(grids, self.spec, found.get("units"), today=ctx.now.date())
        work, findings = self._compute(data.frame)
        return work, data, data.problems + self._row_problems(work, data, findings) + self._unanswered(work, data) + \
            self._mistyped_clusters(work, data)

    def _compute(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Indicators, checks, repeats and sizes as columns of one frame, and the findings on its rows."""
        rules = self.rules
        computed, zero, typed_figures = compute(frame, rules.indicators)
        work = pd.concat([frame, computed], axis=1)
        notes, typed = disagreements(work, rules.indicators)
        work[ENTERPRISE_ID] = enterprise_ids(work["tax_id"], work["enterprise_name"])
        repeats = find_repeats(work, "activity_name", "national_id", ENTERPRISE_ID, UNIT, ROW)
        clusters = canonical_names(work["cluster"], rules.clusters, CLUSTER_PREFIX)
        clusters = clusters.where(clusters.notna(), listed_names(work["group_name"], rules.clusters, CLUSTER_PREFIX))
        work = work.assign(unit=work[UNIT], source_row=work[ROW], figures_check=notes, duplicate_check=repeats.note,
                           figures_source=figure_sources(computed, typed_figures, rules.indicators),
                           enterprise_size=classify(work["sector"], work["employees"], work["annual_revenue"],
                                                    rules.sizes),
                           _person_repeat=repeats.person, _enterprise_repeat=repeats.enterprise,
                           _cluster=clusters)
        return work, combine([zero, typed, apply_rules(work, rules.rules)])

    def _row_problems(self, work: pd.DataFrame, data: Consolidated, findings: pd.DataFrame) -> list[RowProblem]:
        """Findings as the officer sees them: unit tab, sheet row, the header as typed there, the value."""
        unit_spec = self.spec.tab("unit")
        found = []
        for key, group in findings.groupby("column", sort=False):
            positions = group["position"].to_numpy()
            values = display(work[key].iloc[positions])
            for unit, row, value, problem in zip(work[UNIT].iloc[positions], work[ROW].iloc[positions], values,
                                                 group["problem"]):
                columns = data.header_maps[unit].columns
                header = data.header_maps[unit].header_of(key) if key in columns else unit_spec.column(key).header
                found.append(RowProblem(unit, int(row), header, value, problem))
        return sorted(found, key=lambda p: (data.units.index(p.tab), p.row, p.column))

    def _mistyped_clusters(self, work: pd.DataFrame, data: Consolidated) -> list[RowProblem]:
        """A `คลัสเตอร์` cell close to a listed cluster but not one (counted as a cluster of its own): a line
        with the name it most likely means."""
        meant = near_names(work["cluster"], self.rules.clusters, CLUSTER_PREFIX)
        found = meant.notna()
        return [RowProblem(unit, int(row), data.header_maps[unit].header_of("cluster"), str(value),
                           problem_text(*did_you_mean(*NOT_LISTED_CLUSTER, name)))
                for unit, row, value, name in zip(work.loc[found, UNIT], work.loc[found, ROW],
                                                  work.loc[found, "cluster"], meant[found])]

    def _unanswered(self, work: pd.DataFrame, data: Consolidated) -> list[RowProblem]:
        """A satisfaction item left blank in a row with others answered: that row's satisfaction is not computed.
        Only the items the row's own unit tab has; an item already reported as unreadable is not listed again."""
        reported = {(p.tab, p.row, p.column) for p in data.problems}
        found = []
        for unit, rows in work.groupby(UNIT, sort=False):
            header_map = data.header_maps[unit]
            items = [f"{SATISFACTION}:{code}" for code in header_map.groups.get(SATISFACTION, {})]
            for index, item in unanswered(rows[items], blank_rows=False):
                problem = RowProblem(unit, int(rows.at[index, ROW]), header_map.header_of(item), "", ITEM_NOT_ANSWERED)
                if (problem.tab, problem.row, problem.column) not in reported:
                    found.append(problem)
        return found

    def _consolidated(self, work: pd.DataFrame, data: Consolidated) -> ServiceTab:
        """`รวบรวมรายชื่อ` with each column family's members, headed as the first unit tab that has them."""
        spec = self.spec.tab("consolidated")
        members = {}
        for group in spec.groups:
            keys = sorted((c for c in work.columns if c.startswith(f"{group.key}:")),
                          key=lambda k: (len(k), k))
            heads = {k: next(" ".join(m.header_of(k).split()) for m in data.header_maps.values()
                             if k.partition(":")[2] in m.groups.get(group.key, {})) for k in keys}
            members[group.key] = [(k, heads[k]) for k in keys]
        return tabs.consolidated_tab(spec, work, members)

    def _provinces(self, work: pd.DataFrame) -> list[str]:
        """Provinces with rows, in the order of sheets_schema/provinces.yaml."""
        present = set(work["province"].dropna())
        return [c.value for c in self.spec.tab("unit").column("province").choices if c.value in present]

    def _outputs(self, grids: dict[str, Grid], found: dict[str, str],
                 ctx: RunContext) -> tuple[dict[str, float] | None, list[RowProblem]]:
        """The program's outputs counted in `ผลผลิตโครงการ` (None when the tab is not there: no data)."""
        outputs = self.rules.program.outputs
        if "program_outputs" not in found or not outputs:
            return None, []
        title = found["program_outputs"]
        try:
            table = read_table(grids[title], self.spec.tab("program_outputs"), self.spec.title, title,
                               today=ctx.now.date())
        except MissingHeader as exc:
            return None, [RowProblem(title, 1, exc.header, "", str(exc))]
        counted, unknown = count_outputs(table.frame, outputs)
        header = table.header_map.header_of("output")
        problem = unknown_output(outputs)
        return counted, list(table.problems) + [RowProblem(title, int(row), header, str(name), problem) for row, name
                                                in zip(table.frame.loc[unknown, ROW], table.frame.loc[unknown, "output"])]

    def _levels(self, grids: dict[str, Grid], found: dict[str, str], work: pd.DataFrame,
                ctx: RunContext) -> tuple[ServiceTab, list[RowProblem]]:
        """`ระดับความสำเร็จคลัสเตอร์` from `หลักฐานคลัสเตอร์` and the enterprises' improvements."""
        spec = self.spec.tab("cluster_levels")
        if "cluster_evidence" not in found:
            return tabs.levels_tab(spec, pd.DataFrame()), []
        title = found["cluster_evidence"]
        try:
            table = read_table(grids[title], self.spec.tab("cluster_evidence"), self.spec.title, title,
                               today=ctx.now.date())
        except MissingHeader as exc:
            return tabs.levels_tab(spec, pd.DataFrame()), [RowProblem(title, 1, exc.header, "", str(exc))]
        evidence = table.frame
        names = canonical_names(evidence["cluster"], self.rules.clusters, CLUSTER_PREFIX)
        meant = near_names(evidence["cluster"], self.rules.clusters, CLUSTER_PREFIX)
        mistyped = [RowProblem(title, int(row), self.spec.tab("cluster_evidence").column("cluster").header, str(value),
                               problem_text(*did_you_mean(*NOT_LISTED_CLUSTER, name)))
                    for row, value, name in zip(evidence.loc[meant.notna(), ROW], evidence.loc[meant.notna(), "cluster"],
                                                meant[meant.notna()])]
        counted = ~(work["_person_repeat"] | work["_enterprise_repeat"])
        conditions = {lv.condition.holds for kind in self.rules.milestones.levels.values() for lv in kind if lv.condition}
        shares = {holds: names.map(share_by_enterprise(evaluate(holds, work), work["_cluster"], work[ENTERPRISE_ID],
                                                       counted)) for holds in conditions}
        levels = assess_levels(evidence, self.rules.milestones, shares)
        return tabs.levels_tab(spec, pd.concat([evidence, levels], axis=1)), list(table.problems) + mistyped

