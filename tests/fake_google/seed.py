"""Put workbooks into the fake as Google would hold them (date cells as serial numbers)."""
from __future__ import annotations

import datetime as dt

EPOCH = dt.datetime(1899, 12, 30)


def as_sheet_values(tabs: dict[str, list[list]]) -> dict[str, list[list]]:
    """Dates and datetimes become serial day numbers, as UNFORMATTED_VALUE + SERIAL_NUMBER reads them."""
    def cell(value):
        if isinstance(value, dt.datetime):
            return (value - EPOCH).total_seconds() / 86400
        if isinstance(value, dt.date):
            return (value - EPOCH.date()).days
        return value
    return {title: [[cell(v) for v in row] for row in rows] for title, rows in tabs.items()}
