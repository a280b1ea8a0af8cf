"""A real web app over a real SQLite run store, with run records as the workflows leave them (web and browser tests)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pydantic import SecretStr
from werkzeug.security import generate_password_hash

from app.adapters.state.run_store import RunStore
from app.config import Settings, WebSettings, WebUser, JobSettings
from app.sheets.problems import RowProblem

TOKEN = "api-token-for-tests"
PASSWORDS = {"op": "op-pass-1234", "view": "view-pass-1234"}
ROLES = {"op": "operator", "view": "viewer"}
NATIONAL_ID, PHONE = "1101700203451", "0812345678"
SHEET_URL = "https://docs.google.com/spreadsheets/d/1AbCdEf/edit#gid=1874523690&range=G7"

ASSESSMENT = {
    "stages": [{"stage": "รอตรวจคุณสมบัติ", "count": 3}, {"stage": "รอบุคคลอ้างอิง", "count": 9},
               {"stage": "รอสัมภาษณ์", "count": 4}, {"stage": "รอคณะกรรมการ", "count": 6},
               {"stage": "ประกาศรายชื่อแล้ว", "count": 11}],
    "decisions": {"ผ่านการประเมิน": 17, "สัมภาษณ์": 4, "ไม่ผ่านการประเมิน": 5, "รอข้อมูล": 7},
    "overdue": [{"application_no": "A-2569-014", "name": f"นางสาวกมลา ใจดี ({NATIONAL_ID})", "days": 64,
                 "stage": "รอบุคคลอ้างอิง"},
                {"application_no": "A-2569-003", "name": "นายสมชาย รักงาน", "days": 71, "stage": "รอคณะกรรมการ"}],
    "references": {"invited": 48, "answered": 31},
    "satisfaction": {"respondents": 26, "mean_percent": 87.4, "standard": 85.0},
    "applicants": [
        {"application_no": "A-2569-014", "name": f"นางสาวกมลา ใจดี ({NATIONAL_ID})", "stage": "รอบุคคลอ้างอิง", "days": 64,
         "waiting_for": "บุคคลอ้างอิงตอบ 1 จาก 2 คน รอถึง 28/11/2569 (references still awaited)",
         "references": [{"name": "ดร.วิชัย สุขใจ", "status": "ตอบแล้ว", "invited": "2026-10-01T09:00:00+07:00",
                         "answered": "2026-10-03T14:10:00+07:00"},
                        {"name": "นายประยุทธ มั่นคง", "status": "รอคำตอบ", "invited": "2026-10-01T09:00:00+07:00",
                         "answered": None}]},
        {"application_no": "A-2569-003", "name": "นายสมชาย รักงาน", "stage": "รอคณะกรรมการ", "days": 71,
         "waiting_for": "", "references": []}],
}
GROUP = {"participants": 0, "enterprises": 0, "satisfied_share": None, "gain_share": None, "economic_value": 0.0,
         "applied_share": None}
REPORTING = {
    "program": "โครงการพัฒนาเครือข่ายวิสาหกิจ (cluster_project)",
    "targets": [{"indicator": "จำนวนวิสาหกิจที่ได้รับการพัฒนา (กิจการ)", "target": 100, "actual": 86, "met": False},
                {"indicator": "ผู้รับบริการพึงพอใจ ≥ 80% (ร้อยละ)", "target": 80, "actual": 91.5, "met": True},
                {"indicator": "มูลค่าทางเศรษฐกิจ (บาท)", "target": 125_000_000, "actual": 98_250_000.5, "met": False},
                {"indicator": "ระดับความสำเร็จคลัสเตอร์", "target": "ระดับ 2", "actual": "ระดับ 1", "met": None}],
    "units": [dict(GROUP, name="กข.", participants=41, enterprises=30, satisfied_share=92.5, gain_share=81.0,
                   economic_value=48_200_000.0, applied_share=76.0),
              dict(GROUP, name="ศภ.1", participants=27, enterprises=22, satisfied_share=85.0, gain_share=70.4,
                   economic_value=30_050_000.5, applied_share=66.7),
              dict(GROUP, name=f"ศภ.2 โทร {PHONE}", participants=18, enterprises=15, economic_value=20_000_000.0)],
    "clusters": [dict(GROUP, name="ผ้าไทย", participants=33, enterprises=25, satisfied_share=90.0,
                      economic_value=52_000_000.0),
                 dict(GROUP, name="ปลากัด", participants=12, enterprises=9, economic_value=7_500_000.0)],
    "provinces": [dict(GROUP, name="เชียงใหม่", participants=25, enterprises=19, economic_value=31_000_000.0),
                  dict(GROUP, name="ขอนแก่น", participants=20, enterprises=17, economic_value=22_000_000.0)],
}


def web_settings(tmp_path: Path, jobs: dict[str, JobSettings] | None = None, **web) -> Settings:
    """Settings with an operator `op` and a viewer `view` (fast pbkdf2 hashes), the API token, plain-http cookies."""
    users = {name: WebUser(password_hash=generate_password_hash(PASSWORDS[name], method="pbkdf2:sha256:1000"),
                           role=ROLES[name]) for name in PASSWORDS}
    return Settings(state_db=tmp_path / "state.sqlite", api_token=SecretStr(TOKEN), secret_key=SecretStr("k" * 32),
                    jobs=jobs if jobs is not None else {"assessment": JobSettings(kind="assessment",
                        workbook=tmp_path / "assessment.xlsx", interval_minutes=15)},
                    web=WebSettings(users=users, **({"secure_cookie": False} | web)))


def seed_runs(store: RunStore) -> dict[str, int]:
    """A failed then an ok assessment run, an ok reporting run: summaries, problems with both kinds of link, logs."""
    failed = store.start_run("assessment", "assessment.xlsx", "schedule", "scheduler")
    store.finish_run(failed, "failed", {}, f"แท็บ ผู้สมัคร: ไม่พบหัวคอลัมน์ เลขที่ใบสมัคร ({NATIONAL_ID})")
    ok = store.start_run("assessment", "assessment.xlsx", "manual", "somchai")
    store.add_problems(ok, [RowProblem("ผู้สมัคร", 7, "เลขประจำตัวประชาชน", NATIONAL_ID, "เลขตรวจสอบผิด (bad check digit)"),
                            RowProblem("ความพึงพอใจ", 5, "ข้อ 1", "7", "นอกช่วง 1–5 (out of range)")],
                       [SHEET_URL, "assessment.xlsx › ความพึงพอใจ!B5"])
    store.add_log(ok, "INFO", f"อ่าน 8 แท็บ; โทร {PHONE} ไม่ถูกต้อง")
    store.finish_run(ok, "ok", {"rows_read": 230, "problems": 2, "cells_written": 1871}, summary=ASSESSMENT)
    report = store.start_run("reporting", "reporting.xlsx", "web", "op")
    store.finish_run(report, "ok", {"rows_read": 120, "problems": 0, "cells_written": 5363}, summary=REPORTING)
    return {"failed": failed, "ok": ok, "reporting": report}


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, user: str, password: str | None = None, next_path: str = ""):
    """Sign in through the real form; returns the response of the POST."""
    token = csrf_of(client.get("/signin").get_data(as_text=True))
    return client.post("/signin", data={"csrf_token": token, "username": user, "next": next_path,
                                        "password": PASSWORDS[user] if password is None else password})


FULL_ID = re.compile(r"(?<!\d)(?:\d[\s.\-]?){9}\d(?:(?:[\s.\-]?\d){3})?(?!\d)")


def full_ids(text: str) -> list[str]:
    """Every 10- or 13-digit number (spaces, dots or dashes allowed between digits) in a text."""
    return [m for m in FULL_ID.findall(text) if len(re.sub(r"\D", "", m)) in (10, 13)]


@contextmanager
def scheduler_running(services) -> Iterator[None]:
    """The scheduler of `python -m jobs` (its run-now queue, heartbeat and schedules) in a thread of this test
    process: run-now from the page or the API runs there, as it would in the scheduler process."""
    import threading

    from jobs.scheduler import build_scheduler

    scheduler = build_scheduler(services)
    thread = threading.Thread(target=scheduler.start, name="scheduler", daemon=True)
    thread.start()
    while not scheduler.running and thread.is_alive():  # started: shutdown() below must find it running
        thread.join(0.01)
    try:
        yield
    finally:
        scheduler.shutdown()
        thread.join(30)
