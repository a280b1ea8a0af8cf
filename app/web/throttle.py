"""Sign-in throttle: after N sign-in attempts of one user from one address within a window, refuse until it passes.

The attempts live in the state store, so every web process (and server) on the store shares one count, and
checking and counting an attempt is one transaction: thirty concurrent wrong passwords get at most N tries.
"""
from __future__ import annotations

from datetime import timedelta


class SignInThrottle:
    """The throttle's policy (limit, window) over the store that keeps the attempts."""

    def __init__(self, store, limit: int, window: timedelta) -> None:
        self.store, self.limit, self.window = store, limit, window

    def reserve(self, user: str, address: str) -> float:
        """0 when this sign-in may be tried now (it is counted), else the seconds to wait."""
        return self.store.reserve_signin(user, address, self.limit, self.window)

    def succeeded(self, user: str, address: str) -> None:
        """A good sign-in clears that user's attempts from that address."""
        self.store.signin_succeeded(user, address)
