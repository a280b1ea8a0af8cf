"""Two waitress processes and one scheduler process on one state store, as deploy/README.md runs them: the
sign-in throttle, sessions, the run-now queue and the workbook lock hold across processes."""
from __future__ import annotations

import re
import threading
import time

import pytest
import requests

from app.adapters.state.run_store import RunStore
from app.adapters.xlsx import create_xlsx
from tests.assessment.test_sync_satisfaction import TABS
from tests.web.browser.webapp import PASSWORDS, TOKEN
from tests.web.processes import Process, WebServer, write_config

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("multi")
    create_xlsx(folder / "assessment.xlsx", TABS)
    config = write_config(folder, folder / "assessment.xlsx")
    started = []
    try:
        started.append(WebServer(config, folder / "web-a.log"))
        started.append(WebServer(config, folder / "web-b.log"))
        scheduler = Process(["-m", "jobs", "--config", str(config)], folder / "jobs.log")
        started.append(scheduler)
        deadline = time.monotonic() + 30
        while requests.get(started[0].base + "/readyz").status_code != 200:  # the scheduler's first heartbeat
            assert time.monotonic() < deadline and scheduler.popen.poll() is None, scheduler.log.read_text()
            time.sleep(0.2)
        yield started[0], started[1], scheduler, RunStore(folder / "var" / "state.sqlite")
    finally:
        for process in started:
            process.stop()


def csrf(session: requests.Session, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', session.get(url).text).group(1)


def sign_in(session: requests.Session, base: str, user: str, password: str) -> requests.Response:
    return session.post(base + "/signin", data={"csrf_token": csrf(session, base + "/signin"), "username": user,
                                                "password": password, "next": ""}, allow_redirects=False)


def test_thirty_concurrent_wrong_passwords_over_two_processes_get_five_tries(site):
    a, b, _scheduler, _store = site
    attempts = []
    for n in range(30):
        session, base = requests.Session(), (a, b)[n % 2].base
        attempts.append((session, base, csrf(session, base + "/signin")))
    start, codes = threading.Barrier(30), []

    def attempt(session, base, token):
        start.wait()
        codes.append(session.post(base + "/signin", allow_redirects=False, data={
            "csrf_token": token, "username": "op", "password": "wrong", "next": ""}).status_code)

    threads = [threading.Thread(target=attempt, args=a_) for a_ in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(codes) == 30 and codes.count(401) == 5 and codes.count(429) == 25
    for server in (a, b):  # the right password is refused too, on both processes
        assert sign_in(requests.Session(), server.base, "op", PASSWORDS["op"]).status_code == 429


def test_a_session_opened_on_one_process_works_and_ends_on_the_other(site):
    a, b, _scheduler, _store = site
    browser = requests.Session()
    assert sign_in(browser, a.base, "view", PASSWORDS["view"]).status_code == 302
    kept = dict(browser.cookies)
    assert browser.get(b.base + "/", allow_redirects=False).status_code == 200
    assert browser.post(b.base + "/signout", data={"csrf_token": csrf(browser, b.base + "/")},
                        allow_redirects=False).status_code == 302
    replay = requests.Session()
    replay.cookies.update(kept)
    assert replay.get(a.base + "/", allow_redirects=False).status_code == 302


def test_run_now_from_both_processes_runs_in_the_scheduler_one_at_a_time(site):
    a, b, scheduler, store = site
    answers = []

    def run_now(server):
        answers.append(requests.post(server.base + "/api/jobs/assessment/run?wait=1", headers=AUTH, timeout=120))

    threads = [threading.Thread(target=run_now, args=(server,)) for server in (a, b, a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in answers] == [200, 200, 200]
    bodies = [r.json() for r in answers]
    assert {body["status"] for body in bodies} == {"ok"}
    workers = {body["request"]["worker"] for body in bodies}
    assert workers == {f"pid {scheduler.popen.pid} on {__import__('socket').gethostname()}"}
    runs = sorted(store.runs(job="assessment", limit=10), key=lambda r: r.id)
    assert {body["run_id"] for body in bodies} <= {r.id for r in runs}
    for earlier, later in zip(runs, runs[1:]):  # never two runs of one workbook at once
        assert earlier.finished <= later.started


def test_the_workbook_lock_holds_between_this_process_and_the_scheduler(site):
    a, _b, _scheduler, store = site
    with store.lock(f"xlsx:{(store.path.parent.parent / 'assessment.xlsx').resolve()}", owner="a test"):
        answer = requests.post(a.base + "/api/jobs/assessment/run?wait=1", headers=AUTH, timeout=120)
    assert answer.status_code == 409 and "busy" in answer.json()["error"]
