"""The sheet is a second ledger (issue #11 finding 7): with the run store lost, a mail the tracking tab shows as
sent is never sent again, and a local run without its reference secret refuses to make a new one."""
from __future__ import annotations

import pytest

from app.adapters.state.run_store import RunStore
from app.errors import ConfigError
from tests.assessment.test_reference_mail import outbox, reference_backend, sent_to, tracking
from tests.assessment.test_sync_assessment import ANNOUNCEMENT, SERVICE_TABS, by_number
from tests.assessment_book import assessment_backend


def _lose_the_run_store(backend, tmp_path, name: str) -> None:
    """A new server, or `var/` deleted: an empty state store."""
    backend.services.store = RunStore(tmp_path / name / "state.sqlite", clock=backend.clock)


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_with_the_run_store_lost_no_reference_is_invited_twice(kind, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    backend = reference_backend(kind, tmp_path, fake)
    first = backend.run()
    assert first.counts["mails_sent"] == 3
    shown = tracking(backend)
    decided = by_number(backend)
    _lose_the_run_store(backend, tmp_path, "new-var")
    again = backend.run()
    assert again.counts["mails_sent"] == 0 and len(outbox(tmp_path)) == 3
    assert tracking(backend) == shown and by_number(backend) == decided
    backend.clock.advance(days=3)  # the reminders come once, after the invitations shown in the tab
    assert backend.run().counts["mails_sent"] == 3
    _lose_the_run_store(backend, tmp_path, "newer-var")
    assert backend.run().counts["mails_sent"] == 0
    backend.clock.advance(days=2)  # a reminder counted from the tab waits a whole interval from when it was seen
    assert backend.run().counts["mails_sent"] == 0
    reminders = outbox(tmp_path)[3:]
    assert len(reminders) == 3 and sent_to(reminders) == sent_to(outbox(tmp_path)[:3])


def test_a_local_run_without_its_secret_refuses_to_make_a_new_one_when_links_went_out(tmp_path):
    backend = assessment_backend("xlsx", tmp_path)
    backend.services.settings = backend.services.settings.model_copy(update={"reference_secret": None})
    secret = tmp_path / "reference-secret"  # beside the run store
    assert backend.run().counts["mails_sent"] > 0 and secret.exists()
    sent = len(outbox(tmp_path))
    before = {tab: backend.read(tab) for tab in SERVICE_TABS}
    secret.unlink()
    _lose_the_run_store(backend, tmp_path, "new-var")
    with pytest.raises(ConfigError) as refused:
        backend.run()
    line = str(refused.value)
    assert "\n" not in line and "python -m app restore DIR" in line and "REFERENCE_TOKEN_SECRET" in line
    assert not secret.exists() and len(outbox(tmp_path)) == sent
    assert {tab: backend.read(tab) for tab in SERVICE_TABS} == before
    assert backend.read(ANNOUNCEMENT) == before[ANNOUNCEMENT]


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_with_the_run_store_lost_no_applicant_is_mailed_twice(kind, tmp_path, request):
    """`สรุปผลการประเมิน` › `อีเมลถึงผู้สมัคร` is the applicant mail's second ledger."""
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    backend = assessment_backend(kind, tmp_path, fake)
    assert backend.run().counts["mails_sent"] == 5  # 3 references, A-002's interview, A-001's result
    shown = by_number(backend)
    _lose_the_run_store(backend, tmp_path, "new-var")
    assert backend.run().counts["mails_sent"] == 0 and len(outbox(tmp_path)) == 5
    assert by_number(backend) == shown
