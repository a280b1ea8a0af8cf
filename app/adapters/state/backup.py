"""Back up and restore what the service keeps on its own disk: the run store (runs, the sent-mail ledger, form
answers, watermarks), the secrets it made locally (reference-link secret, web session key) and the mail outbox.

The run store is copied with SQLite's online backup API, so a backup taken while the scheduler or the web server
runs is still one consistent moment. Secrets stay readable by the service's user only (0600, folder 0700).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from app.adapters.state.db import migrate
from app.errors import ConfigError

STATE_FILE, OUTBOX_DIR, MANIFEST = "state.sqlite", "outbox", "backup.json"
SECRETS = ("reference-secret", "web-secret-key")  # made beside the run store when not set in the environment


def backup(state_db: Path, outbox: Path, target: Path) -> list[str]:
    """Copy the store, the local secrets and the outbox into the new or empty folder `target`; what was copied."""
    if target.exists() and any(target.iterdir()):
        raise ConfigError(f"{target} is not empty: back up into a new folder")
    if not state_db.exists():
        raise ConfigError(f"no run store at {state_db}: nothing to back up (check state_db in the config)")
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    _copy_database(state_db, target / STATE_FILE)
    done = [f"{STATE_FILE} ({(target / STATE_FILE).stat().st_size:,} bytes)"]
    secrets = [name for name in SECRETS if (state_db.parent / name).exists()]
    for name in secrets:
        _copy_private(state_db.parent / name, target / name)
    done += secrets
    mails = sorted(p for p in outbox.rglob("*") if p.is_file()) if outbox.is_dir() else []
    if mails:
        shutil.copytree(outbox, target / OUTBOX_DIR)
        done.append(f"{OUTBOX_DIR}/ ({len(mails)} files)")
    manifest = {"made": datetime.now(timezone.utc).isoformat(timespec="seconds"), "state": STATE_FILE,
                "secrets": secrets, "outbox": bool(mails)}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return done


def restore(source: Path, state_db: Path, outbox: Path, force: bool = False) -> list[str]:
    """Put a backup back: the store replaces the current one, the secrets come back (a different secret already
    in place is replaced only with `force`), the outbox's files are added; what was restored."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError(f"{source} is not a backup made by `python -m app backup` (no readable {MANIFEST})") from None
    for name in manifest["secrets"]:
        current = state_db.parent / name
        if current.exists() and current.read_bytes() != (source / name).read_bytes() and not force:
            raise ConfigError(f"{current} holds another secret than the backup: links or sessions made with it "
                              "would stop working; move it away or pass --force to replace it")
    state_db.parent.mkdir(parents=True, exist_ok=True)
    migrate(state_db)  # a store file of the right mode to copy into
    _copy_database(source / manifest["state"], state_db)
    migrate(state_db)  # a backup from an older version is brought up to date
    done = [f"{STATE_FILE} → {state_db}"]
    for name in manifest["secrets"]:
        _copy_private(source / name, state_db.parent / name)
        done.append(f"{name} → {state_db.parent / name}")
    if manifest["outbox"]:
        shutil.copytree(source / OUTBOX_DIR, outbox, dirs_exist_ok=True)
        done.append(f"{OUTBOX_DIR}/ → {outbox}")
    return done


def _copy_database(source: Path, target: Path) -> None:
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _copy_private(source: Path, target: Path) -> None:
    """Write through a temporary file, mode 0600, then rename over the target."""
    draft = target.with_name(f".{target.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(source.read_bytes())
    os.replace(draft, target)
