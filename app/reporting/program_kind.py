"""How a job of kind `program` is built, and how it reads its activities' spreadsheets.

Each activity's spreadsheet is read, never written: its metadata (one `spreadsheets.get`, or the .xlsx file's tab
list) and the tabs its reporting job would read, in one `values:batchGet` — two requests per activity on Google. No
activity's lock is taken: a program only reads, and what it reads is consistent (one batchGet is one snapshot; a
local save replaces the .xlsx file whole), so it may run while an activity's own job runs. A spreadsheet that cannot
be read stops the program's run before anything is written, with one line naming the activity's job.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from app.errors import BackendError, ConfigError
from app.mail.mail_log import OutgoingMail
from app.reporting.program import (ACTIVITY_INPUTS, IN_ACTIVITY, ActivityTabs, ProgramContext, ProgramWorkflow,
                                   load_program_layout)
from app.reporting.rules_files import DEFAULT_PROGRAM, load_reporting_rules
from app.reporting.workflow import ReportingWorkflow
from app.sheets.grid import Grid
from app.sheets.layout import WorkbookSpec
from app.sheets.problems import RowProblem
from app.sync.ports import Workbook
from app.sync.problem_tab import problem_cell
from app.sync.workflow import JobSpec, RunContext, RunResources, WorkflowKind


class ActivityUnreadable(BackendError):
    """An activity's spreadsheet could not be read (not found, not shared, Google down): nothing was written."""


class ProgramSupport:
    """Reads every activity's unit tabs for the run (inside the program's own workbook lock)."""

    sends_mail = False  # the run counts no mail

    def __init__(self, job: JobSpec, resources: RunResources) -> None:
        self.job, self.resources = job, resources
        self.rules = load_reporting_rules(job.program or DEFAULT_PROGRAM)
        self._read: dict[str, tuple[Workbook, dict[str, Grid]]] = {}  # activity label → its workbook and tabs read

    def context(self, ctx: RunContext, grids: dict[str, Grid], dry_run: bool) -> RunContext:
        if not self.job.activities:  # `sync program --workbook FILE` with no program job configured
            raise ConfigError(f"job {self.job.name!r} lists no activities: configure [jobs.NAME] with kind = "
                              "\"program\" and activities = [\"<reporting job>\", …], then sync NAME")
        previous = self.resources.store.last_ok_summary(self.job.name, ACTIVITY_INPUTS) or {}
        read: list[ActivityTabs] = []
        for name in self.job.activities:
            activity, workbook = self._activity(name, previous.get(name))
            if activity.label in {a.label for a in read}:  # two spreadsheets of one title: told apart by job
                activity = replace(activity, label=f"{activity.label} ({name})")
            read.append(activity)
            self._read[activity.label] = workbook, activity.grids
        return ProgramContext(now=ctx.now, activities=tuple(read), accept_emptied=self.resources.accept_emptied)

    def problem_link(self, problem: RowProblem) -> str | None:
        """A problem on `<activity> › <tab>` opens in that activity's spreadsheet."""
        for label, (workbook, grids) in self._read.items():
            if problem.tab.startswith(label + IN_ACTIVITY):
                tab = problem.tab.removeprefix(label + IN_ACTIVITY)
                where = problem_cell(replace(problem, tab=tab), grids)
                return workbook.cell_link(tab, *where) if where else None
        return None

    def _activity(self, name: str, previous: dict | None) -> tuple[ActivityTabs, Workbook]:
        try:
            workbook, place, spec = self.resources.job_workbook(name)
            titles = workbook.tab_titles()
            mine = set(workbook.owned_tabs().values())
            wanted = [t for t in ReportingWorkflow(spec, self.rules).tabs_to_read(titles) if t not in mine]
            grids = workbook.read(wanted)
        except BackendError as exc:
            raise ActivityUnreadable(
                f"อ่านสเปรดชีตของกิจกรรม {name} ไม่ได้ ไม่ได้เขียนอะไร (program {self.job.name}: activity job {name!r} "
                f"cannot be read: {exc}; share its spreadsheet with the service account or fix jobs.{name} in the "
                "config, then run again; nothing was written)") from exc
        label = workbook.label.removesuffix(".xlsx")
        return ActivityTabs(name, label, spec, grids, place, previous), workbook

    def input_mark(self) -> None:
        """None: the activities' spreadsheets may change while the program's does not, so no run is skipped."""
        return None

    def new_answers(self) -> bool:
        return False

    def form_revision(self) -> str:
        return ""

    def deliver(self, mails: Sequence[OutgoingMail], ctx: RunContext) -> tuple[RunContext, dict[str, int]]:
        return ctx, {}


def _build(spec: WorkbookSpec, job: JobSpec) -> ProgramWorkflow:
    return ProgramWorkflow(load_program_layout(spec), spec, load_reporting_rules(job.program or DEFAULT_PROGRAM))


def _support(_workflow: ProgramWorkflow, job: JobSpec, resources: RunResources) -> ProgramSupport:
    return ProgramSupport(job, resources)


# its layout is workbook B's: the summary columns and the province order come from it
PROGRAM = WorkflowKind("program", schema="reporting", build=_build, support=_support)
