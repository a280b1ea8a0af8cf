"""Summary figures per unit, cluster, province and in total, declared in sheets_schema/indicators.yaml.

Repeats are counted once: person figures leave out rows repeating a person for the same activity;
enterprise figures also leave out rows repeating an enterprise (SPEC.md, ตรวจสอบการนับซ้ำ).
A share is over ALL unique recipients (seed 002: "ร้อยละ ๘๐ ของผู้รับบริการ"): a recipient without the data counts
as not meeting it, and how many had no data is its own figure, `<key>_no_data`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from app.reporting.expressions import evaluate, names
from app.sheets.headers import header_key, normalize_header
from app.sheets.layout import Choice
from app.sheets.suggest import closest

NOT_GIVEN = "ไม่ระบุ (not given)"
TOTAL = "รวม (total)"
NO_DATA_SUFFIX = "_no_data"
RECIPIENT = {"person": "national_id", "enterprise": "enterprise_id"}  # who a share counts, by its level


@dataclass(frozen=True)
class Figure:
    """One summary column: `unique` IDs, `share` (%) of the recipients for whom an expression holds, `count` of the
    rows where it holds, `sum` or `mean` of a column."""

    key: str
    kind: str  # unique | share | count | sum | mean
    of: str  # the ID or summed column key, or the share's expression
    level: str = "person"  # person | enterprise
    blank_counts_each: bool = False  # unique: a counted row without an ID is one more


def row_inputs(frame: pd.DataFrame, figures: Sequence[Figure], person_repeat: pd.Series,
               enterprise_repeat: pd.Series) -> pd.DataFrame:
    """Per row, what each figure adds up (computed once, then grouped by any dimension)."""
    counted = {"person": ~person_repeat, "enterprise": ~(person_repeat | enterprise_repeat)}
    out = {}
    for figure in figures:
        keep = counted[figure.level]
        if figure.kind == "unique":
            ids = frame[figure.of].where(keep)
            out[f"{figure.key}|id"] = _numbered(ids)
            out[f"{figure.key}|blank"] = (keep & frame[figure.of].isna() & figure.blank_counts_each).astype(int)
        elif figure.kind == "share":
            recipients = _numbered(_recipients(frame[RECIPIENT[figure.level]]))
            complete = keep & frame[sorted(names(figure.of))].notna().all(axis=1)
            holds = evaluate(figure.of, frame).fillna(0).astype(bool)
            out[f"{figure.key}|id"] = recipients.where(keep)
            out[f"{figure.key}|data"] = recipients.where(complete)
            out[f"{figure.key}|yes"] = recipients.where(complete & holds)
        elif figure.kind == "count":
            complete = keep & frame[sorted(names(figure.of))].notna().all(axis=1)
            holds = evaluate(figure.of, frame).fillna(0).astype(bool)
            out[f"{figure.key}|yes"] = (complete & holds).astype(int)
            out[f"{figure.key}|all"] = complete.astype(int)
        else:
            out[f"{figure.key}|sum"] = frame[figure.of].astype(float).where(keep)
    return pd.DataFrame(out, index=frame.index)


def summarise(inputs: pd.DataFrame, figures: Sequence[Figure], by: pd.Series | None,
              order: Sequence[str] = ()) -> pd.DataFrame:
    """One row per group (listed `order` first, then the others sorted, NOT_GIVEN last), or one TOTAL row."""
    if by is None:
        by, order = pd.Series(TOTAL, index=inputs.index), [TOTAL]
    labels, group_names = pd.factorize(by.astype(object).where(by.notna(), NOT_GIVEN).to_numpy(), sort=False)
    grouped = inputs.groupby(labels)  # group i is group_names[i]: sums and means come in that order

    def distinct(column: str) -> np.ndarray:
        return _distinct_counts(inputs[column].to_numpy(), labels, len(group_names))

    table = pd.DataFrame(index=pd.Index(group_names, dtype=object))
    for figure in figures:
        key = figure.key
        if figure.kind == "unique":
            table[key] = distinct(f"{key}|id") + grouped[f"{key}|blank"].sum().to_numpy()
        elif figure.kind == "share":
            every, with_data = distinct(f"{key}|id"), distinct(f"{key}|data")
            table[key] = distinct(f"{key}|yes") / np.where(every > 0, every, np.nan) * 100
            table[key + NO_DATA_SUFFIX] = every - with_data
        elif figure.kind == "count":  # empty where no row of the group reports it (not ticked is reported: 0)
            yes, every = grouped[f"{key}|yes"].sum().to_numpy(), grouped[f"{key}|all"].sum().to_numpy()
            table[key] = np.where(every > 0, yes, np.nan)
        elif figure.kind == "mean":
            table[key] = grouped[f"{key}|sum"].mean().to_numpy()
        else:
            table[key] = grouped[f"{key}|sum"].sum(min_count=1).to_numpy()
    found = [g for g in table.index if g not in order and g != NOT_GIVEN]
    wanted = list(order) + sorted(found) + ([NOT_GIVEN] if NOT_GIVEN in table.index else [])
    counts = {f.key: 0 for f in figures if f.kind == "unique"} | \
        {f.key + NO_DATA_SUFFIX: 0 for f in figures if f.kind == "share"}
    return table.reindex(wanted).astype(float).fillna(counts).astype({key: int for key in counts})


def _distinct_counts(codes: np.ndarray, labels: np.ndarray, groups: int) -> np.ndarray:
    """Per group label (0 … groups - 1), how many distinct codes (whole numbers from _numbered; NaN not counted):
    one sort of (label, code) pairs, several times faster than pandas' groupby nunique."""
    present = ~np.isnan(codes)
    width = int(codes[present].max()) + 1 if present.any() else 1
    pairs = np.sort(labels[present].astype(np.int64) * width + codes[present].astype(np.int64))
    first = np.ones(len(pairs), dtype=bool)  # of each run of equal pairs (np.unique hashes: slower here)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] // width, minlength=groups)


def _numbered(ids: pd.Series) -> pd.Series:
    """Each ID as a number, the same number wherever the ID is the same (NaN where missing): a group's distinct
    count is unchanged, and numbers are counted several times faster than texts, in every summary table."""
    codes = pd.factorize(ids)[0].astype(float)
    codes[codes < 0] = np.nan
    return pd.Series(codes, index=ids.index)


def _recipients(ids: pd.Series) -> pd.Series:
    """Each row's recipient; a row without an ID is a recipient of its own (nobody is left out of the base)."""
    return ids.astype(object).where(ids.notna(), pd.Series([f"_row:{i}" for i in range(len(ids))], index=ids.index))


def share_by_enterprise(holds: pd.Series, group: pd.Series, enterprise: pd.Series, counted: pd.Series) -> pd.Series:
    """Per group: % of its distinct enterprises with at least one counted row where `holds` (NaN: none)."""
    keep = counted & group.notna() & enterprise.notna()
    per = holds[keep].fillna(False).astype(bool).groupby([group[keep], enterprise[keep]]).any()
    return per.groupby(level=0).mean().mul(100) if len(per) else pd.Series(dtype=float)


def canonical_names(values: pd.Series, choices: Sequence[Choice], prefix: str = "") -> pd.Series:
    """Free text as the listed name it means (any spelling, spaces, case, a leading `prefix`), else tidied."""
    lookup = {normalize_header(n): c.value for c in choices for n in (c.value, *c.aliases)}
    lead = normalize_header(prefix)
    codes, uniques = pd.factorize(values)
    names_of = [lookup.get(normalize_header(u).removeprefix(lead).strip(), " ".join(str(u).split())) for u in uniques]
    return pd.Series(pd.array(names_of + [None], dtype=object)[codes], index=values.index, dtype=object)


NOT_LISTED_CLUSTER = ("ไม่ใช่ชื่อคลัสเตอร์ในรายชื่อ นับเป็นคลัสเตอร์แยก", "not a listed cluster: counted as a cluster of its own")


def near_names(values: pd.Series, choices: Sequence[Choice], prefix: str = "") -> pd.Series:
    """For text that is no listed name (nor an alias) but is close to one, a mistyping ("ผ้าไท"), the listed name
    it most likely means (rapidfuzz); None elsewhere — a blank, a listed name, or a name of its own."""
    lookup = {normalize_header(n): c.value for c in choices for n in (c.value, *c.aliases)}
    lead = normalize_header(prefix)

    def meant(text: object) -> str | None:
        key = normalize_header(text).removeprefix(lead).strip()
        if not key or key in lookup:
            return None
        near = closest(key, lookup)
        return lookup[near] if near else None

    codes, uniques = pd.factorize(values)
    names_of = [meant(u) for u in uniques]
    return pd.Series(pd.array(names_of + [None], dtype=object)[codes], index=values.index, dtype=object)


def listed_names(values: pd.Series, choices: Sequence[Choice], prefix: str = "") -> pd.Series:
    """Free text as the listed name it names — the whole text or a listed name inside it ("กลุ่มคลัสเตอร์ผ้าไทย
    เชียงใหม่" → ผ้าไทย) — else missing: a group or network's name tells the cluster only when it names one."""
    lookup = {header_key(n): c.value for c in choices for n in (c.value, *c.aliases)}
    lead = header_key(prefix)

    def named(text: object) -> str | None:
        key = header_key(text).removeprefix(lead)
        if key in lookup:
            return lookup[key]
        inside = [(len(name), value) for name, value in lookup.items() if len(name) >= 3 and name in key]
        return max(inside)[1] if inside else None

    codes, uniques = pd.factorize(values)
    names_of = [named(u) for u in uniques]
    return pd.Series(pd.array(names_of + [None], dtype=object)[codes], index=values.index, dtype=object)
