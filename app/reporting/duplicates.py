"""ตรวจสอบการนับซ้ำ: the same person (national ID) or enterprise (tax ID) listed again for the same activity.

Rows are taken in consolidated order (units as listed in `หน่วยงาน`, then sheet rows): the first listing
counts, every later one is marked with the unit and row it repeats. [default] An enterprise without a tax
ID (e.g. a วิสาหกิจชุมชน) is known by its name.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.sheets.headers import normalize_header

SAME_PERSON = "บุคคลเดียวกัน กิจกรรมเดียวกัน (same person, same activity)"
SAME_ENTERPRISE = "กิจการเดียวกัน กิจกรรมเดียวกัน (same enterprise, same activity)"
ENTERPRISE_ID = "enterprise_id"  # derived frame column: tax ID, else "ชื่อ:" + the normalised enterprise name


@dataclass(frozen=True)
class Repeats:
    """Which rows repeat an earlier one, by person and by enterprise, and the note for each marked row."""

    person: pd.Series  # bool
    enterprise: pd.Series  # bool
    note: pd.Series  # "ซ้ำกับ กข. แถว 3: …" or ""


def enterprise_ids(tax_id: pd.Series, name: pd.Series) -> pd.Series:
    """Each row's enterprise: its tax ID, or its name (spacing and case ignored) where no tax ID is given."""
    return tax_id.astype(object).where(tax_id.notna(), _normalised(name, "ชื่อ:"))


def find_repeats(frame: pd.DataFrame, activity: str, person: str, enterprise: str, unit: str,
                 row: str) -> Repeats:
    """Mark repeats of (activity, person ID) and of (activity, enterprise ID); IDs already validated."""
    normal = _normalised(frame[activity])
    person_first = _first_of(normal, frame[person])
    enterprise_first = _first_of(normal, frame[enterprise])
    is_person = person_first.notna() & (person_first != np.arange(len(frame)))
    is_enterprise = enterprise_first.notna() & (enterprise_first != np.arange(len(frame)))
    source = person_first.where(is_person, enterprise_first.where(is_enterprise))
    marked = source.notna()
    positions = source[marked].astype(int).to_numpy()
    units = pd.Series(frame[unit].to_numpy(dtype=object)[positions], dtype=object).astype(str)
    rows = pd.Series(frame[row].to_numpy()[positions], dtype=object).astype(int).astype(str)
    why = pd.Series(np.where(is_person[marked], SAME_PERSON, SAME_ENTERPRISE), dtype=object)
    note = pd.Series("", index=frame.index, dtype=object)
    note[marked] = ("ซ้ำกับ " + units + " แถว " + rows + ": " + why).to_numpy(dtype=object)
    return Repeats(is_person, is_enterprise, note)


def _first_of(activity: pd.Series, key: pd.Series) -> pd.Series:
    """For rows with both an activity and an ID: the position of the first row with the same pair; else NaN."""
    known = activity.notna() & key.notna()
    positions = pd.Series(np.arange(len(key)), index=key.index)[known]
    first = positions.groupby([activity[known], key[known]], sort=False).transform("min")
    return first.reindex(key.index).astype(float)


def _normalised(values: pd.Series, prefix: str = "") -> pd.Series:
    """Text compared as people read it (normalize_header), each distinct value worked out once; None stays."""
    codes, uniques = pd.factorize(values)
    texts = np.array([prefix + normalize_header(u) for u in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype=object)
