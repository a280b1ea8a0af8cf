"""Configuration: one TOML file validated by pydantic, secrets from the environment only."""
from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from app.errors import ConfigError  # noqa: F401 - raised by load_settings
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (BaseModel, ConfigDict, Field, SecretStr, StringConstraints, ValidationError, field_validator,
                      model_validator)

JOB_NAME = r"^[a-z0-9][a-z0-9_-]{0,62}$"  # a job name is part of URLs and of keys in the run store


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoogleSettings(_Strict):
    """How to reach Google: key file, timeouts, bounded retry."""

    credentials_file: Path | None = None  # falls back to GOOGLE_APPLICATION_CREDENTIALS
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    max_attempts: int = Field(5, ge=1, le=10)
    backoff_base: float = Field(1.0, ge=0)  # seconds; doubled each try, with full jitter
    endpoint: str | None = None  # only for the fake server in tests and manual runs


class MailSettings(_Strict):
    """Which mailer sends reference emails, and the daily budget."""

    backend: Literal["outbox", "smtp", "gmail"] = "outbox"
    sender: str = "noreply@example.go.th"
    outbox_dir: Path = Path("var/outbox")
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str | None = None  # password from SMTP_PASSWORD
    gmail_delegated_user: str | None = None  # the Workspace user the service account sends as
    daily_budget: int = Field(1500, ge=0)


# A job with an open form is polled every minute unless its config says otherwise: a run with nothing new costs one
# Drive request and one forms.responses.list and is recorded `skipped` (the change check), so an answer reaches the
# summary within a minute at almost no quota.
FORM_INTERVAL_MINUTES = 1


class JobSettings(_Strict):
    """One named job: which kind of workflow, where its workbook lives and when it runs."""

    kind: str | None = None  # assessment | reporting | program (checked at start); none: recognised by tab titles
    spreadsheet_id: str | None = None  # Google backend
    workbook: Path | None = None  # local .xlsx backend
    reference_form_id: str | None = None  # Forms API; without it the responses tab is read
    interval_minutes: int | None = Field(None, ge=1)
    cron: str | None = None  # crontab line, Asia/Bangkok, e.g. "0 7-18 * * 1-5"
    program: str | None = None  # reporting targets file in sheets_schema/programs/
    activities: tuple[str, ...] = ()  # kind "program": the reporting jobs whose spreadsheets it summarises
    cell_notes: bool = True  # Google: a note on each officer cell a problem points at, removed once fixed

    @property
    def schedule_minutes(self) -> int | None:
        """Minutes between scheduled runs: `interval_minutes`, or FORM_INTERVAL_MINUTES for a job that reads a
        Google Form and sets neither an interval nor a cron line; None when the job runs only by hand."""
        if self.interval_minutes or self.cron:
            return self.interval_minutes
        return FORM_INTERVAL_MINUTES if self.reference_form_id else None

    @model_validator(mode="after")
    def _one_backend(self) -> "JobSettings":
        if self.spreadsheet_id and self.workbook:
            raise ValueError("give spreadsheet_id (Google) or workbook (local .xlsx), not both")
        if self.cron:
            from app.sync.schedules import cron_trigger

            cron_trigger(self.cron, "UTC")  # a bad line stops at start, not at the first run
        return self


class WebUser(_Strict):
    """One person who may sign in to the web page: a werkzeug password hash and a role."""

    password_hash: str = Field(pattern=r"^(scrypt|pbkdf2):")  # werkzeug.security.generate_password_hash
    role: Literal["viewer", "operator"] = "viewer"  # operator may also start runs


class WebSettings(_Strict):
    """The web page: who signs in, cookie safety, sign-in throttle, readiness."""

    users: dict[str, WebUser] = {}
    secure_cookie: bool = True  # cookies only over https; off only for the local demo over plain http
    session_hours: float = Field(8, gt=0)
    signin_failures: int = Field(5, ge=1)  # failed sign-ins per user and address …
    signin_window_minutes: float = Field(15, gt=0)  # … within this window, then refused until it passes
    ready_failing_hours: float = Field(24, gt=0)  # /readyz fails when a job has failed for longer than this
    scheduler_stale_minutes: float = Field(2, ge=0)  # /readyz fails when the scheduler's heartbeat is older (0: no check)
    run_wait_seconds: float = Field(300, gt=0)  # POST /api/jobs/<name>/run?wait=1 waits at most this long
    proxy_hops: int = Field(0, ge=0, le=5)  # reverse proxies in front (nginx: 1) whose X-Forwarded-* are trusted
    threads: int = Field(8, ge=1, le=64)  # waitress worker threads of `serve`


class Settings(_Strict):
    """Everything the service reads from config.toml and the environment."""

    state_db: Path = Path("var/state.sqlite")
    layouts_dir: Path = Path("layouts")  # <job>.yaml: an administrator's layout overrides (python -m app map)
    timezone: str = "Asia/Bangkok"
    stale_run_hours: float = Field(6, gt=0)  # a run still `running` after this is closed as abandoned
    google: GoogleSettings = GoogleSettings()
    mail: MailSettings = MailSettings()
    jobs: dict[Annotated[str, StringConstraints(pattern=JOB_NAME)], JobSettings] = {}
    web: WebSettings = WebSettings()
    api_token: SecretStr | None = None  # from SERVICE_API_TOKEN
    reference_secret: SecretStr | None = None  # from REFERENCE_TOKEN_SECRET
    smtp_password: SecretStr | None = None  # from SMTP_PASSWORD
    secret_key: SecretStr | None = None  # from SERVICE_SECRET_KEY: signs the web page's session cookies

    @model_validator(mode="before")
    @classmethod
    def _legacy_workflows(cls, data: object) -> object:
        """`[workflows.assessment]` / `[workflows.reporting]` of the single-job versions: jobs named after their kind."""
        if isinstance(data, dict) and "workflows" in data:
            data = dict(data)
            legacy = data.pop("workflows") or {}
            if not isinstance(legacy, dict) or any(name not in LEGACY_KINDS for name in legacy):
                raise ValueError(f"workflows: only {' and '.join(LEGACY_KINDS)}; name other jobs under [jobs.NAME]")
            jobs = dict(data.get("jobs") or {})
            for name, table in legacy.items():
                if name in jobs:
                    raise ValueError(f"job {name!r} is both in [workflows.{name}] and in [jobs.{name}]: keep one")
                jobs[name] = {"kind": name, **(dict(table) if isinstance(table, dict) else {})}
            data["jobs"] = jobs
        return data

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone!r}: use an IANA name such as Asia/Bangkok") from None
        return zone

    def credentials_path(self) -> Path | None:
        """The service-account key file: config first, then GOOGLE_APPLICATION_CREDENTIALS."""
        if self.google.credentials_file:
            return self.google.credentials_file
        env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
        return Path(env) if env else None


LEGACY_KINDS = ("assessment", "reporting")
DEPRECATED_WORKFLOWS = ("config {path}: [workflows.*] is deprecated: write [jobs.assessment] with "
                        "kind = \"assessment\" (and the same for reporting); it is read as such for now")
_SECRET_ENV = {"api_token": "SERVICE_API_TOKEN", "reference_secret": "REFERENCE_TOKEN_SECRET",
               "smtp_password": "SMTP_PASSWORD", "secret_key": "SERVICE_SECRET_KEY"}


def config_file(path: Path | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """The config file that is read: `path` (--config), else $SERVICE_CONFIG, else ./config.toml if present;
    None when there is none (the defaults are used)."""
    environ = os.environ if environ is None else environ
    path = path or (Path(environ["SERVICE_CONFIG"]) if environ.get("SERVICE_CONFIG") else None)
    if path is None and Path("config.toml").exists():
        path = Path("config.toml")
    return path


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read config.toml (path, else $SERVICE_CONFIG, else ./config.toml if present) and secrets from the env."""
    environ = dict(os.environ if environ is None else environ)
    path = config_file(path, environ)
    data: dict = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} not found: create it from config.example.toml") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    for field_name, env_name in _SECRET_ENV.items():
        if field_name in data:
            raise ConfigError(f"{path}: remove '{field_name}'; secrets come only from ${env_name}")
        if environ.get(env_name):
            data[field_name] = environ[env_name]
    legacy = set(data.get("workflows") or {}) if isinstance(data.get("workflows"), dict) else set()
    if "workflows" in data:
        logging.getLogger(__name__).warning(DEPRECATED_WORKFLOWS.format(path=path))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        if loc[:1] == ["jobs"] and len(loc) > 1 and loc[1] in legacy:
            loc[0] = "workflows"  # name the table as the file wrote it
        where = ".".join(str(p) for p in loc)
        raise ConfigError(f"config {path or '(defaults)'}: {where}: {err['msg']}") from None
