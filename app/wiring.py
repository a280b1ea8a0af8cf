"""The one place that picks adapters: Google or local workbook, which mailer, where run state lives."""
from __future__ import annotations

import hashlib
import logging
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from app.adapters.google.auth import KeptKey, KeySource, service_account_key
from app.adapters.google.drive import DriveVersions
from app.adapters.google.forms import GoogleFormEditor, GoogleFormSource
from app.adapters.google.retry import RetryPolicy
from app.adapters.google.sheets import GoogleWorkbook, sheets_http_client
from app.adapters.mailers import GmailMailer, OutboxMailer, SmtpMailer
from app.adapters.state import backup as state_backup
from app.adapters.state.db import migrate
from app.adapters.state.run_store import RunStore
from app.adapters.state.secret_file import installation_secret
from app.adapters.xlsx import XlsxWorkbook, create_xlsx
from app.assessment.kind import ASSESSMENT
from app.config import JobSettings, Settings
from app.errors import ConfigError, ServiceError
from app.logging_setup import run_logging
from app.reporting.kind import REPORTING
from app.reporting.program_kind import PROGRAM
from app.sheets.layout import WorkbookSpec
from app.sheets.layout_files import (SCHEMA_DIR, available_workbooks, load_overrides, load_workbook_spec,
                                    recognise_workbook)
from app.sheets.layout_roles import recognise_by_layout
from app.sheets.layout_overrides import apply_overrides
from app.sheets.tables import RecentlyTyped, typing_remembered
from app.sync.engine import SKIPPED, Progress, RunParts, SyncOutcome, sync
from app.sync.ports import SCHEDULED, Mailer, Workbook
from app.sync.seen_read import ChangeMark, SeenRead
from app.sync.workflow import JobSpec, RunContext, RunResources, RunSupport, Workflow, WorkflowKind

log = logging.getLogger(__name__)
KINDS: dict[str, WorkflowKind] = {kind.name: kind for kind in (ASSESSMENT, REPORTING, PROGRAM)}
SCHEDULER_HEARTBEAT = "scheduler"  # the name the scheduler beats under in the state store; the web app reads it
SCHEDULER_USER = "scheduler"  # who started a scheduled run, as the run history keeps it
TYPED_CELLS_KEPT = 3_000_000  # typed cells kept between runs: workbook A at 10,000 applicants and B's 22,000 rows


def files_digest(trees: tuple[tuple[Path, str], ...]) -> str:
    """A digest of every file matching each (folder, pattern), with its path in the folder."""
    digest = hashlib.blake2b(digest_size=12)
    for root, pattern in trees:
        for path in sorted(root.rglob(pattern)):
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The digest of the code and the rules files this process computes by (app/**/*.py, sheets_schema/), taken
    once: a process loads both once, so a run of another version (a CLI after an upgrade, beside a scheduler still on
    the old one) never takes the other's result for its own."""
    return files_digest(((Path(__file__).parent, "*.py"), (SCHEMA_DIR, "*.yaml")))


@dataclass
class Services:
    """Everything the CLI, the scheduler and the web app need, built once from the settings."""

    settings: Settings
    store: RunStore
    key_source: KeySource | None = None  # a key dict in tests; else the configured key file
    clock: Any = field(default=None)  # callable returning an aware datetime; tests pin it
    code_version: str = field(default_factory=code_digest)  # part of every change mark: another version computes
    _versions: DriveVersions | None = field(default=None, init=False, repr=False)  # kept: one token an hour
    _recognised: dict[str, str] = field(default_factory=dict, init=False, repr=False)  # job naming no kind → its kind
    _typed: RecentlyTyped = field(default_factory=lambda: RecentlyTyped(TYPED_CELLS_KEPT), init=False, repr=False)
    _signed_in: dict = field(default_factory=dict, init=False, repr=False)  # credentials kept across runs (KeptKey)

    def now(self) -> datetime:
        """The current time in the configured zone (Asia/Bangkok)."""
        return self.clock() if self.clock else datetime.now(ZoneInfo(self.settings.timezone))

    def job(self, name: str, path: Path | None = None) -> JobSettings:
        """The configured job `name`; on a --workbook file, a kind's name alone is a job of that kind."""
        config = self.settings.jobs.get(name)
        if config is None and path is not None and name in KINDS:
            return JobSettings(kind=name)
        if config is None:
            known = ", ".join(self.settings.jobs) or "none configured"
            raise ConfigError(f"unknown job {name!r} (jobs: {known}): add [jobs.{name}] with a kind to the config")
        return config

    def kind(self, name: str, path: Path | None = None, workbook: Workbook | None = None) -> WorkflowKind:
        """The workflow kind of job `name`. A job whose config names none is recognised from its workbook's tab titles
        as a local workbook is: from `workbook` when given (a run's own, whose metadata the run reads anyway), else
        as last recognised, else by opening the workbook to look."""
        kind = self.job(name, path).kind
        if kind is None:
            if workbook is not None or name not in self._recognised:
                self._recognised[name] = self._kind_from_titles(name, workbook or self.workbook(name, path)[0])
            kind = self._recognised[name]
        if kind not in KINDS:
            raise ConfigError(f"job {name!r}: unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
        return KINDS[kind]

    def job_spec(self, name: str, path: Path | None = None) -> JobSpec:
        """What the job's kind reads of its configuration (no form is read by API on a --workbook file)."""
        config = self.job(name, path)
        return JobSpec(name, self.kind(name, path).name, config.program,
                       config.reference_form_id if path is None else None, config.activities)

    def workflow(self, name: str, path: Path | None = None) -> Workflow:
        """The workflow of job `name`, with its workbook layout loaded from sheets_schema/ and the administrator's
        overrides of this job laid over it (layouts/<job>.yaml, written by `python -m app map`)."""
        kind = self.kind(name, path)
        return kind.build(self.layout(name, path), self.job_spec(name, path))

    def overrides_path(self, name: str) -> Path:
        """Where job `name`'s layout override file is."""
        return self.settings.layouts_dir / f"{name}.yaml"

    def layout(self, name: str, path: Path | None = None) -> WorkbookSpec:
        """Job `name`'s workbook layout with its overrides."""
        overrides = self.overrides_path(name)
        spec = load_workbook_spec(self.kind(name, path).schema)
        return apply_overrides(spec, load_overrides(overrides), str(overrides))

    def retry_policy(self) -> RetryPolicy:
        """Bounded retry as configured."""
        return RetryPolicy(attempts=self.settings.google.max_attempts, base_delay=self.settings.google.backoff_base)

    def place(self, name: str, path: Path | None = None) -> tuple[str, str]:
        """Job `name`'s workbook lock key and its name in the run record until the run reads it, from the config
        alone (no I/O). Jobs on one workbook share its lock, so their runs never overlap."""
        config = self.job(name, path)
        path = path or config.workbook
        if path is not None:
            return f"xlsx:{Path(path).resolve()}", Path(path).name
        if not config.spreadsheet_id:
            raise ConfigError(f"job {name!r} has no workbook: set jobs.{name}.spreadsheet_id "
                              f"or jobs.{name}.workbook in the config, or pass --workbook FILE.xlsx")
        return f"sheets:{config.spreadsheet_id}", config.spreadsheet_id

    def workbook(self, name: str, path: Path | None = None) -> tuple[Workbook, str]:
        """The workbook of job `name` and its lock key: the given .xlsx, else the configured backend."""
        lock_key, _ = self.place(name, path)
        config = self.job(name, path)
        path = path or config.workbook
        if path is not None:
            return XlsxWorkbook(Path(path), self.store), lock_key
        http = sheets_http_client(self.key(), self.settings.google)
        return GoogleWorkbook(config.spreadsheet_id, http, self.retry_policy(), cell_notes=config.cell_notes), lock_key

    def key(self) -> KeptKey:
        """The service-account key (the test's dict, else the configured file) with the credentials this process
        has signed in with: runs reuse them until their token expires."""
        return KeptKey(self.key_source or self.settings.credentials_path(), self._signed_in)

    def form_source(self, form_id: str) -> GoogleFormSource:
        """A Google Form read through the Forms API."""
        return GoogleFormSource(form_id, self.key(), self.settings.google)

    def form_editor(self, form_id: str) -> GoogleFormEditor:
        """A Google Form the service may add questions to (scope forms.body: `forms prepare` only)."""
        return GoogleFormEditor(form_id, self.key(), self.settings.google)

    def mailer(self) -> Mailer:
        """The mailer of `mail.backend`: outbox folder (default), SMTP relay or Gmail API."""
        mail = self.settings.mail
        if mail.backend == "smtp":
            password = self.settings.smtp_password.get_secret_value() if self.settings.smtp_password else None
            return SmtpMailer(mail.smtp_host, mail.smtp_port, mail.smtp_starttls, mail.smtp_username, password)
        if mail.backend == "gmail":
            return GmailMailer(self.key(), mail.gmail_delegated_user, self.settings.google)
        return OutboxMailer(mail.outbox_dir)

    def token_secret(self, name: str, path: Path | None, links_sent: bool = False) -> bytes:
        """REFERENCE_TOKEN_SECRET; without it a local run keeps a random secret beside the run state, and a
        Google run refuses (links already sent must keep verifying wherever the service is redeployed). A local
        run whose workbook already holds sent links never makes a new one: the old secret must come back."""
        if self.settings.reference_secret is not None:
            return self.settings.reference_secret.get_secret_value().encode()
        if path is None and self.job(name, path).spreadsheet_id:
            raise ConfigError("REFERENCE_TOKEN_SECRET is not set: set it in the environment to a long random text "
                              "(python -c 'import secrets; print(secrets.token_hex(32))') and keep it unchanged")
        kept = self.settings.state_db.parent / "reference-secret"
        if links_sent and not kept.exists():
            raise ConfigError(
                f"ไม่พบรหัสลับของลิงก์บุคคลอ้างอิง ({kept}) แต่แท็บติดตามบุคคลอ้างอิงมีลิงก์ที่ส่งไปแล้ว: กู้คืนด้วย "
                f"python -m app restore DIR หรือตั้ง REFERENCE_TOKEN_SECRET เป็นค่าเดิม (the reference-link secret "
                f"{kept} is missing but links made with it were sent: restore it from a backup with "
                "`python -m app restore DIR`, or set REFERENCE_TOKEN_SECRET to the old secret; a new secret would "
                "make every sent link fail)")
        return installation_secret(kept)

    def support(self, name: str, workflow: Workflow, path: Path | None, full_reconcile: bool,
                accept_emptied: bool = False) -> RunSupport | None:
        """The I/O the job's kind needs around its pure run (workflow A: secret, sent-mail log, Forms API, mail)."""
        mail = self.settings.mail
        resources = RunResources(self.store, lambda sent: self.token_secret(name, path, sent), self.mailer,
                                 self.form_source, mail.sender, mail.daily_budget, full_reconcile,
                                 lambda job: self._activity(name, path, job), accept_emptied)
        return self.kind(name, path).support(workflow, self.job_spec(name, path), resources)

    def _activity(self, program: str, path: Path | None, name: str) -> tuple[Workbook, str, WorkbookSpec]:
        """Activity `name`'s workbook, lock key and layout, for program `program` to read — never the workbook the
        program writes (a --workbook file may be an activity's)."""
        workbook, lock_key = self.workbook(name)
        if lock_key == self.place(program, path)[0]:
            raise ConfigError(f"program {program}: its summary workbook is activity {name!r}'s own: give the program "
                              "a workbook of its own (it never writes an activity's)")
        return workbook, lock_key, self.layout(name)

    def web_secret_key(self) -> bytes:
        """SERVICE_SECRET_KEY; without it a random key kept beside the run state (one host, e.g. the demo)."""
        if self.settings.secret_key is not None:
            return self.settings.secret_key.get_secret_value().encode()
        path = self.settings.state_db.parent / "web-secret-key"
        log.info("SERVICE_SECRET_KEY is not set: web sessions are signed with the key kept in %s", path)
        try:
            return installation_secret(path)
        except ConfigError:
            raise ConfigError(f"{path} does not hold a hex key: delete it (everyone signs in again) "
                              "or set SERVICE_SECRET_KEY") from None

    def backup(self, folder: Path) -> list[str]:
        """Copy the run store, the secrets made locally and the outbox into `folder` (new or empty)."""
        return state_backup.backup(self.settings.state_db, self.settings.mail.outbox_dir, folder)

    def restore(self, folder: Path, force: bool = False) -> list[str]:
        """Put back what `backup` copied into `folder`."""
        return state_backup.restore(folder, self.settings.state_db, self.settings.mail.outbox_dir, force)

    def service_account_key(self) -> dict:
        """The service-account key, read and checked (ConfigError names what is wrong with it)."""
        return service_account_key(self.key())

    def recognise(self, path: Path) -> str:
        """The kind of workflow a local workbook is laid out for, from its tab titles."""
        workbook = XlsxWorkbook(path)
        schema = recognise_workbook(workbook.tab_titles())
        if schema is None:  # tabs not named as the layouts name them: a form's responses, seed 002's unit tabs
            mine = set(workbook.owned_tabs().values())
            grids = workbook.read([t for t in workbook.tab_titles() if t not in mine])
            schema = recognise_by_layout([load_workbook_spec(name) for name in available_workbooks()], grids)
        kind = next((k.name for k in KINDS.values() if k.schema == schema), None)
        if kind is None:
            raise ConfigError(f"{path.name}: its tabs match no known workbook layout; name the job or kind "
                              f"({', '.join(KINDS)})")
        return kind

    def _kind_from_titles(self, name: str, workbook: Workbook) -> str:
        """The kind whose layout the workbook's tab titles fit (recognise_workbook, as for a local file)."""
        schema = recognise_workbook(workbook.tab_titles())
        kind = next((k.name for k in KINDS.values() if k.schema == schema), None)
        if kind is None:
            raise ConfigError(f"job {name!r} names no kind and the tab titles of {workbook.label} fit no workbook "
                              f"layout (or several): set jobs.{name}.kind to one of {', '.join(KINDS)}")
        return kind

    def run(self, name: str, *, path: Path | None = None, trigger: str = "manual", dry_run: bool = False,
            full_reconcile: bool = False, progress: Progress = lambda _m: None,
            accept_emptied: bool = False, on_start: Callable[[int], None] | None = None,
            started_by: str | None = None, skip_unchanged: bool = False) -> SyncOutcome:
        """Run job `name` now on its workbook (`full_reconcile`: read every form answer again; `accept_emptied`: a
        tab emptied or removed on purpose does not stop the run; `started_by`: who asked, kept with the run). A
        scheduled run, and one asked for with `skip_unchanged`, is checked: it ends as skipped when nothing it
        computes with changed since the job's last run (seen_read). The run is recorded before its workbook, key or
        forms are opened, so every failure after this point is on the record; `on_start` hears the run's id as soon
        as it is recorded (a queued run-now request links to it)."""
        self.close_abandoned_runs()
        lock_key, where = self.place(name, path)
        scheduled = trigger == SCHEDULED
        checked = (scheduled or skip_unchanged) and path is None and not (dry_run or full_reconcile or accept_emptied)
        mark, support = self._change_mark(name) if checked else (None, None)
        kept = self.store.change_mark(name) if mark is not None else None
        seen = self._seen_read(name, mark, kept, support, scheduled) if mark is not None else None
        if scheduled and seen is not None and seen.digest is not None and kept.version == mark.version:
            outcome = self._skipped(name, trigger, where, started_by)
            if on_start is not None:
                on_start(outcome.run_id)
            return outcome
        opened: list[RunParts] = []

        def open_run() -> RunParts:
            workbook, _ = self.workbook(name, path)
            self.kind(name, path, workbook)  # a job naming no kind: recognised from the metadata this run reads anyway
            workflow = self.workflow(name, path)
            opened.append(RunParts(workflow, workbook, self.support(name, workflow, path, full_reconcile,
                                                                    accept_emptied)))
            return opened[-1]

        # every log line of the run carries its run id; tabs found as a recent run typed them are not typed again
        with run_logging(self.store) as store, typing_remembered(self._typed):
            if on_start is not None:
                store = _TellsRunStart(store, on_start)
            try:
                outcome = sync(name, open_run, store, RunContext(now=self.now()), lock_key=lock_key, where=where,
                               trigger=trigger, dry_run=dry_run, progress=progress, accept_emptied=accept_emptied,
                               started_by=started_by, seen_read=seen)
            except BaseException:
                # the job's next checked run computes, so that a failure is cleared by a run, not left standing by
                # skips (the tabs may well be as the last run left them: this run failed before it wrote)
                self.store.forget_change_marks(name)
                raise
        if mark is not None and outcome.status in ("ok", SKIPPED):  # seen before the read: no edit lost
            local = mark.local if outcome.local_mark is None else _local(_recipe_of(mark.local), outcome.local_mark)
            revision = kept.form_revision if outcome.status == SKIPPED else _form_revision(opened[-1].support)
            self.store.keep_change_mark(name, replace(mark, local=local, stable_until=outcome.stable_until,
                                                      read_digest=outcome.read_digest, form_revision=revision))
        return outcome

    def _change_mark(self, name: str) -> tuple[ChangeMark | None, RunSupport | None]:
        """The workbook's version (the spreadsheet's in Drive, or the local file's) and the job's local inputs (the
        sent-mail log, the job's settings and layout override), with the job's run support; no mark when they cannot
        vouch for an unchanged job (a mail being sent, a program: its activities change apart from its own
        spreadsheet) or cannot be had (the run itself then meets the problem and records it)."""
        try:
            config = self.job(name)
            if config.kind is None and name not in self._recognised:
                return None, None  # its run recognises the kind from the metadata it reads: no request before
            support = self.support(name, self.workflow(name), None, False)
            local = support.input_mark() if support is not None else ""
            if local is None:
                return None, None
            local = _local(self._recipe(name, config), local)
            if config.workbook is not None:
                return ChangeMark(_file_version(config.workbook), local), support
            if self._versions is None:
                self._versions = DriveVersions(self.key(), self.settings.google)
            return ChangeMark(self._versions.version(config.spreadsheet_id), local), support
        except (ServiceError, OSError) as exc:
            log.debug("job %s: change check not possible (%s): running", name, exc)  # the run meets it too
            return None, None

    def _recipe(self, name: str, config: JobSettings) -> str:
        """What job `name` computes with besides its workbook and support: the code's version, its settings and its
        layout override file, which `python -m app map` may rewrite while the scheduler runs (the next checked run
        then computes)."""
        overrides = self.overrides_path(name)
        text = overrides.read_bytes() if overrides.is_file() else b""
        return hashlib.blake2b(config.model_dump_json().encode() + b"\0" + text + b"\0" + self.code_version.encode(),
                               digest_size=12).hexdigest()

    def _seen_read(self, name: str, mark: ChangeMark, seen: ChangeMark | None, support: RunSupport | None,
                   scheduled: bool) -> SeenRead:
        """What the last checked run (`seen`) left to compare with, while the job's local inputs, the clock and the
        form's answers still vouch for it, and for a run asked for by hand the form's questions too (a scheduled run
        leaves them to its next computing run, to spend one request a check): its read's digest (with the same Drive
        version, a scheduled run reads nothing at all)."""
        if seen is None or seen.read_digest is None or seen.local != mark.local or seen.stable_until is None \
                or self.now() >= seen.stable_until:
            return SeenRead()
        try:
            if support is not None and support.new_answers():
                return SeenRead()
            if not scheduled and (support.form_revision() if support is not None else "") != seen.form_revision:
                return SeenRead()
        except ServiceError as exc:
            log.debug("job %s: form check not possible (%s): running", name, exc)  # the run meets it too
            return SeenRead()
        return SeenRead(seen.read_digest, seen.stable_until)

    def _skipped(self, name: str, trigger: str, where: str, started_by: str | None) -> SyncOutcome:
        last = self.store.last_run(name)
        run_id = self.store.start_run(name, last.workbook if last else where, trigger, started_by)
        self.store.finish_run(run_id, SKIPPED, {})
        log.info("run %s %s: skipped, nothing changed since the last run", run_id, name)
        return SyncOutcome(run_id, "skipped")

    def close_abandoned_runs(self) -> None:
        """Runs left `running` by a process that is gone (or running past `stale_run_hours`) become `abandoned`; their
        jobs' next runs compute, as after a failure."""
        for run in self.store.close_abandoned_runs(timedelta(hours=self.settings.stale_run_hours)):
            log.warning("run %s of %s marked abandoned: %s", run.id, run.job, run.error)
            self.store.forget_change_marks(run.job)


class _TellsRunStart:
    """The run store as it is, except that a started run's id is passed to a callback."""

    def __init__(self, store, on_start: Callable[[int], None]) -> None:
        self._store, self._on_start = store, on_start

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def start_run(self, *args, **kwargs) -> int:
        run_id = self._store.start_run(*args, **kwargs)
        self._on_start(run_id)
        return run_id


def _local(recipe: str, inputs: str) -> str:
    """A job's local inputs as its change mark keeps them: what it computes with (_recipe) and its support's mark."""
    return f"{recipe}|{inputs}"


def _form_revision(support: RunSupport | None) -> str | None:
    """The revision of the form a run computed with ("" without a form), None when it cannot be read now."""
    try:
        return support.form_revision() if support is not None else ""
    except ServiceError as exc:
        log.info("the form's revision cannot be read (%s): the next run asked for by hand computes", exc)
        return None


def _recipe_of(local: str) -> str:
    return local.partition("|")[0]  # a recipe is hex digits


def _file_version(path: Path) -> str:
    """A local workbook's version: every save, ours or an officer's, writes a new file or rewrites this one."""
    found = Path(path).stat()
    return f"file:{found.st_ino}:{found.st_size}:{found.st_mtime_ns}"


def create_workbook_file(path: Path, tabs: dict[str, list[list]]) -> None:
    """A new local .xlsx with these tabs (the demo's workbooks)."""
    create_xlsx(path, tabs)


def migrate_state(settings: Settings) -> tuple[int, int]:
    """Bring the state store's schema up to this version (idempotent); the versions found and left."""
    return migrate(settings.state_db)


def bootstrap(settings: Settings, key_source: KeySource | None = None, clock=None) -> Services:
    """Build the services from settings; nothing talks to Google until a run asks for it."""
    for name, job in settings.jobs.items():
        if job.kind is not None and job.kind not in KINDS:
            raise ConfigError(f"jobs.{name}.kind: unknown kind {job.kind!r}: choose one of {', '.join(KINDS)}")
    _check_programs(settings)
    services = Services(settings, open_state_store(settings.state_db), key_source, clock)
    services.close_abandoned_runs()  # every process that starts settles what a dead one left running
    return services


def _check_programs(settings: Settings) -> None:
    """A program job lists reporting jobs, none of them on the program's own workbook (it never writes theirs)."""
    def where(job: JobSettings) -> str | None:
        return job.spreadsheet_id or (str(Path(job.workbook).resolve()) if job.workbook else None)

    for name, job in settings.jobs.items():
        if job.activities and job.kind != PROGRAM.name:
            raise ConfigError(f"jobs.{name}.activities: only a job of kind \"program\" lists activities")
        if job.kind != PROGRAM.name:
            continue
        if not job.activities:
            raise ConfigError(f"jobs.{name}.activities: list the reporting jobs whose spreadsheets the program "
                              f"summarises, e.g. activities = [\"activity-a\", \"activity-b\"]")
        for activity in job.activities:
            other = settings.jobs.get(activity)
            if other is None or other.kind != REPORTING.name:
                raise ConfigError(f"jobs.{name}.activities: {activity!r} is not a job of kind \"reporting\": add "
                                  f"[jobs.{activity}] with kind = \"reporting\" and its spreadsheet_id or workbook")
            if where(job) is not None and where(job) == where(other):
                raise ConfigError(f"jobs.{name}: the program's summary spreadsheet is activity {activity!r}'s own: "
                                  "give the program a spreadsheet of its own (it never writes an activity's)")


def open_state_store(path: Path) -> RunStore:
    """The run-state store at `state_db`, created when missing; one line (ConfigError) when it cannot be used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return RunStore(path)
    except (sqlite3.Error, OSError) as exc:
        raise ConfigError(f"เปิดฐานข้อมูลสถานะไม่ได้ (state_db {path} cannot be opened: "
                          f"{getattr(exc, 'strerror', None) or exc}; point state_db at a file in a writable "
                          "folder)") from exc
