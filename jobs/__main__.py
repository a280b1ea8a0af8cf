"""`python -m jobs [--config FILE]`: run the scheduler until stopped — the scheduled runs and the run-now queue
(SIGTERM or SIGINT: exit 0, one log line)."""
import argparse
import logging
import sys

from app.config import load_settings
from app.errors import Interrupted, ServiceError
from app.interrupts import stop_on_signals
from app.logging_setup import setup_logging
from app.wiring import bootstrap
from jobs.scheduler import build_scheduler, scheduled_jobs

parser = argparse.ArgumentParser(prog="python -m jobs", description=__doc__)
parser.add_argument("--config")
args = parser.parse_args()
setup_logging()
log = logging.getLogger("jobs")
try:
    services = bootstrap(load_settings(args.config))
    scheduler = build_scheduler(services)
except ServiceError as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(exc.exit_code)
abandoned = services.store.abandon_run_requests()
if abandoned:
    log.warning("%d run-now requests were left running by a scheduler that stopped: marked failed", abandoned)
try:
    with stop_on_signals(between_runs=scheduler.stop_after_run):
        scheduled = scheduled_jobs(scheduler)
        log.info("scheduler started: %s; run-now requests from the web page and the API run here",
                 ", ".join(scheduled) if scheduled else "no job has interval_minutes, cron or a reference form")
        scheduler.start()
except Interrupted as exc:  # the signal came between runs
    scheduler.stopped_by = exc
reason = scheduler.stopped_by or "shut down"
log.info("scheduler stopped: %s", reason)
sys.exit(0)
