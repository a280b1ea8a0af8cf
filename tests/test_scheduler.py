"""The scheduler process: one job per configured workflow; a busy lock skips, never doubles a run."""
from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.adapters.xlsx_workbook import create_xlsx
from app.config import Settings, WorkflowSettings
from app.wiring import bootstrap
from jobs.scheduler import build_scheduler, run_scheduled
from tests.test_sync_satisfaction import TABS


def services_for(tmp_path, **workflow):
    path = tmp_path / "a.xlsx"
    create_xlsx(path, TABS)
    settings = Settings(state_db=tmp_path / "state.sqlite",
                        workflows={"assessment": WorkflowSettings(workbook=path, **workflow)})
    return bootstrap(settings)


def test_interval_and_cron_jobs_from_config(tmp_path):
    scheduler = build_scheduler(services_for(tmp_path, interval_minutes=15))
    (job,) = scheduler.get_jobs()
    assert job.id == "assessment" and isinstance(job.trigger, IntervalTrigger) and job.max_instances == 1
    scheduler = build_scheduler(services_for(tmp_path / "c", cron="0 7-18 * * 1-5"))
    assert isinstance(scheduler.get_jobs()[0].trigger, CronTrigger)


def test_unscheduled_workflow_has_no_job(tmp_path):
    assert build_scheduler(services_for(tmp_path)).get_jobs() == []


def test_scheduled_run_records_and_busy_lock_skips(tmp_path):
    services = services_for(tmp_path, interval_minutes=5)
    run_scheduled(services, "assessment")
    assert [r.trigger for r in services.store.runs()] == ["schedule"]
    _book, key = services.workbook("assessment")
    with services.store.lock(key, owner="manual run"):
        run_scheduled(services, "assessment")
    assert len(services.store.runs()) == 1  # skipped, not run twice
