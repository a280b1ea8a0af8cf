"""Issue 11, finding 8: open redirect, throttle race, sign-out that did not end the session, 500s on ids and limits."""
from __future__ import annotations

import threading

import pytest
from werkzeug.security import generate_password_hash

from app.adapters.xlsx import create_xlsx
from app.config import WebUser
from app.web import create_app
from app.wiring import bootstrap
from tests.assessment.test_sync_satisfaction import TABS
from tests.web.browser.webapp import TOKEN, csrf_of, seed_runs, sign_in, web_settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HUGE = "9" * 30


@pytest.fixture
def app(tmp_path):
    create_xlsx(tmp_path / "assessment.xlsx", TABS)
    settings = web_settings(tmp_path)
    app = create_app(settings, bootstrap(settings))
    seed_runs(app.config["SERVICES"].store)
    return app


@pytest.mark.parametrize("outside", ["/%09/evil.example", "/%0d%0a/evil.example", "//evil", "/\\evil.example",
                                     "/%5Cevil.example", "/%2F/evil.example", "/\t/evil.example", "\\\\evil",
                                     "/x\r\nSet-Cookie: a=b", "https:evil.example", "/%7f/evil"])
def test_next_is_followed_only_as_a_path_of_this_site(app, outside):
    client = app.test_client()
    assert client.get("/signin", query_string={"next": outside}).status_code == 200
    answer = sign_in(client, "op", next_path=outside)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_a_plain_path_with_its_query_is_still_followed(app):
    assert sign_in(app.test_client(), "op", next_path="/runs?job=assessment").headers["Location"] == \
        "/runs?job=assessment"


def test_thirty_concurrent_wrong_passwords_get_at_most_five_tries(app):
    clients = [app.test_client() for _ in range(30)]
    tokens = [csrf_of(c.get("/signin").get_data(as_text=True)) for c in clients]
    start, codes = threading.Barrier(30), []

    def attempt(client, token):
        start.wait()
        codes.append(client.post("/signin", data={"csrf_token": token, "username": "op", "password": "wrong"})
                     .status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(codes)) == [401, 429] and codes.count(401) == 5 and len(codes) == 30


def test_a_cookie_kept_from_before_sign_out_no_longer_works(app):
    client = app.test_client()
    sign_in(client, "op")
    kept = client.get_cookie("sme_session").value
    token = csrf_of(client.get("/").get_data(as_text=True))
    assert client.post("/signout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("sme_session", kept)
    assert replay.get("/").status_code == 302


def test_a_changed_password_ends_the_users_sessions_in_the_store(app, tmp_path):
    client = app.test_client()
    sign_in(client, "op")
    sign_in(app.test_client(), "view")
    kept = client.get_cookie("sme_session").value
    settings = app.config["SERVICES"].settings
    users = dict(settings.web.users, op=WebUser(password_hash=generate_password_hash("new", method="pbkdf2"),
                                                role="operator"))
    restarted = settings.model_copy(update={"web": settings.web.model_copy(update={"users": users})})
    app2 = create_app(restarted, bootstrap(restarted))  # the same store, the new config
    replay = app2.test_client()
    replay.set_cookie("sme_session", kept)
    assert replay.get("/").status_code == 302
    assert app2.config["SERVICES"].store.end_sessions_except({}) == 1  # only the viewer's session was left


def test_huge_run_ids_are_404_not_500(app):
    client = app.test_client()
    sign_in(client, "op")
    assert client.get(f"/runs/{HUGE}").status_code == 404
    assert client.get(f"/api/runs/{HUGE}", headers=AUTH).status_code == 404
    assert client.get(f"/runs/{2**63}").status_code == 404 and client.get(f"/runs/{2**63 - 1}").status_code == 404


@pytest.mark.parametrize("limit", ["-1", "0", "abc", "1e3", "٣", HUGE[:5] + "x"])
def test_a_bad_limit_is_400(app, limit):
    answer = app.test_client().get("/api/runs", query_string={"limit": limit}, headers=AUTH)
    assert answer.status_code == 400 and "limit" in answer.get_json()["error"]


def test_a_large_limit_is_clamped_and_a_small_one_honoured(app):
    client = app.test_client()
    assert len(client.get(f"/api/runs?limit={HUGE}", headers=AUTH).get_json()["runs"]) == 3
    assert len(client.get("/api/runs?limit=1", headers=AUTH).get_json()["runs"]) == 1
