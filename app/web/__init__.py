"""Flask application factory: health, runs API and run-now trigger (bearer token)."""
from __future__ import annotations

from flask import Flask

from app.config import Settings, load_settings


def create_app(settings: Settings | None = None, services=None) -> Flask:
    """Build the app; `services` (from app.wiring.bootstrap) may be injected by tests."""
    from app.wiring import bootstrap

    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["SERVICES"] = services or bootstrap(settings)
    from app.web.api import api

    app.register_blueprint(api)
    return app
