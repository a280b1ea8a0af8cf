"""Gmail API v1 users.messages.send: only with domain-wide delegation, as for a service account."""
from __future__ import annotations

import base64
import binascii
import email
import email.policy
import json

from tests.fake_google.errors import ApiError, bad_request, not_modelled
from tests.fake_google.state import Call, State


def _uploaded(call: Call) -> bytes:
    """The RFC 2822 bytes of a media upload (uploadType=media or multipart/related)."""
    kind = call.query.get("uploadType")
    if kind == "media":
        return call.raw
    if kind == "multipart":
        head = f"Content-Type: {call.headers.get('content-type', '')}\r\n\r\n".encode()
        parts = email.message_from_bytes(head + call.raw).get_payload()
        if isinstance(parts, list) and len(parts) == 2:
            try:
                json.loads(parts[0].get_payload(decode=True) or b"{}")  # the Message metadata part
            except ValueError:
                raise bad_request("Invalid JSON payload received in the metadata part.") from None
            if parts[1].get_content_type() == "message/rfc822":
                return parts[1].get_payload(0).as_bytes()
            return parts[1].get_payload(decode=True)
        raise bad_request("Invalid multipart request body.")
    raise not_modelled(f"Gmail uploadType={kind}")


def _raw(call: Call) -> bytes:
    if call.upload:
        return _uploaded(call)
    text = (call.body or {}).get("raw", "")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise bad_request(f"Invalid value at 'message.raw' (TYPE_BYTES), \"{text[:40]}\"", "message.raw") from None


def send(state: State, call: Call) -> dict:
    """Send as the delegated user (JWT `sub`); the message is kept in state.sent_messages."""
    subject = call.identity.subject
    if not subject:
        raise ApiError(400, "Precondition check failed.", "FAILED_PRECONDITION")
    if call.path["userId"] not in ("me", subject):
        raise ApiError(403, f"Delegation denied for {subject}")
    raw = _raw(call)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not any(message.get(h) for h in ("To", "Cc", "Bcc")):
        raise bad_request("Recipient address required")
    message_id = state.new_hex("message", 16)
    state.sent_messages.append({"id": message_id, "userId": call.path["userId"], "subject": subject,
                                "raw": raw, "message": message})
    return {"id": message_id, "threadId": message_id, "labelIds": ["SENT"]}


HANDLERS = {"gmail.users.messages.send": send}
