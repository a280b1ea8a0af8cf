"""Runs that ended without finishing: `interrupted` and `abandoned` are named on the pages, which stop refreshing."""
from __future__ import annotations

import subprocess
import sys

from app.adapters.state.run_store import RunStore
from app.config import JobSettings
from app.web import create_app
from app.wiring import bootstrap
from tests.sync.test_run_history import KILLED_RUN, ROOT
from tests.web.browser.webapp import sign_in, web_settings

REFRESH = 'http-equiv="refresh"'


def test_a_killed_run_shows_abandoned_and_the_pages_stop_refreshing(tmp_path):
    """Issue 11 (5): a killed run stayed `running` for ever and /runs refreshed itself for good."""
    settings = web_settings(tmp_path, {"assessment": JobSettings(kind="assessment", workbook=tmp_path / "a.xlsx")})
    app = create_app(settings, bootstrap(settings))  # the web server was up before the run was killed
    subprocess.run([sys.executable, "-c", KILLED_RUN, str(tmp_path / "state.sqlite")], cwd=ROOT)
    client = app.test_client()
    sign_in(client, "view")
    for path in ("/runs", "/runs/1", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "ค้างไม่จบ" in html and REFRESH not in html, path
    assert "is gone" in client.get("/runs/1").get_data(as_text=True)
    assert "ค้างไม่จบ" in client.get("/runs?status=abandoned").get_data(as_text=True)


def test_an_interrupted_run_is_named_and_does_not_refresh(tmp_path):
    settings = web_settings(tmp_path, {"assessment": JobSettings(kind="assessment", workbook=tmp_path / "a.xlsx")})
    store = RunStore(settings.state_db)
    run = store.start_run("assessment", "a.xlsx", "schedule")
    store.finish_run(run, "interrupted", {}, "หยุดตามสัญญาณ SIGTERM (stopped by SIGTERM)")
    client = create_app(settings, bootstrap(settings)).test_client()
    sign_in(client, "view")
    html = client.get(f"/runs/{run}").get_data(as_text=True)
    assert "ถูกสั่งหยุด" in html and "stopped by SIGTERM" in html and REFRESH not in html
    running = store.start_run("assessment", "a.xlsx", "manual")  # this process is alive: still running
    assert REFRESH in client.get(f"/runs/{running}").get_data(as_text=True)
