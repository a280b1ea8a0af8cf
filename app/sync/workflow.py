"""What a workflow hands back to the sync service: service tabs to write and the problems it found."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Callable, Protocol, Sequence

from app.mail.mail_log import OutgoingMail
from app.sheets.grid import Grid, TabStyle
from app.sheets.layout import WorkbookSpec
from app.sheets.problems import RowProblem
from app.sync.ports import FormSource, Mailer, Workbook


@dataclass(frozen=True)
class ServiceTab:
    """The whole desired content of one service tab (header in row 1) and its look."""

    title: str
    header: tuple[str, ...]
    rows: Grid
    style: TabStyle

    def grid(self) -> Grid:
        """Header row then data rows, as the sheet should hold them (the rows themselves, not copies: read only)."""
        return [list(self.header), *self.rows]


@dataclass
class WorkflowResult:
    """Output of one workflow run before it is diffed and written."""

    tabs: list[ServiceTab]
    problems: list[RowProblem]
    rows_read: int
    notes: list[str] = field(default_factory=list)  # short lines for the run log
    summary: dict = field(default_factory=dict)  # JSON-ready figures for the web pages (no personal data)
    mails: list[OutgoingMail] = field(default_factory=list)  # due now, as many as the budget lets go: sync sends them
    mails_waiting: int = 0  # mails due now in all, counting those the budget leaves for a later run
    stable_until: datetime | None = None  # the tabs stay as computed until then unless an input changes (None: no
    # promise, e.g. mail waits for the budget); a scheduled run may be skipped before it when nothing changed


@dataclass(frozen=True)
class RunContext:
    """What every workflow may know about the run: the time (Asia/Bangkok). A kind's RunSupport may hand its
    workflow a subclass carrying what it read for the run (workflow A: secret, mail log, form answers)."""

    now: datetime
    local_mark: str | None = None  # RunSupport.input_mark taken after a delivery, before the log was read again


def next_midnight(now: datetime) -> datetime:
    """The start of the next local day: day counts, overdue flags and "today" checks move then."""
    return datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)


class Workflow(Protocol):
    """One workflow of the spec: which tabs it reads and how it turns them into service tabs."""

    spec: WorkbookSpec  # its workbook layout (required tabs, header rows)

    def tabs_to_read(self, titles: Sequence[str]) -> list[str]:
        """The existing officer tabs this workflow needs, by their titles in this workbook."""

    def service_titles(self) -> list[str]:
        """Titles of the service tabs this workflow writes (read back to diff against)."""

    def run(self, grids: dict[str, Grid], ctx: RunContext) -> WorkflowResult:
        """Compute the service tabs from the tabs read (pure: no I/O)."""


class RunSupport(Protocol):
    """The I/O around a workflow's pure run, which the sync service calls inside the workbook lock."""

    sends_mail: bool  # False: the run reads only, and its record counts no mail

    def context(self, ctx: RunContext, grids: dict[str, Grid], dry_run: bool) -> RunContext:
        """The context completed: secrets, the sent-mail log, form answers read through an API."""

    def input_mark(self) -> str | None:
        """A text that changes whenever what the support reads locally changes (the sent-mail log); None when it
        may change with time alone. No request."""

    def new_answers(self) -> bool:
        """Whether a form read through an API has answers the last run did not see (at most one request)."""

    def form_revision(self) -> str:
        """The revision of the form read through an API ("" without one): one request, none once the run read the
        form's questions."""

    def problem_link(self, problem: RowProblem) -> str | None:
        """Where a problem found in a workbook the support read (not the run's own) opens, for the web page: a
        Google Sheets URL or `file.xlsx › tab!A1`; None for a tab it did not read."""

    def deliver(self, mails: Sequence[OutgoingMail], ctx: RunContext) -> tuple[RunContext, dict[str, int]]:
        """Send what the budget allows, each mail at most once; the context with the new log, and counts (`sent`,
        `failed`, `refused`: keys another run holds)."""


@dataclass(frozen=True)
class JobSpec:
    """One configured job as its kind sees it: the job's name and the options its kind reads."""

    name: str
    kind: str
    program: str | None = None  # reporting: the targets file in sheets_schema/programs/
    reference_form_id: str | None = None  # assessment: the form read by the Forms API (None on a --workbook file)
    activities: tuple[str, ...] = ()  # program: the reporting jobs whose spreadsheets it reads

    @property
    def namespace(self) -> str:
        """Prefix of this job's keys in the shared run store (sent mail, form watermarks). The job named after its
        kind keeps the bare keys of the single-job versions, so an upgraded service never resends a mail."""
        return "" if self.name == self.kind else f"{self.name}/"


@dataclass(frozen=True)
class RunResources:
    """What the composition root lends a kind's run support; each is opened only when called."""

    store: Any  # the run-state store: sent-mail ledger, form answers and watermarks
    token_secret: Callable[[bool], bytes]  # given whether links signed with it already went out
    mailer: Callable[[], Mailer]
    form_source: Callable[[str], FormSource]
    sender: str
    daily_budget: int
    full_reconcile: bool = False  # read every form answer again, not only the new ones
    job_workbook: Callable[[str], tuple[Workbook, str, WorkbookSpec]] | None = None  # another job's workbook, its
    # lock key and its layout, to read only (a program job reads its activities' spreadsheets)
    accept_emptied: bool = False  # a tab emptied or removed on purpose does not stop the run


@dataclass(frozen=True)
class WorkflowKind:
    """How one kind of workflow is built: its layout in sheets_schema/, the workflow, and its I/O around a run."""

    name: str
    schema: str
    build: Callable[[WorkbookSpec, JobSpec], Workflow]
    support: Callable[[Workflow, JobSpec, RunResources], RunSupport | None] = lambda _w, _j, _r: None
    needs_token_secret: bool = False  # its runs sign personal links
