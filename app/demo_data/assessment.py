"""Demo workbook A (consultant assessment): the officer tabs filled as forms and officers would fill them."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Callable

from app.demo_data import assessment_layout as L
from app.demo_data.edits import Grid, apply_bad_cells, insert_blank, insert_copy
from app.demo_data.people import People, be_text, officer_date

OFFICERS = ("นางสาวพิมพ์ชนก ศรีสุข", "นายธนากร ทองดี", "นางกาญจนา เจริญสุข", "นายอนุชา ปัญญาดี")
RELATIONS = ("ผู้ประกอบการที่รับคำปรึกษา", "ผู้บริหารสถานประกอบการที่รับบริการ",
             "เจ้าหน้าที่หน่วยงานผู้ว่าจ้าง", "ผู้จัดการโรงงานที่รับบริการ")
COMMENTS = ("ให้คำปรึกษาตรงประเด็น นำไปใช้ได้จริง", "ควรติดตามผลต่อเนื่องมากขึ้น",
            "มีความรู้ด้านการลดต้นทุนดีมาก", "สื่อสารเข้าใจง่าย", None, None, None)
PASS, FAIL, UNSURE = "ผ่าน", "ไม่ผ่าน", "ข้อมูลไม่เพียงพอ"
PROFILES = (("strong", 0.55), ("borderline", 0.25), ("weak", 0.20))


def demo_token(app_no: str, email: str) -> str:
    """A fixed fake confirmation token (the real HMAC is computed by the service)."""
    return hashlib.sha256(f"demo|{app_no}|{email.lower()}".encode()).hexdigest()[:16]


def assessment_workbook(seed: int = 2567, applicants: int = 40, satisfaction_responses: int = 60,
                        closing: date = date(2026, 10, 31),
                        token_for: Callable[[str, str], str] | None = None, references: int | None = None,
                        answer_share: float | None = None) -> dict[str, Grid]:
    """Workbook A's officer tabs (tab title → grid, header in row 1), deterministic for a seed.

    For load tests: `references` names exactly that many references per applicant (1–3), and `answer_share`
    makes that share of every applicant's references answer (default: 85% of the qualified applicants' ones)."""
    rng = Random(seed)
    people = People(rng)
    start = datetime.combine(closing, time(8)) - timedelta(days=40)
    stamps = sorted(start + timedelta(seconds=rng.randint(0, 40 * 86400)) for _ in range(applicants))
    apps = [_applicant(rng, people, i + 1, stamps[i], closing, references) for i in range(applicants)]
    if applicants > L.SELF_REFERENCE_APPLICANT:
        _refer_to_self(apps[L.SELF_REFERENCE_APPLICANT])
    after = datetime.combine(closing, time(9))
    book: dict[str, Grid] = {
        "ตั้งค่า": [["รายการ", "ค่า"]] + [[k, closing if v is None else v] for k, v in L.SETTINGS],
        "หัวข้อสมรรถนะ": [list(L.HEADERS["หัวข้อสมรรถนะ"])] + [list(t) for t in L.TOPICS],
        "ผู้สมัคร": [list(L.APPLICANT_HEADERS)] + [a["row"] for a in apps],
        "ผลประเมินเอกสาร": _reviews(rng, apps, after),
        "แบบประเมินบุคคลอ้างอิง": _references(rng, apps, after, token_for or demo_token, answer_share),
        "ผลสัมภาษณ์": _interviews(rng, apps, after),
        "มติคณะกรรมการ": _committee(rng, apps, closing),
        "ความพึงพอใจ": _satisfaction(rng, satisfaction_responses, after),
    }
    grid = book["ผู้สมัคร"]
    if len(grid) > L.DUPLICATE_ROW:  # submitted again between its neighbours' timestamps
        before, later = grid[L.DUPLICATE_ROW - 2][0], grid[L.DUPLICATE_ROW - 1][0]
        insert_copy(grid, L.DUPLICATE_ROW, L.DUPLICATE_SOURCE, {"ประทับเวลา": before + (later - before) / 2})
    insert_blank(book["มติคณะกรรมการ"], L.COMMITTEE_BLANK_ROW)
    apply_bad_cells(book, list(L.BAD_CELLS))
    return book


def _applicant(rng: Random, people: People, number: int, stamp: datetime, closing: date,
               references: int | None) -> dict:
    p = people.person()
    app_no = f"A{closing.year + 543}-{number:04d}"
    years = rng.randint(1, 4) if rng.random() < 0.3 else rng.randint(5, 25)
    fault = rng.choice(("member", "i3c", "docs", "samples")) if rng.random() < 0.15 else None
    member = None if fault == "member" else f"IND{rng.randint(100000, 999999)}"
    i3c = closing - timedelta(days=rng.randint(1200, 1800) if fault == "i3c" else rng.randint(20, 1050))
    samples = rng.randint(3, 4) if years < 5 else rng.choice((0, 0, 1, 3))
    if fault == "samples":
        years, samples = rng.randint(1, 4), rng.randint(0, 2)
    count = rng.choices((1, 2, 3), (8, 22, 70))[0]
    refs = [people.person() for _ in range(references or count)]
    ref_cells: list = []
    for r in refs + [None] * (3 - len(refs)):
        ref_cells += [None, None] if r is None else [f"{_title(rng, r)}{r['first']} {r['last']}", r["email"]]
    row = [stamp, app_no, p["title"], p["first"], p["last"], p["nid"], p["email"], p["phone"], member,
           officer_date(rng, i3c, 0.4), years, samples, "ไม่ใช่" if fault == "docs" else "ใช่", *ref_cells]
    profile = rng.choices([n for n, _ in PROFILES], [w for _, w in PROFILES])[0]
    names = ref_cells[0::2]
    return {"app_no": app_no, "row": row, "ok": fault is None, "profile": profile, "years": years,
            "refs": [(names[i], r["email"]) for i, r in enumerate(refs)], "weak_topics": _weak(rng, profile)}


def _refer_to_self(app: dict) -> None:
    """The applicant names themself as reference 2 (the tracking tab notes it)."""
    row = app["row"]
    me = (f"{row[2]}{row[3]} {row[4]}", row[6])
    at = L.APPLICANT_HEADERS.index("บุคคลอ้างอิง 2 ชื่อ")
    row[at:at + 2] = list(me)
    app["refs"] = app["refs"][:1] + [me] + app["refs"][2:]


def _title(rng: Random, person: dict) -> str:
    return "ดร." if rng.random() < 0.1 else person["title"]


def _weak(rng: Random, profile: str) -> set[int]:
    """Topic indexes the applicant is weak in: unclear for borderline, failing for weak."""
    if profile == "strong":
        return set()
    return set(rng.sample(range(1, len(L.TOPICS)), 2 if profile == "borderline" else rng.randint(1, 2)))


def _verdicts(rng: Random, app: dict) -> list[str]:
    out = []
    for i in range(len(L.TOPICS)):
        if i in app["weak_topics"]:
            out.append(FAIL if app["profile"] == "weak" else UNSURE)
        else:
            out.append(PASS if rng.random() < 0.9 else UNSURE)
    return out


def _reviews(rng: Random, apps: list[dict], after: datetime) -> Grid:
    rows = []
    for app in apps:
        if not app["ok"] or rng.random() > 0.85:
            continue
        when = after + timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 480))
        if rng.random() < 0.08:  # reviewed twice: the later review counts
            first = [rng.choice((PASS, UNSURE)) for _ in L.TOPICS]
            rows.append([when - timedelta(days=1), app["app_no"], rng.choice(OFFICERS), app["years"], *first])
        rows.append([when, app["app_no"], rng.choice(OFFICERS), app["years"], *_verdicts(rng, app)])
        app["reviewed"] = True
    rows.sort(key=lambda r: r[0])
    return [list(L.HEADERS["ผลประเมินเอกสาร"])] + rows


def _rating(rng: Random, app: dict, topic: int) -> int | str:
    if rng.random() < 0.06:
        return "ไม่ทราบ"
    if topic in app["weak_topics"]:
        return rng.choice((3, "ไม่ทราบ")) if app["profile"] == "borderline" else rng.choice((1, 2, 2))
    return rng.choice((4, 5, 5)) if app["profile"] != "weak" else rng.choice((3, 4, 4))


def _references(rng: Random, apps: list[dict], after: datetime, token_for: Callable[[str, str], str],
                answer_share: float | None) -> Grid:
    rows = []
    for app in apps:
        if not app["ok"] and answer_share is None:
            continue
        for name, email in app["refs"]:
            if rng.random() > (0.85 if answer_share is None else answer_share):
                continue
            when = after + timedelta(days=rng.randint(1, 13), minutes=rng.randint(0, 900))
            sender = email.replace("@", ".work@", 1) if rng.random() < 0.03 else email  # from another address
            answers = 2 if rng.random() < 0.02 else 1  # a few answer twice: the latest counts
            for k in range(answers):
                rows.append([when + timedelta(hours=5 * k), sender, app["app_no"], token_for(app["app_no"], email),
                             name, rng.choice(RELATIONS), *(_rating(rng, app, t) for t in range(len(L.TOPICS))),
                             rng.choice(COMMENTS)])
    rows.sort(key=lambda r: r[0])
    return [list(L.HEADERS["แบบประเมินบุคคลอ้างอิง"])] + rows


def _interviews(rng: Random, apps: list[dict], after: datetime) -> Grid:
    unclear = [a for a in apps if a.get("reviewed") and a["profile"] == "borderline"]
    rows = []
    for app in unclear[: max(3, len(apps) // 10)]:
        cells = [(PASS if rng.random() < 0.8 else FAIL) if t in app["weak_topics"] else None
                 for t in range(len(L.TOPICS))]
        rows.append([after + timedelta(days=16, hours=len(rows)), app["app_no"], rng.choice(OFFICERS), *cells])
        app["interview_ok"] = FAIL not in cells
    return [list(L.HEADERS["ผลสัมภาษณ์"])] + rows


def _committee(rng: Random, apps: list[dict], closing: date) -> Grid:
    chosen = [a for a in apps if a.get("reviewed") and (a["profile"] == "strong" or a.get("interview_ok"))]
    meeting = closing + timedelta(days=20)
    rows = []
    for i, app in enumerate(chosen[: max(4, len(apps) // 8)]):
        approve = i != 2
        rows.append([app["app_no"], meeting if rng.random() < 0.5 else be_text(meeting),
                     "เห็นชอบ" if approve else "ไม่เห็นชอบ", None if approve else "ขอเอกสารผลงานเพิ่มเติม"])
    return [list(L.HEADERS["มติคณะกรรมการ"])] + rows


def _satisfaction(rng: Random, count: int, after: datetime) -> Grid:
    stamps = sorted(after + timedelta(days=5, seconds=rng.randint(0, 15 * 86400)) for _ in range(count))
    rows = [[s, *rng.choices((5, 4, 3, 2), (45, 40, 12, 3), k=L.SATISFACTION_ITEMS)] for s in stamps]
    return [list(L.HEADERS["ความพึงพอใจ"])] + rows

