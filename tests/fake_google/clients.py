"""Point the real client libraries at a FakeGoogle.

gspread builds absolute https://sheets.googleapis.com / https://www.googleapis.com URLs by value, so its
requests session rewrites them; googleapiclient takes the fake's URL as `client_options.api_endpoint`."""
from __future__ import annotations

import json
from typing import Sequence

import google.oauth2.credentials
import google_auth_httplib2
import gspread
import httplib2
import requests
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from tests.fake_google.fake import FakeGoogle
from tests.fake_google.state import DEFAULT_EMAIL

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


class _Rewrite:
    """Session mix-in: send requests for Google's hosts to `base_url` instead."""

    base_url: str

    def request(self, method, url, *args, **kwargs):
        for host in GOOGLE_HOSTS:
            if url.startswith(host):
                url = self.base_url + url[len(host):]
        return super().request(method, url, *args, **kwargs)


class RewritingSession(_Rewrite, requests.Session):
    """A plain requests session (auth by a fixed Bearer header)."""


class AuthorizedRewritingSession(_Rewrite, AuthorizedSession):
    """google-auth's session (token from the fake's /token, refreshed on 401)."""


def credentials(fake: FakeGoogle, scopes: Sequence[str], subject: str | None = None,
                client_email: str = DEFAULT_EMAIL) -> service_account.Credentials:
    """Real service-account credentials whose key the fake issued."""
    creds = service_account.Credentials.from_service_account_info(fake.service_account_info(client_email),
                                                                  scopes=list(scopes))
    return creds.with_subject(subject) if subject else creds


def session(fake: FakeGoogle, creds=None, token: str | None = None) -> requests.Session:
    """A rewriting session: authorised by `creds`, or by a token the fake was told to accept."""
    if creds is not None:
        rewriting: requests.Session = AuthorizedRewritingSession(creds)
    else:
        rewriting = RewritingSession()
        rewriting.headers["Authorization"] = f"Bearer {token}"
    rewriting.base_url = fake.base_url
    return rewriting


def gspread_client(fake: FakeGoogle, creds=None, token: str | None = None,
                   timeout: tuple[float, float] = (5, 10)) -> gspread.Client:
    """gspread.Client(auth=None, session=...) talking to the fake."""
    client = gspread.Client(auth=None, session=session(fake, creds, token))
    client.set_timeout(timeout)
    return client


def discovery(fake: FakeGoogle, api: str, version: str, creds=None, token: str | None = None,
              timeout: float = 10):
    """A googleapiclient Resource built from the shipped discovery document, sent to the fake."""
    if creds is None:
        creds = google.oauth2.credentials.Credentials(token=token)
    http = google_auth_httplib2.AuthorizedHttp(creds, http=httplib2.Http(timeout=timeout))
    endpoint = fake.base_url + ("/drive/v3/" if api == "drive" else "/")
    return build(api, version, http=http, static_discovery=True, cache_discovery=False,
                 client_options={"api_endpoint": endpoint})


def error_body(exc: HttpError) -> dict:
    """The `error` object of a googleapiclient HttpError."""
    return json.loads(exc.content)["error"]
