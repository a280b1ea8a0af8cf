"""Workbook B laid out exactly as seed 002's own reporting sheet ("แบบฟอร์มการรายงานผล (Google Sheet)"), figures
worked out by hand in the comments.

From the seed: an empty row 1, group labels in row 2 (A01, B01, D01, E01, E02, F01, "ข้อมูลส่วนรับกลุ่มและเครือข่าย"),
the headers in row 3 (Part 1 then Part 2, broken by line breaks as the officers typed them), data from row 4 after a
section row naming the activity; "วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด กิจกรรม" merged over two columns; no `หน่วยงาน`
tab but a `หน่วยงาน` column; the tabs "สรุปโครงการ รวบรวมรายชื่อ Tris ศก.1 ศก.2 … ตัวเลือก" and "สรุปผลผลิต
รวมชื่อผลผลิตทุกหน่วย กข. ศก.1 …", the officers' `รวบรวมรายชื่อ` being a QUERY formula.
"""
from __future__ import annotations

from tests.reporting_book import thai_id

ACTIVITY = "5.1-2 การพัฒนาองค์ความรู้และศักยภาพด้านการบริหารจัดการ (67)"
SPANNING_DATES = "วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด\nกิจกรรม"
# (group label starting at this column or None, header) — Part 1 (ส่วนที่ 1 ข้อมูลผลผลิต), columns A…
PART_1 = [
    (None, "หน่วยงาน"), (None, "สาขาส่ง"), (None, "ชื่อกิจกรรม (ตามแผนงานโครงการ)"), (None, SPANNING_DATES), (None, None),
    (None, "ประเภท\nกิจกรรม"), (None, "จำนวน"), (None, "พื้นที่ดำเนินการ (จังหวัด)"),
    ("A01: ข้อมูลสมาชิก", "สถานะ\nเข้าร่วมโครงการ"), (None, "เลขบัตรประจำตัวประชาชน"), (None, "ชื่อ-นามสกุล"),
    (None, "โทรศัพท์มือถือ"), (None, "อีเมล"), (None, "ประเภทสมาชิก"),
    ("B01: ข้อมูลส่วนบุคคลต่อประสานงาน", "ที่อยู่ตามทะเบียนบ้าน"), (None, "ที่อยู่ปัจจุบัน"), (None, "เลขที่"), (None, "หมู่"),
    (None, "ตรอก"), (None, "ซอย"), (None, "ถนน"), (None, "จังหวัด"), (None, "แขวง/ตำบล"), (None, "เขต/อำเภอ"),
    (None, "รหัสไปรษณีย์"), (None, "วันเกิด"), (None, "อายุ"), (None, "เพศ"), (None, "สถานภาพสมรส"),
    ("B01: ข้อมูลส่วนบุคคลเบื้องต้น", "ประเภทอาชีพ"), (None, "อาชีพ"), (None, "อาชีพอื่นๆ"), (None, "สถานภาพ (ว่างงาน)"),
    (None, "รายได้ต่อเดือน"),
    ("D01: ข้อมูลบุคคลที่มีองค์กร", "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ"), (None, "สถานประกอบการ"),
    (None, "ความเป็นเจ้าของกิจการ"), (None, "ความเป็นผู้บริหาร"), (None, "ตำแหน่งงาน"),
    (None, "หน่วยงานภายในระดับกอง/สำนัก/คณะ/ฝ่าย"), (None, "หน่วยงานภายในระดับกลุ่ม/สาขา/แผนก/เนตง"),
    (None, "เงินเดือนหรือค่าจ้าง"),
    ("E01: ข้อมูลสถานประกอบการ", "ที่อยู่ปัจจุบัน (จังหวัด)"), (None, "เบอร์ติดต่อ"), (None, "อีเมล"),
    ("E02: ข้อมูลการประกอบการ SMEs (Single Form Lite)", "เลขประจำตัวผู้เสียภาษีอากร หรือ เลขทะเบียนสถานประกอบการ"),
    (None, "ชื่อองค์กร (ภาษาไทย)"), (None, "ย.มีข้อมูล N:ไม่มีข้อมูล"),
    ("F01: ผลิตภัณฑ์ขององค์กรที่ขอรับบริการ", "เลขประจำตัวผู้เสียภาษี องค์กร หรือ เลขทะเบียน สถานประกอบการ"),
    (None, "ชื่อองค์กร (ภาษาไทย)"), (None, "ชื่อผลิตภัณฑ์"), (None, "สถานะแสดงผล"),
    ("ข้อมูลส่วนรับกลุ่มและเครือข่าย", "ชื่อกลุ่ม / เครือข่าย"), (None, "เลขทะเบียนกลุ่ม/เครือ ข่าย"),
    (None, "ที่ทำการกลุ่ม/เครือข่าย"), (None, "รายละเอียดการดำเนินงาน ของกลุ่ม/เครือข่าย"),
    (None, "ความพึงพอใจ(รวม ร้อยละ)"), (None, "มูลค่าทาง\nเศรษฐกิจ (บาท)"), (None, "ของเสียลดลง (ร้อยละ)"),
    (None, "คิดเป็นมูลค่า (บาท)"), (None, "ต้นทุนลดลง (ร้อยละ)"), (None, "คิดเป็นมูลค่า (บาท)"),
]
# Part 2 (ส่วนที่ 2 ข้อมูลผลลัพธ์): the columns Part 1 does not already have, headers as in the seed's screenshot
PART_2 = [
    (None, "ยอดขาย\nเพิ่มขึ้น (ร้อยละ)"), (None, "รายได้\nเพิ่มขึ้น (ร้อยละ)"), (None, "มูลค่า\nผลิตภัณฑ์\nเพิ่มขึ้น (ร้อยละ)"),
    (None, "เกิดการจัดตั้ง\nธุรกิจ/ขยาย\nการลงทุน (ร้อยละ)"), (None, "ความรู้\nเพิ่มขึ้น (ร้อยละ)"),
    (None, "นำความรู้\nไปใช้ได้ (ร้อยละ)"), (None, "หน่วยงาน/\nผู้ใช้บริการ\nสามารถ\nให้บริการได้"),
    (None, "เกิดการจับคู่\nธุรกิจ"), (None, "มีแผน\nธุรกิจ"), (None, "มีความพร้อม\nขอมาตรฐาน"), (None, "สถานะ"),
    (None, "หมายเหตุ"), (None, "ตรวจสอบการ\nนับซ้ำ"),
]
COLUMNS = PART_1 + PART_2
LABELS = [label for label, _header in COLUMNS]
HEADERS = [header for _label, header in COLUMNS]
WIDTH = len(COLUMNS)

P = {n: thai_id(f"110080000{n:03d}") for n in range(1, 6)}  # people
T = {n: thai_id(f"010556000{n:03d}") for n in range(1, 6)}  # enterprises (tax IDs)
FACTORY = "3-34(1)-12/59อน"  # a factory registration number as the enterprise's identity


def at(header: str, nth: int = 1) -> int:
    """The 0-based column of a header (the nth time it appears)."""
    return [i for i, h in enumerate(HEADERS) if h == header][nth - 1]


def person(unit: str, n: int, enterprise: str, **cells) -> list:
    """One participant row; cells by header (a key `คิดเป็นมูลค่า (บาท)#2` is the header's second appearance)."""
    row: list = [None] * WIDTH
    base = {"หน่วยงาน": unit, "สาขาส่ง": "ส่วนกลาง", "ชื่อกิจกรรม (ตามแผนงานโครงการ)": ACTIVITY,
            SPANNING_DATES: "01/03/2567", "ประเภท\nกิจกรรม": "ฝึกอบรม", "พื้นที่ดำเนินการ (จังหวัด)": "เชียงใหม่",
            "สถานะ\nเข้าร่วมโครงการ": "เข้าร่วม", "เลขบัตรประจำตัวประชาชน": P[n], "ชื่อ-นามสกุล": f"ผู้รับบริการ {n}",
            "อีเมล": f"p{n}@example.com", "จังหวัด": "ลำพูน",
            "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ": enterprise, "สถานประกอบการ": f"กิจการ {enterprise}"}
    for key, value in {**base, **cells}.items():
        header, _, nth = key.partition("#")
        row[at(header, int(nth or 1))] = value
    row[at(SPANNING_DATES) + 1] = "05/03/2567"  # the end date, under the merged header's second column
    return row


def unit_tab(rows: list[list], blank_rows: int = 2, unit: str = "") -> list[list]:
    """Row 1 empty, group labels, headers, a section row, the people, then rows with only the unit filled in."""
    return [[], LABELS, HEADERS, [ACTIVITY]] + rows + [[unit]] * blank_rows


WASTE, WASTE_BAHT, COST, COST_BAHT = "ของเสียลดลง (ร้อยละ)", "คิดเป็นมูลค่า (บาท)", "ต้นทุนลดลง (ร้อยละ)", "คิดเป็นมูลค่า (บาท)#2"
SATISFACTION, ECONOMIC = "ความพึงพอใจ(รวม ร้อยละ)", "มูลค่าทาง\nเศรษฐกิจ (บาท)"
TICKS = ["หน่วยงาน/\nผู้ใช้บริการ\nสามารถ\nให้บริการได้", "เกิดการจับคู่\nธุรกิจ", "มีแผน\nธุรกิจ", "มีความพร้อม\nขอมาตรฐาน"]
KNOWLEDGE, APPLIED = "ความรู้\nเพิ่มขึ้น (ร้อยละ)", "นำความรู้\nไปใช้ได้ (ร้อยละ)"

# ศก.1 row 5: only the officer's own results (no raw before/after figures): waste 20 % worth 250,000, cost 10 %
#   worth ๑,๐๐๐,๐๐๐; economic value typed "1,250,000" (= 250,000 + 1,000,000: no disagreement); satisfaction 91.11%.
#   The group "กลุ่มคลัสเตอร์ผ้าไทย เชียงใหม่" names the cluster ผ้าไทย. Ticks: can serve, matched, standards.
ROW_1 = person("ศก.1", 1, T[1], **{WASTE: 20, WASTE_BAHT: 250_000, COST: 10, COST_BAHT: "๑,๐๐๐,๐๐๐",
                                  ECONOMIC: "1,250,000", SATISFACTION: "91.11%", KNOWLEDGE: 80, APPLIED: 60,
                                  "ชื่อกลุ่ม / เครือข่าย": "กลุ่มคลัสเตอร์ผ้าไทย เชียงใหม่", "สถานะ": "ดำเนินการแล้ว",
                                  **dict(zip(TICKS, [True, True, False, True]))})
# ศก.1 row 6: a factory registration number as the enterprise; economic value ๒๔๐,๐๐๐; satisfaction 70 (< 80);
#   the group names no cluster of the program → ไม่ระบุ. Ticks all unticked (FALSE).
ROW_2 = person("ศก.1", 2, FACTORY, **{ECONOMIC: "๒๔๐,๐๐๐", SATISFACTION: 70, KNOWLEDGE: 40, APPLIED: 20,
                                     "ชื่อกลุ่ม / เครือข่าย": "วิสาหกิจชุมชนบ้านดอน",
                                     **dict(zip(TICKS, [False] * 4))})
# ศก.2 row 5: row 5's person again in the same activity: counted once, their 1,250,000 not added again.
# ศก.2 row 6: another person of ศก.1 row 5's enterprise: a person, not a new enterprise; their 500,000 not added.
# ศก.2 row 7: a new person and enterprise: 100,000; satisfaction 85 (≥ 80); knowledge 90.
ROW_3 = person("ศก.2", 1, T[1], **{ECONOMIC: 1_250_000, SATISFACTION: 91.11})
ROW_4 = person("ศก.2", 3, T[1], **{ECONOMIC: 500_000, SATISFACTION: 60})
ROW_5 = person("ศก.2", 4, T[4], **{ECONOMIC: 100_000, SATISFACTION: 85, KNOWLEDGE: 90, TICKS[2]: True})
# Expected: people 1, 2, 3, 4 → 4; enterprises T1, FACTORY, T4 → 3; economic value 1,250,000 + 240,000 + 100,000
#   = 1,590,000; satisfied ≥ 80: rows of people 1, 3, 4 of 1, 2, 3, 4 → 2 of 4 (person 3's 60 < 80, person 2's 70)
#   → people 1 and 4: 50 %; knowledge gained mean(80, 40, 90) = 70.

OFFICER_COLLECTED = [["=QUERY({'ศก.1'!A4:BZ;'ศก.2'!A4:BZ},\"select * where Col11 is not null\",0)"]]
OFFICER_SUMMARY = [["หน่วยงาน", "จำนวนผู้เข้าร่วม"], ["ศก.1", "=COUNTA('ศก.1'!K5:K)"], ["ศก.2", 3]]
TABS = {
    "สรุปโครงการ": [["โครงการ", "5.1-2"], ["งบประมาณ", 1_000_000]],
    "รวบรวมรายชื่อ": OFFICER_COLLECTED,
    "Tris": [["หน่วยงาน", "ชื่อ-นามสกุล"], ["ศก.1", "ผู้รับบริการ 1"]],
    "ศก.1": unit_tab([ROW_1, ROW_2], unit="ศก.1"),
    "ศก.2": unit_tab([ROW_3, ROW_4, ROW_5], unit="ศก.2"),
    "สรุปผลผลิต": OFFICER_SUMMARY,
    "รวมชื่อผลผลิตทุกหน่วย": [[], LABELS, HEADERS, ROW_1, ROW_2, ROW_3, ROW_4, ROW_5],  # the officers' own copy
    "ตัวเลือก": [["สถานะ"], ["ดำเนินการแล้ว"], ["อยู่ระหว่างดำเนินการ"]],
}
OFFICER_FORMULAS = {("รวบรวมรายชื่อ", 1, 1), ("สรุปผลผลิต", 2, 2)}  # (tab, row, column) holding a formula
