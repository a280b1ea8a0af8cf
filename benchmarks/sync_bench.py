"""Full `sync assessment` of generated workbooks against the fake Google server: requests and wall time.

N = respondents in `ความพึงพอใจ` and applicants in `ผู้สมัคร`. Each N runs twice: the first run writes the
service tabs and sends the reference invitations (to an outbox folder in a temporary directory), the second
(inputs unchanged) must send no value writes and no mail. Target: ≤ 3 Sheets requests per run.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from collections import Counter
from pathlib import Path

from pydantic import SecretStr

from app.config import GoogleSettings, MailSettings, Settings, WorkflowSettings
from app.demo_data import assessment_workbook
from app.wiring import bootstrap
from tests.fake_google import FakeGoogle
from tests.fake_google.seed import as_sheet_values

@dataclass(frozen=True)
class Measured:
    """One run: its wall time, the Sheets requests it sent per endpoint and the cells it wrote."""

    n: int
    label: str
    wall: float
    sheets: dict[str, int]
    cells_written: int
    mails_sent: int

    def line(self) -> str:
        """The benchmark's printed line."""
        return (f"N={self.n:>6} {self.label:<9} wall {self.wall:6.2f} s  sheets requests {sum(self.sheets.values())} "
                f"{self.sheets}  cells written {self.cells_written}  reference mails {self.mails_sent}")


def bench(fake: FakeGoogle, n: int, state_dir: Path) -> list[Measured]:
    """Two runs on one generated spreadsheet: the first, then one with unchanged inputs."""
    tabs = as_sheet_values(assessment_workbook(applicants=n, satisfaction_responses=n))
    sheet_id = fake.create_spreadsheet(f"bench {n}", tabs)
    settings = Settings(state_db=state_dir / f"state-{n}.sqlite", reference_secret=SecretStr("benchmark-secret"),
                        google=GoogleSettings(endpoint=fake.base_url, backoff_base=0),
                        mail=MailSettings(outbox_dir=state_dir / f"outbox-{n}"),
                        workflows={"assessment": WorkflowSettings(spreadsheet_id=sheet_id)})
    services = bootstrap(settings, key_source=fake.service_account_info())
    measured = []
    for label in ("first", "unchanged"):
        before = Counter(fake.request_counts)
        started = time.perf_counter()
        outcome = services.run("assessment", trigger="benchmark")
        wall = time.perf_counter() - started
        sent = Counter(fake.request_counts) - before
        sheets = {k.removeprefix("sheets.spreadsheets."): v for k, v in sorted(sent.items()) if k.startswith("sheets.")}
        measured.append(Measured(n, label, wall, sheets, outcome.counts["cells_written"],
                                 outcome.counts.get("mails_sent", 0)))
    return measured


def main() -> None:
    """Print the figures for each N."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    args = parser.parse_args()
    fake = FakeGoogle()
    fake.start()
    try:
        with tempfile.TemporaryDirectory() as state_dir:
            for n in args.sizes:
                for run in bench(fake, n, Path(state_dir)):
                    print(run.line(), flush=True)
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
