"""Operations commands: --version from the package metadata, migrate (idempotent), prune of old run history."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

from app.adapters.state.db import MIGRATIONS
from app.adapters.state.run_store import RunStore
from app.cli.main import main
from app.sheets.problems import RowProblem
from app.sync.ports import FormResponse


def test_version_comes_from_the_installed_package():
    done = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"python -m app {version('sme-sheets-service')}"


def config_for(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\n', encoding="utf-8")
    return str(path)


def test_migrate_upgrades_an_older_store_once(tmp_path, capsys):
    with sqlite3.connect(tmp_path / "state.sqlite") as con:  # a store as the previous version left it
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for script in MIGRATIONS[:3]:
            con.executescript(script)
        con.execute("INSERT INTO schema_version VALUES (3)")
        con.execute("INSERT INTO runs (job, workbook, trigger, started) VALUES ('a', 'a.xlsx', 'manual', '2026-01-01T00:00:00.000000+00:00')")
    assert main(["migrate", "--config", config_for(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith(f"schema version 3 → {len(MIGRATIONS)}")
    assert main(["--config", config_for(tmp_path), "migrate"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"schema version {len(MIGRATIONS)}, already current")
    store = RunStore(tmp_path / "state.sqlite")
    assert [r.job for r in store.runs()] == ["a"] and store.request_run("a", "web", "op").state == "queued"


def test_prune_forgets_old_runs_but_never_the_mail_ledger_or_form_answers(tmp_path, capsys):
    old = datetime(2020, 1, 1, tzinfo=timezone.utc)
    moment = [old]
    store = RunStore(tmp_path / "state.sqlite", clock=lambda: moment[0])
    for job in ("a", "a", "b"):
        run = store.start_run(job, f"{job}.xlsx", "schedule")
        store.add_problems(run, [RowProblem("tab", 2, "col", f"x{run}", "bad")])
        store.add_log(run, "INFO", "line")
        store.finish_run(run, "ok", {})
    assert store.claim_mail("a:ref-1", "ref@example.test", "invitation")
    store.mark_sent("a:ref-1", "outbox-1")
    store.store_responses("form:1", [FormResponse("r1", old, None, {"q": "a"})])
    moment[0] = datetime.now(timezone.utc) - timedelta(days=1)
    recent = store.start_run("a", "a.xlsx", "schedule")
    store.finish_run(recent, "ok", {})

    assert main(["--config", config_for(tmp_path), "prune", "--keep-days", "30"]) == 0
    assert "forgot 2 runs, 2 problems, 2 log lines" in capsys.readouterr().out
    kept = {r.id for r in store.runs(limit=10)}
    assert kept == {recent, 3}  # the recent run, and job b's only (latest) run though it is old
    assert store.mail_record("a:ref-1").state == "sent" and len(store.stored_responses("form:1")) == 1
    assert main(["--config", config_for(tmp_path), "prune", "--keep-days", "0"]) == 2


def test_two_demo_folders_keep_separate_state(tmp_path, monkeypatch, capsys):
    from app.config import load_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SERVICE_CONFIG", raising=False)
    for folder in ("one", "two"):
        assert main(["init-demo", "--dir", folder]) == 0
    one, two = (load_settings(tmp_path / f / "config.toml", environ={}) for f in ("one", "two"))
    assert one.state_db == tmp_path / "one" / "var" / "state.sqlite"
    assert two.mail.outbox_dir == tmp_path / "two" / "var" / "outbox"
    assert (tmp_path / "one" / "var" / "reference-secret").read_bytes() != \
        (tmp_path / "two" / "var" / "reference-secret").read_bytes()
    assert "one/var" in (tmp_path / "one" / "config.toml").read_text(encoding="utf-8").splitlines()[1]
    assert not (tmp_path / "var").exists()


def test_check_names_the_config_file_it_read_or_says_none_was_found(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SERVICE_CONFIG", raising=False)
    assert main(["check"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("✗ config file: none found, the defaults are in use\n    → copy config.example.toml")
    config = config_for(tmp_path)
    monkeypatch.setenv("SERVICE_CONFIG", config)
    main(["check"])
    assert capsys.readouterr().out.startswith(f"✓ config file {config} read and valid")
