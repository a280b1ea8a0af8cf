"""Sheets API request bodies for the look of service tabs and for writing cells inside a :batchUpdate."""
from __future__ import annotations

from typing import Callable

from app.sheets.a1 import cell_ref
from app.sheets.grid import DATE_FORMAT, DATETIME_FORMAT, Cell, Link, RangeWrite, TabStyle

HEADER_GREY = {"red": 0.9, "green": 0.9, "blue": 0.9}
# Google draws a date pattern in the spreadsheet's calendar, which its locale decides (th_TH: พ.ศ.); the
# service never changes an officer's spreadsheet settings.
NUMBER_FORMATS = {DATE_FORMAT: {"type": "DATE", "pattern": "dd/mm/yyyy"},
                  DATETIME_FORMAT: {"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm"}}


def number_format(pattern: str) -> dict:
    """A ColumnFormat's pattern as a Sheets NumberFormat."""
    return NUMBER_FORMATS.get(pattern, {"type": "NUMBER", "pattern": pattern})


def _rows(sheet_id: int, first: int, last: int | None, col: int | None = None) -> dict:
    grid = {"sheetId": sheet_id, "startRowIndex": first - 1}
    if last is not None:
        grid["endRowIndex"] = last
    if col is not None:
        grid |= {"startColumnIndex": col - 1, "endColumnIndex": col}
    return grid


def rgb(hex_colour: str) -> dict[str, float]:
    """`"C6EFCE"` → Sheets Color with channels in 0–1."""
    return {name: int(hex_colour[i:i + 2], 16) / 255 for name, i in (("red", 0), ("green", 2), ("blue", 4))}


def style_requests(sheet_id: int, style: TabStyle, mark: str) -> list[dict]:
    """Frozen bold header, number formats, status colours and a warning-only protection carrying `mark`."""
    requests: list[dict] = [
        {"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": {
            "frozenRowCount": style.frozen_rows}}, "fields": "gridProperties.frozenRowCount"}},
        {"repeatCell": {"range": _rows(sheet_id, 1, 1),
                        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}, "backgroundColor": HEADER_GREY,
                                                       "wrapStrategy": "WRAP", "verticalAlignment": "MIDDLE"}},
                        "fields": "userEnteredFormat(textFormat.bold,backgroundColor,wrapStrategy,verticalAlignment)"}},
    ]
    for col, width in enumerate(style.widths):
        requests.append({"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col, "endIndex": col + 1},
            "properties": {"pixelSize": width}, "fields": "pixelSize"}})
    for col in style.wrapped():
        requests.append({"repeatCell": {"range": _rows(sheet_id, 2, None, col),
                                        "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                                        "fields": "userEnteredFormat.wrapStrategy"}})
    for row in style.bold_rows:
        requests.append({"repeatCell": {"range": _rows(sheet_id, row, row),
                                        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                                        "fields": "userEnteredFormat.textFormat.bold"}})
    for fmt in style.formats():
        requests.append({"repeatCell": {
            "range": _rows(sheet_id, fmt.first_row, fmt.last_row, fmt.column),
            "cell": {"userEnteredFormat": {"numberFormat": number_format(fmt.pattern)}},
            "fields": "userEnteredFormat.numberFormat"}})
    for index, colour in enumerate(style.status_colours):
        requests.append({"addConditionalFormatRule": {"index": index, "rule": {
            "ranges": [_rows(sheet_id, colour.first_row, colour.last_row, colour.column)],
            "booleanRule": {"condition": {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": colour.prefix}]},
                            "format": {"backgroundColor": rgb(colour.rgb)}}}}})
    requests.append({"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "description": mark, "warningOnly": True}}})
    return requests


def unstyle_requests(sheet: dict, mark_prefix: str) -> list[dict]:
    """Remove what an older style put on a service tab: our protection, its conditional formats (status colours)
    and, on every cell below the header, number formats, wrapping and bold — so a table that moved or shrank (the
    targets below `สรุปผลผลิต`, a total row) leaves none of its old look on the rows it left."""
    sheet_id = sheet["properties"]["sheetId"]
    requests = [{"deleteProtectedRange": {"protectedRangeId": p["protectedRangeId"]}}
                for p in sheet.get("protectedRanges", []) if p.get("description", "").startswith(mark_prefix)]
    requests += [{"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": i}}
                 for i in reversed(range(len(sheet.get("conditionalFormats", []))))]
    requests.append({"repeatCell": {"range": _rows(sheet_id, 2, None), "cell": {"userEnteredFormat": {}},
                                    "fields": "userEnteredFormat(numberFormat,wrapStrategy,textFormat.bold)"}})
    return requests


def hyperlink_formula(link: Link, sheet_id: int) -> str:
    """`=HYPERLINK("#gid=…&range=B5";…)`: opens the cell in the same spreadsheet. The text is quoted, so an
    officer's tab name cannot make it anything but a label."""
    target = f"#gid={sheet_id}&range={cell_ref(link.row, link.col)}"
    return f'=HYPERLINK("{target}","{link.text.replace(chr(34), chr(34) * 2)}")'


SheetIds = Callable[[str], int | None]


def _cell_data(value: Cell, sheet_ids: SheetIds) -> dict:
    if value is None or value == "":
        return {}
    if isinstance(value, Link):
        sheet_id = sheet_ids(value.tab)
        if sheet_id is None:  # the tab is gone: the address stays readable as text
            return {"userEnteredValue": {"stringValue": value.text}}
        return {"userEnteredValue": {"formulaValue": hyperlink_formula(value, sheet_id)}}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}  # stored as text, like RAW: "=x" stays text


def update_cells_request(sheet_id: int, write: RangeWrite, sheet_ids: SheetIds = lambda _t: None) -> dict:
    """The same rectangle as a values write, as an updateCells request (empty cells are cleared; a Link becomes
    a HYPERLINK formula, the only formula the service ever writes)."""
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": write.row - 1, "columnIndex": write.col - 1},
                            "rows": [cell_row(row, sheet_ids) for row in write.values], "fields": "userEnteredValue"}}


def cell_row(row: list[Cell], sheet_ids: SheetIds = lambda _t: None) -> dict:
    """One row of an updateCells request (RowData)."""
    return {"values": [_cell_data(v, sheet_ids) for v in row]}


def note_request(sheet_id: int, row: int, col: int, text: str | None) -> dict:
    """Put `text` as the note of one cell, or remove its note (None); the cell's value is not touched."""
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": col - 1},
                            "rows": [{"values": [{"note": text} if text else {}]}], "fields": "note"}}
