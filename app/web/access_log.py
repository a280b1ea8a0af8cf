"""One access-log line per request (method, path, status, ms, user) through the JSON log; never a query string,
which may carry a `next` or a token."""
from __future__ import annotations

import logging
import time

from flask import Flask, g, request

access = logging.getLogger("app.web.access")


def register(app: Flask) -> None:
    """Time every request and log it when its response is ready (error pages included)."""
    app.before_request(_start_clock)
    app.after_request(_log_request)


def _start_clock() -> None:
    g.access_started = time.perf_counter()


def _log_request(response):
    started = g.get("access_started")
    elapsed_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    access.info("%s %s %s %.0f ms %s", request.method, request.path, response.status_code, elapsed_ms,
                g.get("user") or "-",
                extra={"http": {"method": request.method, "path": request.path, "status": response.status_code,
                                "ms": round(elapsed_ms, 1), "user": g.get("user") or None,
                                "address": request.remote_addr}})
    return response
