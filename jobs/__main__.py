"""`python -m jobs [--config FILE]`: run the scheduler until stopped (SIGTERM or SIGINT: exit 0, one log line)."""
import argparse
import logging
import sys

from app.config import load_settings
from app.errors import Interrupted, ServiceError
from app.interrupts import stop_on_signals
from app.logging_setup import setup_logging
from app.wiring import bootstrap
from jobs.scheduler import build_scheduler

parser = argparse.ArgumentParser(prog="python -m jobs", description=__doc__)
parser.add_argument("--config")
args = parser.parse_args()
setup_logging()
log = logging.getLogger("jobs")
try:
    scheduler = build_scheduler(bootstrap(load_settings(args.config)))
except ServiceError as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(exc.exit_code)
if not scheduler.get_jobs():
    print("error: no workflow has interval_minutes or cron in the config", file=sys.stderr)
    sys.exit(2)
try:
    with stop_on_signals():
        log.info("scheduler started: %s", ", ".join(j.id for j in scheduler.get_jobs()))
        scheduler.start()
except Interrupted as exc:  # the signal came between runs
    scheduler.stopped_by = exc
reason = scheduler.stopped_by or "shut down"
log.info("scheduler stopped: %s", reason)
sys.exit(0)
