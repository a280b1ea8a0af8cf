"""Headless Debian Chromium driven by Playwright, and the real app served on a free 127.0.0.1 port.

Without Chromium (or the playwright package) these tests are skipped with the reason, except in CI
(CI=true), where a missing browser fails them: .ci/run installs it from Debian's packages.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found: apt-get install chromium fonts-thai-tlwg"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="session")
def browser_context_dir():
    """A fresh, empty Chromium profile for this test session."""
    folder = tempfile.mkdtemp(prefix="chromium-profile-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium(browser_context_dir):
    """One headless Chromium for the session (a persistent context on a fresh profile)."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            browser_context_dir, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, locale="th-TH",
            viewport={"width": 1280, "height": 900})
        yield context
        context.close()


@pytest.fixture
def page(chromium):
    """A new tab with no cookies left from an earlier test."""
    chromium.clear_cookies()
    tab = chromium.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


@pytest.fixture
def serve():
    """Serve a Flask app on 127.0.0.1 in a real server thread; returns its base URL."""
    servers = []

    def start(app) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def shoot():
    """Save a full-page screenshot under var/screenshots/ (looked at by people, not compared)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
