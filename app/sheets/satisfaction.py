"""Satisfaction scores: individual % = sum of item scores / (5 × items) × 100 (spec, Workflows A and B)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MAX_SCORE = 5


def individual_percent(scores: pd.DataFrame) -> pd.Series:
    """Per respondent: sum / (5 × number of items) × 100; NaN where any item is missing or unreadable."""
    if scores.shape[1] == 0:
        return pd.Series(float("nan"), index=scores.index)
    numeric = scores.apply(pd.to_numeric, errors="coerce").astype(float)
    percent = numeric.sum(axis=1, min_count=1) / (MAX_SCORE * numeric.shape[1]) * 100
    return percent.where(numeric.notna().all(axis=1))


def unanswered(scores: pd.DataFrame, *, blank_rows: bool) -> list[tuple[object, str]]:
    """(row index, item column) of each blank item in a row that is therefore not counted; a wholly blank row
    is listed only when `blank_rows` (a form response with nothing in it; in a unit tab it is "no data")."""
    missing = scores.isna()
    partly = missing.any(axis=1) if blank_rows else missing.any(axis=1) & ~missing.all(axis=1)
    return [(index, item) for index in missing.index[partly] for item in scores.columns if missing.at[index, item]]


@dataclass(frozen=True)
class SatisfactionSummary:
    """Mean and share of satisfied respondents against the work standard."""

    respondents: int
    mean_percent: float | None
    satisfied_share: float | None  # % of respondents at or above `satisfied_at`
    standard: float
    satisfied_at: float

    @property
    def meets_standard(self) -> bool | None:
        """Mean at or above the standard; None when nobody answered."""
        return None if self.mean_percent is None else self.mean_percent >= self.standard


def summarise(percent: pd.Series, standard: float = 85.0, satisfied_at: float = 80.0) -> SatisfactionSummary:
    """Summarise the individual percentages that could be computed (NaN ones are left out)."""
    valid = percent.dropna()
    if valid.empty:
        return SatisfactionSummary(0, None, None, standard, satisfied_at)
    return SatisfactionSummary(int(valid.size), float(valid.mean()),
                               float((valid >= satisfied_at).mean() * 100), standard, satisfied_at)
