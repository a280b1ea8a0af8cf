"""When a workflow runs: its cron line (crontab weekdays: 0 and 7 = Sunday) or its interval, as a trigger."""
from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

CRONTAB_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def crontab_weekdays(field: str) -> str:
    """Crontab day-of-week numbers as names: APScheduler counts 0 = Monday, crontab 0 = Sunday."""
    names: list[str] = []
    for part in field.split(","):
        span, _, step = part.partition("/")
        first, _, last = span.partition("-")
        if not first.isdigit() or not (last or first).isdigit():
            names.append(part)  # "*", "*/2", names: the same in both conventions
            continue
        days = range(int(first), int(last or first) + 1, int(step or 1))
        if not days or days[-1] > 7:
            raise ValueError(f"day of week {part!r} is not within 0–7")
        names += [CRONTAB_WEEKDAYS[d] for d in days]
    return ",".join(dict.fromkeys(names))


def cron_trigger(line: str, zone: str) -> CronTrigger:
    """A five-field crontab line (minute hour day month weekday) read as crontab reads it."""
    fields = line.split()
    if len(fields) != 5:
        raise ValueError(f"cron {line!r} needs 5 fields: minute hour day month weekday")
    minute, hour, day, month, weekday = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=crontab_weekdays(weekday),
                       timezone=zone)


def workflow_trigger(cron: str | None, interval_minutes: int | None, zone: str,
                     start: datetime | None = None) -> BaseTrigger | None:
    """The workflow's trigger, or None when it only runs by hand."""
    if cron:
        return cron_trigger(cron, zone)
    if interval_minutes:
        return IntervalTrigger(minutes=interval_minutes, start_date=start, timezone=zone)
    return None
