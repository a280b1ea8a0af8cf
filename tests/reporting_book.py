"""A small workbook B laid out as SPEC.md's appendix, with figures worked out by hand in the comments."""
from __future__ import annotations


def thai_id(first12: str) -> str:
    """12 digits + the mod-11 check digit of Thai national IDs and tax IDs."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


# Headers copied from SPEC.md's appendix (workbook B), not from the code under test.
IDENTITY = ["ชื่อกิจกรรม", "วันที่เริ่มกิจกรรม", "วันที่สิ้นสุดกิจกรรม", "ประเภทกิจกรรม", "จังหวัด", "สถานะเข้าร่วมโครงการ",
            "เลขบัตรประจำตัวประชาชน", "ชื่อ-นามสกุล", "โทรศัพท์มือถือ", "อีเมล", "ประเภทสมาชิก", "เลขประจำตัวผู้เสียภาษี",
            "ชื่อองค์กร", "คลัสเตอร์", "ภาคธุรกิจ", "จำนวนการจ้างงาน (คน)", "รายได้ต่อปี (บาท)"]
OUTCOMES = ["จำนวนของเสียก่อน", "จำนวนผลิตก่อน", "มูลค่าของเสียก่อน (บาท/เดือน)", "จำนวนของเสียหลัง", "จำนวนผลิตหลัง",
            "มูลค่าของเสียหลัง (บาท/เดือน)", "ต้นทุนการผลิตก่อน (บาท/เดือน)", "ต้นทุนการผลิตหลัง (บาท/เดือน)",
            "ยอดขายก่อน (บาท/เดือน)", "ยอดขายหลัง (บาท/เดือน)", "รายได้ก่อน (บาท/เดือน)", "รายได้หลัง (บาท/เดือน)",
            "ราคาขายก่อน (บาท/หน่วย)", "ราคาขายหลัง (บาท/หน่วย)", "จำนวนที่ขายหลัง (หน่วย/เดือน)", "ต้นทุนต่อหน่วยก่อน (บาท)",
            "ต้นทุนต่อหน่วยหลัง (บาท)", "จำนวนผลิตใน 12 เดือน (หน่วย)", "คาร์บอนฟุตพริ้นท์ก่อน", "คาร์บอนฟุตพริ้นท์หลัง"]
ITEMS = [f"ความพึงพอใจ ข้อ {i}" for i in range(1, 10)]
TYPED = ["นำผลไปใช้", "ของเสียลดลง (ร้อยละ)", "ต้นทุนลดลง (ร้อยละ)", "ยอดขายเพิ่มขึ้น (ร้อยละ)", "มูลค่าทางเศรษฐกิจ (บาท)"]
UNIT_HEADERS = IDENTITY + OUTCOMES + ITEMS + TYPED

P = {n: thai_id(f"110070000{n:03d}") for n in range(1, 10)}  # people
T = {n: thai_id(f"010555000{n:03d}") for n in range(1, 10)}  # enterprises
ACT1, ACT2 = "อบรมการบริหารจัดการ (69)", "ให้คำปรึกษาเชิงลึก Lean (69)"


def person(n: int, act: str = ACT1, tax: int | None = None, **cells) -> dict:
    """One participant row: identity cells filled in, outcome cells as given (header → value)."""
    base = {"ชื่อกิจกรรม": act, "วันที่เริ่มกิจกรรม": "01/03/2569", "วันที่สิ้นสุดกิจกรรม": "05/03/2569",
            "ประเภทกิจกรรม": "ฝึกอบรม", "จังหวัด": "เชียงใหม่", "สถานะเข้าร่วมโครงการ": "เข้าร่วม",
            "เลขบัตรประจำตัวประชาชน": P[n], "ชื่อ-นามสกุล": f"ผู้เข้าร่วม {n}", "ประเภทสมาชิก": "นิติบุคคล",
            "เลขประจำตัวผู้เสียภาษี": T[tax or n], "ชื่อองค์กร": f"บริษัท ทดสอบ {tax or n} จำกัด",
            "ภาคธุรกิจ": "การผลิต", "จำนวนการจ้างงาน (คน)": 10, "รายได้ต่อปี (บาท)": 5_000_000}
    return {**base, **cells}


def scores(*values: int) -> dict:
    """The nine satisfaction items."""
    return dict(zip(ITEMS, values))


def grid(rows: list[dict], headers: list[str] = UNIT_HEADERS) -> list[list]:
    """A unit tab: header row, then one row per dict."""
    return [list(headers)] + [[row.get(h) for h in headers] for row in rows]


WASTE_ROW = {"จำนวนของเสียก่อน": 50, "จำนวนผลิตก่อน": 1000, "มูลค่าของเสียก่อน (บาท/เดือน)": 5000,
             "จำนวนของเสียหลัง": 20, "จำนวนผลิตหลัง": 1000, "มูลค่าของเสียหลัง (บาท/เดือน)": 2000}
# กข. row 2: waste rate 5 % → 2 %: (5 − 2) / 5 × 100 = 60 %; (5,000 − 2,000) × 12 = 36,000 baht/year.
#   cost 100,000 → 90,000: 10 %, 120,000; sales 200,000 → 250,000: 25 %, 600,000.
#   economic value 36,000 + 120,000 + 600,000 = 756,000; efficiency mean(60, 10, 25) = 31.67;
#   satisfaction (5 × 5 + 4 × 4) / 45 × 100 = 41 / 45 × 100 = 91.11.
ROW_A = person(1, **WASTE_ROW, **{"ต้นทุนการผลิตก่อน (บาท/เดือน)": 100_000, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 90_000,
                                  "ยอดขายก่อน (บาท/เดือน)": "200,000", "ยอดขายหลัง (บาท/เดือน)": 250_000,
                                  "คลัสเตอร์": "ผ้าไทย", "นำผลไปใช้": "ใช่"}, **scores(5, 5, 5, 5, 5, 4, 4, 4, 4))
# กข. row 3 (5.1 price changed): 100 → 105: 5 %; (105 − 100) × 500 × 12 = 30,000. Income 30,000 → 33,000: 10 %,
#   36,000 — added to the economic value because no sales were reported: 30,000 + 36,000 = 66,000.
#   efficiency mean(5, 10) = 7.5 (< 10); satisfaction 9 × 3 / 45 × 100 = 60.
ROW_B = person(2, **{"ราคาขายก่อน (บาท/หน่วย)": 100, "ราคาขายหลัง (บาท/หน่วย)": 105, "จำนวนที่ขายหลัง (หน่วย/เดือน)": 500,
                     "รายได้ก่อน (บาท/เดือน)": 30_000, "รายได้หลัง (บาท/เดือน)": 33_000, "คลัสเตอร์": "Sport Economy",
                     "จังหวัด": "กรุงเทพฯ", "นำผลไปใช้": "ไม่ใช่"}, **scores(*[3] * 9))
# กข. row 4 (5.2 price unchanged → unit cost): 20 → 18: (20 − 18) / 20 × 100 = 10 %; (20 − 18) × 10,000 = 20,000.
#   carbon 200 → 150: 25 %. Economic value 20,000; efficiency 10 (exactly the line: counts).
ROW_C = person(3, **{"ราคาขายก่อน (บาท/หน่วย)": 50, "ราคาขายหลัง (บาท/หน่วย)": 50, "ต้นทุนต่อหน่วยก่อน (บาท)": 20,
                     "ต้นทุนต่อหน่วยหลัง (บาท)": 18, "จำนวนผลิตใน 12 เดือน (หน่วย)": "๑๐,๐๐๐",
                     "คาร์บอนฟุตพริ้นท์ก่อน": 200, "คาร์บอนฟุตพริ้นท์หลัง": 150, "คลัสเตอร์": "คลัสเตอร์ปลากัด",
                     "จังหวัด": "ขอนแก่น", "นำผลไปใช้": "ใช่"})
# กข. row 5: cost before 0 → cost % and baht empty, a problem on ต้นทุนการผลิตก่อน; sales after not yet known:
#   empty, no problem. Nothing counts towards the economic value or the efficiency share.
ROW_D = person(6, **{"ต้นทุนการผลิตก่อน (บาท/เดือน)": 0, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 45_000,
                     "ยอดขายก่อน (บาท/เดือน)": 10_000})
# กข. row 6: sales after without before → a problem; cost 100,000 → 90,000 is 10 % but the officer typed 35.
#   economic value 120,000; efficiency 10.
ROW_E = person(7, **{"ยอดขายหลัง (บาท/เดือน)": 20_000, "ต้นทุนการผลิตก่อน (บาท/เดือน)": 100_000,
                     "ต้นทุนการผลิตหลัง (บาท/เดือน)": 90_000, "ต้นทุนลดลง (ร้อยละ)": 35, "คลัสเตอร์": "อาหารแปรรูป"})
# กข. row 7: row 2's person again in the same activity: marked, counted once (its figures are not added).
ROW_A_AGAIN = dict(ROW_A)
# ศภ.1 row 2: row 2's person again, reported by another unit. Row 3: another person of row 3's enterprise in
#   the same activity (an enterprise repeat: counted as a person, not as an enterprise). Row 4: sales 1,000 →
#   20,000 = 1,900 % (an outlier, kept): (20,000 − 1,000) × 12 = 228,000; activity ends before it starts.
OTHER_UNIT = [dict(ROW_A),
              person(4, tax=2, **{"คลัสเตอร์": "Sport Economy", "นำผลไปใช้": "ใช่"}, **scores(*[5] * 9)),
              person(5, act=ACT2, **{"ยอดขายก่อน (บาท/เดือน)": 1000, "ยอดขายหลัง (บาท/เดือน)": 20_000,
                                     "วันที่สิ้นสุดกิจกรรม": "01/02/2569", "คลัสเตอร์": "ผ้าไทย", "นำผลไปใช้": "ใช่"})]

EVIDENCE_HEADERS = ["คลัสเตอร์", "ประเภท", "ปีที่ดำเนินการ", "L1 โครงสร้างคณะกรรมการ", "L1 แผนกลยุทธ์", "L1 Cluster Map",
                    "L1 แผนปฏิบัติการ", "L2 CDA และผู้นำกลุ่ม", "L2 กิจกรรมตามแผนปฏิบัติการ",
                    "L3 ผลผลิตเพิ่มขึ้น (ยอดขาย/ต้นทุน/การสูญเสีย)", "L4 เชื่อมโยงผู้มีส่วนได้ส่วนเสีย", "L2 คณะทำงานนวัตกรรม",
                    "L2 แผนการสร้างนวัตกรรม", "L3 ดำเนินการตามแผนปฏิบัติการ", "L3 เชื่อมโยงหน่วยงานสนับสนุน"]
EVIDENCE = [EVIDENCE_HEADERS,
            # ordinary, year 2, L1–L3 ticked → level 3, no year target (Super Clusters only); next: L4.
            ["ผ้าไทย", "ทั่วไป", 2, "✓", "✓", "✓", "✓", "✓", True, "ใช่", None, None, None, None, None],
            # Super Cluster, year 1, L1–L3 evidence ticked, but no enterprise of ปลากัด improved waste, cost or
            # sales by 10 % (row 4 only has product value and carbon) → level 2; target 2: met.
            ["ปลากัด", "Super Cluster", 1, "✓", "✓", "✓", "✓", None, None, None, None, "✓", "✓", "✓", "✓"],
            # Super Cluster, year 3, only L1 → level 1, target 5: not met.
            ["Sport Economy", "Super Cluster", 3, "✓", "✓", "✓", "✓", None, None, None, None, None, "✓", None, None]]

TABS = {"หน่วยงาน": [["แท็บ", "ชื่อหน่วยงาน"], ["กข.", "กองพัฒนาขีดความสามารถธุรกิจอุตสาหกรรม"],
                     ["ศภ.1", "ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 1"], ["ศภ.9", "ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 9"]],
        "กข.": grid([ROW_A, ROW_B, ROW_C, ROW_D, ROW_E, ROW_A_AGAIN]),
        "ศภ.1": grid(OTHER_UNIT),
        "หลักฐานคลัสเตอร์": EVIDENCE}
