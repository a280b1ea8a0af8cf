"""An honest run history: recorded before the first network call, every failure a failed run with one line,
killed runs closed as abandoned at the next start, SIGTERM/SIGINT recorded as interrupted."""
from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from app.adapters.state.run_store import RunStore
from app.cli.main import main
from app.config import GoogleSettings, JobSettings, Settings
from app.errors import ConfigError, Interrupted, RunCrashed, ServiceError
from app.interrupts import stop_on_signals
from app.sync.seen_read import ChangeMark
from app.wiring import bootstrap
from jobs.scheduler import run_scheduled
from tests.adapters.test_mailers import free_port
from tests.assessment.test_sync_satisfaction import TABS
from tests.assessment_book import Clock, assessment_backend
from tests.backends import NOW

ROOT = Path(__file__).resolve().parents[2]
GET = "sheets.spreadsheets.get"
READ = "sheets.spreadsheets.values.batchGet"


def google_services(fake, tmp_path, spreadsheet_id: str, key: dict | None = None, **google):
    settings = Settings(state_db=tmp_path / "state.sqlite",
                        google=GoogleSettings(endpoint=fake.base_url, backoff_base=0, max_attempts=2, **google),
                        jobs={"assessment": JobSettings(kind="assessment", spreadsheet_id=spreadsheet_id)})
    return bootstrap(settings, key_source=key or fake.service_account_info())


def config_file(tmp_path: Path, fake, spreadsheet_id: str, key: dict | None = None, extra: str = "") -> Path:
    """A config for the CLI on the fake Google, with a key file, as an officer would write it."""
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key or fake.service_account_info()), encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\n{extra}\n[google]\ncredentials_file = "{key_file}"\n'
                      f'endpoint = "{fake.base_url}"\nbackoff_base = 0\nmax_attempts = 2\n\n'
                      f'[jobs.assessment]\nkind = "assessment"\nspreadsheet_id = "{spreadsheet_id}"\n',
                      encoding="utf-8")
    return config


def corrupt_key(fake) -> dict:
    key = fake.service_account_info()
    return key | {"private_key": key["private_key"].replace("\n", "").replace("MII", "XX", 1)[:200]}


def unreachable_token(fake) -> dict:
    return fake.service_account_info() | {"token_uri": f"http://127.0.0.1:{free_port()}/token"}


FAILURES_BEFORE_THE_FIRST_READ = {
    "spreadsheet 404": (lambda fake: "no-such-spreadsheet", None, lambda fake: None, "not found"),
    "not shared": (lambda fake: fake.create_spreadsheet("ของคนอื่น", TABS, shared_with="someone@else.example"),
                   None, lambda fake: None, "not shared"),
    "503 storm on spreadsheets.get": (lambda fake: fake.create_spreadsheet("แบบประเมิน", TABS), None,
                                      lambda fake: fake.inject_fault(GET, status=503, times=10), "gave up after 2"),
    "OAuth token 500": (lambda fake: fake.create_spreadsheet("แบบประเมิน", TABS), None,
                        lambda fake: fake.inject_fault("oauth2.token", status=500, times=30), "Google sign-in failed"),
    "OAuth unreachable": (lambda fake: fake.create_spreadsheet("แบบประเมิน", TABS), unreachable_token,
                          lambda fake: None, "ติดต่อ Google ไม่สำเร็จ"),
    "corrupt private key": (lambda fake: fake.create_spreadsheet("แบบประเมิน", TABS), corrupt_key,
                            lambda fake: None, "private_key cannot be read"),
}


@pytest.mark.parametrize("case", FAILURES_BEFORE_THE_FIRST_READ)
def test_a_failure_before_the_first_read_is_a_failed_run_with_one_line(fake_google, tmp_path, case):
    """Issue 11 (5, 6): a missing or unshared spreadsheet, a 503 storm, an OAuth failure or a bad key left no run
    on the record (the last run still read ok, /readyz stayed ready), or ended in a traceback."""
    make_sheet, make_key, fault, expected = FAILURES_BEFORE_THE_FIRST_READ[case]
    sheet_id = make_sheet(fake_google)
    services = google_services(fake_google, tmp_path, sheet_id, make_key(fake_google) if make_key else None)
    fault(fake_google)
    with pytest.raises(ServiceError, match=expected) as failure:
        services.run("assessment")
    [run] = services.store.runs()
    assert (run.status, run.error, run.workbook) == ("failed", str(failure.value), sheet_id)
    assert "\n" not in run.error and fake_google.request_counts[READ] == 0


@pytest.mark.parametrize("case, code", [("spreadsheet 404", 1), ("OAuth unreachable", 1), ("corrupt private key", 2)])
def test_the_cli_says_it_in_one_line_with_the_right_exit_code(fake_google, tmp_path, capsys, case, code):
    make_sheet, make_key, fault, expected = FAILURES_BEFORE_THE_FIRST_READ[case]
    config = config_file(tmp_path, fake_google, make_sheet(fake_google), make_key(fake_google) if make_key else None)
    assert main(["--config", str(config), "sync", "assessment"]) == code
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if not line.startswith("{")]  # JSON log lines aside
    assert line.startswith("error: ") and expected in line and "Traceback" not in err
    assert RunStore(tmp_path / "state.sqlite").runs()[0].error == line.removeprefix("error: ")


def test_the_record_comes_before_the_first_network_call(fake_google, tmp_path):
    sheet_id = fake_google.create_spreadsheet("แบบประเมิน", TABS)
    services = google_services(fake_google, tmp_path, sheet_id)
    fake_google.inject_fault("oauth2.token", status=None, delay=0.5)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(services.run("assessment")))
    worker.start()
    while not fake_google.request_counts["oauth2.token"]:
        time.sleep(0.01)
    assert [r.status for r in services.store.runs()] == ["running"]  # while the very first call is under way
    worker.join()
    [run] = services.store.runs()
    assert (run.status, run.workbook) == ("ok", "แบบประเมิน")  # named by its title once it has been read


def test_an_unexpected_exception_is_a_failed_run_with_one_line(tmp_path):
    during = []

    class Broken:
        def send(self, message):
            during.append(gc.get_threshold())
            raise RuntimeError("a bug\nwith a second line")

    backend = assessment_backend("xlsx", tmp_path)
    backend.services.mailer = Broken
    before = gc.get_threshold()
    with pytest.raises(RunCrashed) as failure:
        backend.run()
    [run] = backend.services.store.runs()
    assert run.status == "failed" and run.error == str(failure.value)
    assert run.error == "ข้อผิดพลาดที่ไม่คาดคิด (unexpected error: RuntimeError: a bug)"
    assert {r.state for r in backend.services.store.mails()} == {"uncertain"}  # never left `sending`
    # the collector's thresholds for a run (fewer full collections) are put back however it ends
    assert during[0][0] > before[0] and gc.get_threshold() == before


KILLED_RUN = """
import os, sys
from pathlib import Path
from app.adapters.state.run_store import RunStore
store = RunStore(Path(sys.argv[1]))
store.start_run("assessment", "a.xlsx", "schedule")
os.kill(os.getpid(), 9)
"""


def test_a_killed_run_is_abandoned_at_the_next_start_of_any_process(tmp_path):
    state = tmp_path / "state.sqlite"
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(state)], cwd=ROOT)
    assert killed.returncode == -9
    assert [r.status for r in RunStore(state).runs()] == ["running"]
    RunStore(state).keep_change_mark("assessment", ChangeMark("7", "recipe|", NOW, "digest", ""))  # an earlier run's
    services = bootstrap(Settings(state_db=state))  # the CLI, the scheduler and the web app all start here
    [run] = services.store.runs()
    assert run.status == "abandoned" and run.finished is not None
    assert "is gone" in run.error and "กระบวนการ" in run.error
    assert services.store.change_mark("assessment") is None  # its next run computes, as after a failure


def test_a_run_older_than_the_limit_is_abandoned(tmp_path):
    clock = Clock(NOW)
    store = RunStore(tmp_path / "state.sqlite", clock=clock)
    alive = store.start_run("assessment", "a.xlsx", "manual")  # this process: alive, so only age can close it
    clock.advance(hours=5)
    assert store.close_abandoned_runs(timedelta(hours=6)) == []
    clock.advance(hours=2)
    [closed] = store.close_abandoned_runs(timedelta(hours=6))
    assert (closed.id, closed.status) == (alive, "abandoned") and "6 h" in closed.error


def test_the_configured_limit_is_read_and_checked(tmp_path):
    assert Settings(stale_run_hours=0.5).stale_run_hours == 0.5
    with pytest.raises(ValueError):
        Settings(stale_run_hours=0)


def wait_for(predicate, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def sigterm_during_the_read(fake) -> threading.Thread:
    """Hold the run's read at the fake Google and send this process SIGTERM while it waits (the thread started)."""
    fake.inject_fault(READ, status=None, delay=30)
    sender = threading.Thread(target=lambda: (wait_for(lambda: fake.request_counts[READ] == 1, "the read"),
                                              os.kill(os.getpid(), signal.SIGTERM)))
    sender.start()
    return sender


def running(state: Path) -> bool:
    return state.exists() and any(r.status == "running" for r in RunStore(state).runs())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_sigint_ends_a_cli_run_recorded_interrupted(fake_google, tmp_path, sig):
    sheet_id = fake_google.create_spreadsheet("แบบประเมิน", TABS)
    config = config_file(tmp_path, fake_google, sheet_id)
    fake_google.inject_fault(READ, status=None, delay=30)  # the run hangs in its read
    process = subprocess.Popen([sys.executable, "-m", "app", "--config", str(config), "sync", "assessment"],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: fake_google.request_counts[READ] == 1, "the read")
        process.send_signal(sig)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    name = signal.Signals(sig).name
    assert process.returncode == 128 + sig and "Traceback" not in err
    assert err.splitlines()[-1] == f"error: หยุดตามสัญญาณ {name} (stopped by {name})"
    [run] = RunStore(tmp_path / "state.sqlite").runs()
    assert (run.status, run.error) == ("interrupted", f"หยุดตามสัญญาณ {name} (stopped by {name})")


def test_the_scheduler_stops_on_sigterm_with_exit_0_and_one_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\n[jobs.assessment]\nkind = "assessment"\n'
                      f'workbook = "{tmp_path / "a.xlsx"}"\ninterval_minutes = 60\n', encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "jobs", "--config", str(config)], cwd=ROOT,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = process.stderr.readline()
        assert "scheduler started" in first
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0 and "Traceback" not in err
    [line] = err.splitlines()
    assert json.loads(line)["message"] == "scheduler stopped: หยุดตามสัญญาณ SIGTERM (stopped by SIGTERM)"


def test_sigterm_during_a_scheduled_run_records_it_interrupted_and_stops_the_scheduler(fake_google, tmp_path):
    sheet_id = fake_google.create_spreadsheet("แบบประเมิน", TABS)
    services = google_services(fake_google, tmp_path, sheet_id)
    sender = sigterm_during_the_read(fake_google)
    stops = []
    with stop_on_signals():
        run_scheduled(services, "assessment", stops.append)
    sender.join()
    [stop] = stops
    assert isinstance(stop, Interrupted) and stop.exit_code == 128 + signal.SIGTERM
    [run] = services.store.runs()
    assert (run.trigger, run.status) == ("schedule", "interrupted")


def test_a_bad_timezone_stops_at_load_with_one_line(tmp_path, capsys):
    """Issue 11 (6): `check` printed every ✓ and then a traceback."""
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Asia/Bangkokk"\n', encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "timezone" in err and "Asia/Bangkokk" in err and "✓" not in err


def test_state_db_pointing_at_a_folder_is_one_line(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path}"\n', encoding="utf-8")
    assert main(["--config", str(config), "sync", "--workbook", str(tmp_path / "a.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: เปิดฐานข้อมูลสถานะไม่ได้ (state_db") and "Traceback" not in err
    with pytest.raises(ConfigError):
        bootstrap(Settings(state_db=tmp_path))


SAVE_WITH_A_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead of killing
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from app.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_failed_xlsx_save_is_one_line_a_failed_run_and_the_workbook_unchanged(tmp_path):
    """Disk full / file too large while saving: every file this process writes is capped below the new workbook."""
    from app.demo_data import reporting_workbook
    from app.adapters.xlsx import create_xlsx

    book = tmp_path / "reporting.xlsx"
    create_xlsx(book, reporting_workbook())
    before = book.read_bytes()
    RunStore(tmp_path / "state.sqlite")  # the store exists already: only the workbook grows past the cap
    limit = max(len(before), (tmp_path / "state.sqlite").stat().st_size) + 20_000
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", SAVE_WITH_A_FULL_DISK, str(limit), "--config", str(config),
                           "sync", "reporting", "--workbook", str(book)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    [line] = [line for line in done.stderr.splitlines() if not line.startswith("{")]
    assert line.startswith("error: บันทึก reporting.xlsx ไม่ได้") and "File too large" in line
    assert book.read_bytes() == before and [p.name for p in tmp_path.glob("*.xlsx")] == ["reporting.xlsx"]
    [run] = RunStore(tmp_path / "state.sqlite").runs()
    assert run.status == "failed" and run.error == line.removeprefix("error: ")
