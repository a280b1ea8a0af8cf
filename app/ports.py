"""Ports: what services need from the outside world. Adapters implement them; services depend only on these."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol, Sequence, Union

# A cell as both backends read it: numbers and dates unformatted (dates as serial days since 1899-12-30),
# text as text, booleans as bool, empty as None. Trailing empty cells and rows are trimmed, as Google does.
Cell = Union[str, int, float, bool, None]
Grid = list[list[Cell]]


class BackendError(Exception):
    """The backend failed (network, quota after bounded retries, permissions): the run fails with exit 1."""


class TabNotFound(BackendError):
    """A tab that the caller asked to read does not exist."""


@dataclass(frozen=True)
class RangeWrite:
    """A rectangle of values written from (row, col), both 1-based, in one tab. Text is always written RAW."""

    tab: str
    row: int
    col: int
    values: Grid


@dataclass(frozen=True)
class StatusColour:
    """Background colour for cells of a column whose text starts with `prefix` (a conditional format)."""

    column: int  # 1-based
    prefix: str
    rgb: str  # "RRGGBB"


@dataclass(frozen=True)
class TabStyle:
    """How a service tab looks: frozen header, warning-only protection, number formats, status colours."""

    title: str
    columns: int  # width of the tab's header
    frozen_rows: int = 1
    number_formats: dict[int, str] = field(default_factory=dict)  # 1-based column → pattern, e.g. "#,##0.00"
    status_colours: tuple[StatusColour, ...] = ()

    def signature(self) -> str:
        """A short stable text that changes whenever the style does (lets adapters skip re-styling)."""
        import hashlib

        text = repr((self.columns, self.frozen_rows, sorted(self.number_formats.items()), self.status_colours))
        return hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class WriteStats:
    """What one write did: requests sent, cells written, tabs created or re-styled."""

    requests: int = 0
    cells: int = 0
    tabs_created: tuple[str, ...] = ()
    tabs_styled: tuple[str, ...] = ()


class Workbook(Protocol):
    """A spreadsheet: Google Sheets or a local .xlsx file."""

    @property
    def label(self) -> str:
        """A human name for logs and pages (the file name or the spreadsheet title)."""

    def tab_titles(self) -> list[str]:
        """Titles of all tabs, in order (cached metadata; no data read)."""

    def read(self, titles: Sequence[str]) -> dict[str, Grid]:
        """Read whole tabs in one batched call. Raises TabNotFound if a title does not exist."""

    def write(self, writes: Sequence[RangeWrite], styles: Sequence[TabStyle] = ()) -> WriteStats:
        """Create missing styled tabs, (re)apply styles that changed, and write ranges, in as few calls as possible."""

    def cell_link(self, tab: str, row: int, col: int) -> str:
        """Where an officer finds a cell: a Google Sheets URL or `file.xlsx › tab!A1`."""


@dataclass(frozen=True)
class FormQuestion:
    """One question of a form: its id (hex, as Forms API gives it), title and kind."""

    question_id: str
    title: str
    kind: str  # text | choice | scale | date | time | grid-row | other


@dataclass(frozen=True)
class FormResponse:
    """One submitted response: answers keyed by question title (the header the officer sees)."""

    response_id: str
    submitted: datetime  # timezone-aware UTC
    respondent_email: str | None
    answers: dict[str, str]


class FormSource(Protocol):
    """A Google Form (Forms API) or, locally, its responses tab."""

    def questions(self) -> list[FormQuestion]:
        """The form's questions in order."""

    def responses_since(self, watermark: datetime | None) -> list[FormResponse]:
        """Responses submitted strictly after the watermark (all when None), oldest first."""


class Mailer(Protocol):
    """Sends one message; raises BackendError when it could not."""

    def send(self, message: EmailMessage) -> str:
        """Send and return an id (Gmail message id, SMTP queue id or outbox file name)."""
