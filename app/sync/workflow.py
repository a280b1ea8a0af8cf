"""What a workflow hands back to the sync service: service tabs to write and the problems it found."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Protocol, Sequence

from app.sheets.grid import Grid, TabStyle
from app.mail.mail_log import MailState, OutgoingMail
from app.sheets.problems import RowProblem
from app.assessment.reference_links import PrefillForm


@dataclass(frozen=True)
class ServiceTab:
    """The whole desired content of one service tab (header in row 1) and its look."""

    title: str
    header: tuple[str, ...]
    rows: Grid
    style: TabStyle

    def grid(self) -> Grid:
        """Header row then data rows, as the sheet should hold them."""
        return [list(self.header)] + [list(r) for r in self.rows]


@dataclass
class WorkflowResult:
    """Output of one workflow run before it is diffed and written."""

    tabs: list[ServiceTab]
    problems: list[RowProblem]
    rows_read: int
    notes: list[str] = field(default_factory=list)  # short lines for the run log
    summary: dict = field(default_factory=dict)  # JSON-ready figures for the web pages (no personal data)
    mails: list[OutgoingMail] = field(default_factory=list)  # due now; sync has them sent, then runs once more


@dataclass(frozen=True)
class RunContext:
    """What a workflow may know about the run: the time (Asia/Bangkok) and what RunSupport read for it (no I/O)."""

    now: datetime
    token_secret: bytes | None = field(default=None, repr=False)  # signs the personal links in mails
    mail_log: Mapping[str, MailState] = field(default_factory=dict)  # the sent-mail log of this workflow's keys
    form_grids: Mapping[str, Grid] = field(default_factory=dict)  # tab key → a form's answers read by API, as a tab
    forms: Mapping[str, PrefillForm] = field(default_factory=dict)  # tab key → the form behind it, for links


class Workflow(Protocol):
    """One workflow of the spec: which tabs it reads and how it turns them into service tabs."""

    name: str
    workbook: str  # schema name in sheets_schema/

    def tabs_to_read(self, titles: Sequence[str]) -> list[str]:
        """The existing officer tabs this workflow needs, by their titles in this workbook."""

    def service_titles(self) -> list[str]:
        """Titles of the service tabs this workflow writes (read back to diff against)."""

    def run(self, grids: dict[str, Grid], ctx: RunContext) -> WorkflowResult:
        """Compute the service tabs from the tabs read (pure: no I/O)."""


class RunSupport(Protocol):
    """The I/O around a workflow's pure run, which the sync service calls inside the workbook lock."""

    def context(self, ctx: RunContext, grids: dict[str, Grid], dry_run: bool) -> RunContext:
        """The context completed: secrets, the sent-mail log, form answers read through an API."""

    def deliver(self, mails: Sequence[OutgoingMail], ctx: RunContext) -> tuple[RunContext, dict[str, int]]:
        """Send what the budget allows, each mail at most once; the context with the new log, and counts."""
