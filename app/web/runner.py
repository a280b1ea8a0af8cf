"""Start a workflow run in a background thread, for the run-now button and the API."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class Started:
    """What became of a started run within the wait: its id once recorded, or why it did not start."""

    run_id: int | None = None
    error: Exception | None = None


def start_run(services, name: str, trigger: str, wait_seconds: float = 0.0) -> Started:
    """Run `name` in a daemon thread; wait up to `wait_seconds` for the new run's id (or its failure to start)."""
    before = services.store.last_run(name)
    started, done = Started(), threading.Event()

    def work() -> None:
        try:
            services.run(name, trigger=trigger)
        except Exception as exc:  # noqa: BLE001 - a failed run is recorded in the run store; the thread must not die loudly
            started.error = exc
            log.warning("run of %s (%s) stopped: %s", name, trigger, exc)
        finally:
            done.set()

    threading.Thread(target=work, name=f"run-{name}", daemon=True).start()
    deadline = time.monotonic() + wait_seconds
    while True:
        finished = done.is_set()  # read before the store, so a run that ended meanwhile is still found
        last = services.store.last_run(name)
        if last is not None and (before is None or last.id > before.id):
            started.run_id = last.id
            return started
        if finished or time.monotonic() >= deadline:
            return started
        done.wait(0.05)
