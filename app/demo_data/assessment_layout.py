"""Workbook A's officer tabs as SPEC.md's appendix writes them, the demo topics, and the deliberate defects."""
from __future__ import annotations

from app.demo_data.edits import BadCell
from app.demo_data.people import check_digit, wrong_check_digit

REFERENCE_FORM_URL = "https://docs.google.com/forms/d/e/DEMO/viewform"

# Settings in the appendix's order; `None` = filled from the arguments (closing date).
SETTINGS: tuple[tuple[str, object], ...] = (
    ("วันปิดรับสมัคร", None),
    ("นโยบายการตัดสิน", "คู่มือ"),
    ("เกณฑ์ผ่าน (ร้อยละ)", 80),
    ("เกณฑ์สัมภาษณ์ (ร้อยละ)", 70),
    ("น้ำหนักไม่ผ่านสูงสุด (ร้อยละ)", 5),
    ("จำนวนบุคคลอ้างอิงขั้นต่ำ", 2),
    ("เกณฑ์ผ่านบุคคลอ้างอิง (คะแนนเฉลี่ย)", 3.5),
    ("เกณฑ์ไม่ผ่านบุคคลอ้างอิง (คะแนนเฉลี่ย)", 2.5),
    ("อายุผลสอบ I3C (ปี)", 3),
    ("รอบุคคลอ้างอิงไม่เกิน (วัน)", 14),
    ("เตือนบุคคลอ้างอิงทุก (วัน)", 3),
    ("จำนวนครั้งเตือนสูงสุด", 2),
    ("ลิงก์แบบประเมินบุคคลอ้างอิง", REFERENCE_FORM_URL),
)

# Competency topics of an industrial consultant (seed 004: knowledge, diagnosis, advice, follow-up …).
TOPICS: tuple[tuple[str, str, int], ...] = (
    ("C1", "ความรู้ในสาขาที่ให้คำปรึกษา", 20),
    ("C2", "การวินิจฉัยและวิเคราะห์ปัญหาสถานประกอบการ", 15),
    ("C3", "การวางแผนและบริหารงานที่ปรึกษา", 15),
    ("C4", "การให้คำปรึกษาแนะนำและถ่ายทอดความรู้", 15),
    ("C5", "การสื่อสารและการนำเสนอ", 10),
    ("C6", "การติดตามและประเมินผลการให้บริการ", 10),
    ("C7", "การประยุกต์ใช้เทคโนโลยีดิจิทัลและนวัตกรรม", 10),
    ("C8", "จรรยาบรรณที่ปรึกษา", 5),
)
TOPIC_HEADERS = tuple(f"[{code}] {name}" for code, name, _ in TOPICS)
SATISFACTION_ITEMS = 8

APPLICANT_HEADERS = (
    "ประทับเวลา", "เลขที่ใบสมัคร", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "อีเมล", "โทรศัพท์",
    "เลขสมาชิก i.industry", "วันที่สอบผ่าน I3C", "ประสบการณ์การเป็นที่ปรึกษา (ปี)", "จำนวนตัวอย่างผลงาน",
    "เอกสารครบถ้วน", "บุคคลอ้างอิง 1 ชื่อ", "บุคคลอ้างอิง 1 อีเมล", "บุคคลอ้างอิง 2 ชื่อ", "บุคคลอ้างอิง 2 อีเมล",
    "บุคคลอ้างอิง 3 ชื่อ", "บุคคลอ้างอิง 3 อีเมล",
)
HEADERS: dict[str, tuple[str, ...]] = {
    "ตั้งค่า": ("รายการ", "ค่า"),
    "หัวข้อสมรรถนะ": ("รหัส", "หัวข้อสมรรถนะ", "น้ำหนัก (ร้อยละ)"),
    "ผู้สมัคร": APPLICANT_HEADERS,
    "ผลประเมินเอกสาร": ("ประทับเวลา", "เลขที่ใบสมัคร", "ผู้ประเมิน", "ค่าประสบการณ์", *TOPIC_HEADERS),
    "แบบประเมินบุคคลอ้างอิง": ("ประทับเวลา", "ที่อยู่อีเมล", "เลขที่ใบสมัคร", "รหัสยืนยัน", "ชื่อผู้ประเมิน",
                               "ความสัมพันธ์กับผู้สมัคร", *TOPIC_HEADERS, "ข้อเสนอแนะ"),
    "ผลสัมภาษณ์": ("ประทับเวลา", "เลขที่ใบสมัคร", "ผู้สัมภาษณ์", *TOPIC_HEADERS),
    "มติคณะกรรมการ": ("เลขที่ใบสมัคร", "วันที่ประชุม", "มติ", "หมายเหตุ"),
    "ความพึงพอใจ": ("ประทับเวลา", *(f"ข้อ {i}" for i in range(1, SATISFACTION_ITEMS + 1))),
}

_ID_BODY = "310050012345"
BAD_NATIONAL_ID = wrong_check_digit(_ID_BODY + check_digit(_ID_BODY))

# The applicant at row DUPLICATE_ROW submitted the form again: a copy of row DUPLICATE_SOURCE.
DUPLICATE_SOURCE, DUPLICATE_ROW = 8, 10
SELF_REFERENCE_ROW = 20  # names themself as บุคคลอ้างอิง 2
SELF_REFERENCE_APPLICANT = SELF_REFERENCE_ROW - 3  # index in generation order (the repeated row shifts it)
COMMITTEE_BLANK_ROW = 5  # an empty row the officer left between decisions

BAD_CELLS: tuple[BadCell, ...] = (
    BadCell("ผู้สมัคร", 7, "เลขประจำตัวประชาชน", "เลขประจำตัวประชาชนไม่ถูกต้อง (national ID check digit wrong)",
            {"เลขประจำตัวประชาชน": BAD_NATIONAL_ID}),
    BadCell("ผู้สมัคร", DUPLICATE_ROW, "เลขที่ใบสมัคร",
            f"ผู้สมัครซ้ำ: เลขที่ใบสมัครเดียวกับแถว {DUPLICATE_SOURCE} (applicant listed twice)"),
    BadCell("ผู้สมัคร", 13, "วันที่สอบผ่าน I3C", "วันที่อยู่ในอนาคต (date in the future)",
            {"วันที่สอบผ่าน I3C": "12/03/2575"}),
    BadCell("ผู้สมัคร", 15, "อีเมล", "รูปแบบอีเมลไม่ถูกต้อง (email without @)",
            {"อีเมล": "kanjana.sri.gmail.com"}),
    BadCell("ผู้สมัคร", 17, "โทรศัพท์", "เบอร์โทรศัพท์ไม่ครบ (mobile number too short)", {"โทรศัพท์": "08-123-45"}),
    BadCell("ผลประเมินเอกสาร", 4, TOPIC_HEADERS[1], "ผลไม่อยู่ในตัวเลือก (verdict not one of ผ่าน/ไม่ผ่าน/"
            "ข้อมูลไม่เพียงพอ)", {TOPIC_HEADERS[1]: "ผ่านน"}),
    BadCell("แบบประเมินบุคคลอ้างอิง", 3, "เลขที่ใบสมัคร", "ไม่มีเลขที่ใบสมัคร (application number blank)",
            {"เลขที่ใบสมัคร": None}),
    BadCell("แบบประเมินบุคคลอ้างอิง", 5, "เลขที่ใบสมัคร", "ไม่พบเลขที่ใบสมัคร (unknown application number)",
            {"เลขที่ใบสมัคร": "A2568-0007"}),
    BadCell("แบบประเมินบุคคลอ้างอิง", 8, TOPIC_HEADERS[2], "คะแนนนอกช่วง 1–5 (rating outside 1–5)",
            {TOPIC_HEADERS[2]: 6}),
    BadCell("ความพึงพอใจ", 5, "ข้อ 3", "คะแนนนอกช่วง 1–5 (score outside 1–5)", {"ข้อ 3": 7}),
    BadCell("ความพึงพอใจ", 9, "ข้อ 6", "อ่านเป็นตัวเลขไม่ได้ (not a number)", {"ข้อ 6": "ดีมาก"}),
)
