"""Spreadsheets and their tabs; spreadsheets.get and spreadsheets.create; A1 ranges resolved on a grid."""
from __future__ import annotations

import copy
import random

from tests.fake_google import a1, masks
from tests.fake_google.a1 import Box
from tests.fake_google.errors import ApiError, bad_request, not_modelled
from tests.fake_google.state import Call, State

DEFAULT_ROWS, DEFAULT_COLS = 1000, 26
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
EXPLICIT = ("sheetId", "index", "rowCount", "columnCount")  # fields Google prints even when 0


def prune(value):
    """Drop defaults as proto3 JSON does (false, 0, "", empty objects), keeping always-present fields."""
    if isinstance(value, dict):
        pruned = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if k in EXPLICIT or v not in (False, 0, "", {}, [])}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


class Sheet:
    """One tab: SheetProperties as the API shows them, sparse cell values and formats keyed (row, col) 0-based.

    A cell's value is immutable (str, Formula, number, bool) and its format dict is replaced, never changed in
    place: copy() can then share them, and a request on a million-cell spreadsheet does not deep-copy it."""

    def __init__(self, properties: dict) -> None:
        self.properties = properties
        self.values: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], dict] = {}
        self.protected_ranges: list[dict] = []
        self.conditional_formats: list[dict] = []
        self.column_widths: dict[int, int] = {}  # 0-based column → pixelSize set by updateDimensionProperties
        self.developer_metadata: list[dict] = []  # located on this sheet; gone when the sheet is deleted
        self.notes: dict[tuple[int, int], str] = {}  # cell notes (CellData.note), keyed as values

    @property
    def id(self) -> int:
        return self.properties["sheetId"]

    @property
    def title(self) -> str:
        return self.properties["title"]

    @property
    def rows(self) -> int:
        return self.properties["gridProperties"]["rowCount"]

    @property
    def cols(self) -> int:
        return self.properties["gridProperties"]["columnCount"]

    def resize(self, rows: int, cols: int) -> None:
        """Set the grid size; cells outside it are gone, as in Sheets."""
        self.properties["gridProperties"].update(rowCount=rows, columnCount=cols)
        for cells in (self.values, self.formats, self.notes):
            for key in [k for k in cells if k[0] >= rows or k[1] >= cols]:
                del cells[key]

    def grow(self, rows: int, cols: int) -> None:
        self.resize(max(rows, self.rows), max(cols, self.cols))

    def put(self, row: int, col: int, value, number_format: dict | None = None) -> None:
        if value is None:
            self.values.pop((row, col), None)
        else:
            self.values[(row, col)] = value
        if number_format and "numberFormat" not in self.formats.get((row, col), {}):
            self.formats[(row, col)] = {**self.formats.get((row, col), {}), "numberFormat": number_format}

    CELL_MAPS = ("values", "formats", "notes", "column_widths")  # entries replaced, never changed in place

    def copy(self) -> Sheet:
        """An independent copy: the cell maps are new dicts over the same entries; anything else is deep-copied."""
        twin = Sheet.__new__(Sheet)
        twin.__dict__.update({name: dict(value) if name in self.CELL_MAPS else copy.deepcopy(value)
                              for name, value in vars(self).items()})
        return twin

    def resource(self) -> dict:
        sheet = {"properties": prune(copy.deepcopy(self.properties))}
        if self.protected_ranges:
            sheet["protectedRanges"] = copy.deepcopy(self.protected_ranges)
        if self.conditional_formats:
            sheet["conditionalFormats"] = copy.deepcopy(self.conditional_formats)
        if self.developer_metadata:
            sheet["developerMetadata"] = copy.deepcopy(self.developer_metadata)
        return sheet


class Spreadsheet:
    """A spreadsheet; requests change a clone() and the state commits it only when all went well."""

    def __init__(self, spreadsheet_id: str, title: str) -> None:
        self.id = spreadsheet_id
        self.properties = {"title": title, "locale": "en_US", "autoRecalc": "ON_CHANGE", "timeZone": "Etc/GMT"}
        self.sheets: list[Sheet] = []
        self.rng = random.Random(spreadsheet_id)

    def clone(self) -> Spreadsheet:
        """A copy to change: each sheet by Sheet.copy(), anything else deep-copied."""
        twin = Spreadsheet.__new__(Spreadsheet)
        twin.__dict__.update({name: [sheet.copy() for sheet in value] if name == "sheets" else copy.deepcopy(value)
                              for name, value in vars(self).items()})
        return twin

    def sheet_by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title.casefold() == title.casefold()), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.id == sheet_id), None)

    def new_sheet_id(self) -> int:
        used = {s.id for s in self.sheets}
        return next(i for i in iter(lambda: self.rng.randrange(1, 2**31 - 1), None) if i not in used)

    def add_sheet(self, properties: dict | None = None) -> Sheet:
        """A tab with Google's defaults filled in (first tab id 0, 1000×26 grid, next free SheetN title)."""
        given = copy.deepcopy(properties or {})
        index = min(given.pop("index", len(self.sheets)), len(self.sheets))
        props = {"sheetId": 0 if not self.sheets else self.new_sheet_id(),
                 "title": next(f"Sheet{n}" for n in range(1, 10**6) if not self.sheet_by_title(f"Sheet{n}")),
                 "index": index, "sheetType": "GRID", **given}
        props["gridProperties"] = {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLS,
                                   **given.get("gridProperties", {})}
        sheet = Sheet(props)
        self.sheets.insert(index, sheet)
        self.reindex()
        return sheet

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def resource(self) -> dict:
        return {"spreadsheetId": self.id, "properties": copy.deepcopy(self.properties),
                "sheets": [s.resource() for s in self.sheets],
                "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.id}/edit"}


def unparsable(text: str) -> ApiError:
    return bad_request(f"Unable to parse range: {text}")


def locate(book: Spreadsheet, text: str) -> tuple[Sheet, Box]:
    """The tab and (possibly open) box of an A1 range; a bare name that is no tab means the first tab."""
    try:
        tab, cells = a1.split(text)
        if tab is None:
            sheet = book.sheet_by_title(cells)
            if sheet is not None:
                return sheet, Box()
            return book.sheets[0], a1.box(cells)
        sheet = book.sheet_by_title(tab)
        if sheet is None:
            raise unparsable(text)
        return sheet, (a1.box(cells) if cells is not None else Box())
    except ValueError:
        raise unparsable(text) from None


def within_grid(sheet: Sheet, area: Box, text: str) -> Box:
    """Close open ends at the grid edge; a range past the grid is 400 as in Sheets."""
    closed = area.closed(sheet.rows, sheet.cols)
    if closed.r1 > sheet.rows or closed.c1 > sheet.cols or closed.r0 >= sheet.rows or closed.c0 >= sheet.cols:
        raise bad_request(f"Range ({text}) exceeds grid limits. Max rows: {sheet.rows}, "
                          f"max columns: {sheet.cols}")
    return closed


def new_spreadsheet(state: State, title: str, shared_with: set[str], sheets: list[dict] | None = None) -> Spreadsheet:
    """Create, register (also as a Drive file) and return a spreadsheet."""
    book = Spreadsheet(state.new_id("spreadsheet"), title)
    for properties in sheets or [{}]:
        book.add_sheet(properties)
    state.spreadsheets[book.id] = book
    state.add_file(book.id, title, SPREADSHEET_MIME, shared_with)
    return book


GRID_FIELDS = {("startRow",), ("startColumn",), ("rowData", "values", "note")}  # what grid data models


def get(state: State, call: Call) -> dict:
    """The spreadsheet; with `ranges` (or includeGridData) only the tabs they name, each with its GridData as
    Google gives it (trailing rows and cells without a note left out). Grid data models notes only."""
    book = state.spreadsheet(call.path["spreadsheetId"], call.identity)
    ranges = call.query.get("ranges") or []
    if not ranges and not call.query.get("includeGridData"):
        return book.resource()
    asked = [p[2:] for p in masks.parse(call.query.get("fields") or "*") if p[:2] in (("sheets", "data"), ("*",))]
    if not asked or any(p not in GRID_FIELDS for p in asked):
        raise not_modelled("grid data other than notes: ask fields=sheets(data(startRow,startColumn,"
                           "rowData.values.note))")
    boxes: dict[int, list[Box]] = {}
    for text in ranges or [a1.quote(s.title) for s in book.sheets]:
        sheet, area = locate(book, text)
        boxes.setdefault(sheet.id, []).append(within_grid(sheet, area, text))
    resource = book.resource()
    resource["sheets"] = [dict(found, data=[_grid_data(sheet, box) for box in boxes[sheet.id]])
                          for sheet, found in zip(book.sheets, resource["sheets"]) if sheet.id in boxes]
    return resource


def _grid_data(sheet: Sheet, box: Box) -> dict:
    rows = [[{"note": sheet.notes[(r, c)]} if (r, c) in sheet.notes else {} for c in range(box.c0, box.c1)]
            for r in range(box.r0, box.r1)]
    rows = [row[:max((i + 1 for i, cell in enumerate(row) if cell), default=0)] for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    data = {"rowData": [{"values": row} if row else {} for row in rows]} if rows else {}  # proto3: no empty list
    return data | {k: v for k, v in (("startRow", box.r0), ("startColumn", box.c0)) if v}


def create(state: State, call: Call) -> dict:
    body = call.body or {}
    if any(set(s) - {"properties"} for s in body.get("sheets", [])):
        raise not_modelled("spreadsheets.create with sheet data, formats or other sheet parts")
    title = body.get("properties", {}).get("title", "Untitled spreadsheet")
    sheets = [s.get("properties", {}) for s in body.get("sheets", [])] or None
    book = new_spreadsheet(state, title, {call.identity.client_email}, sheets)
    return book.resource()


HANDLERS = {"sheets.spreadsheets.get": get, "sheets.spreadsheets.create": create}
