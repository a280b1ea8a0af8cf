"""JSON API: `GET /api/runs`, `GET /api/runs/<id>`, `POST /api/jobs/<name>/run` — every call needs the bearer token."""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, abort, current_app, g, jsonify, request

from app.sheets.masking import mask_personal
from app.web.runner import request_run
from app.web.views import problem_rows, request_json, run_json

api = Blueprint("api", __name__)
log = logging.getLogger(__name__)
RUNS_LIMIT = 500
API_USER = "api"


def _services():
    return current_app.config["SERVICES"]


@api.before_request
def _require_token():
    expected = _services().settings.api_token
    given = request.headers.get("Authorization", "")
    if expected is None or not hmac.compare_digest(given.encode(), f"Bearer {expected.get_secret_value()}".encode()):
        response = jsonify(error="unauthorized: send Authorization: Bearer <SERVICE_API_TOKEN>")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    g.user = API_USER  # who the access log and the run history name: the one token has no other name
    return None


@api.get("/api/runs")
def runs():
    """Recent runs, newest first; `?job=`, `?status=` and `?limit=` (1–500, default 50) filter. Without their
    summaries (10 MB a run at 10,000 applicants): GET /api/runs/<id> gives one."""
    raw = request.args.get("limit", "50")
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        abort(400, description=f"limit must be a whole number from 1 to {RUNS_LIMIT}, not {raw[:20]!r}")
    limit = min(int(raw), RUNS_LIMIT)
    items = _services().store.runs(job=request.args.get("job"), status=request.args.get("status"), limit=limit)
    return jsonify(runs=[run_json(r, with_summary=False) for r in items])


@api.get("/api/runs/<int:run_id>")
def run(run_id: int):
    """One run with its data problems, each with where it is (`link`: a Sheets URL or `book.xlsx › tab!B5`)."""
    store = _services().store
    found = store.run(run_id, with_summary=True)
    if found is None:
        abort(404, description=f"no run {run_id}")
    problems = [{"tab": p.tab, "row": p.row, "column": p.column, "value": p.value, "problem": p.problem,
                 "where": p.where, "link": p.href or p.where} for p in problem_rows(store, run_id)]
    return jsonify(run=run_json(found), problems=problems)


@api.post("/api/jobs/<name>/run")
def run_now(name: str):
    """Queue a run for the scheduler: 202 with the request at once, or with `?wait=1` the finished run (200), why
    it stopped (409 busy, 422 layout, …), or 202 when it has not finished within `web.run_wait_seconds`."""
    services = _services()
    if name not in services.settings.jobs:
        abort(404, description=f"unknown job {name}")
    wait = request.args.get("wait") in ("1", "true")
    queued = request_run(services, name, "api", API_USER,
                         wait_seconds=services.settings.web.run_wait_seconds if wait else 0, until="finished")
    if wait and queued.state == "failed":
        return jsonify(error=mask_personal(queued.error or "failed"), request=request_json(queued)), \
            queued.http_status or 500
    if wait and queued.state == "done":
        found = services.store.run(queued.run_id)
        return jsonify(run_id=found.id, status=found.status, counts=found.counts, request=request_json(queued))
    return jsonify(job=name, status=queued.state, request=request_json(queued)), 202


@api.get("/api/requests/<int:request_id>")
def run_request(request_id: int):
    """A run-now request: queued, running (with its run id), done or failed (with why)."""
    found = _services().store.run_request(request_id)
    if found is None:
        abort(404, description=f"no request {request_id}")
    return jsonify(request=request_json(found))
