"""Named jobs on the web: each assessment round and reporting activity has its own page, history and run-now."""
from __future__ import annotations

import pytest

from app.config import JobSettings
from app.web import create_app
from app.wiring import bootstrap
from tests.web.browser.webapp import ASSESSMENT, REPORTING, TOKEN, sign_in, web_settings
from tests.web.test_web_pages import page, text_of


@pytest.fixture
def client(tmp_path):
    settings = web_settings(tmp_path, {
        "assessment-2568": JobSettings(kind="assessment", workbook=tmp_path / "a68.xlsx"),
        "assessment-2569": JobSettings(kind="assessment", workbook=tmp_path / "a69.xlsx"),
        "cluster-5-1-2": JobSettings(kind="reporting", workbook=tmp_path / "r.xlsx")})
    services = bootstrap(settings)
    older = services.store.start_run("assessment-2568", "a68.xlsx", "manual")
    services.store.finish_run(older, "ok", {"rows_read": 5}, summary=dict(ASSESSMENT, references={
        "invited": 7, "answered": 3}))
    newer = services.store.start_run("assessment-2569", "a69.xlsx", "manual")
    services.store.finish_run(newer, "ok", {"rows_read": 9}, summary=ASSESSMENT)
    report = services.store.start_run("cluster-5-1-2", "r.xlsx", "manual")
    services.store.finish_run(report, "ok", {"rows_read": 120}, summary=REPORTING)
    client = create_app(settings, services).test_client()
    sign_in(client, "op")
    return client


def test_each_assessment_round_has_its_own_page(client):
    first = text_of(page(client, "/assessment"))  # the first configured job of the kind
    assert "assessment-2568" in first and "assessment-2569" in first  # the picker names both rounds
    assert "ตอบแล้ว 3 จาก 7 คนที่เชิญ" in first and "#1" in first
    chosen = text_of(page(client, "/assessment?job=assessment-2569"))
    assert "ตอบแล้ว 31 จาก 48 คนที่เชิญ" in chosen and "#2" in chosen
    assert "ตอบแล้ว 3 จาก 7" in text_of(page(client, "/assessment?job=cluster-5-1-2"))  # not of this kind
    reporting = page(client, "/reporting")
    assert "#3" in text_of(reporting) and 'class="jobs"' not in reporting  # one reporting job: no picker


def test_history_filters_by_any_configured_job_and_the_api_runs_only_configured_ones(client):
    history = text_of(page(client, "/runs?job=assessment-2569"))
    assert "#2 assessment-2569" in history and "#1" not in history and "#3" not in history
    unknown = client.post("/api/jobs/assessment/run", headers={"Authorization": f"Bearer {TOKEN}"})
    assert unknown.status_code == 404  # the kind is not a job of this config
    assert client.post("/jobs/payroll/run", data={}).status_code in (400, 404)
