"""What every web process shares through the state store: sign-in attempts and sessions.

Kept in SQLite rather than in one process's memory, so two waitress processes (or servers on one store)
count the same failed sign-ins and honour the same sign-outs.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from app.adapters.state.db import moment_of, reading, stamp, transaction


@dataclass(frozen=True)
class WebSession:
    """A signed-in session: whose, and the fingerprint of the password hash it was opened with."""

    user: str
    fingerprint: str
    expires: datetime


def _hashed(token: str) -> str:
    """Sessions are stored by the hash of their token: a copy of the store opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


class WebState:
    """The sign-in part of RunStore (needs `path` and `clock` from it)."""

    path: Path
    clock: Callable[[], datetime]

    def reserve_signin(self, user: str, address: str, limit: int, window: timedelta) -> float:
        """Count one sign-in attempt of `user` from `address` unless `limit` were counted within `window`.

        Returns 0 when the attempt may go ahead (it is already counted: the check and the record are one
        transaction, so concurrent attempts cannot all slip in), else the seconds until the oldest counted
        attempt leaves the window. A good password then clears the pair with `signin_succeeded`.
        """
        now, key = self.clock(), (user.casefold(), address)
        with transaction(self.path) as con:
            con.execute("DELETE FROM signin_attempts WHERE at <= ?", (stamp(now - window),))
            count, oldest = con.execute("SELECT COUNT(*), MIN(at) FROM signin_attempts WHERE user = ? AND address = ?",
                                        key).fetchone()
            if count >= limit:
                return max((window - (now - moment_of(oldest))).total_seconds(), 1.0)
            con.execute("INSERT INTO signin_attempts (user, address, at) VALUES (?, ?, ?)", (*key, stamp(now)))
        return 0.0

    def signin_succeeded(self, user: str, address: str) -> None:
        """A good sign-in forgets that user's attempts from that address."""
        with transaction(self.path) as con:
            con.execute("DELETE FROM signin_attempts WHERE user = ? AND address = ?", (user.casefold(), address))

    def open_session(self, user: str, fingerprint: str, lifetime: timedelta) -> str:
        """A new session for `user`; returns its token (only its hash is stored)."""
        token, now = secrets.token_urlsafe(32), self.clock()
        with transaction(self.path) as con:
            con.execute("DELETE FROM web_sessions WHERE expires <= ?", (stamp(now),))
            con.execute("INSERT INTO web_sessions (token_hash, user, fingerprint, created, expires) "
                        "VALUES (?, ?, ?, ?, ?)", (_hashed(token), user, fingerprint, stamp(now), stamp(now + lifetime)))
        return token

    def web_session(self, token: str) -> WebSession | None:
        """The live session of this token (None when unknown, ended or expired)."""
        with reading(self.path) as con:
            row = con.execute("SELECT * FROM web_sessions WHERE token_hash = ? AND expires > ?",
                              (_hashed(token), stamp(self.clock()))).fetchone()
        return WebSession(row["user"], row["fingerprint"], moment_of(row["expires"])) if row else None

    def end_session(self, token: str) -> None:
        """Sign-out: the session's token stops working in every process at once."""
        with transaction(self.path) as con:
            con.execute("DELETE FROM web_sessions WHERE token_hash = ?", (_hashed(token),))

    def end_sessions_except(self, current: dict[str, str]) -> int:
        """End the sessions of users no longer configured or whose password changed (`current`: user → the
        fingerprint of their password hash now); returns how many ended."""
        with transaction(self.path) as con:
            rows = con.execute("SELECT token_hash, user, fingerprint FROM web_sessions").fetchall()
            gone = [(r["token_hash"],) for r in rows if current.get(r["user"]) != r["fingerprint"]]
            con.executemany("DELETE FROM web_sessions WHERE token_hash = ?", gone)
        return len(gone)
