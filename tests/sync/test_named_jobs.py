"""Named jobs: one service syncs many spreadsheets (two assessment rounds, two reporting activities), each job with
its own run history, lock and sent-mail ledger; the single-job config of earlier versions still works."""
from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from app.adapters.xlsx import XlsxWorkbook, create_xlsx
from app.cli.main import main
from app.config import GoogleSettings, JobSettings, MailSettings, Settings, load_settings
from app.errors import BusyError, ConfigError
from app.wiring import bootstrap
from tests import reporting_book
from tests.assessment_book import NOW, SECRET, workbook
from tests.assessment.test_sync_assessment import SUMMARY

JOBS = {"assessment-2568": "assessment", "assessment-2569": "assessment",
        "cluster-5-1-2": "reporting", "cluster-5-1-3": "reporting"}
OUTPUT_TAB = {"assessment": SUMMARY, "reporting": "สรุปผลผลิต"}


def officer_tabs(kind: str) -> dict:
    return workbook() if kind == "assessment" else reporting_book.TABS


def four_jobs(backend: str, tmp_path, fake=None):
    """The four jobs on local workbooks or on four spreadsheets of the fake Google; and a reader of a job's tab."""
    jobs, readers = {}, {}
    for name, kind in JOBS.items():
        if backend == "xlsx":
            path = tmp_path / f"{name}.xlsx"
            create_xlsx(path, officer_tabs(kind))
            jobs[name] = JobSettings(kind=kind, workbook=path)
            readers[name] = lambda tab, path=path: XlsxWorkbook(path).read([tab])[tab]
        else:
            sheet_id = fake.create_spreadsheet(name, officer_tabs(kind))
            jobs[name] = JobSettings(kind=kind, spreadsheet_id=sheet_id)
            readers[name] = lambda tab, sheet_id=sheet_id: fake.values(sheet_id, tab)
    google = GoogleSettings(endpoint=fake.base_url, backoff_base=0) if fake else GoogleSettings()
    settings = Settings(state_db=tmp_path / "state.sqlite", google=google, jobs=jobs,
                        reference_secret=SecretStr(SECRET.decode()),
                        mail=MailSettings(outbox_dir=tmp_path / "outbox"))
    services = bootstrap(settings, key_source=fake.service_account_info() if fake else None, clock=lambda: NOW)
    return services, readers


@pytest.mark.parametrize("backend", ["xlsx", "google"])
def test_four_jobs_each_with_its_own_history_lock_and_ledger(backend, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if backend == "google" else None
    services, read = four_jobs(backend, tmp_path, fake)
    for name in JOBS:
        outcome = services.run(name)
        assert outcome.status == "ok" and outcome.counts["rows_read"] > 0, name
    for name, kind in JOBS.items():
        history = services.store.runs(job=name)
        assert [r.status for r in history] == ["ok"], name
        assert len(read[name](OUTPUT_TAB[kind])) > 1, name  # the job's own workbook got its summary

    ledger = {name: [m.key for m in services.store.mails(f"{name}/")] for name in JOBS}
    first, second = ledger["assessment-2568"], ledger["assessment-2569"]
    assert first and len(first) == len(second)  # the same references, invited once per round
    assert {k.split("/", 1)[1] for k in first} == {k.split("/", 1)[1] for k in second}
    assert ledger["cluster-5-1-2"] == ledger["cluster-5-1-3"] == []

    again = services.run("assessment-2569")
    assert again.counts["mails_sent"] == 0  # its ledger remembers every mail of the first run

    _book, key = services.workbook("assessment-2568")
    with services.store.lock(key, owner="someone else"):
        with pytest.raises(BusyError):
            services.run("assessment-2568")
        assert services.run("assessment-2569").status == "ok"  # another workbook's lock is not this one's


def test_sync_without_a_job_runs_every_configured_job(tmp_path, capsys):
    config = tmp_path / "config.toml"
    lines = [f'state_db = "{tmp_path / "state.sqlite"}"', f'[mail]\noutbox_dir = "{tmp_path / "outbox"}"']
    for name, kind in JOBS.items():
        create_xlsx(tmp_path / f"{name}.xlsx", officer_tabs(kind))
        lines.append(f'[jobs.{name}]\nkind = "{kind}"\nworkbook = "{tmp_path / name}.xlsx"')
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["sync", "--config", str(config)]) == 0  # --config after the command too
    out = capsys.readouterr().out
    assert all(f"{name}: run " in out for name in JOBS)
    assert main(["--config", str(config), "sync", "cluster-5-1-3"]) == 0
    assert main(["--config", str(config), "sync", "no-such-job"]) == 2
    assert "unknown job 'no-such-job'" in capsys.readouterr().err


def test_an_old_style_config_still_works_with_one_deprecation_line(tmp_path, caplog, capsys):
    path = tmp_path / "assessment.xlsx"
    create_xlsx(path, workbook())
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\n[mail]\noutbox_dir = "{tmp_path / "outbox"}"\n'
                      f'[workflows.assessment]\nworkbook = "{path}"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="app.config"):
        settings = load_settings(config, environ={})
    assert [r.getMessage() for r in caplog.records if "deprecated" in r.getMessage()] != []
    assert settings.jobs["assessment"].kind == "assessment"
    assert main(["--config", str(config), "sync"]) == 0
    services = bootstrap(load_settings(config, environ={}))
    assert [r.job for r in services.store.runs()] == ["assessment"]
    keys = [m.key for m in services.store.mails()]
    assert keys and all(k.startswith("ref:") for k in keys)  # the bare keys earlier versions wrote: nothing resent


@pytest.mark.parametrize("text, message", [
    ('[jobs.x]\nkind = "payroll"\nworkbook = "a.xlsx"\n', "unknown kind 'payroll'"),
    ('[jobs."Bad Name"]\nkind = "assessment"\n', "jobs.Bad Name"),
    ('[workflows.assessment]\nworkbook = "a.xlsx"\n[jobs.assessment]\nkind = "assessment"\n', "keep one"),
])
def test_a_bad_job_stops_with_one_line(tmp_path, text, message):
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path / "s.sqlite"}"\n' + text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        bootstrap(load_settings(config, environ={}))
