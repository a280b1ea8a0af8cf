"""Logging to stderr as one JSON object per line, national IDs and phones masked, the run id on a run's lines."""
from __future__ import annotations

import json
import logging
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Iterator

from app.sheets.masking import mask_personal

_RUN_ID: ContextVar[int | None] = ContextVar("run_id", default=None)


class MaskPersonalData(logging.Filter):
    """Rewrites each record's message so no full ID or phone number is ever logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal(record.getMessage())
        record.args = ()
        return True


class JsonLines(logging.Formatter):
    """`{"time", "level", "logger", "message", "run_id"?, "http"?, "error"?}` on one line; the traceback masked too."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        run_id = getattr(record, "run_id", None) or _RUN_ID.get()
        if run_id is not None:
            line["run_id"] = run_id
        http = getattr(record, "http", None)  # an access-log line: its fields, for machines
        if http is not None:
            line["http"] = http
        if record.exc_info:
            line["error"] = mask_personal(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


class CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record arrives (a replaced stderr is never written after close)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


class _RunTaggingStore:
    """The run store as it is, except that starting a run tags this context's log lines with its id."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def start_run(self, *args, **kwargs) -> int:
        run_id = self._store.start_run(*args, **kwargs)
        _RUN_ID.set(run_id)
        return run_id


@contextmanager
def run_logging(store) -> Iterator[object]:
    """Yield `store` wrapped so every line logged in this block after the run starts carries its run id."""
    token = _RUN_ID.set(None)
    try:
        yield _RunTaggingStore(store)
    finally:
        _RUN_ID.reset(token)


def setup_logging(level: int = logging.INFO) -> None:
    """One JSON-lines handler on the root logger, masking personal data; quiet third-party chatter."""
    handler = CurrentStderrHandler()
    handler.addFilter(MaskPersonalData())
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("googleapiclient", "urllib3", "werkzeug", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    sys.unraisablehook = _log_unraisable


def _log_unraisable(unraisable) -> None:
    """An error Python can only ignore (e.g. openpyxl cleaning up after a failed save on a full disk) is one log
    line, never a traceback printed on stderr."""
    error = unraisable.exc_value
    first = (str(error).splitlines() or [""])[0] if error is not None else ""
    logging.getLogger("app").warning("ignored during clean-up: %s: %s", unraisable.exc_type.__name__, first)
