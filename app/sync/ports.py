"""Ports: what services need from the outside world. Adapters implement them; services depend only on these."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol, Sequence

from app.errors import BackendError
from app.sheets.grid import (Cell, CellNotes, Grid, RangeWrite, StatusColour, TabStyle,  # noqa: F401 - re-exported
                             WriteStats)


class TabNotFound(BackendError):
    """A tab that the caller asked to read does not exist."""


class Workbook(Protocol):
    """A spreadsheet: Google Sheets or a local .xlsx file."""

    max_cell_chars: int  # the longest text one cell holds (longer text is cut, with a problem line)

    @property
    def label(self) -> str:
        """A human name for logs and pages (the file name or the spreadsheet title)."""

    def tab_titles(self) -> list[str]:
        """Titles of all tabs, in order (cached metadata; no data read)."""

    def owned_tabs(self) -> dict[str, str]:
        """The tabs carrying the service's mark: the service tab's own title → the tab's title now (an officer may
        have renamed it). `write` marks every tab it is given a style for."""

    def read(self, titles: Sequence[str]) -> dict[str, Grid]:
        """Read whole tabs in one batched call. Raises TabNotFound if a title does not exist."""

    def write(self, writes: Sequence[RangeWrite], styles: Sequence[TabStyle] = (),
              notes: CellNotes | None = None) -> WriteStats:
        """Create missing styled tabs, (re)apply styles that changed, write ranges and, where the backend keeps
        them, put or remove the service's notes on officers' cells, in as few calls as possible."""

    def cell_link(self, tab: str, row: int, col: int) -> str:
        """Where an officer finds a cell: a Google Sheets URL or `file.xlsx › tab!A1`."""


@dataclass(frozen=True)
class FormQuestion:
    """One question of a form: its id (hex, as Forms API gives it), title and kind."""

    question_id: str
    title: str
    kind: str  # text | choice | scale | date | time | grid-row | other


@dataclass(frozen=True)
class FormItem:
    """One item of a form as an editor sees it: its id, its title and the text shown under the title."""

    item_id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class FormResponse:
    """One submitted response: answers keyed by question title (the header the officer sees)."""

    response_id: str
    submitted: datetime  # timezone-aware UTC
    respondent_email: str | None
    answers: dict[str, str]


class FormSource(Protocol):
    """A Google Form read through the Forms API."""

    def questions(self) -> list[FormQuestion]:
        """The form's questions in order."""

    def responses_since(self, watermark: datetime | None) -> list[FormResponse]:
        """Responses submitted strictly after the watermark (all when None), oldest first."""

    def answer_stamps_since(self, watermark: datetime) -> set[tuple[str, datetime]]:
        """(response id, submitted) of the responses after the watermark: the cheap check for new answers."""

    def prefill_entry_ids(self) -> dict[str, str]:
        """Question title → `entry.N`, the parameter of a pre-filled link."""

    def responder_uri(self) -> str:
        """The link respondents open."""

    def revision(self) -> str:
        """The form's revision: it moves with every edit of the questions."""


class Mailer(Protocol):
    """Sends one message; raises BackendError when it could not."""

    def send(self, message: EmailMessage) -> str:
        """Send and return an id (Gmail message id, SMTP queue id or outbox file name)."""

    def flush(self) -> dict[str, str]:
        """Finish every delivery send() accepted (called before the sends are recorded as sent): the ids whose
        delivery failed after all, each with its error. {} for a mailer whose send() itself delivers."""


SCHEDULED = "schedule"  # the trigger of python -m jobs' own runs: skipped on Drive's version alone when unchanged
UNKNOWN_STARTER = "ไม่ทราบ"  # a run recorded before the store kept who started it
STARTER_NAMES = {"scheduler": "ตัวตั้งเวลา (scheduler)", "api": "API"}


@dataclass(frozen=True)
class RunRecord:
    """One run of a job: when, on which workbook, how it ended and what it counted."""

    id: int
    job: str
    workbook: str
    trigger: str
    started: datetime
    finished: datetime | None
    status: str  # running | ok | failed
    counts: dict[str, int]
    error: str | None
    summary: dict = field(default_factory=dict)  # what the workflow reported for pages (stage counts, targets…);
    # {} unless the store was asked for it (with_summary)
    started_by: str | None = None  # "scheduler", the OS user of a command, the signed-in user, "api"; None: not
    # recorded (runs from before the store kept it)

    @property
    def starter(self) -> str:
        """Who started the run, for people: the user's name, `ตัวตั้งเวลา (scheduler)`, or `ไม่ทราบ` (unknown)."""
        if self.started_by is None:
            return UNKNOWN_STARTER
        return STARTER_NAMES.get(self.started_by, self.started_by)

    @property
    def duration(self) -> timedelta | None:
        """How long the run took (None while it is running)."""
        return self.finished - self.started if self.finished else None


@dataclass(frozen=True)
class LogLine:
    """One line of a run's log, as the web page shows it."""

    at: datetime
    level: str
    message: str
