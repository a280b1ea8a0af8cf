"""The sent-mail log page `/mail` (issue 13, item 5: "the sent-mail log with its states"): every mail the ledger
holds, its kind and state in Thai with what the state means, filtered by job and state, paginated, uncertain ones
settled where they are listed; addresses in full for operators, masked for viewers; IDs and phones masked."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.adapters.state.run_store import RunStore
from app.config import JobSettings
from app.mail.sent_log import mail_log
from app.mail.uncertain import mail_id
from app.web import create_app
from app.wiring import bootstrap
from tests.web.browser.webapp import csrf_of, full_ids, sign_in, web_settings
from tests.web.test_web_pages import page, text_of

START = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
PHONE = "0812345678"
FAILED = "ref:A-2569-050:late@example.com:reminder:2"
UNCERTAIN = "app:A-2569-007:result"
OTHER_JOB = "assessment-2568/ref:A-2568-001:old@example.org:invite"


def seed_ledger(store: RunStore, clock: list[datetime]) -> None:
    """60 invitations that went out, one reminder that failed, one result whose answer was lost, one mail of
    another round, one being sent now — a minute apart, in that order."""
    def claim(key: str, to: str) -> None:
        clock[0] += timedelta(minutes=1)
        assert store.claim_mail(key, to, "เรื่อง")

    for n in range(60):
        key = f"ref:A-2569-{n:03d}:ref{n}@example.com:invite"
        claim(key, f"ref{n}@example.com")
        store.mark_sent(key, f"<{n}@dip.go.th>")
    claim(FAILED, "late@example.com")
    store.release_mail(FAILED, f"SMTP 550 mailbox full (โทร {PHONE})")
    claim(UNCERTAIN, "somying@example.com")
    store.mark_uncertain(UNCERTAIN, "Gmail: no answer after the request went out")
    claim(OTHER_JOB, "old@example.org")
    store.mark_sent(OTHER_JOB, "<old@dip.go.th>")
    claim("ref:A-2569-099:now@example.com:invite", "now@example.com")  # this process, just now: still sending


@pytest.fixture
def app(tmp_path):
    settings = web_settings(tmp_path, {
        "assessment": JobSettings(kind="assessment", workbook=tmp_path / "a.xlsx"),
        "assessment-2568": JobSettings(kind="assessment", workbook=tmp_path / "a68.xlsx"),
        "reporting": JobSettings(kind="reporting", workbook=tmp_path / "r.xlsx")})
    services = bootstrap(settings)
    clock = [START]
    services.store = RunStore(settings.state_db, clock=lambda: clock[0])
    seed_ledger(services.store, clock)
    run = services.store.start_run("assessment", "a.xlsx", "manual")
    services.store.finish_run(run, "ok", {"mails_sent": 0, "mails_waiting": 7})
    return create_app(settings, services)


def test_the_log_pages_through_every_mail_newest_first_with_states_in_thai(app):
    client = app.test_client()
    sign_in(client, "op")
    first = text_of(page(client, "/mail"))
    assert "หน้า 1 / 2 (64 ฉบับ)" in first and "ถัดไป →" in first
    assert "ส่งแล้ว 61" in first and "ส่งไม่สำเร็จ 1" in first and "ไม่แน่ใจว่าส่งแล้ว 1" in first
    assert "กำลังส่ง 1" in first and "รอส่ง 7" in first  # waiting for the budget: from the job's last run
    assert first.index("now@example.com") < first.index("old@example.org") < first.index("somying@example.com")
    assert "แจ้งผลผู้สมัคร (applicant result) · A-2569-007" in first
    assert "เตือนบุคคลอ้างอิง ครั้งที่ 2 (reminder 2) · A-2569-050" in first
    assert "มี 1 ฉบับที่ไม่แน่ใจว่าส่งแล้ว" in first and "ref59@example.com" in first
    second = text_of(page(client, "/mail?page=2"))
    assert "หน้า 2 / 2" in second and "ref0@example.com" in second and "ref59@example.com" not in second
    assert "หน้า 2 / 2" in text_of(page(client, "/mail?page=99"))  # past the end: the last page

    failed = text_of(page(client, "/mail?state=failed"))
    assert "late@example.com" in failed and "ref1@example.com" not in failed
    assert "ไม่ได้ส่งออกแน่นอน รอบถัดไปจะลองใหม่" in failed and "สาเหตุ: SMTP 550 mailbox full" in failed
    assert PHONE not in failed and "xxxxxx5678" in failed and full_ids(failed) == []

    round_2568 = text_of(page(client, "/mail?job=assessment-2568"))
    assert "old@example.org" in round_2568 and "ref1@example.com" not in round_2568 and "ส่งแล้ว 1" in round_2568
    assert "ref1@example.com" in text_of(page(client, "/mail?job=assessment&page=2"))


def test_uncertain_mails_are_settled_in_the_log_and_the_filter_is_kept(app):
    client = app.test_client()
    sign_in(client, "op")
    html = page(client, "/mail?state=uncertain")
    assert html.count('name="outcome" value="resend"') == 1 and "somying@example.com" in html
    answer = client.post(f"/mail/{mail_id(UNCERTAIN)}/settle",
                         data={"csrf_token": csrf_of(html), "outcome": "sent", "state": "uncertain"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/mail?state=uncertain"
    assert app.config["SERVICES"].store.mail_record(UNCERTAIN).state == "sent"
    assert "ไม่มีอีเมลสถานะไม่แน่ใจว่าส่งแล้ว" in text_of(page(client, "/mail?state=uncertain"))


def test_a_viewer_sees_the_log_with_masked_addresses_and_no_settle_button(app):
    client = app.test_client()
    sign_in(client, "view")
    html = page(client, "/mail")
    assert "so•••@example.com" in html and "somying@" not in html and "ref59@" not in html
    assert 'name="outcome"' not in html and "เฉพาะผู้ดำเนินการ (operator) ยืนยันผลได้" in text_of(html)


def test_the_log_reads_the_ledger_as_it_is(tmp_path):
    clock = [START]
    store = RunStore(tmp_path / "state.sqlite", clock=lambda: clock[0])
    seed_ledger(store, clock)
    assert mail_log(store, job="assessment-2568").total == 1
    assert mail_log(store, job="", state="sent", page_size=10).pages == 6  # 60 of the job named after its kind
    clock[0] += timedelta(hours=1)  # the `sending` claim outlived any send: it is uncertain now
    assert mail_log(store).counts == {"sending": 0, "sent": 61, "failed": 1, "uncertain": 2}
