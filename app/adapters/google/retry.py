"""Bounded retry with exponential backoff and full jitter for Google calls (gspread's own never stops)."""
from __future__ import annotations

import json
import logging
import random
import socket
import time
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import gspread
import httplib2
import requests
from google.auth.exceptions import GoogleAuthError, TransportError
from googleapiclient.errors import HttpError

from app.errors import BackendError

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
QUOTA_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "quotaExceeded"})
TRANSIENT_ERRORS = (requests.Timeout, requests.ConnectionError, socket.timeout, TimeoutError,
                    ConnectionError, httplib2.HttpLib2Error, TransportError)  # TransportError: OAuth unreachable


@dataclass
class RetryPolicy:
    """How often and how long to retry; `sleep` and `rng` are injectable so tests need not wait."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 32.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Full jitter: uniform in [0, base·2^(attempt-1)], at least Retry-After, never above max_delay."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return min(self.max_delay, max(self.rng.uniform(0, ceiling), retry_after or 0.0))


def http_status(exc: BaseException) -> tuple[int | None, dict]:
    """The HTTP status and Google error body of a gspread or googleapiclient error (None if not HTTP)."""
    if isinstance(exc, gspread.exceptions.APIError):
        return exc.code, exc.error if isinstance(exc.error, dict) else {}
    if isinstance(exc, HttpError):
        try:
            body = json.loads(exc.content or b"{}").get("error", {})
        except (ValueError, AttributeError):
            body = {}
        return int(exc.resp.status), body if isinstance(body, dict) else {}
    return None, {}


def quota_403(error: dict) -> bool:
    reasons = {e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)}
    domains = {e.get("domain") for e in error.get("errors", []) if isinstance(e, dict)}
    reasons |= {d.get("reason") for d in error.get("details", []) if isinstance(d, dict)}
    return "usageLimits" in domains or bool(reasons & QUOTA_REASONS)


def is_retryable(exc: BaseException) -> bool:
    """408, 429, 5xx, quota 403 and network time-outs are worth another try; nothing else is."""
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    status, error = http_status(exc)
    return status in RETRYABLE_STATUS or (status == 403 and quota_403(error))


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or getattr(exc, "resp", None) or {}
    try:
        return float(headers.get("retry-after") or headers.get("Retry-After"))
    except (TypeError, ValueError, AttributeError):
        return None


def describe(exc: BaseException) -> str:
    """One line for logs and the run record: status and Google's message, never a token."""
    status, error = http_status(exc)
    if status is not None:
        return f"HTTP {status} {error.get('status', '')} {error.get('message', '')}".strip()
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


def call_with_retry(fn: Callable[[], T], policy: RetryPolicy, what: str,
                    retryable: Callable[[BaseException], bool] = is_retryable) -> T:
    """Call fn; retry what `retryable` allows up to policy.attempts, then raise BackendError naming `what`.
    A Google sign-in failure (token refused, key revoked) is a BackendError at once, on one line."""
    for attempt in range(1, policy.attempts + 1):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - classified below, re-raised when not ours to retry
            if not retryable(exc):
                if isinstance(exc, GoogleAuthError):
                    raise BackendError(f"ลงชื่อเข้าใช้ Google ไม่สำเร็จ ({what}: Google sign-in failed: "
                                       f"{first_line(exc)})") from exc
                raise
            if attempt == policy.attempts:
                raise BackendError(f"ติดต่อ Google ไม่สำเร็จ ({what}: gave up after {attempt} tries: "
                                   f"{describe(exc)})") from exc
            wait = policy.delay(attempt, _retry_after(exc))
            log.warning("%s failed (%s); try %d of %d in %.1f s", what, describe(exc), attempt + 1,
                        policy.attempts, wait)
            policy.sleep(wait)
    raise AssertionError("unreachable")


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (google-auth puts a tuple in its args)."""
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return (text.splitlines() or [type(exc).__name__])[0]
