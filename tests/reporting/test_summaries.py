"""Shares over ALL unique recipients (SPEC.md Workflow B; seed 002 "ร้อยละ ๘๐ ของผู้รับบริการ"), worked out by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.reporting.summaries import NOT_GIVEN, Figure, _numbered, row_inputs, summarise
from tests.seed_quotes import seed_says

SATISFIED = Figure("satisfied_share", "share", "satisfaction_percent >= 80", "person")
EFFICIENT = Figure("efficient_share", "share", "efficiency_gain_percent >= 10", "enterprise")
APPLIED = Figure("applied_share", "share", "applied_results", "enterprise")
FIGURES = (SATISFIED, EFFICIENT, APPLIED)


def frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["national_id", "enterprise_id", "satisfaction_percent", "efficiency_gain_percent", "applied_results"]
    out = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)
    out[columns[2:4]] = out[columns[2:4]].astype(float)
    out["applied_results"] = out["applied_results"].astype("boolean")
    return out


def total(rows: list[dict], repeat: list[bool] | None = None) -> pd.Series:
    data = frame(rows)
    repeats = pd.Series(repeat or [False] * len(rows), index=data.index)
    inputs = row_inputs(data, FIGURES, repeats, pd.Series(False, index=data.index))
    return summarise(inputs, FIGURES, None).iloc[0]


def test_a_recipient_without_data_stays_in_the_base_and_is_shown_as_no_data():
    """Seed 002: "ความพึงพอใจ ร้อยละ ๘๐ ของผู้รับบริการมีความพึงพอใจไม่น้อยกว่า ร้อยละ ๘๐": a share of the recipients,
    not of those who answered. P1 90 %, P2 70 %, P3 no answer, and a row without an ID or an answer: 1 of 4."""
    seed_says("002", "ความพึงพอใจ ร้อยละ ๘๐ ของผู้รับบริการมีความพึงพอใจไม่น้อยกว่า ร้อยละ ๘๐")
    row = total([{"national_id": "P1", "satisfaction_percent": 90}, {"national_id": "P2", "satisfaction_percent": 70},
                 {"national_id": "P3"}, {}])
    assert (row["satisfied_share"], row["satisfied_share_no_data"]) == (25.0, 2)  # 50 % when the base left them out


def test_a_recipient_counts_once_and_meets_the_share_when_one_of_their_rows_does():
    row = total([{"national_id": "P1", "satisfaction_percent": 90}, {"national_id": "P1", "satisfaction_percent": 60},
                 {"national_id": "P2", "satisfaction_percent": 60}])
    assert (row["satisfied_share"], row["satisfied_share_no_data"]) == (50.0, 0)


def test_a_repeated_row_is_left_out_of_the_share():
    row = total([{"national_id": "P1", "satisfaction_percent": 60}, {"national_id": "P1", "satisfaction_percent": 90}],
                repeat=[False, True])
    assert row["satisfied_share"] == 0.0


@pytest.mark.parametrize("satisfaction, gain, applied, met", [
    (80, 10, True, True),        # exactly the lines count
    (79.99, 9.99, False, False),  # ไม่ใช่ is data, not met
])
def test_the_lines_are_at_least(satisfaction, gain, applied, met):
    """Seed 002: "ร้อยละ ๘๐ ของผู้รับบริการที่ได้รับการพัฒนามีประสิทธิภาพเพิ่มขึ้นเฉลี่ยไม่น้อยกว่าร้อยละ ๑๐": not less than 10."""
    seed_says("002", "ร้อยละ ๘๐ ของผู้รับบริการที่ได้รับการพัฒนามีประสิทธิภาพเพิ่มขึ้นเฉลี่ยไม่น้อยกว่าร้อยละ ๑๐")
    row = total([{"national_id": "P1", "enterprise_id": "T1", "satisfaction_percent": satisfaction,
                  "efficiency_gain_percent": gain, "applied_results": applied}])
    expected = 100.0 if met else 0.0
    assert [row["satisfied_share"], row["efficient_share"], row["applied_share"]] == [expected] * 3
    assert [row[f"{k}_no_data"] for k in ("satisfied_share", "efficient_share", "applied_share")] == [0, 0, 0]


def test_enterprise_shares_count_enterprises_and_a_blank_answer_is_no_data():
    row = total([{"national_id": "P1", "enterprise_id": "T1", "applied_results": True},
                 {"national_id": "P2", "enterprise_id": "T1"},
                 {"national_id": "P3", "enterprise_id": "T2"}])
    assert (row["applied_share"], row["applied_share_no_data"]) == (50.0, 1)


def test_a_group_without_recipients_has_no_share_and_none_without_data():
    data = frame([{"national_id": "P1", "satisfaction_percent": 90}])
    inputs = row_inputs(data, FIGURES, pd.Series(False, index=data.index), pd.Series(False, index=data.index))
    table = summarise(inputs, FIGURES, pd.Series(["A"], index=data.index), ["A", "B"])
    assert np.isnan(table.at["B", "satisfied_share"]) and table.at["B", "satisfied_share_no_data"] == 0
    assert table.at["A", "satisfied_share"] == 100.0


@pytest.mark.parametrize("seed", range(20))
def test_grouped_distinct_counts_are_pandas_nunique(seed):
    """The summary counts distinct IDs per group by one sort of (group, code) pairs; pandas' groupby nunique is the
    definition. Groups of one, empty groups after the NaNs, codes shared across groups and all-NaN columns occur."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(0, 60))
    groups = pd.Series(rng.choice(["ก", "ข", "ค", None], size=rows), dtype=object)
    ids = pd.Series(rng.choice([*(f"P{i}" for i in range(8)), None], size=rows), dtype=object)
    ids = ids if seed % 5 else pd.Series([None] * rows, dtype=object)
    inputs = pd.DataFrame({"people|id": _numbered(ids), "people|blank": 0})
    table = summarise(inputs, [Figure("people", "unique", "national_id")], groups)
    named = groups.where(groups.notna(), NOT_GIVEN)
    expected = ids.groupby(named.to_numpy()).nunique()
    assert table["people"].to_dict() == {g: int(expected.get(g, 0)) for g in table.index}
    assert set(table.index) == set(named)
