"""Whole columns of officer-facing text (reasons, figures, Buddhist-Era dates), built without per-row loops."""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np
import pandas as pd

from app.sheets.thai_time import BE_OFFSET, SERIAL_EPOCH

_without_point_zero = re.compile(r"\.0$")
Part = tuple[pd.Series | np.ndarray, pd.Series | str]  # (where it applies, its text)


def join_where(parts: Sequence[Part], index: pd.Index, separator: str = "; ") -> pd.Series:
    """Per row, the texts of the parts that apply, in order, joined by the separator ("" when none)."""
    out = pd.Series("", index=index, dtype=object)
    for applies, text in parts:
        applies = np.asarray(applies, dtype=bool)
        text = text if isinstance(text, str) else text.astype(str).to_numpy()
        joined = np.where(out.to_numpy() == "", text, out.to_numpy() + separator + text)
        out = pd.Series(np.where(applies, joined, out.to_numpy()), index=index, dtype=object)
    return out


def plain_number(values: pd.Series, decimals: int = 2) -> pd.Series:
    """`85.0` → "85", `72.456` → "72.46"; missing → ""."""
    rounded = values.astype(float).round(decimals).to_numpy()
    # figures repeat (weights, counts): each distinct one is written once, told apart by its bits (-0.0 is "-0")
    bits, at = np.unique(rounded.view(np.int64), return_inverse=True)
    texts = np.array([_without_point_zero.sub("", str(v)) for v in bits.view(float).tolist()] + [""], dtype=object)
    return pd.Series(texts[np.where(np.isnan(rounded), len(bits), at)], index=values.index, dtype=object)


def be_date(moments: pd.Series) -> pd.Series:
    """Dates as `dd/mm/<พ.ศ.>`; missing → ""."""
    moments = pd.to_datetime(moments)
    text = moments.dt.strftime("%d/%m/") + (moments.dt.year + BE_OFFSET).astype("Int64").astype(str)
    return text.where(moments.notna(), "").astype(object)


def be_datetime(moments: pd.Series) -> pd.Series:
    """Moments as `dd/mm/<พ.ศ.> HH:MM` (as `thai_time.format_be` writes one); missing → ""."""
    moments = pd.to_datetime(moments)
    text = be_date(moments) + moments.dt.strftime(" %H:%M")
    return text.where(moments.notna(), "").astype(object)


def serial_days(moments: pd.Series, with_time: bool = True) -> pd.Series:
    """Moments as date-cell values (days since 1899-12-30, to the minute; whole days without the time);
    missing → ""."""
    moments = pd.to_datetime(moments)
    if getattr(moments.dt, "tz", None) is not None:
        moments = moments.dt.tz_localize(None)
    days = (moments - SERIAL_EPOCH) / pd.Timedelta(minutes=1)
    days = (days.round() / 1440) if with_time else (days // 1440).astype(float)
    return days.astype(object).where(moments.notna(), "")
