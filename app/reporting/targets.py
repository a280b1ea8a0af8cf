"""A program's targets (sheets_schema/programs/*.yaml) against the summary figures: target, actual, met."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from app.reporting.summaries import NO_DATA_SUFFIX, NOT_GIVEN, Figure, summarise

MET, NOT_MET, NO_DATA = "บรรลุ (met)", "ไม่บรรลุ (not met)", "ยังไม่มีข้อมูล (no data)"


@dataclass(frozen=True)
class Target:
    """What must reach `target` (at least, or `at_most`): a summary `figure` — optionally per cluster or for some
    activities only —, the counted rows of an `output` in `ผลผลิตโครงการ`, or the `span_days` of the activities."""

    name: str
    figure: str | None
    target: float
    activity: str | None = None  # only rows whose activity name contains this text (any case)
    per_cluster: str | None = None  # min: the smallest cluster's figure | target_clusters: listed clusters with > 0
    output: str | None = None  # an output key of the program
    span_days: bool = False  # days from the first activity's start to the last one's end, both counted
    at_most: bool = False  # met when the actual is at most the target (a time limit)


@dataclass(frozen=True)
class Output:
    """A countable output of a program, listed by name in `ผลผลิตโครงการ`; `per_enterprise`: one per enterprise."""

    key: str
    name: str
    unit: str
    aliases: tuple[str, ...] = ()
    per_enterprise: bool = False


@dataclass(frozen=True)
class Program:
    """One program year's targets; a new program is a new file, not new code."""

    key: str
    title: str
    targets: tuple[Target, ...]
    outputs: tuple[Output, ...] = ()


def assess_targets(program: Program, frame: pd.DataFrame, inputs: pd.DataFrame, figures: Sequence[Figure],
                   cluster: pd.Series, target_clusters: Sequence[str],
                   outputs: dict[str, float] | None = None) -> list[list]:
    """One `ตัวชี้วัด | เป้าหมาย | ผลงาน | บรรลุ | วิธีนับ | หมายเหตุ` row per target; วิธีนับ says the rule in words
    and, for a per-cluster target, which cluster set the figure; a share's หมายเหตุ says how many recipients had no
    data (they are in its base, as not meeting it)."""
    shares = {f.key for f in figures if f.kind == "share"}
    rows = []
    for target in program.targets:
        if target.output or target.span_days:
            actual = (outputs or {}).get(target.output, float("nan")) if target.output else span_days(frame)
            counted = (f"จำนวนในแท็บผลผลิตโครงการ ({target.output})" if target.output else
                       "จำนวนวันจากวันเริ่มกิจกรรมแรกถึงวันสิ้นสุดกิจกรรมสุดท้าย (นับทั้งสองวัน)")
            limit = "ต้องไม่เกิน" if target.at_most else "ต้องไม่น้อยกว่า"
            rows.append([target.name, target.target, "" if pd.isna(actual) else round(float(actual), 2),
                         _verdict(target, actual), f"{counted} {limit} {target.target:,g}", ""])
            continue
        rows_in = pd.Series(True, index=frame.index)
        if target.activity:
            wanted = target.activity.casefold()
            rows_in = frame["activity_name"].astype(str).str.casefold().str.contains(wanted, regex=False)
        chosen = inputs[rows_in.to_numpy(dtype=bool)]
        actual, rule = _actual(target, chosen, figures, cluster[rows_in.to_numpy(dtype=bool)], target_clusters)
        verdict = _verdict(target, actual)
        scope = f"เฉพาะกิจกรรมที่ชื่อมีคำว่า “{target.activity}”: " if target.activity else ""
        note = ""
        if target.figure in shares and target.per_cluster is None:
            missing = summarise(chosen, figures, None)[target.figure + NO_DATA_SUFFIX].iloc[0]
            note = no_data_note(int(missing))
        rows.append([target.name, target.target, "" if pd.isna(actual) else round(float(actual), 2), verdict,
                     f"{scope}{rule} ต้องไม่น้อยกว่า {target.target:,g}", note])
    return rows


def _verdict(target: Target, actual: float) -> str:
    if pd.isna(actual):
        return NO_DATA
    return MET if (actual <= target.target if target.at_most else actual >= target.target) else NOT_MET


def span_days(frame: pd.DataFrame) -> float:
    """Seed 002's "ภายในระยะเวลา ๒๗๐ วัน": from the earliest start to the latest end (or start), both days counted."""
    starts = pd.to_datetime(frame["start_date"]).dropna()
    if starts.empty:
        return float("nan")
    ends = pd.to_datetime(frame["end_date"]).fillna(pd.to_datetime(frame["start_date"])).dropna()
    return float((max(ends.max(), starts.max()) - starts.min()).days + 1)


def no_data_note(count: int) -> str:
    """`ไม่มีข้อมูล 3 ราย`: recipients counted in a share's base without the data it needs."""
    return f"ไม่มีข้อมูล {count:,} ราย"


def _actual(target: Target, inputs: pd.DataFrame, figures: Sequence[Figure], cluster: pd.Series,
            target_clusters: Sequence[str]) -> tuple[float, str]:
    """The figure a target is judged on, and what it is in words."""
    if target.per_cluster is None:
        return summarise(inputs, figures, None)[target.figure].iloc[0], "ผลรวมทั้งโครงการ"
    by_cluster = summarise(inputs, figures, cluster, target_clusters)[target.figure]
    if target.per_cluster == "target_clusters":
        return (float((by_cluster.reindex(list(target_clusters)) > 0).sum()),
                f"จำนวนคลัสเตอร์เป้าหมายที่มีผลงาน (จาก {len(target_clusters)} คลัสเตอร์)")
    named = by_cluster.drop(NOT_GIVEN, errors="ignore")
    if not (named > 0).any():
        return float("nan"), "คลัสเตอร์ที่มีผลงานน้อยที่สุด (ยังไม่มีคลัสเตอร์ใดมีผลงาน)"
    smallest = named[named > 0].idxmin()
    return float(named[named > 0].min()), f"คลัสเตอร์ที่มีผลงานน้อยที่สุด ({smallest})"
