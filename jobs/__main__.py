"""`python -m jobs [--config FILE]`: run the scheduler until stopped."""
import argparse
import logging
import sys

from app.config import load_settings
from app.errors import ConfigError
from app.logging_setup import setup_logging
from app.wiring import bootstrap
from jobs.scheduler import build_scheduler

parser = argparse.ArgumentParser(prog="python -m jobs", description=__doc__)
parser.add_argument("--config")
args = parser.parse_args()
setup_logging()
try:
    scheduler = build_scheduler(bootstrap(load_settings(args.config)))
except ConfigError as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)
if not scheduler.get_jobs():
    print("error: no workflow has interval_minutes or cron in the config", file=sys.stderr)
    sys.exit(2)
logging.getLogger(__name__).info("scheduler started: %s", ", ".join(j.id for j in scheduler.get_jobs()))
scheduler.start()
