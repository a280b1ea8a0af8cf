"""Masking: every spelling of a national ID or phone number keeps only its last 4 digits; dates, times and money
stay readable (app/sheets/masking.py documents the choice)."""
import pytest

from app.sheets.masking import mask_personal

ID = "xxxxxxxxx3459"  # 3-1005-00123-45-9, the red-team's ID
PHONE = "xxxxxx5678"  # 081-234-5678

MASKED = [
    ("3100500123459", ID),
    ("3-1005-00123-45-9", ID),
    ("3 - 1005 - 00123 - 45 - 9", ID),
    ("3 1005 00123 45 9", ID),
    ("3.1005.00123.45.9", ID),
    ("3–1005–00123–45–9", ID),  # en dash, as a word processor types it
    ("3/1005/00123/45/9", ID),
    ("[3-1005-00123-45-9]", ID + "]"),
    ("๓-๑๐๐๕-๐๐๑๒๓-๔๕-๙", ID),  # Thai digits
    ("0812345678", PHONE),
    ("081-234-5678", PHONE),
    ("081 234 5678", PHONE),
    ("(081) 234 5678", PHONE),
    ("(081) 234 56789", "xxxxxxx6789"),
    ("081.234.5678", PHONE),
    ("+66 81 234 5678", "xxxxxxx5678"),
    ("+66-81-234-5678", "xxxxxxx5678"),
    ("02-123-4567", "xxxxx4567"),  # a Bangkok landline: 9 digits
    ("4111 1111 1111 1111", "xxxxxxxxxxxx1111"),  # longer runs too: masking too much is harmless
    ("โทร 0812345678 หรือ 081-234-5678", f"โทร {PHONE} หรือ {PHONE}"),
    ("เลขบัตร:3100500123459,โทร:0812345678", f"เลขบัตร:{ID},โทร:{PHONE}"),
]

KEPT = [
    "2026-11-21 10:00:00",  # a timestamp in a log line
    "2026-11-21T10:00:00.123456",
    "21/11/2569 09:30",  # a Buddhist-era date with a time
    "21/11/2026",
    "1,234,567.50 บาท",  # money with thousands commas
    "12,345,678,901",
    "12345678.50",  # money with decimals
    "12345678",  # 8 digits: amounts, row numbers
    "แถว 12 คอลัมน์ 3",
    "10400",  # a postcode
    "1e308",
    "v2.10.3",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_every_spelling_of_an_id_or_phone_keeps_only_its_last_four_digits(text, expected):
    assert mask_personal(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_dates_times_money_and_short_numbers_are_left_readable(text):
    assert mask_personal(text) == text


def test_a_date_next_to_an_id_masks_only_the_id():
    assert mask_personal("2026-11-21 10:00:00 ID 3 - 1005 - 00123 - 45 - 9") == f"2026-11-21 10:00:00 ID {ID}"
