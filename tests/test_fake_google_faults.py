"""Injected faults (Google's 429 body, 5xx, delays past a client's timeout), request counting, fake self-checks."""
import json

import gspread
import pytest
import requests
from googleapiclient.errors import HttpError

from tests.fake_google import server
from tests.fake_google.clients import credentials, discovery, gspread_client

SHEETS = "https://www.googleapis.com/auth/spreadsheets"


@pytest.fixture
def book(fake_google):
    return fake_google.create_spreadsheet("โควตา", {"ข้อมูล": [["a", 1]]})


def test_429_has_googles_quota_body_and_the_fault_is_used_up(fake_google, book):
    fake_google.inject_fault("sheets.spreadsheets.values.batchGet", status=429)
    client = gspread_client(fake_google, credentials(fake_google, [SHEETS]))
    with pytest.raises(gspread.exceptions.APIError) as caught:
        client.http_client.values_batch_get(book, ["'ข้อมูล'"])
    error = caught.value.error
    assert (caught.value.code, error["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert error["message"].startswith("Quota exceeded for quota metric 'Read requests'")
    info = error["details"][0]
    assert (info["@type"], info["reason"], info["domain"]) == (
        "type.googleapis.com/google.rpc.ErrorInfo", "RATE_LIMIT_EXCEEDED", "googleapis.com")
    assert client.http_client.values_batch_get(book, ["'ข้อมูล'"])["valueRanges"][0]["values"] == [["a", "1"]]
    assert fake_google.request_counts["sheets.spreadsheets.values.batchGet"] == 2


def test_server_errors_are_retried_by_googleapiclient(fake_google, book, monkeypatch):
    monkeypatch.setattr("googleapiclient.http.time.sleep", lambda seconds: None)
    fake_google.inject_fault("sheets.spreadsheets.get", status=503, times=2)
    sheets = discovery(fake_google, "sheets", "v4", credentials(fake_google, [SHEETS]))
    assert sheets.spreadsheets().get(spreadsheetId=book).execute(num_retries=2)["properties"]["title"] == "โควตา"
    assert fake_google.request_counts["sheets.spreadsheets.get"] == 3
    fake_google.inject_fault("sheets.spreadsheets.get", status=500)
    with pytest.raises(HttpError) as caught:
        sheets.spreadsheets().get(spreadsheetId=book).execute()
    assert json.loads(caught.value.content)["error"] == {"code": 500, "message": "Internal error encountered.",
                                                         "status": "INTERNAL"}


def test_a_delay_longer_than_the_read_timeout_times_the_client_out(fake_google, book):
    fake_google.inject_fault("sheets.spreadsheets.values.batchGet", status=None, delay=1.0)
    client = gspread_client(fake_google, credentials(fake_google, [SHEETS]), timeout=(2, 0.2))
    client.http_client.fetch_sheet_metadata(book)  # token and connection first: only the read is slow
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.http_client.values_batch_get(book, ["'ข้อมูล'"])


def test_requests_are_counted_by_discovery_method_id(fake_google, book):
    client = gspread_client(fake_google, credentials(fake_google, [SHEETS]))
    client.open_by_key(book).worksheet("ข้อมูล").get_all_values()
    counts = fake_google.request_counts
    assert counts == {"oauth2.token": 1, "sheets.spreadsheets.get": 2, "sheets.spreadsheets.values.get": 1}
    method_id, http_method, path, query, body = fake_google.requests[-1]
    assert (method_id, http_method, path, body) == ("sheets.spreadsheets.values.get", "GET",
                                                    f"/v4/spreadsheets/{book}/values/'ข้อมูล'", None)
    assert query == {}


def test_fault_arguments_are_checked(fake_google):
    with pytest.raises(ValueError):
        fake_google.inject_fault("sheets.spreadsheets.valuesGet")
    with pytest.raises(ValueError):
        fake_google.inject_fault("sheets.spreadsheets.get", status=None)


def test_an_answer_outside_the_schema_is_a_recorded_fake_bug(fake_google, book, monkeypatch):
    monkeypatch.setitem(server.HANDLERS, "sheets.spreadsheets.values.get", lambda state, call: {"rows": 1})
    fake_google.allow_token("t")
    answer = requests.get(f"{fake_google.base_url}/v4/spreadsheets/{book}/values/A1",
                          headers={"Authorization": "Bearer t"}, timeout=5)
    assert answer.status_code == 500
    assert fake_google.internal_errors == ["sheets.spreadsheets.values.get answered outside its schema: "
                                           "rows: not in the schema"]
    fake_google.reset()  # the fixture fails any test that leaves internal errors behind


def test_googleapiclient_times_out_too(fake_google, book):
    fake_google.inject_fault("sheets.spreadsheets.values.get", status=None, delay=1.0)
    sheets = discovery(fake_google, "sheets", "v4", credentials(fake_google, [SHEETS]), timeout=0.2)
    sheets.spreadsheets().get(spreadsheetId=book).execute()
    with pytest.raises(TimeoutError):
        sheets.spreadsheets().values().get(spreadsheetId=book, range="A1").execute()
