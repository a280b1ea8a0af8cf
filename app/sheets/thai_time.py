"""Dates as Thai officers read them: Buddhist Era, day first."""
from __future__ import annotations

from datetime import date, datetime

BE_OFFSET = 543


def format_be(moment: date | datetime) -> str:
    """`2026-11-21 16:05` → `21/11/2569 16:05`; a date → `21/11/2569`."""
    text = f"{moment.day:02d}/{moment.month:02d}/{moment.year + BE_OFFSET}"
    return f"{text} {moment.hour:02d}:{moment.minute:02d}" if isinstance(moment, datetime) else text
