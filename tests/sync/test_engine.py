"""The run engine on in-memory fakes (no SQLite, no xlsx, no HTTP): workflow A's real rules, mail through the
ledger, the lock, and a broken layout that stops with the outputs left as they were."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.assessment.kind import ASSESSMENT
from app.errors import BusyError
from app.sheets.layout_files import load_workbook_spec
from app.sync.engine import RunParts, WorkflowStopped, sync
from app.sync.problem_tab import PROBLEMS_TITLE
from app.sync.workflow import JobSpec, RunContext, RunResources
from tests.assessment_book import EPOCH, REFERENCE_HEADERS, SECRET, workbook
from tests.assessment.test_reference_mail import DUE as REFERENCES_DUE
from tests.assessment.test_sync_assessment import SUMMARY
from tests.backends import NOW
from tests.fakes import FakeFormSource, FakeMailer, FakeWorkbook, InMemoryRunStore

JOB = JobSpec("assessment-2569", "assessment")
# reference invitations, A-002's interview invitation and A-001's result (the committee approved it)
DUE = REFERENCES_DUE | {("A-002", "applicant2@example.com"), ("A-001", "applicant1@example.com")}
ANSWERS = "แบบประเมินบุคคลอ้างอิง"


class Office:
    """Workbook A in memory with the service's store and mailer, run as the scheduler would; with `form`, the
    reference answers come from that form (as through the Forms API) instead of the answers tab."""

    def __init__(self, tabs: dict | None = None, refuse=(), form: FakeFormSource | None = None) -> None:
        self.book = FakeWorkbook(tabs or workbook(), label="A.xlsx")
        self.now = NOW
        self.store = InMemoryRunStore(clock=lambda: self.now)
        self.mailer = FakeMailer(refuse)
        self.form = form
        self.job = replace(JOB, reference_form_id="F1") if form else JOB

    def run(self):
        workflow = ASSESSMENT.build(load_workbook_spec("assessment"), self.job)
        resources = RunResources(self.store, lambda _links_sent: SECRET, lambda: self.mailer, lambda _id: self.form,
                                 "noreply@example.go.th", 1500)
        parts = RunParts(workflow, self.book, ASSESSMENT.support(workflow, self.job, resources))
        return sync(self.job.name, lambda: parts, self.store, RunContext(now=self.now), lock_key="book",
                    where=self.book.label)


def sent_to(mailer: FakeMailer) -> set[tuple[str, str]]:
    return {(m["Subject"].rsplit("ใบสมัคร ", 1)[1].rstrip(")"), to) for to, ms in mailer.sent.items() for m in ms}


def test_a_run_writes_the_tabs_and_sends_each_due_mail_once():
    office = Office()
    outcome = office.run()
    assert outcome.status == "ok" and SUMMARY in office.book.tabs and PROBLEMS_TITLE in office.book.tabs
    assert sent_to(office.mailer) == DUE and outcome.counts["mails_sent"] == len(DUE)
    assert {m.key.split(":")[0] for m in office.store.mails()} == {"assessment-2569/ref", "assessment-2569/app"}
    writes = office.book.write_calls
    again = office.run()
    assert again.counts["mails_sent"] == 0 and sum(map(len, office.mailer.sent.values())) == len(DUE)
    assert office.book.write_calls == writes  # nothing changed: nothing written
    assert [r.status for r in office.store.runs(job=JOB.name)] == ["ok", "ok"]


def test_a_refused_mail_is_retried_by_the_next_run_and_sent_once():
    office = Office(refuse=["ref2.a-011@example.com"])
    first = office.run()
    assert first.counts["mails_failed"] == 1 and ("A-011", "ref2.a-011@example.com") not in sent_to(office.mailer)
    office.mailer.refuse.clear()
    office.now += timedelta(hours=1)
    office.run()
    assert sent_to(office.mailer) == DUE and len(office.mailer.sent["ref2.a-011@example.com"]) == 1


def test_a_held_lock_refuses_a_second_run():
    office = Office()
    with office.store.lock("book", owner="another run"):
        with pytest.raises(BusyError):
            office.run()
    assert office.store.runs() == [] and office.mailer.sent == {}


def test_a_missing_required_header_stops_and_leaves_the_outputs():
    office = Office()
    office.run()
    summary = [list(r) for r in office.book.tabs[SUMMARY]]
    applicants = office.book.tabs["ผู้สมัคร"]
    applicants[0] = ["" if h == "อีเมล" else h for h in applicants[0]]
    with pytest.raises(WorkflowStopped, match="อีเมล"):
        office.run()
    assert office.book.tabs[SUMMARY] == summary
    assert any("อีเมล" in " ".join(map(str, row)) for row in office.book.tabs[PROBLEMS_TITLE][1:])
    assert [r.status for r in office.store.runs()] == ["failed", "ok"]


def test_answers_read_from_the_form_give_the_same_summary_as_the_answers_tab():
    tabs = workbook()
    form = FakeFormSource(REFERENCE_HEADERS[2:])
    for row in tabs[ANSWERS][1:]:
        submitted = (EPOCH + timedelta(days=row[0])).replace(tzinfo=ZoneInfo("Asia/Bangkok")).astimezone(timezone.utc)
        form.answer(submitted, row[1], **{h: str(v) for h, v in zip(REFERENCE_HEADERS[2:], row[2:]) if v is not None})
    by_tab, by_form = Office(), Office({t: g for t, g in tabs.items() if t != ANSWERS}, form=form)
    by_tab.run()
    by_form.run()
    assert by_form.book.tabs[SUMMARY] == by_tab.book.tabs[SUMMARY]
    assert by_form.store.watermark("assessment-2569/form:F1") == max(r.submitted for r in form.responses)
