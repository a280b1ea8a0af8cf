"""SIGTERM and SIGINT as an exception in the main thread, so a run in progress ends on the record (`interrupted`)."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from app.errors import Interrupted

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _raise_interrupted(number: int, _frame) -> None:
    raise Interrupted(signal.Signals(number).name, number)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT raise Interrupted in the main thread (elsewhere: nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise_interrupted) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
