"""Sign-in throttle: after N failed sign-ins of one user from one address within a window, refuse until it passes."""
from __future__ import annotations

import threading
import time
from collections import deque
from datetime import timedelta
from typing import Callable


class SignInThrottle:
    """Failed sign-ins kept in memory per (user, address); one process's view (a restart forgets them)."""

    def __init__(self, limit: int, window: timedelta, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window.total_seconds(), clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        found = self._failures.get(key, deque())
        while found and now - found[0] >= self.window:
            found.popleft()
        if not found:
            self._failures.pop(key, None)
        return found

    def wait_seconds(self, user: str, address: str) -> float:
        """0 when a sign-in may be tried now, else how long until the oldest counted failure falls out."""
        key, now = (user.casefold(), address), self.clock()
        with self._lock:
            found = self._recent(key, now)
            return 0.0 if len(found) < self.limit else self.window - (now - found[0])

    def failed(self, user: str, address: str) -> None:
        """Count one failed sign-in."""
        key, now = (user.casefold(), address), self.clock()
        with self._lock:
            for other in list(self._failures):  # forget old entries so memory stays bounded
                self._recent(other, now)
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, user: str, address: str) -> None:
        """A good sign-in clears that user's failures from that address."""
        with self._lock:
            self._failures.pop((user.casefold(), address), None)
