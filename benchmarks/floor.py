"""The floors a run is measured against, and the naive gspread peer, each timed in this process.

Product CPU is the CPU of the thread that runs the service (`time.thread_time`): the fake Google server answers from
its own threads, so its work is not counted. The floors are the least work the same run cannot avoid:
- Google: decode the one values:batchGet answer (`json.loads` of the bytes the run receives), build one frame per
  tab, and compare each service tab with an equal grid in numpy;
- .xlsx: python-calamine reading every cell of the file.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import gspread
import numpy as np
import pandas as pd
from gspread.urls import SPREADSHEET_VALUES_BATCH_URL
from python_calamine import CalamineWorkbook

from app.adapters.google.auth import SHEETS_SCOPES, credentials
from app.adapters.google.sheets import EndpointHTTPClient, sheets_http_client
from app.config import GoogleSettings
from app.sheets.a1 import quote_tab
from app.sync.problem_tab import PROBLEMS_TITLE, problems_tab
from app.sync.workflow import RunContext, Workflow
from benchmarks.measure import settled

# rows per update() of the peer: a whole 10,000-applicant summary tab is over Google's 10 MB body limit (400)
PEER_ROWS = 1_000
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
               "majorDimension": "ROWS"}


def run_titles(workflow: Workflow, titles: list[str]) -> tuple[list[str], list[str]]:
    """The officer tabs a run reads and the service tabs it reads back, as the sync engine picks them."""
    service = set(workflow.service_titles()) | {PROBLEMS_TITLE}
    return workflow.tabs_to_read(titles), [t for t in titles if t in service]


def google_floor(fake, sheet_id: str, inputs: list[str], outputs: list[str]) -> float:
    """CPU seconds to decode the run's batchGet answer, frame every tab and compare the service tabs in numpy."""
    http = sheets_http_client(fake.service_account_info(), GoogleSettings(endpoint=fake.base_url))
    ranges = [quote_tab(t) for t in inputs + outputs]
    raw = http.request("get", SPREADSHEET_VALUES_BATCH_URL % sheet_id,
                       params={**READ_PARAMS, "ranges": ranges}).content  # fetched outside the clock
    with settled():
        started = time.thread_time()
        answer = json.loads(raw)
        frames = [pd.DataFrame(vr.get("values", [])) for vr in answer["valueRanges"]]
        for frame in frames[len(inputs):]:
            grid = frame.to_numpy()
            bool(np.all(grid == grid.copy()))
        return time.thread_time() - started


def xlsx_floor(path: Path) -> float:
    """CPU seconds for python-calamine to read every cell of every tab."""
    with settled():
        started = time.thread_time()
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        book.close()
        return time.thread_time() - started


@dataclass(frozen=True)
class PeerFigures:
    """What the naive gspread peer cost: Sheets requests and CPU of its thread."""

    requests: int
    cpu: float


def naive_peer(fake, sheet_id: str, workflow: Workflow, ctx: RunContext) -> PeerFigures:
    """The usual gspread script on the same workbook: open it, get_values() of every tab, the same computation,
    then update() each service tab in blocks of PEER_ROWS rows. It has no sent-mail log and no form API (it only
    computes)."""
    settings = GoogleSettings(endpoint=fake.base_url)
    before = Counter(fake.request_counts)
    with settled():
        started = time.thread_time()
        client = gspread.Client(credentials(fake.service_account_info(), SHEETS_SCOPES, settings),
                                http_client=lambda auth, _session: EndpointHTTPClient(auth, fake.base_url))
        book = client.open_by_key(sheet_id)
        sheets = {ws.title: ws for ws in book.worksheets()}
        grids = {title: [[None if v == "" else v for v in row] for row in ws.get_values(
            value_render_option="UNFORMATTED_VALUE", date_time_render_option="SERIAL_NUMBER", pad_values=False)]
            for title, ws in sheets.items()}
        result = workflow.run(grids, ctx)
        for tab in result.tabs + [problems_tab(result.problems, grids.get(PROBLEMS_TITLE), ctx.now)]:
            values = [["" if v is None else v for v in row] for row in tab.grid()]
            ws = sheets.get(tab.title) or book.add_worksheet(tab.title, rows=len(values) + 10, cols=len(values[0]))
            for start in range(0, len(values), PEER_ROWS):
                ws.update(values[start:start + PEER_ROWS], f"A{start + 1}", raw=True)
        cpu = time.thread_time() - started
    sent = Counter(fake.request_counts) - before
    return PeerFigures(sum(v for k, v in sent.items() if k.startswith("sheets.") or k.startswith("drive.")), cpu)


def copy_spreadsheet(fake, sheet_id: str, titles: list[str]) -> str:
    """The same workbook under another id, for the peer to write into."""
    return fake.create_spreadsheet("peer copy", {t: fake.values(sheet_id, t) for t in titles})
