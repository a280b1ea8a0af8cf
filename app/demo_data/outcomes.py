"""Before/after outcome figures of one participant row (plausible baht per month), as officers type them.

Officers fill only the groups that apply to an enterprise. Product value uses case 5.1 (price changed)
or 5.2 (price unchanged: unit cost before/after and units produced in 12 months). Some enterprises also
report an extra investment (seed 000: "การลงทุนเพิ่ม"). On some rows the officer also typed the results (%,
economic value); those follow SPEC.md's formulas, so they agree with the service's figures — except the rows
listed in BAD_ROWS. The economic value counts 5.2 only where no monthly cost reduction is given (one saving).
"""
from __future__ import annotations

from random import Random

from app.demo_data.people import officer_number

WASTE = ("จำนวนของเสียก่อน", "จำนวนผลิตก่อน", "มูลค่าของเสียก่อน (บาท/เดือน)", "จำนวนของเสียหลัง", "จำนวนผลิตหลัง",
         "มูลค่าของเสียหลัง (บาท/เดือน)")


def _hundreds(value: float) -> int:
    return int(round(value, -2))


def outcome_cells(rng: Random, ident: dict) -> dict:
    """Header → value for the outcome columns of one row (often empty: not every participant reports)."""
    if rng.random() > 0.8:
        return {}
    monthly = ident["_revenue"] / 12 * rng.uniform(0.7, 1.0)
    manufacturing = ident["_sector"] == "การผลิต"
    groups = [g for g, p in (("waste", 0.45 if manufacturing else 0), ("cost", 0.6), ("sales", 0.6),
                             ("income", 0.2), ("value", 0.35), ("carbon", 0.25)) if rng.random() < p]
    raw: dict[str, float] = {}
    baht: dict[str, float] = {}
    typed: dict[str, float] = {}
    if "waste" in groups:
        made_b = rng.randint(500, 50_000)
        made_a = round(made_b * rng.uniform(0.95, 1.2))
        rate_b = rng.uniform(0.02, 0.12)
        bad_b, bad_a = round(made_b * rate_b), round(made_a * rate_b * (1 - rng.uniform(0.05, 0.6)))
        piece = rng.uniform(5, 200)
        value_b, value_a = round(bad_b * piece), round(bad_a * piece)
        raw.update(zip(WASTE, (bad_b, made_b, value_b, bad_a, made_a, value_a)))
        baht["waste"] = (value_b - value_a) * 12
        if bad_b:
            typed["ของเสียลดลง (ร้อยละ)"] = (bad_b / made_b - bad_a / made_a) / (bad_b / made_b) * 100
    if "cost" in groups:
        cost_b = max(1000, _hundreds(monthly * rng.uniform(0.5, 0.85)))
        cost_a = _hundreds(cost_b * (1 - rng.uniform(-0.03, 0.25)))
        raw.update({"ต้นทุนการผลิตก่อน (บาท/เดือน)": cost_b, "ต้นทุนการผลิตหลัง (บาท/เดือน)": cost_a})
        baht["cost"] = (cost_b - cost_a) * 12
        typed["ต้นทุนลดลง (ร้อยละ)"] = (cost_b - cost_a) / cost_b * 100
    if "sales" in groups:
        sales_b = max(1000, _hundreds(monthly))
        sales_a = _hundreds(sales_b * (1 + rng.uniform(-0.05, 0.4)))
        raw.update({"ยอดขายก่อน (บาท/เดือน)": sales_b, "ยอดขายหลัง (บาท/เดือน)": sales_a})
        baht["sales"] = (sales_a - sales_b) * 12
        typed["ยอดขายเพิ่มขึ้น (ร้อยละ)"] = (sales_a - sales_b) / sales_b * 100
    if "income" in groups:
        income_b = _hundreds(rng.uniform(9_000, 60_000))
        raw.update({"รายได้ก่อน (บาท/เดือน)": income_b,
                    "รายได้หลัง (บาท/เดือน)": _hundreds(income_b * (1 + rng.uniform(0, 0.3)))})
    if "value" in groups:
        price = rng.randint(20, 2500)
        raw["ราคาขายก่อน (บาท/หน่วย)"] = price
        if rng.random() < 0.65:  # 5.1 price changed
            after, sold = round(price * (1 + rng.uniform(0.03, 0.3))), rng.randint(50, 5000)
            raw.update({"ราคาขายหลัง (บาท/หน่วย)": after, "จำนวนที่ขายหลัง (หน่วย/เดือน)": sold})
            baht["value"] = (after - price) * sold * 12
        else:  # 5.2 price unchanged: unit cost went down
            unit_b = round(price * rng.uniform(0.4, 0.8), 2)
            unit_a = round(unit_b * (1 - rng.uniform(0.03, 0.2)), 2)
            made = rng.randint(1000, 120_000)
            raw.update({"ราคาขายหลัง (บาท/หน่วย)": price, "ต้นทุนต่อหน่วยก่อน (บาท)": unit_b,
                        "ต้นทุนต่อหน่วยหลัง (บาท)": unit_a, "จำนวนผลิตใน 12 เดือน (หน่วย)": made})
            if "cost" not in groups:  # 5.2 is the cost reduction per unit: counted once
                baht["value"] = (unit_b - unit_a) * made
    if "carbon" in groups:
        carbon = round(rng.uniform(5, 800), 2)
        raw.update({"คาร์บอนฟุตพริ้นท์ก่อน": carbon,
                    "คาร์บอนฟุตพริ้นท์หลัง": round(carbon * (1 - rng.uniform(0, 0.25)), 2)})
    investing = Random(int(ident["_revenue"]))  # its own draw: the rest of the demo stays as it was
    if investing.random() < 0.1:
        raw["การลงทุนเพิ่ม (บาท)"] = _hundreds(ident["_revenue"] * investing.uniform(0.02, 0.2))
        baht["investment"] = raw["การลงทุนเพิ่ม (บาท)"]
    cells = {h: officer_number(rng, v) for h, v in raw.items()}
    if rng.random() < 0.15 and typed:  # the officer also typed the results
        cells.update({h: round(v, 2) for h, v in typed.items()})
        if baht and ("income" not in groups or "sales" in groups):
            cells["มูลค่าทางเศรษฐกิจ (บาท)"] = round(sum(baht.values()), 2)
    return cells
