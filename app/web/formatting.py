"""How the pages write times, durations, numbers and statuses (Thai first, Buddhist Era, Asia/Bangkok)."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from app.sheets.masking import mask_personal
from app.sheets.thai_time import format_be
from app.web.auth import csrf_token
from app.web.wording import failure, unit_of

JOB_NAMES = {"assessment": "การประเมินสมรรถนะที่ปรึกษาอุตสาหกรรม", "reporting": "การรายงานผลโครงการ"}
STATUS_NAMES = {"ok": "สำเร็จ", "failed": "ล้มเหลว", "running": "กำลังทำงาน", "interrupted": "ถูกสั่งหยุด",
                "abandoned": "ค้างไม่จบ (กระบวนการหายไป)", "preview": "ตัวอย่าง (ไม่ได้เขียน)",
                "skipped": "ข้าม (ไม่มีอะไรเปลี่ยน)"}
COUNT_NAMES = {"rows_read": "แถวที่อ่าน", "problems": "ปัญหาข้อมูล", "cells_written": "เซลล์ที่เขียน",
               "cells_changed": "เซลล์ที่เปลี่ยน", "tabs_created": "แท็บที่สร้างใหม่", "mails_sent": "อีเมลที่ส่ง",
               "mails_failed": "อีเมลที่ส่งไม่สำเร็จ",
               "mails_uncertain": "อีเมลที่ไม่แน่ใจว่าส่งออกไปหรือไม่", "mails_waiting": "อีเมลที่รอส่ง"}
TRIGGER_NAMES = {"manual": "คำสั่ง", "schedule": "ตามเวลา", "api": "API", "web": "หน้าเว็บ"}


def when(moment: datetime | str | None) -> str:
    """`21/11/2569 17:09` in the configured zone (an ISO text from a run's summary too); `–` for none."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    if moment is None:
        return "–"
    zone = ZoneInfo(current_app.config["SERVICES"].settings.timezone)
    return format_be(moment.astimezone(zone) if moment.tzinfo else moment)


def duration(span: timedelta | None) -> str:
    """`0.4 วินาที`, `2 นาที 5 วินาที`, `1 ชั่วโมง 3 นาที`; `–` while running."""
    if span is None:
        return "–"
    seconds = span.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} วินาที"
    minutes, rest = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} นาที {rest} วินาที"
    return f"{minutes // 60} ชั่วโมง {minutes % 60} นาที"


def number(value, digits: int | None = None) -> str:
    """`1,250` or `1,250.50` (2 decimals unless whole or `digits` given); text as it is; none is `–`."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if digits is None:
        digits = 0 if float(value).is_integer() else 2
    return f"{value:,.{digits}f}"


def percent(value) -> str:
    """`87.5%`; text as it is; none is `–`."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,.1f}%"


def register(app: Flask) -> None:
    """Add the filters and the names every template uses."""
    app.jinja_env.filters.update(when=when, mask=mask_personal, duration=duration, number=number, percent=percent,
                                 job_name=lambda job: JOB_NAMES.get(job, job),
                                 status_name=lambda status: STATUS_NAMES.get(status, status),
                                 trigger_name=lambda trigger: TRIGGER_NAMES.get(trigger, trigger),
                                 failure=failure, unit_of=unit_of)
    app.jinja_env.globals.update(csrf_token=csrf_token, COUNT_NAMES=COUNT_NAMES)
