"""Run-now for the page and the API: queue a request in the state store for the scheduler process
(`python -m jobs`), then wait a bounded time for it to start or to finish."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.wiring import SCHEDULER_HEARTBEAT

POLL_SECONDS = 0.1


@dataclass(frozen=True)
class SchedulerState:
    """Whether a scheduler is alive on this store: its last heartbeat and the next run it reported per job."""

    alive: bool
    last_beat: datetime | None
    worker: str | None
    next_runs: dict[str, datetime]


def request_run(services, name: str, trigger: str, requested_by: str, wait_seconds: float = 0.0,
                until: str = "started"):
    """Queue a run of `name` and wait up to `wait_seconds` until its run is recorded (`until="started"`) or the
    request has ended (`until="finished"`); returns the request as it stands then."""
    store = services.store
    request = store.request_run(name, trigger, requested_by)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if not request.pending or (until == "started" and request.run_id is not None):
            break
        time.sleep(POLL_SECONDS)
        request = store.run_request(request.id)
    return request


def scheduler_state(services) -> SchedulerState:
    """The scheduler's heartbeat read against `web.scheduler_stale_minutes`."""
    beat = services.store.heartbeat(SCHEDULER_HEARTBEAT)
    if beat is None:
        return SchedulerState(False, None, None, {})
    stale_after = timedelta(minutes=services.settings.web.scheduler_stale_minutes or 2)
    alive = services.store.clock() - beat.at <= stale_after
    next_runs = {job: datetime.fromisoformat(at) for job, at in beat.info.get("next_runs", {}).items()}
    return SchedulerState(alive, beat.at, f"pid {beat.pid} on {beat.host}", next_runs)
