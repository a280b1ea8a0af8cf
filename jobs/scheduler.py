"""APScheduler in its own process: every scheduled run and every run-now request from the web page and the API
runs here; the run-state lock keeps any two runs of one workbook apart.

Runs execute in the scheduler's own (main) thread, one after another, so SIGTERM or SIGINT reaches a run in
progress: it ends on the record as `interrupted` and the scheduler stops. Only the heartbeat has a thread of its
own, so a long run never makes the scheduler look dead: it tells `/readyz` and the overview page every 30 s that
the scheduler is alive and when it runs each job next."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from threading import TIMEOUT_MAX
from typing import Callable

from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger

from app.errors import BusyError, Interrupted
from app.interrupts import run_in_progress
from app.sync.schedules import workflow_trigger
from app.wiring import SCHEDULED, SCHEDULER_HEARTBEAT, SCHEDULER_USER, Services
from jobs.queue import consume_run_requests

log = logging.getLogger(__name__)
POLL_SECONDS = 2  # a run-now request waits at most this long when no run is in progress
HEARTBEAT_SECONDS = 30
INTERNAL_JOBS = ("_run-requests", "_heartbeat")  # not job names: those start with a letter or digit


def run_scheduled(services: Services, name: str, on_interrupt: Callable[[Interrupted], None] | None = None) -> None:
    """One scheduled run; a busy lock or a failed run is logged, never fatal to the scheduler. An interrupted run
    (already recorded) is handed to `on_interrupt`, which stops the scheduler; without one it is raised."""
    try:
        outcome = services.run(name, trigger=SCHEDULED, started_by=SCHEDULER_USER)
        log.info("scheduled %s: run %s %s", name, outcome.run_id, outcome.status)
    except BusyError as exc:
        log.info("scheduled %s skipped: %s", name, exc)
    except Interrupted as exc:
        if on_interrupt is None:
            raise
        on_interrupt(exc)
    except Exception as exc:  # noqa: BLE001 - already recorded as a failed run
        log.warning("scheduled %s failed: %s", name, exc)


def take_run_requests(services: Services, on_interrupt: Callable[[Interrupted], None] | None = None) -> None:
    """Poll the run-now queue; a failure to read it is logged and tried again at the next poll."""
    try:
        consume_run_requests(services)
    except Interrupted as exc:
        if on_interrupt is None:
            raise
        on_interrupt(exc)
    except Exception as exc:  # noqa: BLE001 - the store may be briefly unreachable; the next poll tries again
        log.warning("run-now queue not read: %s", exc)


def beat(services: Services, triggers: dict[str, BaseTrigger]) -> None:
    """Tell the state store the scheduler is alive, with the next run of each scheduled job (asked of the
    triggers: the scheduler's own job list is locked while a run is being started)."""
    now = datetime.now(timezone.utc)
    next_runs = {name: at.isoformat() for name, trigger in triggers.items()
                 if (at := trigger.get_next_fire_time(None, now)) is not None}
    try:
        services.store.beat(SCHEDULER_HEARTBEAT, {"next_runs": next_runs})
    except Exception as exc:  # noqa: BLE001 - a store that is briefly locked must not stop the scheduler
        log.warning("heartbeat not written: %s", exc)


class Scheduler(BlockingScheduler):
    """The scheduler of `python -m jobs`; `stopped_by` says which signal ended a run in progress, if one did."""

    stopped_by: Interrupted | None = None

    def stop_after_run(self, interrupt: Interrupted) -> None:
        """Called when SIGTERM/SIGINT ended a run, or came between runs (then from the signal handler): no other due
        job starts and start() returns within a second. It only records the stop: the handler may interrupt the
        scheduler while it holds its own locks, so the shutdown itself happens in the main loop."""
        self.stopped_by = interrupt

    def _main_loop(self) -> None:
        """BlockingScheduler's loop (APScheduler 3.x), woken at least every second to see a recorded stop."""
        wait_seconds = TIMEOUT_MAX
        while self.state != STATE_STOPPED and self.stopped_by is None:
            self._event.wait(min(wait_seconds, 1.0))
            self._event.clear()
            if self.stopped_by is None:
                wait_seconds = self._process_jobs()
        if self.state != STATE_STOPPED:
            self.shutdown(wait=False)


def build_scheduler(services: Services) -> Scheduler:
    """One job per configured workflow with an interval or a cron line (Asia/Bangkok; a job with a form and
    neither runs every minute), the run-now queue's poll (both run in this thread) and the heartbeat (in its own).
    The change marks kept before are forgotten: a scheduler starts with this configuration and this code, which
    may compute other tabs than the ones its last run left, so each job's first scheduled run reads and computes."""
    services.store.forget_change_marks()
    scheduler = Scheduler(timezone=services.settings.timezone, executors={
        "default": DebugExecutor(),  # runs: in the scheduler's thread, one after another
        "heartbeat": ThreadPoolExecutor(max_workers=1)})

    def scheduled(name: str) -> None:
        if scheduler.stopped_by is None:
            with run_in_progress():
                run_scheduled(services, name, scheduler.stop_after_run)

    def requested() -> None:
        if scheduler.stopped_by is None:
            with run_in_progress():
                take_run_requests(services, scheduler.stop_after_run)

    triggers = {}
    for name, config in services.settings.jobs.items():
        trigger = workflow_trigger(config.cron, config.schedule_minutes, services.settings.timezone)
        if trigger is None:
            continue
        triggers[name] = trigger
        scheduler.add_job(scheduled, trigger, args=(name,), id=name, max_instances=1, coalesce=True,
                          misfire_grace_time=None)  # runs take turns: one that waited still runs, once
    now = datetime.now(scheduler.timezone)
    scheduler.add_job(requested, "interval", seconds=POLL_SECONDS, id=INTERNAL_JOBS[0], max_instances=1,
                      coalesce=True, misfire_grace_time=None, next_run_time=now)
    scheduler.add_job(beat, "interval", seconds=HEARTBEAT_SECONDS, args=(services, triggers), id=INTERNAL_JOBS[1],
                      executor="heartbeat", max_instances=1, coalesce=True, next_run_time=now)
    return scheduler


def scheduled_jobs(scheduler: BaseScheduler) -> list[str]:
    """The configured jobs this scheduler runs on a schedule."""
    return [job.id for job in scheduler.get_jobs() if job.id not in INTERNAL_JOBS]
