"""A whole column of Thai national/tax IDs checked at once; python-stdnum stays the reference for each rule."""
from __future__ import annotations

import numpy as np
import pandas as pd

# stdnum.th.pin / th.moa check digit: s = Σ (2 − i)·dᵢ mod 11 over the first 12 digits; check = (1 − s) mod 10.
_WEIGHTS = 2 - np.arange(12)


def plain_valid_ids(values: pd.Series, kind: str) -> np.ndarray:
    """True where a cell is already a plain 13-digit text that stdnum's th.pin (national_id) or th.tin
    (tax_id: a PIN or a MOA number) accepts; every other cell is left to the per-cell reader and its message."""
    is_text = values.map(type).to_numpy() == str
    ok = np.zeros(len(values), dtype=bool)
    plain = is_text.copy()
    plain[is_text] = values[is_text].str.fullmatch(r"[0-9]{13}").to_numpy(dtype=bool)
    if not plain.any():
        return ok
    digits = (np.frombuffer("".join(values[plain]).encode("ascii"), dtype=np.uint8).reshape(-1, 13) - 48)
    check = (1 - (digits[:, :12].astype(int) @ _WEIGHTS) % 11) % 10
    first = digits[:, 0]
    allowed = (first != 9) & (first != 0) if kind == "national_id" else first != 9
    ok[plain] = (check == digits[:, 12]) & allowed
    return ok
