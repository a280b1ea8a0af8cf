"""Drive metadata of a spreadsheet: its version, which Google bumps on every change, read in one cheap request."""
from __future__ import annotations

from googleapiclient.errors import HttpError

from app.adapters.google.auth import DRIVE_SCOPES, KeySource, credentials, discovery_client
from app.adapters.google.retry import RetryPolicy, call_with_retry, describe
from app.config import GoogleSettings
from app.errors import BackendError


class DriveVersions:
    """`files.get(fields=modifiedTime,version)`: whether a file changed, without reading it (no Sheets quota)."""

    def __init__(self, creds_source: KeySource | None, google: GoogleSettings) -> None:
        self._files = discovery_client("drive", "v3", credentials(creds_source, DRIVE_SCOPES, google), google).files()
        self._policy = RetryPolicy(attempts=google.max_attempts, base_delay=google.backoff_base)

    def version(self, file_id: str) -> str:
        """`<version>@<modifiedTime>`: equal texts mean nothing in the file changed in between."""
        try:
            meta = call_with_retry(lambda: self._files.get(fileId=file_id, fields="modifiedTime,version",
                                                           supportsAllDrives=True).execute(),
                                   self._policy, f"version of {file_id}")
        except HttpError as exc:
            raise BackendError(f"version of spreadsheet {file_id} cannot be read: {describe(exc)}") from exc
        return f"{meta.get('version')}@{meta.get('modifiedTime')}"
