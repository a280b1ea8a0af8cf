"""Run a workflow the way a user does, on a local .xlsx or on Google over the fake server, and read back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import openpyxl

from app.adapters.xlsx import XlsxWorkbook, create_xlsx
from app.config import GoogleSettings, Settings, JobSettings
from app.wiring import Services, bootstrap

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


@dataclass
class Backend:
    """One workbook on one backend, with the services that sync it."""

    kind: str
    services: Services
    read: Callable[[str], list[list]]  # a tab's current values, trimmed
    path: Path | None = None  # the .xlsx (local backend)
    spreadsheet_id: str | None = None  # Google backend

    edit: Callable[[str, int, int, object], None] = None  # an officer typing into a cell (1-based)

    def run(self, workflow: str = "assessment", **kwargs):
        """Sync now on this backend's workbook."""
        return self.services.run(workflow, path=self.path, **kwargs)


def _edit_xlsx(path: Path, tab: str, row: int, col: int, value) -> None:
    book = openpyxl.load_workbook(path)
    book[tab].cell(row=row, column=col).value = value
    book.save(path)


def make_backend(kind: str, tabs: dict[str, list[list]], tmp_path: Path, fake=None, workflow="assessment",
                 **google) -> Backend:
    """The same officer tabs as a local workbook or as a Google spreadsheet on the fake server."""
    state = tmp_path / "state.sqlite"
    if kind == "xlsx":
        path = tmp_path / f"{workflow}.xlsx"
        create_xlsx(path, tabs)
        services = bootstrap(Settings(state_db=state), clock=lambda: NOW)
        return Backend(kind, services, lambda tab: XlsxWorkbook(path).read([tab])[tab], path=path,
                       edit=lambda *cell: _edit_xlsx(path, *cell))
    sheet_id = fake.create_spreadsheet("แบบประเมิน", tabs)
    settings = Settings(state_db=state, google=GoogleSettings(endpoint=fake.base_url, backoff_base=0, **google),
                        jobs={workflow: JobSettings(kind=workflow, spreadsheet_id=sheet_id)})
    services = bootstrap(settings, key_source=fake.service_account_info(), clock=lambda: NOW)
    return Backend(kind, services, lambda tab: fake.values(sheet_id, tab), spreadsheet_id=sheet_id,
                   edit=lambda *cell: fake.set_cell(sheet_id, *cell))
