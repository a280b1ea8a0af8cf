"""Problems found column-wise in the consolidated frame, before they become RowProblems with the officer's headers."""
from __future__ import annotations

import numpy as np
import pandas as pd

FINDING_COLUMNS = ("position", "column", "problem")


def flag(mask: pd.Series, column: str, problem: str | pd.Series) -> pd.DataFrame:
    """One finding per row where `mask` holds: the frame position, the column key to look at, the problem text."""
    hit = np.asarray(mask.fillna(False), dtype=bool) if isinstance(mask, pd.Series) else np.asarray(mask, bool)
    texts = problem.to_numpy(dtype=object)[hit] if isinstance(problem, pd.Series) else problem
    return pd.DataFrame({"position": np.flatnonzero(hit), "column": column, "problem": texts},
                        columns=list(FINDING_COLUMNS))


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All findings in one frame (an empty one when there are none)."""
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(FINDING_COLUMNS))


def display(values: pd.Series) -> pd.Series:
    """Typed values as an officer reads them back: `1,250.5`, `15/02/2569`, text as it is, "" when missing."""
    out = pd.Series("", index=values.index, dtype=object)
    present = values.notna()
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values[present]
        out[present] = (stamps.dt.strftime("%d/%m/") + (stamps.dt.year + 543).astype(str)).to_numpy(dtype=object)
    elif pd.api.types.is_bool_dtype(values):
        out[present] = np.where(values[present].astype(bool), "ใช่", "ไม่ใช่")
    elif pd.api.types.is_numeric_dtype(values):
        out[present] = [f"{v:,.2f}".rstrip("0").rstrip(".") for v in values[present].astype(float)]
    else:
        out[present] = values[present].astype(str).to_numpy(dtype=object)
    return out
