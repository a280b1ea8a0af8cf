"""Service-account credentials with least scopes, and Google clients with explicit timeouts."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import google_auth_httplib2
import httplib2
from google.oauth2 import service_account
from googleapiclient.discovery import build

from app.config import GoogleSettings
from app.errors import ConfigError

SHEETS_SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
FORMS_SCOPES = ("https://www.googleapis.com/auth/forms.body.readonly",
                "https://www.googleapis.com/auth/forms.responses.readonly")
FORMS_EDIT_SCOPES = ("https://www.googleapis.com/auth/forms.body",)  # only `forms prepare` asks for it
GMAIL_SCOPES = ("https://www.googleapis.com/auth/gmail.send",)
DRIVE_SCOPES = ("https://www.googleapis.com/auth/drive.metadata.readonly",)  # a file's version, never its content


@dataclass(frozen=True)
class KeptKey:
    """A service-account key (a file, or a dict in tests) with the credentials made from it kept in `made`, which
    the service's Services holds for the life of its process: google-auth then signs in again only when a token
    expires (an hour), where every run used to load the private key (60 ms of CPU) and ask for a token (a round
    trip to Google), and a job with a form did both for its form each idle minute. The key is read at each use, so a key
    file replaced by a new key makes new credentials at once."""

    source: Path | dict[str, Any] | None
    made: dict[tuple, Any] = field(default_factory=dict, compare=False)  # (key, scopes, endpoint, subject): creds

    def credentials(self, scopes: Sequence[str], google: GoogleSettings, subject: str | None = None):
        info = service_account_key(self.source)
        key = (hashlib.sha256(json.dumps(info, sort_keys=True).encode()).hexdigest(), tuple(scopes), google.endpoint,
               subject)
        made = self.made.get(key)  # two threads may both make one: the later is kept, both work
        if made is None:
            made = self.made[key] = credentials(self.source, scopes, google, subject)
        return made


KeySource = Path | dict[str, Any] | KeptKey


def service_account_key(source: KeySource | None) -> dict[str, Any]:
    """The key file's content; a missing or malformed file is a ConfigError saying what to fix."""
    if isinstance(source, KeptKey):
        source = source.source
    if isinstance(source, dict):
        return source
    if source is None:
        raise ConfigError("no service-account key: set google.credentials_file or GOOGLE_APPLICATION_CREDENTIALS")
    try:
        info = json.loads(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"service-account key file {source} not found") from None
    except ValueError:
        raise ConfigError(f"service-account key file {source} is not JSON: download a new key") from None
    missing = {"client_email", "private_key", "token_uri"} - set(info)
    if info.get("type") != "service_account" or missing:
        raise ConfigError(f"{source} is not a service-account key (missing {', '.join(sorted(missing)) or 'type'})")
    return info


class OffGoogleCredentials(service_account.Credentials):
    """For a configured non-Google endpoint (the fake server): never contact Google's IAM service.

    google-auth ≥ 2.5x looks up a service account's regional access boundary at iamcredentials.googleapis.com
    in the background; pointed at our own server that lookup is pointless and would name the account to Google.
    """

    def _is_regional_access_boundary_lookup_required(self) -> bool:
        return False


def credentials(source: KeySource | None, scopes: Sequence[str], google: GoogleSettings, subject: str | None = None):
    """Service-account credentials for exactly these scopes, acting as `subject` when delegated (a KeptKey's kept
    ones when it has them)."""
    if isinstance(source, KeptKey):
        return source.credentials(scopes, google, subject)
    kind = OffGoogleCredentials if google.endpoint else service_account.Credentials
    try:
        creds = kind.from_service_account_info(service_account_key(source), scopes=list(scopes))
    except ValueError as exc:  # the private key cannot be read (cut, edited, re-encoded): google-auth's MalformedError
        where = source if isinstance(source, Path) else "the service-account key"
        raise ConfigError(f"อ่านคีย์บัญชีบริการไม่ได้ ({where}: private_key cannot be read: download a new key "
                          "from Google Cloud console › IAM › Service accounts › Keys)") from exc
    return creds.with_subject(subject) if subject else creds


def discovery_client(api: str, version: str, creds, google: GoogleSettings):
    """A googleapiclient Resource from the shipped discovery document, offline, with a read timeout."""
    http = google_auth_httplib2.AuthorizedHttp(creds, http=httplib2.Http(timeout=google.read_timeout))
    options = {"api_endpoint": google.endpoint.rstrip("/") + ("/drive/v3/" if api == "drive" else "/")} \
        if google.endpoint else None
    return build(api, version, http=http, static_discovery=True, cache_discovery=False, client_options=options)
