"""Workbook B's officer tabs as SPEC.md's appendix writes them, the vocabulary of seeds 001/002, the defects."""
from __future__ import annotations

from app.demo_data.edits import BadCell, Copy
from app.demo_data.people import check_digit, wrong_check_digit

DEFAULT_UNITS = ("กข.", "ศภ.1", "ศภ.2", "ศภ.3")
UNIT_NAMES = {"กข.": "กองพัฒนาขีดความสามารถธุรกิจอุตสาหกรรม",
              **{f"ศภ.{n}": f"ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ {n}" for n in range(1, 12)}}
SATISFACTION = tuple(f"ความพึงพอใจ ข้อ {i}" for i in range(1, 10))
UNIT_HEADERS = (
    "ชื่อกิจกรรม", "วันที่เริ่มกิจกรรม", "วันที่สิ้นสุดกิจกรรม", "ประเภทกิจกรรม", "จังหวัด", "สถานะเข้าร่วมโครงการ",
    "เลขบัตรประจำตัวประชาชน", "ชื่อ-นามสกุล", "โทรศัพท์มือถือ", "อีเมล", "ประเภทสมาชิก", "เลขประจำตัวผู้เสียภาษี",
    "ชื่อองค์กร", "คลัสเตอร์", "ภาคธุรกิจ", "จำนวนการจ้างงาน (คน)", "รายได้ต่อปี (บาท)",
    "จำนวนของเสียก่อน", "จำนวนผลิตก่อน", "มูลค่าของเสียก่อน (บาท/เดือน)", "จำนวนของเสียหลัง", "จำนวนผลิตหลัง",
    "มูลค่าของเสียหลัง (บาท/เดือน)", "ต้นทุนการผลิตก่อน (บาท/เดือน)", "ต้นทุนการผลิตหลัง (บาท/เดือน)",
    "ยอดขายก่อน (บาท/เดือน)", "ยอดขายหลัง (บาท/เดือน)", "รายได้ก่อน (บาท/เดือน)", "รายได้หลัง (บาท/เดือน)",
    "ราคาขายก่อน (บาท/หน่วย)", "ราคาขายหลัง (บาท/หน่วย)", "จำนวนที่ขายหลัง (หน่วย/เดือน)",
    "ต้นทุนต่อหน่วยก่อน (บาท)", "ต้นทุนต่อหน่วยหลัง (บาท)", "จำนวนผลิตใน 12 เดือน (หน่วย)",
    "คาร์บอนฟุตพริ้นท์ก่อน", "คาร์บอนฟุตพริ้นท์หลัง", "การลงทุนเพิ่ม (บาท)", *SATISFACTION, "นำผลไปใช้",
    "ของเสียลดลง (ร้อยละ)", "ต้นทุนลดลง (ร้อยละ)", "ยอดขายเพิ่มขึ้น (ร้อยละ)", "มูลค่าทางเศรษฐกิจ (บาท)",
)

# Seed 001's seven target clusters, then a few others officers also report.
CLUSTERS = ("Sport Economy", "เทคโนโลยีเพื่อการเกษตร", "BCG Fashion Lifestyle", "ผ้าไทย", "ไม้ดอกไม้ประดับ",
            "Health Retreatment", "ปลากัด")
OTHER_CLUSTERS = ("อาหารแปรรูป", "สมุนไพรและเครื่องสำอาง", "เซรามิก")
FIRM_STEMS = {
    "Sport Economy": ("ไทยสปอร์ตแวร์", "มวยไทยเกียร์", "รันนิ่งสยาม", "ฟิตเนสพลัส"),
    "เทคโนโลยีเพื่อการเกษตร": ("สมาร์ทฟาร์มไทย", "อะกริเทค", "โดรนเกษตรก้าวหน้า", "ปุ๋ยอินทรีย์บ้านนา"),
    "BCG Fashion Lifestyle": ("กรีนแฟชั่น", "รีไซเคิลดีไซน์", "ฝ้ายออร์แกนิก", "ไลฟ์สไตล์ล้านนา"),
    "ผ้าไทย": ("ผ้าไหมบ้านครัว", "ทอผ้านาต้นจั่น", "ผ้าขาวม้าร้อยสี", "ผ้าย้อมครามสกล", "ผ้าไหมแพรวา"),
    "ไม้ดอกไม้ประดับ": ("สวนกล้วยไม้สยาม", "ไม้ประดับบางใหญ่", "บอนสีไทย", "ดอกไม้ดอยสวย"),
    "Health Retreatment": ("สปาสมุนไพร", "เวลเนสรีทรีต", "นวดไทยเพื่อสุขภาพ", "บ่อน้ำร้อนรักษ์ใจ"),
    "ปลากัด": ("ฟาร์มปลากัดไทย", "ปลากัดสยาม", "เบตต้าไทยแลนด์", "ปลากัดนครปฐม"),
    "อาหารแปรรูป": ("ขนมไทยแม่ศรี", "น้ำพริกป้าแดง", "ผลไม้อบแห้งจันท์"),
    "สมุนไพรและเครื่องสำอาง": ("สมุนไพรไทยพัฒน์", "ครีมว่านหางจระเข้"),
    "เซรามิก": ("เซรามิกลำปาง", "ดินเผาด่านเกวียน"),
}
ACTIVITIES = (  # (name, type); the program year is appended as in seed 002: "… (69)"
    ("5.1-2 การพัฒนาองค์ความรู้และศักยภาพด้านการบริหารจัดการ", "ฝึกอบรม"),
    ("การเพิ่มประสิทธิภาพการผลิตด้วยแนวคิด Lean", "ให้คำปรึกษาเชิงลึก"),
    ("การพัฒนาผลิตภัณฑ์และบรรจุภัณฑ์เพื่อเพิ่มมูลค่า", "ให้คำปรึกษาเชิงลึก"),
    ("การประยุกต์ใช้เทคโนโลยีดิจิทัลในการบริหารจัดการ", "ฝึกอบรม"),
    ("การพัฒนาการรวมกลุ่มและเชื่อมโยงอุตสาหกรรม (คลัสเตอร์)", "สัมมนา"),
    ("การลดคาร์บอนฟุตพริ้นท์ในกระบวนการผลิต", "ให้คำปรึกษาเชิงลึก"),
    ("การจับคู่ธุรกิจและขยายช่องทางการตลาด", "จับคู่ธุรกิจ"),
    ("การศึกษาความเป็นไปได้ทางธุรกิจ (Business Feasibility)", "ให้คำปรึกษาเชิงลึก"),
    ("การนำงานวิจัยและนวัตกรรมไปใช้ในธุรกิจ (SME Scale Up)", "ให้คำปรึกษาเชิงลึก"),
    ("ศึกษาดูงานเครือข่าย SME ในคลัสเตอร์เป้าหมาย", "ศึกษาดูงาน"),
)
STATUSES = (("เข้าร่วม", 80), ("ผ่านการพัฒนา", 17), ("สละสิทธิ์", 3))
MEMBER_TYPES = (("นิติบุคคล", 55), ("บุคคลธรรมดา", 35), ("วิสาหกิจชุมชน", 10))

# `หลักฐานคลัสเตอร์`: one tick column per evidence item of seed 002's milestone tables; L1 is shared,
# L2–L5 differ between an ordinary cluster (ทั่วไป) and a Super Cluster.
CLUSTER_EVIDENCE: dict[str, dict[int, tuple[str, ...]]] = {
    "ทั่วไป": {
        1: ("L1 โครงสร้างคณะกรรมการ", "L1 แผนกลยุทธ์", "L1 Cluster Map", "L1 แผนปฏิบัติการ"),
        2: ("L2 CDA และผู้นำกลุ่ม", "L2 กิจกรรมตามแผนปฏิบัติการ"),
        3: ("L3 ผลผลิตเพิ่มขึ้น (ยอดขาย/ต้นทุน/การสูญเสีย)",),
        4: ("L4 เชื่อมโยงผู้มีส่วนได้ส่วนเสีย",),
        5: ("L5 กลุ่มเป็นที่รู้จัก", "L5 แผนการดำเนินงานต่อเนื่อง"),
    },
    "Super Cluster": {
        1: ("L1 โครงสร้างคณะกรรมการ", "L1 แผนกลยุทธ์", "L1 Cluster Map", "L1 แผนปฏิบัติการ"),
        2: ("L2 คณะทำงานนวัตกรรม", "L2 แผนการสร้างนวัตกรรม"),
        3: ("L3 ดำเนินการตามแผนปฏิบัติการ", "L3 เชื่อมโยงหน่วยงานสนับสนุน"),
        4: ("L4 นวัตกรรมต้นแบบ 2 ต้นแบบ", "L4 ทดสอบตลาด"),
        5: ("L5 ปรับปรุงต้นแบบสู่เชิงพาณิชย์", "L5 แผนพัฒนานวัตกรรมต่อเนื่อง"),
    },
}
EVIDENCE_HEADERS = tuple(dict.fromkeys(h for kind in CLUSTER_EVIDENCE.values() for lv in kind.values() for h in lv))
EVIDENCE_TAB_HEADERS = ("คลัสเตอร์", "ประเภท", "ปีที่ดำเนินการ", *EVIDENCE_HEADERS)
TICK = "✓"


def header_variants(units: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Untidy headers officers leave (matching ignores the spaces): unit tab → {spec header: header as typed}."""
    out: dict[str, dict[str, str]] = {}
    if len(units) > 1:
        out[units[1]] = {"อีเมล": "อีเมล "}
    if len(units) > 2:
        out[units[2]] = {"รายได้ต่อปี (บาท)": "รายได้ต่อปี  (บาท)"}
    return out


def column_order(unit_index: int) -> tuple[str, ...]:
    """The fourth unit tab has its columns in another order (จังหวัด and the contact columns moved)."""
    if unit_index != 3:
        return UNIT_HEADERS
    moved = ("จังหวัด", "อีเมล", "โทรศัพท์มือถือ")
    rest = [h for h in UNIT_HEADERS if h not in moved]
    at = rest.index("ชื่อองค์กร") + 1
    return tuple(rest[:at] + ["จังหวัด"] + rest[at:at + 3] + ["อีเมล", "โทรศัพท์มือถือ"] + rest[at + 3:])


def blank_rows(units: tuple[str, ...]) -> list[tuple[str, int]]:
    """Empty rows in the middle of unit tabs: (tab, sheet row)."""
    return [(units[i], row) for i, row in ((0, 12), (2, 20)) if i < len(units)]


_PERSON = ("เลขบัตรประจำตัวประชาชน", "ชื่อ-นามสกุล", "โทรศัพท์มือถือ", "อีเมล")
_FIRM = ("ประเภทสมาชิก", "เลขประจำตัวผู้เสียภาษี", "ชื่อองค์กร", "คลัสเตอร์", "ภาคธุรกิจ", "จำนวนการจ้างงาน (คน)",
         "รายได้ต่อปี (บาท)")
_IDENTITY = _PERSON + _FIRM
_ACTIVITY = ("ชื่อกิจกรรม", "วันที่เริ่มกิจกรรม", "วันที่สิ้นสุดกิจกรรม", "ประเภทกิจกรรม", "จังหวัด")


def duplicates(units: tuple[str, ...]) -> list[Copy]:
    """Deliberate repeats for ตรวจสอบการนับซ้ำ: same person or same firm, same activity."""
    if not units:
        return []
    out = [Copy(units[0], 9, units[0], 3, _ACTIVITY + _IDENTITY)]  # same person twice in one unit
    if len(units) > 1:  # the same person reported by two units
        out.append(Copy(units[1], 6, units[0], 4, _ACTIVITY + _IDENTITY))
    if len(units) > 2:  # another employee of the same firm, reported by a third unit
        out.append(Copy(units[2], 5, units[0], 5, _ACTIVITY + _FIRM))
    return out


_TAX_BODY = "010555812345"
BAD_TAX_ID = wrong_check_digit(_TAX_BODY + check_digit(_TAX_BODY))
_ID_BODY = "170990012345"
BAD_NATIONAL_ID = wrong_check_digit(_ID_BODY + check_digit(_ID_BODY))


def bad_cells(units: tuple[str, ...]) -> list[BadCell]:
    """The deliberately wrong cells of the unit tabs (first two unit tabs)."""
    if not units:
        return []
    a = units[0]
    out = [
        BadCell(a, 7, "เลขบัตรประจำตัวประชาชน", "เลขบัตรประจำตัวประชาชนไม่ถูกต้อง (national ID check digit wrong)",
                {"เลขบัตรประจำตัวประชาชน": BAD_NATIONAL_ID}),
        BadCell(a, 11, "วันที่เริ่มกิจกรรม", "วันที่ไม่มีอยู่จริง (no such date)",
                {"วันที่เริ่มกิจกรรม": "31/02/2569"}),
        BadCell(a, 14, "จังหวัด", "ไม่พบชื่อจังหวัด (unknown province)", {"จังหวัด": "เชียงให่ม"}),
        BadCell(a, 16, "ความพึงพอใจ ข้อ 5", "คะแนนนอกช่วง 1–5 (score outside 1–5)", {"ความพึงพอใจ ข้อ 5": 0}),
        BadCell(a, 18, "ต้นทุนการผลิตก่อน (บาท/เดือน)", "ค่าก่อนเป็นศูนย์ คำนวณร้อยละไม่ได้ (zero before value)",
                {"ต้นทุนการผลิตก่อน (บาท/เดือน)": 0, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 45000,
                 "ต้นทุนลดลง (ร้อยละ)": None, "มูลค่าทางเศรษฐกิจ (บาท)": None}),
        BadCell(a, 20, "เลขประจำตัวผู้เสียภาษี", "เลขประจำตัวผู้เสียภาษีไม่ถูกต้อง (tax ID check digit wrong)",
                {"เลขประจำตัวผู้เสียภาษี": BAD_TAX_ID}),
        BadCell(a, 22, "ยอดขายหลัง (บาท/เดือน)", "จำนวนเงินติดลบ (negative money)",
                {"ยอดขายหลัง (บาท/เดือน)": "-15,000", "ยอดขายเพิ่มขึ้น (ร้อยละ)": None,
                 "มูลค่าทางเศรษฐกิจ (บาท)": None}),
    ]
    if len(units) > 1:
        b = units[1]
        out += [
            BadCell(b, 8, "ต้นทุนลดลง (ร้อยละ)", "ตัวเลขที่กรอกไม่ตรงกับที่คำนวณ (typed % disagrees: computed 10)",
                    {"ต้นทุนลดลง (ร้อยละ)": 35, "ต้นทุนการผลิตก่อน (บาท/เดือน)": 100000,
                     "ต้นทุนการผลิตหลัง (บาท/เดือน)": 90000, "มูลค่าทางเศรษฐกิจ (บาท)": None}),
            BadCell(b, 10, "โทรศัพท์มือถือ", "เบอร์โทรศัพท์ไม่ครบ (mobile number too short)",
                    {"โทรศัพท์มือถือ": "08-1234"}),
            BadCell(b, 12, "ความพึงพอใจ ข้อ 7", "อ่านเป็นตัวเลขไม่ได้ (not a number)", {"ความพึงพอใจ ข้อ 7": "ดีมาก"}),
        ]
    return out
