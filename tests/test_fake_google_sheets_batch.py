"""The fake spreadsheets.batchUpdate (the service's style requests, atomicity), `fields` masks and Drive files."""
import pytest
from googleapiclient.errors import HttpError

from app.adapters.google.sheets import METADATA_FIELDS
from tests.fake_google import Formula
from tests.fake_google.clients import discovery, error_body
# The same fixtures as the values tests: one discovery client per module, a small Thai spreadsheet.
from tests.test_fake_google_sheets import TOKEN, book, sheets, sheets_service  # noqa: F401


def test_style_requests_are_stored_and_read_back_with_a_fields_mask(sheets, fake_google, book):
    new_id = 123456
    requests_ = [
        {"addSheet": {"properties": {"sheetId": new_id, "title": "ภาพรวม",
                                     "gridProperties": {"rowCount": 50, "columnCount": 5}}}},
        {"updateSheetProperties": {"properties": {"sheetId": new_id, "gridProperties": {"frozenRowCount": 1}},
                                   "fields": "gridProperties.frozenRowCount"}},
        {"repeatCell": {"range": {"sheetId": new_id, "startRowIndex": 0, "endRowIndex": 1},
                        "cell": {"userEnteredFormat": {"textFormat": {"bold": True},
                                                       "backgroundColor": {"red": 0.9, "green": 0.9, "blue": 0.9}}},
                        "fields": "userEnteredFormat(textFormat.bold,backgroundColor)"}},
        {"repeatCell": {"range": {"sheetId": new_id, "startRowIndex": 1, "startColumnIndex": 1, "endColumnIndex": 2},
                        "cell": {"userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": "0.00"}}},
                        "fields": "userEnteredFormat.numberFormat"}},
        {"addConditionalFormatRule": {"index": 0, "rule": {
            "ranges": [{"sheetId": new_id, "startRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 3}],
            "booleanRule": {"condition": {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": "ผ่าน"}]},
                            "format": {"backgroundColor": {"green": 1}}}}}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": new_id}, "description": "service-tab:v1",
                                                  "warningOnly": True}}},
        {"updateCells": {"start": {"sheetId": new_id, "rowIndex": 0, "columnIndex": 0},
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": "=not a formula"}},
                                              {"userEnteredValue": {"numberValue": 87.5}}]}],
                         "fields": "userEnteredValue"}},
    ]
    answer = sheets.batchUpdate(spreadsheetId=book, body={"requests": requests_}).execute()
    assert answer["replies"][0]["addSheet"]["properties"] == {
        "sheetId": new_id, "title": "ภาพรวม", "index": 2, "sheetType": "GRID",
        "gridProperties": {"rowCount": 50, "columnCount": 5}}
    protected_id = answer["replies"][5]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    meta = sheets.get(spreadsheetId=book, fields=METADATA_FIELDS).execute()
    assert meta["sheets"][2] == {
        "properties": {"sheetId": new_id, "title": "ภาพรวม", "index": 2,
                       "gridProperties": {"rowCount": 50, "columnCount": 5, "frozenRowCount": 1}},
        "protectedRanges": [{"protectedRangeId": protected_id, "description": "service-tab:v1"}],
        "conditionalFormats": [{"ranges": [{"sheetId": new_id, "startRowIndex": 1, "startColumnIndex": 2,
                                            "endColumnIndex": 3}]}]}
    props = fake_google.sheet_properties(book, "ภาพรวม")
    assert props["formats"]["A1"] == {"textFormat": {"bold": True},
                                      "backgroundColor": {"red": 0.9, "green": 0.9, "blue": 0.9}}
    assert props["formats"]["B50"] == {"numberFormat": {"type": "NUMBER", "pattern": "0.00"}}
    assert fake_google.values(book, "ภาพรวม") == [["=not a formula", 87.5]]
    assert not isinstance(fake_google.values(book, "ภาพรวม")[0][0], Formula)
    undo = [{"deleteProtectedRange": {"protectedRangeId": protected_id}},
            {"deleteConditionalFormatRule": {"sheetId": new_id, "index": 0}}]
    sheets.batchUpdate(spreadsheetId=book, body={"requests": undo}).execute()
    props = fake_google.sheet_properties(book, "ภาพรวม")
    assert props["protectedRanges"] == [] and props["conditionalFormats"] == []


def test_batch_update_is_atomic_and_names_the_failing_request(sheets, fake_google, book):
    body = {"requests": [
        {"addSheet": {"properties": {"title": "ใหม่"}}},
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 999, "columnIndex": 0},
                         "rows": [{"values": [{}]}, {"values": [{}]}], "fields": "userEnteredValue"}}]}
    with pytest.raises(HttpError) as caught:
        sheets.batchUpdate(spreadsheetId=book, body=body).execute()
    message = error_body(caught.value)["message"]
    assert message.startswith("Invalid requests[1].updateCells: Attempting to write row: 1000")
    titles = [s["properties"]["title"] for s in sheets.get(spreadsheetId=book).execute()["sheets"]]
    assert titles == ["ศภ.1", "it's"]
    grow = {"requests": [{"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 1}}, body["requests"][1]]}
    sheets.batchUpdate(spreadsheetId=book, body=grow).execute()
    resize = {"requests": [{"updateSheetProperties": {"properties": {"gridProperties": {"rowCount": 2}},
                                                      "fields": "gridProperties/rowCount"}}]}
    sheets.batchUpdate(spreadsheetId=book, body=resize).execute()
    assert fake_google.values(book, "ศภ.1") == [["ชื่อ", "คะแนน"], ["สมชาย", 5]]


def test_fields_mask_with_an_unknown_field_is_400(sheets, book):
    with pytest.raises(HttpError) as caught:
        sheets.get(spreadsheetId=book, fields="properties, sheets.properties").execute()
    assert error_body(caught.value)["message"] == ("Error expanding 'fields' parameter. "
                                               "Cannot find matching fields for path ' sheets'.")
    assert sheets.get(spreadsheetId=book, fields="sheets.properties.title").execute() == {
        "sheets": [{"properties": {"title": "ศภ.1"}}, {"properties": {"title": "it's"}}]}


def test_drive_creates_and_deletes_a_spreadsheet(fake_google):
    fake_google.allow_token(TOKEN)
    drive = discovery(fake_google, "drive", "v3", token=TOKEN)
    created = drive.files().create(body={"name": "ใหม่", "mimeType": "application/vnd.google-apps.spreadsheet"},
                                   supportsAllDrives=True).execute()
    assert set(created) == {"kind", "id", "name", "mimeType"}
    assert fake_google.values(created["id"], "Sheet1") == []
    assert drive.files().get(fileId=created["id"], fields="id,name").execute() == {"id": created["id"], "name": "ใหม่"}
    drive.files().delete(fileId=created["id"]).execute()
    with pytest.raises(HttpError) as gone:
        drive.files().get(fileId=created["id"]).execute()
    assert error_body(gone.value)["errors"][0]["reason"] == "notFound"


def test_cells_over_50000_characters_are_refused_as_google_does(sheets, fake_google, book):
    """Issue #11 finding 10: Google refuses a cell over 50,000 characters, so every later run would fail."""
    fits, over = "ก" * 50_000, "ก" * 50_001
    sheets.values().batchUpdate(spreadsheetId=book, body={"valueInputOption": "RAW", "data": [
        {"range": "'ศภ.1'!A2", "values": [[fits]]}]}).execute()
    assert fake_google.values(book, "ศภ.1")[1][0] == fits
    with pytest.raises(HttpError) as caught:
        sheets.values().batchUpdate(spreadsheetId=book, body={"valueInputOption": "RAW", "data": [
            {"range": "'ศภ.1'!A3", "values": [["ok", over]]}]}).execute()
    assert caught.value.status_code == 400 and "maximum of 50000 characters" in error_body(caught.value)["message"]
    with pytest.raises(HttpError) as caught:
        sheets.batchUpdate(spreadsheetId=book, body={"requests": [{"updateCells": {
            "start": {"sheetId": 0, "rowIndex": 2, "columnIndex": 0}, "fields": "userEnteredValue",
            "rows": [{"values": [{"userEnteredValue": {"stringValue": over}}]}]}}]}).execute()
    assert "maximum of 50000 characters" in error_body(caught.value)["message"]
    assert fake_google.values(book, "ศภ.1")[2] == ["สมหญิง", 4]  # nothing of either refused write landed


def test_request_bodies_over_10_mb_are_refused(sheets, fake_google, book):
    rows = [["ข" * 40_000] for _ in range(50)]  # 2 M Thai characters: 12 MB as requests sends them (\\uXXXX)
    with pytest.raises(HttpError) as caught:
        sheets.values().batchUpdate(spreadsheetId=book, body={"valueInputOption": "RAW", "data": [
            {"range": "'ศภ.1'!A10", "values": rows}]}).execute()
    assert error_body(caught.value)["message"] == "Request payload size exceeds the limit: 10485760 bytes."
    assert len(fake_google.values(book, "ศภ.1")) == 3
