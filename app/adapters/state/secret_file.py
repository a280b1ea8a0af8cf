"""A random per-installation secret in a file beside the run-state store (local and demo runs only)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from app.errors import ConfigError


def installation_secret(path: Path) -> bytes:
    """The secret kept in `path`, created once (32 random bytes, hex, mode 0600) when it does not exist yet."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32) + "\n")
    try:
        os.link(draft, path)  # atomic and never overwrites: a process starting at the same time wins or loses whole
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _read(path)


def _read(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise ConfigError(f"{path} does not hold a hex secret: delete it to have a new one made "
                          "(links already sent stop verifying) or set REFERENCE_TOKEN_SECRET") from None
