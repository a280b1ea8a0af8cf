"""Run-now through the state store: the page and the API queue a request, the scheduler process runs it, the
scheduler's heartbeat drives /readyz and the overview page."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from app.adapters.state.run_store import RunStore
from app.adapters.xlsx import create_xlsx
from app.web import create_app
from app.wiring import SCHEDULER_HEARTBEAT, bootstrap
from jobs.queue import consume_run_requests
from jobs.scheduler import beat, build_scheduler
from tests.assessment.test_sync_satisfaction import TABS
from tests.web.browser.webapp import csrf_of, sign_in, web_settings
from tests.web.test_web_pages import text_of

from tests.web.test_web_ops import clock  # noqa: F401 - the shared settable clock fixture


@pytest.fixture
def app(tmp_path, clock):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    settings = web_settings(tmp_path)
    services = bootstrap(settings)
    services.store = RunStore(settings.state_db, clock=clock)
    return create_app(settings, services)


def run_now_from_the_page(client):
    token = csrf_of(client.get("/").get_data(as_text=True))
    return client.post("/jobs/assessment/run", data={"csrf_token": token})


def test_run_now_waits_in_the_queue_until_the_scheduler_takes_it(app, monkeypatch):
    monkeypatch.setattr("app.web.pages.RUN_NOW_WAIT_SECONDS", 0)  # no scheduler here: do not wait for one
    client, services = app.test_client(), app.config["SERVICES"]
    sign_in(client, "op")
    answer = run_now_from_the_page(client)
    assert answer.status_code == 302 and answer.headers["Location"] == "/runs?job=assessment"
    runs_page = text_of(client.get("/runs?job=assessment").get_data(as_text=True))
    assert "คิวการซิงก์" in runs_page and "อยู่ในคิว" in runs_page and "ตัวตั้งเวลาไม่ทำงาน" in runs_page
    assert services.store.runs() == []  # the web process ran nothing itself
    assert run_now_from_the_page(client).status_code == 302  # a second click joins the queued request
    (queued,) = services.store.pending_run_requests()
    assert (queued.job, queued.trigger, queued.requested_by, queued.state) == ("assessment", "web", "op", "queued")

    assert consume_run_requests(services) == 1  # what the scheduler's poll does
    done = services.store.run_request(queued.id)
    run = services.store.run(done.run_id)
    assert (done.state, done.error, run.trigger, run.status) == ("done", None, "web", "ok")
    assert "คิวการซิงก์" not in client.get("/runs").get_data(as_text=True)


def test_run_now_with_nothing_changed_is_listed_as_skipped_and_points_at_the_run_that_stands(app, monkeypatch):
    """Issue #12: a run asked for while nothing changed reads and computes nothing. Whoever asked sees it in the
    history as ข้าม, and its page names the run whose data problems still stand; the overview keeps that run's
    figures (a skipped run counts nothing)."""
    monkeypatch.setattr("app.web.pages.RUN_NOW_WAIT_SECONDS", 0)
    client, services = app.test_client(), app.config["SERVICES"]
    sign_in(client, "op")
    run_now_from_the_page(client)
    consume_run_requests(services)
    (computed,) = services.store.runs()
    run_now_from_the_page(client)
    consume_run_requests(services)
    skipped, _ = services.store.runs()
    assert (computed.status, skipped.status, skipped.trigger, skipped.started_by) == ("ok", "skipped", "web", "op")
    history = text_of(client.get("/runs").get_data(as_text=True))
    assert f"#{skipped.id}" in history and "ข้าม (ไม่มีอะไรเปลี่ยน)" in history
    page = client.get(f"/runs/{skipped.id}").get_data(as_text=True)
    assert "ไม่มีอะไรเปลี่ยน" in text_of(page) and f'href="/runs/{computed.id}"' in page
    overview = client.get("/").get_data(as_text=True)
    assert f'href="/runs/{computed.id}">#{computed.id}</a>' in overview and f"#{skipped.id}<" not in overview


def test_a_request_goes_queued_then_running_then_done_and_two_never_take_one(app):
    store = app.config["SERVICES"].store
    first = store.request_run("assessment", "api", "api-token")
    assert store.request_run("reporting", "api", "api-token").id != first.id
    claimed = store.claim_run_request()
    assert (claimed.id, claimed.state) == (first.id, "running") and claimed.worker.startswith("pid ")
    again = store.request_run("assessment", "web", "op")  # queued behind the running one of the same job
    assert again.id != first.id and again.state == "queued"
    assert store.claim_run_request().job == "reporting"  # the next job's request, not the busy job's
    assert store.claim_run_request() is None
    store.finish_run_request(first.id)
    assert store.run_request(first.id).state == "done" and store.claim_run_request().id == again.id


def test_a_request_left_running_by_a_killed_scheduler_is_abandoned(app):
    store = app.config["SERVICES"].store
    queued = store.request_run("assessment", "web", "op")
    subprocess.run([sys.executable, "-c", "import sys; from app.adapters.state.run_store import RunStore; "
                    "RunStore(sys.argv[1]).claim_run_request()", str(store.path)], check=True)
    assert store.run_request(queued.id).state == "running"
    assert store.abandon_run_requests() == 1
    abandoned = store.run_request(queued.id)
    assert abandoned.state == "failed" and "abandoned" in abandoned.error


def test_a_run_that_stops_is_reported_with_its_status(app):
    services, client = app.config["SERVICES"], app.test_client()
    _book, key = services.workbook("assessment")
    queued = services.store.request_run("assessment", "api", "api-token")
    with services.store.lock(key, owner="someone-else"):
        consume_run_requests(services)
    stopped = services.store.run_request(queued.id)
    assert (stopped.state, stopped.http_status) == ("failed", 409) and "busy" in stopped.error
    body = client.get(f"/api/requests/{queued.id}", headers={"Authorization": "Bearer api-token-for-tests"}).get_json()
    assert body["request"]["state"] == "failed" and "busy" in body["request"]["error"]


def test_readyz_needs_a_fresh_scheduler_heartbeat(app, clock):
    client, services = app.test_client(), app.config["SERVICES"]
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.get_json()["reasons"] == [
        "scheduler: no heartbeat yet — start python -m jobs (sme-sheets-jobs)"]
    beat(services, {})
    assert client.get("/readyz").get_json() == {"status": "ready"}
    clock.now += timedelta(minutes=3)  # web.scheduler_stale_minutes = 2
    reasons = client.get("/readyz").get_json()["reasons"]
    assert len(reasons) == 1 and reasons[0].startswith("scheduler: last heartbeat 2026-11-21 03:00:00 UTC")


def test_the_overview_shows_the_scheduler_and_its_next_runs_only_while_it_runs(app, clock):
    client, services = app.test_client(), app.config["SERVICES"]
    sign_in(client, "op")
    before = text_of(client.get("/").get_data(as_text=True))
    assert "ตัวตั้งเวลาไม่ทำงาน" in before and "รอบถัดไป next run : — " in before
    scheduler = build_scheduler(services)
    triggers = {"assessment": scheduler.get_job("assessment").trigger}
    beat(services, triggers)
    heartbeat = services.store.heartbeat(SCHEDULER_HEARTBEAT)
    assert set(heartbeat.info["next_runs"]) == {"assessment"}
    after = text_of(client.get("/").get_data(as_text=True))
    assert "ตัวตั้งเวลา scheduler : ทำงานอยู่" in after and "ตัวตั้งเวลาไม่ทำงาน" not in after
    assert "รอบถัดไป next run : — " not in after and "ทุก 15 นาที" in after


def test_sigterm_during_a_queued_run_ends_run_and_request_and_stops_the_scheduler(fake_google, tmp_path):
    from app.errors import Interrupted
    from app.interrupts import stop_on_signals
    from jobs.scheduler import take_run_requests
    from tests.sync.test_run_history import google_services, sigterm_during_the_read

    services = google_services(fake_google, tmp_path, fake_google.create_spreadsheet("แบบประเมิน", TABS))
    queued = services.store.request_run("assessment", "web", "op")
    sender = sigterm_during_the_read(fake_google)
    stops = []
    with stop_on_signals():
        take_run_requests(services, stops.append)
    sender.join()
    assert [type(stop) for stop in stops] == [Interrupted]
    ended = services.store.run_request(queued.id)
    assert ended.state == "failed" and "SIGTERM" in ended.error
    assert services.store.run(ended.run_id).status == "interrupted"
