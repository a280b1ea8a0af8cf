"""`python -m app serve` in production shape: waitress, one JSON access-log line per request, ProxyFix on demand."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from app.adapters.xlsx import create_xlsx
from app.web import create_app
from app.wiring import bootstrap
from tests.assessment.test_sync_satisfaction import TABS
from tests.web.browser.webapp import TOKEN, sign_in, web_settings
from tests.web.processes import WebServer, write_config


@pytest.fixture
def server(tmp_path):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    running = WebServer(write_config(tmp_path, tmp_path / "assessment.xlsx"), tmp_path / "serve.log")
    yield running
    running.stop()


def test_serve_answers_with_waitress_and_logs_each_request_without_its_query(server):
    answer = urllib.request.urlopen(server.base + "/healthz")
    assert answer.headers["Server"] == "waitress" and "Werkzeug" not in str(answer.headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.base + f"/api/runs?limit=5&token={TOKEN}")
    assert refused.value.code == 401
    server.stop()  # SIGTERM, as systemctl stop sends it: a normal end
    assert server.popen.returncode == 0 and server.lines()[-1]["message"].startswith("web server stopped: ")
    access = [line for line in server.lines() if line["logger"] == "app.web.access"]
    assert [(a["http"]["method"], a["http"]["path"], a["http"]["status"]) for a in access[-2:]] == [
        ("GET", "/healthz", 200), ("GET", "/api/runs", 401)]
    assert access[-1]["message"].startswith("GET /api/runs 401 ") and access[-1]["message"].endswith(" ms -")
    assert all(TOKEN not in line["message"] and "limit" not in line["message"] for line in server.lines())


def test_the_access_log_names_the_signed_in_user(tmp_path, caplog):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    settings = web_settings(tmp_path)
    client = create_app(settings, bootstrap(settings)).test_client()
    sign_in(client, "op")
    caplog.set_level("INFO", logger="app.web.access")
    caplog.clear()
    client.get("/runs?job=assessment")
    (line,) = [r for r in caplog.records if r.name == "app.web.access"]
    assert (line.http["path"], line.http["status"], line.http["user"]) == ("/runs", 200, "op")


def test_proxy_hops_trusts_that_many_proxies_for_the_client_address_and_https(tmp_path, caplog):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    caplog.set_level("INFO", logger="app.web.access")
    for hops, address in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        settings = web_settings(tmp_path, proxy_hops=hops)
        create_app(settings, bootstrap(settings)).test_client().get("/healthz", headers=headers)
        assert caplog.records[-1].http["address"] == address


def test_a_stop_signal_that_lands_in_a_socket_event_stops_waitress():
    """waitress's event loop re-raises only KeyboardInterrupt and SystemExit from a socket event's handler and passes
    anything else to the channel's handle_error. SIGTERM landing while the loop handled a socket event (right after
    a request) was swallowed there: the server went on serving until it was killed (CI saw it, exit -9)."""
    from waitress import wasyncore

    from app.errors import Interrupted

    class Channel:
        def handle_read_event(self):
            raise Interrupted("SIGTERM", 15)

        def handle_error(self):
            raise AssertionError("the stop signal was passed to handle_error")

    with pytest.raises(Interrupted):
        wasyncore.read(Channel())
