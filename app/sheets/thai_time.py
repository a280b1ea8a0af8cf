"""Dates as Thai officers read them: Buddhist Era, day first."""
from __future__ import annotations

from datetime import date, datetime

BE_OFFSET = 543
SERIAL_EPOCH = datetime(1899, 12, 30)  # day 0 of Google Sheets and Excel serial numbers


def format_be(moment: date | datetime) -> str:
    """`2026-11-21 16:05` → `21/11/2569 16:05`; a date → `21/11/2569`."""
    text = f"{moment.day:02d}/{moment.month:02d}/{moment.year + BE_OFFSET}"
    return f"{text} {moment.hour:02d}:{moment.minute:02d}" if isinstance(moment, datetime) else text


def serial(moment: date | datetime) -> float:
    """A date cell's value: days since 1899-12-30 (the time of day as a fraction, to the minute). The tab's
    date format shows it as `21/11/2569 16:05`, and it sorts and filters as a date."""
    if not isinstance(moment, datetime):
        return float((moment - SERIAL_EPOCH.date()).days)
    minutes = round((moment.replace(tzinfo=None) - SERIAL_EPOCH).total_seconds() / 60)
    return minutes / 1440
