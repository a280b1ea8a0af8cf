"""JSON API: `/healthz`, `GET /api/runs`, `POST /api/jobs/<name>/run` — the API needs the bearer token."""
from __future__ import annotations

import hmac
import logging
import threading
from dataclasses import asdict

from flask import Blueprint, abort, current_app, jsonify, request

from app.adapters.run_state import LockBusy
from app.config import WORKFLOWS
from app.ports import BackendError
from app.services.sync import WorkflowStopped

api = Blueprint("api", __name__)
log = logging.getLogger(__name__)


def _services():
    return current_app.config["SERVICES"]


@api.before_request
def _require_token():
    if request.path == "/healthz":
        return None
    expected = _services().settings.api_token
    given = request.headers.get("Authorization", "")
    if expected is None or not hmac.compare_digest(given.encode(), f"Bearer {expected.get_secret_value()}".encode()):
        response = jsonify(error="unauthorized: send Authorization: Bearer <SERVICE_API_TOKEN>")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    return None


@api.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


def _run_json(run) -> dict:
    data = asdict(run)
    for key in ("started", "finished"):
        data[key] = data[key].isoformat() if data.get(key) else None
    return data


@api.get("/api/runs")
def runs():
    """Recent runs, newest first; `?job=` and `?limit=` filter."""
    limit = min(int(request.args.get("limit", 50)), 500)
    items = _services().store.runs(job=request.args.get("job"), limit=limit)
    return jsonify(runs=[_run_json(r) for r in items])


@api.post("/api/jobs/<name>/run")
def run_now(name: str):
    """Start a run now: 202 at once, or with `?wait=1` the finished run (200) or why it stopped."""
    if name not in WORKFLOWS:
        abort(404, description=f"unknown job {name}")
    services = _services()
    if request.args.get("wait") in ("1", "true"):
        try:
            outcome = services.run(name, trigger="api")
        except LockBusy as exc:
            return jsonify(error=str(exc)), 409
        except (WorkflowStopped, BackendError) as exc:
            return jsonify(error=str(exc)), 502 if isinstance(exc, BackendError) else 422
        return jsonify(run_id=outcome.run_id, status=outcome.status, counts=outcome.counts)
    threading.Thread(target=_run_in_background, args=(services, name), daemon=True).start()
    return jsonify(job=name, status="started"), 202


def _run_in_background(services, name: str) -> None:
    try:
        services.run(name, trigger="api")
    except Exception as exc:  # noqa: BLE001 - recorded in the run store; the thread must not die loudly
        log.warning("run of %s from the API stopped: %s", name, exc)
