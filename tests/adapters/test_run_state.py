"""RunStore on a real SQLite file: runs, problems, logs, watermarks, the sent-mail ledger and workbook locks."""
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.adapters.state.run_store import SUMMARIES_KEPT, LockBusy, RunStore
from app.adapters.state.db import MIGRATIONS
from app.sheets.problems import RowProblem

BANGKOK = ZoneInfo("Asia/Bangkok")
SPAWN = multiprocessing.get_context("spawn")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))


@pytest.fixture
def store(tmp_path, clock):
    return RunStore(tmp_path / "var" / "state.sqlite", clock=clock)


def test_schema_is_versioned_and_in_wal_mode(store):
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    RunStore(store.path)  # reopening an up-to-date database changes nothing
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]


def test_database_from_a_newer_program_is_refused(store):
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(RuntimeError, match="schema version 99"):
        RunStore(store.path)


def test_run_lifecycle(store, clock):
    run_id = store.start_run("assessment", "workbook-A", "schedule")
    running = store.run(run_id)
    assert (running.status, running.finished, running.duration) == ("running", None, None)
    assert running.started == clock.now and running.started.tzinfo is not None

    clock.now += timedelta(seconds=42)
    store.finish_run(run_id, "ok", {"applicants": 12, "mails": 3})
    done = store.run(run_id)
    assert (done.status, done.counts, done.error) == ("ok", {"applicants": 12, "mails": 3}, None)
    assert done.finished == clock.now and done.duration == timedelta(seconds=42)


def test_runs_are_listed_newest_first_and_filtered(store):
    first = store.start_run("assessment", "A", "schedule")
    store.finish_run(first, "failed", {}, "HTTP 503 backend unavailable")
    second = store.start_run("reporting", "B", "manual")
    store.finish_run(second, "ok", {"rows": 5})
    third = store.start_run("assessment", "A", "manual")

    assert [r.id for r in store.runs()] == [third, second, first]
    assert [r.id for r in store.runs(job="assessment")] == [third, first]
    assert [r.id for r in store.runs(status="failed")] == [first]
    assert [r.id for r in store.runs(limit=1)] == [third]
    assert store.last_run("assessment").id == third
    assert store.last_run("reporting").counts == {"rows": 5}
    assert store.last_run("never-ran") is None and store.run(999) is None


def test_finish_run_checks_status_and_id(store):
    run_id = store.start_run("assessment", "A", "schedule")
    with pytest.raises(ValueError):
        store.finish_run(run_id, "done", {})
    with pytest.raises(KeyError):
        store.finish_run(run_id + 1, "ok", {})


def test_errors_and_logs_are_masked(store):
    run_id = store.start_run("reporting", "B", "schedule")
    store.add_log(run_id, "WARNING", "row 7: เลขบัตร 1234567890123 ซ้ำ, โทร 081-234-5678")
    store.add_log(run_id, "INFO", "wrote 3 tabs")
    store.finish_run(run_id, "failed", {}, "bad id 3101700123456")

    lines = store.logs(run_id)
    assert [(line.level, line.message) for line in lines] == [
        ("WARNING", "row 7: เลขบัตร xxxxxxxxx0123 ซ้ำ, โทร xxxxxx5678"), ("INFO", "wrote 3 tabs")]
    assert lines[0].at.tzinfo is not None
    assert store.run(run_id).error == "bad id xxxxxxxxx3456"


def test_problems_round_trip_in_order(store):
    run_id = store.start_run("reporting", "B", "schedule")
    found = [RowProblem("กข.", 5, "จังหวัด", "กรุงเทพ", "ไม่รู้จักจังหวัด (unknown province)"),
             RowProblem("หัวข้อสมรรถนะ", None, "น้ำหนัก (ร้อยละ)", "", "รวมไม่เท่ากับ 100 (weights do not sum to 100)"),
             RowProblem("ศภ.1", 2, "ยอดขายก่อน (บาท/เดือน)", "abc", "อ่านเป็นตัวเลขไม่ได้ (not a number)")]
    store.add_problems(run_id, found)
    assert store.problems(run_id) == found
    assert store.problems(store.start_run("reporting", "B", "schedule")) == []


def test_a_runs_summary_is_read_only_when_asked_for_and_one_entry_alone_by_sqlite(store):
    """A run's summary holds what the pages show: 10 MB at 10,000 applicants. Listing runs, the overview, the health
    check and a skipped run do not decode it; a run reads the one entry it needs (its rows per input tab)."""
    summary = {"inputs": {"workbook": "xlsx:/a.xlsx", "rows": {"applicants": 10_000}},
               "applicants": [{"no": f"A-{n:05d}", "stage": "รอบุคคลอ้างอิง"} for n in range(2_000)]}
    first = store.start_run("assessment", "A", "schedule")
    store.finish_run(first, "ok", {"rows_read": 3}, summary=summary)
    store.finish_run(store.start_run("assessment", "A", "schedule"), "failed", {}, "no tab")
    assert [r.summary for r in store.runs("assessment")] == [{}, {}] and store.run(first).summary == {}
    assert store.runs("assessment", status="ok", with_summary=True)[0].summary == summary
    assert store.run(first, with_summary=True).summary == summary and store.run(first).counts == {"rows_read": 3}
    assert store.last_ok_summary("assessment", "inputs") == summary["inputs"]  # the last ok run's, past the failure
    assert store.last_ok_summary("assessment", "targets") is None and store.last_ok_summary("reporting", "inputs") is None


def test_whole_summaries_are_kept_for_the_latest_runs_and_the_latest_ok_one(store):
    """A summary is 10 MB at 10,000 applicants: kept whole for the job's latest SUMMARIES_KEPT runs that left one,
    and always for its latest ok run (the pages show it, the lost-input check reads it), even after many dry runs."""
    def finished(status: str, n: int, job: str = "assessment") -> int:
        run = store.start_run(job, "A", "manual")
        store.finish_run(run, status, {"rows_read": n}, summary={"inputs": {"rows": n}})
        return run

    other = finished("ok", 0, job="reporting")
    ok = [finished("ok", n) for n in range(12)]
    kept = {r.id for r in store.runs("assessment", limit=100, with_summary=True) if r.summary}
    assert kept == set(ok[-SUMMARIES_KEPT:]) and store.run(ok[0]).counts == {"rows_read": 0}
    previews = [finished("preview", n) for n in range(SUMMARIES_KEPT + 2)]
    kept = {r.id for r in store.runs("assessment", status="preview", limit=100, with_summary=True) if r.summary}
    assert kept == set(previews[-SUMMARIES_KEPT:])
    assert store.last_ok_summary("assessment", "inputs") == {"rows": 11}  # the latest ok run's, past the dry runs
    assert store.run(other, with_summary=True).summary == {"inputs": {"rows": 0}}  # another job's stays


def test_a_run_that_finds_what_an_earlier_run_found_shares_its_stored_rows(store, clock):
    """A reading run's problems mostly stay until an officer fixes them: thousands of the same rows a run (5,772 in
    the 10,000-applicant benchmark) are stored once, and a prune that forgets the run holding them keeps them for
    the runs that share them."""
    found = [RowProblem("ผู้สมัคร", n, "จังหวัด", f"กรุงเทพ {n}", "ไม่รู้จักจังหวัด (unknown province)")
             for n in range(2, 6)]
    links = [f"https://docs.google.com/spreadsheets/d/x/edit#gid=0&range=C{n}" for n in range(2, 6)]
    first = store.start_run("assessment", "A", "schedule")
    clock.now += timedelta(days=1)
    second, fewer, again = (store.start_run("assessment", "A", "schedule") for _ in range(3))
    other_job = store.start_run("reporting", "B", "schedule")
    for run, kept in ((first, found), (second, found), (fewer, found[1:]), (again, found), (other_job, found)):
        store.add_problems(run, kept, links[-len(kept):])
        store.finish_run(run, "ok", {})

    def stored() -> int:
        with sqlite3.connect(store.path) as con:
            return con.execute("SELECT COUNT(*) FROM problems").fetchone()[0]

    assert stored() == 4 + 3 + 4  # the first run's, the run with fewer, the other job's
    for run in (first, second, again, other_job):
        assert store.problems(run) == found and store.problem_links(run) == links
    assert store.problems(fewer) == found[1:]
    assert store.prune(clock.now - timedelta(hours=1)) == {"problems": 0, "log_lines": 0, "runs": 1,
                                                          "run_requests": 0}
    assert store.run(first) is None and stored() == 11
    assert store.problems(second) == found and store.problems(again) == found and store.problem_links(again) == links
    clock.now += timedelta(days=1)
    store.prune(clock.now)  # every run but each job's latest: the rows they held go with them
    assert store.problems(again) == found and stored() == 4 + 4


def test_state_files_are_readable_by_the_service_user_only(tmp_path):
    """Finding 11 of issue #11: state.sqlite was created 0644 (world-readable names, emails and answers)."""
    old_umask = os.umask(0o022)
    try:
        store = RunStore(tmp_path / "var" / "state.sqlite")
        store.start_run("assessment", "A", "manual")
    finally:
        os.umask(old_umask)
    for name in ("state.sqlite", "state.sqlite-wal", "state.sqlite-shm"):
        path = tmp_path / "var" / name
        if path.exists():
            assert oct(path.stat().st_mode & 0o777) == oct(0o600), name


def test_problems_are_stored_masked_whatever_the_spelling(store):
    """Finding 9 of issue #11: these spellings were stored unmasked and shown on /runs/<id>."""
    run_id = store.start_run("assessment", "A", "manual")
    store.add_problems(run_id, [RowProblem("ผู้สมัคร", 3, "เลขประจำตัวประชาชน", "3 - 1005 - 00123 - 45 - 9",
                                           "ซ้ำกับแถว 5 (โทร (081) 234 56789)")])
    [problem] = store.problems(run_id)
    assert (problem.value, problem.problem) == ("xxxxxxxxx3459", "ซ้ำกับแถว 5 (โทร xxxxxxx6789)")
    with sqlite3.connect(store.path) as con:
        assert "00123" not in repr(con.execute("SELECT * FROM problems").fetchall())


def test_watermarks_are_aware_utc(store):
    assert store.watermark("form:abc") is None
    store.set_watermark("form:abc", datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=BANGKOK))
    assert store.watermark("form:abc") == datetime(2026, 3, 1, 2, 30, 15, 250000, tzinfo=timezone.utc)
    assert store.watermark("form:abc").utcoffset() == timedelta(0)
    store.set_watermark("form:abc", datetime(2026, 3, 2, tzinfo=timezone.utc))
    assert store.watermark("form:abc") == datetime(2026, 3, 2, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="naive"):
        store.set_watermark("form:abc", datetime(2026, 3, 2))


def test_mail_is_claimed_once_and_sent_once(store):
    assert store.claim_mail("ref:A-001:a@example.com", "a@example.com", "ขอเชิญประเมิน") is True
    assert store.mail_record("ref:A-001:a@example.com").state == "sending"
    assert store.claim_mail("ref:A-001:a@example.com", "a@example.com", "ขอเชิญประเมิน") is False

    store.mark_sent("ref:A-001:a@example.com", "<id-1@example.com>")
    record = store.mail_record("ref:A-001:a@example.com")
    assert (record.state, record.message_id, record.attempts) == ("sent", "<id-1@example.com>", 1)
    assert store.claim_mail("ref:A-001:a@example.com", "a@example.com", "ขอเชิญประเมิน") is False
    with pytest.raises(KeyError):
        store.mark_sent("ref:A-001:a@example.com", "<again@example.com>")
    assert store.mail_record("unknown") is None


def test_released_mail_is_retried_by_the_next_claim(store):
    store.claim_mail("ref:A-002:b@example.com", "b@example.com", "s")
    store.release_mail("ref:A-002:b@example.com", "SMTP 451 try later (temporary)")
    failed = store.mail_record("ref:A-002:b@example.com")
    assert (failed.state, failed.error) == ("failed", "SMTP 451 try later (temporary)")

    assert store.claim_mail("ref:A-002:b@example.com", "b@example.com", "s") is True
    assert store.mail_record("ref:A-002:b@example.com").attempts == 2
    with pytest.raises(KeyError):
        store.release_mail("never-claimed", "x")


def test_a_batch_is_claimed_in_one_go_and_settled_in_one_go(store):
    store.claim_mail("ref:A-1:retry", "r@example.com", "s")
    store.release_mail("ref:A-1:retry", "451 busy")
    store.claim_mail("ref:A-1:held", "h@example.com", "s")  # another run holds it
    batch = [(f"ref:A-1:{name}", f"{name}@example.com", "s") for name in ("sent", "failed", "untried", "retry", "held")]
    assert store.claim_mails(batch) == {"ref:A-1:sent", "ref:A-1:failed", "ref:A-1:untried", "ref:A-1:retry"}
    assert store.mail_record("ref:A-1:retry").attempts == 2
    store.settle_mails([("ref:A-1:sent", "<id>")], [("ref:A-1:failed", "550 no such user")],
                       ["ref:A-1:untried", "ref:A-1:retry"])
    states = {m.key: (m.state, m.attempts, m.error) for m in store.mails("ref:A-1:")}
    assert states == {"ref:A-1:sent": ("sent", 1, None), "ref:A-1:failed": ("failed", 1, "550 no such user"),
                      "ref:A-1:retry": ("failed", 1, "451 busy"), "ref:A-1:held": ("sending", 1, None)}


def _claim_then_die(path: str, key: str) -> None:
    store = RunStore(path)
    store.claim_mail(key, "c@example.com", "s")
    os.kill(os.getpid(), signal.SIGKILL)  # crash between the claim and the send's outcome


def test_claim_left_sending_by_a_crash_is_uncertain_and_never_resent(store):
    child = SPAWN.Process(target=_claim_then_die, args=(str(store.path), "ref:A-003:c@example.com"))
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL

    assert store.mail_record("ref:A-003:c@example.com").state == "uncertain"
    assert store.claim_mail("ref:A-003:c@example.com", "c@example.com", "s") is False
    assert [m.key for m in store.mails() if m.state == "uncertain"] == ["ref:A-003:c@example.com"]

    store.release_mail("ref:A-003:c@example.com", "operator: not in the relay log")  # the operator decides
    assert store.claim_mail("ref:A-003:c@example.com", "c@example.com", "s") is True


def test_claim_sending_far_too_long_is_uncertain(store, clock):
    store.claim_mail("k", "d@example.com", "s")
    clock.now += timedelta(minutes=14)
    assert store.mail_record("k").state == "sending"
    clock.now += timedelta(minutes=2)
    assert store.mail_record("k").state == "uncertain"
    store.mark_sent("k", "<found-in-mailbox@example.com>")  # the operator decides the other way
    assert store.mail_record("k").state == "sent"


def test_budget_counts_sent_and_possibly_sent_mail_since(store, clock):
    for n in range(3):  # yesterday: does not count today
        store.claim_mail(f"old-{n}", "x@example.com", "s")
        store.mark_sent(f"old-{n}", f"<old-{n}>")
    clock.now += timedelta(days=1)
    today = clock.now.replace(hour=0)
    for n in range(4):
        store.claim_mail(f"new-{n}", "x@example.com", "s")
    store.mark_sent("new-0", "<new-0>")
    store.mark_sent("new-1", "<new-1>")
    store.release_mail("new-2", "550 no such user (permanent)")
    # new-3 is still sending: it may go out, so it uses budget
    assert len(store.counted_since(today)) == 3
    assert len(store.counted_since(today - timedelta(days=2))) == 6


def test_mails_by_prefix(store):
    for key in ("ref:A-1:a", "ref:A-1:b", "ref:A-10:a", "remind:A-1:a", "ref_A"):
        store.claim_mail(key, "x@example.com", "s")
    assert [m.key for m in store.mails("ref:A-1:")] == ["ref:A-1:a", "ref:A-1:b"]
    assert sorted(m.key for m in store.mails("ref:")) == ["ref:A-10:a", "ref:A-1:a", "ref:A-1:b"]
    assert len(store.mails()) == 5


def assert_busy(store, key):
    with pytest.raises(LockBusy) as busy:
        with store.lock(key, "a contender"):
            pass
    return busy.value


def test_lock_is_exclusive_and_released_even_on_error(store, clock):
    with store.lock("workbook-A", "scheduler"):
        busy = assert_busy(store, "workbook-A")
        with store.lock("workbook-B", "web"):  # another workbook is independent
            pass
    assert busy.key == "workbook-A" and busy.since == clock.now
    assert "scheduler" in busy.holder and str(os.getpid()) in busy.holder

    with pytest.raises(ZeroDivisionError):
        with store.lock("workbook-A", "scheduler"):
            1 / 0
    with store.lock("workbook-A", "web"):
        pass


def test_stale_lock_is_taken_over_unless_refreshed(store, clock):
    with store.lock("workbook-A", "hung run") as held:
        clock.now += timedelta(hours=1, minutes=59)
        assert_busy(store, "workbook-A")
        held.refresh()
        clock.now += timedelta(hours=1, minutes=59)
        assert_busy(store, "workbook-A")
        clock.now += timedelta(minutes=2)
        with store.lock("workbook-A", "next run"):
            assert "next run" in assert_busy(store, "workbook-A").holder
    # the hung run's exit did not release the lock it had lost (nothing left to release either)
    with store.lock("workbook-A", "fourth run"):
        pass


def _lock_then_die(path: str) -> None:
    with RunStore(path).lock("workbook-A", "crashing run"):
        os.kill(os.getpid(), signal.SIGKILL)


def test_lock_of_a_dead_process_is_taken_over(store):
    child = SPAWN.Process(target=_lock_then_die, args=(str(store.path),))
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL
    with store.lock("workbook-A", "next run"):
        pass


def _contend(path: str, start, inside, overlaps, wins, rounds: int) -> None:
    store = RunStore(path)
    start.wait(60)
    for _ in range(rounds):
        try:
            with store.lock("workbook-A", f"pid {os.getpid()}"):
                with inside.get_lock():
                    inside.value += 1
                    overlaps.value += inside.value > 1
                time.sleep(0.002)
                with inside.get_lock():
                    inside.value -= 1
                with wins.get_lock():
                    wins.value += 1
        except LockBusy:
            time.sleep(0.001)


def test_two_processes_racing_for_the_lock_never_overlap(store):
    start, inside = SPAWN.Event(), SPAWN.Value("i", 0)
    overlaps, wins = SPAWN.Value("i", 0), SPAWN.Value("i", 0)
    racers = [SPAWN.Process(target=_contend, args=(str(store.path), start, inside, overlaps, wins, 40))
              for _ in range(2)]
    for racer in racers:
        racer.start()
    start.set()
    for racer in racers:
        racer.join(120)
    assert [r.exitcode for r in racers] == [0, 0]
    assert overlaps.value == 0 and wins.value > 0
    with store.lock("workbook-A", "after the race"):  # nothing left behind
        pass


def test_threads_sharing_a_store_never_overlap(store):
    inside, overlaps, wins = [0], [0], [0]
    guard = threading.Lock()

    def contend():
        for _ in range(30):
            try:
                with store.lock("workbook-A", threading.current_thread().name):
                    with guard:
                        inside[0] += 1
                        overlaps[0] += inside[0] > 1
                    time.sleep(0.001)
                    with guard:
                        inside[0] -= 1
                        wins[0] += 1
            except LockBusy:
                pass

    threads = [threading.Thread(target=contend) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps[0] == 0 and wins[0] > 0
