"""Satisfaction formula: sum / (5 × items) × 100, mean, share ≥ 80, against the 85 standard."""
import math

import pandas as pd
import pytest

from app.sheets.satisfaction import individual_percent, summarise, unanswered


@pytest.mark.parametrize("scores, expected", [
    ([5, 5, 5, 5, 5, 5, 5, 5, 5], 100.0),        # 45 / 45
    ([4, 4, 4, 4, 4, 4, 4, 4, 4], 80.0),         # 36 / 45, exactly the satisfied line
    ([1, 1, 1, 1, 1, 1, 1, 1, 1], 20.0),
    ([5, 4, 3, 5, 4, 3, 5, 4, 3], 80.0),         # 36 / 45
    ([5, 5, 4, 4], 90.0),                        # 18 / 20: a 4-item form
])
def test_individual_percent(scores, expected):
    frame = pd.DataFrame([scores])
    assert individual_percent(frame).iloc[0] == pytest.approx(expected)


def test_missing_item_leaves_respondent_out():
    frame = pd.DataFrame([[5, 5, None], [4, 4, 4]])
    result = individual_percent(frame)
    assert math.isnan(result.iloc[0])
    assert result.iloc[1] == pytest.approx(80.0)


def test_summary_boundaries():
    summary = summarise(pd.Series([80.0, 90.0, 85.0, float("nan")]), standard=85.0)
    assert summary.respondents == 3
    assert summary.mean_percent == pytest.approx(85.0)
    assert summary.meets_standard is True          # 85 is the standard itself: met
    assert summary.satisfied_share == pytest.approx(100.0)  # 80 counts as satisfied


def test_summary_below_standard_and_empty():
    assert summarise(pd.Series([84.99])).meets_standard is False
    empty = summarise(pd.Series([], dtype=float))
    assert empty.respondents == 0 and empty.mean_percent is None and empty.meets_standard is None


def test_unanswered_items_of_a_partly_filled_row():
    scores = pd.DataFrame({"i1": [5, None, None], "i2": [None, None, 4]}, index=[10, 11, 12])
    assert unanswered(scores, blank_rows=False) == [(10, "i2"), (12, "i1")]
    assert unanswered(scores, blank_rows=True) == [(10, "i2"), (11, "i1"), (11, "i2"), (12, "i1")]
