"""Typing cells: every type, Thai digits, BE/CE, serial numbers, IDs, words, blanks and garbage."""
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from app.sheets.cells import DONT_KNOW, TYPES, is_future, parse_cell, parse_column
from app.sheets.layout import Choice, ColumnSpec

NOT_A_NUMBER = "อ่านเป็นตัวเลขไม่ได้ (not a number)"
NOT_A_DATE = "อ่านเป็นวันที่ไม่ได้ (not a date)"
SCORE_RANGE = "คะแนนต้องอยู่ระหว่าง 1–5 (score must be 1–5)"
NEGATIVE = "จำนวนเงินต้องไม่ติดลบ (money must not be negative)"
NID_CHECK = "เลขประจำตัวประชาชนไม่ถูกต้อง: เลขตรวจสอบผิด (national ID check digit wrong)"
PROVINCES = (Choice("กรุงเทพมหานคร", ("กรุงเทพฯ", "กทม.", "Bangkok")), Choice("เชียงใหม่", ("Chiang Mai",)))


def column(kind: str, **options) -> ColumnSpec:
    return ColumnSpec("value", "ค่า", kind, **options)


def cell(kind: str, raw, **options):
    return parse_cell(raw, column(kind, **options))


def problem_of(kind: str, raw, **options) -> str:
    return cell(kind, raw, **options)[1]


BLANKS = [None, "", "   ", "\u00a0", "\u200b", "-", float("nan")]


@pytest.mark.parametrize("kind", sorted(TYPES - {"choice", "province"}))
@pytest.mark.parametrize("raw", BLANKS)
def test_blank_is_missing_never_a_problem(kind, raw):
    assert cell(kind, raw) == (None, "")


@pytest.mark.parametrize("raw, expected", [
    (12, 12.0), (2.5, 2.5), ("12", 12.0), (" 12 ", 12.0), ("1,250.50", 1250.5), ("1,000,000", 1e6),
    ("๑๒", 12.0), ("๑,๒๕๐.๕๐", 1250.5), ("-3.5", -3.5), ("−3", -3.0), (".5", 0.5), ("0", 0.0),
])
def test_number_reads(raw, expected):
    assert cell("number", raw) == (expected, "")


@pytest.mark.parametrize("raw", ["abc", "1,25", "12,3456", "1.2.3", "12 คน", True, False, "inf", "nan", "1 250"])
def test_number_garbage(raw):
    assert cell("number", raw) == (None, NOT_A_NUMBER)


@pytest.mark.parametrize("raw", ["1e308", "1E3", "-1e-5", "1e400", "0x1A"])
def test_number_in_scientific_notation_typed_as_text_is_reported(raw):
    """Finding 11 of issue #11: "1e308" typed as text passed the pandas fast path as a number, unreported."""
    assert cell("number", raw) == (None, NOT_A_NUMBER)
    assert cell("integer", raw) == (None, NOT_A_NUMBER)


def test_formula_error_is_named():
    assert problem_of("number", "#DIV/0!") == "ค่าผิดพลาดจากสูตร (formula error)"


@pytest.mark.parametrize("raw, expected", [
    ("80%", 80.0), ("80 %", 80.0), ("๘๐%", 80.0), ("ร้อยละ 70", 70.0), (75, 75.0), ("12.5%", 12.5), (-20, -20.0),
])
def test_percent_reads(raw, expected):
    assert cell("percent", raw) == (expected, "")


@pytest.mark.parametrize("raw, expected, problem", [
    (0, 0.0, ""), ("฿1,000", 1000.0, ""), ("500 บาท", 500.0, ""), (1250.5, 1250.5, ""),
    (-1, None, NEGATIVE), ("-0.01", None, NEGATIVE),
])
def test_money_is_never_negative(raw, expected, problem):
    assert cell("money", raw) == (expected, problem)


def test_amount_may_be_negative():
    assert cell("amount", "-1,200 บาท") == (-1200.0, "")


@pytest.mark.parametrize("raw, expected, problem", [
    (3, 3, ""), (3.0, 3, ""), ("๕", 5, ""), ("4", 4, ""), (3.5, None, "ต้องเป็นจำนวนเต็ม (must be a whole number)"),
    (-1, None, "ต้องไม่น้อยกว่า 0 (must be at least 0)"), (101, None, "ต้องไม่เกิน 100 (must be at most 100)"),
    (100, 100, ""),
])
def test_integer_with_bounds(raw, expected, problem):
    assert cell("integer", raw, min=0, max=100) == (expected, problem)


@pytest.mark.parametrize("raw, expected, problem", [
    (1, 1, ""), (5, 5, ""), ("๓", 3, ""), ("มากที่สุด", 5, ""), ("น้อยที่สุด", 1, ""),
    (0, None, SCORE_RANGE), (6, None, SCORE_RANGE), ("5.5", None, SCORE_RANGE),
    (4.5, None, "คะแนนต้องเป็นจำนวนเต็ม 1–5 (score must be a whole number 1–5)"), ("ดี", None, NOT_A_NUMBER),
])
def test_score(raw, expected, problem):
    assert cell("score", raw) == (expected, problem)


@pytest.mark.parametrize("raw, expected, problem", [
    (1, 1, ""), ("5", 5, ""), ("๔", 4, ""), ("ไม่ทราบ", DONT_KNOW, ""), ("ไม่ทราบ (don't know)", DONT_KNOW, ""),
    ("Don't know", DONT_KNOW, ""), (0, None, SCORE_RANGE), (6, None, SCORE_RANGE), ("x", None, NOT_A_NUMBER),
])
def test_rating_knows_dont_know(raw, expected, problem):
    assert cell("rating", raw) == (expected, problem)


def test_rating_column_separates_dont_know_from_missing():
    typed, problems = parse_column(pd.Series([5, "ไม่ทราบ", None, 3], dtype=object), column("rating"))
    assert typed.tolist() == [5, DONT_KNOW, None, 3]
    assert pd.to_numeric(typed, errors="coerce").mean() == 4.0
    assert (problems == "").all()


@pytest.mark.parametrize("raw, expected", [
    (45337, date(2024, 2, 15)),                  # serial number (Google SERIAL_NUMBER and Excel alike)
    (45337.75, date(2024, 2, 15)),               # a time of day does not move the date
    (1.0 * 18264, date(1950, 1, 1)),             # first plausible day
    ("15/02/2567", date(2024, 2, 15)),           # พ.ศ.
    ("15/02/2024", date(2024, 2, 15)),           # ค.ศ.
    ("15/2/2567", date(2024, 2, 15)),
    ("๑๕/๐๒/๒๕๖๗", date(2024, 2, 15)),           # Thai digits
    ("15-02-2567", date(2024, 2, 15)), ("15.02.2567", date(2024, 2, 15)),
    ("2567-02-15", date(2024, 2, 15)), ("2024-02-15", date(2024, 2, 15)),
    ("15 ก.พ. 2567", date(2024, 2, 15)), ("15 กพ 2567", date(2024, 2, 15)), ("15 กุมภาพันธ์ 2567", date(2024, 2, 15)),
    ("15 ก.พ. พ.ศ. 2567", date(2024, 2, 15)), ("วันพฤหัสบดีที่ 15 กุมภาพันธ์ 2567", date(2024, 2, 15)),
    ("15 Feb 2024", date(2024, 2, 15)), ("15 February 2024", date(2024, 2, 15)),
    ("29/02/2567", date(2024, 2, 29)),           # 2567 BE = 2024, a leap year (2567 CE is not)
    ("15/02/2567 10:30:00", date(2024, 2, 15)),
    (243_000, date(2022, 4, 22)),                # a พ.ศ. date typed into a date cell: serial of 2565-04-22 CE
    (datetime(2024, 2, 15, 9, 0), date(2024, 2, 15)),
])
def test_date_reads(raw, expected):
    assert cell("date", raw) == (expected, "")


@pytest.mark.parametrize("raw, problem", [
    ("15/2/67", "ปีต้องเขียนเต็ม 4 หลัก เช่น 2567 หรือ 2024 (year must have 4 digits)"),  # BE 2567 or CE 1967/2067?
    ("29/02/2566", "ไม่มีวันที่นี้ในปฏิทิน (no such calendar date)"),  # 2023 is not a leap year
    ("31/04/2567", "ไม่มีวันที่นี้ในปฏิทิน (no such calendar date)"),
    ("15/13/2567", "ไม่มีวันที่นี้ในปฏิทิน (no such calendar date)"),
    ("15/02/2300", "ปีไม่สมเหตุสมผล (ต้องอยู่ระหว่าง ค.ศ. 1950–2200) (implausible year)"),
    ("15/02/1900", "ปีไม่สมเหตุสมผล (ต้องอยู่ระหว่าง ค.ศ. 1950–2200) (implausible year)"),
    (0, NOT_A_DATE), (-5, NOT_A_DATE), (1, NOT_A_DATE), (2567, NOT_A_DATE), (15022567, NOT_A_DATE),
    ("hello", NOT_A_DATE), ("15 ฟ.ฟ. 2567", NOT_A_DATE), (True, NOT_A_DATE), ("2567", NOT_A_DATE),
    ("15/02/2567 25:00", "อ่านเวลาไม่ได้ (not a time of day)"),
])
def test_date_problems(raw, problem):
    assert cell("date", raw) == (None, problem)


@pytest.mark.parametrize("raw, expected", [
    (45337.4375, datetime(2024, 2, 15, 10, 30)),
    (45337.4375 + 1 / 86400 / 3, datetime(2024, 2, 15, 10, 30)),   # float noise rounds to the second
    ("15/2/2024, 10:30:00", datetime(2024, 2, 15, 10, 30)),         # Google Forms timestamp as text
    ("15/2/2024 10:30:00", datetime(2024, 2, 15, 10, 30)),
    ("15/2/2567 10:30", datetime(2024, 2, 15, 10, 30)),
    ("15/2/2567 เวลา 10.30 น.", datetime(2024, 2, 15, 10, 30)),
    ("2024-02-15T10:30:00", datetime(2024, 2, 15, 10, 30)),
    ("15/2/2024 10:30:00 PM", datetime(2024, 2, 15, 22, 30)),
    ("15/2/2024 12:05 AM", datetime(2024, 2, 15, 0, 5)),
    ("15/02/2567", datetime(2024, 2, 15)),
])
def test_datetime_reads(raw, expected):
    assert cell("datetime", raw) == (expected, "")


def test_serial_dates_are_vectorised_with_the_same_rules():
    values = pd.Series([45337.0, 45338.5, None, 0.0, 243000.0], dtype="float64")
    typed, problems = parse_column(values, column("date"))
    assert typed.dtype == "datetime64[ns]"
    assert typed.iloc[:2].tolist() == [pd.Timestamp(2024, 2, 15), pd.Timestamp(2024, 2, 16)]
    assert pd.isna(typed.iloc[2]) and problems.iloc[2] == ""
    assert problems.iloc[3] == NOT_A_DATE
    assert typed.iloc[4] == pd.Timestamp(2022, 4, 22)


def test_future_dates_only_when_today_is_given():
    dated = column("date", not_future=True)
    assert parse_cell("16/02/2567", dated) == (date(2024, 2, 16), "")
    future = "วันที่อยู่ในอนาคต (date is in the future)"
    assert parse_cell("16/02/2567", dated, today=date(2024, 2, 15)) == (None, future)
    assert parse_cell("15/02/2567", dated, today=date(2024, 2, 15)) == (date(2024, 2, 15), "")
    stamped = column("datetime", not_future=True)
    assert parse_cell("15/2/2024 23:59:59", stamped, today=date(2024, 2, 15))[1] == ""


def test_is_future_hook():
    typed = pd.Series([pd.Timestamp(2024, 2, 15, 23), pd.Timestamp(2024, 2, 16), pd.NaT])
    assert is_future(typed, date(2024, 2, 15)).tolist() == [False, True, False]


@pytest.mark.parametrize("raw, expected", [
    (True, True), (False, False), ("TRUE", True), ("FALSE", False), ("true", True), ("ใช่", True), ("ไม่ใช่", False),
    ("มี", True), ("ไม่มี", False), ("ครบ", True), ("ไม่ครบ", False), ("ครบถ้วน", True), ("✓", True), ("✔", True),
    ("☑", True), ("✗", False), ("yes", True), ("No", False), ("Y", True), (1, True), (0, False), ("ใช่ (yes)", True),
    (" ใช่ ", True),
])
def test_yes_no_reads(raw, expected):
    assert cell("yes_no", raw) == (expected, "")


@pytest.mark.parametrize("raw", ["ผ่าน", "อาจจะ", 2, "x"])
def test_yes_no_only_takes_yes_no_words(raw):
    assert cell("yes_no", raw) == (None, "อ่านเป็น ใช่/ไม่ใช่ ไม่ได้ (not a yes/no value)")


def test_yes_no_column_is_nullable_boolean():
    typed, _ = parse_column(pd.Series([True, "ไม่ใช่", None], dtype=object), column("yes_no"))
    assert str(typed.dtype) == "boolean" and typed.tolist() == [True, False, pd.NA]


@pytest.mark.parametrize("raw, expected, problem", [
    ("1101700230708", "1101700230708", ""),
    ("1-1017-00230-70-8", "1101700230708", ""),
    ("1 1017 00230 70 8", "1101700230708", ""),
    ("๑๑๐๑๗๐๐๒๓๐๗๐๘", "1101700230708", ""),
    (1101700230708, "1101700230708", ""),          # a number cell
    (1101700230708.0, "1101700230708", ""),
    ("3100600445635", "3100600445635", ""),
    ("1101700230705", None, NID_CHECK),
    ("0101700230700", None, "เลขประจำตัวประชาชนไม่ถูกต้อง: หลักแรกต้องเป็น 1–8 (national ID must start with 1–8)"),
    ("9101700230703", None, "เลขประจำตัวประชาชนไม่ถูกต้อง: หลักแรกต้องเป็น 1–8 (national ID must start with 1–8)"),
    ("110170023070", None, "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก (national ID must be 13 digits)"),
    ("11017002307081", None, "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก (national ID must be 13 digits)"),
    ("11017002307O8", None, "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก (national ID must be 13 digits)"),
])
def test_national_id(raw, expected, problem):
    assert cell("national_id", raw) == (expected, problem)


@pytest.mark.parametrize("raw, expected, problem", [
    ("0994000165510", "0994000165510", ""),        # a company (MOA number)
    ("0-1055-36112-01-4", "0105536112014", ""),
    (105536112014, "0105536112014", ""),            # a number cell lost the leading 0
    ("1101700230708", "1101700230708", ""),         # a person's ID is also a tax ID
    ("0994000165511", None, "เลขประจำตัวผู้เสียภาษีไม่ถูกต้อง: เลขตรวจสอบผิด (tax ID check digit wrong)"),
    ("105536112014", None, "เลขประจำตัวผู้เสียภาษีต้องเป็นตัวเลข 13 หลัก (tax ID must be 13 digits)"),
    ("9101700230703", None, "เลขประจำตัวผู้เสียภาษีไม่ถูกต้อง: หลักแรกต้องเป็น 0–8 (tax ID must start with 0–8)"),
])
def test_tax_id(raw, expected, problem):
    assert cell("tax_id", raw) == (expected, problem)


@pytest.mark.parametrize("kind, raw, expected", [
    ("phone", "081-234-5678", "0812345678"), ("phone", "081 234 5678", "0812345678"),
    ("phone", "+66 81 234 5678", "0812345678"), ("phone", "+66812345678", "0812345678"),
    ("phone", "๐๘๑๒๓๔๕๖๗๘", "0812345678"), ("phone", 812345678, "0812345678"),
    ("phone", "02-430-6869", "024306869"), ("phone", "02 430 6869 ต่อ 1235", "024306869"),
    ("phone", "081-234-5678, 02-430-6869", "0812345678"), ("phone", "(02) 430-6869", "024306869"),
    ("mobile", "0912345678", "0912345678"), ("mobile", "06-1234-5678", "0612345678"),
])
def test_phone_reads_to_digits(kind, raw, expected):
    assert cell(kind, raw) == (expected, "")


@pytest.mark.parametrize("kind, raw, problem", [
    ("phone", "12345", "อ่านเป็นเบอร์โทรศัพท์ไม่ได้ (not a Thai phone number)"),
    ("phone", "08123456789", "อ่านเป็นเบอร์โทรศัพท์ไม่ได้ (not a Thai phone number)"),
    ("phone", "โทรหาได้", "อ่านเป็นเบอร์โทรศัพท์ไม่ได้ (not a Thai phone number)"),
    ("mobile", "02-430-6869", "ไม่ใช่เบอร์มือถือ 10 หลัก เช่น 081-234-5678 (not a 10-digit Thai mobile number)"),
])
def test_phone_problems(kind, raw, problem):
    assert cell(kind, raw) == (None, problem)


@pytest.mark.parametrize("raw, expected, problem", [
    ("somchai@example.co.th", "somchai@example.co.th", ""),
    (" Somchai.J@Example.CO.TH ", "somchai.j@example.co.th", ""),
    ("mailto:a.b+c@gmail.com", "a.b+c@gmail.com", ""),
    ("somchai@", None, "รูปแบบอีเมลไม่ถูกต้อง (not an email address)"),
    ("somchai@gmail,com", None, "รูปแบบอีเมลไม่ถูกต้อง (not an email address)"),
    ("som chai@gmail.com", None, "รูปแบบอีเมลไม่ถูกต้อง (not an email address)"),
    ("a..b@gmail.com", None, "รูปแบบอีเมลไม่ถูกต้อง (not an email address)"),
    ("สมชาย@gmail.com", None, "รูปแบบอีเมลไม่ถูกต้อง (not an email address)"),
])
def test_email(raw, expected, problem):
    assert cell("email", raw) == (expected, problem)


@pytest.mark.parametrize("raw, expected", [
    ("กรุงเทพมหานคร", "กรุงเทพมหานคร"), ("กรุงเทพฯ", "กรุงเทพมหานคร"), ("กทม.", "กรุงเทพมหานคร"),
    ("bangkok", "กรุงเทพมหานคร"), (" เชียงใหม่ ", "เชียงใหม่"), ("จังหวัดเชียงใหม่", "เชียงใหม่"),
    ("จ.เชียงใหม่", "เชียงใหม่"), ("CHIANG  MAI", "เชียงใหม่"),
])
def test_province_aliases_give_the_canonical_name(raw, expected):
    assert cell("province", raw, choices=PROVINCES) == (expected, "")


def test_province_not_among_the_77():
    not_province = "ไม่ใช่ชื่อจังหวัดใน 77 จังหวัด (not one of the 77 provinces)"
    assert cell("province", "ปารีส", choices=PROVINCES) == (None, not_province)


@pytest.mark.parametrize("raw, expected, problem", [
    ("การผลิต", "การผลิต", ""), ("manufacturing", "การผลิต", ""), ("การค้าและบริการ (trade)", "การค้าและบริการ", ""),
    ("เกษตร", None, "ต้องเป็น การผลิต / การค้าและบริการ (not one of the choices)"),
])
def test_choice(raw, expected, problem):
    sectors = (Choice("การผลิต", ("manufacturing",)), Choice("การค้าและบริการ"))
    assert cell("choice", raw, choices=sectors) == (expected, problem)


@pytest.mark.parametrize("raw, expected", [
    ("ผ่าน", "ผ่าน"), ("ไม่ผ่าน", "ไม่ผ่าน"), ("ข้อมูลไม่เพียงพอ", "ข้อมูลไม่เพียงพอ"), ("ไม่ผ่าน (fail)", "ไม่ผ่าน"),
    ("Pass", "ผ่าน"), ("fail", "ไม่ผ่าน"), ("insufficient", "ข้อมูลไม่เพียงพอ"),
])
def test_verdict(raw, expected):
    assert cell("verdict", raw) == (expected, "")


def test_verdict_problems_and_subsets():
    assert problem_of("verdict", "ดี") == "ต้องเป็น ผ่าน / ไม่ผ่าน / ข้อมูลไม่เพียงพอ (not one of the choices)"
    interview = (Choice("ผ่าน"), Choice("ไม่ผ่าน"))
    assert cell("verdict", "fail", choices=interview) == ("ไม่ผ่าน", "")
    assert problem_of("verdict", "ข้อมูลไม่เพียงพอ", choices=interview) == (
        "ต้องเป็น ผ่าน / ไม่ผ่าน (not one of the choices)")


@pytest.mark.parametrize("kind, raw, expected", [
    ("text", "  สมชาย ใจดี ", "สมชาย ใจดี"), ("text", 1001.0, "1001"), ("text", 12.5, "12.5"), ("text", True, "TRUE"),
    ("code", " app-๐๐1 ", "APP-001"), ("code", 1001, "1001"), ("code", 1001.0, "1001"), ("code", "A 12", "A12"),
    ("url", "https://docs.google.com/forms/d/e/x/viewform", "https://docs.google.com/forms/d/e/x/viewform"),
    ("any", 80, 80), ("any", " คู่มือ ", "คู่มือ"),
])
def test_text_like(kind, raw, expected):
    assert cell(kind, raw) == (expected, "")


def test_url_must_be_a_link():
    assert problem_of("url", "docs.google.com/forms") == (
        "ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https:// (not a web link)")


def test_problem_means_missing_value_and_index_is_kept():
    values = pd.Series(["1,000", "abc", None, 5, True], index=[10, 11, 12, 13, 14], dtype=object)
    typed, problems = parse_column(values, column("money"))
    assert typed.index.tolist() == problems.index.tolist() == [10, 11, 12, 13, 14]
    assert typed.tolist()[0] == 1000.0 and typed.tolist()[3] == 5.0
    assert typed.isna().tolist() == [False, True, True, False, True]
    assert problems.tolist() == ["", NOT_A_NUMBER, "", "", NOT_A_NUMBER]


def test_numeric_fast_path_on_a_float_column():
    values = pd.Series(np.array([1.0, np.nan, -2.0, 3.5]))
    typed, problems = parse_column(values, column("integer", min=0))
    assert typed.dtype == "Int64"
    assert typed.tolist() == [1, pd.NA, pd.NA, pd.NA]
    assert problems.tolist() == [
        "", "", "ต้องไม่น้อยกว่า 0 (must be at least 0)", "ต้องเป็นจำนวนเต็ม (must be a whole number)"]


def test_mixed_numbers_and_texts_in_one_column():
    values = pd.Series([1, "๒", "3%", "4,000", 5.5, "", None], dtype=object)
    typed, problems = parse_column(values, column("percent"))
    assert typed.tolist()[:5] == [1.0, 2.0, 3.0, 4000.0, 5.5]
    assert typed.iloc[5:].isna().all() and (problems == "").all()


def test_a_sheet_sized_column_parses():
    """Not a timing test: 22,000 rows through the fast path and the per-cell path, every value right."""
    rows = 22_000
    values = pd.Series([float(i) if i % 7 else f"{i:,}" for i in range(rows)], dtype=object)
    typed, problems = parse_column(values, column("money"))
    assert (problems == "").all()
    assert typed.sum() == sum(range(rows))


@pytest.mark.parametrize("kind", ["email", "code", "text", "phone", "mobile"])
def test_text_a_column_passes_over_as_plain_reads_as_itself(kind):
    """parse_column does not call the reader for text its PLAIN_TEXT pattern matches (and that is NFC already):
    every such text must read as itself, with no problem, exactly as the reader reads it one cell at a time."""
    import random
    import unicodedata

    from functools import partial

    from app.sheets.cell_readers import PLAIN_TEXT, read_code, read_email, read_phone, read_text
    read = {"email": read_email, "code": read_code, "text": read_text, "phone": read_phone,
            "mobile": partial(read_phone, mobile_only=True)}[kind]
    rng = random.Random(12)
    alphabet = "aZ09.-_@:+ \t๑ก่ABmailto" + "".join(map(chr, range(33, 127))) + "\u200b\u00a0\u0301é–—\n\u3000ำํา"
    texts = ["a@b.co", "A@b.co", "mailto:a@b.co", " a@b.co", "-", "–", "A2569-0001", "a2569-0001", "A 1", "๑23",
             "X-", "-X", "ab@cd.efg", "ab@cd", "a..b@c.de", "1", "Z~{|}`", "สมชาย ใจดี", "e\u0301", "é", "\u00a0x",
             "x\u00a0", "ก\u200bข", "—", "−", "--", "x\ny", ""]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    texts += [f"{rng.choice(['x', 'A.b', 'q_r'])}@{rng.choice(['mail', 'ก'])}.{rng.choice(['com', 'th', 'C'])}"
              for _ in range(200)]
    texts += [rng.choice(["0", "+66", "๐", ""]) + "".join(rng.choice("0123456789๙-") for _ in range(rng.randrange(7, 11)))
              for _ in range(1000)]  # phone numbers, some with Thai digits or dashes
    texts += ["0" + rng.choice("2689") + "".join(rng.choice("0123456789") for _ in range(rng.choice([7, 8])))
              for _ in range(100)]
    plain = [t for t in texts if PLAIN_TEXT[kind].fullmatch(t) and unicodedata.is_normalized("NFC", t)]
    assert len(plain) > 20
    assert [read(t) for t in plain] == [(t, "") for t in plain]
    typed, problems = parse_column(pd.Series(texts, dtype=object), column(kind))
    assert list(zip(typed.tolist(), problems.tolist())) == [read(t) for t in texts]
