"""The sent-mail ledger's rules, run side by side on the SQLite run store and on the in-memory one the fast tests
use, so the fake cannot drift from the real store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.adapters.state.run_store import RunStore
from app.mail.delivery import allowance, budget_frees_at
from tests.fakes import InMemoryRunStore

T0 = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", "memory"])
def store(request, tmp_path):
    clock = Clock()
    made = RunStore(tmp_path / "state.sqlite", clock=clock) if request.param == "sqlite" else InMemoryRunStore(clock)
    made.test_clock = clock
    return made


def test_a_key_is_claimed_once_until_it_fails(store):
    assert store.claim_mail("job/ref:A-1:x@y.th:invite", "x@y.th", "s")
    assert not store.claim_mail("job/ref:A-1:x@y.th:invite", "x@y.th", "s")  # sending: never twice
    store.release_mail("job/ref:A-1:x@y.th:invite", "relay refused")
    assert store.claim_mail("job/ref:A-1:x@y.th:invite", "x@y.th", "s")  # failed for sure: may try again
    store.mark_sent("job/ref:A-1:x@y.th:invite", "id-1")
    assert not store.claim_mail("job/ref:A-1:x@y.th:invite", "x@y.th", "s")
    [record] = store.mails("job/")
    assert (record.state, record.attempts, record.message_id, record.error) == ("sent", 2, "id-1", None)
    with pytest.raises(KeyError):
        store.mark_sent("job/ref:A-1:x@y.th:invite", "id-2")  # already settled


def test_the_mark_of_a_jobs_mails_changes_with_every_claim_and_settlement(store):
    """What the change check compares (RunSupport.input_mark): none while a mail is being sent (it turns uncertain
    with time alone), and a new text after each claim, failure, send or operator's word, under the job's prefix only."""
    marks = [store.mails_mark("job/")]
    assert store.claim_mail("job/ref:A-1:x@y.th:invite", "x@y.th", "s")
    assert store.mails_mark("job/") is None
    store.release_mail("job/ref:A-1:x@y.th:invite", "relay refused")
    marks.append(store.mails_mark("job/"))
    store.test_clock.now += timedelta(minutes=1)
    assert store.claim_mail("job/ref:A-1:x@y.th:invite", "x@y.th", "s")
    store.mark_sent("job/ref:A-1:x@y.th:invite", "id-1")
    marks.append(store.mails_mark("job/"))
    assert store.claim_mail("job/ref:A-2:x@y.th:invite", "x@y.th", "s")
    store.mark_uncertain("job/ref:A-2:x@y.th:invite", "timed out")
    marks.append(store.mails_mark("job/"))
    store.settle_uncertain("job/ref:A-2:x@y.th:invite", "resend", "operator")
    marks.append(store.mails_mark("job/"))
    assert None not in marks and len(set(marks)) == len(marks)
    assert store.claim_mail("other/ref:A-1:x@y.th:invite", "x@y.th", "s")  # another job's mail
    assert store.mails_mark("job/") == marks[-1]


def test_the_budget_counts_sent_and_sending_within_the_window(store):
    for n in range(3):
        store.claim_mail(f"ref:{n}", "x@y.th", "s")
    store.mark_sent("ref:0", "id")
    store.release_mail("ref:1", "refused")
    assert len(store.counted_since(T0 - timedelta(hours=24))) == 2  # ref:0 sent, ref:2 may have gone out
    store.test_clock.now = T0 + timedelta(days=2)
    assert len(store.counted_since(store.test_clock.now - timedelta(hours=24))) == 0
    assert [m.key for m in store.mails("ref:")] == ["ref:0", "ref:1", "ref:2"] and store.mails("other/") == []


def test_a_spent_budget_frees_when_enough_of_its_mails_have_left_the_window(store):
    """The budget counts the last 24 hours, as Gmail's quota does: with 2 a day and three mails gone out over the
    morning, the next may go once the second of them is a day old, not at midnight."""
    for n, hour in enumerate((0, 2, 5)):
        store.test_clock.now = T0 + timedelta(hours=hour)
        store.claim_mail(f"ref:{n}", "x@y.th", "s")
        if n < 2:
            store.mark_sent(f"ref:{n}", "id")  # ref:2 is still sending: it counts by its claim
    now = T0 + timedelta(hours=6)
    assert store.counted_since(T0) == [T0, T0 + timedelta(hours=2), T0 + timedelta(hours=5)]
    assert allowance(store, 2, now) == 0
    frees = budget_frees_at(store, 2, now)
    assert frees == T0 + timedelta(days=1, hours=2)
    assert allowance(store, 2, frees) == 0 and allowance(store, 2, frees + timedelta(seconds=1)) == 1
    assert budget_frees_at(store, 3, now) == T0 + timedelta(days=1)
    assert budget_frees_at(store, 4, now) is None and budget_frees_at(store, 0, now) is None  # 0: none ever goes


def test_runs_are_listed_newest_first_by_job_and_status(store):
    first = store.start_run("a", "A.xlsx", "manual")
    store.finish_run(first, "ok", {"rows_read": 3})
    second = store.start_run("b", "B.xlsx", "schedule")
    assert [r.id for r in store.runs()] == [second, first]
    assert [(r.job, r.status, r.counts) for r in store.runs(job="a")] == [("a", "ok", {"rows_read": 3})]
    assert [r.id for r in store.runs(status="running")] == [second]


def test_an_uncertain_mail_is_never_claimed_again_until_an_operator_settles_it(store):
    for key in ("job/ref:A-1:x@y.th:invite", "ref:A-2:z@y.th:invite"):
        store.claim_mail(key, key.split(":")[2], "s")
        store.mark_uncertain(key, "no answer after the request went out")
    assert [m.key for m in store.uncertain_mails()] == ["job/ref:A-1:x@y.th:invite", "ref:A-2:z@y.th:invite"]
    assert not store.claim_mail("job/ref:A-1:x@y.th:invite", "x@y.th", "s")
    assert len(store.counted_since(T0 - timedelta(hours=24))) == 2  # they may have gone out
    store.settle_uncertain("job/ref:A-1:x@y.th:invite", "sent", "somchai")
    store.settle_uncertain("ref:A-2:z@y.th:invite", "resend", "somchai")
    sent, released = store.mails()
    assert (sent.state, sent.message_id) == ("sent", "settled as sent by somchai")
    assert (released.state, released.attempts, released.error) == ("failed", 0, None)
    assert store.uncertain_mails() == [] and store.claim_mail("ref:A-2:z@y.th:invite", "z@y.th", "s")
    with pytest.raises(KeyError):
        store.settle_uncertain("job/ref:A-1:x@y.th:invite", "resend", "somchai")  # settled already
    with pytest.raises(KeyError):
        store.mark_uncertain("job/ref:A-1:x@y.th:invite", "late")


def test_a_run_ends_ok_failed_or_interrupted_and_keeps_the_name_it_read(store):
    run = store.start_run("a", "1AbCdEf", "schedule")
    store.finish_run(run, "interrupted", {}, "หยุดตามสัญญาณ SIGTERM (stopped by SIGTERM)")
    assert (store.runs()[0].status, store.runs()[0].workbook) == ("interrupted", "1AbCdEf")
    other = store.start_run("a", "1AbCdEf", "schedule")
    store.finish_run(other, "ok", {}, workbook="แบบประเมิน")
    assert store.runs()[0].workbook == "แบบประเมิน"
    with pytest.raises(ValueError):
        store.finish_run(other, "abandoned", {})  # only the store itself closes runs as abandoned
