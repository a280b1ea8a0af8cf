"""The demo's config.toml: the demo workbooks as local jobs (two activities and their program) and two web accounts
with fresh passwords."""
from __future__ import annotations

import json
import secrets
from pathlib import Path

from werkzeug.security import generate_password_hash

from app.config import Settings, load_settings

DEMO_ACCOUNTS = (("demo", "operator"), ("viewer", "viewer"))
SCHEDULES = {"assessment": "interval_minutes = 60", "reporting": 'cron = "0 7 * * 1-5"',
             "reporting-2": 'cron = "0 7 * * 1-5"', "program": 'cron = "30 7 * * 1-5"'}  # for python -m jobs
KINDS = {"reporting-2": "reporting"}  # every other demo job is named after its kind
ACTIVITIES = {"program": ("reporting", "reporting-2")}  # the program's activities: the two reporting jobs


def write_demo_config(folder: Path, workbooks: dict[str, str], settings: Settings) -> tuple[Path, dict[str, str]]:
    """Write `folder/config.toml` (the run state, outbox and local secrets of `settings`: where init-demo signed
    the reference links) and return the path and the new passwords by account; only their hashes are kept."""
    passwords = {name: secrets.token_urlsafe(9) for name, _role in DEMO_ACCOUNTS}
    lines = ["# Written by `python -m app init-demo`: the demo workbooks as local jobs, two web accounts.",
             f"# This demo's state lives in {settings.state_db.parent}: run history, mail outbox, reference secret.",
             f"state_db = {json.dumps(str(settings.state_db.resolve()))}",
             f"timezone = {json.dumps(settings.timezone)}",
             "", "[mail]", f"outbox_dir = {json.dumps(str(settings.mail.outbox_dir.resolve()))}",
             "", "[web]", "secure_cookie = false  # the demo is served over plain http on this machine"]
    for name, role in DEMO_ACCOUNTS:
        lines += ["", f"[web.users.{name}]", f'role = "{role}"',
                  f"password_hash = {json.dumps(generate_password_hash(passwords[name]))}"]
    for job, file in workbooks.items():
        lines += ["", f"[jobs.{job}]", f"kind = {json.dumps(KINDS.get(job, job))}",
                  f"workbook = {json.dumps(str((folder / file).resolve()))}", SCHEDULES.get(job, "")]
        if job in ACTIVITIES:
            lines.append(f"activities = {json.dumps(list(ACTIVITIES[job]))}")
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_settings(path, environ={})  # what we wrote must load
    return path, passwords
