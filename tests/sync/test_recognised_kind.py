"""A Google job whose config names no kind: its layout is recognised from the spreadsheet's tab titles, as a local
workbook's is (recognise_workbook), out of the metadata the run reads anyway — no extra request."""
from __future__ import annotations

import pytest

from app.config import ConfigError
from tests import reporting_book
from tests.adapters.test_google_paths import NOTES_READ, sheets_requests
from tests.assessment.test_sync_satisfaction import TABS
from tests.backends import make_backend


def without_kind(backend, name: str):
    settings = backend.services.settings
    jobs = {"job": settings.jobs[name].model_copy(update={"kind": None})}
    backend.services.settings = settings.model_copy(update={"jobs": jobs})
    return backend


@pytest.mark.parametrize("tabs, kind", [(TABS, "assessment"), (reporting_book.TABS, "reporting")])
def test_a_job_naming_no_kind_is_recognised_by_its_tab_titles_at_no_extra_request(fake_google, tmp_path, tabs, kind):
    named = make_backend("google", tabs, tmp_path / "named", fake_google, workflow=kind)
    assert named.run(kind).status == "ok"
    with_kind = sheets_requests(fake_google)
    written = [named.read(tab) for tab in named.services.workflow(kind).service_titles()]
    unnamed = without_kind(make_backend("google", tabs, tmp_path / "unnamed", fake_google, workflow=kind), kind)
    outcome = unnamed.run("job")
    without = {method: count - with_kind.get(method, 0) for method, count in sheets_requests(fake_google).items()}
    # one metadata get; the other is the first run's read of the notes on its problem cells (as the named job's)
    assert outcome.status == "ok" and without == with_kind and without["sheets.spreadsheets.get"] == 1 + NOTES_READ
    assert unnamed.services.kind("job").name == kind and unnamed.services.job_spec("job").kind == kind
    assert [unnamed.read(tab) for tab in unnamed.services.workflow("job").service_titles()] == written


def test_tab_titles_that_fit_no_layout_stop_with_one_line_naming_the_setting(fake_google, tmp_path):
    backend = without_kind(make_backend("google", {"ชีต1": [["ชื่อ"]]}, tmp_path, fake_google), "assessment")
    with pytest.raises(ConfigError) as stopped:
        backend.run("job")
    assert "names no kind" in str(stopped.value) and "set jobs.job.kind to one of" in str(stopped.value)
    assert "\n" not in str(stopped.value)


def test_a_scheduled_run_recognises_the_kind_itself_then_the_change_check_applies(fake_google, tmp_path):
    backend = without_kind(make_backend("google", TABS, tmp_path, fake_google), "assessment")
    assert backend.run("job", trigger="schedule").status == "ok"
    # nothing opened before the run: its metadata get, and the notes read of its problem cells
    assert sheets_requests(fake_google)["sheets.spreadsheets.get"] == 1 + NOTES_READ
    assert backend.run("job", trigger="schedule").status == "ok"  # kind known: this run keeps the change mark
    assert backend.run("job", trigger="schedule").status == "skipped"  # nothing changed: not run again
