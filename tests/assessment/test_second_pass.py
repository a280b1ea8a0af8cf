"""After it sends mail, a run computes its tabs again with the new sent-mail log, keeping from its first pass what
the log cannot change (the tabs typed, the reference answers matched). That second pass must be what a fresh
workflow computes from the same tabs and log."""
from __future__ import annotations

from dataclasses import replace

from app.assessment.context import AssessmentContext
from app.assessment.workflow import AssessmentWorkflow
from app.mail.mail_log import MailState
from app.sheets.layout_files import load_workbook_spec
from tests.assessment_book import SECRET, workbook
from tests.backends import NOW


def test_the_pass_after_sending_equals_a_fresh_run_and_shows_what_was_sent():
    grids, spec = workbook(), load_workbook_spec("assessment")
    ctx = AssessmentContext(now=NOW, token_secret=SECRET)
    workflow = AssessmentWorkflow(spec)
    first = workflow.run(grids, ctx)
    assert first.mails
    sent = replace(ctx, mail_log={mail.key: MailState("sent", NOW) for mail in first.mails})
    second, fresh = workflow.run(grids, sent), AssessmentWorkflow(spec).run(grids, sent)
    assert repr([t.grid() for t in second.tabs]) == repr([t.grid() for t in fresh.tabs])
    assert repr((second.problems, second.summary, second.mails)) == repr((fresh.problems, fresh.summary, fresh.mails))
    assert repr([t.grid() for t in second.tabs]) != repr([t.grid() for t in first.tabs])  # the log is not kept
    assert not second.mails


def test_a_new_secret_or_new_tabs_are_typed_and_matched_again():
    grids, spec = workbook(), load_workbook_spec("assessment")
    workflow = AssessmentWorkflow(spec)
    first = workflow.run(grids, AssessmentContext(now=NOW, token_secret=SECRET))
    other = AssessmentContext(now=NOW, token_secret=b"another-secret")
    assert repr(workflow.run(grids, other).mails) == repr(AssessmentWorkflow(spec).run(grids, other).mails) \
        != repr(first.mails)
    fewer = {title: rows[:-1] if title == "ผู้สมัคร" else rows for title, rows in grids.items()}
    assert workflow.run(fewer, other).rows_read == first.rows_read - 1
