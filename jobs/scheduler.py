"""APScheduler in its own process; the run-state lock keeps a scheduled run and a manual one apart."""
from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from app.errors import BusyError
from app.sync.schedules import workflow_trigger
from app.wiring import Services

log = logging.getLogger(__name__)


def run_scheduled(services: Services, name: str) -> None:
    """One scheduled run; a busy lock or a failed run is logged, never fatal to the scheduler."""
    try:
        outcome = services.run(name, trigger="schedule")
        log.info("scheduled %s: run %s %s", name, outcome.run_id, outcome.status)
    except BusyError as exc:
        log.info("scheduled %s skipped: %s", name, exc)
    except Exception as exc:  # noqa: BLE001 - already recorded as a failed run
        log.warning("scheduled %s failed: %s", name, exc)


def build_scheduler(services: Services) -> BlockingScheduler:
    """One job per configured workflow with an interval or a cron line (Asia/Bangkok)."""
    scheduler = BlockingScheduler(timezone=services.settings.timezone)
    for name, config in services.settings.jobs.items():
        trigger = workflow_trigger(config.cron, config.interval_minutes, services.settings.timezone)
        if trigger is None:
            continue
        scheduler.add_job(run_scheduled, trigger, args=(services, name), id=name, max_instances=1,
                          coalesce=True, misfire_grace_time=300)
    return scheduler
