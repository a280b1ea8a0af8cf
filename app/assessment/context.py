"""What workflow A's run support reads for a run, handed to the pure workflow with the time."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

from app.assessment.reference_links import PrefillForm
from app.mail.mail_log import MailState
from app.sheets.grid import Grid
from app.sync.workflow import RunContext


@dataclass(frozen=True)
class AssessmentContext(RunContext):
    """The run's time, and what AssessmentSupport read for it (no I/O here)."""

    token_secret: bytes | None = field(default=None, repr=False)  # signs the personal links in mails
    mail_log: Mapping[str, MailState] = field(default_factory=dict)  # the sent-mail log of this job's keys
    form_grids: Mapping[str, Grid] = field(default_factory=dict)  # tab key → a form's answers read by API, as a tab
    forms: Mapping[str, PrefillForm] = field(default_factory=dict)  # tab key → the form behind it, for links
    mail_allowance: int | None = None  # mails the daily budget still lets go this run (None: no limit)
    mail_budget_frees: datetime | None = None  # when a spent daily budget next lets a mail go (None: not spent)
    links_asked_since: datetime | None = None  # when `forms prepare` added the link questions to the reference form

    @classmethod
    def of(cls, ctx: RunContext) -> "AssessmentContext":
        """The context as given, or a bare one with the time only (a run without support: nothing read yet)."""
        return ctx if isinstance(ctx, cls) else cls(now=ctx.now)
