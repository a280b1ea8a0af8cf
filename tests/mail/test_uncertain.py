"""Settling uncertain mails: `python -m app mail uncertain [--resolve sent|resend ID]` and the web page."""
from __future__ import annotations

import re

import pytest

from app.adapters.mailers import OutboxMailer
from app.adapters.state.run_store import RunStore
from app.cli.main import main
from app.config import JobSettings
from app.mail.delivery import deliver
from app.mail.mail_log import OutgoingMail
from app.mail.uncertain import mail_id
from app.web import create_app
from app.wiring import bootstrap
from tests.mail.test_delivery import NOW
from tests.web.browser.webapp import csrf_of, sign_in, web_settings

PLAIN = "ref:A-007:somying@example.com:invite"
NAMESPACED = "assessment-2568/ref:A-011:prasert@example.org:reminder:1"
SENT = "ref:A-001:done@example.com:invite"


def seed(store: RunStore) -> None:
    """Two mails whose answer was lost (one under a job's namespace) and one that went out."""
    for key in (PLAIN, NAMESPACED, SENT):
        store.claim_mail(key, key.split(":")[2], "เชิญ")
    store.mark_uncertain(PLAIN, "SMTP relay: no answer after the message went out")
    store.mark_uncertain(NAMESPACED, "Gmail: no answer after the request went out")
    store.mark_sent(SENT, "<id@dip.go.th>")


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\n', encoding="utf-8")
    seed(RunStore(tmp_path / "state.sqlite"))
    return path


def test_uncertain_mails_are_listed_with_masked_recipients(config, capsys):
    """Issue 11 (12): uncertain mails had no command to settle them."""
    assert main(["--config", str(config), "mail", "uncertain"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(f"{mail_id(PLAIN)}  -  ref:A-007:invite  so•••@example.com  ")
    assert lines[1].startswith(f"{mail_id(NAMESPACED)}  assessment-2568  ref:A-011:reminder:1  pr•••@example.org")
    assert "no answer after the message went out" in lines[0] and len(lines) == 3
    assert "somying@" not in out and "prasert@" not in out and "A-001" not in out


def test_resolve_sent_marks_it_sent_and_resend_releases_it_for_the_next_run(config, tmp_path, capsys):
    store = RunStore(tmp_path / "state.sqlite")
    assert main(["--config", str(config), "mail", "uncertain", "--resolve", "sent", mail_id(PLAIN)]) == 0
    assert main(["--config", str(config), "mail", "uncertain", "--resolve", "resend", mail_id(NAMESPACED)]) == 0
    assert "marked sent" in capsys.readouterr().out
    assert store.mail_record(PLAIN).state == "sent"
    assert store.mail_record(PLAIN).message_id.startswith("settled as sent by ")
    assert store.mail_record(NAMESPACED).state == "failed"
    mails = [OutgoingMail(key.removeprefix("assessment-2568/"), key.split(":")[2], "เชิญ", "ข้อความ\n")
             for key in (PLAIN, NAMESPACED)]
    outbox = OutboxMailer(tmp_path / "outbox")
    deliver(mails[:1], store, lambda: outbox, "noreply@dip.go.th", 10, NOW)
    deliver(mails[1:], store, lambda: outbox, "noreply@dip.go.th", 10, NOW, namespace="assessment-2568/")
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1  # only the released one, once
    assert store.mail_record(NAMESPACED).state == "sent"
    assert main(["--config", str(config), "mail", "uncertain"]) == 0
    assert "no uncertain mail" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["sent", "0000000000"], ["maybe", "x"]])
def test_a_wrong_id_or_outcome_is_one_line_exit_2(config, tmp_path, capsys, args):
    sent_id = mail_id(SENT)  # a mail that went out is not uncertain: it cannot be released
    for given in (args, ["resend", sent_id]):
        assert main(["--config", str(config), "mail", "uncertain", "--resolve", *given]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ")
    assert RunStore(tmp_path / "state.sqlite").mail_record(SENT).state == "sent"


@pytest.fixture
def app(tmp_path):
    settings = web_settings(tmp_path, {"assessment": JobSettings(kind="assessment", workbook=tmp_path / "a.xlsx")})
    services = bootstrap(settings)
    seed(services.store)
    return create_app(settings, services)


def test_a_viewer_sees_uncertain_mails_but_cannot_settle_them(app):
    client = app.test_client()
    sign_in(client, "view")
    html = client.get("/mail").get_data(as_text=True)
    assert mail_id(PLAIN) in html and "so•••@example.com" in html and "somying@" not in html
    assert 'name="outcome"' not in html
    token = csrf_of(client.get("/").get_data(as_text=True))
    answer = client.post(f"/mail/{mail_id(PLAIN)}/settle", data={"csrf_token": token, "outcome": "sent"})
    assert answer.status_code == 403
    assert app.config["SERVICES"].store.mail_record(PLAIN).state == "uncertain"


def test_an_operator_settles_with_a_csrf_protected_post(app):
    client = app.test_client()
    sign_in(client, "op")
    html = client.get("/mail").get_data(as_text=True)
    assert html.count('name="outcome" value="resend"') == 2
    store = app.config["SERVICES"].store
    assert client.post(f"/mail/{mail_id(PLAIN)}/settle", data={"outcome": "sent"}).status_code == 400
    assert store.mail_record(PLAIN).state == "uncertain"
    answer = client.post(f"/mail/{mail_id(PLAIN)}/settle", data={"csrf_token": csrf_of(html), "outcome": "resend"},
                         follow_redirects=True)
    assert answer.status_code == 200 and "จะส่งใหม่ในรอบถัดไป" in answer.get_data(as_text=True)
    assert store.mail_record(PLAIN).state == "failed"
    again = client.post(f"/mail/{mail_id(PLAIN)}/settle", data={"csrf_token": csrf_of(html), "outcome": "sent"},
                        follow_redirects=True)
    assert "ไม่พบอีเมลที่ไม่แน่ใจ" in again.get_data(as_text=True) and store.mail_record(PLAIN).state == "failed"
    assert re.search(r"{}.*ref:A-011:reminder:1".format(mail_id(NAMESPACED)), again.get_data(as_text=True), re.S)
