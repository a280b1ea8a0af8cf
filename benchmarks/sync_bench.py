"""Full `sync assessment` of generated workbooks against the fake Google server: requests, time, and the growth
curve from 100 to 30,000 applicants.

N = respondents in `ความพึงพอใจ` and applicants in `ผู้สมัคร`. Each N runs twice: the first run writes the
service tabs and sends the reference invitations (to an outbox folder in a temporary directory), the second
(inputs unchanged, computed all the same as `sync --recompute` computes: the curve is the computing path's) must send
no value writes and no mail. Target: ≤ 3 Sheets requests per run (+ 1 on a run whose
problems moved: the read of the officers' notes on those cells, see cell notes in README.md); the unchanged
run's client CPU per 1,000 applicants stays flat as N grows (linear growth, no quadratic step).
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from pydantic import SecretStr

from app.config import GoogleSettings, MailSettings, Settings, JobSettings
from app.demo_data import assessment_workbook
from app.wiring import bootstrap
from benchmarks.measure import RunFigures, measure_run
from tests.fake_google import FakeGoogle
from tests.fake_google.seed import as_sheet_values

def bench(fake: FakeGoogle, n: int, state_dir: Path) -> list[RunFigures]:
    """Two runs on one generated spreadsheet: the first, then one with unchanged inputs."""
    tabs = as_sheet_values(assessment_workbook(applicants=n, satisfaction_responses=n))
    sheet_id = fake.create_spreadsheet(f"bench {n}", tabs)
    settings = Settings(state_db=state_dir / f"state-{n}.sqlite", reference_secret=SecretStr("benchmark-secret"),
                        google=GoogleSettings(endpoint=fake.base_url, backoff_base=0, read_timeout=900),  # the fake is slow
                        mail=MailSettings(outbox_dir=state_dir / f"outbox-{n}"),
                        jobs={"assessment": JobSettings(kind="assessment", spreadsheet_id=sheet_id)})
    services = bootstrap(settings, key_source=fake.service_account_info())
    return [measure_run(fake, services, "assessment") for _run in ("first", "unchanged")]


def main() -> None:
    """Print the figures for each N."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 3_000, 10_000, 30_000])
    args = parser.parse_args()
    fake = FakeGoogle()
    fake.start()
    try:
        with tempfile.TemporaryDirectory() as state_dir:
            curve = []
            for n in args.sizes:
                runs = bench(fake, n, Path(state_dir))
                for label, run in zip(("first", "unchanged"), runs):
                    print(f"N={n:>6} {label:<9} {run.describe()}", flush=True)
                curve.append((n, runs[0].client_cpu, runs[1].client_cpu))
            print("growth (client CPU per 1,000 applicants, first / unchanged): " + ", ".join(
                f"N={n:,}: {first / n * 1000:.2f} / {unchanged / n * 1000:.2f} s" for n, first, unchanged in curve))
            # the first run's fixed part (a day's 1,500 mails) hides the slope at small N: the step between two sizes
            # shows it, and a quadratic step would make it grow with N
            print("slope (client CPU per 1,000 applicants added, first / unchanged): " + ", ".join(
                f"{a[0]:,}→{b[0]:,}: {(b[1] - a[1]) / (b[0] - a[0]) * 1000:.2f} / "
                f"{(b[2] - a[2]) / (b[0] - a[0]) * 1000:.2f} s" for a, b in zip(curve, curve[1:])))
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
