"""Sheets API request bodies for the look of service tabs and for writing cells inside a :batchUpdate."""
from __future__ import annotations

from app.sheets.grid import Cell, RangeWrite, TabStyle

HEADER_GREY = {"red": 0.9, "green": 0.9, "blue": 0.9}


def rgb(hex_colour: str) -> dict[str, float]:
    """`"C6EFCE"` → Sheets Color with channels in 0–1."""
    return {name: int(hex_colour[i:i + 2], 16) / 255 for name, i in (("red", 0), ("green", 2), ("blue", 4))}


def style_requests(sheet_id: int, style: TabStyle, mark: str) -> list[dict]:
    """Frozen bold header, number formats, status colours and a warning-only protection carrying `mark`."""
    requests: list[dict] = [
        {"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": {
            "frozenRowCount": style.frozen_rows}}, "fields": "gridProperties.frozenRowCount"}},
        {"repeatCell": {"range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}, "backgroundColor": HEADER_GREY}},
                        "fields": "userEnteredFormat(textFormat.bold,backgroundColor)"}},
    ]
    for col, pattern in sorted(style.number_formats.items()):
        requests.append({"repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": col - 1, "endColumnIndex": col},
            "cell": {"userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": pattern}}},
            "fields": "userEnteredFormat.numberFormat"}})
    for index, colour in enumerate(style.status_colours):
        requests.append({"addConditionalFormatRule": {"index": index, "rule": {
            "ranges": [{"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": colour.column - 1,
                        "endColumnIndex": colour.column}],
            "booleanRule": {"condition": {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": colour.prefix}]},
                            "format": {"backgroundColor": rgb(colour.rgb)}}}}})
    requests.append({"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "description": mark, "warningOnly": True}}})
    return requests


def unstyle_requests(sheet: dict, mark_prefix: str) -> list[dict]:
    """Remove what an older style put on a service tab: our protection and its conditional formats."""
    sheet_id = sheet["properties"]["sheetId"]
    requests = [{"deleteProtectedRange": {"protectedRangeId": p["protectedRangeId"]}}
                for p in sheet.get("protectedRanges", []) if p.get("description", "").startswith(mark_prefix)]
    requests += [{"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": i}}
                 for i in reversed(range(len(sheet.get("conditionalFormats", []))))]
    return requests


def _cell_data(value: Cell) -> dict:
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}  # stored as text, like RAW: "=x" stays text


def update_cells_request(sheet_id: int, write: RangeWrite) -> dict:
    """The same rectangle as a values write, as an updateCells request (empty cells are cleared)."""
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": write.row - 1, "columnIndex": write.col - 1},
                            "rows": [{"values": [_cell_data(v) for v in row]} for row in write.values],
                            "fields": "userEnteredValue"}}
