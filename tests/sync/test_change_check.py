"""A scheduled run first asks whether anything changed — Drive's version of the spreadsheet, the form's new
answers, the sent-mail log, the clock — and is recorded as `skipped` without a Sheets read when nothing did.
A run after the service's own write is skipped when the workbook holds what it wrote. A run asked for by hand (the
CLI's sync, run-now on the page or the API: `skip_unchanged`) always reads, and is skipped when it read what the last
run left and the form's questions are as that run read them; `sync --recompute` (no `skip_unchanged`) always runs."""
from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from app.config import JobSettings
from app.errors import ServiceError
from app.wiring import SCHEDULED, files_digest
from jobs.scheduler import build_scheduler
from tests.assessment.test_assessment_google import form_backend, submit_answers
from tests.assessment.test_sync_assessment import SUMMARY
from tests.assessment_book import EPOCH, TOPIC_HEADERS, assessment_backend, workbook

ANSWERS = "แบบประเมินบุคคลอ้างอิง"


def scheduled(backend, fake):
    """One scheduled run, and the requests it sent (method ids)."""
    before = len(fake.requests)
    outcome = backend.services.run("assessment", trigger=SCHEDULED)
    return outcome, [method for method, *_ in fake.requests[before:]]


def asked(backend, fake, services=None):
    """One run asked for by hand as the CLI, the page and the API ask for it, and the requests it sent."""
    before = len(fake.requests)
    outcome = (services or backend.services).run("assessment", started_by="op", skip_unchanged=True)
    return outcome, [method for method, *_ in fake.requests[before:]]


def test_an_unchanged_job_costs_one_drive_request_and_no_sheets_read(fake_google, tmp_path):
    backend = assessment_backend("google", tmp_path, fake_google)
    assert scheduled(backend, fake_google)[0].status == "ok"  # first: writes the tabs, sends the mail
    outcome, sent = scheduled(backend, fake_google)  # its write moved the version: one read, the tabs as written
    assert outcome.status == "skipped" and "sheets.spreadsheets.values.batchGet" in sent
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "skipped" and sent == ["drive.files.get"]
    assert backend.services.store.runs("assessment", status="skipped")[0].id == outcome.run_id
    assert backend.run().status == "ok"  # a run not asked to skip (sync --recompute) always runs
    build_scheduler(backend.services)  # a new scheduler process, perhaps with a new config or code: it reads once
    assert scheduled(backend, fake_google)[0].status == "ok" and scheduled(backend, fake_google)[0].status == "skipped"


def test_the_run_after_a_run_that_sent_mail_compares_the_log_as_that_run_left_it(fake_google, tmp_path):
    """A run that sent mail leaves the mail log's mark as delivery left it, taken before the run read the log again
    for its tabs: the next run is skipped only if nothing touched the log since (here another process records a
    mail of the job's as sent, as an operator's word on an uncertain mail would)."""
    backend = assessment_backend("google", tmp_path, fake_google)
    assert scheduled(backend, fake_google)[0].counts["mails_sent"] > 0
    store, namespace = backend.services.store, backend.services.job_spec("assessment").namespace
    key = f"{namespace}ref:A-999:someone@example.com:invite"
    assert store.claim_mail(key, "someone@example.com", "เชิญประเมิน")
    store.settle_mails([(key, "<sent-elsewhere@example.com>")], [], [])
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "ok" and "sheets.spreadsheets.values.batchGet" in sent
    assert scheduled(backend, fake_google)[0].status == "skipped"


def test_an_officer_edit_or_a_new_day_makes_the_scheduled_run_run(fake_google, tmp_path):
    backend = assessment_backend("google", tmp_path, fake_google)
    for _ in range(2):
        scheduled(backend, fake_google)
    backend.edit("ผู้สมัคร", 2, 2, "แก้โดยเจ้าหน้าที่")
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "ok" and "sheets.spreadsheets.values.batchGet" in sent
    assert outcome.counts["mails_sent"] > 0
    assert scheduled(backend, fake_google)[0].status == "skipped"  # its own write and mail: nothing else changed
    backend.clock.advance(hours=14)  # past midnight in Bangkok: the day counts move
    assert scheduled(backend, fake_google)[0].status == "ok"
    assert backend.read(SUMMARY)[1][-3] != ""


def test_a_value_typed_and_put_back_costs_one_sheets_read_and_no_computing(fake_google, tmp_path):
    """Drive's version moves with any edit. When the tabs the job reads hold every cell as the last quiet run read
    them (a value typed and put back, a reporting job's officer-only tab edited), while the mail log, the form and
    the clock are as they were, the run reads once and is skipped."""
    backend = assessment_backend("google", tmp_path, fake_google)
    assert scheduled(backend, fake_google)[0].status == "ok"  # writes the tabs and sends mail
    assert scheduled(backend, fake_google)[0].status == "skipped"  # finds them as written
    before = backend.read("ผู้สมัคร")[1][1]
    backend.edit("ผู้สมัคร", 2, 2, "พิมพ์ผิด")
    backend.edit("ผู้สมัคร", 2, 2, before)
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "skipped" and sent == ["drive.files.get", "sheets.spreadsheets.get",
                                                    "sheets.spreadsheets.values.batchGet"]  # signed in already
    [note] = [line.message for line in backend.services.store.logs(outcome.run_id) if "skipped" in line.message]
    assert "as the last run left them" in note
    outcome, sent = scheduled(backend, fake_google)  # it kept the version it saw: nothing to read now
    assert outcome.status == "skipped" and sent == ["drive.files.get"]
    backend.clock.advance(hours=14)  # past midnight in Bangkok: the same cells, but the day counts move
    backend.edit("ผู้สมัคร", 2, 2, before)
    assert scheduled(backend, fake_google)[0].status == "ok"
    backend.edit("ผู้สมัคร", 2, 2, "แก้โดยเจ้าหน้าที่")  # a cell the job reads: it runs and writes
    outcome = scheduled(backend, fake_google)[0]
    assert outcome.status == "ok" and outcome.counts["cells_written"] > 0


def test_a_local_workbook_job_is_idle_while_its_file_is_as_the_last_run_left_it(tmp_path):
    """A job on a local .xlsx (`workbook` in the config) checks the file's version (its inode, size and time of the
    last save) the way a Google job asks Drive: no read while it is unchanged; a save that changed no cell the job
    reads costs one read; an officer's edit makes the run run."""
    backend = assessment_backend("xlsx", tmp_path)
    services = backend.services
    services.settings = services.settings.model_copy(update={"jobs": {
        "assessment": JobSettings(kind="assessment", workbook=backend.path)}})
    statuses = [services.run("assessment", trigger=SCHEDULED).status for _ in range(3)]
    assert statuses == ["ok", "skipped", "skipped"]  # the second reads the first one's save, as it saved it
    read, idle = sorted(services.store.runs("assessment", status="skipped"), key=lambda r: r.id)
    assert "as the last run left them" in services.store.logs(read.id)[0].message
    assert services.store.logs(idle.id) == []  # the version alone: the file was not read
    os.utime(backend.path, ns=(time.time_ns(), time.time_ns()))  # saved again, the same cells
    outcome = services.run("assessment", trigger=SCHEDULED)
    assert outcome.status == "skipped" and "as the last run left them" in outcome.notes[0]
    backend.edit("ผู้สมัคร", 2, 2, "แก้โดยเจ้าหน้าที่")
    outcome = services.run("assessment", trigger=SCHEDULED)
    assert outcome.status == "ok" and outcome.counts["cells_written"] > 0


@pytest.mark.parametrize("kind", ["google", "xlsx"])
def test_the_run_after_a_write_finds_the_tabs_as_written_and_is_skipped(kind, fake_google, tmp_path):
    """A run that wrote leaves the digest of its read with its writes in, each cell as a read gives it back. The
    next run reads once and is skipped when the workbook holds exactly that, and computes when it does not (an
    officer typed over a service cell): an edit is never taken for the service's own write."""
    backend = assessment_backend(kind, tmp_path, fake_google if kind == "google" else None)
    services = backend.services
    if kind == "xlsx":
        services.settings = services.settings.model_copy(update={"jobs": {
            "assessment": JobSettings(kind="assessment", workbook=backend.path)}})

    def run():
        return services.run("assessment", trigger=SCHEDULED)

    assert [run().status for _ in range(3)] == ["ok", "skipped", "skipped"]
    backend.clock.advance(hours=14)  # past midnight in Bangkok: the day counts move, no mail is due
    wrote = run()
    assert wrote.status == "ok" and wrote.counts["cells_written"] > 0 and wrote.counts["mails_sent"] == 0
    outcome = run()
    assert outcome.status == "skipped" and "as the last run left them" in outcome.notes[0]
    assert backend.run().counts["cells_changed"] == 0  # computed after all, it would have had nothing to write
    row = next(i for i, r in enumerate(backend.read(SUMMARY), start=1) if i > 1 and r[0])
    kept = backend.read(SUMMARY)[row - 1][0]
    backend.edit(SUMMARY, row, 1, "พิมพ์ทับ")  # typed over a cell the service wrote
    outcome = run()
    assert outcome.status == "ok" and outcome.counts["cells_written"] > 0
    assert backend.read(SUMMARY)[row - 1][0] == kept and run().status == "skipped"


def test_a_changed_layout_override_makes_the_scheduled_run_compute(fake_google, tmp_path):
    """`python -m app map` may rewrite a job's layout override while the scheduler runs: the override is part of
    what the change check compares, as the job's settings are."""
    backend = assessment_backend("google", tmp_path, fake_google)
    services = backend.services
    services.settings = services.settings.model_copy(update={"layouts_dir": tmp_path / "layouts"})
    assert [scheduled(backend, fake_google)[0].status for _ in range(3)] == ["ok", "skipped", "skipped"]
    overrides = services.overrides_path("assessment")
    overrides.parent.mkdir()
    overrides.write_text("workbook: assessment\n", encoding="utf-8")
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "ok" and "sheets.spreadsheets.values.batchGet" in sent
    assert scheduled(backend, fake_google)[0].status == "skipped"


def test_a_new_form_answer_makes_the_scheduled_run_run(fake_google, tmp_path):
    rows = [r for r in workbook()[ANSWERS][1:] if r[0] < 46380]
    late = next(r for r in rows if r[2] == "A-007")
    backend = form_backend(fake_google, tmp_path, [r for r in rows if r is not late])
    for _ in range(2):
        scheduled(backend, fake_google)
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "skipped" and sent == ["drive.files.get", "forms.forms.responses.list"]  # no sign-in
    submit_answers(fake_google, backend.form_id,
                   [[(datetime(2026, 11, 21, 9, 30) - EPOCH) / timedelta(days=1), *late[1:]]])
    assert scheduled(backend, fake_google)[0].status == "ok"


def test_a_job_with_a_form_runs_every_minute_by_default_and_an_idle_minute_costs_no_sheets_read(fake_google, tmp_path):
    """Issue #12: "With that, a 1-minute interval is the default for jobs with open forms." The job sets neither
    interval_minutes nor cron; `python -m jobs` runs it every minute, and a minute with no new answer costs the Drive
    check and the form's responses.list, no Sheets request; the next minute's run after an answer puts it in the
    summary."""
    rows = [r for r in workbook()[ANSWERS][1:] if r[0] < 46380]
    late = next(r for r in rows if r[2] == "A-007")
    backend = form_backend(fake_google, tmp_path, [r for r in rows if r is not late])
    config = backend.services.settings.jobs["assessment"]
    assert config.interval_minutes is None and config.cron is None
    [job] = [job for job in build_scheduler(backend.services).get_jobs() if job.id == "assessment"]
    assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(minutes=1)

    def next_minute() -> tuple[object, list[str]]:
        """The scheduler's run of the job, a minute after the last one."""
        backend.clock.advance(minutes=1)
        before = len(fake_google.requests)
        job.func(*job.args)
        store = backend.services.store
        run = max(store.runs("assessment") + store.runs("assessment", status="skipped"), key=lambda r: r.id)
        return run, [m for m, *_ in fake_google.requests[before:] if m != "oauth2.token"]

    assert next_minute()[0].status == "ok"  # the first run writes the tabs and sends mail
    assert next_minute()[0].status == "skipped"  # its own write moved the version: one read finds the tabs as written
    before = backend.read(SUMMARY)
    run, sent = next_minute()
    assert (run.status, run.trigger) == ("skipped", SCHEDULED)
    assert sent == ["drive.files.get", "forms.forms.responses.list"]
    submit_answers(fake_google, backend.form_id,
                   [[(datetime(2026, 11, 21, 9, 30) - EPOCH) / timedelta(days=1), *late[1:]]])
    run, sent = next_minute()
    assert run.status == "ok" and "sheets.spreadsheets.values.batchGet" in sent
    after = backend.read(SUMMARY)
    changed = [row for row in after if row not in before]
    assert changed and all("A-007" in row for row in changed)


def test_mail_waiting_for_a_spent_budget_leaves_the_job_idle_until_the_budget_frees(fake_google, tmp_path):
    """Issue #12: "An idle job costs one request and no Sheets read." Mail the daily budget holds back (it counts
    the last 24 hours, as Gmail does) cannot go before the budget frees, so until then only the clock's own moments
    (here midnight) make the scheduled run read; the first run after the budget frees sends the next mail."""
    backend = assessment_backend("google", tmp_path, fake_google, daily_budget=1)
    first = scheduled(backend, fake_google)[0]
    assert (first.counts["mails_sent"], first.counts["mails_waiting"] > 0) == (1, True)
    assert scheduled(backend, fake_google)[0].status == "skipped"  # its own write and mail, nothing else
    backend.clock.advance(hours=1)
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "skipped" and sent == ["drive.files.get"]
    backend.clock.advance(hours=13)  # past midnight in Bangkok: the day counts move, the budget is still spent
    runs = [scheduled(backend, fake_google)[0] for _ in range(3)]
    assert [r.status for r in runs] == ["ok", "skipped", "skipped"] and runs[0].counts["mails_sent"] == 0
    backend.clock.advance(hours=10, seconds=1)  # the first mail is a day old: the budget lets one more go
    outcome = scheduled(backend, fake_google)[0]
    assert (outcome.status, outcome.counts["mails_sent"]) == ("ok", 1)


def test_a_run_asked_for_by_hand_reads_and_computes_only_what_changed(fake_google, tmp_path):
    """Issue #12: "Unchanged run ≤ 3× the floor on both backends". Asked for with nothing changed, a run reads the
    tabs once, finds what the last run left and computes, writes and sends nothing. Unlike a scheduled run it never
    trusts Drive's version alone (the version may lag an edit made a moment before the officer pressed run-now), and
    it is listed in the history: somebody asked for it."""
    backend = form_backend(fake_google, tmp_path)
    assert asked(backend, fake_google)[0].status == "ok"
    for _ in range(2):  # the second with Drive's version as the first left it: it reads all the same
        outcome, sent = asked(backend, fake_google)
        assert outcome.status == "skipped" and outcome.counts == {}
        assert "sheets.spreadsheets.values.batchGet" in sent and "sheets.spreadsheets.values.batchUpdate" not in sent
        assert not any(method.startswith("gmail") for method in sent)
    assert [(r.id, r.status, r.started_by) for r in backend.services.store.runs("assessment", limit=1)] == [
        (outcome.run_id, "skipped", "op")]
    backend.edit("ผู้สมัคร", 2, 2, "แก้โดยเจ้าหน้าที่")
    outcome, sent = asked(backend, fake_google)
    assert outcome.status == "ok" and outcome.counts["cells_written"] > 0
    assert asked(backend, fake_google)[0].status == "skipped"
    assert backend.services.run("assessment").status == "ok"  # sync --recompute


def test_a_renamed_form_question_makes_the_next_run_asked_for_by_hand_compute(fake_google, tmp_path):
    """A rating's answers are read by its question's title. Renaming the question moves the form's revision, not the
    spreadsheet's version nor the answers: a scheduled run does not ask (one request a minute more for every job
    with a form), a run asked for by hand does (forms.get) and computes with the new title."""
    backend = form_backend(fake_google, tmp_path)
    assert asked(backend, fake_google)[0].status == "ok"
    assert scheduled(backend, fake_google)[0].status == "skipped"
    fake_google.retitle_question(backend.form_id, TOPIC_HEADERS[0], f"{TOPIC_HEADERS[0]} (ปรับถ้อยคำ)")
    outcome, sent = scheduled(backend, fake_google)
    assert outcome.status == "skipped" and "forms.forms.get" not in sent
    outcome, sent = asked(backend, fake_google)
    assert outcome.status == "ok" and sent.count("forms.forms.get") == 2  # the check's, the run's
    assert outcome.counts["cells_written"] > 0  # the renamed rating's scores are read no more
    assert asked(backend, fake_google)[0].status == "skipped"


def test_after_a_failed_run_the_next_run_computes_and_clears_the_failure(fake_google, tmp_path):
    """A forced run that fails before it writes leaves the tabs as the last run left them. Were the mark kept, a
    run-now pressed to clear the failure would be skipped and the job would stay failed on the overview and in
    /readyz until somebody edits the sheet."""
    backend = assessment_backend("google", tmp_path, fake_google)
    assert asked(backend, fake_google)[0].status == "ok"
    assert asked(backend, fake_google)[0].status == "skipped"
    fake_google.inject_fault("sheets.spreadsheets.values.batchGet", status=500,
                             times=backend.services.settings.google.max_attempts)
    with pytest.raises(ServiceError):
        backend.services.run("assessment")  # sync --recompute, while Google answers 500
    assert backend.services.store.last_run("assessment").status == "failed"
    outcome, sent = asked(backend, fake_google)
    assert outcome.status == "ok" and backend.services.store.last_run("assessment").id == outcome.run_id
    assert asked(backend, fake_google)[0].status == "skipped"


def test_a_process_of_another_code_version_computes_what_this_one_left(fake_google, tmp_path):
    """The code and the rules files (sheets_schema/) are part of every change mark: a CLI run after an upgrade, on the
    store a scheduler of the old version still uses, computes; the scheduler's next run then computes too."""
    backend = assessment_backend("google", tmp_path, fake_google)
    assert scheduled(backend, fake_google)[0].status == "ok"
    assert asked(backend, fake_google)[0].status == "skipped"
    upgraded = replace(backend.services, code_version="a newer version")
    outcome, sent = asked(backend, fake_google, upgraded)
    assert outcome.status == "ok" and "sheets.spreadsheets.values.batchGet" in sent
    assert asked(backend, fake_google, upgraded)[0].status == "skipped"
    assert scheduled(backend, fake_google)[0].status == "ok"


def test_the_code_digest_moves_with_any_file_it_covers(tmp_path):
    code, rules = tmp_path / "app", tmp_path / "sheets_schema"
    (code / "sync").mkdir(parents=True)
    rules.mkdir()
    (code / "sync" / "engine.py").write_text("RULE = 1\n")
    (rules / "milestones.yaml").write_text("level: 1\n")
    trees = ((code, "*.py"), (rules, "*.yaml"))
    first = files_digest(trees)
    (code / "sync" / "engine.cpython-313.pyc").write_bytes(b"compiled")
    (rules / "notes.txt").write_text("not a rules file")
    assert files_digest(trees) == first
    (rules / "milestones.yaml").write_text("level: 2\n")
    assert files_digest(trees) != first
    (rules / "milestones.yaml").write_text("level: 1\n")
    (code / "sync" / "engine.py").rename(code / "engine.py")  # the same text in another module
    assert files_digest(trees) != first
