"""Email messages that carry Thai intact through any relay: UTF-8, RFC 2047 headers, 7-bit-safe bodies."""
from __future__ import annotations

from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

# CRLF line ends; bodies are base64 when not ASCII, so relays without 8BITMIME pass them unchanged.
MAIL_POLICY = policy.SMTP.clone(cte_type="7bit")


def build_message(sender: str, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A plain-text message (with an HTML alternative when given), dated now and with its own Message-ID."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain=message["From"].addresses[0].domain or None)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def one_line(text: str) -> str:
    """A header value on one line: a name typed with Alt+Enter in a cell must not break the mail (or its header)."""
    return " ".join(text.split())
