"""Logging to stderr with national IDs and phones masked in every line."""
from __future__ import annotations

import logging
import sys

from app.domain.masking import mask_personal


class MaskPersonalData(logging.Filter):
    """Rewrites each record's message so no full ID or phone number is ever logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal(record.getMessage())
        record.args = ()
        return True


class CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record arrives (a replaced stderr is never written after close)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup_logging(level: int = logging.INFO) -> None:
    """One handler on the root logger, masking personal data; quiet third-party chatter."""
    handler = CurrentStderrHandler()
    handler.addFilter(MaskPersonalData())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("googleapiclient", "urllib3", "werkzeug", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
