"""The one place that picks adapters: Google or local workbook, which mailer, where run state lives."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.adapters.google.forms import GoogleFormSource
from app.adapters.google.auth import KeySource
from app.adapters.google.sheets import GoogleWorkbook, sheets_http_client
from app.adapters.mailers import GmailMailer, OutboxMailer, SmtpMailer
from app.adapters.google.retry import RetryPolicy
from app.adapters.state.run_store import RunStore
from app.adapters.state.secret_file import installation_secret
from app.adapters.xlsx import XlsxWorkbook
from app.config import ConfigError, Settings
from app.reporting.rules_files import DEFAULT_PROGRAM, load_reporting_rules
from app.logging_setup import run_logging
from app.sync.ports import Mailer, Workbook
from app.sheets.layout_files import SchemaError, load_workbook_spec, recognise_workbook
from app.assessment.workflow import AssessmentWorkflow
from app.assessment.support import AssessmentSupport
from app.reporting.workflow import ReportingWorkflow
from app.sync.engine import Progress, SyncOutcome, sync
from app.sync.workflow import RunContext, RunSupport, Workflow

WORKFLOW_CLASSES = {"assessment": AssessmentWorkflow, "reporting": ReportingWorkflow}


@dataclass
class Services:
    """Everything the CLI, the scheduler and the web app need, built once from the settings."""

    settings: Settings
    store: RunStore
    key_source: KeySource | None = None  # a key dict in tests; else the configured key file
    clock: Any = field(default=None)  # callable returning an aware datetime; tests pin it

    def now(self) -> datetime:
        """The current time in the configured zone (Asia/Bangkok)."""
        return self.clock() if self.clock else datetime.now(ZoneInfo(self.settings.timezone))

    def workflow(self, name: str, path: Path | None = None) -> Workflow:
        """The workflow called `name`, with its workbook layout loaded from sheets_schema/."""
        if name not in WORKFLOW_CLASSES:
            raise ConfigError(f"unknown workflow {name!r}: choose one of {', '.join(WORKFLOW_CLASSES)}")
        if name == "assessment":
            forms = ("reference_form",) if self.reference_form_id(name, path) else ()
            return AssessmentWorkflow(load_workbook_spec(name), form_tabs=forms)
        config = self.settings.workflows.get(name)  # reporting: its program's targets, from the config
        try:
            rules = load_reporting_rules((config and config.program) or DEFAULT_PROGRAM)
        except SchemaError as exc:
            raise ConfigError(str(exc)) from None
        return ReportingWorkflow(load_workbook_spec(name), rules)

    def retry_policy(self) -> RetryPolicy:
        """Bounded retry as configured."""
        return RetryPolicy(attempts=self.settings.google.max_attempts, base_delay=self.settings.google.backoff_base)

    def workbook(self, name: str, path: Path | None = None) -> tuple[Workbook, str]:
        """The workbook for a workflow and its lock key: the given .xlsx, else the configured backend."""
        config = self.settings.workflows.get(name)
        path = path or (config.workbook if config else None)
        if path is not None:
            return XlsxWorkbook(Path(path)), f"xlsx:{Path(path).resolve()}"
        if config is None or not config.spreadsheet_id:
            raise ConfigError(f"workflow {name!r} has no workbook: set workflows.{name}.spreadsheet_id "
                              f"or workflows.{name}.workbook in the config, or pass --workbook FILE.xlsx")
        key = self.key_source or self.settings.credentials_path()
        http = sheets_http_client(key, self.settings.google)
        return GoogleWorkbook(config.spreadsheet_id, http, self.retry_policy()), f"sheets:{config.spreadsheet_id}"

    def form_source(self, form_id: str) -> GoogleFormSource:
        """A Google Form read through the Forms API."""
        return GoogleFormSource(form_id, self.key_source or self.settings.credentials_path(), self.settings.google)

    def reference_form_id(self, name: str, path: Path | None) -> str | None:
        """The configured reference form, read by the Forms API unless the run is on a --workbook file."""
        config = self.settings.workflows.get(name)
        return config.reference_form_id if config is not None and path is None else None

    def mailer(self) -> Mailer:
        """The mailer of `mail.backend`: outbox folder (default), SMTP relay or Gmail API."""
        mail = self.settings.mail
        if mail.backend == "smtp":
            password = self.settings.smtp_password.get_secret_value() if self.settings.smtp_password else None
            return SmtpMailer(mail.smtp_host, mail.smtp_port, mail.smtp_starttls, mail.smtp_username, password)
        if mail.backend == "gmail":
            key = self.key_source or self.settings.credentials_path()
            return GmailMailer(key, mail.gmail_delegated_user, self.settings.google)
        return OutboxMailer(mail.outbox_dir)

    def token_secret(self, name: str, path: Path | None) -> bytes:
        """REFERENCE_TOKEN_SECRET; without it a local run keeps a random secret beside the run state, and a
        Google run refuses (links already sent must keep verifying wherever the service is redeployed)."""
        if self.settings.reference_secret is not None:
            return self.settings.reference_secret.get_secret_value().encode()
        config = self.settings.workflows.get(name)
        if path is None and config is not None and config.spreadsheet_id:
            raise ConfigError("REFERENCE_TOKEN_SECRET is not set: set it in the environment to a long random text "
                              "(python -c 'import secrets; print(secrets.token_hex(32))') and keep it unchanged")
        return installation_secret(self.settings.state_db.parent / "reference-secret")

    def support(self, name: str, workflow: Workflow, path: Path | None, full_reconcile: bool) -> RunSupport | None:
        """The I/O a workflow needs around its pure run (workflow A: secret, sent-mail log, Forms API, mail)."""
        if not isinstance(workflow, AssessmentWorkflow):
            return None
        form_id = self.reference_form_id(name, path)
        return AssessmentSupport(workflow, self.store, lambda: self.token_secret(name, path), self.mailer,
                                 self.settings.mail.sender, self.settings.mail.daily_budget,
                                 self.form_source(form_id) if form_id else None, f"form:{form_id}", full_reconcile)

    def recognise(self, path: Path) -> str:
        """Which workflow a local workbook belongs to, from its tab titles."""
        name = recognise_workbook(XlsxWorkbook(path).tab_titles())
        if name not in WORKFLOW_CLASSES:
            raise ConfigError(f"{path.name}: its tabs match no known workbook layout; name the workflow "
                              f"({', '.join(WORKFLOW_CLASSES)})")
        return name

    def run(self, name: str, *, path: Path | None = None, trigger: str = "manual", dry_run: bool = False,
            full_reconcile: bool = False, progress: Progress = lambda _m: None) -> SyncOutcome:
        """Run one workflow now on its workbook (`full_reconcile`: read every form answer again)."""
        workflow = self.workflow(name, path)
        workbook, lock_key = self.workbook(name, path)
        with run_logging(self.store) as store:  # every log line of the run carries its run id
            return sync(workflow, workbook, store, RunContext(now=self.now()), lock_key=lock_key,
                        trigger=trigger, dry_run=dry_run, progress=progress,
                        support=self.support(name, workflow, path, full_reconcile))


def bootstrap(settings: Settings, key_source: KeySource | None = None, clock=None) -> Services:
    """Build the services from settings; nothing talks to Google until a run asks for it."""
    settings.state_db.parent.mkdir(parents=True, exist_ok=True)
    return Services(settings, RunStore(settings.state_db), key_source, clock)
