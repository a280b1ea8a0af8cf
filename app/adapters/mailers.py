"""Mailers: an outbox folder (local runs), the organisation's SMTP relay, and Gmail with domain-wide delegation."""
from __future__ import annotations

import base64
import contextlib
import logging
import os
import smtplib
import ssl
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from google.auth.exceptions import GoogleAuthError
from googleapiclient.errors import HttpError

from app.adapters.google.auth import GMAIL_SCOPES, KeySource, credentials, discovery_client, service_account_key
from app.adapters.google.retry import RetryPolicy, call_with_retry, describe, http_status
from app.config import GoogleSettings
from app.errors import BackendError

log = logging.getLogger(__name__)


def message_id(message: EmailMessage) -> str:
    """The message's Message-ID, given one first if it has none."""
    if "Message-ID" not in message:
        message["Message-ID"] = make_msgid()
    return message["Message-ID"]


class OutboxMailer:
    """Writes each message as `<UTC timestamp>-<uuid>.eml` into a folder, for local runs and demos."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> str:
        """Write the message atomically (temporary file, fsync, rename) and return the file name."""
        message_id(message)
        name = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex}.eml"
        temporary = self.folder / f".{name}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                file.write(message.as_bytes())
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.folder / name)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise BackendError(f"cannot write mail to outbox {self.folder}: {exc.strerror or exc}") from exc
        return name


class SmtpMailer:
    """Sends through an SMTP relay with an explicit time-out, optional STARTTLS and login."""

    def __init__(self, host: str, port: int = 25, starttls: bool = False, username: str | None = None,
                 password: str | None = None, timeout: float = 30.0) -> None:
        self.host, self.port, self.starttls, self.timeout = host, port, starttls, timeout
        self.username = username
        self._password = password

    def __repr__(self) -> str:
        return f"SmtpMailer({self.host}:{self.port}, starttls={self.starttls}, username={self.username!r})"

    def send(self, message: EmailMessage) -> str:
        """Send and return the Message-ID; failures become a one-line BackendError (temporary or permanent)."""
        sent_id = message_id(message)
        where = f"SMTP {self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self._password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise BackendError(f"{where} refused the recipient: {smtp_reply(code, text)}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise BackendError(f"{where} refused the login of {self.username}: "
                               f"{smtp_reply(exc.smtp_code, exc.smtp_error)}; check mail.smtp_username and "
                               "SMTP_PASSWORD") from exc
        except smtplib.SMTPResponseException as exc:
            raise BackendError(f"{where} refused the message: {smtp_reply(exc.smtp_code, exc.smtp_error)}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise BackendError(f"{where} cannot do what the settings ask: {exc} (permanent: check "
                               "mail.smtp_starttls and mail.smtp_username)") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise BackendError(f"{where} unreachable or cut off: {type(exc).__name__}: {_first_line(exc)} "
                               "(temporary: the next run retries)") from exc
        if refused:
            log.warning("%s refused %d of the message's recipients", where, len(refused))
        return sent_id


def smtp_reply(code: int, text: bytes | str) -> str:
    """`451 try again later (temporary: …)`: the server's reply on one line, 4xx vs 5xx spelled out."""
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    kind = "temporary: the next run retries" if 400 <= code < 500 else \
        "permanent: fix the address or the relay settings before retrying"
    return f"{code} {' '.join(text.split())} ({kind})"


class GmailMailer:
    """Sends through the Gmail API as a Workspace user, by the service account's domain-wide delegation."""

    def __init__(self, creds_source: KeySource | None, delegated_user: str | None, google: GoogleSettings) -> None:
        self.delegated_user = delegated_user  # None: Google refuses (400 failedPrecondition), explained by send()
        key = service_account_key(creds_source)
        self._client_id = key.get("client_id", "<client_id of the key>")
        creds = credentials(key, GMAIL_SCOPES, google, subject=delegated_user)
        self._gmail = discovery_client("gmail", "v1", creds, google)
        self._policy = RetryPolicy(attempts=google.max_attempts, base_delay=google.backoff_base)

    def send(self, message: EmailMessage) -> str:
        """Send (bounded retry on 429/5xx) and return Gmail's message id."""
        raw = base64.urlsafe_b64encode(message.as_bytes()).decode("ascii")
        what = f"Gmail send as {self.delegated_user or 'the service account'}"
        try:
            sent = call_with_retry(
                lambda: self._gmail.users().messages().send(userId="me", body={"raw": raw}).execute(),
                self._policy, what)
        except HttpError as exc:
            status, error = http_status(exc)
            if status == 400 and _failed_precondition(error):
                raise BackendError(self._no_delegation()) from exc
            raise BackendError(f"{what} failed: {describe(exc)}") from exc
        except GoogleAuthError as exc:
            if "unauthorized_client" in str(exc):
                raise BackendError(self._no_delegation()) from exc
            raise BackendError(f"{what}: Google sign-in failed: {_first_line(exc)}") from exc
        return sent["id"]

    def _no_delegation(self) -> str:
        who = self.delegated_user or "the service account (mail.gmail_delegated_user is not set)"
        return (f"Gmail refused to send as {who}: domain-wide delegation is missing. Set mail.gmail_delegated_user "
                f"to a Workspace user, and have a Workspace admin add client ID {self._client_id} with scope "
                f"{GMAIL_SCOPES[0]} at admin.google.com › Security › API controls › Domain-wide delegation "
                "(or set mail.backend = \"smtp\")")


def _failed_precondition(error: dict) -> bool:
    reasons = {e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)}
    return error.get("status") == "FAILED_PRECONDITION" or "failedPrecondition" in reasons


def _first_line(exc: BaseException) -> str:
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return (text.splitlines() or [type(exc).__name__])[0]
