"""For each row problem: how serious it is and what the officer should do about it, in Thai."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from app.sheets import cell_dates, cell_readers
from app.sheets.suggest import closest

MUST_FIX, CHECK, NOTE = "ต้องแก้", "ตรวจสอบ", "หมายเหตุ"
SEVERITIES = (MUST_FIX, CHECK, NOTE)

# The first words of problems that need a look but may well be right, and of those that only inform.
_CHECK_STARTS = ("วันที่อยู่ในอนาคต", "ปีไม่สมเหตุสมผล", "ค่าเป็นศูนย์", "ซ้ำกับ", "ผลรวม", "ตัวเลขไม่ตรง",
                 "ต้องไม่น้อยกว่า", "ต้องไม่เกิน", "ไม่ตรงกับที่คำนวณได้", "ผู้สมัครซ้ำ", "ผลประเมินของผู้สมัครรายนี้ไม่ใช่",
                 "ผู้สมัครรายนี้ยังไม่ผ่าน", "ไม่ใช่ชื่อคลัสเตอร์ในรายชื่อ")
_NOTE_STARTS = ("รายการซ้ำ: ใช้ค่าในแถวแรก", "แท็บนี้อยู่ในรายการแล้ว", "เป็นแท็บของระบบ", "หัวคอลัมน์ซ้ำกับคอลัมน์",
                "ไม่ได้ตอบข้อนี้")
_FIXES = {
    cell_readers.NOT_A_NUMBER: "พิมพ์เป็นตัวเลขล้วน เช่น 1250 หรือ 1,250.50 (ไม่ต้องมีหน่วยหรือข้อความ)",
    cell_readers.FORMULA_ERROR: "แก้สูตรในเซลล์นี้จนไม่แสดง #REF!/#VALUE! หรือพิมพ์ค่าแทนสูตร",
    cell_readers.NOT_EMAIL: "พิมพ์อีเมลให้ครบ เช่น name@example.com (ไม่มีช่องว่าง)",
    cell_readers.NOT_PHONE: "พิมพ์เบอร์ 9–10 หลัก เช่น 02-123-4567 หรือ 081-234-5678",
    cell_readers.NOT_MOBILE: "พิมพ์เบอร์มือถือ 10 หลัก ขึ้นต้นด้วย 06 08 หรือ 09 เช่น 081-234-5678",
    cell_readers.NOT_URL: "วางลิงก์เต็มที่ขึ้นต้นด้วย https://",
    cell_readers.SCORE_RANGE: "ใส่คะแนน 1 ถึง 5",
    cell_readers.SCORE_WHOLE: "ใส่คะแนนเป็นจำนวนเต็ม 1 ถึง 5",
    cell_readers.NOT_YES_NO: "พิมพ์ ใช่ หรือ ไม่ใช่",
    cell_readers.NOT_PROVINCE: "พิมพ์ชื่อจังหวัดให้ตรงกับชื่อทางการ เช่น เชียงใหม่ (ไม่ต้องมีคำว่า จ.)",
    cell_dates.NOT_A_DATE: "พิมพ์วันที่แบบ วว/ดด/ปปปป เช่น 15/02/2567 หรือใช้เซลล์วันที่",
    cell_dates.SHORT_YEAR: "พิมพ์ปีเต็ม 4 หลัก เช่น 15/02/2567",
    cell_dates.NO_SUCH_DAY: "ตรวจวันและเดือน: วันที่นี้ไม่มีในปฏิทิน",
    cell_dates.IMPLAUSIBLE_YEAR: "ตรวจปี: พิมพ์ปี พ.ศ. เช่น 2567 หรือ ค.ศ. เช่น 2024",
    cell_dates.NOT_A_TIME: "พิมพ์เวลาแบบ ชช:นน เช่น 14:30",
}
# Fixes for problems whose text varies (it names a column, a row or a digit), by their first words.
_FIXES_BY_START = {
    "ต้องกรอกค่า": "กรอกค่าในเซลล์นี้ (ห้ามว่าง)",
    "ไม่พบเลขที่ใบสมัครนี้": "แก้เลขที่ใบสมัครให้ตรงกับแท็บผู้สมัคร (เช่น A2569-0007)",
    "เลขประจำตัวประชาชนไม่ถูกต้อง": "ตรวจเลข 13 หลักกับบัตรประชาชนอีกครั้ง: มีเลขผิดอย่างน้อยหนึ่งหลัก",
    "เลขประจำตัวผู้เสียภาษีไม่ถูกต้อง": "ตรวจเลข 13 หลักกับหนังสือรับรองบริษัทอีกครั้ง",
    "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก": "พิมพ์เลข 13 หลัก (มีขีดคั่นได้) เช่น 1-1017-00230-70-5",
    "ผู้สมัครซ้ำ": "ลบแถวที่ซ้ำ หรือแก้เลขที่ใบสมัครถ้าเป็นคนละคน",
    "ผลประเมินของผู้สมัครรายนี้ไม่ใช่": "ตรวจเลขที่ใบสมัคร: ผลสัมภาษณ์ใช้ได้เฉพาะผู้ที่ผลประเมินเป็น สัมภาษณ์",
    "ผู้สมัครรายนี้ยังไม่ผ่าน": "ตรวจเลขที่ใบสมัคร: นำมติคณะกรรมการมาใช้ได้เมื่อผ่านการประเมินแล้ว",
    "ไม่พบรหัส": "เพิ่มรหัสนี้ในแท็บหัวข้อสมรรถนะ หรือลบคอลัมน์นี้ถ้าเลิกใช้แล้ว",
    "ไม่พบแท็บ": "สร้างแท็บนี้ หรือแก้ชื่อแท็บให้ตรง",
    "จำนวนเงินต้องไม่ติดลบ": "พิมพ์จำนวนเงินตั้งแต่ 0 ขึ้นไป (ถ้าลดลง ให้กรอกในคอลัมน์ที่เป็นยอดลดลง)",
    "ต้องเป็นจำนวนเต็ม": "พิมพ์จำนวนเต็ม ไม่มีทศนิยม",
    "ไม่ตรงกับที่คำนวณได้": "ตรวจตัวเลขที่กรอกกับตัวเลขต้นทาง: ระบบใช้ค่าที่คำนวณได้",
}
GENERIC_FIX = "แก้ค่าในเซลล์นี้ตามที่ระบุในช่องปัญหา แล้วรอการซิงก์รอบถัดไป"


@dataclass(frozen=True)
class Advice:
    severity: str
    fix: str


def advise(problem: str, row: int | None, column: str, tab_headers: Sequence[str]) -> Advice:
    """Severity and a how-to-fix text for one problem; `tab_headers` (the row 1 of its tab) lets a missing
    header be matched to the one the officer probably meant."""
    severity = NOTE if problem.startswith(_NOTE_STARTS) else CHECK if problem.startswith(_CHECK_STARTS) else MUST_FIX
    if "หรือหมายถึง “" in problem:
        meant = problem.split("หรือหมายถึง “", 1)[1].split("”", 1)[0]
        return Advice(severity, f"แก้เป็น “{meant}” ถ้าหมายถึงค่านี้")
    if row == 1 and "ไม่พบหัวคอลัมน์" in problem:
        wanted = column.strip('"').split('", "')[0]
        near = closest(wanted, [str(h) for h in tab_headers if h not in (None, "")])
        if near:
            return Advice(severity, f"เปลี่ยนหัวคอลัมน์ “{near}” เป็น “{wanted}” (หรือเพิ่มเป็นชื่อเรียกอื่นใน sheets_schema)")
        return Advice(severity, f"เพิ่มคอลัมน์ชื่อ “{wanted}” ในแถวที่ 1 ของแท็บนี้")
    fix = next((text for known, text in _FIXES.items() if problem.startswith(known.split(" (")[0])), None) \
        or next((text for start, text in _FIXES_BY_START.items() if problem.startswith(start)), None)
    if fix is None and severity == NOTE:
        fix = "ไม่ต้องแก้ ถ้าตั้งใจไว้อย่างนี้"
    if fix is None and severity == CHECK:
        fix = "ตรวจว่าค่านี้ถูกต้อง ถ้าถูกแล้วไม่ต้องแก้"
    return Advice(severity, fix or GENERIC_FIX)
