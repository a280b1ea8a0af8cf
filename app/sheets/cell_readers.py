"""Reading one cell of each kind, the slow path of `cells.parse_column`: Thai digits, Thai words, IDs, phones."""
from __future__ import annotations

import math
import re
import unicodedata
from typing import Callable

from stdnum.exceptions import ValidationError
from stdnum.th import pin, tin

from app.sheets.headers import THAI_DIGITS, header_text, normalize_header
from app.sheets.problems import problem_text
from app.sheets.suggest import closest, did_you_mean
from app.sheets.layout import Choice, ColumnSpec

Read = tuple[object, str]  # (typed value or None, problem text or "")
Reader = Callable[[object], Read]
BLANK: Read = (None, "")
DONT_KNOW = "ไม่ทราบ"  # a rating of "don't know": not a score, not missing, not an error

NOT_A_NUMBER = problem_text("อ่านเป็นตัวเลขไม่ได้", "not a number")
FORMULA_ERROR = problem_text("ค่าผิดพลาดจากสูตร", "formula error")
NOT_YES_NO = problem_text("อ่านเป็น ใช่/ไม่ใช่ ไม่ได้", "not a yes/no value")
NOT_EMAIL = problem_text("รูปแบบอีเมลไม่ถูกต้อง", "not an email address")
NOT_PHONE = problem_text("อ่านเป็นเบอร์โทรศัพท์ไม่ได้", "not a Thai phone number")
NOT_MOBILE = problem_text("ไม่ใช่เบอร์มือถือ 10 หลัก เช่น 081-234-5678", "not a 10-digit Thai mobile number")
NOT_URL = problem_text("ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://", "not a web link")
NOT_PROVINCE = problem_text("ไม่ใช่ชื่อจังหวัดใน 77 จังหวัด", "not one of the 77 provinces")
SCORE_RANGE = problem_text("คะแนนต้องอยู่ระหว่าง 1–5", "score must be 1–5")
SCORE_WHOLE = problem_text("คะแนนต้องเป็นจำนวนเต็ม 1–5", "score must be a whole number 1–5")

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_DASHES = {"-", "–", "—", "−"}  # a lone dash is how officers write "nothing here"
_GLOSS = re.compile(r"\s*\([^()]*\)$")  # `ผ่าน (pass)` → `ผ่าน`
_FORMULA_ERRORS = {"#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!"}
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)")
_AFFIXES = {"percent": (("ร้อยละ",), ("%", "เปอร์เซ็นต์")), "money": (("฿",), ("บาท", "฿")),
            "amount": (("฿",), ("บาท", "฿"))}
_LIKERT = {"มากที่สุด": 5, "มาก": 4, "ปานกลาง": 3, "น้อย": 2, "น้อยที่สุด": 1}
_DONT_KNOW_WORDS = {"ไม่ทราบ", "ไม่รู้", "ไม่แน่ใจ", "don't know", "dont know", "unknown", "n/a"}
_YES = {"ใช่", "มี", "ครบ", "ครบถ้วน", "จริง", "yes", "y", "true", "✓", "✔", "☑", "✅", "1"}
_NO = {"ไม่ใช่", "ไม่", "ไม่มี", "ไม่ครบ", "ไม่ครบถ้วน", "ไม่จริง", "no", "n", "false", "✗", "✘", "☐", "❌", "0"}
_EMAIL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")
# Text each reader gives back unchanged and without a problem, told in C for a whole column (`cells._read_each`):
# an address already lower-case and bare (the address pattern has no space, capital or ':' of "mailto:"), a code of
# printable ASCII without space or lower-case letter that starts with a letter or digit (so never a lone dash), a
# text without zero-width marks or space at either end that is not a lone dash (`cells` also checks it is NFC), a
# phone number typed as its bare ASCII digits (Thai digits are read cell by cell: they come back as ASCII).
_NOT_ZERO_WIDTH = "[^\u200b\u200c\u200d\u2060\ufeff\u00ad"
PLAIN_TEXT = {"email": _EMAIL, "code": re.compile(r"[0-9A-Z][!-`{-~]*"),
              "text": re.compile(f"(?![-–—−]\\Z){_NOT_ZERO_WIDTH}\\s](?:{_NOT_ZERO_WIDTH}]*{_NOT_ZERO_WIDTH}\\s])?"),
              "phone": re.compile(r"0[689][0-9]{8}|0[2-7][0-9]{7}"), "mobile": re.compile(r"0[689][0-9]{8}")}
_MOBILE = re.compile(r"0[689]\d{8}")
_LANDLINE = re.compile(r"0[2-7]\d{7}")
_PROVINCE_PREFIX = re.compile(r"^(?:จังหวัด|จ\.)\s*")
VERDICTS = (Choice("ผ่าน", ("pass", "passed")), Choice("ไม่ผ่าน", ("fail", "failed")),
            Choice("ข้อมูลไม่เพียงพอ", ("ไม่เพียงพอ", "insufficient", "insufficient data")))


def compact(raw: object) -> str:
    """Cell text for reading: NFC, zero-width marks dropped, Thai digits as 0–9, spaces collapsed and trimmed."""
    if raw.__class__ is str and raw.isascii():  # most cells: nothing to normalise
        return " ".join(raw.split())
    text = header_text(raw)
    if not text.isascii():
        text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text)).translate(THAI_DIGITS)
    return " ".join(text.split())


def is_blank_text(text: str) -> bool:
    """Empty, or a lone dash."""
    return not text or text in _DASHES


def read_number(raw: object, kind: str = "number") -> Read:
    """`1,250.50`, `๑๒`, `80%` (percent), `฿500` / `500 บาท` (money); range checks come later, vectorised."""
    if isinstance(raw, bool):
        return None, NOT_A_NUMBER
    if isinstance(raw, (int, float)):
        return (None, "") if math.isnan(raw) else (float(raw), "") if math.isfinite(raw) else (None, NOT_A_NUMBER)
    text = compact(raw).replace("−", "-")
    if is_blank_text(text):
        return BLANK
    if text.upper() in _FORMULA_ERRORS:
        return None, FORMULA_ERROR
    prefixes, suffixes = _AFFIXES.get(kind, ((), ()))
    text = _strip_affixes(text, prefixes, suffixes)
    return (float(text.replace(",", "")), "") if _NUMBER.fullmatch(text) else (None, NOT_A_NUMBER)


def _strip_affixes(text: str, prefixes, suffixes) -> str:
    for prefix in prefixes:
        text = text.removeprefix(prefix).strip()
    for suffix in suffixes:
        text = text.removesuffix(suffix).strip()
    return text


def read_score(raw: object) -> Read:
    """A number, or a Likert word (`มากที่สุด` = 5 … `น้อยที่สุด` = 1); the 1–5 range is checked later."""
    word = _word(raw)
    return (float(_LIKERT[word]), "") if word in _LIKERT else read_number(raw)


def score_reader(column: ColumnSpec) -> Reader:
    """`read_score` that also knows the column's own words for each score (`choices` in the layout file, e.g. a
    form's "เห็นด้วยอย่างยิ่ง" = 5)."""
    words = {word: float(value) for word, value in column.choice_lookup().items()}

    def read(raw: object) -> Read:
        word = _word(raw)
        return (words[word], "") if word in words else read_score(raw)

    return read if words else read_score


def rating_reader(column: ColumnSpec) -> Reader:
    """`read_rating` with the column's own words for each score."""
    words = {word: int(value) for word, value in column.choice_lookup().items()}

    def read(raw: object) -> Read:
        word = _word(raw)
        return (words[word], "") if word in words else read_rating(raw)

    return read if words else read_rating


def read_rating(raw: object) -> Read:
    """A score 1–5 as an int, or DONT_KNOW for `ไม่ทราบ` / don't know."""
    if _word(raw) in _DONT_KNOW_WORDS:
        return DONT_KNOW, ""
    value, problem = read_score(raw)
    if problem or value is None:
        return value, problem
    if not 1 <= value <= 5:
        return None, SCORE_RANGE
    return (int(value), "") if float(value).is_integer() else (None, SCORE_WHOLE)


def read_yes_no(raw: object) -> Read:
    """ใช่/ไม่ใช่, มี/ไม่มี, ครบ/ไม่ครบ, ✓, TRUE/FALSE (bool or text), yes/no, 1/0."""
    if isinstance(raw, bool):
        return raw, ""
    word = _word(raw)
    if is_blank_text(word):
        return BLANK
    if word in _YES or word in _NO:
        return word in _YES, ""
    return None, _with_suggestion(NOT_YES_NO, closest(word, ("ใช่", "ไม่ใช่", "มี", "ไม่มี", "ครบ", "ไม่ครบ", "yes", "no")))


def _with_suggestion(problem: str, suggestion: str | None) -> str:
    """`ไทย (English)` with "did you mean" added to both halves."""
    thai, _, english = problem.rpartition(" (")
    return problem_text(*did_you_mean(thai, english.removesuffix(")"), suggestion))


def _word(raw: object) -> str:
    text = normalize_header(header_text(raw))
    return _GLOSS.sub("", text) or text


def read_text(raw: object) -> Read:
    """Text as typed (NFC, trimmed); numbers as the sheet shows them; a lone dash is blank."""
    if isinstance(raw, bool):
        return ("TRUE" if raw else "FALSE"), ""
    if raw.__class__ is str and raw.isascii():  # no marks to drop, already NFC
        text = raw.strip()
        return BLANK if is_blank_text(text) else (text, "")
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", header_text(raw))).strip()
    return BLANK if is_blank_text(text) else (text, "")


def read_code(raw: object) -> Read:
    """An identifier to join on (application number, topic code): Thai digits as 0–9, no spaces, upper case."""
    text = compact(raw)
    return BLANK if is_blank_text(text) else (text.replace(" ", "").upper(), "")


def read_url(raw: object) -> Read:
    """A web link starting with http:// or https://."""
    text = compact(raw)
    if is_blank_text(text):
        return BLANK
    return (text, "") if re.fullmatch(r"https?://\S+", text, re.IGNORECASE) else (None, NOT_URL)


def read_any(raw: object) -> Read:
    """The cell as given (text trimmed); blank is missing."""
    if isinstance(raw, str):
        return read_text(raw)
    return raw, ""


def read_email(raw: object) -> Read:
    """An email address, lower-cased (`mailto:` dropped)."""
    text = compact(raw).lower().removeprefix("mailto:")
    if is_blank_text(text):
        return BLANK
    return (text, "") if _EMAIL.fullmatch(text) else (None, NOT_EMAIL)


def read_phone(raw: object, mobile_only: bool = False) -> Read:
    """A Thai mobile (10 digits) or landline (9 digits) as digits only; +66 becomes 0; first of several numbers."""
    numeric = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    text = compact(raw)
    if is_blank_text(text):
        return BLANK
    first = re.split(r"[,;/]|ต่อ|ext|#", text, maxsplit=1, flags=re.IGNORECASE)[0]
    digits = re.sub(r"[\s\-.()]", "", first)
    digits = re.sub(r"^(?:\+66|66)(?=[1-9]\d{7,8}$)", "0", digits)
    if numeric and re.fullmatch(r"[689]\d{8}|[2-7]\d{7}", digits):
        digits = "0" + digits  # a number cell drops the leading zero
    if _MOBILE.fullmatch(digits) or (not mobile_only and _LANDLINE.fullmatch(digits)):
        return digits, ""
    return None, NOT_MOBILE if mobile_only else NOT_PHONE


def read_national_id(raw: object) -> Read:
    """13 digits with the mod-11 check digit (python-stdnum `th.pin`), dashes and spaces allowed."""
    return _read_thai_id(raw, ("เลขประจำตัวประชาชน", "national ID"), pin.validate, "1–8", pad_lost_zero=False)


def read_tax_id(raw: object) -> Read:
    """13 digits with the mod-11 check digit (python-stdnum `th.tin`); a number cell's lost leading 0 put back."""
    return _read_thai_id(raw, ("เลขประจำตัวผู้เสียภาษี", "tax ID"), tin.validate, "0–8", pad_lost_zero=True)


# ทะเบียนโรงงาน as officers write it: an optional Thai letter, class-sequence(kind)-number/year and a province
# abbreviation, e.g. `3-34(1)-12/59อน`, `จ3-50-12/45ชม`; or the 14-digit registration number of 2555 onwards.
_FACTORY_NUMBER = re.compile(r"[ก-ฮ]?\d{1,3}(?:-\d{1,3}(?:\(\d{1,2}\))?){1,2}-\d{1,6}/\d{2,4}[ก-ฮ.]{0,4}|\d{14}")


def read_enterprise_id(raw: object) -> Read:
    """An enterprise's identity: a 13-digit tax ID (as `read_tax_id`), or a factory registration number."""
    text = re.sub(r"\s", "", compact(raw))
    if _FACTORY_NUMBER.fullmatch(text):
        return text, ""
    value, problem = read_tax_id(raw)
    if problem and not re.fullmatch(r"[\d\-.]+", text):
        return None, problem_text("ต้องเป็นเลขประจำตัวผู้เสียภาษี 13 หลัก หรือเลขทะเบียนโรงงาน เช่น 3-34(1)-12/59อน",
                                  "must be a 13-digit tax ID or a factory registration number")
    return value, problem


def _read_thai_id(raw: object, names: tuple[str, str], validate, first_digits: str, pad_lost_zero: bool) -> Read:
    thai, english = names
    text = compact(raw)
    if is_blank_text(text):
        return BLANK
    digits = re.sub(r"[\s\-.]", "", text)
    if pad_lost_zero and isinstance(raw, (int, float)) and len(digits) == 12:
        digits = "0" + digits
    if not re.fullmatch(r"\d{13}", digits):
        return None, problem_text(f"{thai}ต้องเป็นตัวเลข 13 หลัก", f"{english} must be 13 digits")
    if digits[-1] != pin.calc_check_digit(digits):
        return None, problem_text(f"{thai}ไม่ถูกต้อง: เลขตรวจสอบผิด", f"{english} check digit wrong")
    try:
        return validate(digits), ""
    except ValidationError:
        return None, problem_text(f"{thai}ไม่ถูกต้อง: หลักแรกต้องเป็น {first_digits}",
                                  f"{english} must start with {first_digits}")


def choice_reader(column: ColumnSpec) -> Reader:
    """Reads a value of `column.choices` (or its aliases, or with an English gloss) as the canonical value."""
    lookup = column.choice_lookup()
    names = " / ".join(c.value for c in column.choices)
    wrong = NOT_PROVINCE if column.type == "province" else problem_text(f"ต้องเป็น {names}", "not one of the choices")

    def read(raw: object) -> Read:
        word = _word(raw)
        if is_blank_text(word):
            return BLANK
        if column.type == "province":
            word = _PROVINCE_PREFIX.sub("", word)
        if word in lookup:
            return lookup[word], ""
        return None, _with_suggestion(wrong, closest(word, (c.value for c in column.choices)))

    return read


def verdict_column(column: ColumnSpec) -> ColumnSpec:
    """A verdict column with the built-in verdicts and their English aliases (limited to its choices, if any)."""
    allowed = {c.value for c in column.choices} or {c.value for c in VERDICTS}
    return ColumnSpec(column.key, column.header, "choice", choices=tuple(c for c in VERDICTS if c.value in allowed))
