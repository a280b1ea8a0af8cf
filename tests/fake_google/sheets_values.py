"""spreadsheets.values.*: reads trimmed like Google, RAW / USER_ENTERED writes, append's table search."""
from __future__ import annotations

from tests.fake_google import a1, cells
from tests.fake_google.a1 import Box
from tests.fake_google.errors import bad_request
from tests.fake_google.sheets import Sheet, Spreadsheet, locate, within_grid
from tests.fake_google.state import Call, State


def read(sheet: Sheet, area: Box, options: dict, prefix: str = "") -> list[list]:
    """Rendered values of a closed box; trailing empty cells and rows trimmed (COLUMNS: transposed first)."""
    used = [k for k in sheet.values if area.r0 <= k[0] < area.r1 and area.c0 <= k[1] < area.c1]
    if not used:
        return []
    value_option = options.get(f"{prefix}ValueRenderOption" if prefix else "valueRenderOption", "FORMATTED_VALUE")
    date_option = options.get(f"{prefix}DateTimeRenderOption" if prefix else "dateTimeRenderOption", "SERIAL_NUMBER")
    last_row, last_col = max(r for r, _ in used), max(c for _, c in used)
    values, formats, render = sheet.values, sheet.formats, cells.render
    grid = [[render(values.get((r, c)), formats[(r, c)].get("numberFormat") if (r, c) in formats else None,
                    value_option, date_option) for c in range(area.c0, last_col + 1)]
            for r in range(area.r0, last_row + 1)]
    if options.get("majorDimension") == "COLUMNS":
        grid = [list(column) for column in zip(*grid)]
    lines = []
    for line in grid:
        while line and line[-1] == "":
            line.pop()
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def value_range(sheet: Sheet, area: Box, options: dict, prefix: str = "") -> dict:
    major = "COLUMNS" if options.get("majorDimension") == "COLUMNS" else "ROWS"
    answer = {"range": a1.format_range(sheet.title, area), "majorDimension": major}
    values = read(sheet, area, {**options, "majorDimension": major}, prefix)
    if values:
        answer["values"] = values
    return answer


def _read_range(book: Spreadsheet, text: str, options: dict) -> dict:
    sheet, area = locate(book, text)
    return value_range(sheet, within_grid(sheet, area, text), options)


def get(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity)
    return _read_range(book, call.path["range"], call.query)


def batch_get(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity)
    answer = {"spreadsheetId": book.id}
    ranges = [_read_range(book, text, call.query) for text in call.query.get("ranges", [])]
    if ranges:
        answer["valueRanges"] = ranges
    return answer


def _input_option(option: str | None) -> str:
    if option in (None, "INPUT_VALUE_OPTION_UNSPECIFIED"):
        raise bad_request("'valueInputOption' is required but not specified")
    return option


def _rows(data: dict) -> list[list]:
    rows = [row or [] for row in data.get("values", [])]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if not (value is None or isinstance(value, (str, int, float, bool))):
                raise bad_request(f"Invalid values[{i}][{j}]: {type(value).__name__}_value {value}")
    if data.get("majorDimension") == "COLUMNS":
        height = max((len(c) for c in rows), default=0)
        rows = [[c[r] if r < len(c) else None for c in rows] for r in range(height)]
    return rows


def write(book: Spreadsheet, text: str, data: dict, option: str,
          anchor: tuple[int, int] | None = None) -> tuple[Sheet, dict, Box | None]:
    """Write a ValueRange (null skips a cell, "" clears it); the grid grows to fit, as values.* writes do.

    A one-cell or whole-tab range is only the top-left corner; a larger range must hold the data. Append
    passes the `anchor` it found and is not bounded by its input range."""
    sheet, area = locate(book, text)
    rows = _rows(data)
    height, width = len(rows), max((len(r) for r in rows), default=0)
    r0, c0 = anchor or (area.r0, area.c0)
    bounded = None if anchor or area.single_cell or area == Box() else area
    if bounded and bounded.r1 is not None and height and r0 + height > bounded.r1:
        raise bad_request(f"Requested writing within range [{text}], but tried writing to row [{bounded.r1 + 1}]")
    if bounded and bounded.c1 is not None and width and c0 + width > bounded.c1:
        raise bad_request(f"Requested writing within range [{text}], but tried writing to column "
                          f"[{a1.column_letters(bounded.c1)}]")
    answer: dict = {"spreadsheetId": book.id}
    if not (height and width):
        return sheet, answer, None
    sheet.grow(r0 + height, c0 + width)
    count = 0
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if cells.too_long(value):
                raise bad_request(cells.CELL_TOO_LONG)
            if option == "RAW":  # kept as sent; "" clears (sheet.put without a format, inlined: a million cells)
                if value == "":
                    sheet.values.pop((r0 + i, c0 + j), None)
                else:
                    sheet.values[(r0 + i, c0 + j)] = value
            else:
                sheet.put(r0 + i, c0 + j, *cells.user_entered(value))
            count += 1
    written = Box(r0, c0, r0 + height, c0 + width)
    answer.update(updatedRange=a1.format_range(sheet.title, written), updatedRows=height, updatedColumns=width,
                  updatedCells=count)
    return sheet, answer, written


def _with_values(answer: dict, sheet: Sheet, written: Box | None, options: dict) -> dict:
    if options.get("includeValuesInResponse") and written is not None:
        answer["updatedData"] = value_range(sheet, written, options, prefix="response")
    return answer


def update(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity).clone()
    option = _input_option(call.query.get("valueInputOption"))
    sheet, answer, written = write(book, call.path["range"], call.body or {}, option)
    state.commit(book)
    return _with_values(answer, sheet, written, call.query)


def batch_update(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity).clone()
    body = call.body or {}
    option = _input_option(body.get("valueInputOption"))
    responses, rows, cols, sheets = [], set(), set(), set()
    for data in body.get("data", []):
        sheet, answer, written = write(book, data.get("range", ""), data, option)
        responses.append(_with_values(answer, sheet, written, body))
        if written is not None:
            sheets.add(sheet.id)
            rows.update((sheet.id, r) for r in range(written.r0, written.r1))
            cols.update((sheet.id, c) for c in range(written.c0, written.c1))
    state.commit(book)
    totals = {"totalUpdatedRows": len(rows), "totalUpdatedColumns": len(cols),
              "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses), "totalUpdatedSheets": len(sheets)}
    answer = {"spreadsheetId": book.id, **{k: v for k, v in totals.items() if v}}
    if responses:
        answer["responses"] = responses
    return answer


def find_table(sheet: Sheet, area: Box) -> Box | None:
    """Sheets' append table: the block of touching cells around the last filled cell of the input range."""
    inside = [k for k in sheet.values if area.r0 <= k[0] < area.r1 and area.c0 <= k[1] < area.c1]
    if not inside:
        return None
    r0, c0 = r1, c1 = max(inside)
    while True:
        near = [k for k in sheet.values if r0 - 1 <= k[0] <= r1 + 1 and c0 - 1 <= k[1] <= c1 + 1
                and not (r0 <= k[0] <= r1 and c0 <= k[1] <= c1)]
        if not near:
            return Box(r0, c0, r1 + 1, c1 + 1)
        r0, r1 = min([r0] + [k[0] for k in near]), max([r1] + [k[0] for k in near])
        c0, c1 = min([c0] + [k[1] for k in near]), max([c1] + [k[1] for k in near])


def _insert_rows(sheet: Sheet, at: int, count: int) -> None:
    sheet.grow(sheet.rows + count, sheet.cols)
    for cells_by_key in (sheet.values, sheet.formats):
        moved = {(r + count if r >= at else r, c): v for (r, c), v in cells_by_key.items()}
        cells_by_key.clear()
        cells_by_key.update(moved)


def append(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity).clone()
    option = _input_option(call.query.get("valueInputOption"))
    text = call.path["range"]
    sheet, area = locate(book, text)
    table = find_table(sheet, within_grid(sheet, area, text))
    anchor = (table.r1, table.c0) if table else (area.r0, area.c0)
    if call.query.get("insertDataOption") == "INSERT_ROWS":
        _insert_rows(sheet, anchor[0], len((call.body or {}).get("values", [])))
    sheet, updates, written = write(book, text, call.body or {}, option, anchor=anchor)
    state.commit(book)
    answer = {"spreadsheetId": book.id}
    if table:
        answer["tableRange"] = a1.format_range(sheet.title, table)
    answer["updates"] = _with_values(updates, sheet, written, call.query)
    return answer


def _clear(book: Spreadsheet, text: str) -> str:
    sheet, area = locate(book, text)
    area = within_grid(sheet, area, text)
    for key in [k for k in sheet.values if area.r0 <= k[0] < area.r1 and area.c0 <= k[1] < area.c1]:
        del sheet.values[key]
    return a1.format_range(sheet.title, area)


def clear(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity).clone()
    cleared = _clear(book, call.path["range"])
    state.commit(book)
    return {"spreadsheetId": book.id, "clearedRange": cleared}


def batch_clear(state: State, call: Call) -> dict:
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity).clone()
    cleared = [_clear(book, text) for text in (call.body or {}).get("ranges", [])]
    state.commit(book)
    return {"spreadsheetId": book.id, **({"clearedRanges": cleared} if cleared else {})}


HANDLERS = {"sheets.spreadsheets.values.get": get, "sheets.spreadsheets.values.batchGet": batch_get,
            "sheets.spreadsheets.values.update": update, "sheets.spreadsheets.values.batchUpdate": batch_update,
            "sheets.spreadsheets.values.append": append, "sheets.spreadsheets.values.clear": clear,
            "sheets.spreadsheets.values.batchClear": batch_clear}
