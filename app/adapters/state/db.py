"""SQLite plumbing for the run-state store: WAL, one connection per call, BEGIN IMMEDIATE writes, migrations."""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

# One script per schema version. Append new versions; never edit a released one (databases migrate in order).
MIGRATIONS = (
    """
    CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, workbook TEXT NOT NULL,
        trigger TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL DEFAULT 'running',
        counts TEXT NOT NULL DEFAULT '{}', error TEXT);
    CREATE INDEX runs_by_job ON runs (job, id);
    CREATE TABLE problems (run_id INTEGER NOT NULL REFERENCES runs (id), tab TEXT NOT NULL, row INTEGER,
        column_name TEXT NOT NULL, value TEXT NOT NULL, problem TEXT NOT NULL);
    CREATE INDEX problems_by_run ON problems (run_id);
    CREATE TABLE run_logs (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs (id),
        at TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL);
    CREATE INDEX run_logs_by_run ON run_logs (run_id, id);
    CREATE TABLE watermarks (source_key TEXT PRIMARY KEY, at TEXT NOT NULL);
    CREATE TABLE mails (key TEXT PRIMARY KEY, recipient TEXT NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL,
        claimed TEXT NOT NULL, claimer_pid INTEGER NOT NULL, claimer_host TEXT NOT NULL, attempts INTEGER NOT NULL,
        sent TEXT, message_id TEXT, error TEXT);
    CREATE INDEX mails_by_time ON mails (state, sent, claimed);
    CREATE TABLE locks (key TEXT PRIMARY KEY, owner TEXT NOT NULL, token TEXT NOT NULL, pid INTEGER NOT NULL,
        host TEXT NOT NULL, since TEXT NOT NULL, heartbeat TEXT NOT NULL)
    """,
    """
    ALTER TABLE runs ADD COLUMN summary TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE problems ADD COLUMN link TEXT
    """,
    """
    CREATE TABLE form_responses (source_key TEXT NOT NULL, response_id TEXT NOT NULL, submitted TEXT NOT NULL,
        respondent_email TEXT, answers TEXT NOT NULL, PRIMARY KEY (source_key, response_id))
    """,
    """
    ALTER TABLE runs ADD COLUMN pid INTEGER;
    ALTER TABLE runs ADD COLUMN host TEXT
    """,
    """
    CREATE TABLE signin_attempts (user TEXT NOT NULL, address TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX signin_attempts_by_key ON signin_attempts (user, address, at);
    CREATE TABLE web_sessions (token_hash TEXT PRIMARY KEY, user TEXT NOT NULL, fingerprint TEXT NOT NULL,
        created TEXT NOT NULL, expires TEXT NOT NULL);
    CREATE INDEX web_sessions_by_user ON web_sessions (user);
    CREATE TABLE run_requests (id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, trigger TEXT NOT NULL,
        requested_by TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued', requested TEXT NOT NULL, started TEXT,
        finished TEXT, run_id INTEGER, worker_pid INTEGER, worker_host TEXT, error TEXT, http_status INTEGER);
    CREATE INDEX run_requests_by_state ON run_requests (state, id);
    CREATE TABLE heartbeats (process TEXT PRIMARY KEY, at TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
        info TEXT NOT NULL DEFAULT '{}')
    """,
    """
    CREATE TABLE change_marks (job TEXT PRIMARY KEY, mark TEXT NOT NULL, stable_until TEXT)
    """,
    """
    CREATE TABLE saved_tabs (workbook TEXT PRIMARY KEY, digest TEXT NOT NULL, format TEXT NOT NULL,
        tabs BLOB NOT NULL)
    """,
    """
    ALTER TABLE runs ADD COLUMN started_by TEXT;
    CREATE TABLE cell_notes (job TEXT NOT NULL, tab TEXT NOT NULL, row INTEGER NOT NULL, col INTEGER NOT NULL,
        digest TEXT NOT NULL, written INTEGER NOT NULL, PRIMARY KEY (job, tab, row, col))
    """,
    """
    ALTER TABLE change_marks ADD COLUMN local TEXT;
    ALTER TABLE change_marks ADD COLUMN read_digest TEXT;
    ALTER TABLE runs ADD COLUMN problems_digest TEXT;
    ALTER TABLE runs ADD COLUMN problems_of INTEGER REFERENCES runs (id);
    CREATE INDEX runs_by_problems ON runs (job, problems_digest)
    """,
    """
    ALTER TABLE change_marks ADD COLUMN form_revision TEXT
    """,
)


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), rows readable by column name."""
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys = ON")
    return con


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A short-lived connection for reads."""
    with closing(connect(path)) as con:
        yield con


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """A write transaction taken with BEGIN IMMEDIATE: committed on success, rolled back on any exception."""
    with closing(connect(path)) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def migrate(path: Path) -> tuple[int, int]:
    """Create or upgrade the schema to the latest version (safe when several processes start at once); returns
    the schema version found and the one left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # It holds names, emails and answers: only the service's user may read it (SQLite gives its -wal and -shm
    # files the same mode).
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    with reading(path) as con:
        con.execute("PRAGMA journal_mode = WAL")
    with transaction(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = con.execute("SELECT version FROM schema_version").fetchone()
        current = row["version"] if row else 0
        if current > len(MIGRATIONS):
            raise RuntimeError(f"{path} has schema version {current}, newer than this program: upgrade the program")
        for script in MIGRATIONS[current:]:
            for statement in filter(str.strip, script.split(";")):
                con.execute(statement)
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS),))
    return current, len(MIGRATIONS)


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def stamp(moment: datetime) -> str:
    """A fixed-width UTC text that sorts like the time it stands for; naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: give a timezone-aware time")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def moment_of(text: str | None) -> datetime | None:
    """The aware UTC datetime a stamp stands for (None stays None)."""
    return datetime.fromisoformat(text) if text else None
