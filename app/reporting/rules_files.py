"""Workflow B's definitions from sheets_schema/ (indicators, milestones, sizes, clusters, programs/*.yaml).

The only module that reads those files; every error is one line naming the file and the key.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from app.reporting.duplicates import ENTERPRISE_ID
from app.reporting.enterprise_size import CofundingRule, SectorLimits, SizeTable
from app.reporting.expressions import ExpressionError, check, evaluate
from app.sheets.headers import normalize_header
from app.reporting.indicators import Case, Indicator, Part, compute
from app.reporting.milestones import Condition, Level, Milestones
from app.sheets.problems import problem_text
from app.reporting.rules import ReportingRules
from app.sheets.layout import Choice, WorkbookSpec
from app.reporting.summaries import Figure, row_inputs
from app.sheets.tables import read_table
from app.reporting.targets import Output, Program, Target
from app.reporting.validation_rules import Rule, apply_rules
from app.sheets.layout_files import SCHEMA_DIR, SchemaError, load_workbook_spec, read_yaml

DEFAULT_PROGRAM = "cluster_project"
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PER_CLUSTER = ("min", "target_clusters")


def available_programs(schema_dir: Path | None = None) -> list[str]:
    """Names of the program target files in sheets_schema/programs/."""
    return sorted(p.stem for p in (Path(schema_dir or SCHEMA_DIR) / "programs").glob("*.yaml"))


def load_reporting_rules(program: str = DEFAULT_PROGRAM, schema_dir: Path | None = None) -> ReportingRules:
    """All of Workflow B's definitions, checked against workbook B's layout; SchemaError when a file is wrong."""
    return _load(program, Path(schema_dir or SCHEMA_DIR).resolve())


@lru_cache(maxsize=None)
def _load(program: str, folder: Path) -> ReportingRules:
    spec = load_workbook_spec("reporting", folder)
    unit = spec.tab("unit")
    columns = {c.key for c in unit.columns}
    inputs = columns | {g.key for g in unit.groups} | {ENTERPRISE_ID}
    file = _File(folder / "indicators.yaml")
    indicators = []
    for at, raw in file.items("indicators"):
        indicators.append(_indicator(file, at, raw, inputs | {i.key for i in indicators}))
    known = inputs | {i.key for i in indicators}
    messages = {key: problem_text(file.get(m, f"messages.{key}", "th"), file.get(m, f"messages.{key}", "en"))
                for key, m in file.get(file.data, "(top)", "messages").items()}
    rules = tuple(Rule(file.get(r, at, "key"), file.choose(file.get(r, at, "column"), f"{at}.column", columns),
                       file.formula(r, at, "when", known), messages.get(file.get(r, at, "message")) or
                       file.fail(f"{at}.message", "not in messages"))
                  for at, r in file.items("rules"))
    figures = tuple(Figure(file.get(f, at, "key"), file.choose(f.get("kind"), f"{at}.kind", {"unique", "share", "count", "sum", "mean"}),
                           file.formula(f, at, "of", known),
                           file.choose(f.get("level"), f"{at}.level", {"person", "enterprise"}),
                           bool(f.get("blank_counts_each", False)))
                    for at, f in file.items("figures"))
    milestones = _milestones(folder, spec, known)
    chosen, cluster_targets = _program(folder, program, {f.key for f in figures}, set(milestones.levels))
    milestones = replace(milestones, year_targets={**milestones.year_targets, **cluster_targets})
    loaded = ReportingRules(tuple(indicators), rules, figures, *_sizes(folder, spec), milestones,
                            _clusters(folder), chosen)
    _dry_run(file, loaded, spec)
    return loaded


def _dry_run(file: _File, rules: ReportingRules, spec: WorkbookSpec) -> None:
    """Every formula once over an empty unit tab, so a formula that mixes types fails now, not in a run."""
    unit = spec.tab("unit")
    frame = read_table([[c.header for c in unit.columns]], unit.titled("-"), spec.title).frame
    frame[ENTERPRISE_ID] = frame["tax_id"]
    try:
        work = pd.concat([frame, compute(frame, rules.indicators)[0]], axis=1)
        apply_rules(work, rules.rules)
        row_inputs(work, rules.figures, pd.Series(False, index=work.index), pd.Series(False, index=work.index))
        for level in (lv for kind in rules.milestones.levels.values() for lv in kind if lv.condition):
            evaluate(level.condition.holds, work)
    except (ExpressionError, TypeError, ValueError) as exc:
        file.fail("formulas", f"do not evaluate on the unit tab's column types: {' '.join(str(exc).split())}")


def _indicator(file: _File, at: str, raw: dict, known: set[str]) -> Indicator:
    forms = [k for k in ("formula", "cases", "parts") if k in raw]
    if len(forms) != 1:
        file.fail(at, "give exactly one of formula, cases or parts")
    if "parts" in raw:
        return _sum_of_parts(file, at, raw, known)
    cases = [(f"{at}.cases[{i}]", c) for i, c in enumerate(raw["cases"])] if "cases" in raw else [(at, raw)]
    built = tuple(Case(file.formula(c, where, "formula", known),
                       file.formula(c, where, "when", known) if "when" in c else None,
                       tuple(file.choose(k, f"{where}.nonzero", known) for k in c.get("nonzero", [])))
                  for where, c in cases)
    typed = file.choose(raw["typed"], f"{at}.typed", known) if "typed" in raw else None
    return Indicator(file.get(raw, at, "key"), file.get(raw, at, "name"), file.get(raw, at, "name_en"),
                     file.choose(raw.get("unit"), f"{at}.unit", {"percent", "baht", "baht_year"}), built, typed,
                     float(raw.get("tolerance", 0.5)))


def _sum_of_parts(file: _File, at: str, raw: dict, known: set[str]) -> Indicator:
    parts = []
    for i, part in enumerate(raw["parts"]):
        where = f"{at}.parts[{i}]"
        when = file.formula(part, where, "when", known) if "when" in part else None
        parts.append(Part(file.choose(file.get(part, where, "of"), f"{where}.of", known), file.get(part, where, "label"),
                          when, file.get(part, where, "left_out") if when else ""))
    typed = file.choose(raw["typed"], f"{at}.typed", known) if "typed" in raw else None
    return Indicator(file.get(raw, at, "key"), file.get(raw, at, "name"), file.get(raw, at, "name_en"),
                     file.choose(raw.get("unit"), f"{at}.unit", {"percent", "baht", "baht_year"}), (), typed,
                     float(raw.get("tolerance", 0.5)), tuple(parts), file.get(raw, at, "parts_column"))


def _sizes(folder: Path, spec: WorkbookSpec) -> tuple[SizeTable, dict[str, CofundingRule]]:
    file = _File(folder / "enterprise_size.yaml")
    sizes = [(file.get(s, at, "key"), file.get(s, at, "label")) for at, s in file.items("sizes")]
    sectors = {c.value for c in spec.tab("unit").column("sector").choices}
    limits = {}
    for sector, raw in file.get(file.data, "(top)", "limits").items():
        at = f"limits.{sector}"
        file.choose(sector, "limits", sectors)
        staff, revenue = tuple(file.get(raw, at, "staff")), tuple(file.get(raw, at, "revenue"))
        if any(len(v) != len(sizes) - 1 or list(v) != sorted(v) for v in (staff, revenue)):
            file.fail(at, f"give {len(sizes) - 1} ascending limits for staff and for revenue")
        limits[sector] = SectorLimits(staff, revenue)
    types = {file.get(t, at, "key"): t for at, t in file.items("applicant_types")}
    keys = {key for key, _ in sizes} | set(types)
    cofunding = {}
    for size, raw in file.get(file.data, "(top)", "cofunding").items():
        file.choose(size, "cofunding", keys)
        for part in raw:
            file.choose(part, f"cofunding.{size}", {"cash", "in_kind", "total"})
        note = " ".join(str(types.get(size, {}).get("note", "")).split())
        rule = CofundingRule(size, **{k: float(v) for k, v in raw.items()}, note=note)
        for name in (size, *types.get(size, {}).get("aliases", ())):
            cofunding[str(name).lower()] = rule  # an applicant type's aliases name the same rule
    return SizeTable(tuple(label for _, label in sizes), limits), cofunding


def _milestones(folder: Path, spec: WorkbookSpec, known: set[str]) -> Milestones:
    file = _File(folder / "milestones.yaml")
    evidence = spec.tab("cluster_evidence")
    types = {c.value for c in evidence.column("cluster_type").choices}
    conditions = file.data.get("conditions", {})
    levels = {}
    for kind, raw in file.get(file.data, "(top)", "cluster_types").items():
        file.choose(kind, "cluster_types", types)
        if sorted(raw) != list(range(1, len(raw) + 1)):
            file.fail(f"cluster_types.{kind}", "levels must be 1, 2, 3, … in order")
        for item in (i for items in raw.values() for i in items):
            if not re.search(evidence.group("evidence").pattern, normalize_header(item)):
                file.fail(f"cluster_types.{kind}", f"{item!r} is not an evidence header (`L<level> …`)")
        levels[kind] = tuple(Level(n, tuple(raw[n]), _condition(file, conditions.get(kind, {}).get(n), known,
                                                                 f"conditions.{kind}.{n}"))
                             for n in sorted(raw))
    return Milestones(levels, _year_targets(file, file.get(file.data, "(top)", "year_targets"), "year_targets", types))


def _year_targets(file: _File, raw: object, at: str, types: set[str]) -> dict[str, tuple[tuple[int, int], ...]]:
    """{cluster type: ((from year, at least level), …)}; a type must be a `ประเภท` choice."""
    if not isinstance(raw, dict):
        file.fail(at, "must map a cluster type to {year: level}")
    targets = {}
    for kind, years in raw.items():
        file.choose(kind, at, types)
        if not isinstance(years, dict) or not years:
            file.fail(f"{at}.{kind}", "must map a year to the level due from then on")
        try:
            targets[kind] = tuple(sorted((int(y), int(lv)) for y, lv in years.items()))
        except (TypeError, ValueError):
            file.fail(f"{at}.{kind}", "years and levels are whole numbers")
    return targets


def _condition(file: _File, raw: dict | None, known: set[str], at: str) -> Condition | None:
    if raw is None:
        return None
    return Condition(file.formula(raw, at, "holds", known), float(file.get(raw, at, "share")),
                     file.get(raw, at, "name"))


def _clusters(folder: Path) -> tuple[Choice, ...]:
    file = _File(folder / "clusters.yaml")
    return tuple(Choice(file.get(c, at, "value"), tuple(c.get("aliases", ()))) for at, c in file.items("choices"))


def _program(folder: Path, name: str, figures: set[str],
             cluster_types: set[str]) -> tuple[Program, dict[str, tuple[tuple[int, int], ...]]]:
    """The program's targets, and the cluster year targets it adds (`cluster_year_targets`, optional)."""
    path = folder / "programs" / f"{name}.yaml"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise SchemaError(f"programs/{name}.yaml: no such program (available: "
                          f"{', '.join(available_programs(folder)) or 'none'})")
    file = _File(path)
    if file.get(file.data, "(top)", "program") != name:
        file.fail("program", f"must be {name!r}, the file's name")
    outputs = tuple(Output(file.get(o, at, "key"), file.get(o, at, "name"), file.get(o, at, "unit"),
                           tuple(o.get("aliases", ())), bool(o.get("per_enterprise", False)))
                    for at, o in (file.items("outputs") if "outputs" in file.data else []))
    targets = tuple(_target(file, at, t, figures, {o.key for o in outputs}) for at, t in file.items("targets"))
    extra = _year_targets(file, file.data["cluster_year_targets"], "cluster_year_targets", cluster_types) \
        if "cluster_year_targets" in file.data else {}
    return Program(name, file.get(file.data, "(top)", "title"), targets, outputs), extra


def _target(file: _File, at: str, raw: dict, figures: set[str], outputs: set[str]) -> Target:
    """A target names exactly one of a summary figure, an output, or the activities' span of days."""
    if sum(("figure" in raw, "output" in raw, bool(raw.get("span_days")))) != 1:
        file.fail(at, "give exactly one of figure, output or span_days: true")
    return Target(file.get(raw, at, "name"),
                  file.choose(raw["figure"], f"{at}.figure", figures) if "figure" in raw else None,
                  float(file.get(raw, at, "target")), raw.get("activity"),
                  file.choose(raw["per_cluster"], f"{at}.per_cluster", _PER_CLUSTER) if "per_cluster" in raw else None,
                  file.choose(raw["output"], f"{at}.output", outputs) if "output" in raw else None,
                  bool(raw.get("span_days", False)), bool(raw.get("at_most", False)))


class _File:
    """One parsed definitions file and one-line errors that name it."""

    def __init__(self, path: Path):
        self.label = f"{path.parent.name}/{path.name}"
        self.data = read_yaml(path)

    def fail(self, where: str, what: str):
        raise SchemaError(f"{self.label}: {where}: {what}")

    def items(self, key: str) -> list[tuple[str, dict]]:
        values = self.get(self.data, "(top)", key)
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
            self.fail(key, "must be a list of mappings")
        return [(f"{key}[{i}]", v) for i, v in enumerate(values)]

    def get(self, data: dict, where: str, key: str):
        if not isinstance(data, dict) or data.get(key) in (None, ""):
            self.fail(f"{where}.{key}", "missing")
        return data[key]

    def choose(self, value: object, where: str, allowed) -> str:
        return value if value in allowed else self.fail(where, f"{value!r} is not one of {sorted(allowed)}")

    def formula(self, data: dict, where: str, key: str, known: set[str]) -> str:
        text = " ".join(str(self.get(data, where, key)).split())
        try:
            check(text, known)
        except ExpressionError as exc:
            self.fail(f"{where}.{key}", str(exc))
        return text
