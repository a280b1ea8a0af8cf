"""APScheduler in its own process; the run-state lock keeps a scheduled run and a manual one apart.

Runs execute in the scheduler's own (main) thread, one after another, so SIGTERM or SIGINT reaches a run in
progress: it ends on the record as `interrupted` and the scheduler stops."""
from __future__ import annotations

import logging
from typing import Callable

from apscheduler.schedulers.blocking import BlockingScheduler

from app.errors import BusyError, Interrupted
from app.sync.schedules import workflow_trigger
from app.wiring import Services

log = logging.getLogger(__name__)


def run_scheduled(services: Services, name: str, on_interrupt: Callable[[Interrupted], None] | None = None) -> None:
    """One scheduled run; a busy lock or a failed run is logged, never fatal to the scheduler. An interrupted run
    (already recorded) is handed to `on_interrupt`, which stops the scheduler; without one it is raised."""
    try:
        outcome = services.run(name, trigger="schedule")
        log.info("scheduled %s: run %s %s", name, outcome.run_id, outcome.status)
    except BusyError as exc:
        log.info("scheduled %s skipped: %s", name, exc)
    except Interrupted as exc:
        if on_interrupt is None:
            raise
        on_interrupt(exc)
    except Exception as exc:  # noqa: BLE001 - already recorded as a failed run
        log.warning("scheduled %s failed: %s", name, exc)


class Scheduler(BlockingScheduler):
    """The scheduler of `python -m jobs`; `stopped_by` says which signal ended a run in progress, if one did."""

    stopped_by: Interrupted | None = None

    def stop_after_run(self, interrupt: Interrupted) -> None:
        """Called from a run that SIGTERM/SIGINT ended: no other due job starts, and start() returns."""
        self.stopped_by = interrupt
        self.shutdown(wait=False)


def build_scheduler(services: Services) -> Scheduler:
    """One job per configured workflow with an interval or a cron line (Asia/Bangkok), run in this thread."""
    scheduler = Scheduler(timezone=services.settings.timezone, executors={"default": {"type": "debug"}})

    def scheduled(name: str) -> None:
        if scheduler.stopped_by is None:
            run_scheduled(services, name, scheduler.stop_after_run)

    for name, config in services.settings.jobs.items():
        trigger = workflow_trigger(config.cron, config.interval_minutes, services.settings.timezone)
        if trigger is None:
            continue
        scheduler.add_job(scheduled, trigger, args=(name,), id=name, max_instances=1, coalesce=True,
                          misfire_grace_time=None)  # runs take turns: one that waited still runs, once
    return scheduler
