"""Drive API v3 files.create / get / delete: enough to create and remove spreadsheets like gspread does."""
from __future__ import annotations

from tests.fake_google import masks
from tests.fake_google.errors import ApiError, not_modelled
from tests.fake_google.sheets import SPREADSHEET_MIME, new_spreadsheet
from tests.fake_google.state import Call, State

DEFAULT_FIELDS = "kind,id,name,mimeType"  # what Drive v3 answers when `fields` is not given


def _shown(meta: dict, call: Call) -> dict:
    if call.query.get("fields"):
        return dict(meta)
    return masks.select(meta, masks.tree(masks.parse(DEFAULT_FIELDS)))


def _file(state: State, call: Call) -> dict:
    """The file's metadata; Drive answers 404 both for a missing file and for one not shared with the caller."""
    file_id = call.path["fileId"]
    meta = state.files.get(file_id)
    if meta is None or call.identity.client_email not in state.access.get(file_id, set()):
        raise ApiError(404, f"File not found: {file_id}.")
    return meta


def create(state: State, call: Call) -> dict:
    if call.upload:
        raise not_modelled("Drive media uploads")
    body = call.body or {}
    name, mime_type = body.get("name", "Untitled"), body.get("mimeType", "application/octet-stream")
    if mime_type == SPREADSHEET_MIME:
        meta = state.files[new_spreadsheet(state, name, {call.identity.client_email}).id]
    else:
        meta = state.add_file(state.new_id("file", 33), name, mime_type, {call.identity.client_email})
    return _shown(meta, call)


def get(state: State, call: Call) -> dict:
    return _shown(_file(state, call), call)


def delete(state: State, call: Call) -> None:
    file_id = _file(state, call)["id"]
    for store in (state.files, state.access, state.spreadsheets):
        store.pop(file_id, None)


HANDLERS = {"drive.files.create": create, "drive.files.get": get, "drive.files.delete": delete}
