"""One workflow run against the fake Google server, measured: wall and CPU time, requests per endpoint."""
from __future__ import annotations

import gc
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

SHEETS = "sheets.spreadsheets."


@dataclass(frozen=True)
class RunFigures:
    """What one run cost and did."""

    wall: float  # seconds
    cpu: float  # seconds of this process: the service and the in-process fake server together
    client_cpu: float  # seconds of the service's own thread (the fake server answers from its own threads)
    sheets: dict[str, int]  # Sheets requests per endpoint (`get`, `values.batchGet`, …)
    other: dict[str, int]  # every other request (token, Forms, Gmail)
    counts: dict[str, int]  # the run's own counts (cells_written, mails_sent, …; none for a skipped run)
    status: str  # ok, or skipped

    def describe(self) -> str:
        """One line for the benchmark's output."""
        mail = f", mail sent {self.counts['mails_sent']}" if "mails_sent" in self.counts else ""
        written = f", cells written {self.counts['cells_written']:,}" if "cells_written" in self.counts else ""
        return (f"{self.status}: wall {self.wall:6.2f} s, client CPU {self.client_cpu:6.2f} s (with the fake "
                f"{self.cpu:6.2f} s), Sheets requests {sum(self.sheets.values())} {self.sheets}, other "
                f"{self.other}{written}{mail}")


@contextmanager
def settled() -> Iterator[None]:
    """Collect, then keep what the process holds (the fake's spreadsheets, earlier runs' leftovers) out of the
    cycle collector's reach while a measurement runs: a collection then walks only what the measurement makes, as
    in the service's own process, which holds no spreadsheet. Without it a full collection landing in one run and
    not in another moved the same run by a second or more."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def measure_run(fake, services, workflow: str, trigger: str = "benchmark", path=None,
                skip_unchanged: bool = False) -> RunFigures:
    """Run the job once now (on the .xlsx `path` if given; `skip_unchanged` as a run asked for by hand) and count
    what it sent to the fake server."""
    before = Counter(fake.request_counts) if fake else Counter()
    with settled():
        wall, cpu, client = time.perf_counter(), time.process_time(), time.thread_time()
        outcome = services.run(workflow, trigger=trigger, path=path, skip_unchanged=skip_unchanged)
        wall, cpu, client = time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - client
    sent = (Counter(fake.request_counts) if fake else Counter()) - before
    sheets = {k.removeprefix(SHEETS): v for k, v in sorted(sent.items()) if k.startswith(SHEETS)}
    other = {k: v for k, v in sorted(sent.items()) if not k.startswith(SHEETS)}
    return RunFigures(wall, cpu, client, sheets, other, dict(outcome.counts), outcome.status)
