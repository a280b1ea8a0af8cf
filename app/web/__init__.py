"""Flask application factory: signed-in pages (overview, runs, assessment, reporting), JSON API, health probes."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask

from app.config import Settings, load_settings

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Settings | None = None, services=None) -> Flask:
    """Build the app; `services` (from app.wiring.bootstrap) may be injected by tests."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app.web import access_log, api, auth, formatting, health, pages, throttle
    from app.wiring import bootstrap

    settings = settings or load_settings()
    app = Flask(__name__)
    services = services or bootstrap(settings)
    app.config["SERVICES"] = services
    app.config.update(
        SECRET_KEY=services.web_secret_key(),
        SESSION_COOKIE_NAME="sme_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web.secure_cookie,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.web.session_hours),
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    app.extensions["signin_throttle"] = throttle.SignInThrottle(
        services.store, settings.web.signin_failures, timedelta(minutes=settings.web.signin_window_minutes))
    ended = services.store.end_sessions_except(auth.fingerprints(settings.web.users))
    if ended:
        log.info("ended %d web sessions of removed users or changed passwords", ended)
    if settings.web.proxy_hops:  # behind nginx: the client's address and https come from its X-Forwarded-* headers
        hops = settings.web.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    access_log.register(app)
    formatting.register(app)
    for blueprint in (health.health, api.api, auth.auth, pages.pages):
        app.register_blueprint(blueprint)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    """No framing, no sniffing, no referrer to Google, nothing from another origin, pages never cached."""
    response.headers.update(SECURITY_HEADERS)
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response
