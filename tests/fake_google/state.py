"""What the fake remembers between requests, and the request object handlers receive."""
from __future__ import annotations

import base64
import hashlib
import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

from tests.fake_google.errors import ApiError

DEFAULT_EMAIL = "svc@fake-project.iam.gserviceaccount.com"


@dataclass(frozen=True)
class Identity:
    """Who is calling: the service account, the scopes it was granted and the delegated user (`sub`)."""

    client_email: str
    scopes: frozenset[str]
    subject: str | None = None


@dataclass
class Call:
    """One API request after routing, parameter typing and body validation."""

    method_id: str
    path: dict[str, str]
    query: dict
    body: object
    identity: Identity
    raw: bytes = b""
    headers: dict = field(default_factory=dict)
    upload: bool = False


def timestamp(moment: datetime | None = None) -> str:
    """RFC 3339 in UTC as Google writes it: no fraction, or 3/6 digits as needed."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        micros = f"{moment.microsecond:06d}"
        text += "." + (micros[:3] if micros.endswith("000") else micros)
    return text + "Z"


class State:
    """All spreadsheets, Drive files, forms and sent mail; `lock` serialises requests and test helpers."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._serial = itertools.count(1)  # never reset: ids stay unique for the whole session
        self.clear()

    def clear(self) -> None:
        self.spreadsheets: dict = {}
        self.files: dict[str, dict] = {}
        self.access: dict[str, set[str]] = {}
        self.forms: dict = {}
        self.sent_messages: list[dict] = []

    def new_id(self, kind: str, length: int = 44) -> str:
        """A deterministic Drive-style id ("1" + URL-safe characters)."""
        digest = hashlib.sha256(f"{kind}:{next(self._serial)}".encode()).digest()
        return ("1" + base64.urlsafe_b64encode(digest + digest).decode())[:length]

    def new_hex(self, kind: str, length: int) -> str:
        return hashlib.sha256(f"{kind}:{next(self._serial)}".encode()).hexdigest()[:length]

    def add_file(self, file_id: str, name: str, mime_type: str, shared_with: set[str]) -> dict:
        now = timestamp()
        self.files[file_id] = {"kind": "drive#file", "id": file_id, "name": name, "mimeType": mime_type,
                               "createdTime": now, "modifiedTime": now, "version": "1"}
        self.access[file_id] = shared_with
        return self.files[file_id]

    def touch(self, file_id: str) -> None:
        """A change to the file: Drive moves modifiedTime and bumps `version` (int64 as text) on every one."""
        if file_id in self.files:
            self.files[file_id]["modifiedTime"] = timestamp()
            self.files[file_id]["version"] = str(int(self.files[file_id]["version"]) + 1)

    def allowed(self, resource_id: str, identity: Identity) -> None:
        """403 unless the resource is shared with the caller's service account."""
        if identity.client_email not in self.access.get(resource_id, set()):
            raise ApiError(403, "The caller does not have permission")

    def spreadsheet(self, spreadsheet_id: str, identity: Identity):
        """The spreadsheet, or 404 / 403 as Sheets answers."""
        book = self.spreadsheets.get(spreadsheet_id)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        self.allowed(spreadsheet_id, identity)
        return book

    def commit(self, book) -> None:
        """Replace a spreadsheet by the copy a successful request changed (requests are atomic)."""
        self.spreadsheets[book.id] = book
        self.touch(book.id)
