"""The Thai invitation and reminder a reference person receives, with the applicant's name and the deadline."""
from __future__ import annotations

from datetime import date

import pandas as pd

from app.mail.mail_log import OutgoingMail
from app.sheets.thai_time import format_be

FORM_NAME = "แบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม"
SENDER_UNIT = "กองพัฒนาขีดความสามารถธุรกิจอุตสาหกรรม กรมส่งเสริมอุตสาหกรรม"


def invitation(key: str, reference: pd.Series, applicant_name: str, link: str, deadline: date,
               reminder: int = 0) -> OutgoingMail:
    """The invitation (reminder 0) or the n-th reminder to one reference person."""
    application_no = reference["application_no"]
    subject = f"ขอความอนุเคราะห์ตอบ{FORM_NAME}: {applicant_name} (ใบสมัคร {application_no})"
    opening = (f"ด้วย {applicant_name} ผู้สมัครเลขที่ {application_no} ได้สมัครเข้ารับการประเมินสมรรถนะร่วม"
               f"ที่ปรึกษาอุตสาหกรรม และได้ระบุชื่อท่านเป็นบุคคลอ้างอิง")
    if reminder:
        subject = f"[แจ้งเตือนครั้งที่ {reminder}] {subject}"
        opening = (f"ตามที่ได้เรียนเชิญท่านเป็นบุคคลอ้างอิงของ {applicant_name} ผู้สมัครเลขที่ {application_no} "
                   f"ขณะนี้ระบบยังไม่ได้รับคำตอบของท่าน")
    greeting = reference["name"] if isinstance(reference["name"], str) else "ท่านบุคคลอ้างอิง"
    text = "\n".join([
        f"เรียน {greeting}",
        "",
        opening,
        "",
        f"{SENDER_UNIT} จึงขอความอนุเคราะห์ท่านตอบ{FORM_NAME} ภายในวันที่ {format_be(deadline)} "
        "ผ่านลิงก์ส่วนตัวของท่านด้านล่าง (ใช้เวลาประมาณ 5 นาที)",
        link,
        "",
        "ลิงก์นี้ระบุเลขที่ใบสมัครและรหัสยืนยันของท่านไว้แล้ว กรุณาอย่าส่งต่อให้ผู้อื่น "
        "หากท่านไม่รู้จักผู้สมัครรายนี้ โปรดเพิกเฉยต่ออีเมลฉบับนี้",
        "",
        "ขอขอบพระคุณเป็นอย่างสูง",
        SENDER_UNIT,
    ])
    return OutgoingMail(key, reference["email"], subject, text + "\n")
