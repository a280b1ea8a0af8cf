"""Run one workflow on one workbook: lock, record, open, read in one call, compute, diff, write in one call, record.

The run is recorded before anything touches the network, and every way a run can end is recorded with one line:
`ok`, `failed` (any exception: a ServiceError as it is, anything else as RunCrashed) or `interrupted` (SIGTERM,
SIGINT). A run whose process died without a word is closed as `abandoned` by the run store at the next start."""
from __future__ import annotations

import gc
import logging
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable, ContextManager, Iterator, Protocol

from app.errors import RunCrashed, ServiceError, StoppedError
from app.sheets.grid_diff import cell_changes, cell_count, diff_tab
from app.sheets.grid import (CellNotes, NotedCell, NoteKey, RangeWrite, WriteStats, fit_widths, pattern_at,
                            shown_text)
from app.sheets.headers import MissingHeader
from app.sheets.masking import mask_personal
from app.sheets.problems import RowProblem, StopRun
from app.sync.cell_limits import clipped
from app.sync.lost_inputs import SUMMARY_KEY, check_inputs, remembered
from app.sync.ownership import ForeignTab, Placement, place, written_by_service
from app.sync.ports import RunRecord, Workbook
from app.sync.seen_read import SeenRead, read_after_writes, read_digest
from app.sync.problem_tab import PROBLEMS_HEADER, PROBLEMS_TITLE, cell_notes, problem_cell, problems_tab
from app.sync.workflow import RunContext, RunSupport, ServiceTab, Workflow

log = logging.getLogger(__name__)


class WorkflowStopped(StoppedError):
    """The workbook cannot be processed as laid out (e.g. a required header is missing): fix and rerun."""


class HeldLock(Protocol):
    """A workbook lock this run holds."""

    def refresh(self) -> None: ...


class RunStore(Protocol):
    """The part of the run-state store a sync needs."""

    def lock(self, key: str, owner: str) -> ContextManager[HeldLock]: ...
    def start_run(self, job: str, workbook: str, trigger: str, started_by: str | None = None) -> int: ...
    def finish_run(self, run_id: int, status: str, counts: dict, error: str | None,
                   summary: dict | None = None, workbook: str | None = None) -> None: ...
    def add_problems(self, run_id: int, problems: list[RowProblem], links: list[str | None]) -> None: ...
    def add_log(self, run_id: int, level: str, message: str) -> None: ...
    def last_ok_summary(self, job: str, key: str) -> object | None: ...
    def cell_notes(self, job: str) -> dict[NoteKey, NotedCell]: ...
    def keep_cell_notes(self, job: str, notes: dict[NoteKey, NotedCell]) -> None: ...


@dataclass(frozen=True)
class CellChange:
    """One cell a dry run would change, both values as the tab would show them."""

    tab: str
    row: int
    col: int
    before: str
    after: str


@dataclass
class SyncOutcome:
    """What a run did, for the CLI, the web page and the benchmark."""

    run_id: int | None
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    writes: list[RangeWrite] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    error: str | None = None
    summary: dict = field(default_factory=dict)
    links: list[str | None] = field(default_factory=list)  # where each problem is, for the web page
    workbook: str | None = None  # the workbook's name as its backend gives it (a spreadsheet's title)
    changes: list[CellChange] = field(default_factory=list)  # a dry run's cells, before → after as shown
    notes: list[str] = field(default_factory=list)  # what the workflow passed over on purpose (section rows…)
    stable_until: datetime | None = None  # WorkflowResult.stable_until of the run
    cell_notes: dict[NoteKey, NotedCell] | None = None  # the officer cells noted after the run (None: not kept)
    read_digest: str | None = None  # of what the next run reads if nothing else changes (runs given a SeenRead)
    local_mark: str | None = None  # the support's input mark after this run's delivery (None: it delivered nothing)


@dataclass(frozen=True)
class RunParts:
    """What a run works with, opened only once the run is recorded (opening may already call Google)."""

    workflow: Workflow
    workbook: Workbook
    support: RunSupport | None = None


Progress = Callable[[str], None]
PREVIEW = "preview"  # the stored status of a dry run
SKIPPED = "skipped"  # the stored status of a checked run that found nothing changed


def sync(job: str, open_run: Callable[[], RunParts], store: RunStore, ctx: RunContext, *, lock_key: str,
         where: str, trigger: str = "manual", dry_run: bool = False, progress: Progress = lambda _m: None,
         accept_emptied: bool = False, started_by: str | None = None,
         seen_read: SeenRead | None = None) -> SyncOutcome:
    """Bring job `job`'s service tabs up to date. Data problems are reported, not raised; any failure is recorded
    with one line and raised as a ServiceError. `where` names the workbook in the record until the run reads it,
    `started_by` who asked for the run. A run whose inputs are gone stops (`accept_emptied`: a tab emptied on
    purpose is accepted). A checked run (given `seen_read`) ends as skipped after its read when it read what the
    last run left for it to read, and leaves the digest of what the next one will read (its own read, with its writes
    in)."""
    with store.lock(lock_key, owner=f"{socket.gethostname()}:{os.getpid()}") as held:
        inputs = _Inputs(lock_key, store.last_ok_summary(job, SUMMARY_KEY), accept_emptied, store.cell_notes(job),
                         None if dry_run else seen_read)
        run_id = store.start_run(job, where, trigger, started_by)
        try:
            with _fewer_collections():
                parts = open_run()
                outcome = _sync(parts.workflow, parts.workbook, ctx, dry_run, progress, parts.support, held, inputs)
        except ServiceError as exc:
            store.finish_run(run_id, "failed", {}, one_line(exc))
            raise
        except Exception as exc:  # a bug: recorded and told in one line, the traceback only in the debug log
            line = f"ข้อผิดพลาดที่ไม่คาดคิด (unexpected error: {type(exc).__name__}: {one_line(exc)})"
            store.finish_run(run_id, "failed", {}, line)
            log.debug("run %s of %s crashed", run_id, job, exc_info=True)
            raise RunCrashed(line) from exc
        except BaseException as exc:  # SIGTERM, SIGINT, a worker's exit: the run ends here, on the record
            store.finish_run(run_id, "interrupted", {}, one_line(exc) if str(exc) else "หยุดกลางคัน (interrupted)")
            raise
        outcome.run_id = run_id
        if outcome.cell_notes is not None and outcome.cell_notes != inputs.notes:
            store.keep_cell_notes(job, outcome.cell_notes)
        store.add_problems(run_id, [_masked(p) for p in outcome.problems], outcome.links)
        for note in outcome.notes:
            store.add_log(run_id, "INFO", note)
        counted = _summary(outcome)  # none when skipped: its note says why
        if counted:
            store.add_log(run_id, "INFO", counted)
        # a dry run is a preview: kept out of the history and of the pages' latest figures
        store.finish_run(run_id, PREVIEW if dry_run else outcome.status, outcome.counts, outcome.error,
                         outcome.summary, outcome.workbook)
        log.info("run %s %s: %s", run_id, job, counted or outcome.status)
        return outcome


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector with thresholds for a run, put back after it. A run makes millions of containers
    that live until it ends (the rows read, their frames) and little cyclic garbage, so at the default thresholds
    the collector walks them again and again: an unchanged run of the 10,000-applicant workbook on .xlsx spent
    0.9–2.6 s of its 4.9–6.8 s CPU in 5 full collections, 0.1 s in none at these (its peak memory 15 % higher)."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (its first), or its kind when it has none."""
    return (str(exc).splitlines() or [type(exc).__name__])[0]


@dataclass(frozen=True)
class _Inputs:
    """What the last successful run read (rows per input tab), to stop a run that has lost its inputs; and the
    officer cells the job noted before."""

    lock_key: str
    previous: dict | None
    accept_emptied: bool
    notes: dict[NoteKey, NotedCell]
    seen_read: SeenRead | None


def _sync(workflow: Workflow, workbook: Workbook, ctx: RunContext, dry_run: bool, progress: Progress,
          support: RunSupport | None, held: HeldLock, last: _Inputs) -> SyncOutcome:
    titles = workbook.tab_titles()
    owned = workbook.owned_tabs()
    placement = place(workflow.service_titles() + [PROBLEMS_TITLE], titles, owned)
    inputs = [t for t in workflow.tabs_to_read(titles) if t not in owned.values()]
    progress(f"อ่าน {len(inputs)} แท็บจาก {workbook.label}")
    grids = workbook.read(list(dict.fromkeys(inputs + placement.tabs_to_read(titles))))
    seen = last.seen_read
    digest = read_digest(titles, owned, grids) if seen is not None else None
    if digest is not None and digest == seen.digest:
        note = f"ข้าม: แท็บที่อ่านเหมือนรอบก่อนทุกเซลล์ (skipped: {len(grids)} tabs read as the last run left them)"
        progress(note)
        return SyncOutcome(None, SKIPPED, workbook=workbook.label, notes=[note], stable_until=seen.stable_until,
                           read_digest=digest)
    if PROBLEMS_TITLE in placement.undecided:
        _settle(placement, PROBLEMS_TITLE, PROBLEMS_HEADER, grids, titles)
    mail_counts: dict[str, int] = {}
    delivered = False
    try:
        view = {t: grids[t] for t in inputs} | placement.view(grids)
        check_inputs(workflow.spec, workbook.label, last.lock_key, grids, inputs, last.previous,
                     last.accept_emptied)
        if support is not None:
            ctx = support.context(ctx, view, dry_run)
        result = workflow.run(view, ctx)
        if placement.undecided:  # an unmarked tab with a service tab's title: ours only if it holds our header
            for tab in result.tabs:
                if tab.title in placement.undecided:
                    _settle(placement, tab.title, tab.header, grids, titles)
            view = {t: grids[t] for t in inputs} | placement.view(grids)
            result = workflow.run(view, ctx)  # without what an officer tab of the same title held
        if support is not None and result.mails and not dry_run:
            progress(f"ส่งอีเมล {len(result.mails)} ฉบับ (ภายในโควตารายวัน)")
            ctx, mail_counts = support.deliver(result.mails, ctx)
            delivered = True
            held.refresh()  # sending may take long: nobody may take the lock over as stale before the write
            if any(mail_counts.get(k) for k in ("sent", "failed", "uncertain", "refused")):
                result = workflow.run(view, ctx)  # the log changed: the tabs show what was sent
    except (MissingHeader, StopRun) as exc:
        stop = exc.problem if isinstance(exc, StopRun) else RowProblem(exc.tab, 1, exc.header, "", str(exc))
        _write(workbook, [placement.placed(_fitted(problems_tab([stop], placement.view(grids).get(PROBLEMS_TITLE),
                                                               ctx.now, grids), workbook))], grids, dry_run)
        raise WorkflowStopped(str(exc)) from exc
    for note in result.notes:
        progress(note)
    tabs, cut = clipped(result.tabs, workbook.max_cell_chars)
    problems = placement.problems() + result.problems + cut
    progress(f"คำนวณแล้ว: {result.rows_read} แถว, ปัญหา {len(problems)} รายการ")
    # a problem on a service tab points into the tab as this run writes it (it may not exist yet)
    headers = grids | {t.title: [list(t.header)] for t in tabs}
    tabs += [_fitted(problems_tab(problems, placement.view(grids).get(PROBLEMS_TITLE), ctx.now, headers), workbook)]
    tabs = [placement.placed(t) for t in tabs]
    notes = CellNotes(cell_notes(problems, grids, set(inputs)), last.notes)
    writes, stats = _write(workbook, tabs, grids, dry_run, notes)
    progress(f"เขียน {cell_count(writes)} เซลล์")
    counts = {"rows_read": result.rows_read, "problems": len(problems),
              "cells_written": 0 if dry_run else stats.cells, "cells_changed": cell_count(writes),
              "tabs_created": len(stats.tabs_created)}
    if support is not None and support.sends_mail:
        counts |= {"mails_sent": mail_counts.get("sent", 0), "mails_failed": mail_counts.get("failed", 0),
                   "mails_uncertain": mail_counts.get("uncertain", 0),
                   "mails_waiting": result.mails_waiting}
    links = [_link(workbook, grids, p, support) for p in problems]
    summary = result.summary | {SUMMARY_KEY: remembered(workflow.spec, last.lock_key, grids, inputs)}
    styles = {t.title: t.style for t in tabs}
    changes = [CellChange(tab, row, col, shown_text(before, pattern_at(styles[tab], row, col)),
                          shown_text(after, pattern_at(styles[tab], row, col)))
               for tab, row, col, before, after in cell_changes(writes, grids)] if dry_run else []
    # after a delivery the next run's mark is compared with the mail log's as delivery left it; without one (a mail
    # still being sent) the next run computes
    local_mark = ctx.local_mark if delivered else None
    next_digest = None if delivered and local_mark is None else \
        _next_digest(workbook, grids, tabs, writes, stats, seen, digest)
    return SyncOutcome(None, "ok", counts, writes, problems, summary=summary, links=links,
                       workbook=workbook.label, changes=changes, notes=list(result.notes),
                       stable_until=result.stable_until, cell_notes=stats.notes, read_digest=next_digest,
                       local_mark=local_mark)


def _next_digest(workbook: Workbook, grids: dict, tabs: list[ServiceTab], writes: list[RangeWrite],
                 stats: WriteStats, seen: SeenRead | None, digest: str | None) -> str | None:
    """The digest of what the job's next run will read if no one edits: this run's read when it sent nothing,
    else its read with its writes in (None when not asked for, or when a written value has no form a read gives)."""
    if seen is None or stats.requests == 0:
        return digest
    after = read_after_writes(grids, writes, [t.title for t in tabs])
    try:
        return read_digest(workbook.tab_titles(), workbook.owned_tabs(), after)
    except ValueError:  # a value marshal cannot write (a numpy number a .xlsx write took): the next run computes
        return None


def _settle(placement: Placement, title: str, header, grids: dict, titles: list[str]) -> None:
    try:
        placement.settle(title, written_by_service(grids.get(title), header), titles)
    except ForeignTab as exc:
        raise WorkflowStopped(str(exc)) from exc


def _fitted(problems: ServiceTab, workbook: Workbook) -> ServiceTab:
    """The problems tab with its quotes of officers' values, which may be long, cut to what a cell holds."""
    return clipped([problems], workbook.max_cell_chars)[0][0]


def _write(workbook: Workbook, tabs: list[ServiceTab], grids: dict, dry_run: bool, notes: CellNotes | None = None):
    """Diff every tab (each within the cell limit already) and write what changed, styled."""
    writes = [w for t in tabs for w in diff_tab(t.title, t.grid(), grids.get(t.title))]
    if dry_run:
        return writes, WriteStats()
    styles = [replace(t.style, widths=fit_widths(t.grid(), t.style)) for t in tabs]
    return writes, workbook.write(writes, styles, notes)  # no notes (a stopped run): the notes stay as they are


def _link(workbook: Workbook, grids: dict, problem: RowProblem, support: RunSupport | None) -> str | None:
    """Where a problem's cell opens (for the web page), in the run's workbook or in one its support read (a
    program's activities); None for a tab no one read."""
    where = problem_cell(problem, grids)
    if where:
        return workbook.cell_link(problem.tab, *where)
    return support.problem_link(problem) if support is not None else None


def _masked(p: RowProblem) -> RowProblem:
    return RowProblem(p.tab, p.row, p.column, mask_personal(p.value), p.problem)


def _summary(outcome: SyncOutcome) -> str:
    return ", ".join(f"{k}={v}" for k, v in outcome.counts.items())
