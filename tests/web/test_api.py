"""The JSON API over the real Flask app: health, bearer token, runs list, run-now."""
from __future__ import annotations

import pytest
from pydantic import SecretStr

from app.adapters.xlsx import XlsxWorkbook, create_xlsx
from app.config import Settings, JobSettings
from app.web import create_app
from app.wiring import bootstrap
from tests.assessment.test_sync_satisfaction import TABS
from tests.web.browser.webapp import scheduler_running

TOKEN = "s3cret-token"


@pytest.fixture
def client(tmp_path):
    path = tmp_path / "a.xlsx"
    create_xlsx(path, TABS)
    settings = Settings(state_db=tmp_path / "state.sqlite", api_token=SecretStr(TOKEN),
                        jobs={"assessment": JobSettings(kind="assessment", workbook=path)})
    app = create_app(settings, bootstrap(settings))
    app.config["WORKBOOK"] = path
    with scheduler_running(app.config["SERVICES"]):  # run-now is run by the scheduler
        yield app.test_client()


def auth(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_healthz_needs_no_token(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


@pytest.mark.parametrize("headers", [{}, auth("wrong"), {"Authorization": TOKEN}])
def test_api_refuses_without_the_right_bearer(client, headers):
    assert client.get("/api/runs", headers=headers).status_code == 401
    answer = client.post("/api/jobs/assessment/run", headers=headers)
    assert answer.status_code == 401 and TOKEN not in answer.get_data(as_text=True)


def test_run_now_then_listed(client):
    answer = client.post("/api/jobs/assessment/run?wait=1", headers=auth())
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "ok" and body["counts"]["problems"] == 4
    runs = client.get("/api/runs", headers=auth()).get_json()["runs"]
    assert [(r["id"], r["job"], r["trigger"], r["status"]) for r in runs] == [(body["run_id"], "assessment", "api", "ok")]
    assert "ภาพรวมการประเมิน" in XlsxWorkbook(client.application.config["WORKBOOK"]).tab_titles()


def test_unknown_job_is_404(client):
    assert client.post("/api/jobs/nothing/run", headers=auth()).status_code == 404


def test_background_run_is_queued_for_the_scheduler(client):
    answer = client.post("/api/jobs/assessment/run", headers=auth())
    body = answer.get_json()
    assert answer.status_code == 202 and (body["job"], body["status"], body["request"]["state"]) == \
        ("assessment", "queued", "queued")
    assert client.get(f"/api/requests/{body['request']['id']}", headers=auth()).get_json()["request"]["job"] == \
        "assessment"


def test_a_busy_workbook_answers_409(client):
    services = client.application.config["SERVICES"]
    _book, key = services.workbook("assessment")
    with services.store.lock(key, owner="someone-else"):
        answer = client.post("/api/jobs/assessment/run?wait=1", headers=auth())
    assert answer.status_code == 409
