"""The scheduler process: one job per configured workflow; a busy lock skips, never doubles a run."""
from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.adapters.xlsx import create_xlsx
from app.config import Settings, JobSettings
from app.wiring import bootstrap
from jobs.scheduler import INTERNAL_JOBS, build_scheduler, run_scheduled


def workflow_jobs(scheduler):
    """The scheduler's jobs that run workflows (besides them it always polls the run-now queue and beats)."""
    assert {job.id for job in scheduler.get_jobs()} >= set(INTERNAL_JOBS)
    return [job for job in scheduler.get_jobs() if job.id not in INTERNAL_JOBS]
from tests.assessment.test_sync_satisfaction import TABS


def services_for(tmp_path, **workflow):
    path = tmp_path / "a.xlsx"
    create_xlsx(path, TABS)
    settings = Settings(state_db=tmp_path / "state.sqlite",
                        jobs={"assessment": JobSettings(kind="assessment", workbook=path, **workflow)})
    return bootstrap(settings)


def test_interval_and_cron_jobs_from_config(tmp_path):
    scheduler = build_scheduler(services_for(tmp_path, interval_minutes=15))
    (job,) = workflow_jobs(scheduler)
    assert job.id == "assessment" and isinstance(job.trigger, IntervalTrigger) and job.max_instances == 1
    scheduler = build_scheduler(services_for(tmp_path / "c", cron="0 7-18 * * 1-5"))
    assert isinstance(workflow_jobs(scheduler)[0].trigger, CronTrigger)


def test_unscheduled_workflow_has_no_job(tmp_path):
    assert workflow_jobs(build_scheduler(services_for(tmp_path))) == []


def test_a_job_with_a_form_runs_every_minute_unless_its_config_says_otherwise(tmp_path):
    """Issue #12: "With that, a 1-minute interval is the default for jobs with open forms." (an idle minute is
    one Drive request and the form's responses.list: tests/sync/test_change_check.py)"""
    from datetime import timedelta

    (job,) = workflow_jobs(build_scheduler(services_for(tmp_path / "f", reference_form_id="form-1")))
    assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(minutes=1)
    (job,) = workflow_jobs(build_scheduler(services_for(tmp_path / "i", reference_form_id="form-1",
                                                        interval_minutes=15)))
    assert job.trigger.interval == timedelta(minutes=15)
    (job,) = workflow_jobs(build_scheduler(services_for(tmp_path / "c", reference_form_id="form-1",
                                                        cron="0 7 * * 1-5")))
    assert isinstance(job.trigger, CronTrigger)


def test_scheduled_run_records_and_busy_lock_skips(tmp_path):
    services = services_for(tmp_path, interval_minutes=5)
    run_scheduled(services, "assessment")
    assert [r.trigger for r in services.store.runs()] == ["schedule"]
    _book, key = services.workbook("assessment")
    with services.store.lock(key, owner="manual run"):
        run_scheduled(services, "assessment")
    assert len(services.store.runs()) == 1  # skipped, not run twice


def test_cron_weekdays_are_read_as_crontab_reads_them():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app.sync.schedules import cron_trigger, crontab_weekdays

    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert crontab_weekdays("1-5") == "mon,tue,wed,thu,fri" and crontab_weekdays("0,7") == "sun"
    assert crontab_weekdays("*") == "*" and crontab_weekdays("sat") == "sat"
    weekdays = cron_trigger("0 7 * * 1-5", "Asia/Bangkok").get_next_fire_time(None, saturday)
    assert (weekdays.strftime("%a"), weekdays.day, weekdays.hour) == ("Mon", 23, 7)
    sunday = cron_trigger("30 6 * * 0", "Asia/Bangkok").get_next_fire_time(None, saturday)
    assert (sunday.strftime("%a"), sunday.day) == ("Sun", 22)


def test_a_bad_cron_line_stops_at_config_time(tmp_path):
    import pytest

    from app.config import ConfigError, load_settings

    config = tmp_path / "config.toml"
    config.write_text('[workflows.assessment]\nworkbook = "a.xlsx"\ncron = "0 7 * * 1-9"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="workflows.assessment.*0–7"):
        load_settings(config)
