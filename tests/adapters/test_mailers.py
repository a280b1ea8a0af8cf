"""Mailers against real stand-ins: an aiosmtpd server on 127.0.0.1, an outbox folder, the fake Google server."""
import shutil
import socket
from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from app.adapters.mailers import GmailMailer, OutboxMailer, SmtpMailer
from app.config import GoogleSettings
from app.mail.message import build_message
from app.errors import BackendError, DeliveryUncertain

SENDER = "กรมส่งเสริมอุตสาหกรรม <noreply@dip.go.th>"
SUBJECT = "ขอเชิญประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม (ใบสมัคร A-001)"
TEXT = ("เรียน คุณสมหญิง ใจดี\n\nกรุณาตอบแบบประเมินที่ลิงก์นี้ภายใน 14 วัน:\n"
        "https://docs.google.com/forms/d/e/x/viewform?usp=pp_url&entry.1=A-001\n")
HTML = "<p>เรียน คุณสมหญิง ใจดี</p><p><a href=\"https://example.com\">แบบประเมิน</a></p>"


def thai_message(to="somying@example.com"):
    return build_message(SENDER, to, SUBJECT, TEXT, HTML)


def parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def assert_thai_intact(raw: bytes, to="somying@example.com"):
    message = parsed(raw)
    assert message["Subject"] == SUBJECT and message["To"] == to
    raw_from = message_from_bytes(raw)["From"]  # decoded by RFC 2047's rules (the modern parser adds a space)
    assert str(make_header(decode_header(raw_from))) == SENDER
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == TEXT
    assert message.get_body(("html",)).get_content().strip() == HTML
    assert message["Message-ID"].endswith("@dip.go.th>")


def test_built_message_is_seven_bit_safe():
    raw = thai_message().as_bytes()
    assert raw.isascii() and b"\r\n" in raw
    assert_thai_intact(raw)


class Recorder:
    """An aiosmtpd handler that keeps what it received and can refuse recipients with a given reply."""

    def __init__(self):
        self.received, self.recipient_reply = [], None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.recipient_reply:
            return self.recipient_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 2.0.0 Ok: queued"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accept_login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"officer", b"s3cret!")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            authenticator=accept_login, auth_require_tls=False)
    controller.start()
    yield handler, controller.port
    controller.stop()


def test_smtp_delivers_thai_message_intact(smtp_server):
    handler, port = smtp_server
    message = thai_message()
    sent_id = SmtpMailer("127.0.0.1", port, timeout=5).send(message)
    [(mail_from, rcpt_tos, content)] = handler.received
    assert (mail_from, rcpt_tos) == ("noreply@dip.go.th", ["somying@example.com"])
    assert_thai_intact(content)
    assert sent_id == message["Message-ID"] == parsed(content)["Message-ID"]


def test_smtp_logs_in(smtp_server):
    handler, port = smtp_server
    SmtpMailer("127.0.0.1", port, username="officer", password="s3cret!", timeout=5).send(thai_message())
    assert len(handler.received) == 1


def test_smtp_wrong_password_is_one_line_without_the_password(smtp_server):
    _, port = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, username="officer", password="wrong-pw", timeout=5)
    with pytest.raises(BackendError) as failure:
        mailer.send(thai_message())
    text = str(failure.value)
    assert "535" in text and "SMTP_PASSWORD" in text and "permanent" in text
    assert "wrong-pw" not in text and "wrong-pw" not in repr(mailer) and "\n" not in text


@pytest.mark.parametrize("reply, kind", [("451 4.3.0 Mailbox busy, try later", "temporary"),
                                         ("550 5.1.1 No such user", "permanent")])
def test_smtp_refusal_says_temporary_or_permanent(smtp_server, reply, kind):
    handler, port = smtp_server
    handler.recipient_reply = reply
    with pytest.raises(BackendError, match=rf"{reply[:3]} .*\({kind}") as failure:
        SmtpMailer("127.0.0.1", port, timeout=5).send(thai_message())
    assert "\n" not in str(failure.value) and handler.received == []


def test_smtp_unreachable_is_temporary():
    with pytest.raises(BackendError, match="unreachable.*temporary"):
        SmtpMailer("127.0.0.1", free_port(), timeout=2).send(thai_message())


def test_smtp_silent_server_times_out():
    with socket.socket() as silent:  # accepts the connection, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(BackendError, match="timeout|timed out"):
            SmtpMailer("127.0.0.1", silent.getsockname()[1], timeout=0.5).send(thai_message())


def test_outbox_files_parse_back(tmp_path):
    outbox = OutboxMailer(tmp_path / "outbox")
    names = [outbox.send(thai_message()), outbox.send(thai_message("other@example.com"))]
    assert not any(p.suffix == ".eml" for p in (tmp_path / "outbox").iterdir())  # in place only once durable
    assert outbox.flush() == {}
    assert len(set(names)) == 2 and all(name.endswith(".eml") for name in names)
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == sorted(names)  # no temporary files left
    assert_thai_intact((tmp_path / "outbox" / names[0]).read_bytes())
    assert_thai_intact((tmp_path / "outbox" / names[1]).read_bytes(), to="other@example.com")


def test_outbox_files_that_cannot_be_put_in_place_are_named_by_flush(tmp_path):
    outbox = OutboxMailer(tmp_path / "outbox")
    name = outbox.send(thai_message())
    shutil.rmtree(tmp_path / "outbox")  # gone before the files are made durable and renamed
    lost = outbox.flush()
    assert list(lost) == [name] and lost[name].startswith(f"cannot write mail to outbox {tmp_path / 'outbox'}")
    assert outbox.flush() == {}


def test_outbox_that_cannot_be_written_is_a_backend_error(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(BackendError, match="outbox"):
        OutboxMailer(tmp_path / "taken").send(thai_message())


DELEGATED = "officer@dip.go.th"
SEND = "gmail.users.messages.send"


def gmail_mailer(fake, delegated_user=DELEGATED, **settings):
    google = GoogleSettings(endpoint=fake.base_url, backoff_base=0, **settings)
    return GmailMailer(fake.service_account_info(), delegated_user, google)


def test_gmail_sends_thai_message_as_the_delegated_user(fake_google):
    sent_id = gmail_mailer(fake_google).send(thai_message())
    [sent] = fake_google.sent_messages
    assert (sent["id"], sent["userId"], sent["subject"]) == (sent_id, "me", DELEGATED)
    assert_thai_intact(sent["raw"])


def test_gmail_retries_temporary_failures(fake_google):
    fake_google.inject_fault(SEND, status=503, times=2)
    gmail_mailer(fake_google).send(thai_message())
    assert fake_google.request_counts[SEND] == 3 and len(fake_google.sent_messages) == 1


def test_gmail_gives_up_after_max_attempts(fake_google):
    fake_google.inject_fault(SEND, status=429, times=5)
    with pytest.raises(BackendError, match="gave up after 3 tries"):
        gmail_mailer(fake_google, max_attempts=3).send(thai_message())
    assert fake_google.request_counts[SEND] == 3 and fake_google.sent_messages == []


def test_gmail_without_delegation_says_how_to_fix_it(fake_google):
    info = fake_google.service_account_info()
    with pytest.raises(BackendError) as failure:
        gmail_mailer(fake_google, delegated_user=None).send(thai_message())
    text = str(failure.value)
    assert "domain-wide delegation is missing" in text and info["client_id"] in text
    assert "gmail.send" in text and "mail.gmail_delegated_user" in text and "\n" not in text
    assert fake_google.request_counts[SEND] == 1 and fake_google.sent_messages == []  # not retried


def test_gmail_other_refusal_is_not_retried(fake_google):
    fake_google.inject_fault(SEND, status=400)
    with pytest.raises(BackendError, match="HTTP 400"):
        gmail_mailer(fake_google).send(thai_message())
    assert fake_google.request_counts[SEND] == 1


def test_gmail_sign_in_failure_is_a_backend_error(fake_google):
    fake_google.inject_fault("oauth2.token", status=500, times=3)  # google-auth itself tries 3 times
    with pytest.raises(BackendError, match="Google sign-in failed: internal_failure"):
        gmail_mailer(fake_google).send(thai_message())
    assert fake_google.sent_messages == []


def test_gmail_send_that_timed_out_is_uncertain_and_never_resent(fake_google):
    """The reference that got two copies: the send's answer timed out and the mailer sent it again, though Google
    had taken it."""
    fake_google.inject_fault(SEND, status=None, delay=1.0)  # Gmail takes the message, the answer comes too late
    with pytest.raises(DeliveryUncertain, match="no answer after the request went out.*may have been delivered"):
        gmail_mailer(fake_google, read_timeout=0.2).send(thai_message())
    assert fake_google.request_counts[SEND] == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_gmail_error_after_taking_the_request_is_uncertain_not_retried(fake_google, status):
    fake_google.inject_fault(SEND, status=status)
    with pytest.raises(DeliveryUncertain, match=f"HTTP {status}"):
        gmail_mailer(fake_google).send(thai_message())
    assert fake_google.request_counts[SEND] == 1


def test_gmail_that_cannot_be_reached_is_retried_then_surely_failed(fake_google):
    google = GoogleSettings(endpoint=f"http://127.0.0.1:{free_port()}", backoff_base=0, max_attempts=2)
    with pytest.raises(BackendError, match="gave up after 2 tries") as failure:
        GmailMailer(fake_google.service_account_info(), DELEGATED, google).send(thai_message())
    assert not isinstance(failure.value, DeliveryUncertain) and fake_google.sent_messages == []


class SlowToConfirm(Recorder):
    """Takes the message, then answers the end of DATA after the client has given up waiting."""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        await asyncio.sleep(1.0)
        return "250 2.0.0 Ok: queued"


def test_smtp_answer_lost_after_the_message_went_out_is_uncertain():
    controller = Controller(SlowToConfirm(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with pytest.raises(DeliveryUncertain, match="no answer after the message went out"):
            SmtpMailer("127.0.0.1", controller.port, timeout=0.3).send(thai_message())
        assert len(controller.handler.received) == 1  # it did reach the relay: a resend would be a second copy
    finally:
        controller.stop()


def test_smtp_cut_off_before_the_message_is_surely_failed(smtp_server):
    handler, port = smtp_server
    handler.recipient_reply = "421 4.3.0 closing"  # the relay hangs up at RCPT, before any DATA
    with pytest.raises(BackendError) as failure:
        SmtpMailer("127.0.0.1", port, timeout=5).send(thai_message())
    assert not isinstance(failure.value, DeliveryUncertain) and handler.received == []
