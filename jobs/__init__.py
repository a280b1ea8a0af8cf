"""Scheduled runs: `python -m jobs` runs each configured workflow on its interval or cron, in its own process."""
