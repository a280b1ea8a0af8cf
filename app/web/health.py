"""Probes for a load balancer or monitor, open without sign-in: `/healthz` (process up), `/readyz` (can serve)."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, current_app, jsonify

from app.errors import BackendError, ConfigError
from app.web.runner import scheduler_state

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@health.get("/readyz")
def readyz():
    """200 when the state store answers, the config's workflows load, no job has failed too long and the scheduler's
    heartbeat is fresh; else 503 with the reasons."""
    services = current_app.config["SERVICES"]
    reasons = []
    try:
        services.store.ping()
    except BackendError as exc:
        reasons.append(str(exc))
    else:
        hours = services.settings.web.ready_failing_hours
        reasons += [f"{job}: failing for more than {hours:g} h" for job in services.settings.jobs
                    if _failing_since(services.store, job, services.now()) > timedelta(hours=hours)]
        reasons += _scheduler_reasons(services)
    if not services.settings.jobs:
        reasons.append("config: no workflow configured")
    for job in services.settings.jobs:
        try:
            services.workflow(job)
        except ConfigError as exc:  # a definitions file is config too
            reasons.append(f"config: {exc}")
    if reasons:
        return jsonify(status="not ready", reasons=reasons), 503
    return jsonify(status="ready")


def _scheduler_reasons(services) -> list[str]:
    """The scheduler runs every job and every run-now request: without a fresh heartbeat nothing would run."""
    minutes = services.settings.web.scheduler_stale_minutes
    if not minutes:
        return []
    state = scheduler_state(services)
    if state.last_beat is None:
        return ["scheduler: no heartbeat yet — start python -m jobs (sme-sheets-jobs)"]
    if not state.alive:
        return [f"scheduler: last heartbeat {state.last_beat:%Y-%m-%d %H:%M:%S} UTC, more than {minutes:g} min ago "
                f"({state.worker})"]
    return []


def _failing_since(store, job: str, now: datetime) -> timedelta:
    """How long the job's runs have failed: from its first failure after its last ok run (zero if the last is ok)."""
    last = store.last_run(job)
    if last is None or last.status != "failed":
        return timedelta(0)
    ok = store.runs(job=job, status="ok", limit=1)
    failures = [r for r in store.runs(job=job, status="failed", limit=500) if not ok or r.id > ok[0].id]
    return now - min(r.started for r in failures)
