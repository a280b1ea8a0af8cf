"""Who started each run (issue 13, item 5: "who started a run is not recorded"): the scheduler, the OS user of a
command, the signed-in user of the page, the API — kept in the run store, shown in the history, the run page,
`python -m app history` and the JSON API; runs recorded before the store kept it read `ไม่ทราบ`."""
from __future__ import annotations

import getpass
import sqlite3

from app.adapters.state.db import MIGRATIONS
from app.adapters.state.run_store import RunStore
from app.adapters.xlsx import create_xlsx
from app.cli.main import main
from app.web import create_app
from app.wiring import bootstrap
from jobs.queue import consume_run_requests
from jobs.scheduler import run_scheduled
from tests.assessment.test_sync_satisfaction import TABS
from tests.web.browser.webapp import TOKEN, csrf_of, sign_in, web_settings
from tests.web.test_web_pages import page, text_of


def services_with_book(tmp_path):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    settings = web_settings(tmp_path)
    return settings, bootstrap(settings)


def test_each_way_of_starting_a_run_records_who(tmp_path, monkeypatch):
    monkeypatch.setattr("app.web.pages.RUN_NOW_WAIT_SECONDS", 0)
    settings, services = services_with_book(tmp_path)
    run_scheduled(services, "assessment")
    client = create_app(settings, services).test_client()
    sign_in(client, "op")
    client.post("/jobs/assessment/run", data={"csrf_token": csrf_of(page(client, "/"))})
    consume_run_requests(services)
    client.post("/api/jobs/assessment/run", headers={"Authorization": f"Bearer {TOKEN}"})
    consume_run_requests(services)
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{settings.state_db}"\n[jobs.assessment]\nkind = "assessment"\n'
                      f'workbook = "{tmp_path / "assessment.xlsx"}"\n', encoding="utf-8")
    assert main(["--config", str(config), "sync", "assessment"]) == 0

    runs = services.store.runs()
    assert [(r.trigger, r.started_by) for r in runs] == [
        ("manual", getpass.getuser()), ("api", "api"), ("web", "op"), ("schedule", "scheduler")]
    history = text_of(page(client, "/runs"))
    assert "ตัวตั้งเวลา (scheduler) · ตามเวลา" in history and "op · หน้าเว็บ" in history
    assert "API · API" in history and f"{getpass.getuser()} · คำสั่ง" in history
    detail = text_of(page(client, f"/runs/{runs[2].id}"))
    assert "สั่งโดย started by op" in detail and "ช่องทาง trigger หน้าเว็บ" in detail
    api = client.get("/api/runs", headers={"Authorization": f"Bearer {TOKEN}"}).get_json()
    assert [r["started_by"] for r in api["runs"]] == [getpass.getuser(), "api", "op", "scheduler"]


def test_runs_from_before_the_migration_read_unknown_everywhere(tmp_path, capsys):
    path = tmp_path / "state.sqlite"
    with sqlite3.connect(path) as con:  # a store as the version before this one left it
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for script in MIGRATIONS[:-1]:
            con.executescript(script)
        con.execute("INSERT INTO schema_version VALUES (?)", (len(MIGRATIONS) - 1,))
        con.execute("INSERT INTO runs (job, workbook, trigger, started, finished, status) VALUES ('assessment', "
                    "'a.xlsx', 'manual', '2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:05.000000+00:00', "
                    "'ok')")
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{path}"\n', encoding="utf-8")
    assert main(["--config", str(config), "migrate"]) == 0
    (old,) = RunStore(path).runs()
    assert old.started_by is None and old.starter == "ไม่ทราบ"
    capsys.readouterr()
    assert main(["--config", str(config), "history"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("#1  assessment  ok  2026-01-01 07:00  5 s  โดย (by) ไม่ทราบ [manual]")

    settings = web_settings(tmp_path)
    client = create_app(settings, bootstrap(settings)).test_client()
    sign_in(client, "view")
    assert "ไม่ทราบ · คำสั่ง" in text_of(page(client, "/runs"))


def test_history_lists_the_latest_runs_with_who_and_filters(tmp_path, capsys):
    settings, services = services_with_book(tmp_path)
    run_scheduled(services, "assessment")
    services.run("assessment", started_by="somchai", dry_run=True)
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{settings.state_db}"\n', encoding="utf-8")
    assert main(["--config", str(config), "history"]) == 0
    (line,) = capsys.readouterr().out.strip().splitlines()
    assert "assessment  ok" in line and "โดย (by) ตัวตั้งเวลา (scheduler) [schedule]" in line
    assert "rows_read=" in line
    assert main(["--config", str(config), "history", "--status", "preview"]) == 0
    assert "โดย (by) somchai [manual]" in capsys.readouterr().out
