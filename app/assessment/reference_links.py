"""Reference persons' verification tokens and personal pre-filled form links (spec, Workflow A step 4.2)."""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import quote

import pandas as pd

_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote() leaves as it is: tokens, most application numbers
TOKEN_LENGTH = 16  # hex digits: 64 bits, short enough to sit in a link, far too many to guess


def reference_token(secret: bytes, application_no: str, email: str) -> str:
    """HMAC-SHA256 of `<application no>|<email>` (trimmed; number upper-case, email lower-case), first 16 hex digits."""
    return reference_tokens(secret, [application_no], [email])[0]


def reference_tokens(secret: bytes, application_nos: Iterable[str], emails: Iterable[str]) -> list[str]:
    """reference_token() of each pair, each by OpenSSL's one-shot HMAC (hmac.digest: no Python HMAC object)."""
    return [hmac.digest(secret, f"{number.strip().upper()}|{email.strip().lower()}".encode(), "sha256")
            .hex()[:TOKEN_LENGTH] for number, email in zip(application_nos, emails)]


def normal_token(text: object) -> str:
    """A token as typed back by a form: trimmed and lower-case ("" for nothing)."""
    return "" if text is None else str(text).strip().lower()


@dataclass(frozen=True)
class PrefillForm:
    """A Google Form's answer URL and the `entry.<id>` of the questions the service fills in (by column key)."""

    url: str
    entries: Mapping[str, str]  # e.g. {"application_no": "entry.1000001", "token": "entry.1000002"}

    def link(self, answers: Mapping[str, str]) -> str:
        """`<url>?usp=pp_url&entry.<id>=<value>…` with the values URL-encoded."""
        query = "&".join(f"{self.entries[key]}={quote(value, safe='')}" for key, value in answers.items())
        return f"{self.url}{'&' if '?' in self.url else '?'}usp=pp_url&{query}"

    def links(self, answers: Mapping[str, pd.Series]) -> pd.Series:
        """`link` for whole columns of answers (each distinct value is encoded once)."""
        parts = [f"{self.entries[key]}=" + values.map({v: v if _UNRESERVED.fullmatch(v) else quote(v, safe="")
                                                      for v in values.unique()})
                 for key, values in answers.items()]
        query = parts[0].str.cat(parts[1:], sep="&") if len(parts) > 1 else parts[0]
        return f"{self.url}{'&' if '?' in self.url else '?'}usp=pp_url&" + query

    def missing(self, keys: tuple[str, ...]) -> list[str]:
        """The column keys the form has no entry id for."""
        return [key for key in keys if not self.entries.get(key)]
