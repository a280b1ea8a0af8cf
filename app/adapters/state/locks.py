"""Workbook locks in the run-state database: one run per workbook at a time, across threads, processes and crashes."""
from __future__ import annotations

import logging
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator
from uuid import uuid4

from app.errors import BusyError
from app.adapters.state.db import moment_of, stamp, transaction

log = logging.getLogger(__name__)
HOST = socket.gethostname()


class LockBusy(BusyError):
    """Another run holds the lock; `holder` names it (owner, pid, host), `since` is when it took the lock."""

    def __init__(self, key: str, holder: str, since: datetime) -> None:
        super().__init__(f"{key} is busy: held by {holder} since {since:%Y-%m-%d %H:%M:%S} UTC")
        self.key, self.holder, self.since = key, holder, since


def process_gone(pid: int, host: str) -> bool:
    """True when `pid` on `host` is this machine's and no longer runs (other hosts cannot be checked)."""
    if host != HOST:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass(frozen=True)
class HeldLock:
    """A lock this run holds; a run that may outlast the stale timeout calls refresh() now and then."""

    path: Path
    key: str
    token: str
    clock: Callable[[], datetime]

    def refresh(self) -> None:
        """Move the heartbeat to now so nobody takes the lock over as stale."""
        with transaction(self.path) as con:
            con.execute("UPDATE locks SET heartbeat = ? WHERE key = ? AND token = ?",
                        (stamp(self.clock()), self.key, self.token))


class LockRegistry:
    """The `lock` part of RunStore (needs `path`, `clock` and `stale_after` from it)."""

    path: Path
    clock: Callable[[], datetime]
    stale_after: timedelta

    @contextmanager
    def lock(self, key: str, owner: str) -> Iterator[HeldLock]:
        """Hold `key` for the block, released on exit even on exceptions; raises LockBusy when it is held.

        A lock whose holder process is dead on this host, or whose heartbeat is older than `stale_after`,
        is taken over (with a warning in the log).
        """
        held = HeldLock(self.path, key, uuid4().hex, self.clock)
        self._take(held, owner)
        try:
            yield held
        finally:
            with transaction(self.path) as con:
                con.execute("DELETE FROM locks WHERE key = ? AND token = ?", (key, held.token))

    def _take(self, held: HeldLock, owner: str) -> None:
        now = self.clock()
        with transaction(self.path) as con:
            row = con.execute("SELECT * FROM locks WHERE key = ?", (held.key,)).fetchone()
            if row:
                holder = f"{row['owner']} (pid {row['pid']} on {row['host']})"
                stale = now - moment_of(row["heartbeat"]) > self.stale_after
                if not stale and not process_gone(row["pid"], row["host"]):
                    raise LockBusy(held.key, holder, moment_of(row["since"]))
                log.warning("taking over lock %s from %s: %s", held.key, holder,
                            "heartbeat is stale" if stale else "its process is gone")
            con.execute("INSERT OR REPLACE INTO locks (key, owner, token, pid, host, since, heartbeat) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (held.key, owner, held.token, os.getpid(), HOST, stamp(now), stamp(now)))
