"""SIGTERM and SIGINT as an exception in the main thread, so a run in progress ends on the record (`interrupted`)."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from app.errors import Interrupted

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


_running = threading.Event()  # a run is in progress in the main thread


@contextmanager
def run_in_progress() -> Iterator[None]:
    """Marks the block as a run: a stop signal within it raises Interrupted there, so the run ends on the record."""
    _running.set()
    try:
        yield
    finally:
        _running.clear()


@contextmanager
def stop_on_signals(between_runs: Callable[[Interrupted], None] | None = None) -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT raise Interrupted in the main thread (elsewhere: nothing changes).

    With `between_runs` (the scheduler), a signal that arrives outside `run_in_progress()` is handed to it instead
    of being raised: raised inside the scheduler's own code, it would be caught and logged there, and lost."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, _frame) -> None:
        interrupt = Interrupted(signal.Signals(number).name, number)
        if between_runs is None or _running.is_set():
            raise interrupt
        between_runs(interrupt)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
