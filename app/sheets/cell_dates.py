"""Read one date cell as Thai officers type it: day first, พ.ศ. or ค.ศ., Thai or English months, optional time."""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

from app.sheets.cell_readers import Read, compact, is_blank_text
from app.sheets.problems import problem_text
from app.sheets.thai_time import BE_OFFSET, SERIAL_EPOCH, serial as serial_of
MIN_YEAR, MAX_YEAR = 1950, 2200  # plausible CE years for anything this service reads
BE_FROM_YEAR = 2400  # a year at or above this is Buddhist Era

NOT_A_DATE = problem_text("อ่านเป็นวันที่ไม่ได้", "not a date")
SHORT_YEAR = problem_text("ปีต้องเขียนเต็ม 4 หลัก เช่น 2567 หรือ 2024", "year must have 4 digits")
NO_SUCH_DAY = problem_text("ไม่มีวันที่นี้ในปฏิทิน", "no such calendar date")
IMPLAUSIBLE_YEAR = problem_text(f"ปีไม่สมเหตุสมผล (ต้องอยู่ระหว่าง ค.ศ. {MIN_YEAR}–{MAX_YEAR})", "implausible year")
NOT_A_TIME = problem_text("อ่านเวลาไม่ได้", "not a time of day")

_MONTHS = {
    name: number
    for number, names in enumerate((
        ("มกราคม", "มค", "january", "jan"), ("กุมภาพันธ์", "กพ", "february", "feb"),
        ("มีนาคม", "มีค", "march", "mar"), ("เมษายน", "เมย", "april", "apr"), ("พฤษภาคม", "พค", "may"),
        ("มิถุนายน", "มิย", "june", "jun"), ("กรกฎาคม", "กค", "july", "jul"), ("สิงหาคม", "สค", "august", "aug"),
        ("กันยายน", "กย", "september", "sept", "sep"), ("ตุลาคม", "ตค", "october", "oct"),
        ("พฤศจิกายน", "พย", "november", "nov"), ("ธันวาคม", "ธค", "december", "dec"),
    ), start=1)
    for name in names
}
_ERA = re.compile(r"(พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)")
_WEEKDAY = re.compile(r"^(?:วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)\s*)?(?:ที่\s*)?")
_TIME = re.compile(r"(?:^|[\s,t]+)(?:เวลา\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?\s*(am|pm|น\.?)?$")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d+)")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})\s*([^\d\s,]+(?:\s[^\d\s,]+)?)\s*,?\s*(\d+)")


def read_moment(raw: object) -> Read:
    """A serial number, a date/datetime object or date text → (naive datetime, "") or (None, problem)."""
    if isinstance(raw, bool):
        return None, NOT_A_DATE
    if isinstance(raw, datetime):
        return _plausible(raw.replace(tzinfo=None))
    if isinstance(raw, date):
        return _plausible(datetime(raw.year, raw.month, raw.day))
    if isinstance(raw, (int, float)):
        return from_serial(float(raw))
    return _from_text(compact(raw).casefold())


def kept_serial(raw: object) -> float | None:
    """A moment the service wrote earlier, read back: a date cell, or the พ.ศ. text older versions wrote."""
    if raw in (None, ""):
        return None
    moment, _problem = read_moment(raw)
    return serial_of(moment) if moment is not None else None


def from_serial(serial: float) -> Read:
    """Days since 1899-12-30 (fraction = time of day); a date typed in พ.ศ. into a date cell is moved back 543 years."""
    if not math.isfinite(serial) or serial < 1 or serial >= 2_958_466:
        return None, NOT_A_DATE
    moment = SERIAL_EPOCH + timedelta(seconds=round(serial * 86400))
    value, problem = _calendar(moment.year, moment.month, moment.day, None, moment.time())
    return (value, problem) if problem != IMPLAUSIBLE_YEAR else (None, NOT_A_DATE)


def _plausible(moment: datetime) -> Read:
    return _calendar(moment.year, moment.month, moment.day, None, moment.time())


def _from_text(text: str) -> Read:
    if is_blank_text(text):
        return None, ""
    era = _ERA.search(text)
    buddhist = None if era is None else era.group(1).startswith("พ")
    text = _WEEKDAY.sub("", _ERA.sub(" ", text)).strip()
    clock = time()
    found = _TIME.search(text)
    if found:
        clock = _clock(*found.groups())
        if clock is None:
            return None, NOT_A_TIME
        text = text[:found.start()].strip(" ,")
    day_month_year = _day_month_year(text)
    if day_month_year is None:
        return None, NOT_A_DATE
    day, month, year = day_month_year
    if len(year) == 2:
        return None, SHORT_YEAR
    if len(year) != 4:
        return None, NOT_A_DATE
    return _calendar(int(year), month, day, buddhist, clock)


def _day_month_year(text: str) -> tuple[int, int, str] | None:
    if found := _YEAR_MONTH_DAY.fullmatch(text):
        return int(found.group(3)), int(found.group(2)), found.group(1)
    if found := _DAY_MONTH_YEAR.fullmatch(text):
        return int(found.group(1)), int(found.group(2)), found.group(3)
    if found := _DAY_NAME_YEAR.fullmatch(text):
        month = _MONTHS.get(re.sub(r"[.\s]", "", found.group(2)))
        return None if month is None else (int(found.group(1)), month, found.group(3))
    return None


def _clock(hour: str, minute: str, second: str | None, suffix: str | None) -> time | None:
    hour_number = int(hour)
    if suffix in ("am", "pm"):
        if not 1 <= hour_number <= 12:
            return None
        hour_number = hour_number % 12 + (12 if suffix == "pm" else 0)
    try:
        return time(hour_number, int(minute), int(second or 0))
    except ValueError:
        return None


def _calendar(year: int, month: int, day: int, buddhist: bool | None, clock: time) -> Read:
    if buddhist or (buddhist is None and year >= BE_FROM_YEAR):
        year -= BE_OFFSET  # before building the date: 29/02/2567 is 2024-02-29, a real day
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, IMPLAUSIBLE_YEAR
    try:
        return datetime.combine(date(year, month, day), clock), ""
    except ValueError:
        return None, NO_SUCH_DAY
