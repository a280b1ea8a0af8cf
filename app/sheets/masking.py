"""Mask national IDs and phone numbers (last 4 digits kept) before text reaches a log or a page."""
from __future__ import annotations

import re

# 9+ digits, possibly split by spaces, dashes or dots (0812345678, 1-2345-67890-12-3, 081 234 5678).
_LONG_NUMBER = re.compile(r"(?<![\d])(?:\d[\s.\-]?){8,}\d(?![\d])")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def mask_personal(text: str) -> str:
    """`1234567890123` → `xxxxxxxxx0123`; shorter numbers (amounts, row numbers) are left alone."""
    def _mask(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "x" * (len(digits) - 4) + digits[-4:]

    return _LONG_NUMBER.sub(_mask, str(text).translate(_THAI_DIGITS))
