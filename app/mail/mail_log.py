"""Mails a workflow wants sent, and what the sent-mail log says about each mail key (pure data)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_ATTEMPTS = 3  # a mail that failed this many times is no longer retried by itself


@dataclass(frozen=True)
class OutgoingMail:
    """A mail to send at most once: its stable key (e.g. `ref:A-001:x@y.th:invite`), recipient and content."""

    key: str
    to: str
    subject: str
    text: str


@dataclass(frozen=True)
class MailState:
    """One key in the sent-mail log: sending | sent | failed | uncertain, when (sent, else claimed), tries, error."""

    state: str
    at: datetime
    attempts: int = 1
    error: str | None = None

    @property
    def retry(self) -> bool:
        """Failed for sure, with tries left: the next run sends it again."""
        return self.state == "failed" and self.attempts < MAX_ATTEMPTS
