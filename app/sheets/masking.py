"""Mask national IDs and phone numbers (last 4 digits kept) before text reaches a log, a page or the run store.

What counts as personal: any run of 9 or more digits, whatever people type between them — spaces, dashes of
every kind, dots, slashes, brackets, up to three such characters in a row (`3 - 1005 - 00123 - 45 - 9`,
`(081) 234 56789`, `+66 81 234 5678`, `1.2345.67890.12.3`). A Thai ID has 13 digits and a phone 9 or 10
(11 with +66); longer runs (card and account numbers) are masked too, because masking too much is harmless.

What is left alone, because people must read it and it is never personal: dates and times (`2026-11-21
10:00:00`, `21/11/2569 09:30`), money written with thousands commas (`1,234,567.50` — a comma never joins the
digits of an ID or a phone) and decimals (`12345678.50`), and every number of 8 digits or fewer (row numbers,
amounts, postcodes). A money amount typed as 9+ bare digits (`123456789`) is masked: it cannot be told apart
from a phone number.
"""
from __future__ import annotations

import re

_SEPARATOR = r"[\s\-\u2010-\u2015\u2212.()/\[\]]"
_PERSONAL = rf"[(\[+]?\d(?:{_SEPARATOR}{{0,3}}\d){{8,}}(?!\d)"
_DATE = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
_KEPT = (rf"(?:{_DATE})(?:[T\s]{{1,3}}{_TIME})?(?!\d)|{_TIME}(?!\d)"  # dates and times
         r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+\.\d{1,2}(?![\d.])")  # money
# At each place the kept shapes are tried first; a digit already inside a longer number is never a start.
_NUMBERS = re.compile(rf"(?<![\d,.])(?:(?P<kept>{_KEPT})|(?P<personal>{_PERSONAL}))")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def mask_personal(text: str) -> str:
    """`1-2345-67890-12-3` → `xxxxxxxxx0123`; dates, times, money and numbers under 9 digits are left alone."""
    def _mask(match: re.Match) -> str:
        if match.group("kept"):
            return match.group(0)
        digits = re.sub(r"\D", "", match.group(0))
        return "x" * (len(digits) - 4) + digits[-4:]

    return _NUMBERS.sub(_mask, str(text).translate(_THAI_DIGITS))
