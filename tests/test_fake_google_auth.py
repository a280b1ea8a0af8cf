"""The fake's OAuth: real google-auth gets tokens from /token; every call needs a token, scopes and sharing."""
import json
import subprocess
import sys

import gspread
import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account
from googleapiclient.errors import HttpError

from tests.fake_google import DEFAULT_EMAIL
from tests.fake_google.clients import credentials, discovery, gspread_client

SHEETS = "https://www.googleapis.com/auth/spreadsheets"
OTHER = "other@fake-project.iam.gserviceaccount.com"


def test_service_account_info_is_a_runtime_key_pointing_at_the_fake(fake_google):
    info = fake_google.service_account_info()
    assert info["type"] == "service_account" and info["client_email"] == DEFAULT_EMAIL
    assert info["token_uri"] == f"{fake_google.base_url}/token"
    assert info["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert {"project_id", "private_key_id", "client_id"} <= set(info)


def test_real_google_auth_gets_a_token_from_the_fake(fake_google):
    creds = service_account.Credentials.from_service_account_info(fake_google.service_account_info(),
                                                                  scopes=[SHEETS])
    creds.refresh(Request())
    assert creds.token.startswith("ya29.") and creds.valid
    book = fake_google.create_spreadsheet("ok", {"แผ่น1": [["x"]]})
    answer = requests.get(f"{fake_google.base_url}/v4/spreadsheets/{book}/values/A1",
                          headers={"Authorization": f"Bearer {creds.token}"}, timeout=5)
    assert answer.json()["values"] == [["x"]]
    assert fake_google.request_counts["oauth2.token"] == 1


def test_a_key_the_fake_did_not_issue_is_refused(fake_google):
    info = dict(fake_google.service_account_info())
    info["private_key"] = fake_google.service_account_info(OTHER)["private_key"]
    creds = service_account.Credentials.from_service_account_info(info, scopes=[SHEETS])
    with pytest.raises(RefreshError, match="invalid_grant"):
        creds.refresh(Request())


def test_calls_without_a_valid_token_are_401(fake_google):
    book = fake_google.create_spreadsheet("t", {"T": []})
    url = f"{fake_google.base_url}/v4/spreadsheets/{book}"
    for headers in ({}, {"Authorization": "Bearer nope"}):
        answer = requests.get(url, headers=headers, timeout=5)
        assert answer.status_code == 401
        assert answer.json()["error"]["status"] == "UNAUTHENTICATED"


def test_sharing_is_checked_per_service_account(fake_google):
    private = fake_google.create_spreadsheet("ลับ", {"T": []}, shared_with=[OTHER])
    client = gspread_client(fake_google, credentials(fake_google, [SHEETS]))
    with pytest.raises(PermissionError):
        client.open_by_key(private)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("1" + "0" * 43)
    fake_google.share(private, DEFAULT_EMAIL)
    assert client.open_by_key(private).title == "ลับ"


def test_scopes_come_from_the_discovery_document(fake_google):
    book = fake_google.create_spreadsheet("t", {"T": []})
    mail_only = discovery(fake_google, "sheets", "v4",
                          credentials(fake_google, ["https://www.googleapis.com/auth/gmail.send"]))
    with pytest.raises(HttpError) as caught:
        mail_only.spreadsheets().get(spreadsheetId=book).execute()
    error = json.loads(caught.value.content)["error"]
    assert (error["code"], error["status"]) == (403, "PERMISSION_DENIED")
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    drive = discovery(fake_google, "sheets", "v4", credentials(fake_google, ["https://www.googleapis.com/auth/drive"]))
    assert drive.spreadsheets().get(spreadsheetId=book).execute()["properties"]["title"] == "t"


def test_command_line_server_writes_working_credentials(tmp_path):
    key_file = tmp_path / "fake-key.json"
    process = subprocess.Popen([sys.executable, "-m", "tests.fake_google", "--port", "0", "--write-credentials",
                                str(key_file)], stdout=subprocess.PIPE, text=True)
    try:
        base_url = process.stdout.readline().strip()
        info = json.loads(key_file.read_text(encoding="utf-8"))
        assert base_url.startswith("http://127.0.0.1:") and info["token_uri"] == f"{base_url}/token"
        creds = service_account.Credentials.from_service_account_info(info, scopes=[SHEETS])
        creds.refresh(Request())
        assert creds.valid
    finally:
        process.terminate()
        process.wait(timeout=10)
