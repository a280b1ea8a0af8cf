"""Demo workbook B (program reporting): unit tabs of participants and outcomes, units list, cluster evidence."""
from __future__ import annotations

from datetime import date, timedelta
from random import Random

from app.demo_data import reporting_layout as L
from app.demo_data.edits import Grid, apply_bad_cells, apply_copies, insert_blank
from app.demo_data.outcomes import outcome_cells
from app.demo_data.people import PROVINCES, REGIONS, People, officer_date, officer_number, valid_tax_id

YEAR_START, YEAR_END = date(2025, 10, 1), date(2026, 9, 30)  # fiscal year 2569
YEAR_TAG = " (69)"
_REGION_LIST = tuple(REGIONS.values())
_KEYS = ("เลขบัตรประจำตัวประชาชน", "เลขประจำตัวผู้เสียภาษี")
_DAYS = {"ฝึกอบรม": (1, 3), "สัมมนา": (1, 1), "ศึกษาดูงาน": (2, 3), "จับคู่ธุรกิจ": (1, 2),
         "ให้คำปรึกษาเชิงลึก": (30, 150)}
_SIZES = {  # sector → (staff range, revenue range in baht) for micro, small, medium, large (seed 003)
    "การผลิต": (((1, 5), (300_000, 1_800_000)), ((6, 50), (1_800_001, 100_000_000)),
                ((51, 200), (100_000_001, 500_000_000)), ((201, 800), (500_000_001, 2_000_000_000))),
    "การค้าและบริการ": (((1, 5), (300_000, 1_800_000)), ((6, 30), (1_800_001, 50_000_000)),
                        ((31, 100), (50_000_001, 300_000_000)), ((101, 400), (300_000_001, 1_000_000_000))),
}


def reporting_workbook(seed: int = 2567, units: tuple[str, ...] = L.DEFAULT_UNITS,
                       rows_per_unit: int = 30, defects: bool = True) -> dict[str, Grid]:
    """Workbook B's officer tabs (tab title → grid, header in row 1), deterministic for a seed; `defects`: with
    the deliberately wrong cells of `bad_cells`."""
    rng = Random(seed)
    people = People(rng)
    units = tuple(units)
    book: dict[str, Grid] = {"หน่วยงาน": [["แท็บ", "ชื่อหน่วยงาน"]] + [[u, L.UNIT_NAMES.get(u, u)] for u in units]}
    variants = L.header_variants(units)
    for i, unit in enumerate(units):
        order = L.column_order(i)
        rows = _unit_rows(rng, people, unit, rows_per_unit)
        rename = variants.get(unit, {})
        grid = [[rename.get(h, h) for h in order]] + [[row.get(h) for h in order] for row in rows]
        book[unit] = grid
    for tab, row in L.blank_rows(units):
        insert_blank(book[tab], row)
    apply_copies(book, L.duplicates(units))
    if defects:
        apply_bad_cells(book, L.bad_cells(units))
    book["หลักฐานคลัสเตอร์"] = _evidence(rng)
    return book


def _provinces(unit: str) -> tuple[str, ...]:
    """Where a unit works: the whole country for the central division, one region for a regional centre."""
    number = unit.removeprefix("ศภ.")
    return _REGION_LIST[(int(number) - 1) % len(_REGION_LIST)] if number.isdigit() else PROVINCES


def _activities(rng: Random, unit: str, rows: int) -> list[dict]:
    order = rng.sample(range(len(L.ACTIVITIES)), len(L.ACTIVITIES))
    out = []
    for k in range(max(1, min(60, -(-rows // 8)))):
        name, kind = L.ACTIVITIES[order[k % len(order)]]
        batch = f" รุ่นที่ {k // len(order) + 1}" if rows > 8 * len(order) else ""
        low, high = _DAYS[kind]
        start = YEAR_START + timedelta(days=rng.randint(0, 300))
        end = min(YEAR_END, start + timedelta(days=rng.randint(low, high) - 1))
        out.append({"ชื่อกิจกรรม": name + batch + YEAR_TAG, "start": start, "end": end, "ประเภทกิจกรรม": kind,
                    "จังหวัด": rng.choice(_provinces(unit))})
    return out


def _unit_rows(rng: Random, people: People, unit: str, count: int) -> list[dict]:
    acts = _activities(rng, unit, count)
    rows: list[dict] = []
    seen: list[dict] = []  # identities of earlier rows, for people who come back to another activity
    listed: set[tuple[str, str | None]] = set()  # (activity, national ID / tax ID): never repeat by accident
    for i in range(count):
        act = acts[i * len(acts) // max(count, 1)]
        ident = seen[rng.randrange(len(seen))] if seen and rng.random() < 0.15 else None
        keys = [] if ident is None else [(act["ชื่อกิจกรรม"], ident[k]) for k in _KEYS if ident[k]]
        if ident is None or any(k in listed for k in keys):
            ident = _identity(rng, people)
            seen.append(ident)
        listed.update((act["ชื่อกิจกรรม"], ident[k]) for k in _KEYS if ident[k])
        status = rng.choices([s for s, _ in L.STATUSES], [w for _, w in L.STATUSES])[0]
        row = {"ชื่อกิจกรรม": act["ชื่อกิจกรรม"], "ประเภทกิจกรรม": act["ประเภทกิจกรรม"], "จังหวัด": act["จังหวัด"],
               "วันที่เริ่มกิจกรรม": officer_date(rng, act["start"], 0.3),
               "วันที่สิ้นสุดกิจกรรม": officer_date(rng, act["end"], 0.3), "สถานะเข้าร่วมโครงการ": status,
               **{k: v for k, v in ident.items() if not k.startswith("_")}}
        if status != "สละสิทธิ์":
            row.update(outcome_cells(rng, ident))
            row.update(_satisfaction(rng))
            row["นำผลไปใช้"] = "ใช่" if rng.random() < 0.8 else "ไม่ใช่"
        rows.append(row)
    return rows


def _identity(rng: Random, people: People) -> dict:
    """A participant and their enterprise: the cells that repeat when they join another activity."""
    p = people.person()
    member = rng.choices([m for m, _ in L.MEMBER_TYPES], [w for _, w in L.MEMBER_TYPES])[0]
    roll = rng.random()
    cluster = rng.choice(L.CLUSTERS) if roll < 0.85 else rng.choice(L.OTHER_CLUSTERS) if roll < 0.95 else None
    stem = rng.choice(L.FIRM_STEMS[cluster or rng.choice(L.CLUSTERS)])
    if member == "นิติบุคคล":
        company = rng.random() < 0.7
        firm = f"บริษัท {stem} จำกัด" if company else f"ห้างหุ้นส่วนจำกัด {stem}"
        tax = valid_tax_id(rng, "0105" if company else "0103")
    elif member == "บุคคลธรรมดา":
        firm, tax = f"ร้าน{stem}", p["nid"]
    else:
        firm, tax = f"วิสาหกิจชุมชน{stem}", valid_tax_id(rng, "0993") if rng.random() < 0.7 else None
    service = {"Health Retreatment": 1.0, "Sport Economy": 0.4, "BCG Fashion Lifestyle": 0.3}.get(cluster, 0.15)
    sector = "การค้าและบริการ" if rng.random() < service else "การผลิต"
    size = rng.choices(range(4), (25, 50, 20, 5) if member == "นิติบุคคล" else (70, 30, 0, 0))[0]
    staff_band = min(3, max(0, size + rng.choice((-1, 1)))) if rng.random() < 0.1 else size  # revenue decides
    staff = rng.randint(*_SIZES[sector][staff_band][0])
    low, high = _SIZES[sector][size][1]
    revenue = round(rng.uniform(low ** 0.5, high ** 0.5) ** 2, -3)
    revenue = int(min(max(revenue, low), high))
    return {"เลขบัตรประจำตัวประชาชน": p["nid"], "ชื่อ-นามสกุล": f"{p['title']}{p['first']} {p['last']}",
            "โทรศัพท์มือถือ": p["phone"], "อีเมล": p["email"], "ประเภทสมาชิก": member,
            "เลขประจำตัวผู้เสียภาษี": tax, "ชื่อองค์กร": firm, "คลัสเตอร์": cluster, "ภาคธุรกิจ": sector,
            "จำนวนการจ้างงาน (คน)": staff, "รายได้ต่อปี (บาท)": officer_number(rng, revenue),
            "_revenue": revenue, "_sector": sector}


def _satisfaction(rng: Random) -> dict:
    if rng.random() < 0.08:  # did not answer the satisfaction form
        return {}
    base = rng.choices((5, 4, 3), (50, 40, 10))[0]
    return {h: min(5, max(1, base + rng.choice((-1, 0, 0, 0, 1)))) for h in L.SATISFACTION}


def _evidence(rng: Random) -> Grid:
    """One row per cluster: evidence ticked up to the level reached, some of the next level started."""
    rows = []
    supers = set(rng.sample(L.CLUSTERS, 2))
    for cluster in (*L.CLUSTERS, L.OTHER_CLUSTERS[0]):
        kind = "Super Cluster" if cluster in supers else "ทั่วไป"
        year = rng.randint(1, 3)
        reached = min(5, max(0, year + rng.choice((-1, 0, 1, 1))))
        ticked = {h for lv in range(1, reached + 1) for h in L.CLUSTER_EVIDENCE[kind][lv]}
        if reached < 5:
            ticked |= set(rng.sample(L.CLUSTER_EVIDENCE[kind][reached + 1], 1)) if rng.random() < 0.5 else set()
        rows.append([cluster, kind, year, *(L.TICK if h in ticked else None for h in L.EVIDENCE_HEADERS)])
    return [list(L.EVIDENCE_TAB_HEADERS)] + rows
