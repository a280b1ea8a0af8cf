"""Enterprise size from sector, staff and yearly revenue, and the private co-funding check (seed 003).

Sizes are ordered smallest first; an enterprise above every limit of its sector is the last size (large).
When staff and revenue point to different sizes, revenue decides (กฎกระทรวง พ.ศ. 2562, หมายเหตุ 1).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SectorLimits:
    """Upper limits (inclusive) of staff and revenue for every size but the last, smallest first."""

    staff: tuple[float, ...]
    revenue: tuple[float, ...]


@dataclass(frozen=True)
class SizeTable:
    """Size labels smallest first and each sector's limits (sector = a choice value of `ภาคธุรกิจ`)."""

    labels: tuple[str, ...]
    sectors: dict[str, SectorLimits]


def classify(sector: pd.Series, staff: pd.Series, revenue: pd.Series, table: SizeTable) -> pd.Series:
    """The size label of every row; "" where the sector or both staff and revenue are missing."""
    labels = np.array(table.labels + ("",), dtype=object)
    index = np.full(len(sector), len(table.labels), dtype=int)  # "" unless classified below
    staff_values, revenue_values = staff.astype(float).to_numpy(), revenue.astype(float).to_numpy()
    for name, limits in table.sectors.items():
        rows = (sector == name).fillna(False).to_numpy(dtype=bool)
        by_staff = np.searchsorted(np.asarray(limits.staff, float), staff_values, side="left")
        by_revenue = np.searchsorted(np.asarray(limits.revenue, float), revenue_values, side="left")
        chosen = np.where(~np.isnan(revenue_values), by_revenue, np.where(~np.isnan(staff_values), by_staff, -1))
        index = np.where(rows & (chosen >= 0), chosen, index)
    return pd.Series(labels[index], index=sector.index)


@dataclass(frozen=True)
class CofundingRule:
    """Minimum private shares of the project fund, in %: cash, in kind, and cash plus kind together."""

    size: str  # a size of sizes, or an applicant type (startup, university)
    cash: float = 0
    in_kind: float = 0
    total: float = 0
    note: str = ""  # what else the seed says about it, printed with the check


@dataclass(frozen=True)
class CofundingCheck:
    """What one proposal needs and has, in baht; `shortfall` = the least extra private money that meets it."""

    required_cash: float
    required_in_kind: float
    required_total: float
    shortfall: float

    @property
    def met(self) -> bool:
        """True when nothing is missing."""
        return self.shortfall <= 0


def check_cofunding(rule: CofundingRule, budget: float, cash: float, in_kind: float) -> CofundingCheck:
    """Cash and in-kind each against their minimum, and both together against the total minimum."""
    need_cash, need_kind = budget * rule.cash / 100, budget * rule.in_kind / 100
    need_total = max(budget * rule.total / 100, need_cash + need_kind)
    separate = max(0.0, need_cash - cash) + max(0.0, need_kind - in_kind)
    together = max(0.0, need_total - cash - in_kind)
    return CofundingCheck(need_cash, need_kind, need_total, round(max(separate, together), 2))
