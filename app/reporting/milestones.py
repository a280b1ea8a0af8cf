"""Cluster milestone levels 1–5 (seed 002): the highest level whose evidence, and every lower level's, is ticked.

A level may also need a condition on the cluster's enterprises (Super Cluster level 3: ≥ 70 % of them
improved waste, cost or sales by ≥ 10 %). Levels, evidence and year targets: sheets_schema/milestones.yaml.
Year targets are per cluster type: seed 002 gives them ("การวัดผลลัพธ์") for Super Clusters only; an ordinary
cluster shows its level and what the next one needs, judged only where the program's file gives it targets.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.sheets.headers import group_code, normalize_header
from app.reporting.targets import MET, NOT_MET

ALL_REACHED = "ครบทุกระดับแล้ว (all levels reached)"
NO_TARGET = "ไม่กำหนดเป้าหมาย (no target set)"


@dataclass(frozen=True)
class Condition:
    """At least `share` % of the cluster's enterprises have a counted row where `holds` (an expression)."""

    holds: str
    share: float
    name: str  # what it measures, in words, for "what is missing"


@dataclass(frozen=True)
class Level:
    """One level: the tick columns that prove it and an optional condition on the enterprises."""

    number: int
    evidence: tuple[str, ...]
    condition: Condition | None = None


@dataclass(frozen=True)
class Milestones:
    """Levels per cluster type (a choice value of `ประเภท`) and, per type that has them, the level due each year."""

    levels: dict[str, tuple[Level, ...]]
    year_targets: dict[str, tuple[tuple[int, int], ...]]  # type → ((from year, at least level), …), ascending


def evidence_key(header: str) -> str:
    """The frame column of an evidence tick column, as the `evidence` column family names it."""
    return f"evidence:{group_code(normalize_header(header))}"


def assess_levels(evidence: pd.DataFrame, rules: Milestones, shares: dict[str, pd.Series]) -> pd.DataFrame:
    """Per evidence row: level reached, this year's target, met, and what the next level lacks.

    `shares` maps each condition's `holds` expression to the share of enterprises per evidence row."""
    reached = pd.Series(np.nan, index=evidence.index)
    missing = pd.Series("", index=evidence.index, dtype=object)
    for kind, levels in rules.levels.items():
        going = evidence["cluster_type"].eq(kind).fillna(False).astype(bool)
        reached[going] = 0
        for level in levels:
            lacking, ok = _lacking(evidence, level, shares)
            gap = going & ~ok
            missing[gap] = f"ระดับ {level.number} ขาด (missing): " + lacking[gap].str.removeprefix("; ")
            going &= ok
            reached[going] = level.number
        missing[going] = ALL_REACHED
    year = evidence["year"].astype(float).to_numpy()
    target = pd.Series(np.nan, index=evidence.index)
    for kind, targets in rules.year_targets.items():
        years, due = zip(*targets)
        at = np.searchsorted(np.asarray(years, float), year, side="right") - 1
        due_now = np.where((at >= 0) & ~np.isnan(year), np.asarray(due + (np.nan,), float)[at], np.nan)
        target = target.where(~evidence["cluster_type"].eq(kind).fillna(False).astype(bool), due_now)
    untargeted = ~evidence["cluster_type"].isin(list(rules.year_targets)).to_numpy()
    met = np.where(reached.isna(), "", np.where(untargeted, NO_TARGET, np.where(
        target.isna(), "", np.where(reached >= target, MET, NOT_MET))))
    return pd.DataFrame({"level_reached": reached, "target_level": target, "target_met": met,
                         "missing_for_next": missing}, index=evidence.index)


def _lacking(evidence: pd.DataFrame, level: Level, shares: dict[str, pd.Series]) -> tuple[pd.Series, pd.Series]:
    """Words for what a level lacks on each row, and whether nothing is lacking."""
    text = pd.Series("", index=evidence.index, dtype=object)
    ok = pd.Series(True, index=evidence.index)
    for header in level.evidence:
        key = evidence_key(header)
        ticked = evidence[key].eq(True).fillna(False).astype(bool) if key in evidence else \
            pd.Series(False, index=evidence.index)
        text = text.where(ticked, text + "; " + header)
        ok &= ticked
    if level.condition is not None:
        share = shares[level.condition.holds].reindex(evidence.index)
        enough = share.ge(level.condition.share).fillna(False).astype(bool)
        shown = share.round(2).map("{:g}".format).where(share.notna(), "ไม่มีข้อมูล")
        words = "; " + level.condition.name + f" ต้องไม่น้อยกว่าร้อยละ {level.condition.share:g} (ได้ " + shown + ")"
        text = text.where(enough, text + words)
        ok &= enough
    return text, ok
