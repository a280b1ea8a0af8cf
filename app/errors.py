"""One base for every failure a person must act on: each kind carries its exit code and HTTP status.

The CLI prints `error: <message>` and exits with `exit_code`; the API answers `http_status` with the message;
the scheduler logs it. Nothing else maps exceptions by hand. Pure code (no I/O) imports this module too.
"""
from __future__ import annotations

EXIT_OK, EXIT_BACKEND, EXIT_USAGE = 0, 1, 2


class ServiceError(Exception):
    """A failure with a one-line message that says what to fix."""

    exit_code = EXIT_BACKEND
    http_status = 500


class ConfigError(ServiceError):
    """The configuration (config.toml, the environment, a definitions file) cannot be used."""

    exit_code = EXIT_USAGE
    http_status = 503  # the service is not set up to do this until an administrator fixes it


class LayoutError(ServiceError):
    """A workbook is not laid out as its layout says (a required header or tab missing, weights not adding up)."""

    exit_code = EXIT_USAGE
    http_status = 422


class StoppedError(ServiceError):
    """A run stopped without writing its outputs; the reason was written into the workbook's problem tab."""

    exit_code = EXIT_USAGE
    http_status = 422


class BackendError(ServiceError):
    """Google, the mail server or the file failed (network, quota after bounded retries, permissions)."""

    exit_code = EXIT_BACKEND
    http_status = 502


class DeliveryUncertain(BackendError):
    """A mail whose send may have reached the server with no answer back (time-out or reset after the request
    went out): it may have been delivered, so it is never resent on its own; an operator settles it."""


class RunCrashed(ServiceError):
    """A run stopped on something no other kind names (a bug): recorded as a failed run with one line."""

    exit_code = EXIT_BACKEND
    http_status = 500


class BusyError(ServiceError):
    """Another run holds the workbook's lock: try again when it has finished."""

    exit_code = EXIT_BACKEND
    http_status = 409


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT arrived: the run stops where it is and is recorded `interrupted`. A KeyboardInterrupt, so
    that no `except Exception` on the way swallows it, nor a library that lets only KeyboardInterrupt and SystemExit
    through (waitress's event loop hands anything else raised in a socket event to the channel's error handler)."""

    def __init__(self, signal_name: str, signal_number: int) -> None:
        super().__init__(f"หยุดตามสัญญาณ {signal_name} (stopped by {signal_name})")
        self.exit_code = 128 + signal_number  # as a shell reports a process ended by that signal
