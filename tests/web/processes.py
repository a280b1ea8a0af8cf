"""Real processes for production-shape tests: `python -m app serve` (waitress) and `python -m jobs` on one store."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from werkzeug.security import generate_password_hash

from tests.web.browser.webapp import PASSWORDS, ROLES, TOKEN

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "k" * 32


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(folder: Path, workbook: Path, extra: str = "") -> Path:
    """A config with the `assessment` job on a local workbook, users `op` and `view`, the store under folder."""
    lines = [f"state_db = {json.dumps(str(folder / 'var' / 'state.sqlite'))}", "", "[mail]",
             f"outbox_dir = {json.dumps(str(folder / 'var' / 'outbox'))}", "", "[web]", "secure_cookie = false",
             extra]
    for name, password in PASSWORDS.items():
        lines += [f"[web.users.{name}]", f'role = "{ROLES[name]}"',
                  f"password_hash = {json.dumps(generate_password_hash(password, method='pbkdf2:sha256:1000'))}"]
    lines += ["[jobs.assessment]", 'kind = "assessment"', f"workbook = {json.dumps(str(workbook))}"]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SERVICE_CONFIG", "REFERENCE_TOKEN_SECRET")}
    return env | {"SERVICE_API_TOKEN": TOKEN, "SERVICE_SECRET_KEY": SECRET_KEY, "PYTHONUNBUFFERED": "1"}


class Process:
    """A child process of this test with its stderr kept in a file; stopped (SIGTERM, then kill) at the end."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.popen = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=environment(),
                                      stdout=self._log_file, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log_file.close()

    def lines(self) -> list[dict]:
        """The JSON log lines written so far."""
        found = []
        for raw in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                found.append(json.loads(raw))
            except ValueError:
                continue
        return found


class WebServer(Process):
    """`python -m app --config C serve --port P`, ready once /healthz answers."""

    def __init__(self, config: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        super().__init__(["-m", "app", "--config", str(config), "serve", "--port", str(self.port)], log)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).close()
                return
            except (urllib.error.URLError, ConnectionError):
                if self.popen.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"serve did not start: {self.log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
