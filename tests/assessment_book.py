"""A workbook A laid out as SPEC.md's appendix, each applicant built to hit one rule of the spec (or its boundary).

Cells are what both backends hold (numbers, text, date serials), so the .xlsx and the Google spreadsheet on the
fake server start identical. EXPECTED says what the spec's rules decide for each applicant.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from random import Random

from pydantic import SecretStr

from app.adapters.state.run_store import RunStore
from app.config import MailSettings
from app.demo_data import valid_national_id
from app.assessment.reference_links import reference_token
from tests.backends import NOW, Backend, make_backend

SECRET = b"test-secret-for-reference-links"
FORM_URL = "https://docs.google.com/forms/d/e/TESTFORM/viewform"
EPOCH = datetime(1899, 12, 30)
TOPICS = (("C1", "ความรู้ในสาขา", 40), ("C2", "การวินิจฉัยปัญหา", 25), ("C3", "การวางแผนงาน", 15),
          ("C4", "การถ่ายทอดความรู้", 10), ("C5", "การสื่อสาร", 5), ("C6", "จรรยาบรรณ", 5))
TOPIC_HEADERS = [f"[{code}] {name}" for code, name, _ in TOPICS]
P, F, I = "ผ่าน", "ไม่ผ่าน", "ข้อมูลไม่เพียงพอ"
APPLICANT_HEADERS = ["ประทับเวลา", "เลขที่ใบสมัคร", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "อีเมล",
                     "โทรศัพท์", "เลขสมาชิก i.industry", "วันที่สอบผ่าน I3C", "ประสบการณ์การเป็นที่ปรึกษา (ปี)",
                     "จำนวนตัวอย่างผลงาน", "เอกสารครบถ้วน", "บุคคลอ้างอิง 1 ชื่อ", "บุคคลอ้างอิง 1 อีเมล",
                     "บุคคลอ้างอิง 2 ชื่อ", "บุคคลอ้างอิง 2 อีเมล", "บุคคลอ้างอิง 3 ชื่อ", "บุคคลอ้างอิง 3 อีเมล"]
REFERENCE_HEADERS = ["ประทับเวลา", "ที่อยู่อีเมล", "เลขที่ใบสมัคร", "รหัสยืนยัน", "ชื่อผู้ประเมิน",
                     "ความสัมพันธ์กับผู้สมัคร", *TOPIC_HEADERS, "ข้อเสนอแนะ"]
NATIONAL_IDS = tuple(valid_national_id(Random(n)) for n in range(1, 13))


def serial(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    """A date(-time) as a sheet holds it: days since 1899-12-30, Bangkok local time."""
    return (datetime(year, month, day, hour, minute) - EPOCH).total_seconds() / 86400


def ref(number: str, slot: int) -> tuple[str, str]:
    """Reference `slot` of applicant `number`: a name and an address of their own."""
    return f"นายอ้างอิง{slot} {number}", f"ref{slot}.{number.lower()}@example.com"


def applicant(n: int, *, refs: list[tuple[str, str]] | None = None, member: str | None = "IND100",
              i3c: float = serial(2025, 1, 15), years: float = 8, samples: int = 0, documents: str | None = "ใช่",
              applied: float | None = None) -> list:
    number = f"A-{n:03d}"
    refs = refs if refs is not None else [ref(number, 1), ref(number, 2)]
    cells = [c for r in refs for c in r] + [None] * (6 - 2 * len(refs))
    return [applied or serial(2026, 10, n, 9), number, "นาย", f"ผู้สมัคร{n}", "ทดสอบ", NATIONAL_IDS[n - 1],
            f"applicant{n}@example.com", "0812345678", member, i3c, years, samples, documents, *cells]


def review(number: str, verdicts: list[str], day: int = 5) -> list:
    return [serial(2026, 11, day, 10), number, "นางสาวผู้ประเมิน ทดสอบ", 8, *verdicts]


def answer(number: str, slot: int, ratings: list, *, day: int = 6, hour: int = 9, email: str | None = None,
           token: str | None = None) -> list:
    """An answer of reference `slot` through their personal link (token), from their own address unless given."""
    own = ref(number, slot)[1]
    return [serial(2026, 11, day, hour), email or own, number,
            reference_token(SECRET, number, own) if token is None else token, ref(number, slot)[0],
            "ผู้ประกอบการที่รับคำปรึกษา", *ratings, None]


ALL_PASS = [P] * 6
THREES = [3] * 6


def workbook() -> dict[str, list[list]]:
    """The officer tabs (tab title → rows, header first)."""
    self_ref = ("นายผู้สมัคร10 ทดสอบ", "applicant10@example.com")
    applicants = [
        applicant(1), applicant(2, applied=serial(2026, 9, 15, 9)), applicant(3), applicant(4),
        applicant(5, member=None, i3c=serial(2023, 10, 30)), applicant(6, i3c=serial(2023, 10, 31)),
        applicant(7, refs=[ref("A-007", 1), ref("A-007", 2), ref("A-007", 3)]),
        applicant(8, years=4.5, samples=3), applicant(9),
        applicant(10, refs=[self_ref, ref("A-010", 2), ("นายซ้ำ คนเดิม", ref("A-010", 2)[1])]),
        applicant(11), applicant(12, documents=None),
    ]
    applicants.insert(2, applicant(1))  # row 4: A-001 submitted again
    applicants.append([serial(2026, 10, 20, 9), None, "นาง", "ไม่มี", "เลขที่", NATIONAL_IDS[0], "x@example.com"])
    reviews = [
        review("A-001", [P, P, P, I, I, I]), review("A-002", [P, P, I, I, I, P]), review("A-003", [P, P, I, I, I, P]),
        review("A-004", ALL_PASS, day=4), review("A-004", [P, P, P, P, F, F]),
        review("A-007", ALL_PASS), review("A-008", [P, P, I, P, P, P]), review("A-009", [I, P, P, P, P, P]),
        review("A-010", ALL_PASS), review("A-011", ALL_PASS), review("A-998", ALL_PASS),
    ]
    answers = sorted([
        answer("A-001", 1, THREES), answer("A-001", 2, THREES, hour=10),
        answer("A-002", 1, THREES), answer("A-002", 2, THREES), answer("A-003", 1, THREES),
        answer("A-003", 2, THREES), answer("A-004", 1, [4] * 6), answer("A-004", 2, [4] * 6),
        answer("A-006", 1, [1] * 6, day=3), answer("A-006", 1, [4] * 6, day=7), answer("A-006", 2, [4, 4, 7, 4, 4, 4]),
        answer("A-007", 1, [4] * 6),
        answer("A-008", 1, [4, 4, 5, 4, 4, 4]), answer("A-008", 2, [4, 4, "ไม่ทราบ", 4, 4, 4]),
        answer("A-009", 1, [3, 4, 4, 4, 4, 2]), answer("A-009", 2, [4, 4, 4, 4, 4, 2]),
        answer("A-010", 1, [5] * 6, email="applicant10@example.com",
               token=reference_token(SECRET, "A-010", "applicant10@example.com")),
        answer("A-010", 2, [4] * 6),
        answer("A-011", 1, [4] * 6, email="other.address@example.com"),
        answer("A-011", 2, [4] * 6, token="not-the-token"),
        answer("A-999", 1, [4] * 6), answer("A-004", 1, ["ดี"] * 6, day=8),
    ], key=lambda row: row[0])
    for second, row in enumerate(answers):  # submitted one after another, as a linked responses tab is ordered
        row[0] += second / 86400
    answers.append(answer("A-009", 1, [5] * 6))
    answers[-1][0] = serial(2027, 1, 1, 9)  # dated in the future (a typo): its date reported, counted as oldest
    return {
        "ตั้งค่า": [["รายการ", "ค่า"], ["วันปิดรับสมัคร", "31/10/2569"], ["นโยบายการตัดสิน", "คู่มือ"],
                    ["ลิงก์แบบประเมินบุคคลอ้างอิง", FORM_URL]],
        "หัวข้อสมรรถนะ": [["รหัส", "หัวข้อสมรรถนะ", "น้ำหนัก (ร้อยละ)"], *[list(t) for t in TOPICS]],
        "ผู้สมัคร": [APPLICANT_HEADERS, *applicants],
        "ผลประเมินเอกสาร": [["ประทับเวลา", "เลขที่ใบสมัคร", "ผู้ประเมิน", "ค่าประสบการณ์", *TOPIC_HEADERS,
                             "[C9] หัวข้อเก่า"], *reviews],
        "แบบประเมินบุคคลอ้างอิง": [REFERENCE_HEADERS, *answers],
        "ผลสัมภาษณ์": [["ประทับเวลา", "เลขที่ใบสมัคร", "ผู้สัมภาษณ์", *TOPIC_HEADERS],
                       [serial(2026, 11, 15, 9), "A-003", "นายผู้สัมภาษณ์", None, None, P, P, None, None],
                       [serial(2026, 11, 15, 10), "A-001", "นายผู้สัมภาษณ์", None, None, P, P, None, None]],
        "มติคณะกรรมการ": [["เลขที่ใบสมัคร", "วันที่ประชุม", "มติ", "หมายเหตุ"], ["A-001", "20/11/2569", "เห็นชอบ"],
                          ["A-004", "20/11/2569", "เห็นชอบ"]],
        "ความพึงพอใจ": [["ประทับเวลา", "ข้อ 1", "ข้อ 2"], [serial(2026, 11, 10, 9), 5, 4],
                        [serial(2026, 11, 11), 4, 4]],
    }


# application number → (qualification, decision starts with, stage, P, F, insufficient)
EXPECTED = {
    "A-001": ("ผ่าน", "ผ่านการประเมิน", "ประกาศรายชื่อแล้ว", 80, 0, 20),       # P exactly 80
    "A-002": ("ผ่าน", "สัมภาษณ์", "รอสัมภาษณ์", 70, 0, 30),                   # P exactly 70
    "A-003": ("ผ่าน", "ผ่านการประเมิน", "รอคณะกรรมการ", 95, 0, 5),            # 70 → interview → 95
    "A-004": ("ผ่าน", "ไม่ผ่านการประเมิน", "ไม่ผ่านการประเมิน", 90, 10, 0),    # F beyond 5 (exactly 5 passes)
    "A-005": ("ไม่ผ่าน", "", "ไม่ผ่านคุณสมบัติ", "", "", ""),
    "A-006": ("ผ่าน", "รอข้อมูล: ยังไม่มีผลประเมินเอกสาร", "รอหลักฐาน", 85, 0, 15),  # I3C exactly 3 years
    "A-007": ("ผ่าน", "รอข้อมูล: บุคคลอ้างอิงตอบ 1 จาก 2", "รอหลักฐาน", 100, 0, 0),
    "A-008": ("ผ่าน", "ผ่านการประเมิน", "รอคณะกรรมการ", 85, 0, 15),           # ไม่ทราบ leaves one rating
    "A-009": ("ผ่าน", "ผ่านการประเมิน", "รอคณะกรรมการ", 95, 0, 5),            # mean exactly 3.5 passes
    "A-010": ("ผ่าน", "ผ่านการประเมิน", "รอคณะกรรมการ", 100, 0, 0),           # self and repeated not counted
    "A-011": ("ผ่าน", "รอข้อมูล: บุคคลอ้างอิงตอบ 1 จาก 2", "รอหลักฐาน", 100, 0, 0),
    "A-012": ("รอตรวจ", "", "รอตรวจคุณสมบัติ", "", "", ""),
}


class Clock:
    """A clock the test moves by hand (aware, Asia/Bangkok); the services and the run-state store share it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def assessment_backend(kind: str, tmp_path: Path, fake=None, tabs: dict | None = None, **mail) -> Backend:
    """Workbook A on one backend: pinned movable clock, the test secret, mail into tmp_path/outbox by default."""
    backend = make_backend(kind, tabs or workbook(), tmp_path, fake)
    clock = Clock(NOW)
    services = backend.services
    services.clock = clock
    services.store = RunStore(services.settings.state_db, clock=clock)
    services.settings = services.settings.model_copy(update={
        "reference_secret": SecretStr(SECRET.decode()),
        "mail": MailSettings(**{"outbox_dir": tmp_path / "outbox", **mail})})
    backend.clock = clock
    return backend
