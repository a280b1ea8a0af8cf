"""The seed's outcome formulas (sheets_schema/indicators.yaml) against hand-worked examples, and the boundaries."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from app.reporting.expressions import ExpressionError, check, evaluate
from app.reporting.indicators import ZERO_INPUT, compute, disagreements
from app.sheets.tables import read_table
from app.reporting.rules_files import load_reporting_rules
from app.sheets.layout_files import load_workbook_spec
from tests import reporting_book as book
from tests.seed_quotes import seed_says

SPEC = load_workbook_spec("reporting")
RULES = load_reporting_rules()


def typed(*rows: dict) -> pd.DataFrame:
    """Rows typed exactly as a unit tab `กข.` would be."""
    return read_table(book.grid(list(rows)), SPEC.tab("unit").titled("กข."), SPEC.title, "กข.").frame


def indicators(*rows: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = typed(*rows)
    values, findings, _typed = compute(frame, RULES.indicators)
    return pd.concat([frame, values], axis=1), findings


def one(row: dict) -> dict:
    values, _ = indicators(row)
    return {k: (None if pd.isna(v) else round(float(v), 2)) for k, v in values.iloc[0].items()
            if k in {i.key for i in RULES.indicators}}


def test_1_waste():
    got = one(book.person(1, **book.WASTE_ROW))
    # rate before 50 / 1000 × 100 = 5; after 20 / 1000 × 100 = 2; (5 − 2) / 5 × 100 = 60
    assert got["waste_reduced_percent"] == 60
    assert got["waste_reduced_baht_year"] == (5000 - 2000) * 12 == 36_000


def test_1_waste_rate_uses_each_period_s_own_production():
    got = one(book.person(1, **{**book.WASTE_ROW, "จำนวนผลิตหลัง": 2000, "จำนวนของเสียหลัง": 50}))
    # before 50 / 1000 = 5 %; after 50 / 2000 = 2.5 %; (5 − 2.5) / 5 × 100 = 50
    assert got["waste_reduced_percent"] == 50


def test_2_cost_and_3_sales_and_4_income():
    got = one(book.person(1, **{"ต้นทุนการผลิตก่อน (บาท/เดือน)": 80_000, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 68_000,
                                "ยอดขายก่อน (บาท/เดือน)": "120,000", "ยอดขายหลัง (บาท/เดือน)": "๑๕๐,๐๐๐",
                                "รายได้ก่อน (บาท/เดือน)": 40_000, "รายได้หลัง (บาท/เดือน)": 41_000}))
    assert got["cost_reduced_percent"] == (80_000 - 68_000) / 80_000 * 100 == 15
    assert got["cost_reduced_baht_year"] == (80_000 - 68_000) * 12 == 144_000
    assert got["sales_increased_percent"] == (150_000 - 120_000) / 120_000 * 100 == 25
    assert got["sales_increased_baht_year"] == (150_000 - 120_000) * 12 == 360_000
    assert got["income_increased_percent"] == 2.5 and got["income_increased_baht_year"] == 12_000
    # economic value: cost + sales; income is reported but not added where sales is present
    assert got["economic_value"] == 144_000 + 360_000
    assert got["efficiency_gain_percent"] == round((15 + 25 + 2.5) / 3, 2) == 14.17


def test_4_income_counts_in_the_economic_value_when_no_sales_are_reported():
    got = one(book.person(1, **{"รายได้ก่อน (บาท/เดือน)": 40_000, "รายได้หลัง (บาท/เดือน)": 46_000}))
    assert got["income_increased_percent"] == 15 and got["economic_value"] == (46_000 - 40_000) * 12 == 72_000


def test_5_1_price_changed():
    got = one(book.person(1, **{"ราคาขายก่อน (บาท/หน่วย)": 250, "ราคาขายหลัง (บาท/หน่วย)": 275,
                                "จำนวนที่ขายหลัง (หน่วย/เดือน)": 400}))
    assert got["product_value_increased_percent"] == (275 - 250) / 250 * 100 == 10
    assert got["product_value_increased_baht_year"] == (275 - 250) * 400 * 12 == 120_000


def test_5_2_price_unchanged_uses_unit_cost():
    got = one(book.person(1, **{"ราคาขายก่อน (บาท/หน่วย)": 250, "ราคาขายหลัง (บาท/หน่วย)": 250,
                                "ต้นทุนต่อหน่วยก่อน (บาท)": 160, "ต้นทุนต่อหน่วยหลัง (บาท)": 150,
                                "จำนวนผลิตใน 12 เดือน (หน่วย)": 24_000, "จำนวนที่ขายหลัง (หน่วย/เดือน)": 400}))
    assert got["product_value_increased_percent"] == (160 - 150) / 160 * 100 == 6.25
    assert got["product_value_increased_baht_year"] == (160 - 150) * 24_000 == 240_000


def test_6_individual_satisfaction_nine_items_over_45():
    got = one(book.person(1, **book.scores(5, 5, 4, 4, 4, 3, 3, 5, 5)))
    assert got["satisfaction_percent"] == round(38 / 45 * 100, 2) == 84.44
    assert one(book.person(1, **book.scores(5, 5, 4, 4, 4, 3, 3, 5)))["satisfaction_percent"] is None  # 8 answered


def test_7_carbon_footprint():
    got = one(book.person(1, **{"คาร์บอนฟุตพริ้นท์ก่อน": 12.5, "คาร์บอนฟุตพริ้นท์หลัง": 10}))
    assert got["carbon_reduced_percent"] == (12.5 - 10) / 12.5 * 100 == 20


def test_zero_before_leaves_the_indicator_empty_and_lists_the_cell():
    values, findings = indicators(book.person(1, **{"ต้นทุนการผลิตก่อน (บาท/เดือน)": 0,
                                                    "ต้นทุนการผลิตหลัง (บาท/เดือน)": 45_000,
                                                    "จำนวนของเสียก่อน": 0, "จำนวนผลิตก่อน": 500,
                                                    "จำนวนของเสียหลัง": 3, "จำนวนผลิตหลัง": 0}))
    row = values.iloc[0]
    for key in ("cost_reduced_percent", "cost_reduced_baht_year", "waste_reduced_percent", "economic_value",
                "efficiency_gain_percent"):
        assert pd.isna(row[key]), key
    flagged = {(f.column, f.problem) for f in findings.itertuples()}
    assert flagged == {("cost_before", ZERO_INPUT), ("waste_units_before", ZERO_INPUT),
                       ("produced_units_after", ZERO_INPUT)}


def test_missing_after_leaves_the_indicator_empty_without_a_problem():
    values, findings = indicators(book.person(1, **{"ยอดขายก่อน (บาท/เดือน)": 10_000, "ราคาขายก่อน (บาท/หน่วย)": 90}))
    assert values[["sales_increased_percent", "product_value_increased_percent", "economic_value"]].isna().all(axis=None)
    assert findings.empty


def test_nothing_infinite_ever_comes_out():
    rows = [book.person(n, **{"ยอดขายก่อน (บาท/เดือน)": before, "ยอดขายหลัง (บาท/เดือน)": after})
            for n, (before, after) in enumerate([(0, 0), (0, 5), (None, 5), (5, None), (1e-300, 1e300)], start=1)]
    values, _ = indicators(*rows)
    numbers = values[[i.key for i in RULES.indicators]].to_numpy(dtype=float)
    assert not np.isinf(numbers).any()


def test_typed_figures_disagreeing_beyond_rounding_are_noted():
    rows = [book.person(1, **{"ต้นทุนการผลิตก่อน (บาท/เดือน)": 100_000, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 90_000,
                              "ต้นทุนลดลง (ร้อยละ)": "35%", "มูลค่าทางเศรษฐกิจ (บาท)": "120,000"}),
            book.person(2, **{"ต้นทุนการผลิตก่อน (บาท/เดือน)": 30_000, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 26_300,
                              "ต้นทุนลดลง (ร้อยละ)": 12, "มูลค่าทางเศรษฐกิจ (บาท)": 44_000})]
    values, _ = indicators(*rows)
    notes, findings = disagreements(values, RULES.indicators)
    # row 1: 10 % computed vs 35 typed; 120,000 baht agrees. Row 2: 12.33 % vs 12 (rounding), 44,400 vs 44,000.
    assert notes.tolist() == ["ต้นทุนลดลง (ร้อยละ): กรอก 35 คำนวณได้ 10",
                              "มูลค่าทางเศรษฐกิจ (บาท): กรอก 44,000 คำนวณได้ 44,400"]
    assert findings["column"].tolist() == ["typed_cost_reduced_percent", "typed_economic_value"]


@pytest.mark.parametrize("formula", ["__import__('os')", "a.real", "(lambda: 1)()", "'text'", "a if b else c",
                                     "a[0]", "open('x')", "a < b < c", "True", "x = 1"])
def test_formulas_outside_the_whitelist_are_refused(formula):
    with pytest.raises(ExpressionError):
        check(formula, {"a", "b", "c"})


def test_unknown_names_are_refused_and_allowed_syntax_works():
    with pytest.raises(ExpressionError, match="unknown name nope"):
        check("a + nope", {"a"})
    frame = pd.DataFrame({"a": [4.0, None, 1.0], "b": [2.0, 2.0, 0.0]})
    assert evaluate("-a / b + 1", frame).tolist()[0] == -1
    assert evaluate("(a > b) | missing(a)", frame).tolist() == [True, True, True]
    assert evaluate("not (a != b)", frame).tolist() == [False, True, False]  # missing side: comparison false
    assert math.isinf(evaluate("a / b", frame).iloc[2])  # raw division is guarded by `nonzero` in compute


MONTHLY_COST = {"ต้นทุนการผลิตก่อน (บาท/เดือน)": 80_000, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 68_000}  # 144,000 a year
UNIT_COST = {"ต้นทุนต่อหน่วยก่อน (บาท)": 160, "ต้นทุนต่อหน่วยหลัง (บาท)": 150, "จำนวนผลิตใน 12 เดือน (หน่วย)": 24_000}
SAME_PRICE = {"ราคาขายก่อน (บาท/หน่วย)": 250, "ราคาขายหลัง (บาท/หน่วย)": 250}
CASE_5_2 = "๕.๒ กรณีราคาขายผลิตภัณฑ์เท่าเดิม (บาท/ผลิตภัณฑ์) ให้ใช้สูตรคำนวณต้นทุนที่ลดลง"


def economic(row: dict) -> tuple[float | None, str | None]:
    values, _ = indicators(row)
    value, parts = values.iloc[0]["economic_value"], values.iloc[0]["economic_value_parts"]
    return (None if pd.isna(value) else round(float(value), 2)), parts


def test_5_2_and_the_monthly_cost_are_one_saving_counted_once():
    """Seed 002: "๕.๒ กรณีราคาขายผลิตภัณฑ์เท่าเดิม (บาท/ผลิตภัณฑ์) ให้ใช้สูตรคำนวณต้นทุนที่ลดลง": 5.2 IS the cost
    reduction, per unit; where the row also gives the monthly cost, only the monthly one is added (was 384,000)."""
    seed_says("002", CASE_5_2)
    row = book.person(1, **MONTHLY_COST, **SAME_PRICE, **UNIT_COST)
    assert economic(row) == (144_000, "ต้นทุน; ไม่รวม: มูลค่าผลิตภัณฑ์ (5.2 ต้นทุนต่อหน่วย) (นับในต้นทุนลดลงแล้ว)")
    got = one(row)  # the product value is still shown as the seed computes it
    assert (got["product_value_increased_percent"], got["product_value_increased_baht_year"]) == (6.25, 240_000)


def test_5_2_without_a_monthly_cost_counts():
    seed_says("002", CASE_5_2)
    assert economic(book.person(1, **SAME_PRICE, **UNIT_COST)) == (240_000, "มูลค่าผลิตภัณฑ์ (5.2 ต้นทุนต่อหน่วย)")


def test_5_2_applies_when_neither_price_is_given():
    """Only the unit costs given: the price did not change as far as the row says, so 5.2's formula applies."""
    got = one(book.person(1, **UNIT_COST))
    assert (got["product_value_increased_percent"], got["product_value_increased_baht_year"]) == (6.25, 240_000)
    assert got["economic_value"] == 240_000


def test_5_1_is_not_a_cost_saving_so_both_are_added():
    row = book.person(1, **MONTHLY_COST, **{"ราคาขายก่อน (บาท/หน่วย)": 250, "ราคาขายหลัง (บาท/หน่วย)": 275,
                                            "จำนวนที่ขายหลัง (หน่วย/เดือน)": 400})
    assert economic(row) == (120_000 + 144_000, "ต้นทุน + มูลค่าผลิตภัณฑ์ (5.1 ราคาขาย)")


def test_extra_investment_counts_in_the_economic_value():
    """Seed 000: "สามารถสร้างรายได้ หรือลดต้นทุน หรือ เพ่ิมประสิทธิภาพจาก หรือการลงทุนเพ่ิมจาก": the extra
    investment is part of the economic value, a one-time amount within the year (no × 12)."""
    seed_says("000", "สามารถสร้างรายได้ หรือลดต้นทุน หรือ เพ่ิมประสิทธิภาพจาก หรือการลงทุนเพ่ิมจาก")
    headers = book.UNIT_HEADERS + ["การลงทุนเพิ่ม (บาท)"]
    alone = book.person(1, **{"การลงทุนเพิ่ม (บาท)": 500_000})
    with_sales = book.person(2, **{"การลงทุนเพิ่ม (บาท)": "500,000", "ยอดขายก่อน (บาท/เดือน)": 120_000,
                                   "ยอดขายหลัง (บาท/เดือน)": 150_000})
    frame = read_table(book.grid([alone, with_sales], headers), SPEC.tab("unit").titled("กข."), SPEC.title, "กข.").frame
    values, _, _ = compute(frame, RULES.indicators)
    assert values["economic_value"].tolist() == [500_000, 360_000 + 500_000]
    assert values["economic_value_parts"].tolist() == ["การลงทุนเพิ่ม", "ยอดขาย + การลงทุนเพิ่ม"]


def test_income_is_reported_but_not_added_where_sales_are():
    row = book.person(1, **{"ยอดขายก่อน (บาท/เดือน)": 120_000, "ยอดขายหลัง (บาท/เดือน)": 150_000,
                            "รายได้ก่อน (บาท/เดือน)": 40_000, "รายได้หลัง (บาท/เดือน)": 41_000})
    assert economic(row) == (360_000, "ยอดขาย; ไม่รวม: รายได้ (มียอดขายแล้ว)")
    assert economic(book.person(1)) == (None, None)  # nothing reported: no value and no parts
