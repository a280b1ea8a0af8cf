"""The signed-in pages: overview with run-now, run history and one run, assessment and reporting summaries."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from app.mail.sent_log import LEDGER_STATES, STATES, kind_of, mail_log
from app.mail.uncertain import UnknownMail, settle
from app.sheets.masking import mask_personal
from app.sync.engine import SKIPPED
from app.web.auth import operator_required
from app.web.runner import request_run, scheduler_state
from app.web.summaries import assessment_view, masked, reporting_view
from app.web.views import problem_rows, schedule

pages = Blueprint("pages", __name__)
log = logging.getLogger(__name__)
# preview: dry runs, listed only when asked; skipped: scheduled runs that found nothing changed
STATUSES = ("ok", "failed", "running", "interrupted", "abandoned", "preview", "skipped")
RUN_LIST_LIMIT = 200
RUN_NOW_WAIT_SECONDS = 5  # the button waits this long for the scheduler to start the run, then shows the queue


def _services():
    return current_app.config["SERVICES"]


@pages.get("/")
def overview():
    """Each configured workflow: its last run, its queued run-now request, next scheduled run and a run-now button;
    the scheduler's heartbeat."""
    services = _services()
    services.close_abandoned_runs()  # a run whose process died shows as abandoned, not running for ever
    scheduler = scheduler_state(services)
    pending = services.store.pending_run_requests()
    cards = []
    for job, config in services.settings.jobs.items():
        last = services.store.last_run(job)
        cards.append({"job": job, "last": last, "schedule": schedule(config, services.settings.timezone, last,
                                                                    services.now()),
                      "next_at": scheduler.next_runs.get(job) if scheduler.alive else None,
                      "pending": [r for r in pending if r.job == job]})
    return render_template("overview.html", cards=cards, can_run=g.role == "operator", scheduler=scheduler,
                           refresh=bool(pending))


@pages.post("/jobs/<name>/run")
@operator_required
def run_now(name: str):
    """Queue a run for the scheduler, then show it once it starts (the page refreshes itself until it ends), or
    the queue if it has not started within a few seconds."""
    services = _services()
    if name not in services.settings.jobs:
        abort(404)
    queued = request_run(services, name, "web", g.user, wait_seconds=RUN_NOW_WAIT_SECONDS)
    log.info("run-now of %s by %s: request %s %s, run %s", name, g.user, queued.id, queued.state, queued.run_id)
    if queued.run_id is not None:
        return redirect(url_for("pages.run", run_id=queued.run_id))
    if queued.state == "failed" and queued.http_status == 409:
        flash("มีการซิงก์สมุดงานนี้อยู่แล้ว รอให้เสร็จก่อน (a run on this workbook is in progress)", "error")
    elif queued.state == "failed":
        flash(f"เริ่มการซิงก์ไม่ได้ (could not start): {mask_personal(queued.error or '')}", "error")
    elif not scheduler_state(services).alive:
        flash("อยู่ในคิวแล้ว แต่ตัวตั้งเวลาไม่ทำงาน: เริ่ม python -m jobs ก่อน (queued, but no scheduler is running: "
              "start python -m jobs)", "error")
    else:
        flash("อยู่ในคิว รอตัวตั้งเวลาเริ่มการซิงก์ (queued: the scheduler starts it shortly)", "info")
    return redirect(url_for("pages.runs", job=name))


@pages.get("/runs")
def runs():
    """Run history, newest first, filtered by job and status, after the run-now requests still waiting."""
    services = _services()
    services.close_abandoned_runs()
    jobs = list(services.settings.jobs)
    job = request.args.get("job") if request.args.get("job") in jobs else None
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    items = services.store.runs(job=job, status=status, limit=RUN_LIST_LIMIT)
    pending = services.store.pending_run_requests(job)
    return render_template("runs.html", runs=items, job=job, status=status, statuses=STATUSES, jobs=jobs,
                           pending=pending, scheduler=scheduler_state(services),
                           refresh=bool(pending) or any(r.status == "running" for r in items))


@pages.get("/runs/<int:run_id>")
def run(run_id: int):
    """One run: counts, error, log lines and the data problems with a link to each cell."""
    _services().close_abandoned_runs()
    store = _services().store
    found = store.run(run_id)
    if found is None:
        abort(404)
    checked = store.runs(job=found.job, status="ok", limit=1, before=run_id) if found.status == SKIPPED else []
    return render_template("run.html", run=found, logs=store.logs(run_id), problems=problem_rows(store, run_id),
                           refresh=found.status == "running", checked=checked[0] if checked else None)


def _latest_ok(*kinds: str):
    """The job of these kinds asked for by `?job=` (else the first configured one), its latest ok run, and its
    latest run when that failed after it (the figures shown are then older than the sheet's problem)."""
    jobs = [name for name, config in _services().settings.jobs.items() if config.kind in kinds] or [kinds[0]]
    job = request.args.get("job") if request.args.get("job") in jobs else jobs[0]
    found = _services().store.runs(job=job, status="ok", limit=1, with_summary=True)
    latest = found[0] if found else None
    last = _services().store.last_run(job)
    failed_after = last if last and last.status == "failed" and (latest is None or last.id > latest.id) else None
    return job, jobs, latest, failed_after


@pages.get("/assessment")
def assessment():
    """The applicant pipeline, decisions, overdue applicants, references and satisfaction of the latest run."""
    job, jobs, latest, failed_after = _latest_ok("assessment")
    view = assessment_view(masked(latest.summary)) if latest else None
    return render_template("assessment.html", latest=latest, view=view, job=job, jobs=jobs,
                           failed_after=failed_after)


@pages.get("/reporting")
def reporting():
    """Targets against actual and the figures per unit, cluster and province of the latest run (a program job's
    also per activity)."""
    job, jobs, latest, failed_after = _latest_ok("reporting", "program")
    view = reporting_view(masked(latest.summary)) if latest else None
    return render_template("reporting.html", latest=latest, view=view, job=job, jobs=jobs,
                           failed_after=failed_after)


@pages.get("/mail")
def mail():
    """The sent-mail log: every mail the ledger holds, filtered by job and state, a page at a time, newest first;
    operators see the addresses in full and settle the uncertain ones (viewers see them masked, and only look)."""
    services = _services()
    # the jobs that may send mail (assessment, or a kind the workbook will tell) → their namespace in the log
    jobs = {name: "" if name == (config.kind or "assessment") else name
            for name, config in services.settings.jobs.items() if config.kind in ("assessment", None)}
    job = request.args.get("job") if request.args.get("job") in jobs else None
    state = request.args.get("state") if request.args.get("state") in LEDGER_STATES else None
    page = int(raw) if (raw := request.args.get("page", "1")).isascii() and raw.isdigit() else 1
    operator = g.role == "operator"
    log_page = mail_log(services.store, jobs[job] if job else None, state, page, show_address=operator)
    waiting = 0
    for name in [job] if job else jobs:
        last = services.store.runs(job=name, status="ok", limit=1)
        waiting += last[0].counts.get("mails_waiting", 0) if last else 0
    names = {namespace: name for name, namespace in jobs.items()}
    return render_template("mail.html", log=log_page, jobs=list(jobs), job=job, state=state, states=STATES,
                           waiting=waiting, job_of=lambda mail: names.get(mail.job, mail.job or "–"),
                           can_settle=operator)


@pages.post("/mail/<mail_id>/settle")
@operator_required
def settle_mail(mail_id: str):
    """An operator's word on an uncertain mail: `sent` (never again) or `resend` (the next run sends it)."""
    outcome = request.form.get("outcome", "")
    try:
        settled = settle(_services().store, mail_id, outcome, who=f"{g.user} (web)")
    except UnknownMail as exc:
        flash(str(exc), "error")
        return redirect(_back_to_log())
    log.info("uncertain mail %s settled as %s by %s", settled.id, outcome, g.user)
    kind, number = kind_of(settled.what)
    flash(f"{kind} · {number or settled.what} → {settled.recipient}: " + (
        "บันทึกว่าส่งแล้ว (marked sent)" if outcome == "sent" else "จะส่งใหม่ในรอบถัดไป (the next run sends it)"), "info")
    return redirect(_back_to_log())


def _back_to_log() -> str:
    """The log as the operator was looking at it (its job, state and page, as the form carried them)."""
    kept = {k: v for k in ("job", "state", "page") if (v := request.form.get(k))}
    return url_for("pages.mail", **kept)


@pages.app_errorhandler(HTTPException)
def _error(exc: HTTPException):
    """JSON for the API, a Thai page for people."""
    if request.path.startswith("/api/"):
        return jsonify(error=exc.description), exc.code
    return render_template("error.html", error=exc), exc.code
