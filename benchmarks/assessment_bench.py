"""Workflow A at scale against the fake Google server: 5,000 applicants × 3 references (≈15,000 answers).

Three runs: the first (creates the service tabs), an unchanged one, and one a day later (every day count moves).
Prints, per run, the requests per endpoint, wall and CPU time, cells written and mail sent, and separately the CPU
time of the pure computation (`AssessmentWorkflow.run`: typing, rules, tabs) and of its rules alone on the same
grids. Targets: the computation under 2 s, at most 3 Sheets requests per run, nothing written by an unchanged run.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr

from app.config import GoogleSettings, MailSettings, Settings, JobSettings
from app.demo_data import assessment_workbook
from app.assessment.reference_links import reference_token
from app.sheets.tables import read_settings
from app.assessment.workflow import READ
from app.assessment.evaluation import evaluate, match
from app.assessment.inputs import read_inputs
from app.sync.workflow import RunContext
from app.wiring import bootstrap
from benchmarks.measure import measure_run
from tests.fake_google import FakeGoogle
from tests.fake_google.seed import as_sheet_values

SECRET = "benchmark-secret"


def bench(fake: FakeGoogle, applicants: int, folder: Path) -> list[str]:
    """Two runs on one generated spreadsheet and the pure computation timed alone; one line each."""
    book = assessment_workbook(applicants=applicants, references=3, answer_share=1.0,
                               token_for=lambda n, e: reference_token(SECRET.encode(), n, e))
    sheet_id = fake.create_spreadsheet(f"bench {applicants}", as_sheet_values(book))
    settings = Settings(state_db=folder / "state.sqlite", reference_secret=SecretStr(SECRET),
                        google=GoogleSettings(endpoint=fake.base_url, backoff_base=0),
                        mail=MailSettings(outbox_dir=folder / "outbox"),
                        jobs={"assessment": JobSettings(kind="assessment", spreadsheet_id=sheet_id)})
    services = bootstrap(settings, key_source=fake.service_account_info())
    answers = len(book["แบบประเมินบุคคลอ้างอิง"]) - 1
    lines = [f"{applicants} applicants, {answers} reference answers"]
    start = services.now()
    for label, later in (("first", timedelta(0)), ("unchanged", timedelta(0)), ("next day", timedelta(days=1))):
        services.clock = lambda: start + later
        lines.append(f"{label:<9} {measure_run(fake, services, 'assessment').describe()}")
    lines.append(_computation(services))
    return lines


def _computation(services) -> str:
    """CPU time of the pure run alone on the spreadsheet as it stands, and of its rules without the typing."""
    workflow = services.workflow("assessment")
    workbook, _ = services.workbook("assessment")
    titles = workbook.tab_titles()
    grids = workbook.read(workflow.tabs_to_read(titles) + [t for t in titles if t in workflow.service_titles()])
    ctx = services.support("assessment", workflow, None, False).context(RunContext(now=services.now()), grids, True)
    started = time.process_time()
    result = workflow.run(grids, ctx)
    whole = time.process_time() - started
    found = {workflow.spec.find_tab(t).key: t for t in grids if workflow.spec.find_tab(t) is not None}
    inputs = read_inputs(workflow.spec, {k: (found[k], grids[found[k]]) for k in READ[1:-1] if k in found},
                         ctx.now.date())
    settings = read_settings(grids[found["settings"]], workflow.spec).values
    started = time.process_time()
    evaluate(inputs, settings, ctx, None, match(inputs, settings, ctx))
    rules = time.process_time() - started
    return (f"computation alone: CPU {whole:5.2f} s for {result.rows_read} rows (typing the cells, the rules, "
            f"the tabs); the rules alone (qualification, references, scoring, stages, mail plan) {rules:5.2f} s")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applicants", type=int, default=5_000)
    args = parser.parse_args()
    fake = FakeGoogle().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            for line in bench(fake, args.applicants, Path(folder)):
                print(line, flush=True)
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
