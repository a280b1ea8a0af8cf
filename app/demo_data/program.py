"""The demo's program: a second activity of the same program in a spreadsheet of its own, serving again some people
and enterprises of the first (demo/reporting.xlsx), and the program's empty summary workbook."""
from __future__ import annotations

from app.demo_data import reporting_layout as L
from app.demo_data.edits import Grid
from app.demo_data.reporting import reporting_workbook

SECOND_UNITS = ("ศภ.4", "ศภ.5")
SHARED_ROWS = range(2, 7)  # sheet rows of the first activity's first unit tab whose people come again
_IDENTITY = ("เลขบัตรประจำตัวประชาชน", "ชื่อ-นามสกุล", "โทรศัพท์มือถือ", "อีเมล", "ประเภทสมาชิก",
             "เลขประจำตัวผู้เสียภาษี", "ชื่อองค์กร", "คลัสเตอร์", "ภาคธุรกิจ", "จำนวนการจ้างงาน (คน)", "รายได้ต่อปี (บาท)")


def second_activity_workbook(first: dict[str, Grid]) -> dict[str, Grid]:
    """Activity 2: two units and no deliberate defects; its first unit's rows 2–6 are the people (and their
    enterprises) of rows 2–6 of the first activity's first unit tab, with outcomes of their own."""
    book = reporting_workbook(seed=2568, units=SECOND_UNITS, rows_per_unit=20, defects=False)
    source = first[L.DEFAULT_UNITS[0]]
    target = book[SECOND_UNITS[0]]
    for row in SHARED_ROWS:
        person = dict(zip(source[0], source[row - 1]))
        for header in _IDENTITY:
            target[row - 1][target[0].index(header)] = person.get(header)
    return book


def program_workbook() -> dict[str, Grid]:
    """The program's own summary spreadsheet before its first run: one tab saying what it is for."""
    return {"แผ่น1": [["สรุปโครงการจากทุกกิจกรรม: ระบบเขียนแท็บสรุปในสมุดงานนี้ "
                      "(the program's summary: the service writes its tabs into this workbook)"]]}
