"""spreadsheets.batchUpdate: the request kinds the service uses, applied all-or-nothing."""
from __future__ import annotations

import copy

from tests.fake_google import cells, masks
from tests.fake_google.a1 import Box
from tests.fake_google.discovery import methods
from tests.fake_google.errors import bad_request, not_modelled
from tests.fake_google.sheets import Sheet, Spreadsheet, prune
from tests.fake_google.state import Call, State


class RequestError(ValueError):
    """A request Sheets refuses; the batch answers 400 naming the request's index and kind."""


def _schemas() -> dict:
    return next(m for m in methods() if m.id == "sheets.spreadsheets.batchUpdate").api.doc["schemas"]


def _mask(request: dict, ref: str) -> list[masks.Path]:
    text = request.get("fields", "")
    if not text:
        raise RequestError("At least one field must be specified in 'fields'.")
    try:
        paths = masks.parse(text)
    except ValueError:
        raise RequestError(f"Invalid field mask: {text}") from None
    bad = masks.unknown_path(paths, _schemas(), ref)
    if bad:
        raise RequestError(f"Invalid field mask path: {bad}")
    return paths


def _sheet(book: Spreadsheet, sheet_id: int | None) -> Sheet:
    sheet = book.sheet_by_id(sheet_id or 0)
    if sheet is None:
        raise RequestError(f"No grid with id: {sheet_id or 0}")
    return sheet


def _grid_range(book: Spreadsheet, grid: dict) -> tuple[Sheet, Box]:
    sheet = _sheet(book, grid.get("sheetId"))
    area = Box(grid.get("startRowIndex", 0), grid.get("startColumnIndex", 0), grid.get("endRowIndex"),
               grid.get("endColumnIndex")).closed(sheet.rows, sheet.cols)
    if not (0 <= area.r0 <= area.r1 <= sheet.rows and 0 <= area.c0 <= area.c1 <= sheet.cols):
        raise RequestError(f"Range {grid} exceeds grid limits ({sheet.rows} rows, {sheet.cols} columns)")
    return sheet, area


def _apply_cell(sheet: Sheet, row: int, col: int, cell: dict, paths: list[masks.Path],
                formats_made: dict | None = None) -> None:
    """Set the masked parts of one cell from CellData (values, userEnteredFormat and note are modelled).

    `formats_made` lets a repeatCell share its result among cells that had the same format (formats are replaced,
    never changed in place): (mask path, id of the old format) → (old format, new format)."""
    for path in paths:
        if path[0] in ("*", "userEnteredValue"):
            if any(cells.too_long(v) for v in (cell.get("userEnteredValue") or {}).values()):
                raise RequestError(cells.CELL_TOO_LONG)
            sheet.put(row, col, cells.from_extended(cell.get("userEnteredValue")))
        if path[0] in ("*", "userEnteredFormat"):
            old = sheet.formats.get((row, col))
            made = formats_made.get((path, id(old))) if formats_made is not None else None
            if made is not None and made[0] is old:
                fmt = made[1]
            else:
                fmt = copy.deepcopy(old or {})
                masks.copy_path(cell.get("userEnteredFormat", {}), fmt, path[1:] or ("*",))
                if formats_made is not None:
                    formats_made[(path, id(old))] = (old, fmt)
            sheet.formats.pop((row, col), None)
            if fmt:
                sheet.formats[(row, col)] = fmt
        if path[0] in ("*", "note"):
            if cell.get("note"):
                sheet.notes[(row, col)] = cell["note"]
            else:
                sheet.notes.pop((row, col), None)
        if path[0] not in ("*", "userEnteredValue", "userEnteredFormat", "note"):
            raise not_modelled(f"CellData.{path[0]} in repeatCell/updateCells")


def add_sheet(book: Spreadsheet, request: dict) -> dict:
    props = request.get("properties", {})
    if props.get("title") and book.sheet_by_title(props["title"]):
        raise RequestError(f'A sheet with the name "{props["title"]}" already exists. Please enter another name.')
    if "sheetId" in props and book.sheet_by_id(props["sheetId"]):
        raise RequestError(f"A sheet with the id {props['sheetId']} already exists.")
    sheet = book.add_sheet(props)
    return {"addSheet": {"properties": prune(copy.deepcopy(sheet.properties))}}


def delete_sheet(book: Spreadsheet, request: dict) -> None:
    sheet = _sheet(book, request.get("sheetId"))
    if len(book.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()


def update_sheet_properties(book: Spreadsheet, request: dict) -> None:
    props = request.get("properties", {})
    sheet = _sheet(book, props.get("sheetId"))
    updated = copy.deepcopy(sheet.properties)
    for path in _mask(request, "SheetProperties"):
        masks.copy_path(props, updated, path)
    updated["sheetId"] = sheet.id
    other = book.sheet_by_title(updated.get("title", ""))
    if not updated.get("title") or (other is not None and other is not sheet):
        raise RequestError(f'A sheet with the name "{updated.get("title", "")}" already exists. '
                           "Please enter another name.")
    grid = updated.setdefault("gridProperties", {})
    rows, cols = grid.setdefault("rowCount", sheet.rows), grid.setdefault("columnCount", sheet.cols)
    if grid.get("frozenRowCount", 0) >= rows or grid.get("frozenColumnCount", 0) >= cols:
        raise RequestError("You can't freeze all visible rows on the sheet.")
    index = min(updated.pop("index", sheet.properties["index"]), len(book.sheets) - 1)
    sheet.properties = updated
    sheet.resize(rows, cols)
    book.sheets.remove(sheet)
    book.sheets.insert(index, sheet)
    book.reindex()


def repeat_cell(book: Spreadsheet, request: dict) -> None:
    sheet, area = _grid_range(book, request.get("range", {}))
    paths, formats_made = _mask(request, "CellData"), {}
    for row in range(area.r0, area.r1):
        for col in range(area.c0, area.c1):
            _apply_cell(sheet, row, col, request.get("cell", {}), paths, formats_made)


def update_cells(book: Spreadsheet, request: dict) -> None:
    """Rows of CellData from `start`, or inside `range` (whose uncovered cells are cleared); never past the grid."""
    paths = _mask(request, "CellData")
    if "start" in request:
        start = request["start"]
        sheet = _sheet(book, start.get("sheetId"))
        area = Box(start.get("rowIndex", 0), start.get("columnIndex", 0), sheet.rows, sheet.cols)
        covered = None
    elif "range" in request:
        sheet, area = _grid_range(book, request["range"])
        covered = set()
    else:
        raise RequestError("Either start or range must be specified.")
    for i, row in enumerate(request.get("rows", [])):
        for j, cell in enumerate(row.get("values", [])):
            r, c = area.r0 + i, area.c0 + j
            if r >= area.r1:
                raise RequestError(f"Attempting to write row: {r}, beyond the last requested row of: {area.r1 - 1}")
            if c >= area.c1:
                raise RequestError(f"Attempting to write column: {c}, beyond the last requested column of: "
                                   f"{area.c1 - 1}")
            _apply_cell(sheet, r, c, cell, paths)
            if covered is not None:
                covered.add((r, c))
    if covered is not None:
        for r in range(area.r0, area.r1):
            for c in range(area.c0, area.c1):
                if (r, c) not in covered:
                    _apply_cell(sheet, r, c, {}, paths)


def add_conditional_format_rule(book: Spreadsheet, request: dict) -> None:
    rule = copy.deepcopy(request.get("rule", {}))
    ranges = rule.get("ranges", [])
    if not ranges or not ("booleanRule" in rule or "gradientRule" in rule):
        raise RequestError("A conditional format rule needs ranges and a booleanRule or gradientRule.")
    sheet = _sheet(book, ranges[0].get("sheetId"))
    if any(r.get("sheetId", 0) != sheet.id for r in ranges):
        raise RequestError("All ranges of a conditional format rule must be on the same sheet.")
    index = request.get("index", 0)
    if not 0 <= index <= len(sheet.conditional_formats):
        raise RequestError(f"Invalid index: {index}")
    sheet.conditional_formats.insert(index, rule)


def delete_conditional_format_rule(book: Spreadsheet, request: dict) -> dict:
    sheet = _sheet(book, request.get("sheetId"))
    index = request.get("index", 0)
    if not 0 <= index < len(sheet.conditional_formats):
        raise RequestError(f"No conditional format on sheet: {sheet.id} at index: {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}


def add_protected_range(book: Spreadsheet, request: dict) -> dict:
    protected = copy.deepcopy(request.get("protectedRange", {}))
    if "range" not in protected:
        raise not_modelled("protected ranges without a GridRange")
    _grid_range(book, protected["range"])
    sheet = _sheet(book, protected["range"].get("sheetId"))
    used = {p["protectedRangeId"] for s in book.sheets for p in s.protected_ranges}
    protected["protectedRangeId"] = next(i for i in iter(lambda: book.rng.randrange(1, 2**31 - 1), None)
                                         if i not in used)
    protected["requestingUserCanEdit"] = True
    sheet.protected_ranges.append(protected)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(protected)}}


def delete_protected_range(book: Spreadsheet, request: dict) -> None:
    wanted = request.get("protectedRangeId")
    for sheet in book.sheets:
        for protected in sheet.protected_ranges:
            if protected["protectedRangeId"] == wanted:
                sheet.protected_ranges.remove(protected)
                return
    raise RequestError(f"No protected range with id: {wanted}")


def create_developer_metadata(book: Spreadsheet, request: dict) -> dict:
    """Metadata located on a whole sheet (the only location modelled); Google gives it an id and the location
    back with its type and the sheet id."""
    metadata = copy.deepcopy(request.get("developerMetadata", {}))
    location = metadata.get("location", {})
    if set(location) != {"sheetId"}:
        raise not_modelled("developer metadata located elsewhere than on a sheet")
    if not metadata.get("metadataKey") or metadata.get("visibility") not in ("DOCUMENT", "PROJECT"):
        raise RequestError("developerMetadata needs a metadataKey and a visibility (DOCUMENT or PROJECT).")
    sheet = _sheet(book, location["sheetId"])
    used = {m["metadataId"] for s in book.sheets for m in s.developer_metadata}
    metadata["metadataId"] = next(i for i in iter(lambda: book.rng.randrange(1, 2**31 - 1), None) if i not in used)
    metadata["location"] = {"locationType": "SHEET", "sheetId": sheet.id}
    sheet.developer_metadata.append(metadata)
    return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(metadata)}}


def append_dimension(book: Spreadsheet, request: dict) -> None:
    sheet, length = _sheet(book, request.get("sheetId")), request.get("length", 0)
    if length <= 0 or request.get("dimension") not in ("ROWS", "COLUMNS"):
        raise RequestError("appendDimension needs dimension ROWS or COLUMNS and a positive length.")
    rows_added = length if request["dimension"] == "ROWS" else 0
    sheet.resize(sheet.rows + rows_added, sheet.cols + length - rows_added)


def update_dimension_properties(book: Spreadsheet, request: dict) -> None:
    """Column widths (pixelSize) over a DimensionRange; other properties are not modelled."""
    paths = _mask(request, "DimensionProperties")
    if "range" not in request:
        raise not_modelled("updateDimensionProperties on a dataSourceSheetRange")
    span = request["range"]
    sheet = _sheet(book, span.get("sheetId"))
    if span.get("dimension") != "COLUMNS" or any(p[0] != "pixelSize" for p in paths):
        raise not_modelled("updateDimensionProperties other than column pixelSize")
    start, end = span.get("startIndex", 0), span.get("endIndex", sheet.cols)
    if not 0 <= start < end <= sheet.cols:
        raise RequestError(f"Invalid dimension range {start}..{end} on a sheet of {sheet.cols} columns")
    size = request.get("properties", {}).get("pixelSize", 0)
    if size < 0:
        raise RequestError("pixelSize must not be negative")
    sheet.column_widths.update({col: size for col in range(start, end)})


KINDS = {"updateDimensionProperties": update_dimension_properties, "addSheet": add_sheet, "deleteSheet": delete_sheet, "updateSheetProperties": update_sheet_properties,
         "repeatCell": repeat_cell, "updateCells": update_cells, "appendDimension": append_dimension,
         "addConditionalFormatRule": add_conditional_format_rule,
         "deleteConditionalFormatRule": delete_conditional_format_rule,
         "addProtectedRange": add_protected_range, "deleteProtectedRange": delete_protected_range,
         "createDeveloperMetadata": create_developer_metadata}


def batch_update(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity).clone()
    body = call.body or {}
    if not body.get("requests"):
        raise bad_request("Must specify at least one request.")
    replies = []
    for index, request in enumerate(body["requests"]):
        if not request:
            raise bad_request(f"Invalid requests[{index}]: No request set.")
        if len(request) > 1:
            raise bad_request(f"Invalid JSON payload received. Oneof field 'kind' is already set. "
                              f"Cannot set '{list(request)[1]}'")
        (kind, params), = request.items()
        if kind not in KINDS:
            raise not_modelled(f"batchUpdate request {kind}")
        try:
            replies.append(KINDS[kind](book, params) or {})
        except RequestError as error:
            raise bad_request(f"Invalid requests[{index}].{kind}: {error}") from None
    state.commit(book)
    answer = {"spreadsheetId": book.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        answer["updatedSpreadsheet"] = book.resource()
    return answer


HANDLERS = {"sheets.spreadsheets.batchUpdate": batch_update}
