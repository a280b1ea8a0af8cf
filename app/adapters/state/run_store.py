"""What the service remembers between runs, in one SQLite file: runs, problems, logs, watermarks, mail, locks."""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from app.adapters.state.form_cache import FormResponseCache
from app.adapters.state.locks import HOST, LockBusy, LockRegistry, process_gone  # noqa: F401 - LockBusy is API
from app.adapters.state.sent_mail import MailLedger, MailRecord  # noqa: F401 - MailRecord is part of this API
from app.adapters.state.db import migrate, moment_of, reading, stamp, transaction, utc_now
from app.adapters.state.run_queue import RunQueue
from app.adapters.state.web_state import WebState
from app.errors import BackendError
from app.sheets.masking import mask_personal
from app.sheets.grid import Grid, NotedCell, NoteKey
from app.sheets.problems import RowProblem
from app.sync.ports import SCHEDULED, LogLine, RunRecord
from app.sync.seen_read import ChangeMark

TABS_FORMAT = f"marshal {marshal.version} python {sys.version_info[0]}.{sys.version_info[1]}"  # else: read again
SUMMARIES_KEPT = 10  # runs per job whose whole summary is kept: 10 MB each at 10,000 applicants
FINAL_STATUSES = ("ok", "failed", "interrupted", "preview", "skipped")  # and `abandoned`, set only by
# close_abandoned_runs(); preview: a dry run, which wrote and sent nothing; skipped: a scheduled run that found
# nothing changed


SQLITE_MAX_INTEGER = 2**63 - 1


class RunStore(MailLedger, LockRegistry, FormResponseCache, WebState, RunQueue):
    """Runs, problems, logs, watermarks, sent mail, form answers, workbook locks, sign-ins, sessions, run-now
    requests and the scheduler's heartbeat; thread- and process-safe."""

    def __init__(self, path: Path, stale_after: timedelta = timedelta(hours=2),
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.path = Path(path)
        self.stale_after = stale_after
        self.clock = clock
        migrate(self.path)

    def ping(self) -> None:
        """Raise BackendError when the store cannot be read (missing folder, locked or corrupt file)."""
        try:
            self.runs(limit=1)
        except (sqlite3.Error, OSError) as exc:
            raise BackendError(f"state store unreachable: {type(exc).__name__}") from exc

    def start_run(self, job: str, workbook: str, trigger: str, started_by: str | None = None) -> int:
        """Record a run as `running` (with the process that runs it and who started it) and return its id."""
        with transaction(self.path) as con:
            return con.execute("INSERT INTO runs (job, workbook, trigger, started, pid, host, started_by) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (job, workbook, trigger, stamp(self.clock()), os.getpid(), HOST,
                                mask_personal(started_by) if started_by else None)).lastrowid

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], error: str | None = None,
                   summary: dict | None = None, workbook: str | None = None) -> None:
        """Close a run as `ok`, `failed`, `interrupted`, `preview` (a dry run) or `skipped` with its counts, its
        summary, a one-line error when it did not end ok, and the workbook's name once the run has read it. Whole
        summaries are kept for the job's latest SUMMARIES_KEPT runs that left one and for its latest ok run (the
        pages' figures, the lost-input check); older runs keep their counts, problems and log."""
        if status not in FINAL_STATUSES:
            raise ValueError(f"run status must be one of {FINAL_STATUSES}, not {status!r}")
        with transaction(self.path) as con:
            changed = con.execute(
                "UPDATE runs SET finished = ?, status = ?, counts = ?, error = ?, summary = ?, "
                "workbook = COALESCE(?, workbook) WHERE id = ?",
                (stamp(self.clock()), status, json.dumps(counts, ensure_ascii=False),
                 mask_personal(error) if error else None, json.dumps(summary or {}, ensure_ascii=False),
                 workbook, run_id)).rowcount
            if changed and summary:
                con.execute("UPDATE runs SET summary = '{}' WHERE job = (SELECT job FROM runs WHERE id = :run) "
                            "AND summary != '{}' AND id NOT IN (SELECT id FROM runs WHERE job = "
                            "(SELECT job FROM runs WHERE id = :run) AND summary != '{}' ORDER BY id DESC LIMIT :kept) "
                            "AND id != (SELECT COALESCE(MAX(id), 0) FROM runs WHERE job = "
                            "(SELECT job FROM runs WHERE id = :run) AND status = 'ok')",
                            {"run": run_id, "kept": SUMMARIES_KEPT})
        if not changed:
            raise KeyError(f"no run {run_id}")

    def close_abandoned_runs(self, older_than: timedelta) -> list[RunRecord]:
        """Close as `abandoned`, with the reason, every run still `running` whose process is gone (on this host) or
        that started longer ago than `older_than`: it can no longer end on its own. The runs closed."""
        now = self.clock()
        with reading(self.path) as con:
            rows = con.execute("SELECT id, pid, host, started FROM runs WHERE status = 'running'").fetchall()
        reasons = {}
        for row in rows:
            if row["pid"] is not None and process_gone(row["pid"], row["host"]):
                reasons[row["id"]] = (f"กระบวนการที่ทำงานหายไป (its process {row['pid']} on {row['host']} "
                                      "is gone: killed or restarted)")
            elif now - moment_of(row["started"]) > older_than:
                hours = older_than.total_seconds() / 3600
                reasons[row["id"]] = (f"ทำงานนานเกินกำหนด (still running after {hours:g} h, the limit "
                                      "stale_run_hours)")
        with transaction(self.path) as con:
            for run_id, reason in reasons.items():
                con.execute("UPDATE runs SET status = 'abandoned', finished = ?, error = ? "
                            "WHERE id = ? AND status = 'running'", (stamp(now), reason, run_id))
        return [self.run(run_id) for run_id in reasons]

    def runs(self, job: str | None = None, status: str | None = None, limit: int = 50,
             before: int | None = None, with_summary: bool = False) -> list[RunRecord]:
        """The latest runs first (started before run `before`, if given), optionally of one job and/or with one
        status; dry runs (status "preview") and scheduled runs that found nothing changed ("skipped", up to one a
        minute) only when asked for by status (a run asked for by hand is listed skipped or not). Their summaries
        are read only `with_summary` (else {}): one is 10 MB at 10,000 applicants."""
        with reading(self.path) as con:  # LIMIT -1 would be every run
            rows = con.execute(f"SELECT {_columns(with_summary)} FROM runs WHERE (? IS NULL OR job = ?) "
                               "AND (? IS NULL OR id < ?) AND ((? IS NULL AND status != 'preview' "
                               "AND NOT (status = 'skipped' AND trigger = ?)) OR status = ?) "
                               "ORDER BY id DESC LIMIT ?",
                               (job, job, before, before, status, SCHEDULED, status, max(limit, 0))).fetchall()
        return [_run_record(row) for row in rows]

    def run(self, run_id: int, with_summary: bool = False) -> RunRecord | None:
        """One run by id (None for an id no run can have, such as one beyond SQLite's integers); its summary only
        `with_summary`."""
        if not 0 < run_id <= SQLITE_MAX_INTEGER:
            return None
        with reading(self.path) as con:
            row = con.execute(f"SELECT {_columns(with_summary)} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _run_record(row) if row else None

    def last_ok_summary(self, job: str, key: str) -> object | None:
        """One entry of the summary the job's latest successful run left (its rows per input tab…); None when no
        run or no entry. SQLite picks the entry out, so the rest of the summary is never decoded."""
        with reading(self.path) as con:
            row = con.execute("SELECT summary -> ? AS part FROM runs WHERE job = ? AND status = 'ok' "
                              "ORDER BY id DESC LIMIT 1", (f'$."{key}"', job)).fetchone()
        return json.loads(row["part"]) if row and row["part"] is not None else None

    def last_run(self, job: str) -> RunRecord | None:
        """The job's most recently started run, whatever its status (a dry run or a skipped one is not a run: the
        job's figures, health and schedule go by the runs that did something)."""
        with reading(self.path) as con:
            row = con.execute(f"SELECT {_columns(False)} FROM runs WHERE job = ? AND status NOT IN ('preview', "
                              "'skipped') ORDER BY id DESC LIMIT 1", (job,)).fetchone()
        return _run_record(row) if row else None

    def add_problems(self, run_id: int, problems: list[RowProblem], links: list[str | None] | None = None) -> None:
        """Keep the row problems a run found, in the order given, each with where to find it (a URL or a cell);
        the value and the problem text are masked here too, whoever calls. A run that found exactly what an earlier
        run of its job found (most do: the problems stay until an officer fixes them) shares that run's rows instead
        of storing thousands of the same rows again."""
        links = links or [None] * len(problems)
        rows = [(p.tab, p.row, p.column, mask_personal(p.value), mask_personal(p.problem), link)
                for p, link in zip(problems, links)]
        if not rows:
            return
        digest = hashlib.blake2b(repr(rows).encode("utf-8"), digest_size=20).hexdigest()
        with transaction(self.path) as con:
            same = con.execute("SELECT COALESCE(problems_of, id) AS holder FROM runs WHERE problems_digest = ? "
                               "AND job = (SELECT job FROM runs WHERE id = ?) AND id != ? ORDER BY id DESC LIMIT 1",
                               (digest, run_id, run_id)).fetchone()
            if same is None:
                con.executemany("INSERT INTO problems (run_id, tab, row, column_name, value, problem, link) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)", [(run_id, *row) for row in rows])
            con.execute("UPDATE runs SET problems_digest = ?, problems_of = ? WHERE id = ?",
                        (digest, same["holder"] if same else None, run_id))

    def problems(self, run_id: int) -> list[RowProblem]:
        """The row problems of a run, in the order they were added."""
        return [RowProblem(r["tab"], r["row"], r["column_name"], r["value"], r["problem"])
                for r in self._problem_rows(run_id)]

    def problem_links(self, run_id: int) -> list[str | None]:
        """Where each of a run's problems is (same order as problems())."""
        return [r["link"] for r in self._problem_rows(run_id)]

    def _problem_rows(self, run_id: int) -> list:
        with reading(self.path) as con:
            return con.execute("SELECT * FROM problems WHERE run_id = (SELECT COALESCE(problems_of, id) FROM runs "
                               "WHERE id = ?) ORDER BY rowid", (run_id,)).fetchall()

    def add_log(self, run_id: int, level: str, message: str) -> None:
        """Append a line to a run's log; national IDs and phone numbers are masked before they are stored."""
        with transaction(self.path) as con:
            con.execute("INSERT INTO run_logs (run_id, at, level, message) VALUES (?, ?, ?, ?)",
                        (run_id, stamp(self.clock()), level, mask_personal(message)))

    def logs(self, run_id: int) -> list[LogLine]:
        """A run's log lines, oldest first."""
        with reading(self.path) as con:
            rows = con.execute("SELECT * FROM run_logs WHERE run_id = ? ORDER BY id", (run_id,)).fetchall()
        return [LogLine(moment_of(r["at"]), r["level"], r["message"]) for r in rows]

    def watermark(self, source_key: str) -> datetime | None:
        """The submission time up to which a form's responses have been read (None: never read)."""
        with reading(self.path) as con:
            row = con.execute("SELECT at FROM watermarks WHERE source_key = ?", (source_key,)).fetchone()
        return moment_of(row["at"]) if row else None

    def set_watermark(self, source_key: str, when: datetime) -> None:
        """Remember the submission time up to which a form's responses have been read."""
        with transaction(self.path) as con:
            con.execute("INSERT INTO watermarks (source_key, at) VALUES (?, ?) "
                        "ON CONFLICT (source_key) DO UPDATE SET at = excluded.at", (source_key, stamp(when)))

    def change_mark(self, job: str) -> ChangeMark | None:
        """What a job's last checked run saw (None when no run kept a mark, or one from before the store kept the
        job's local inputs apart)."""
        with reading(self.path) as con:
            row = con.execute("SELECT * FROM change_marks WHERE job = ?", (job,)).fetchone()
        if row is None or row["local"] is None:
            return None
        return ChangeMark(row["mark"], row["local"], moment_of(row["stable_until"]), row["read_digest"],
                          row["form_revision"])

    def keep_change_mark(self, job: str, mark: ChangeMark) -> None:
        """Remember what a finished checked run saw."""
        with transaction(self.path) as con:
            con.execute("INSERT INTO change_marks (job, mark, local, stable_until, read_digest, form_revision) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job) DO UPDATE SET mark = excluded.mark, "
                        "local = excluded.local, stable_until = excluded.stable_until, "
                        "read_digest = excluded.read_digest, form_revision = excluded.form_revision",
                        (job, mark.version, mark.local, stamp(mark.stable_until) if mark.stable_until else None,
                         mark.read_digest, mark.form_revision))

    def forget_change_marks(self, job: str | None = None) -> None:
        """Forget what every job's checked runs saw (a scheduler starting anew), or one job's (its run failed)."""
        with transaction(self.path) as con:
            con.execute("DELETE FROM change_marks WHERE ? IS NULL OR job = ?", (job, job))

    def cell_notes(self, job: str) -> dict[NoteKey, NotedCell]:
        """The officer cells a job's last writing run noted (or meant to, where an officer's note was)."""
        with reading(self.path) as con:
            rows = con.execute("SELECT * FROM cell_notes WHERE job = ?", (job,)).fetchall()
        return {(r["tab"], r["row"], r["col"]): NotedCell(r["digest"], bool(r["written"])) for r in rows}

    def keep_cell_notes(self, job: str, notes: dict[NoteKey, NotedCell]) -> None:
        """Replace what a job remembers of its notes (a digest of each note, never its words)."""
        with transaction(self.path) as con:
            con.execute("DELETE FROM cell_notes WHERE job = ?", (job,))
            con.executemany("INSERT INTO cell_notes (job, tab, row, col, digest, written) VALUES (?, ?, ?, ?, ?, ?)",
                            [(job, tab, row, col, cell.digest, int(cell.written))
                             for (tab, row, col), cell in notes.items()])

    def saved_tabs(self, workbook: str) -> tuple[str, dict[str, Grid]] | None:
        """The digest of a local workbook as last saved by a run, and its service tabs as saved then."""
        with reading(self.path) as con:
            row = con.execute("SELECT digest, tabs FROM saved_tabs WHERE workbook = ? AND format = ?",
                              (workbook, TABS_FORMAT)).fetchone()
        return (row["digest"], marshal.loads(row["tabs"])) if row else None

    def keep_saved_tabs(self, workbook: str, digest: str, tabs: dict[str, Grid]) -> None:
        """Remember a save: the file's digest and its service tabs (plain values, kept with marshal: no code in it,
        and several times faster to load than parsing the sheets again)."""
        with transaction(self.path) as con:
            con.execute("INSERT INTO saved_tabs (workbook, digest, format, tabs) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (workbook) DO UPDATE SET digest = excluded.digest, format = excluded.format, "
                        "tabs = excluded.tabs", (workbook, digest, TABS_FORMAT, marshal.dumps(tabs)))


    def prune(self, before: datetime) -> dict[str, int]:
        """Forget finished runs started before `before` (with their problems and log lines), except each job's
        latest run, and run-now requests, sign-in attempts and sessions that ended before it. The sent-mail
        ledger, form answers and watermarks are never pruned: they stop a mail going out twice."""
        cutoff = stamp(before)
        with transaction(self.path) as con:
            old = "SELECT id FROM runs WHERE started < ? AND status != 'running' " \
                  "AND id NOT IN (SELECT MAX(id) FROM runs GROUP BY job)"
            # problem rows an old run holds for kept runs move to the oldest of those, which holds them from then on
            for holder, keeper in con.execute(f"SELECT problems_of, MIN(id) FROM runs WHERE problems_of IN ({old}) "
                                              f"AND id NOT IN ({old}) GROUP BY problems_of", (cutoff, cutoff)).fetchall():
                con.execute("UPDATE problems SET run_id = ? WHERE run_id = ?", (keeper, holder))
                con.execute("UPDATE runs SET problems_of = CASE id WHEN ? THEN NULL ELSE ? END WHERE problems_of = ?",
                            (keeper, keeper, holder))
            counts = {"problems": con.execute(f"DELETE FROM problems WHERE run_id IN ({old})", (cutoff,)).rowcount,
                      "log_lines": con.execute(f"DELETE FROM run_logs WHERE run_id IN ({old})", (cutoff,)).rowcount}
            counts["runs"] = con.execute(f"DELETE FROM runs WHERE id IN ({old})", (cutoff,)).rowcount
            counts["run_requests"] = con.execute("DELETE FROM run_requests WHERE finished < ?", (cutoff,)).rowcount
            con.execute("DELETE FROM signin_attempts WHERE at < ?", (cutoff,))
            con.execute("DELETE FROM web_sessions WHERE expires < ?", (stamp(self.clock()),))
        return counts


def _columns(with_summary: bool) -> str:
    """The runs table's columns to read, the summary replaced by an empty one unless it is wanted."""
    return "*" if with_summary else ("id, job, workbook, trigger, started, finished, status, counts, error, "
                                     "started_by, '{}' AS summary")


def _run_record(row) -> RunRecord:
    return RunRecord(id=row["id"], job=row["job"], workbook=row["workbook"], trigger=row["trigger"],
                     started=moment_of(row["started"]), finished=moment_of(row["finished"]), status=row["status"],
                     counts=json.loads(row["counts"]), error=row["error"], summary=json.loads(row["summary"]),
                     started_by=row["started_by"])
