"""Operations: /healthz, /readyz with reasons, the runs API with problems, JSON log lines carrying the run id."""
from __future__ import annotations

import io
import json
import logging
from datetime import datetime, timedelta, timezone

import pytest

from app.adapters.state.run_store import RunStore
from app.adapters.xlsx import create_xlsx
from app.config import JobSettings
from app.logging_setup import setup_logging
from app.web import create_app
from app.web.views import Schedule, schedule
from app.wiring import bootstrap
from jobs.scheduler import build_scheduler
from tests.web.browser.webapp import NATIONAL_ID, SHEET_URL, TOKEN, seed_runs, web_settings
from tests.assessment.test_sync_satisfaction import TABS

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOW = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)


class Clock:
    """A settable UTC clock shared by the store and the services."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    settings = web_settings(tmp_path, ready_failing_hours=6, scheduler_stale_minutes=0)  # scheduler: own tests
    services = bootstrap(settings, clock=clock)
    services.store = RunStore(settings.state_db, clock=clock)
    return create_app(settings, services)


def test_healthz_and_readyz_answer_without_sign_in(app):
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_readyz_is_503_once_a_job_has_failed_for_too_long(app, clock):
    store, client = app.config["SERVICES"].store, app.test_client()
    store.finish_run(store.start_run("assessment", "a.xlsx", "schedule"), "ok", {})
    clock.now += timedelta(hours=1)
    store.finish_run(store.start_run("assessment", "a.xlsx", "schedule"), "failed", {}, "boom")
    clock.now += timedelta(hours=5)
    store.finish_run(store.start_run("assessment", "a.xlsx", "schedule"), "failed", {}, "boom")
    assert client.get("/readyz").status_code == 200  # failing for 5 h, the limit is 6
    clock.now += timedelta(hours=2)
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.get_json()["reasons"] == ["assessment: failing for more than 6 h"]
    store.finish_run(store.start_run("assessment", "a.xlsx", "schedule"), "ok", {})
    assert client.get("/readyz").status_code == 200


def test_readyz_names_an_unreachable_store_and_a_config_without_workflows(tmp_path):
    settings = web_settings(tmp_path, jobs={})
    app = create_app(settings, bootstrap(settings))
    settings.state_db.unlink()
    settings.state_db.mkdir()  # the store's file is now a folder: SQLite cannot open it
    reasons = app.test_client().get("/readyz").get_json()["reasons"]
    assert reasons[0].startswith("state store unreachable") and "config: no workflow configured" in reasons


def test_api_run_with_its_problems_and_links(app):
    runs = seed_runs(app.config["SERVICES"].store)
    client = app.test_client()
    assert client.get(f"/api/runs/{runs['ok']}").status_code == 401
    body = client.get(f"/api/runs/{runs['ok']}", headers=AUTH).get_json()
    assert body["run"]["status"] == "ok" and body["run"]["summary"]["references"] == {"invited": 48, "answered": 31}
    assert [p["link"] for p in body["problems"]] == [SHEET_URL, "assessment.xlsx › ความพึงพอใจ!B5"]
    assert body["problems"][0]["value"] == "xxxxxxxxx3451" and NATIONAL_ID not in json.dumps(body)
    assert client.get("/api/runs/999", headers=AUTH).status_code == 404
    failed = client.get("/api/runs?status=failed", headers=AUTH).get_json()["runs"]
    assert [r["id"] for r in failed] == [runs["failed"]]


def test_every_log_line_of_a_run_is_json_with_its_run_id(app, monkeypatch):
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    setup_logging()
    try:
        logging.getLogger("app.test").info("before the run, ID %s", NATIONAL_ID)
        outcome = app.config["SERVICES"].run("assessment")
        logging.getLogger("app.test").info("after the run")
    finally:
        logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in stderr.getvalue().splitlines()]
    assert lines[0]["message"] == "before the run, ID xxxxxxxxx3451" and "run_id" not in lines[0]
    during = lines[1:-1]
    assert during and all(line["run_id"] == outcome.run_id for line in during)
    assert "run_id" not in lines[-1]
    assert set(lines[0]) == {"time", "level", "logger", "message"}


def test_next_run_is_when_the_scheduler_fires_next(tmp_path):
    settings = web_settings(tmp_path, {"assessment": JobSettings(kind="assessment", workbook="a.xlsx", cron="0 7 * * 1-5"),
                                       "reporting": JobSettings(kind="reporting", workbook="b.xlsx", interval_minutes=15)})
    jobs = {job.id: job.trigger for job in build_scheduler(bootstrap(settings)).get_jobs()}
    cron = schedule(settings.jobs["assessment"], settings.timezone, None, NOW)
    assert cron.next_at == jobs["assessment"].get_next_fire_time(None, NOW) and cron.rule == "วันจันทร์–ศุกร์ เวลา 07:00 น."
    interval = schedule(settings.jobs["reporting"], settings.timezone, None, NOW)
    assert interval.next_at == NOW and interval.rule == "ทุก 15 นาที"


def test_next_run_of_an_interval_counts_from_the_last_run_and_bad_or_no_schedule_says_so(app, clock):
    store = app.config["SERVICES"].store
    store.finish_run(store.start_run("assessment", "a.xlsx", "schedule"), "ok", {})
    every = JobSettings(kind="assessment", workbook="a.xlsx", interval_minutes=15)
    assert schedule(every, "Asia/Bangkok", store.last_run("assessment"), NOW + timedelta(minutes=20)).next_at \
        == NOW + timedelta(minutes=30)
    with pytest.raises(ValueError, match="needs 5 fields"):
        JobSettings(kind="assessment", workbook="a.xlsx", cron="not a cron")  # refused when the config is read
    assert schedule(JobSettings(kind="assessment", workbook="a.xlsx"), "Asia/Bangkok", None, NOW).rule.startswith("ไม่ได้ตั้งเวลา")


def test_a_job_with_a_form_says_it_runs_every_minute_by_default():
    form = JobSettings(kind="assessment", spreadsheet_id="sheet-1", reference_form_id="form-1")
    assert schedule(form, "Asia/Bangkok", None, NOW) == Schedule(NOW, "ทุก 1 นาที (ค่าเริ่มต้นของงานที่มีแบบฟอร์ม)")
    every = form.model_copy(update={"interval_minutes": 15})
    assert schedule(every, "Asia/Bangkok", None, NOW).rule == "ทุก 15 นาที"
