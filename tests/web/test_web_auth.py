"""Sign-in and safety over the real app: redirects and 401s, roles, CSRF, cookie flags, throttle, no secret shown."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.security import generate_password_hash

from app.adapters.state.run_store import RunStore
from app.adapters.xlsx import create_xlsx
from app.config import WebSettings, WebUser
from app.web import create_app
from app.web.throttle import SignInThrottle
from app.wiring import bootstrap
from tests.web.browser.webapp import PASSWORDS, TOKEN, csrf_of, scheduler_running, seed_runs, sign_in, web_settings
from tests.assessment.test_sync_satisfaction import TABS

PAGES = ["/", "/runs", "/runs/1", "/assessment", "/reporting"]


@pytest.fixture
def app(tmp_path):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    settings = web_settings(tmp_path)
    app = create_app(settings, bootstrap(settings))
    seed_runs(app.config["SERVICES"].store)
    with scheduler_running(app.config["SERVICES"]):  # run-now is run by the scheduler
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_sign_in_redirects_to_the_sign_in_page(client, path):
    answer = client.get(path)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/signin?next=")


def test_the_api_without_its_token_is_401_even_when_signed_in(client):
    sign_in(client, "op")
    assert client.get("/api/runs").status_code == 401
    assert client.get("/api/runs", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_sign_in_lands_on_the_page_asked_for_and_only_on_this_site(client):
    assert sign_in(client, "op", next_path="/reporting?x=1").headers["Location"] == "/reporting?x=1"
    for outside in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        assert sign_in(client, "op", next_path=outside).headers["Location"] == "/"


def test_wrong_password_and_unknown_user_look_the_same(client):
    wrong, unknown = sign_in(client, "op", "nope"), sign_in(client, "nobody", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_session_cookie_flags(tmp_path, client):
    cookie = sign_in(client, "op").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    settings = web_settings(tmp_path, secure_cookie=True)
    secure = create_app(settings, bootstrap(settings)).test_client()
    assert "Secure" in sign_in(secure, "op").headers["Set-Cookie"]


def test_secure_cookie_is_the_default():
    assert WebSettings().secure_cookie is True


def test_a_form_without_the_csrf_token_is_refused(client):
    sign_in(client, "op")
    assert client.post("/jobs/assessment/run").status_code == 400
    assert client.post("/jobs/assessment/run", data={"csrf_token": "forged"}).status_code == 400
    assert client.post("/signin", data={"username": "op", "password": PASSWORDS["op"]}).status_code == 400


def test_a_viewer_sees_pages_but_gets_403_on_run_now(client):
    sign_in(client, "view")
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    token = csrf_of(client.get("/").get_data(as_text=True))
    assert "ซิงก์ตอนนี้" not in client.get("/").get_data(as_text=True)
    answer = client.post("/jobs/assessment/run", data={"csrf_token": token})
    assert answer.status_code == 403 and "operator" in answer.get_data(as_text=True)


def test_an_operator_starts_a_run_and_is_shown_it(client):
    sign_in(client, "op")
    token = csrf_of(client.get("/").get_data(as_text=True))
    answer = client.post("/jobs/assessment/run", data={"csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/runs/")
    store, run_id = client.application.config["SERVICES"].store, int(answer.headers["Location"].rsplit("/", 1)[1])
    deadline = time.monotonic() + 30
    while store.run(run_id).status == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    run = store.run(run_id)
    assert (run.job, run.trigger, run.status, run.counts["problems"]) == ("assessment", "web", "ok", 4)
    assert client.post("/jobs/reporting/run", data={"csrf_token": token}).status_code == 404  # not configured


def test_sign_out_ends_the_session(client):
    sign_in(client, "op")
    token = csrf_of(client.get("/").get_data(as_text=True))
    assert client.post("/signout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_changing_a_password_signs_the_user_out(app, client, tmp_path):
    sign_in(client, "op")
    settings = app.config["SERVICES"].settings
    users = dict(settings.web.users, op=WebUser(password_hash=generate_password_hash("new", method="pbkdf2"),
                                                role="operator"))
    web = settings.web.model_copy(update={"users": users})
    app.config["SERVICES"].settings = settings.model_copy(update={"web": web})
    assert client.get("/").status_code == 302


def test_five_failures_block_that_user_from_that_address_for_the_window(client):
    for _ in range(5):
        assert sign_in(client, "op", "wrong").status_code == 401
    blocked = sign_in(client, "op")
    assert blocked.status_code == 429 and "15 นาที" in blocked.get_data(as_text=True)
    assert sign_in(client, "view").status_code == 302  # another user is not blocked
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert sign_in(other, "op").status_code == 302  # nor the same user from another address


def test_the_throttle_forgets_attempts_after_the_window(tmp_path):
    """Now kept in the state store: an attempt is counted when it is let through, so the limit is on tries."""
    now = [datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)]
    throttle = SignInThrottle(RunStore(tmp_path / "state.sqlite", clock=lambda: now[0]), 2, timedelta(minutes=15))
    assert throttle.reserve("Op", "1.2.3.4") == throttle.reserve("op", "1.2.3.4") == 0
    assert throttle.reserve("op", "1.2.3.4") == 900
    now[0] += timedelta(seconds=600)
    assert throttle.reserve("OP", "1.2.3.4") == 300
    now[0] += timedelta(seconds=300)
    assert throttle.reserve("op", "1.2.3.4") == 0
    throttle.succeeded("op", "1.2.3.4")
    assert throttle.reserve("op", "1.2.3.4") == throttle.reserve("op", "1.2.3.4") == 0


def test_no_password_token_or_key_in_pages_or_logs(client, caplog):
    caplog.set_level("INFO")
    sign_in(client, "op", "wrong")
    sign_in(client, "op")
    pages = "".join(client.get(path).get_data(as_text=True) for path in PAGES)
    for secret in (PASSWORDS["op"], TOKEN, "k" * 32, "pbkdf2:"):
        assert secret not in pages and secret not in caplog.text
    assert "op (operator) signed in" in caplog.text


def test_pages_forbid_framing_and_foreign_content(client):
    sign_in(client, "op")
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"


def test_a_lost_form_token_over_plain_http_with_https_only_cookies_says_why(tmp_path, client):
    form = {"csrf_token": "from a cookie the browser did not keep", "username": "op", "password": PASSWORDS["op"]}
    settings = web_settings(tmp_path, secure_cookie=True)
    answer = create_app(settings, bootstrap(settings)).test_client().post("/signin", data=form)
    assert answer.status_code == 400 and "web.secure_cookie = false" in answer.get_data(as_text=True)
    answer = client.post("/signin", data=form)  # cookies over http allowed: the usual message only
    assert answer.status_code == 400 and "web.secure_cookie" not in answer.get_data(as_text=True)
