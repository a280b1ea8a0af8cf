"""Sign-in for the pages: users and roles from config, signed session cookie, CSRF token, throttled attempts.

Every page needs a signed-in user (else a redirect to /signin); the JSON API keeps its bearer token and the
health probes are open. Every POST from a page carries the session's CSRF token. `viewer` sees, `operator`
can also start runs. Sessions live in the state store (the cookie carries only the session's token), so
signing out ends a session in every web process, and a session remembers a fingerprint of the user's
password hash: changing a password or removing the user in the config ends that user's sessions.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
from datetime import timedelta
from functools import cache, wraps
from urllib.parse import unquote, urlsplit

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

auth = Blueprint("auth", __name__)
log = logging.getLogger(__name__)

OPEN_ENDPOINTS = {"auth.signin", "static"}
OPEN_BLUEPRINTS = {"api", "health"}  # bearer token / probes


@cache
def _dummy_hash() -> str:
    """A hash of the default kind, checked for unknown users so their sign-in takes as long as a known one's."""
    return generate_password_hash(secrets.token_hex(16))


def _users() -> dict:
    return current_app.config["SERVICES"].settings.web.users


def _store():
    return current_app.config["SERVICES"].store


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def fingerprints(users: dict) -> dict[str, str]:
    """Each configured user's password fingerprint: a session opened with another one is over."""
    return {name: _fingerprint(user.password_hash) for name, user in users.items()}


def _signed_in_user() -> str | None:
    """The user of this request's live session; a session whose user is gone or whose password changed ends."""
    token = session.get("sid")
    found = _store().web_session(token) if isinstance(token, str) else None
    if found is None:
        return None
    user = _users().get(found.user)
    if user is None or not hmac.compare_digest(found.fingerprint, _fingerprint(user.password_hash)):
        _store().end_session(token)
        return None
    return found.user


def csrf_token() -> str:
    """The session's CSRF token, made on first use; every form posts it back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@auth.before_app_request
def _guard():
    """Load the signed-in user, refuse a POST without the session's CSRF token, send strangers to sign in."""
    if request.blueprint in OPEN_BLUEPRINTS:
        return None
    g.user = _signed_in_user()
    g.role = _users()[g.user].role if g.user else None
    if request.method == "POST":
        given = request.form.get("csrf_token", "")
        if not hmac.compare_digest(given.encode(), session.get("csrf", "").encode()) or not given:
            hint = "" if request.is_secure or not current_app.config["SESSION_COOKIE_SECURE"] else \
                " — เปิดผ่าน https หรือตั้ง web.secure_cookie = false (cookies are sent over https only)"
            abort(400, description=f"แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง (form expired: reload the page){hint}")
    if g.user is None and request.endpoint not in OPEN_ENDPOINTS:
        session.pop("sid", None)
        return redirect(url_for("auth.signin", next=request.full_path if request.method == "GET" else None))
    return None


def operator_required(view):
    """Only an operator may do this (403 for a viewer)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.role != "operator":
            abort(403, description="เฉพาะผู้ดำเนินการ (operator) เท่านั้นที่สั่งซิงก์ได้ (operators only)")
        return view(*args, **kwargs)
    return wrapped


def _safe_next(target: str | None) -> str:
    """Only a path on this site is followed after sign-in. Browsers drop tabs and line breaks from a Location
    and read a backslash as a slash, so `/%09/evil.example` would become `//evil.example`: a target with any
    control character, backslash or a leading `//` — before or after percent-decoding — is not followed."""
    fallback = url_for("pages.overview")
    if not target or not target.startswith("/"):
        return fallback
    decoded = unquote(target)
    if any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target + decoded):
        return fallback
    if decoded.startswith("//") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else fallback


@auth.route("/signin", methods=["GET", "POST"])
def signin():
    """The sign-in form; POST checks the password, with failed attempts throttled per user and address."""
    if request.method == "GET":
        return render_template("signin.html", next=request.args.get("next", ""), error=None)
    name = request.form.get("username", "").strip()[:100]
    throttle, address = current_app.extensions["signin_throttle"], request.remote_addr or "-"
    wait = throttle.reserve(name, address)  # counts this attempt, atomically with the check
    if wait > 0:
        log.warning("sign-in refused for %r from %s: too many failed attempts", name, address)
        error = f"ลงชื่อเข้าใช้ผิดหลายครั้งเกินไป ลองใหม่ในอีก {math.ceil(wait / 60)} นาที (too many attempts)"
        return render_template("signin.html", next=request.form.get("next", ""), error=error), 429
    user = _users().get(name)
    if not check_password_hash(user.password_hash if user else _dummy_hash(), request.form.get("password", "")) \
            or user is None:
        log.warning("failed sign-in for %r from %s", name, address)
        error = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (wrong user name or password)"
        return render_template("signin.html", next=request.form.get("next", ""), error=error), 401
    throttle.succeeded(name, address)
    old = session.get("sid")
    if isinstance(old, str):
        _store().end_session(old)
    token = _store().open_session(name, _fingerprint(user.password_hash),
                                  timedelta(hours=current_app.config["SERVICES"].settings.web.session_hours))
    session.clear()
    session.permanent = True
    session.update(sid=token, csrf=secrets.token_urlsafe(32))
    log.info("%s (%s) signed in from %s", name, user.role, address)
    return redirect(_safe_next(request.form.get("next")))


@auth.post("/signout")
def signout():
    """End the session in the store (its cookie stops working everywhere) and forget it."""
    log.info("%s signed out", g.user)
    token = session.get("sid")
    if isinstance(token, str):
        _store().end_session(token)
    session.clear()
    return redirect(url_for("auth.signin"))
