"""The one place that picks adapters: Google or local workbook, which mailer, where run state lives."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.adapters.form_sources import GoogleFormSource
from app.adapters.google_auth import KeySource
from app.adapters.google_sheets import GoogleWorkbook, sheets_http_client
from app.adapters.retry import RetryPolicy
from app.adapters.run_state import RunStore
from app.adapters.xlsx_workbook import XlsxWorkbook
from app.config import ConfigError, Settings
from app.ports import Workbook
from app.schema import load_workbook_spec, recognise_workbook
from app.services.assessment import AssessmentWorkflow
from app.services.sync import Progress, SyncOutcome, sync
from app.services.workflow import RunContext, Workflow

WORKFLOW_CLASSES = {"assessment": AssessmentWorkflow}


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

    def workflow(self, name: str) -> Workflow:
        """The workflow called `name`, with its workbook layout loaded from sheets_schema/."""
        if name not in WORKFLOW_CLASSES:
            raise ConfigError(f"unknown workflow {name!r}: choose one of {', '.join(WORKFLOW_CLASSES)}")
        return WORKFLOW_CLASSES[name](load_workbook_spec(name))

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

    def recognise(self, path: Path) -> str:
        """Which workflow a local workbook belongs to, from its tab titles."""
        name = recognise_workbook(XlsxWorkbook(path).tab_titles())
        if name not in WORKFLOW_CLASSES:
            raise ConfigError(f"{path.name}: its tabs match no known workbook layout; name the workflow "
                              f"({', '.join(WORKFLOW_CLASSES)})")
        return name

    def run(self, name: str, *, path: Path | None = None, trigger: str = "manual", dry_run: bool = False,
            progress: Progress = lambda _m: None) -> SyncOutcome:
        """Run one workflow now on its workbook."""
        workflow = self.workflow(name)
        workbook, lock_key = self.workbook(name, path)
        return sync(workflow, workbook, self.store, RunContext(now=self.now()), lock_key=lock_key,
                    trigger=trigger, dry_run=dry_run, progress=progress)


def bootstrap(settings: Settings, key_source: KeySource | None = None, clock=None) -> Services:
    """Build the services from settings; nothing talks to Google until a run asks for it."""
    settings.state_db.parent.mkdir(parents=True, exist_ok=True)
    return Services(settings, RunStore(settings.state_db), key_source, clock)
