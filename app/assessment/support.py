"""The I/O around workflow A's pure run: the token secret, the sent-mail log, the reference form's answers read
through the Forms API, and sending the reference mails that are due."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from app.sheets.grid import Grid
from app.mail.mail_log import OutgoingMail
from app.assessment.reference_mail import PREFIX
from app.sync.ports import Mailer
from app.assessment.workflow import AssessmentWorkflow
from app.assessment.form_responses import ReferenceForm, current_responses, prefill_form, responses_grid
from app.mail.delivery import deliver, mail_states
from app.sync.workflow import RunContext


class AssessmentSupport:
    """RunSupport of workflow A; `store` is the run-state store (sent-mail log, stored form answers)."""

    def __init__(self, workflow: AssessmentWorkflow, store, secret: Callable[[], bytes], mailer: Callable[[], Mailer],
                 sender: str, daily_budget: int, form: ReferenceForm | None = None, form_key: str = "",
                 full_reconcile: bool = False) -> None:
        self.workflow, self.store, self.secret, self.mailer = workflow, store, secret, mailer
        self.sender, self.daily_budget = sender, daily_budget
        self.form, self.form_key, self.full_reconcile = form, form_key, full_reconcile

    def context(self, ctx: RunContext, grids: dict[str, Grid], dry_run: bool) -> RunContext:
        """Nothing to add before the first applicant; then the secret, the mail log and the form's answers."""
        if not self.workflow.has_applicants(grids):
            return ctx
        ctx = replace(ctx, token_secret=self.secret(), mail_log=mail_states(self.store, PREFIX))
        if self.form is None:
            return ctx
        tab = self.workflow.spec.tab("reference_form")
        answers = current_responses(self.form, self.store, self.form_key, full=self.full_reconcile, dry_run=dry_run)
        grid = responses_grid(answers, self.form.questions(), tab, ctx.now.tzinfo)
        return replace(ctx, form_grids={tab.key: grid}, forms={tab.key: prefill_form(self.form, tab)})

    def deliver(self, mails: Sequence[OutgoingMail], ctx: RunContext) -> tuple[RunContext, dict[str, int]]:
        """Send within the daily budget; the context with the log as it is now."""
        counts = deliver(mails, self.store, self.mailer, self.sender, self.daily_budget, ctx.now)
        return replace(ctx, mail_log=mail_states(self.store, PREFIX)), counts
