"""Outcome indicators from their declarative definitions (sheets_schema/indicators.yaml), for all rows at once.

SPEC.md Workflow B: a zero or missing "before" leaves the indicator empty (a zero one is listed as a problem;
a missing one is a validation rule); nothing infinite or NaN leaves this module as a number.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.reporting.expressions import evaluate, names
from app.reporting.findings import combine, flag
from app.sheets.problems import problem_text

ZERO_INPUT = problem_text("ค่าเป็นศูนย์: คำนวณผลลัพธ์ที่ต้องใช้ค่านี้ไม่ได้ (ปล่อยว่าง)",
                          "zero value: the results that need it are left empty")


@dataclass(frozen=True)
class Case:
    """One way to compute an indicator: applies where `when` holds (always if None)."""

    formula: str
    when: str | None = None
    nonzero: tuple[str, ...] = ()  # inputs that must not be zero, else the indicator is empty for the row


@dataclass(frozen=True)
class Part:
    """One addend of a sum of parts: added where present and `when` holds; `left_out` says why when it does not."""

    of: str
    label: str
    when: str | None = None
    left_out: str = ""


@dataclass(frozen=True)
class Indicator:
    """A computed column: its key, names (Thai, English), unit and the cases that compute it, first match wins —
    or the parts it adds up, with a text column (`parts_column`) saying which were added and which left out."""

    key: str
    name: str
    name_en: str
    unit: str  # percent | baht | baht_year
    cases: tuple[Case, ...]
    typed: str | None = None  # the officer-typed column that should agree with it
    tolerance: float = 0.5  # how far the typed figure may be off before it counts as a disagreement
    parts: tuple[Part, ...] = ()
    parts_column: str | None = None

    def inputs(self) -> set[str]:
        """Every key the indicator reads."""
        return set().union(*(names(c.formula) | (names(c.when) if c.when else set()) | set(c.nonzero)
                             for c in self.cases),
                           *({p.of} | (names(p.when) if p.when else set()) for p in self.parts))


def compute(frame: pd.DataFrame, indicators: tuple[Indicator, ...]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One column per indicator (in order, so later ones may use earlier ones) on the frame's index with the parts
    columns, the findings, and where each figure is the officer's own (True) rather than computed from raw figures.

    Where the raw before/after figures are absent, the officer-typed result is the figure (seed 002's sheet keeps
    only those); an indicator built on such a figure is typed too, and gives way to its own typed result."""
    keys = [i.key for i in indicators]
    needed = set().union(*(i.inputs() for i in indicators)) - set(keys) | {i.typed for i in indicators if i.typed}
    work = frame[[c for c in frame.columns if c in needed or c.partition(":")[0] in needed]].astype("float64")
    present = work.notna()
    found, typed, texts = [], {}, {}
    for indicator in indicators:
        result = np.full(len(work), np.nan)
        if indicator.parts:
            total, texts[indicator.parts_column] = _sum_of_parts(work, indicator.parts)
            result = total.to_numpy(dtype=float)
        for case in indicator.cases:
            applies = evaluate(case.when, work).fillna(False).to_numpy(dtype=bool) if case.when else \
                np.ones(len(work), dtype=bool)
            value = evaluate(case.formula, work).to_numpy(dtype=float)
            complete = _all_present(present, names(case.formula) | set(case.nonzero))
            zero = np.zeros(len(work), dtype=bool)
            for key in case.nonzero:
                is_zero = work[key].to_numpy() == 0
                found.append(flag(applies & complete & is_zero, key, ZERO_INPUT))
                zero |= is_zero
            value = np.where(zero | ~np.isfinite(value), np.nan, value)
            result = np.where(applies & np.isnan(result), value, result)
        built_on_typed = np.zeros(len(work), dtype=bool)
        for key in indicator.inputs() & typed.keys():
            built_on_typed |= typed[key]
        own = work[indicator.typed].to_numpy() if indicator.typed in work.columns else np.full(len(work), np.nan)
        use_own = ~np.isnan(own) & (np.isnan(result) | built_on_typed)
        result = np.where(use_own, own, result)
        typed[indicator.key] = use_own | (built_on_typed & ~np.isnan(result))
        work[indicator.key] = result
        present[indicator.key] = ~np.isnan(result)
    values = pd.concat([work[keys], pd.DataFrame(texts, index=work.index)], axis=1)
    return values, combine(found), pd.DataFrame(typed, index=work.index)


def _sum_of_parts(work: pd.DataFrame, parts: tuple[Part, ...]) -> tuple[pd.Series, pd.Series]:
    """The sum of the parts present whose `when` holds (NaN when none is), and per row `ของเสีย + ต้นทุน; ไม่รวม:
    รายได้ (มียอดขายแล้ว)` — what was added, then what was present but left out and why."""
    total = pd.Series(np.nan, index=work.index)
    added = pd.Series("", index=work.index, dtype=object)
    left_out = pd.Series("", index=work.index, dtype=object)
    for part in parts:
        value = work[part.of]
        present = value.notna()
        counts = present & (evaluate(part.when, work).fillna(False).astype(bool) if part.when else True)
        total = total.where(~counts, total.fillna(0) + value)
        added = added.where(~counts, added + np.where(added == "", "", " + ") + part.label)
        skipped = present & ~counts
        left_out = left_out.where(~skipped, left_out + np.where(left_out == "", "", ", ") +
                                  f"{part.label} ({part.left_out})")
    text = added + np.where(left_out == "", "", np.where(added == "", "ไม่รวม: ", "; ไม่รวม: ")) + left_out
    return total, text.where(text != "", None)


def figure_sources(values: pd.DataFrame, typed: pd.DataFrame, indicators: tuple[Indicator, ...]) -> pd.Series:
    """`ที่มาของตัวเลข` per row: computed from the raw figures, typed by the officer (which ones), or both."""
    computed = (values[typed.columns].notna() & ~typed).any(axis=1)
    names = pd.Series("", index=values.index, dtype=object)
    for indicator in indicators:
        names[typed[indicator.key]] += ", " + indicator.name
    names = names.str.removeprefix(", ")
    return pd.Series(np.select([computed & (names != ""), computed, names != ""],
                               ["คำนวณ (computed); กรอก (typed): " + names, "คำนวณ (computed)", "กรอก (typed): " + names],
                               ""), index=values.index, dtype=object)


def disagreements(work: pd.DataFrame, indicators: tuple[Indicator, ...]) -> tuple[pd.Series, pd.DataFrame]:
    """`ตรวจสอบตัวเลข`: where an officer-typed figure differs from the computed one by more than the tolerance."""
    notes = pd.Series("", index=work.index, dtype=object)
    found = []
    for indicator in (i for i in indicators if i.typed and i.typed in work.columns):
        typed, computed = work[indicator.typed].astype(float), work[indicator.key]
        off = typed.notna() & computed.notna() & ((typed - computed).abs() > indicator.tolerance)
        if not off.any():
            continue
        said, got = _figure(typed[off]), _figure(computed[off])
        note = indicator.name + ": กรอก " + said + " คำนวณได้ " + got
        notes[off] = np.where(notes[off] == "", note, notes[off] + "; " + note)
        problem = ("ไม่ตรงกับที่คำนวณได้ " + got + " (typed figure disagrees with the computed " + got + ")")
        found.append(flag(off, indicator.typed, problem.reindex(work.index)))
    return notes, combine(found)


def _all_present(present: pd.DataFrame, keys: set[str]) -> np.ndarray:
    columns = [c for c in present.columns if c in keys or c.partition(":")[0] in keys]
    return present[columns].to_numpy().all(axis=1)


def _figure(values: pd.Series) -> pd.Series:
    return values.round(2).map("{:,.2f}".format).str.replace(r"\.?0+$", "", regex=True)
