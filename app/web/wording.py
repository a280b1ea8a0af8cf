"""What the pages say instead of raw values: a failure in Thai with its fix, a schedule in Thai words, a
target's unit."""
from __future__ import annotations

import re

# (pattern of the one-line error a run keeps, Thai explanation, what to do)
FAILURES = (
    (r"กระบวนการที่ทำงานหายไป|is gone", "การซิงก์หยุดกลางทาง เพราะโปรแกรมถูกปิดหรือเครื่องเริ่มใหม่",
     "สั่งซิงก์อีกครั้ง: รอบใหม่คำนวณทุกแท็บใหม่ทั้งหมด และไม่ส่งอีเมลซ้ำ"),
    (r"ทำงานนานเกินกำหนด|still running after", "การซิงก์ค้างนานเกินกำหนด",
     "สั่งซิงก์อีกครั้ง ถ้าค้างซ้ำให้แจ้งผู้ดูแลระบบ"),
    (r"หยุดกลางคัน|interrupted", "การซิงก์ถูกสั่งหยุดกลางคัน", "สั่งซิงก์อีกครั้งเมื่อพร้อม"),
    (r"ข้อผิดพลาดที่ไม่คาดคิด|unexpected error", "ระบบขัดข้อง (ข้อผิดพลาดที่ไม่คาดคิด)",
     "แจ้งผู้ดูแลระบบพร้อมหมายเลขการซิงก์นี้ แล้วลองสั่งซิงก์อีกครั้ง"),
    (r"is not shared with (?P<who>[^\s:]+)", "สเปรดชีตยังไม่ได้แชร์ให้บัญชีบริการ",
     "แชร์สเปรดชีตให้ {who} เป็นผู้แก้ไข (Editor) แล้วสั่งซิงก์อีกครั้ง"),
    (r"spreadsheet \S+ not found", "ไม่พบสเปรดชีตตามรหัสในไฟล์ตั้งค่า",
     "ตรวจ spreadsheet_id ในไฟล์ตั้งค่าให้ตรงกับลิงก์ของสเปรดชีต"),
    (r"ไม่พบหัวคอลัมน์|missing header", "แท็บขาดหัวคอลัมน์ที่จำเป็น",
     "เพิ่มหัวคอลัมน์ตามที่ระบุในแถวที่ 1 ของแท็บ (หรือเพิ่มชื่อเรียกอื่นใน sheets_schema) แล้วสั่งซิงก์อีกครั้ง"),
    (r"not found|cannot be opened", "เปิดสมุดงานไม่ได้", "ตรวจว่าไฟล์อยู่ที่เดิมและเป็นไฟล์ .xlsx ที่เปิดได้"),
    (r"timed out|timeout|unreachable|Connection|HTTP 5\d\d|503|502", "ติดต่อ Google ไม่ได้ชั่วคราว",
     "ไม่ต้องแก้อะไร: ระบบจะลองใหม่ในรอบถัดไป ถ้ายังล้มเหลวหลายรอบให้ตรวจการเชื่อมต่ออินเทอร์เน็ตของเครื่องแม่ข่าย"),
    (r"quota|429|rate", "ใช้โควตา Google เกินกำหนดชั่วคราว", "รอสักครู่แล้วสั่งซิงก์อีกครั้ง"),
    (r"in progress|locked|busy", "มีการซิงก์สมุดงานนี้อยู่แล้ว", "รอให้การซิงก์ที่ทำอยู่เสร็จก่อน"),
    (r"credentials|key file|GOOGLE_APPLICATION_CREDENTIALS", "ไม่พบหรืออ่านไฟล์กุญแจบัญชีบริการไม่ได้",
     "ตั้งค่า GOOGLE_APPLICATION_CREDENTIALS หรือ google.credentials_file ให้ชี้ไปที่ไฟล์กุญแจ JSON"),
)
GENERIC_FAILURE = ("การซิงก์ล้มเหลว", "ดูรายละเอียดในบันทึกการทำงานของรอบนี้ แก้ตามนั้นแล้วสั่งซิงก์อีกครั้ง")

WEEKDAYS = {"0": "อาทิตย์", "1": "จันทร์", "2": "อังคาร", "3": "พุธ", "4": "พฤหัสบดี", "5": "ศุกร์", "6": "เสาร์",
            "7": "อาทิตย์", "sun": "อาทิตย์", "mon": "จันทร์", "tue": "อังคาร", "wed": "พุธ", "thu": "พฤหัสบดี",
            "fri": "ศุกร์", "sat": "เสาร์"}


def failure(error: str | None) -> tuple[str, str] | None:
    """(what happened, what to do) in Thai for a run's one-line error; None for no error."""
    if not error:
        return None
    for pattern, what, fix in FAILURES:
        found = re.search(pattern, error, re.IGNORECASE)
        if found:
            return what, fix.format(**found.groupdict())
    return GENERIC_FAILURE


def _days(field: str) -> str | None:
    """A cron day-of-week field in Thai; None when it is not a plain list or range."""
    if field == "*":
        return "ทุกวัน"
    if field.lower() in ("1-5", "mon-fri"):
        return "วันจันทร์–ศุกร์"
    if re.fullmatch(r"[\w]+-[\w]+", field):
        first, last = field.lower().split("-")
        if first in WEEKDAYS and last in WEEKDAYS:
            return f"วัน{WEEKDAYS[first]}–{WEEKDAYS[last]}"
    names = [WEEKDAYS.get(part.lower()) for part in field.split(",")]
    return "วัน" + " ".join(names) if all(names) else None


def cron_in_words(line: str) -> str:
    """`0 7 * * 1-5` → `วันจันทร์–ศุกร์ เวลา 07:00 น.`; a line it cannot put simply stays as it is."""
    parts = line.split()
    if len(parts) != 5:
        return f"cron {line}"
    minute, hour, day, month, weekday = parts
    if minute.isdigit() and day == "*" and month == "*":
        days = _days(weekday)
        if days and hour.isdigit():
            return f"{days} เวลา {int(hour):02d}:{int(minute):02d} น."
        if days and re.fullmatch(r"\d+(,\d+)+", hour):
            times = ", ".join(f"{int(h):02d}:{int(minute):02d}" for h in hour.split(","))
            return f"{days} เวลา {times} น."
        if days and hour == "*":
            return f"{days} ทุกชั่วโมง นาทีที่ {int(minute)}"
    if minute.startswith("*/") and hour == "*" and day == "*" and month == "*" and weekday == "*":
        return f"ทุก {minute[2:]} นาที"
    return f"cron {line}"


def every_minutes(minutes: int) -> str:
    """`ทุก 90 นาที` → `ทุก 1 ชั่วโมง 30 นาที`."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"ทุก {minutes} นาที"
    return f"ทุก {hours} ชั่วโมง" + (f" {rest} นาที" if rest else "")


def unit_of(indicator: str) -> str:
    """The unit a target's name ends with: `… (ราย)` → `ราย`; "" when none."""
    found = re.search(r"\(([^()]+)\)\s*$", indicator or "")
    return found.group(1).strip() if found else ""
