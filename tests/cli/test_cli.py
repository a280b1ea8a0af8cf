"""`python -m app`: exit codes (0 completed, 1 backend, 2 config/usage) and one line on stderr."""
from __future__ import annotations

import subprocess
import sys

import pytest

from app.cli.main import main
from tests.assessment.test_sync_satisfaction import TABS
from app.adapters.state.run_store import RunStore
from app.adapters.xlsx import XlsxWorkbook, create_xlsx


@pytest.fixture
def workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "แบบประเมิน.xlsx"
    create_xlsx(path, TABS)
    return path


def test_sync_completes_with_data_problems_exit_0(workbook, capsys):
    assert main(["sync", "assessment", "--workbook", str(workbook)]) == 0
    assert "problems 4" in capsys.readouterr().out
    assert "ภาพรวมการประเมิน" in XlsxWorkbook(workbook).tab_titles()


def test_sync_of_a_configured_job_says_when_nothing_changed_and_recompute_runs_anyway(workbook, tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\n[jobs.assessment]\nkind = "assessment"\n'
                      f'workbook = "{workbook}"\n', encoding="utf-8")
    assert main(["--config", str(config), "sync", "assessment"]) == 0
    assert "run 1 ok — rows read" in capsys.readouterr().out
    assert main(["--config", str(config), "sync", "assessment"]) == 0
    assert capsys.readouterr().out.strip() == (
        "assessment: run 2 skipped — nothing changed since the last run, the service tabs are up to date "
        "(ไม่มีอะไรเปลี่ยนตั้งแต่รอบก่อน); --recompute computes and writes anyway")
    assert main(["--config", str(config), "sync", "assessment", "--recompute"]) == 0
    out = capsys.readouterr().out
    assert "run 3 ok — rows read" in out and "cells written 0" in out


def test_workflow_is_recognised_from_the_tabs(workbook, capsys):
    assert main(["sync", "--workbook", str(workbook)]) == 0
    assert capsys.readouterr().out.startswith("assessment:")


def test_dry_run_lists_cells_and_writes_nothing(workbook, capsys):
    assert main(["sync", "--workbook", str(workbook), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "cells would change" in out and "  ภาพรวมการประเมิน:\n    A1  (ว่าง) → รายการ" in out
    assert "ภาพรวมการประเมิน" not in XlsxWorkbook(workbook).tab_titles()


def test_a_dry_run_is_a_preview_kept_out_of_the_history(workbook, tmp_path, capsys):
    assert main(["sync", "assessment", "--workbook", str(workbook)]) == 0
    assert main(["sync", "assessment", "--workbook", str(workbook), "--dry-run"]) == 0
    store = RunStore(tmp_path / "var" / "state.sqlite")
    assert [r.status for r in store.runs(job="assessment")] == ["ok"]
    assert store.last_run("assessment").status == "ok"
    assert [r.status for r in store.runs(job="assessment", status="preview")] == ["preview"]


def test_missing_header_exit_2_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "broken.xlsx"
    create_xlsx(path, dict(TABS, **{"ความพึงพอใจ": [["ประทับเวลา", "คะแนน"], [45600, 5]]}))
    assert main(["sync", "assessment", "--workbook", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ข้อ 1" in err


def test_bad_config_exit_2_naming_the_key(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('[google]\nmax_atempts = 3\n', encoding="utf-8")
    assert main(["--config", str(config), "sync"]) == 2
    assert "google.max_atempts" in capsys.readouterr().err


def test_secret_in_config_file_is_refused(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('api_token = "hunter2"\n', encoding="utf-8")
    assert main(["--config", str(config), "sync"]) == 2
    err = capsys.readouterr().err
    assert "SERVICE_API_TOKEN" in err and "hunter2" not in err


def test_unreadable_workbook_exit_1(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "not-a-workbook.xlsx"
    path.write_text("hello", encoding="utf-8")
    assert main(["sync", "assessment", "--workbook", str(path)]) == 1
    assert "cannot be opened" in capsys.readouterr().err


def test_google_backend_failure_exit_1(fake_google, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    key = tmp_path / "key.json"
    key.write_text(__import__("json").dumps(fake_google.service_account_info()), encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[google]\ncredentials_file = "{key}"\nendpoint = "{fake_google.base_url}"\n'
                      f'backoff_base = 0\n[workflows.assessment]\nspreadsheet_id = "nope"\n', encoding="utf-8")
    assert main(["--config", str(config), "sync", "assessment"]) == 1
    assert "not found: check spreadsheet_id" in capsys.readouterr().err


def test_check_reports_each_item_with_its_fix(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "broken.xlsx"
    create_xlsx(path, dict(TABS, **{"ความพึงพอใจ": [["ประทับเวลา", "คะแนน"]]}))
    config = tmp_path / "config.toml"
    config.write_text(f'[workflows.assessment]\nworkbook = "{path}"\n', encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 2
    out = capsys.readouterr().out
    assert "✓ assessment: workbook broken.xlsx reachable" in out
    assert "✗ assessment: tab ความพึงพอใจ: required headers" in out and "→" in out


def test_python_dash_m_app_runs(workbook):
    done = subprocess.run([sys.executable, "-m", "app", "sync", "--workbook", str(workbook)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_check_on_google_covers_key_sharing_headers_and_form(fake_google, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    key = tmp_path / "key.json"
    key.write_text(__import__("json").dumps(fake_google.service_account_info()), encoding="utf-8")
    sheet = fake_google.create_spreadsheet("แบบประเมิน", TABS)
    form = fake_google.create_form("แบบประเมินบุคคลอ้างอิง", [{"title": "เลขที่ใบสมัคร", "kind": "text"}],
                                   shared_with=["someone@else.test"])
    config = tmp_path / "config.toml"
    config.write_text(f'[google]\ncredentials_file = "{key}"\nendpoint = "{fake_google.base_url}"\nbackoff_base = 0\n'
                      f'[workflows.assessment]\nspreadsheet_id = "{sheet}"\nreference_form_id = "{form}"\n',
                      encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 2
    out = capsys.readouterr().out
    assert "✓ service-account key" in out and "✓ assessment: workbook แบบประเมิน reachable" in out
    assert "✓ assessment: tab ความพึงพอใจ: required headers present" in out
    assert f"✗ assessment: reference form {form} reachable" in out and "share the form" in out
    assert "✗ reference-link secret (REFERENCE_TOKEN_SECRET)\n    → set REFERENCE_TOKEN_SECRET" in out


def test_the_example_config_is_valid():
    from pathlib import Path

    from app.config import load_settings

    settings = load_settings(Path(__file__).resolve().parents[2] / "config.example.toml", environ={})
    assert settings.jobs["assessment"].interval_minutes == 15 and settings.web.users["somchai"].role == "operator"


def test_check_accepts_the_secret_from_the_environment(fake_google, tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REFERENCE_TOKEN_SECRET", "a-long-random-text-for-links")
    key = tmp_path / "key.json"
    key.write_text(json.dumps(fake_google.service_account_info()), encoding="utf-8")
    sheet = fake_google.create_spreadsheet("แบบประเมิน", TABS)
    config = tmp_path / "config.toml"
    config.write_text(f'[google]\ncredentials_file = "{key}"\nendpoint = "{fake_google.base_url}"\n'
                      f'[workflows.assessment]\nspreadsheet_id = "{sheet}"\n', encoding="utf-8")
    main(["--config", str(config), "check"])  # exit 2: this small sheet lacks applicant headers
    out = capsys.readouterr().out
    assert "✓ reference-link secret (REFERENCE_TOKEN_SECRET)" in out and "a-long-random-text" not in out
