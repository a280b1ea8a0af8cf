"""What each CLI command does, on top of the wiring; prints for people, returns the exit code."""
from __future__ import annotations

import sys
from pathlib import Path

from app.adapters.run_state import LockBusy
from app.config import ConfigError, Settings
from app.domain.a1 import range_ref
from app.services.sync import SyncOutcome
from app.wiring import bootstrap

DEMO_FILES = {"assessment": "assessment.xlsx", "reporting": "reporting.xlsx"}
DRY_RUN_LINES = 200


def init_demo(folder: Path) -> int:
    """Write the demo workbooks A and B with realistic Thai data and a few deliberately bad rows."""
    from app.adapters.xlsx_workbook import create_xlsx
    from app.demo_data import assessment_workbook, reporting_workbook

    folder.mkdir(parents=True, exist_ok=True)
    for name, tabs in (("assessment", assessment_workbook()), ("reporting", reporting_workbook())):
        create_xlsx(folder / DEMO_FILES[name], tabs)
        print(f"สร้าง {folder / DEMO_FILES[name]} ({len(tabs)} แท็บ)")
    return 0


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"… {message}", file=sys.stderr, flush=True)


def sync(settings: Settings, workflow: str | None, path: Path | None, dry_run: bool) -> int:
    """Run the named workflow (or the one the workbook is recognised as, or every configured one)."""
    services = bootstrap(settings)
    if path is not None:
        names = [workflow or services.recognise(path)]
    else:
        names = [workflow] if workflow else list(settings.workflows)
    if not names:
        raise ConfigError("no workflow configured: add [workflows.assessment] to the config or pass --workbook")
    for name in names:
        try:
            outcome = services.run(name, path=path, dry_run=dry_run, progress=_progress)
        except LockBusy as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        _report(name, outcome, dry_run)
    return 0


def _report(name: str, outcome: SyncOutcome, dry_run: bool) -> None:
    counts = outcome.counts
    if dry_run:
        print(f"{name}: dry run — {counts['cells_changed']} cells would change, nothing written")
        for line, w in enumerate(outcome.writes):
            if line == DRY_RUN_LINES:
                print(f"  … and {len(outcome.writes) - DRY_RUN_LINES} more ranges")
                break
            ref = range_ref(w.tab, w.row, w.col, len(w.values), max(map(len, w.values)))
            print(f"  {ref}: {w.values if len(w.values) > 1 else w.values[0]}")
        return
    print(f"{name}: run {outcome.run_id} {outcome.status} — rows read {counts['rows_read']}, "
          f"problems {counts['problems']} (tab ข้อผิดพลาดข้อมูล), cells written {counts['cells_written']}")


def check(settings: Settings) -> int:
    """Print a ✓/✗ table of what the service needs; exit 2 if anything is missing."""
    from app.services.check import run_checks

    results = run_checks(bootstrap(settings))
    for ok, what, fix in results:
        print(f"{'✓' if ok else '✗'} {what}" + ("" if ok else f"\n    → {fix}"))
    return 0 if all(ok for ok, _, _ in results) else 2


def serve(settings: Settings, host: str, port: int) -> int:
    """Run the web page and API (development server; put a WSGI server in front in production)."""
    from app.web import create_app

    create_app(settings).run(host=host, port=port, threaded=True)
    return 0
