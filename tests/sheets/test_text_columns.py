"""plain_number writes each distinct figure once; it must give what pandas' per-row astype(str) gave."""
import numpy as np
import pandas as pd

from app.sheets.text_columns import plain_number


def plain_number_row_by_row(values: pd.Series, decimals: int = 2) -> pd.Series:
    rounded = values.astype(float).round(decimals)
    text = rounded.astype(str).str.replace(r"\.0$", "", regex=True)
    return text.where(rounded.notna(), "").astype(object)


def test_plain_number_matches_the_row_by_row_text():
    rng = np.random.default_rng(12)
    cases = [pd.Series([85.0, 72.456, None, np.nan, 0.1 + 0.2, -0.0, -0.3, 1e17, 1e-5, 12345678.125, -3.005, np.inf,
                        -np.inf, 5, 7.0]),
             pd.Series(rng.normal(0, 1e4, 2000)), pd.Series(rng.integers(0, 100, 2000)),
             pd.Series(rng.integers(0, 100, 50), dtype="Int64").where(lambda s: s > 20),
             pd.Series([], dtype=float), pd.Series([None, None], dtype=object), pd.Series([1.5, 2.25], index=[7, 3])]
    for values in cases:
        for decimals in (0, 1, 2):
            got, expected = plain_number(values, decimals), plain_number_row_by_row(values, decimals)
            assert got.tolist() == expected.tolist() and got.index.equals(expected.index) and got.dtype == object
