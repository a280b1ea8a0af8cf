"""Mailers: an outbox folder (local runs), the organisation's SMTP relay, and Gmail with domain-wide delegation."""
from __future__ import annotations

import base64
import contextlib
import logging
import os
import smtplib
import ssl
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import BinaryIO

import httplib2
import requests
import urllib3
from google.auth.exceptions import GoogleAuthError, TransportError
from google.auth.transport.requests import AuthorizedSession
from googleapiclient.errors import HttpError

from app.adapters.google.auth import GMAIL_SCOPES, KeySource, credentials, discovery_client, service_account_key
from app.adapters.google.retry import RetryPolicy, call_with_retry, describe, first_line, http_status, quota_403
from app.config import GoogleSettings
from app.errors import BackendError, DeliveryUncertain

log = logging.getLogger(__name__)


def message_id(message: EmailMessage) -> str:
    """The message's Message-ID, given one first if it has none."""
    if "Message-ID" not in message:
        message["Message-ID"] = make_msgid()
    return message["Message-ID"]


class OutboxMailer:
    """Writes each message as `<UTC timestamp>-<uuid>.eml` into a folder, for local runs and demos.

    send() writes a hidden temporary file; flush() makes the files durable together (fsync'd concurrently, the
    file system commits them in one go: 0.3 ms a mail instead of 4 ms one by one) and only then renames each into
    place, so a visible .eml is always complete, and a crash before flush() leaves no mail behind that the sent-mail
    log does not know of (their claims read `uncertain`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._made = False  # the folder is made by the first send, not by every one
        self._pending: dict[str, tuple[Path, BinaryIO]] = {}

    def send(self, message: EmailMessage) -> str:
        """Write the message to a temporary file and return the file name it will have after flush()."""
        message_id(message)
        name = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex}.eml"
        temporary = self.folder / f".{name}.tmp"
        try:
            if not self._made:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._made = True
            file = open(temporary, "wb")
            try:
                file.write(message.as_bytes())
                file.flush()
            except BaseException:
                file.close()
                raise
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise BackendError(self._cannot(exc)) from exc
        self._pending[name] = (temporary, file)
        return name

    def flush(self) -> dict[str, str]:
        """fsync every file written since the last flush, then rename each into place: the names that failed."""
        pending, self._pending = self._pending, {}
        if not pending:
            return {}
        with ThreadPoolExecutor(max_workers=min(16, len(pending))) as pool:
            outcomes = pool.map(lambda item: (item[0], self._place(item[0], *item[1])), pending.items())
            return {name: error for name, error in outcomes if error}

    def _place(self, name: str, temporary: Path, file: BinaryIO) -> str | None:
        try:
            with file:
                os.fsync(file.fileno())
            os.replace(temporary, self.folder / name)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            return self._cannot(exc)
        return None

    def _cannot(self, exc: OSError) -> str:
        return f"cannot write mail to outbox {self.folder}: {exc.strerror or exc}"


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
        """Send and return the Message-ID. A failure before the message itself went out is a one-line BackendError
        (temporary or permanent: the next run may retry); a lost answer after it went out is DeliveryUncertain."""
        sent_id = message_id(message)
        where = f"SMTP {self.host}:{self.port}"
        smtp = _WatchedSMTP(timeout=self.timeout)
        try:
            smtp.connect(self.host, self.port)
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
        except smtplib.SMTPResponseException as exc:  # the server answered: it did not take the message
            raise BackendError(f"{where} refused the message: {smtp_reply(exc.smtp_code, exc.smtp_error)}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise BackendError(f"{where} cannot do what the settings ask: {exc} (permanent: check "
                               "mail.smtp_starttls and mail.smtp_username)") from exc
        except (smtplib.SMTPException, OSError) as exc:
            if smtp.message_went_out:
                raise DeliveryUncertain(f"{where}: no answer after the message went out ({type(exc).__name__}: "
                                        f"{first_line(exc)}); it may have been delivered") from exc
            raise BackendError(f"{where} unreachable or cut off: {type(exc).__name__}: {first_line(exc)} "
                               "(temporary: the next run retries)") from exc
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # the mail's fate is known: QUIT is courtesy
                smtp.quit()
            smtp.close()
        if refused:
            log.warning("%s refused %d of the message's recipients", where, len(refused))
        return sent_id

    def flush(self) -> dict[str, str]:
        """Nothing waits: send() returns once the relay took the message."""
        return {}


class _WatchedSMTP(smtplib.SMTP):
    """smtplib.SMTP that notes when the message body starts going out: from then on the server may accept it."""

    message_went_out = False

    def send(self, s) -> None:
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):  # DATA's content with its final dot
            self.message_went_out = True
        super().send(s)


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
        creds = credentials(creds_source, GMAIL_SCOPES, google, subject=delegated_user)
        self._gmail = discovery_client("gmail", "v1", creds, google)  # builds and checks the request only
        # sent by requests, whose errors tell "never connected" from "no answer" (httplib2 resends a POST itself)
        self._session = AuthorizedSession(creds)
        self._timeout = (google.connect_timeout, google.read_timeout)
        self._policy = RetryPolicy(attempts=google.max_attempts, base_delay=google.backoff_base)

    def send(self, message: EmailMessage) -> str:
        """Send and return Gmail's message id. Retried only when Gmail surely did not take it (no connection,
        sign-in, 429, 503, quota); a time-out or reset after the request went out is DeliveryUncertain."""
        raw = base64.urlsafe_b64encode(message.as_bytes()).decode("ascii")
        request = self._gmail.users().messages().send(userId="me", body={"raw": raw})
        what = f"Gmail send as {self.delegated_user or 'the service account'}"
        try:
            sent = call_with_retry(lambda: self._post(request, what), self._policy, what, retryable=surely_unsent)
        except HttpError as exc:
            status, error = http_status(exc)
            if status == 400 and _failed_precondition(error):
                raise BackendError(self._no_delegation()) from exc
            if status is not None and status >= 500:
                raise DeliveryUncertain(f"{what}: Gmail answered {describe(exc)} after taking the request; "
                                        "it may have been delivered") from exc
            raise BackendError(f"{what} failed: {describe(exc)}") from exc
        except BackendError as exc:
            if isinstance(exc.__cause__, GoogleAuthError) and "unauthorized_client" in str(exc.__cause__):
                raise BackendError(self._no_delegation()) from exc
            raise
        return sent["id"]

    def flush(self) -> dict[str, str]:
        """Nothing waits: send() returns once Gmail took the message."""
        return {}

    def _post(self, request, what: str) -> dict:
        try:
            answer = self._session.request(request.method, request.uri, data=request.body,
                                           headers=request.headers, timeout=self._timeout)
        except requests.RequestException as exc:
            if never_connected(exc):
                raise
            raise DeliveryUncertain(f"{what}: no answer after the request went out ({type(exc).__name__}: "
                                    f"{first_line(exc)}); it may have been delivered") from exc
        if answer.status_code >= 400:
            raise HttpError(httplib2.Response({"status": answer.status_code, **answer.headers}), answer.content,
                            uri=request.uri)
        return answer.json()

    def _no_delegation(self) -> str:
        who = self.delegated_user or "the service account (mail.gmail_delegated_user is not set)"
        return (f"Gmail refused to send as {who}: domain-wide delegation is missing. Set mail.gmail_delegated_user "
                f"to a Workspace user, and have a Workspace admin add client ID {self._client_id} with scope "
                f"{GMAIL_SCOPES[0]} at admin.google.com › Security › API controls › Domain-wide delegation "
                "(or set mail.backend = \"smtp\")")


def _failed_precondition(error: dict) -> bool:
    reasons = {e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)}
    return error.get("status") == "FAILED_PRECONDITION" or "failedPrecondition" in reasons


def never_connected(exc: BaseException) -> bool:
    """The request never left: the connection could not be made (refused, unresolvable, connect time-out)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if isinstance(exc, requests.ConnectionError) and exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def surely_unsent(exc: BaseException) -> bool:
    """Gmail surely did not take the message: no connection, no token (before the send), or an answer that
    refuses it before any work: 429 and quota 403, and 503 UNAVAILABLE, which Google's AIP-194 names the one
    code safe to retry for a non-idempotent call. Only these are retried; 500 and 504 may follow the work."""
    if isinstance(exc, (requests.RequestException,)):
        return never_connected(exc)
    if isinstance(exc, TransportError):
        return True
    status, error = http_status(exc)
    return status in (429, 503) or (status == 403 and quota_403(error))
