"""`python -m tests.fake_google --seed-demo`: a separate process that a manual `python -m app sync` can use."""
from __future__ import annotations

import os
import socket
import subprocess
import sys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_standalone_fake_serves_a_manual_sync(tmp_path):
    key, config = tmp_path / "key.json", tmp_path / "config.toml"
    server = subprocess.Popen([sys.executable, "-m", "tests.fake_google", "--port", str(free_port()),
                               "--write-credentials", str(key), "--seed-demo", str(config)],
                              stdout=subprocess.PIPE, text=True)
    try:
        lines = [server.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("http://127.0.0.1:") and "demo spreadsheet" in lines[2]
        env = dict(os.environ, REFERENCE_TOKEN_SECRET="test-secret-for-reference-links")
        done = subprocess.run([sys.executable, "-m", "app", "--config", str(config), "sync"],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
        assert "assessment: run 1 ok" in done.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
