"""FakeGoogle: the object tests use to run, seed and inspect the fake Google server."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from typing import Iterable

from tests.fake_google import cells, forms
from tests.fake_google.a1 import column_letters
from tests.fake_google.auth import Auth
from tests.fake_google.discovery import method_ids, methods
from tests.fake_google.server import TOKEN_METHOD, Dispatcher, Fault, HttpServer
from tests.fake_google.sheets import Sheet, new_spreadsheet, prune
from tests.fake_google.state import DEFAULT_EMAIL, Identity, State


def _emails(shared_with: Iterable[str] | str | None) -> set[str]:
    if shared_with is None:
        return {DEFAULT_EMAIL}
    return {shared_with} if isinstance(shared_with, str) else set(shared_with)


class FakeGoogle:
    """Sheets v4, Drive v3, Forms v1, Gmail v1 and the OAuth token endpoint on one local HTTP server."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._address = (host, port)
        self.state, self.auth = State(), Auth()
        self._dispatcher = Dispatcher(self.state, self.auth)
        self._server: HttpServer | None = None

    # --- running ---------------------------------------------------------------------------------------------
    def start(self) -> FakeGoogle:
        self._server = HttpServer(self._address, self._dispatcher)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="fake-google", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._dispatcher.cancel_delays()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeGoogle is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self) -> None:
        """Drop all data, counts, recorded requests, faults and internal errors (keys and tokens stay valid)."""
        with self.state.lock:
            self.state.clear()
            self._dispatcher.reset()

    # --- credentials -----------------------------------------------------------------------------------------
    def service_account_info(self, client_email: str = DEFAULT_EMAIL) -> dict:
        """A real service-account key dict (RSA made at runtime) whose token_uri is this server's /token."""
        with self.state.lock:
            return self.auth.key_info(client_email, f"{self.base_url}/token")

    def allow_token(self, token: str, client_email: str = DEFAULT_EMAIL, scopes: Iterable[str] | None = None,
                    subject: str | None = None) -> None:
        """Accept `Bearer <token>` without the OAuth dance (all scopes unless given): for raw HTTP tests."""
        granted = frozenset(scopes) if scopes is not None else frozenset(s for m in methods() for s in m.scopes)
        with self.state.lock:
            self.auth.allow(token, Identity(client_email, granted, subject))

    def share(self, resource_id: str, *emails: str) -> None:
        """Share a spreadsheet or form with more service accounts."""
        with self.state.lock:
            self.state.access.setdefault(resource_id, set()).update(emails)

    # --- Sheets ----------------------------------------------------------------------------------------------
    def create_spreadsheet(self, title: str, tabs: dict[str, list[list]],
                           shared_with: Iterable[str] | str | None = None) -> str:
        """A spreadsheet whose tabs hold these grids (row 1 first), values stored as typed (like RAW)."""
        sizes = [{"title": t, "gridProperties": {"rowCount": max(1000, len(rows)),
                                                  "columnCount": max([26] + [len(r) for r in rows])}}
                 for t, rows in tabs.items()]
        if len({t.casefold() for t in tabs}) != len(tabs):
            raise ValueError(f"tab titles must differ (ignoring case): {list(tabs)}")
        with self.state.lock:
            book = new_spreadsheet(self.state, title, _emails(shared_with), sizes or None)
            for sheet, rows in zip(book.sheets, tabs.values()):
                for r, row in enumerate(rows):
                    for c, value in enumerate(row):
                        sheet.put(r, c, cells.raw(value))
            return book.id

    def _sheet(self, spreadsheet_id: str, tab: str) -> Sheet:
        book = self.state.spreadsheets[spreadsheet_id]
        sheet = book.sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in {spreadsheet_id}: {[s.title for s in book.sheets]}")
        return sheet

    def values(self, spreadsheet_id: str, tab: str) -> list[list]:
        """Stored values (typed; formulas are cells.Formula), None for empty cells, trailing empties trimmed."""
        with self.state.lock:
            stored = self._sheet(spreadsheet_id, tab).values
            if not stored:
                return []
            widths: dict[int, int] = {}
            for r, c in stored:
                widths[r] = max(widths.get(r, 0), c + 1)
            return [[stored.get((r, c)) for c in range(widths.get(r, 0))] for r in range(max(widths) + 1)]

    def sheet_properties(self, spreadsheet_id: str, tab: str) -> dict:
        """SheetProperties as the API shows them, plus protectedRanges, conditionalFormats and per-cell
        userEnteredFormat under "formats" keyed by A1 ("B2")."""
        with self.state.lock:
            sheet = self._sheet(spreadsheet_id, tab)
            resource = sheet.resource()
            return {**prune(sheet.properties), "protectedRanges": resource.get("protectedRanges", []),
                    "conditionalFormats": resource.get("conditionalFormats", []),
                    "formats": {f"{column_letters(c)}{r + 1}": dict(f) for (r, c), f in sorted(sheet.formats.items())}}

    def column_widths(self, spreadsheet_id: str, tab: str) -> dict[int, int]:
        """Pixel widths set by updateDimensionProperties, by 1-based column."""
        with self.state.lock:
            return {col + 1: size for col, size in sorted(self._sheet(spreadsheet_id, tab).column_widths.items())}
    def developer_metadata(self, spreadsheet_id: str, tab: str) -> list[dict]:
        """The developer metadata located on a tab."""
        with self.state.lock:
            return [dict(m) for m in self._sheet(spreadsheet_id, tab).developer_metadata]

    def rename_tab(self, spreadsheet_id: str, tab: str, title: str) -> None:
        """An officer renaming a tab (its id and metadata stay)."""
        with self.state.lock:
            self._sheet(spreadsheet_id, tab).properties["title"] = title
            self.state.touch(spreadsheet_id)

    def set_cell(self, spreadsheet_id: str, tab: str, row: int, col: int, value, raw: bool = False) -> None:
        """An officer typing into a cell (1-based): parsed like USER_ENTERED unless raw=True; None/"" clears."""
        with self.state.lock:
            sheet = self._sheet(spreadsheet_id, tab)
            sheet.grow(row, col)
            stored, number_format = (cells.raw(value), None) if raw else cells.user_entered(value)
            sheet.put(row - 1, col - 1, stored, number_format)
            self.state.touch(spreadsheet_id)

    def delete_tab(self, spreadsheet_id: str, tab: str) -> None:
        """An officer deleting a tab in the UI."""
        with self.state.lock:
            book = self.state.spreadsheets[spreadsheet_id]
            book.sheets.remove(self._sheet(spreadsheet_id, tab))
            book.reindex()
            self.state.touch(spreadsheet_id)

    def clear_rows(self, spreadsheet_id: str, tab: str, from_row: int = 2) -> None:
        """An officer selecting rows `from_row`… (1-based) and pressing Delete."""
        with self.state.lock:
            sheet = self._sheet(spreadsheet_id, tab)
            sheet.values = {(r, c): v for (r, c), v in sheet.values.items() if r < from_row - 1}
            self.state.touch(spreadsheet_id)

    # --- Forms and Gmail -------------------------------------------------------------------------------------
    def create_form(self, title: str, questions: list[dict], shared_with: Iterable[str] | str | None = None,
                    viewers: Iterable[str] = ()) -> str:
        """A form; questions like {"title", "kind": "text"|"scale"|"choice"|"date"} or a grid with rows/columns.
        `viewers`: accounts it is shared with as Viewer (they read it; forms.batchUpdate answers them 403)."""
        with self.state.lock:
            form_id = self.state.new_id("form")
            self.state.forms[form_id] = forms.build(self.state, form_id, title, questions)
            self.state.forms[form_id].viewers = set(viewers)
            self.state.access[form_id] = _emails(shared_with) | set(viewers)
            return form_id

    def add_form_response(self, form_id: str, answers: dict[str, str | list[str]], submitted: datetime,
                          respondent_email: str | None = None) -> str:
        with self.state.lock:
            return forms.add_response(self.state, self.state.forms[form_id], answers, submitted, respondent_email)

    def retitle_question(self, form_id: str, title: str, new_title: str) -> None:
        """An officer renaming a question in the Forms editor (its answers stay with it)."""
        with self.state.lock:
            forms.retitle(self.state.forms[form_id], title, new_title)

    @property
    def sent_messages(self) -> list[dict]:
        """Gmail sends: {"id", "userId", "subject" (the delegated user, JWT sub), "raw" bytes, "message"}."""
        with self.state.lock:
            return list(self.state.sent_messages)

    # --- inspection and faults -------------------------------------------------------------------------------
    @property
    def request_counts(self) -> Counter:
        with self.state.lock:
            return Counter(self._dispatcher.request_counts)

    @property
    def requests(self) -> list[tuple]:
        """(method_id, http_method, decoded path, query dict, JSON body or None) for every request."""
        with self.state.lock:
            return list(self._dispatcher.requests)

    @property
    def internal_errors(self) -> list[str]:
        """Fake bugs (a handler crashed or answered outside the discovery schema); tests assert it stays empty."""
        with self.state.lock:
            return list(self._dispatcher.internal_errors)

    def inject_fault(self, method_id: str, status: int | None = 429, times: int = 1,
                     delay: float | None = None) -> None:
        """The next `times` calls of the method sleep `delay` seconds, then answer `status` (None: normally)."""
        if method_id not in method_ids() | {TOKEN_METHOD}:
            raise ValueError(f"unknown method id {method_id!r}")
        if status is None and not delay:
            raise ValueError("a fault needs a status or a delay")
        with self.state.lock:
            self._dispatcher.faults[method_id].extend(Fault(status, delay) for _ in range(times))
