"""Run-now requests and the scheduler's heartbeat, in the state store.

The web page and the API only enqueue a request; the scheduler process (`python -m jobs`) claims it, runs the
job and records how it ended, so a web worker restart never orphans a run. The scheduler also beats a
heartbeat here, which `/readyz` and the overview page read.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.adapters.state.db import moment_of, reading, stamp, transaction
from app.adapters.state.locks import HOST, process_gone

PENDING = ("queued", "running")


@dataclass(frozen=True)
class RunRequest:
    """One run-now request: queued → running → done | failed; `run_id` once its run is recorded."""

    id: int
    job: str
    trigger: str
    requested_by: str
    state: str
    requested: datetime
    started: datetime | None
    finished: datetime | None
    run_id: int | None
    worker: str | None  # "pid N on HOST" of the scheduler that ran it
    error: str | None
    http_status: int | None  # of the error that stopped it (409 busy, 422 layout, …)

    @property
    def pending(self) -> bool:
        return self.state in PENDING


@dataclass(frozen=True)
class Heartbeat:
    """The scheduler's last sign of life and what it reported then (its next run per job)."""

    at: datetime
    pid: int
    host: str
    info: dict


class RunQueue:
    """The run-request and heartbeat part of RunStore (needs `path` and `clock` from it)."""

    path: Path
    clock: Callable[[], datetime]

    def request_run(self, job: str, trigger: str, requested_by: str) -> RunRequest:
        """Queue a run of `job`; a request of that job still waiting in the queue is answered instead (a double
        click runs once)."""
        with transaction(self.path) as con:
            row = con.execute("SELECT * FROM run_requests WHERE job = ? AND state = 'queued' ORDER BY id LIMIT 1",
                              (job,)).fetchone()
            if row is None:
                new_id = con.execute("INSERT INTO run_requests (job, trigger, requested_by, requested) "
                                     "VALUES (?, ?, ?, ?)", (job, trigger, requested_by, stamp(self.clock()))).lastrowid
                row = con.execute("SELECT * FROM run_requests WHERE id = ?", (new_id,)).fetchone()
        return _request(row)

    def claim_run_request(self) -> RunRequest | None:
        """Take the oldest queued request whose job is not running already (one transaction: two consumers never
        take the same request); None when there is nothing to do."""
        with transaction(self.path) as con:
            row = con.execute("SELECT * FROM run_requests WHERE state = 'queued' AND job NOT IN "
                              "(SELECT job FROM run_requests WHERE state = 'running') ORDER BY id LIMIT 1").fetchone()
            if row is None:
                return None
            con.execute("UPDATE run_requests SET state = 'running', started = ?, worker_pid = ?, worker_host = ? "
                        "WHERE id = ?", (stamp(self.clock()), os.getpid(), HOST, row["id"]))
            row = con.execute("SELECT * FROM run_requests WHERE id = ?", (row["id"],)).fetchone()
        return _request(row)

    def link_run_request(self, request_id: int, run_id: int) -> None:
        """The request's run is recorded: pages can follow it."""
        with transaction(self.path) as con:
            con.execute("UPDATE run_requests SET run_id = ? WHERE id = ?", (run_id, request_id))

    def finish_run_request(self, request_id: int, error: str | None = None, http_status: int | None = None) -> None:
        """Close a request: `done` when its run ended (ok or failed, as the run says), `failed` with the one-line
        error when it stopped before or outside a run (busy workbook, layout, config)."""
        with transaction(self.path) as con:
            con.execute("UPDATE run_requests SET state = ?, finished = ?, error = ?, http_status = ? WHERE id = ?",
                        ("failed" if error else "done", stamp(self.clock()), error, http_status, request_id))

    def abandon_run_requests(self) -> int:
        """Requests left `running` by a scheduler process that is gone (killed mid-run) end `failed`."""
        with transaction(self.path) as con:
            rows = con.execute("SELECT id, worker_pid, worker_host FROM run_requests WHERE state = 'running'").fetchall()
            gone = [r["id"] for r in rows if process_gone(r["worker_pid"], r["worker_host"])]
            con.executemany("UPDATE run_requests SET state = 'failed', finished = ?, error = ? WHERE id = ?",
                            [(stamp(self.clock()), "the scheduler stopped during this run (abandoned)", i)
                             for i in gone])
        return len(gone)

    def run_request(self, request_id: int) -> RunRequest | None:
        """One request by id."""
        if not 0 < request_id < 2**63:
            return None
        with reading(self.path) as con:
            row = con.execute("SELECT * FROM run_requests WHERE id = ?", (request_id,)).fetchone()
        return _request(row) if row else None

    def pending_run_requests(self, job: str | None = None) -> list[RunRequest]:
        """Requests still queued or running, oldest first."""
        with reading(self.path) as con:
            rows = con.execute("SELECT * FROM run_requests WHERE state IN ('queued', 'running') "
                               "AND (? IS NULL OR job = ?) ORDER BY id", (job, job)).fetchall()
        return [_request(r) for r in rows]

    def beat(self, process: str, info: dict) -> None:
        """`process` (the scheduler) is alive now; `info` is what it wants pages to know (next runs)."""
        with transaction(self.path) as con:
            con.execute("INSERT INTO heartbeats (process, at, pid, host, info) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (process) DO UPDATE SET at = excluded.at, pid = excluded.pid, "
                        "host = excluded.host, info = excluded.info",
                        (process, stamp(self.clock()), os.getpid(), HOST, json.dumps(info, ensure_ascii=False)))

    def heartbeat(self, process: str) -> Heartbeat | None:
        """The last heartbeat of `process` (None: it never ran on this store)."""
        with reading(self.path) as con:
            row = con.execute("SELECT * FROM heartbeats WHERE process = ?", (process,)).fetchone()
        return Heartbeat(moment_of(row["at"]), row["pid"], row["host"], json.loads(row["info"])) if row else None


def _request(row) -> RunRequest:
    worker = f"pid {row['worker_pid']} on {row['worker_host']}" if row["worker_pid"] is not None else None
    return RunRequest(row["id"], row["job"], row["trigger"], row["requested_by"], row["state"],
                      moment_of(row["requested"]), moment_of(row["started"]), moment_of(row["finished"]),
                      row["run_id"], worker, row["error"], row["http_status"])
