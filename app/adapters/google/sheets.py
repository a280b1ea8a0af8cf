"""Workbook on Google Sheets through gspread: one metadata get, one values:batchGet, one write per run."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

import gspread
from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL, SPREADSHEET_URL, SPREADSHEET_VALUES_BATCH_UPDATE_URL

from app.adapters.google.auth import SHEETS_SCOPES, KeySource, credentials
from app.adapters.google.retry import RetryPolicy, call_with_retry, describe, http_status
from app.adapters.google.sheet_requests import (cell_row, note_request, style_requests, update_cells_request,
                                                 unstyle_requests)
from app.config import GoogleSettings
from app.sheets.a1 import cell_ref, quote_tab, range_ref
from app.sheets.grid import (NOTE_PREFIX, CellNotes, Grid, Link, NotedCell, NoteKey, RangeWrite, TabStyle, WriteStats,
                            note_digest)
from app.errors import BackendError
from app.sync.ports import TabNotFound

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
METADATA_FIELDS = ("properties.title,sheets(properties(sheetId,title,index,gridProperties),"
                   "protectedRanges(protectedRangeId,description),conditionalFormats(ranges),"
                   "developerMetadata(metadataKey,metadataValue))")
OWNER_KEY = "sme-sheets-service.tab"  # developer metadata on each service tab; its value is the service tab's title
STYLE_MARK = "service-tab:"  # protected-range description that carries the style signature
# Bytes per request body as sent: Google refuses bodies over 10 MB and recommends at most 2 MB. Bodies go as UTF-8
# JSON (3 bytes a Thai character; `json=` would escape it as \uXXXX, 6 bytes, and double the requests).
MAX_PAYLOAD = 2_000_000
_BLANK_AS_NONE = {"": None}
NOTES_FIELDS = "sheets(properties.title,data(startRow,startColumn,rowData.values.note))"


class EndpointHTTPClient(HTTPClient):
    """gspread's HTTP client sent to another endpoint (our fake server); URLs are built by value in gspread."""

    def __init__(self, auth: Any, endpoint: str | None) -> None:
        super().__init__(auth)
        self.endpoint = endpoint.rstrip("/") if endpoint else None

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any):
        if self.endpoint:
            for host in GOOGLE_HOSTS:
                endpoint = endpoint.replace(host, self.endpoint, 1)
        return super().request(method, endpoint, *args, **kwargs)


def sheets_http_client(source: KeySource | None, google: GoogleSettings) -> EndpointHTTPClient:
    """An authorised gspread HTTP client with explicit (connect, read) timeouts."""
    client = EndpointHTTPClient(credentials(source, SHEETS_SCOPES, google), google.endpoint)
    client.set_timeout((google.connect_timeout, google.read_timeout))
    return client


class GoogleWorkbook:
    """One spreadsheet; metadata is fetched once and kept for the life of the object (one run)."""

    max_cell_chars = 50_000  # Google refuses a write with a longer cell

    def __init__(self, spreadsheet_id: str, http: HTTPClient, policy: RetryPolicy | None = None,
                 cell_notes: bool = True) -> None:
        self.spreadsheet_id = spreadsheet_id
        self.cell_notes = cell_notes  # put a note on each officer cell a problem points at (off: remove ours)
        self._http = http
        self._policy = policy or RetryPolicy()
        self._meta: dict | None = None
        self.requests = 0
        self._notes_read = 0  # the notes read of the current write (0 or 1 request)

    def _call(self, what: str, fn):
        self.requests += 1
        try:
            return call_with_retry(fn, self._policy, f"{what} {self.spreadsheet_id}")
        except gspread.exceptions.APIError as exc:
            raise BackendError(self._explain(exc, what)) from exc

    def _explain(self, exc: gspread.exceptions.APIError, what: str) -> str:
        status, _ = http_status(exc)
        email = getattr(self._http.auth, "service_account_email", "the service account")
        if status == 404:
            return f"spreadsheet {self.spreadsheet_id} not found: check spreadsheet_id in the config"
        if status == 403:
            return f"spreadsheet {self.spreadsheet_id} is not shared with {email}: share it as Editor"
        return f"{what} {self.spreadsheet_id} failed: {describe(exc)}"

    def _metadata(self) -> dict:
        if self._meta is None:
            url = SPREADSHEET_URL % self.spreadsheet_id
            self._meta = self._call("read metadata of", lambda: self._http.request(
                "get", url, params={"fields": METADATA_FIELDS}).json())
        return self._meta

    def _sheets(self) -> dict[str, dict]:
        return {s["properties"]["title"]: s for s in self._metadata().get("sheets", [])}

    @property
    def label(self) -> str:
        return self._metadata().get("properties", {}).get("title", self.spreadsheet_id)

    def tab_titles(self) -> list[str]:
        return list(self._sheets())

    def owned_tabs(self) -> dict[str, str]:
        return {mark: title for title, sheet in self._sheets().items() if (mark := _owner_mark(sheet))}

    def read(self, titles: Sequence[str]) -> dict[str, Grid]:
        sheets = self._sheets()
        for title in titles:
            if title not in sheets:
                raise TabNotFound(f"{self.label}: no tab named {title!r}")
        if not titles:
            return {}
        params = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
                  "majorDimension": "ROWS"}
        answer = self._call("read", lambda: self._http.values_batch_get(
            self.spreadsheet_id, [quote_tab(t) for t in titles], params=dict(params)))
        # blank as None, in C: `"" in row` passes full rows over, map(dict.get) rewrites the others
        return {title: [list(map(_BLANK_AS_NONE.get, row, row)) if "" in row else row for row in vr.get("values", [])]
                for title, vr in zip(titles, answer.get("valueRanges", []))}

    def write(self, writes: Sequence[RangeWrite], styles: Sequence[TabStyle] = (),
              notes: CellNotes | None = None) -> WriteStats:
        """Value changes go in one values:batchUpdate (RAW); if tabs must be created or re-styled, or notes on
        officers' cells change, the first values ride in that same atomic :batchUpdate instead. Only a write
        beyond Google's request size limit (e.g. the first run on a very large workbook) is split into more
        requests. Notes cost one read of the cells whose note changes, and nothing when none does."""
        self._notes_read = 0
        noted, kept = self._note_requests(notes) if notes is not None else ([], None)
        structure, created, styled = self._structure_requests(writes, styles)
        if noted and not structure:  # the values now ride in updateCells, which cannot write past the grid
            structure = _grow_requests(self._sheets(), writes)
        structure += noted
        # a link is a formula, which values:batchUpdate (RAW) would store as text: links ride in updateCells
        linked = [w for w in writes if any(isinstance(v, Link) for row in w.values for v in row)]
        plain = [w for w in writes if w not in linked]
        rest = list(writes)
        if structure or linked:
            ids = {t: s["properties"]["sheetId"] for t, s in self._sheets().items()} | created
            # updateCells spells each cell out, so its rows are measured as the requests they become
            first, rest = _fill(linked + plain, MAX_PAYLOAD - _sent_bytes({"requests": structure}),
                                lambda row: _sent_bytes(cell_row(row, ids.get)),
                                lambda w: _sent_bytes(update_cells_request(ids[w.tab], replace(w, values=[]))))
            body = {"requests": structure + [update_cells_request(ids[w.tab], w, ids.get) for w in first]}
            self._call("update", lambda: self._post(SPREADSHEET_BATCH_UPDATE_URL, body))
            by_title = {style.title: style for style in styles}
            self._meta.setdefault("sheets", []).extend(  # remember new tabs as created: no second metadata get
                _created_sheet(sheet_id, by_title[title]) for title, sheet_id in created.items())
            rest = [_as_text(w) for w in rest]  # a link beyond the first request is written as its text
        chunks = payload_chunks(rest, MAX_PAYLOAD)
        for chunk in chunks:
            self._call("write", lambda: self._post(SPREADSHEET_VALUES_BATCH_UPDATE_URL, chunk.body))
        requests = len(chunks) + (1 if structure or linked else 0) + self._notes_read
        if not requests:
            return WriteStats(notes=kept)
        cells = sum(len(row) for w in writes for row in w.values)
        return WriteStats(requests=requests, cells=cells, tabs_created=tuple(created), tabs_styled=tuple(styled),
                          notes=kept)

    def _note_requests(self, notes: CellNotes) -> tuple[list[dict], dict[NoteKey, NotedCell]]:
        """A note request for each officer cell whose service note must appear, change or go, and the cells the
        service keeps a note on after them. The notes of those cells are read first (one spreadsheets.get, only
        when a note changes): an officer's own note is never overwritten, nor removed."""
        self._notes_read = 0
        sheets = self._sheets()
        wanted = {k: text for k, text in notes.wanted.items() if k[0] in sheets} if self.cell_notes else {}
        before = notes.previous
        to_set = {k: text for k, text in wanted.items() if k not in before or before[k].digest != note_digest(text)}
        to_clear = [k for k, cell in before.items() if k not in wanted and cell.written and k[0] in sheets]
        kept = {k: before[k] for k in wanted if k not in to_set}
        if not to_set and not to_clear:
            return [], kept
        found = self._notes_at(list(to_set) + to_clear)
        requests = []
        for key, text in to_set.items():
            there = found.get(key, "")
            ours = key in before and before[key].written and note_digest(there) == before[key].digest
            if there and not ours and not there.startswith(NOTE_PREFIX):  # the officer's own note: left alone
                kept[key] = NotedCell(note_digest(text), written=False)
                continue
            requests.append(note_request(sheets[key[0]]["properties"]["sheetId"], key[1], key[2], text))
            kept[key] = NotedCell(note_digest(text), written=True)
        for key in to_clear:
            if note_digest(found.get(key, "")) == before[key].digest:  # still as we wrote it: an edited one stays
                requests.append(note_request(sheets[key[0]]["properties"]["sheetId"], key[1], key[2], None))
        return requests, kept

    def _notes_at(self, cells: list[NoteKey]) -> dict[NoteKey, str]:
        """The notes on these cells now, in one spreadsheets.get of one range per tab and column."""
        spans: dict[tuple[str, int], tuple[int, int]] = {}
        for tab, row, col in cells:
            low, high = spans.get((tab, col), (row, row))
            spans[(tab, col)] = (min(low, row), max(high, row))
        ranges = [range_ref(tab, low, col, high - low + 1, 1) for (tab, col), (low, high) in spans.items()]
        self._notes_read = 1
        answer = self._call("read notes of", lambda: self._http.request(
            "get", SPREADSHEET_URL % self.spreadsheet_id, params={"ranges": ranges, "fields": NOTES_FIELDS}).json())
        found = {}
        for sheet in answer.get("sheets", []):
            title = sheet["properties"]["title"]
            for data in sheet.get("data", []):
                first_row, first_col = data.get("startRow", 0) + 1, data.get("startColumn", 0) + 1
                for i, row in enumerate(data.get("rowData", [])):
                    for j, cell in enumerate(row.get("values", [])):
                        if cell.get("note"):
                            found[(title, first_row + i, first_col + j)] = cell["note"]
        return found

    def _post(self, url: str, body: dict | bytes) -> dict:
        """POST a body as UTF-8 JSON (given as such, or a dict): a Thai character is 3 bytes on the wire, not the 6
        of `json=`'s \\uXXXX."""
        return self._http.request("post", url % self.spreadsheet_id,
                                  data=body if isinstance(body, bytes) else _utf8_json(body),
                                  headers={"Content-Type": "application/json; charset=UTF-8"}).json()

    def _structure_requests(self, writes, styles) -> tuple[list[dict], dict[str, int], list[str]]:
        sheets = self._sheets()
        used_ids = {s["properties"]["sheetId"] for s in sheets.values()}
        requests: list[dict] = []
        created: dict[str, int] = {}
        styled: list[str] = []
        rng = random.Random(self.spreadsheet_id)
        for style in styles:
            rows = max([w.row + len(w.values) - 1 for w in writes if w.tab == style.title] + [1])
            sheet = sheets.get(style.title)
            if sheet is None:
                sheet_id = _new_sheet_id(rng, used_ids)
                created[style.title] = sheet_id
                requests.append({"addSheet": {"properties": {"sheetId": sheet_id, "title": style.title,
                                 "gridProperties": {"rowCount": max(1000, rows + 100),
                                                    "columnCount": max(26, style.columns)}}}})
                requests += style_requests(sheet_id, style, STYLE_MARK + style.signature())
                requests.append(_owner_request(sheet_id, style))
            else:
                sheet_id = sheet["properties"]["sheetId"]
                if not _styled_as(sheet, style):
                    styled.append(style.title)
                    requests += unstyle_requests(sheet, STYLE_MARK)
                    requests += style_requests(sheet_id, style, STYLE_MARK + style.signature())
                if not _owner_mark(sheet):  # a tab an earlier version wrote without the mark, adopted
                    requests.append(_owner_request(sheet_id, style))
                    sheet.setdefault("developerMetadata", []).append(_owner_request(sheet_id, style)[
                        "createDeveloperMetadata"]["developerMetadata"])
        if requests:  # a tab grows before it is styled: a wider service tab's new columns must exist first
            requests = _grow_requests(sheets, writes) + requests
        return requests, created, styled

    def cell_link(self, tab: str, row: int, col: int) -> str:
        sheet = self._sheets().get(tab)
        gid = f"gid={sheet['properties']['sheetId']}&" if sheet else ""
        return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit#{gid}range={cell_ref(row, col)}"


@dataclass(frozen=True)
class ValuesRequest:
    """One values:batchUpdate: the writes it carries and its body as sent."""

    writes: list[RangeWrite]
    body: bytes


def payload_chunks(writes: Sequence[RangeWrite], limit: int) -> list[ValuesRequest]:
    """Group writes into values:batchUpdate requests of at most `limit` bytes as sent; a larger rectangle is cut
    between rows (a single row larger than the limit goes alone: it cannot be cut). Each row is encoded once: the
    bytes that measured it are those joined into its body (a first run sends 22 MB)."""
    sent: dict[int, bytes] = {}  # by id(row): the rows stay alive in `writes` while the bodies are made

    def row_bytes(row: list) -> int:
        sent[id(row)] = encoded = _utf8_json(row)
        return len(encoded) + 2

    room = limit - _sent_bytes({"valueInputOption": "RAW", "data": []})
    chunks: list[ValuesRequest] = []
    rest = [w for w in writes if w.values]
    while rest:
        first, rest = _fill(rest, room, row_bytes, _value_range_bytes)
        chunks.append(ValuesRequest(first, _values_body(first, sent)))
    return chunks


def _values_body(writes: list[RangeWrite], sent: dict[int, bytes]) -> bytes:
    """`{"valueInputOption": "RAW", "data": [{"range": …, "values": [rows]}, …]}` as json.dumps spells it, from the
    rows as already encoded."""
    ranges = (b'{"range": ' + _utf8_json(range_ref(w.tab, w.row, w.col, len(w.values), max(map(len, w.values))))
              + b', "values": [' + b", ".join(sent[id(row)] for row in w.values) + b"]}" for w in writes)
    return b'{"valueInputOption": "RAW", "data": [' + b", ".join(ranges) + b"]}"


def _fill(writes: Sequence[RangeWrite], room: int, row_bytes: Callable[[list], int],
          piece_bytes: Callable[[RangeWrite], int]) -> tuple[list[RangeWrite], list[RangeWrite]]:
    """The leading rows of `writes` that fit in `room` bytes as sent, and the writes left (cut between rows). A
    piece costs piece_bytes(write) besides its rows; the very first row is taken even when it alone is larger."""
    first: list[RangeWrite] = []
    for index, write in enumerate(writes):
        used, count = piece_bytes(write), 0
        for row in write.values:
            size = row_bytes(row)
            if used + size > room and (count or first):
                break
            used, count = used + size, count + 1
        if count:
            first.append(replace(write, values=write.values[:count]))
            room -= used
        if count < len(write.values):
            return first, [replace(write, row=write.row + count, values=write.values[count:]), *writes[index + 1:]]
    return first, []


def _as_text(write: RangeWrite) -> RangeWrite:
    """The write with each Link as its text (values:batchUpdate writes RAW: no formula)."""
    return RangeWrite(write.tab, write.row, write.col,
                      [[v.text if isinstance(v, Link) else v for v in row] for row in write.values])


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # made once: json.dumps(…, ensure_ascii=False) makes one a call


def _utf8_json(body: object) -> bytes:
    return _ENCODER.encode(body).encode("utf-8")


def _sent_bytes(body: object) -> int:
    """The length of `body` as sent (UTF-8 JSON), + the comma and space that join it to its neighbours."""
    return len(_utf8_json(body)) + 2


def _value_range_bytes(write: RangeWrite) -> int:
    """A value range without its rows; the range of the whole write is at least as long as any piece's."""
    width = max(map(len, write.values), default=1)
    return _sent_bytes({"range": range_ref(write.tab, write.row, write.col, len(write.values), width), "values": []})


def _new_sheet_id(rng: random.Random, used: set[int]) -> int:
    """We choose new tabs' ids ourselves, so their cells can be written in the same atomic request."""
    sheet_id = rng.randrange(1, 2**31 - 1)
    while sheet_id in used:
        sheet_id = rng.randrange(1, 2**31 - 1)
    used.add(sheet_id)
    return sheet_id


def _created_sheet(sheet_id: int, style: TabStyle) -> dict:
    return {"properties": {"sheetId": sheet_id, "title": style.title,
                           "gridProperties": {"frozenRowCount": style.frozen_rows}},
            "protectedRanges": [{"description": STYLE_MARK + style.signature()}],
            "developerMetadata": [_owner_request(sheet_id, style)["createDeveloperMetadata"]["developerMetadata"]]}


def _owner_request(sheet_id: int, style: TabStyle) -> dict:
    """The service's mark on a tab: found again by its id however an officer renames the tab."""
    return {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": OWNER_KEY, "metadataValue": style.owner_mark or style.title,
        "location": {"sheetId": sheet_id}, "visibility": "DOCUMENT"}}}


def _owner_mark(sheet: dict) -> str | None:
    return next((m.get("metadataValue") for m in sheet.get("developerMetadata", [])
                 if m.get("metadataKey") == OWNER_KEY), None)


def _styled_as(sheet: dict, style: TabStyle) -> bool:
    marks = [p.get("description", "") for p in sheet.get("protectedRanges", [])]
    frozen = sheet["properties"].get("gridProperties", {}).get("frozenRowCount", 0)
    return STYLE_MARK + style.signature() in marks and frozen == style.frozen_rows


def _grow_requests(sheets: dict[str, dict], writes: Sequence[RangeWrite]) -> list[dict]:
    """updateCells cannot write past the grid (values:batchUpdate can): append rows/columns first."""
    requests = []
    for title, sheet in sheets.items():
        grid = sheet["properties"].get("gridProperties", {})
        tab_writes = [w for w in writes if w.tab == title]
        need_rows = max([w.row + len(w.values) - 1 for w in tab_writes] + [0])
        need_cols = max([w.col + max(map(len, w.values)) - 1 for w in tab_writes] + [0])
        for dimension, need, have in (("ROWS", need_rows, grid.get("rowCount", 1000)),
                                      ("COLUMNS", need_cols, grid.get("columnCount", 26))):
            if need > have:
                requests.append({"appendDimension": {"sheetId": sheet["properties"]["sheetId"],
                                                     "dimension": dimension, "length": need - have}})
    return requests
