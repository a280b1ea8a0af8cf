"""The I/O around workflow A's pure run: the token secret, the sent-mail log, the reference form's answers read
through the Forms API, and sending the reference and applicant mails that are due."""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from app.assessment.context import AssessmentContext
from app.assessment import applicant_mail, reference_mail
from app.assessment.form_responses import LATE_ARRIVALS, current_responses, prefill_form, responses_grid
from app.assessment.sheet_ledger import links_sent, sheet_ledger
from app.assessment.workflow import AssessmentWorkflow
from app.mail.delivery import allowance, budget_frees_at, deliver, mail_states
from app.mail.mail_log import MailState, OutgoingMail
from app.sheets.grid import Grid
from app.sheets.problems import RowProblem
from app.sync.workflow import JobSpec, RunContext, RunResources


def links_asked_key(job: JobSpec) -> str:
    """Where `forms prepare` notes when it added the link questions to the job's reference form: answers given
    before then carry no token and are still known by their collected email."""
    return f"{job.namespace}form:{job.reference_form_id}:links-asked"


class AssessmentSupport:
    """RunSupport of workflow A for one job; its mail keys and form watermark live under the job's namespace."""

    sends_mail = True

    def __init__(self, workflow: AssessmentWorkflow, job: JobSpec, resources: RunResources) -> None:
        self.workflow, self.job, self.resources = workflow, job, resources
        self.form = resources.form_source(job.reference_form_id) if job.reference_form_id else None
        self.form_key = f"{job.namespace}form:{job.reference_form_id}"
        self.sheet_log: dict[str, MailState] = {}

    def context(self, ctx: RunContext, grids: dict[str, Grid], dry_run: bool) -> AssessmentContext:
        """Nothing to add before the first applicant; then the secret, the mail log and the form's answers."""
        ctx = AssessmentContext.of(ctx)
        if not self.workflow.has_applicants(grids):
            return ctx
        tracking, summary = self.workflow.spec.tab("reference_tracking"), self.workflow.spec.tab("summary")
        self.sheet_log = sheet_ledger(tracking, grids.get(tracking.title), ctx.now) | \
            applicant_mail.summary_ledger(summary, grids.get(summary.title), ctx.now)
        secret = self.resources.token_secret(links_sent(tracking, grids.get(tracking.title)))
        ctx = replace(ctx, token_secret=secret, mail_log=self._mail_log(), **self._budget(ctx))
        if self.form is None:
            return ctx
        tab = self.workflow.spec.tab("reference_form")
        answers = current_responses(self.form, self.resources.store, self.form_key,
                                    full=self.resources.full_reconcile, dry_run=dry_run)
        grid = responses_grid(answers, self.form.questions(), tab, ctx.now.tzinfo)
        return replace(ctx, form_grids={tab.key: grid}, forms={tab.key: prefill_form(self.form, tab)},
                       links_asked_since=self.resources.store.watermark(links_asked_key(self.job)))

    def input_mark(self) -> str | None:
        """The job's part of the sent-mail log, as a short text that changes with every claim and settlement."""
        marks = [self.resources.store.mails_mark(self.job.namespace + prefix)
                 for prefix in (reference_mail.PREFIX, applicant_mail.PREFIX)]
        return None if None in marks else "|".join(marks)

    def new_answers(self) -> bool:
        """Answers the run store does not hold yet, asked for the way the run asks (from a little before the
        watermark: late arrivals), without reading the form's questions."""
        if self.form is None:
            return False
        store = self.resources.store
        watermark = store.watermark(self.form_key)
        if watermark is None:
            return True
        known = {(r.response_id, r.submitted) for r in store.stored_responses(self.form_key)}
        return bool(self.form.answer_stamps_since(watermark - LATE_ARRIVALS) - known)

    def form_revision(self) -> str:
        """The reference form's revision, read with its questions (once per run)."""
        return self.form.revision() if self.form is not None else ""

    def problem_link(self, problem: RowProblem) -> None:
        """None: every problem is in the job's own workbook (a form's answers read by API have no cell)."""
        return None

    def deliver(self, mails: Sequence[OutgoingMail], ctx: AssessmentContext) -> tuple[AssessmentContext,
                                                                                        dict[str, int]]:
        """Send within the daily budget; the context with the log as it is now, and the log's mark taken just before
        it was read (a change after that shows in the next run's mark)."""
        res = self.resources
        counts = deliver(mails, res.store, res.mailer, res.sender, res.daily_budget, ctx.now, self.job.namespace)
        mark = self.input_mark()
        return replace(ctx, local_mark=mark, mail_log=self._mail_log(), **self._budget(ctx)), counts

    def _budget(self, ctx: AssessmentContext) -> dict:
        """What the daily budget lets go now, and when it next lets a mail go if it is spent."""
        store, budget = self.resources.store, self.resources.daily_budget
        return {"mail_allowance": allowance(store, budget, ctx.now),
                "mail_budget_frees": budget_frees_at(store, budget, ctx.now)}

    def _mail_log(self):
        """Reference and applicant mail of this job, the run store's ledger over what the tracking tab shows as sent
        (the store knows better when it knows; the tab still knows after the store was lost)."""
        store, namespace = self.resources.store, self.job.namespace
        return self.sheet_log | mail_states(store, reference_mail.PREFIX, namespace) | \
            mail_states(store, applicant_mail.PREFIX, namespace)
