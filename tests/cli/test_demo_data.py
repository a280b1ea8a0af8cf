"""Demo workbooks: deterministic, laid out as SPEC.md's appendix, valid except the documented BAD_ROWS."""
from __future__ import annotations

import re
import time
from datetime import date, datetime

import pytest
from stdnum.th import pin, tin

from app.demo_data import (BAD_ROWS, DUPLICATE_ROWS, PROVINCES, QUIRKS, assessment_workbook, bad_rows,
                           reporting_workbook, valid_national_id, valid_tax_id)

# Headers copied from SPEC.md's appendix (not from the module under test).
TOPIC_RE = re.compile(r"^\[C\d+\] \S")
ASSESSMENT_HEADERS = {
    "ตั้งค่า": ["รายการ", "ค่า"],
    "หัวข้อสมรรถนะ": ["รหัส", "หัวข้อสมรรถนะ", "น้ำหนัก (ร้อยละ)"],
    "ผู้สมัคร": ["ประทับเวลา", "เลขที่ใบสมัคร", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "อีเมล",
                 "โทรศัพท์", "เลขสมาชิก i.industry", "วันที่สอบผ่าน I3C", "ประสบการณ์การเป็นที่ปรึกษา (ปี)",
                 "จำนวนตัวอย่างผลงาน", "เอกสารครบถ้วน", "บุคคลอ้างอิง 1 ชื่อ", "บุคคลอ้างอิง 1 อีเมล",
                 "บุคคลอ้างอิง 2 ชื่อ", "บุคคลอ้างอิง 2 อีเมล", "บุคคลอ้างอิง 3 ชื่อ", "บุคคลอ้างอิง 3 อีเมล"],
    "ผลประเมินเอกสาร": ["ประทับเวลา", "เลขที่ใบสมัคร", "ผู้ประเมิน", "ค่าประสบการณ์", "TOPICS"],
    "แบบประเมินบุคคลอ้างอิง": ["ประทับเวลา", "ที่อยู่อีเมล", "เลขที่ใบสมัคร", "รหัสยืนยัน", "ชื่อผู้ประเมิน",
                               "ความสัมพันธ์กับผู้สมัคร", "TOPICS", "ข้อเสนอแนะ"],
    "ผลสัมภาษณ์": ["ประทับเวลา", "เลขที่ใบสมัคร", "ผู้สัมภาษณ์", "TOPICS"],
    "มติคณะกรรมการ": ["เลขที่ใบสมัคร", "วันที่ประชุม", "มติ", "หมายเหตุ"],
    "ความพึงพอใจ": ["ประทับเวลา"] + [f"ข้อ {i}" for i in range(1, 9)],
}
SETTINGS = {"วันปิดรับสมัคร": None, "นโยบายการตัดสิน": "คู่มือ", "เกณฑ์ผ่าน (ร้อยละ)": 80,
            "เกณฑ์สัมภาษณ์ (ร้อยละ)": 70, "น้ำหนักไม่ผ่านสูงสุด (ร้อยละ)": 5, "จำนวนบุคคลอ้างอิงขั้นต่ำ": 2,
            "เกณฑ์ผ่านบุคคลอ้างอิง (คะแนนเฉลี่ย)": 3.5, "เกณฑ์ไม่ผ่านบุคคลอ้างอิง (คะแนนเฉลี่ย)": 2.5,
            "อายุผลสอบ I3C (ปี)": 3, "รอบุคคลอ้างอิงไม่เกิน (วัน)": 14, "เตือนบุคคลอ้างอิงทุก (วัน)": 3,
            "จำนวนครั้งเตือนสูงสุด": 2, "ลิงก์แบบประเมินบุคคลอ้างอิง": None}
UNIT_HEADERS = [
    "ชื่อกิจกรรม", "วันที่เริ่มกิจกรรม", "วันที่สิ้นสุดกิจกรรม", "ประเภทกิจกรรม", "จังหวัด", "สถานะเข้าร่วมโครงการ",
    "เลขบัตรประจำตัวประชาชน", "ชื่อ-นามสกุล", "โทรศัพท์มือถือ", "อีเมล", "ประเภทสมาชิก", "เลขประจำตัวผู้เสียภาษี",
    "ชื่อองค์กร", "คลัสเตอร์", "ภาคธุรกิจ", "จำนวนการจ้างงาน (คน)", "รายได้ต่อปี (บาท)", "จำนวนของเสียก่อน",
    "จำนวนผลิตก่อน", "มูลค่าของเสียก่อน (บาท/เดือน)", "จำนวนของเสียหลัง", "จำนวนผลิตหลัง",
    "มูลค่าของเสียหลัง (บาท/เดือน)", "ต้นทุนการผลิตก่อน (บาท/เดือน)", "ต้นทุนการผลิตหลัง (บาท/เดือน)",
    "ยอดขายก่อน (บาท/เดือน)", "ยอดขายหลัง (บาท/เดือน)", "รายได้ก่อน (บาท/เดือน)", "รายได้หลัง (บาท/เดือน)",
    "ราคาขายก่อน (บาท/หน่วย)", "ราคาขายหลัง (บาท/หน่วย)", "จำนวนที่ขายหลัง (หน่วย/เดือน)", "ต้นทุนต่อหน่วยก่อน (บาท)",
    "ต้นทุนต่อหน่วยหลัง (บาท)", "จำนวนผลิตใน 12 เดือน (หน่วย)", "คาร์บอนฟุตพริ้นท์ก่อน", "คาร์บอนฟุตพริ้นท์หลัง",
    "การลงทุนเพิ่ม (บาท)",  # seed 000 counts the extra investment in the economic value (not in SPEC's appendix)
    *(f"ความพึงพอใจ ข้อ {i}" for i in range(1, 10)), "นำผลไปใช้", "ของเสียลดลง (ร้อยละ)", "ต้นทุนลดลง (ร้อยละ)",
    "ยอดขายเพิ่มขึ้น (ร้อยละ)", "มูลค่าทางเศรษฐกิจ (บาท)"]
SPEC_CLUSTERS = {"Sport Economy", "เทคโนโลยีเพื่อการเกษตร", "BCG Fashion Lifestyle", "ผ้าไทย", "ไม้ดอกไม้ประดับ",
                 "Health Retreatment", "ปลากัด"}
UNITS = ("กข.", "ศภ.1", "ศภ.2", "ศภ.3")
MONEY = [h for h in UNIT_HEADERS[17:38]]


@pytest.fixture(scope="module")
def book_a():
    return assessment_workbook()


@pytest.fixture(scope="module")
def book_b():
    return reporting_workbook()


def norm(header: str) -> str:
    return " ".join(header.split())


def cell(book, tab: str, row: int, header: str):
    grid = book[tab]
    return grid[row - 1][grid[0].index(header)]


def records(book, tab: str):
    """(sheet row, {header: value}) of the non-blank rows."""
    grid = book[tab]
    for r, row in enumerate(grid[1:], start=2):
        if any(v is not None for v in row):
            yield r, {norm(h): v for h, v in zip(grid[0], row)}


def number(value) -> float:
    """Read a number as the service must: Thai digits and commas allowed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).replace(",", "")
    return float(text)


def text_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    d, m, y = (int(x) for x in str(value).split("/"))
    return date(y - 543 if y > 2400 else y, m, d)


def bad_at(tab: str) -> set[tuple[int, str]]:
    return {(row, norm(header)) for t, row, header, _ in BAD_ROWS if t == tab}


# --- determinism and shape ------------------------------------------------------------------------

def test_same_seed_same_workbooks_and_other_seed_differs():
    assert assessment_workbook(seed=7) == assessment_workbook(seed=7)
    assert reporting_workbook(seed=7) == reporting_workbook(seed=7)
    assert assessment_workbook(seed=7)["ผู้สมัคร"] != assessment_workbook(seed=8)["ผู้สมัคร"]
    assert reporting_workbook(seed=7)["กข."] != reporting_workbook(seed=8)["กข."]


def test_cells_are_plain_values(book_a, book_b):
    allowed = (str, int, float, bool, type(None), date, datetime)
    for book in (book_a, book_b):
        for tab, grid in book.items():
            assert all(isinstance(v, allowed) for row in grid for v in row), tab
            assert all(len(row) == len(grid[0]) for row in grid), tab


def test_assessment_headers_as_in_spec(book_a):
    assert list(book_a) == list(ASSESSMENT_HEADERS)
    topics = [f"[{code}] {name}" for code, name, _ in book_a["หัวข้อสมรรถนะ"][1:]]
    for tab, expected in ASSESSMENT_HEADERS.items():
        want = [h for e in expected for h in (topics if e == "TOPICS" else [e])]
        assert book_a[tab][0] == want, tab
    assert all(TOPIC_RE.match(t) for t in topics)


def test_settings_have_every_item_with_spec_defaults(book_a):
    settings = dict(book_a["ตั้งค่า"][1:])
    assert list(settings) == list(SETTINGS)
    for item, value in SETTINGS.items():
        if value is not None:
            assert settings[item] == value, item
    assert settings["วันปิดรับสมัคร"] == date(2026, 10, 31)
    assert settings["ลิงก์แบบประเมินบุคคลอ้างอิง"].startswith("https://docs.google.com/forms/")


def test_topics_six_to_eight_with_weights_summing_to_100(book_a):
    rows = book_a["หัวข้อสมรรถนะ"][1:]
    assert 6 <= len(rows) <= 8
    assert [r[0] for r in rows] == [f"C{i}" for i in range(1, len(rows) + 1)]
    assert sum(r[2] for r in rows) == 100


def test_reporting_headers_as_in_spec_with_documented_untidiness(book_b):
    assert list(book_b) == ["หน่วยงาน", *UNITS, "หลักฐานคลัสเตอร์"]
    assert book_b["หน่วยงาน"][0] == ["แท็บ", "ชื่อหน่วยงาน"]
    assert [r[0] for r in book_b["หน่วยงาน"][1:]] == list(UNITS)
    assert book_b["หน่วยงาน"][2][1] == "ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 1"
    assert book_b[UNITS[0]][0] == UNIT_HEADERS
    untidy = {(tab, h) for tab, row, h, _ in QUIRKS if row == 1 and h}
    shuffled = {tab for tab, row, h, _ in QUIRKS if row == 1 and h is None}
    assert shuffled == {UNITS[3]}
    for unit in UNITS:
        header = book_b[unit][0]
        assert sorted(norm(h) for h in header) == sorted(UNIT_HEADERS), unit
        odd = {h for h in header if h not in UNIT_HEADERS}
        assert odd == {h for tab, h in untidy if tab == unit}, unit
        assert (header != UNIT_HEADERS) == (unit in shuffled or bool(odd)), unit
    evidence = book_b["หลักฐานคลัสเตอร์"][0]
    assert evidence[:3] == ["คลัสเตอร์", "ประเภท", "ปีที่ดำเนินการ"]
    assert {"L1 โครงสร้างคณะกรรมการ", "L1 แผนกลยุทธ์", "L1 Cluster Map", "L1 แผนปฏิบัติการ"} <= set(evidence)
    assert {h[:2] for h in evidence[3:]} == {"L1", "L2", "L3", "L4", "L5"}


def test_reporting_vocabulary(book_b):
    clusters, sectors, provinces = set(), set(), set()
    for unit in UNITS:
        for r, rec in records(book_b, unit):
            clusters.add(rec["คลัสเตอร์"])
            sectors.add(rec["ภาคธุรกิจ"])
            if (r, "จังหวัด") not in bad_at(unit):
                assert rec["จังหวัด"] in PROVINCES, (unit, r)
    assert SPEC_CLUSTERS <= clusters
    assert sectors == {"การผลิต", "การค้าและบริการ"}
    assert len(PROVINCES) == len(set(PROVINCES)) == 77
    ticks = {v for row in book_b["หลักฐานคลัสเตอร์"][1:] for v in row[3:]}
    assert ticks == {"✓", None}
    assert {row[1] for row in book_b["หลักฐานคลัสเตอร์"][1:]} == {"ทั่วไป", "Super Cluster"}


# --- validity outside BAD_ROWS ---------------------------------------------------------------------

def test_id_helpers_make_valid_ids():
    from random import Random
    rng = Random(1)
    assert all(pin.is_valid(valid_national_id(rng)) for _ in range(500))
    assert all(tin.is_valid(valid_tax_id(rng)) for _ in range(500))


def test_every_id_valid_except_bad_rows(book_a, book_b):
    checks = [(book_a, "ผู้สมัคร", "เลขประจำตัวประชาชน", pin.is_valid)]
    checks += [(book_b, u, "เลขบัตรประจำตัวประชาชน", pin.is_valid) for u in UNITS]
    checks += [(book_b, u, "เลขประจำตัวผู้เสียภาษี", tin.is_valid) for u in UNITS]
    for book, tab, header, ok in checks:
        invalid = {(r, header) for r, rec in records(book, tab) if rec[header] is not None and not ok(rec[header])}
        assert invalid == {b for b in bad_at(tab) if b[1] == header}, (tab, header)


def test_scores_dates_money_contacts_valid_except_bad_rows(book_a, book_b):
    problems = set()
    for r, rec in records(book_a, "ความพึงพอใจ"):
        problems |= {("ความพึงพอใจ", r, h) for h, v in rec.items() if h != "ประทับเวลา" and v not in (1, 2, 3, 4, 5)}
    apps = {rec["เลขที่ใบสมัคร"] for _, rec in records(book_a, "ผู้สมัคร")}
    for r, rec in records(book_a, "แบบประเมินบุคคลอ้างอิง"):
        if rec["เลขที่ใบสมัคร"] not in apps:
            problems.add(("แบบประเมินบุคคลอ้างอิง", r, "เลขที่ใบสมัคร"))
        problems |= {("แบบประเมินบุคคลอ้างอิง", r, h) for h, v in rec.items()
                     if h.startswith("[") and v not in (1, 2, 3, 4, 5, "ไม่ทราบ")}
    for r, rec in records(book_a, "ผลประเมินเอกสาร"):
        problems |= {("ผลประเมินเอกสาร", r, h) for h, v in rec.items()
                     if h.startswith("[") and v not in ("ผ่าน", "ไม่ผ่าน", "ข้อมูลไม่เพียงพอ")}
    for r, rec in records(book_a, "ผู้สมัคร"):
        if "@" not in rec["อีเมล"]:
            problems.add(("ผู้สมัคร", r, "อีเมล"))
        if not re.fullmatch(r"0[689]\d{8}", rec["โทรศัพท์"].replace("-", "")):
            problems.add(("ผู้สมัคร", r, "โทรศัพท์"))
        if text_date(rec["วันที่สอบผ่าน I3C"]) > date(2026, 10, 31):
            problems.add(("ผู้สมัคร", r, "วันที่สอบผ่าน I3C"))
    for unit in UNITS:
        for r, rec in records(book_b, unit):
            for h in ("วันที่เริ่มกิจกรรม", "วันที่สิ้นสุดกิจกรรม"):
                try:
                    text_date(rec[h])
                except ValueError:
                    problems.add((unit, r, h))
            problems |= {(unit, r, h) for h, v in rec.items()
                         if h.startswith("ความพึงพอใจ") and v is not None and v not in (1, 2, 3, 4, 5)}
            problems |= {(unit, r, h) for h in MONEY if rec[h] is not None and number(rec[h]) < 0}
            if not re.fullmatch(r"0[689]\d{8}", rec["โทรศัพท์มือถือ"].replace("-", "")):
                problems.add((unit, r, "โทรศัพท์มือถือ"))
    bad = {(t, r, norm(h)) for t, r, h, _ in BAD_ROWS}
    assert problems <= bad, problems - bad


# --- BAD_ROWS really are where they say ------------------------------------------------------------

def _is_bad(book_a, book_b, tab, row, header, problem) -> bool:
    book = book_a if tab in book_a else book_b
    value = cell(book, tab, row, header)
    english = problem[problem.index("(") + 1:]
    if "check digit" in english:
        return not (pin if "national" in english else tin).is_valid(value)
    if "listed twice" in english:
        source = int(re.search(r"แถว (\d+)", problem).group(1))
        return value == cell(book, tab, source, header) and row != source
    if "future" in english:
        return text_date(value) > date.today()
    if "without @" in english:
        return "@" not in value
    if "too short" in english:
        return len(re.sub(r"\D", "", value)) < 10
    if "verdict" in english:
        return value not in ("ผ่าน", "ไม่ผ่าน", "ข้อมูลไม่เพียงพอ")
    if "blank" in english:
        return value in (None, "")
    if "unknown application" in english:
        return value not in {r[1] for r in book_a["ผู้สมัคร"][1:]}
    if "outside 1–5" in english:
        return number(value) not in (1, 2, 3, 4, 5)
    if "not a number" in english:
        return not re.fullmatch(r"[\d.,]+", str(value))
    if "no such date" in english:
        with pytest.raises(ValueError):
            text_date(value)
        return True
    if "unknown province" in english:
        return value not in PROVINCES
    if "zero before" in english:
        return number(value) == 0
    if "negative" in english:
        return number(value) < 0
    if "disagrees" in english:
        before = number(cell(book, tab, row, "ต้นทุนการผลิตก่อน (บาท/เดือน)"))
        after = number(cell(book, tab, row, "ต้นทุนการผลิตหลัง (บาท/เดือน)"))
        return abs((before - after) / before * 100 - number(value)) > 1
    raise AssertionError(f"no check for {problem}")


def test_bad_rows_are_at_the_stated_rows(book_a, book_b):
    assert len(BAD_ROWS) >= 10
    for tab, row, header, problem in BAD_ROWS:
        assert _is_bad(book_a, book_b, tab, row, header, problem), (tab, row, header, problem)


def test_satisfaction_tab_has_an_out_of_range_and_an_unreadable_score():
    problems = [p for t, _, _, p in BAD_ROWS if t == "ความพึงพอใจ"]
    assert any("outside" in p for p in problems) and any("not a number" in p for p in problems)


def test_bad_rows_follow_other_unit_names():
    units = ("กข.", "ศภ.7")
    book = reporting_workbook(units=units)
    entries = [b for b in bad_rows(units) if b[0] in units]
    assert {b[0] for b in entries} == set(units)
    assert all(cell(book, t, r, h) is not None or "blank" in p for t, r, h, p in entries)


def test_duplicates_repeat_person_or_firm_in_the_same_activity(book_b):
    assert DUPLICATE_ROWS and any(t[0] != s[0] for t, s in DUPLICATE_ROWS)
    for (tab, row), (src_tab, src_row) in DUPLICATE_ROWS:
        assert cell(book_b, tab, row, "ชื่อกิจกรรม") == cell(book_b, src_tab, src_row, "ชื่อกิจกรรม")
        tax = "เลขประจำตัวผู้เสียภาษี"
        assert cell(book_b, tab, row, tax) == cell(book_b, src_tab, src_row, tax)


def _pct(rec, before, after, down=True):
    b, a = number(rec[before]), number(rec[after])
    return (b - a) / b * 100 if down else (a - b) / b * 100


def test_typed_results_agree_with_the_formulas_except_bad_rows(book_b):
    typed_rows = price_unchanged = 0
    for unit in UNITS:
        for r, rec in records(book_b, unit):
            val = {h: None if rec[h] is None else number(rec[h]) for h in MONEY}
            price = val["ราคาขายก่อน (บาท/หน่วย)"]
            if price is not None and price == val["ราคาขายหลัง (บาท/หน่วย)"]:
                price_unchanged += 1
                assert val["ต้นทุนต่อหน่วยก่อน (บาท)"] and val["จำนวนผลิตใน 12 เดือน (หน่วย)"]
            if (r, "ต้นทุนลดลง (ร้อยละ)") in bad_at(unit) or (r, "ต้นทุนการผลิตก่อน (บาท/เดือน)") in bad_at(unit):
                continue
            if rec["ต้นทุนลดลง (ร้อยละ)"] is not None:
                typed_rows += 1
                got = _pct(rec, "ต้นทุนการผลิตก่อน (บาท/เดือน)", "ต้นทุนการผลิตหลัง (บาท/เดือน)")
                assert abs(got - rec["ต้นทุนลดลง (ร้อยละ)"]) < 0.01, (unit, r)
            if rec["ยอดขายเพิ่มขึ้น (ร้อยละ)"] is not None:
                got = _pct(rec, "ยอดขายก่อน (บาท/เดือน)", "ยอดขายหลัง (บาท/เดือน)", down=False)
                assert abs(got - rec["ยอดขายเพิ่มขึ้น (ร้อยละ)"]) < 0.01, (unit, r)
            if rec["มูลค่าทางเศรษฐกิจ (บาท)"] is not None:
                def diff(b, a):
                    return 0 if val[b] is None else val[b] - val[a]
                value = 12 * (diff("มูลค่าของเสียก่อน (บาท/เดือน)", "มูลค่าของเสียหลัง (บาท/เดือน)")
                              + diff("ต้นทุนการผลิตก่อน (บาท/เดือน)", "ต้นทุนการผลิตหลัง (บาท/เดือน)")
                              - diff("ยอดขายก่อน (บาท/เดือน)", "ยอดขายหลัง (บาท/เดือน)"))
                if val["จำนวนที่ขายหลัง (หน่วย/เดือน)"] is not None:
                    sold = val["จำนวนที่ขายหลัง (หน่วย/เดือน)"]
                    value -= diff("ราคาขายก่อน (บาท/หน่วย)", "ราคาขายหลัง (บาท/หน่วย)") * sold * 12
                elif val["ต้นทุนต่อหน่วยก่อน (บาท)"] is not None and val["ต้นทุนการผลิตก่อน (บาท/เดือน)"] is None:
                    made = val["จำนวนผลิตใน 12 เดือน (หน่วย)"]  # 5.2 only without a monthly cost: one saving
                    value += diff("ต้นทุนต่อหน่วยก่อน (บาท)", "ต้นทุนต่อหน่วยหลัง (บาท)") * made
                value += val["การลงทุนเพิ่ม (บาท)"] or 0
                assert abs(value - rec["มูลค่าทางเศรษฐกิจ (บาท)"]) < 1, (unit, r)
    assert typed_rows and price_unchanged


def test_officer_habits_present(book_a, book_b):
    cells = [v for u in UNITS for row in book_b[u][1:] for v in row]
    assert any(isinstance(v, str) and re.fullmatch(r"\d\d/\d\d/25\d\d", v) for v in cells)  # BE text dates
    assert any(isinstance(v, date) for v in cells)
    assert any(isinstance(v, str) and re.search("[๐-๙]", v) for v in cells)  # Thai digits
    assert any(isinstance(v, str) and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", v) for v in cells)
    assert sum(1 for u in UNITS for row in book_b[u] if all(v is None for v in row)) >= 2  # blank rows


def test_satisfaction_mean_near_the_85_percent_standard(book_a):
    scores = [v for r, rec in records(book_a, "ความพึงพอใจ") for h, v in rec.items()
              if h != "ประทับเวลา" and v in (1, 2, 3, 4, 5)]
    assert 80 <= sum(scores) / (5 * len(scores)) * 100 <= 92


def test_reference_tokens_come_from_the_given_function():
    book = assessment_workbook(token_for=lambda app, email: f"tok-{app}")
    rows = [rec for _, rec in records(book, "แบบประเมินบุคคลอ้างอิง")]
    assert rows and all(re.fullmatch(r"tok-A2569-\d{4}", rec["รหัสยืนยัน"]) for rec in rows)
    default = [rec["รหัสยืนยัน"] for _, rec in records(assessment_workbook(), "แบบประเมินบุคคลอ้างอิง")]
    assert all(re.fullmatch(r"[0-9a-f]{16}", t) for t in default)


def test_application_numbers_and_references(book_a):
    numbers = [rec["เลขที่ใบสมัคร"] for _, rec in records(book_a, "ผู้สมัคร")]
    assert numbers[0] == "A2569-0001" and len(set(numbers)) == 40
    titles = {rec["คำนำหน้า"] for _, rec in records(book_a, "ผู้สมัคร")}
    assert titles == {"นาย", "นาง", "นางสาว"}
    assert {rec["มติ"] for _, rec in records(book_a, "มติคณะกรรมการ")} == {"เห็นชอบ", "ไม่เห็นชอบ"}
    assert 1 <= len(book_a["ผลสัมภาษณ์"]) - 1 <= 10


# --- scale -----------------------------------------------------------------------------------------

def test_scale_parameters_give_the_requested_sizes_quickly():
    started = time.perf_counter()
    a = assessment_workbook(applicants=5000, satisfaction_responses=10000)
    units = ("กข.",) + tuple(f"ศภ.{i}" for i in range(1, 11))
    b = reporting_workbook(units=units, rows_per_unit=2000)
    assert time.perf_counter() - started < 30
    assert len({r[1] for r in a["ผู้สมัคร"][1:]}) == 5000
    assert len(a["ความพึงพอใจ"]) - 1 == 10000
    assert list(b)[1:-1] == list(units)
    for unit in units:
        assert sum(1 for row in b[unit][1:] if any(v is not None for v in row)) == 2000


@pytest.mark.parametrize("size", [0, 1, 5, 12])
def test_small_workbooks_generate_without_the_defects_that_do_not_fit(size):
    a = assessment_workbook(applicants=size, satisfaction_responses=size)
    assert len({r[1] for r in a["ผู้สมัคร"][1:]}) == size
    for units in ((), ("กข.",), ("ศภ.2", "ศภ.9")):
        b = reporting_workbook(units=units, rows_per_unit=size)
        assert [r[0] for r in b["หน่วยงาน"][1:]] == list(units)
