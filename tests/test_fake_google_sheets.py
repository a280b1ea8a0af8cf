"""The fake Sheets API through the real googleapiclient and gspread: validation, ranges and values."""
import pytest
import requests
from googleapiclient.errors import HttpError

from tests.fake_google import Formula
from tests.fake_google.clients import credentials, discovery, error_body, gspread_client

SHEETS = "https://www.googleapis.com/auth/spreadsheets"
TOKEN = "sheets-test"


@pytest.fixture(scope="module")
def sheets_service(fake_google_server):
    """Built once per module (building from the discovery document is the slow part); tokens survive reset()."""
    fake_google_server.allow_token(TOKEN)
    return discovery(fake_google_server, "sheets", "v4", token=TOKEN)


@pytest.fixture
def sheets(sheets_service, fake_google):
    return sheets_service.spreadsheets()


@pytest.fixture
def book(fake_google):
    return fake_google.create_spreadsheet("สรุปผล", {"ศภ.1": [["ชื่อ", "คะแนน"], ["สมชาย", 5], ["สมหญิง", 4]],
                                                     "it's": [["x"]]})


def _get(fake, path: str, **params):
    return requests.get(f"{fake.base_url}{path}", params=params, headers={"Authorization": f"Bearer {TOKEN}"},
                        timeout=5)


def test_unknown_body_field_is_refused_with_googles_error_shape(sheets, book):
    body = {"requests": [{"addSheet": {"properties": {"title": "ใหม่"}, "xyz": 1}}]}
    with pytest.raises(HttpError) as caught:
        sheets.batchUpdate(spreadsheetId=book, body=body).execute()
    error = error_body(caught.value)
    message = "Invalid JSON payload received. Unknown name \"xyz\" at 'requests[0].add_sheet': Cannot find field."
    assert (error["code"], error["status"], error["message"]) == (400, "INVALID_ARGUMENT", message)
    assert error["details"][0]["fieldViolations"] == [{"field": "requests[0].add_sheet", "description": message}]


def test_bad_enum_in_body_and_in_query_is_400(sheets, book, fake_google):
    body = {"valueInputOption": "RAWW", "data": [{"range": "'ศภ.1'!A1", "values": [["x"]]}]}
    with pytest.raises(HttpError) as caught:
        sheets.values().batchUpdate(spreadsheetId=book, body=body).execute()
    assert error_body(caught.value)["message"] == ("Invalid value at 'value_input_option' "
                                               "(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"RAWW\"")
    answer = _get(fake_google, f"/v4/spreadsheets/{book}/values/A1", valueRenderOption="PRETTY")
    assert answer.status_code == 400 and "'value_render_option'" in answer.json()["error"]["message"]
    assert fake_google.values(book, "ศภ.1")[0] == ["ชื่อ", "คะแนน"]


def test_unknown_query_parameter_is_400_but_standard_ones_pass(fake_google, book):
    answer = _get(fake_google, f"/v4/spreadsheets/{book}/values/A1", foo="1")
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == (
        "Invalid JSON payload received. Unknown name \"foo\": Cannot bind query parameter. "
        "Field 'foo' could not be found in request message.")
    fake_google.allow_token(TOKEN)
    ok = _get(fake_google, f"/v4/spreadsheets/{book}/values/A1", alt="json", prettyPrint="false", quotaUser="u")
    assert ok.status_code == 200, ok.text


def test_unknown_spreadsheet_is_404_and_unknown_tab_is_400(sheets, book):
    with pytest.raises(HttpError) as missing:
        sheets.get(spreadsheetId="1" + "x" * 43).execute()
    assert error_body(missing.value) == {"code": 404, "message": "Requested entity was not found.",
                                         "status": "NOT_FOUND"}
    with pytest.raises(HttpError) as no_tab:
        sheets.values().get(spreadsheetId=book, range="'ไม่มี'!A1").execute()
    assert error_body(no_tab.value)["message"] == "Unable to parse range: 'ไม่มี'!A1"


def test_raw_keeps_formula_text_user_entered_makes_a_formula(sheets, book, fake_google):
    values = sheets.values()
    values.update(spreadsheetId=book, range="'ศภ.1'!C1", valueInputOption="RAW", body={"values": [["=1+1"]]}).execute()
    values.update(spreadsheetId=book, range="'ศภ.1'!D1", valueInputOption="USER_ENTERED",
                  body={"values": [["=1+1"]]}).execute()
    shown = values.get(spreadsheetId=book, range="'ศภ.1'!C1:D1").execute()["values"]
    formulas = values.get(spreadsheetId=book, range="'ศภ.1'!C1:D1", valueRenderOption="FORMULA").execute()["values"]
    assert shown == [["=1+1", "2"]] and formulas == [["=1+1", "=1+1"]]
    text, formula = fake_google.values(book, "ศภ.1")[0][2:]
    assert not isinstance(text, Formula) and isinstance(formula, Formula)


def test_user_entered_parses_numbers_booleans_dates_raw_does_not(sheets, book):
    values = sheets.values()
    row = ["0042", "TRUE", "2026-01-15", "'007", "สวัสดี"]
    values.update(spreadsheetId=book, range="'ศภ.1'!A5", valueInputOption="USER_ENTERED",
                  body={"values": [row]}).execute()
    values.update(spreadsheetId=book, range="'ศภ.1'!A6", valueInputOption="RAW", body={"values": [row]}).execute()
    unformatted = values.get(spreadsheetId=book, range="'ศภ.1'!A5:E6", valueRenderOption="UNFORMATTED_VALUE",
                             dateTimeRenderOption="SERIAL_NUMBER").execute()["values"]
    assert unformatted == [[42, True, 46037, "007", "สวัสดี"], row]
    dates = values.get(spreadsheetId=book, range="'ศภ.1'!C5", valueRenderOption="UNFORMATTED_VALUE",
                       dateTimeRenderOption="FORMATTED_STRING").execute()["values"]
    assert dates == [["2026-01-15"]]


def test_thai_tab_names_round_trip_through_gspread(fake_google, book):
    client = gspread_client(fake_google, credentials(fake_google, [SHEETS]))
    spreadsheet = client.open_by_key(book)
    assert [w.title for w in spreadsheet.worksheets()] == ["ศภ.1", "it's"]
    tab = spreadsheet.worksheet("ศภ.1")
    answer = tab.update([["สมศรี", 3]], "A4")
    assert answer["updatedRange"] == "'ศภ.1'!A4:B4"
    assert tab.get_all_values()[3] == ["สมศรี", "3"]
    batch = client.http_client.values_batch_get(book, ["'ศภ.1'!A1:B", "'it''s'"],
                                                params={"valueRenderOption": "UNFORMATTED_VALUE"})
    assert [r["range"] for r in batch["valueRanges"]] == ["'ศภ.1'!A1:B1000", "'it''s'!A1:Z1000"]
    assert batch["valueRanges"][0]["values"][1:] == [["สมชาย", 5], ["สมหญิง", 4], ["สมศรี", 3]]


def test_trimming_open_ranges_and_normalisation(sheets, fake_google):
    book = fake_google.create_spreadsheet("t", {"Data": [["a", None, "c", None], [], [None, "b"], [None]]})
    values = sheets.values()

    def read(text, **options):
        return values.get(spreadsheetId=book, range=text, **options).execute()

    assert read("Data") == {"range": "Data!A1:Z1000", "majorDimension": "ROWS",
                            "values": [["a", "", "c"], [], ["", "b"]]}
    assert read("Data!C5:A1")["range"] == "Data!A1:C5"
    assert read("Data!B:B") == {"range": "Data!B1:B1000", "majorDimension": "ROWS", "values": [[], [], ["b"]]}
    assert read("Data!2:2") == {"range": "Data!A2:Z2", "majorDimension": "ROWS"}
    assert read("Data!A1:B")["values"] == [["a"], [], ["", "b"]]
    assert read("A1:C1")["values"] == [["a", "", "c"]]
    assert read("Data!A1:C3", majorDimension="COLUMNS")["values"] == [["a"], ["", "", "b"], ["c"]]
    with pytest.raises(HttpError) as past:
        read("Data!A1:A1001")
    assert "exceeds grid limits. Max rows: 1000, max columns: 26" in error_body(past.value)["message"]


def test_values_writes_grow_the_grid_and_respect_the_range(sheets, fake_google):
    book = fake_google.create_spreadsheet("g", {"T": []})
    values = sheets.values()
    answer = values.update(spreadsheetId=book, range="T!A1000", valueInputOption="RAW",
                           body={"values": [["x"], ["y"]], "majorDimension": None}).execute()
    assert (answer["updatedRange"], answer["updatedCells"]) == ("T!A1000:A1001", 2)
    assert fake_google.sheet_properties(book, "T")["gridProperties"]["rowCount"] == 1001
    with pytest.raises(HttpError) as too_big:
        values.update(spreadsheetId=book, range="T!A1:B1", valueInputOption="RAW",
                      body={"values": [["a", "b", "c"]]}).execute()
    assert error_body(too_big.value)["message"] == ("Requested writing within range [T!A1:B1], "
                                                "but tried writing to column [C]")
    answer = values.update(spreadsheetId=book, range="T!B2", valueInputOption="RAW", includeValuesInResponse=True,
                           responseValueRenderOption="UNFORMATTED_VALUE", body={"values": [[1, None, ""]]}).execute()
    assert answer["updatedData"] == {"range": "T!B2:D2", "majorDimension": "ROWS", "values": [[1]]}
    assert answer["updatedCells"] == 2


def test_values_batch_update_needs_an_input_option_and_counts_distinct_rows(sheets, fake_google, book):
    values = sheets.values()
    with pytest.raises(HttpError) as missing:
        values.batchUpdate(spreadsheetId=book, body={"data": [{"range": "A1", "values": [[1]]}]}).execute()
    assert error_body(missing.value)["message"] == "'valueInputOption' is required but not specified"
    body = {"valueInputOption": "RAW", "data": [{"range": "'ศภ.1'!A1:B1", "values": [["a", "b"]]},
                                                {"range": "'ศภ.1'!B1:B2", "values": [["c"], ["d"]]}]}
    answer = values.batchUpdate(spreadsheetId=book, body=body).execute()
    assert {k: v for k, v in answer.items() if k.startswith("total")} == {
        "totalUpdatedRows": 2, "totalUpdatedColumns": 2, "totalUpdatedCells": 4, "totalUpdatedSheets": 1}


def test_append_finds_the_table_and_can_insert_rows(sheets, fake_google, book):
    values = sheets.values()
    answer = values.append(spreadsheetId=book, range="'ศภ.1'", valueInputOption="RAW",
                           body={"values": [["สมปอง", 2]]}).execute()
    assert answer["tableRange"] == "'ศภ.1'!A1:B3" and answer["updates"]["updatedRange"] == "'ศภ.1'!A4:B4"
    values.append(spreadsheetId=book, range="'ศภ.1'!A1", valueInputOption="RAW", insertDataOption="INSERT_ROWS",
                  body={"values": [["คนสุดท้าย", 1]]}).execute()
    assert fake_google.values(book, "ศภ.1")[-1] == ["คนสุดท้าย", 1]
    assert fake_google.sheet_properties(book, "ศภ.1")["gridProperties"]["rowCount"] == 1001


def test_clear_keeps_formats_and_answers_the_cleared_range(sheets, fake_google, book):
    answer = sheets.values().clear(spreadsheetId=book, range="'ศภ.1'!A2:B", body={}).execute()
    assert answer["clearedRange"] == "'ศภ.1'!A2:B1000"
    assert fake_google.values(book, "ศภ.1") == [["ชื่อ", "คะแนน"]]
    cleared = sheets.values().batchClear(spreadsheetId=book, body={"ranges": ["'it''s'"]}).execute()
    assert cleared["clearedRanges"] == ["'it''s'!A1:Z1000"]


def test_long_batch_get_sent_as_post_with_method_override(sheets, fake_google):
    tabs = {f"แผ่นที่ {n}": [[n]] for n in range(60)}
    book = fake_google.create_spreadsheet("many", tabs)
    ranges = [f"'{title}'!A1:Z1000" for title in tabs]
    answer = sheets.values().batchGet(spreadsheetId=book, ranges=ranges,
                                      valueRenderOption="UNFORMATTED_VALUE").execute()
    assert [r["values"] for r in answer["valueRanges"]] == [[[n]] for n in range(60)]
    method_id, http_method, _, query, _ = fake_google.requests[-1]
    assert (method_id, http_method, len(query["ranges"])) == ("sheets.spreadsheets.values.batchGet", "GET", 60)
