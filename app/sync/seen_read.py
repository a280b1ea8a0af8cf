"""Whether a checked run reads exactly what its job's last run left for it to read.

A checked run is a scheduled one, or one asked for by hand that need not recompute what nothing changed (`sync`
without --recompute, run-now on the page or the API). Drive's version moves with any edit: in a tab the job never
reads, of a format, a value typed and put back, and the service's own write. A scheduled run the version check lets
through, and every run asked for by hand (Drive's version may lag an edit made a moment before), reads its tabs;
when the tab titles, the service's marks and every cell it reads are as the last run left them, and the job's other
inputs (the code and rules, the job's settings, the sent-mail log, the form's answers, the clock; for a run asked
for by hand the form's questions too) are as they were, the run has nothing to do either and is recorded as
skipped, without typing or computing anything. A run that wrote nothing leaves the digest of its read; a run that
wrote leaves the digest of its read with its writes in, each cell as a read gives it back (and a run that sent
mail, the mail log's mark as it stood after sending, before the run read the log again). That the run after a write
has nothing to write rests on the workflows writing what they read back unchanged (a run on its own output writes
nothing), which the tests check for every workflow; a cell that would not read back as predicted only makes that
run compute.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Iterable, Sequence

from app.sheets.grid import Grid, RangeWrite, cells_digest, read_back
from app.sheets.grid_diff import comparable


@dataclass(frozen=True)
class ChangeMark:
    """What a checked run saw before it read: the spreadsheet's Drive version and the job's inputs outside the
    workbook (after a run that sent mail: the mail log as it left it); and after it: until when its result holds with
    time alone (None: it may change any time), the digest of the read the next run finds nothing to do with (its own,
    with its writes in) and the revision of the form whose questions its result was computed with ("" without a form,
    None: not known, so a run asked for by hand computes)."""

    version: str
    local: str
    stable_until: datetime | None = None
    read_digest: str | None = None
    form_revision: str | None = None


@dataclass(frozen=True)
class SeenRead:
    """What a scheduled run compares its read with: the digest the last run left, while the job's inputs outside
    the workbook (which the run's change mark compares apart) and the clock still vouch for it (None: nothing to
    compare with, the run only leaves a digest for the next one), with its `stable_until`."""

    digest: str | None = None
    stable_until: datetime | None = None


def read_digest(titles: list[str], owned: dict[str, str], grids: dict[str, Grid]) -> str:
    """One digest of the tab titles in order, the service's marks and every cell read (cells_digest: 1, 1.0 and True
    differ)."""
    return cells_digest((titles, sorted(owned.items()), sorted(grids.items())))


def read_after_writes(grids: dict[str, Grid], writes: Sequence[RangeWrite],
                      service_tabs: Iterable[str]) -> dict[str, Grid]:
    """The tabs a run read as its next run will read them once `writes` are in: each written cell as a read gives it
    back, trailing blanks trimmed as a read trims them; the service tabs (read next time, even one created now)
    included. Rows no write touches are the rows read, shared, not copied."""
    after = dict(grids) | {title: grids.get(title) or [] for title in service_tabs}
    for tab, tab_writes in groupby(sorted(writes, key=lambda w: w.tab), key=lambda w: w.tab):
        grid = list(after[tab])
        for w in tab_writes:
            for r, values in enumerate(w.values, start=w.row - 1):
                grid.extend([] for _ in range(r + 1 - len(grid)))
                row = list(grid[r])
                end = w.col - 1 + len(values)
                row.extend([None] * (end - len(row)))
                row[w.col - 1:end] = map(read_back, values)
                grid[r] = comparable(row)
        while grid and not grid[-1]:
            grid.pop()
        after[tab] = grid
    return after
