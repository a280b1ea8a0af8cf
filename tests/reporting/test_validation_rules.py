"""Data-quality rules beyond parsing (sheets_schema/indicators.yaml `rules`): flagged, never dropped."""
from __future__ import annotations

import pandas as pd
import pytest

from app.reporting.indicators import compute
from app.sheets.tables import read_table
from app.reporting.validation_rules import apply_rules
from app.reporting.rules_files import load_reporting_rules
from app.sheets.layout_files import load_workbook_spec
from tests import reporting_book as book

SPEC = load_workbook_spec("reporting")
RULES = load_reporting_rules()


def flagged(cells: dict) -> tuple[set[tuple[str, str]], pd.DataFrame]:
    table = read_table(book.grid([book.person(1, **cells)]), SPEC.tab("unit").titled("กข."), SPEC.title, "กข.")
    values, _, _ = compute(table.frame, RULES.indicators)
    work = pd.concat([table.frame, values], axis=1)
    findings = apply_rules(work, RULES.rules)
    return {(f.column, f.problem.split(" (")[0]) for f in findings.itertuples()}, work


@pytest.mark.parametrize("after, before, key", [
    ("ยอดขายหลัง (บาท/เดือน)", "ยอดขายก่อน (บาท/เดือน)", "sales_after"),
    ("ต้นทุนการผลิตหลัง (บาท/เดือน)", "ต้นทุนการผลิตก่อน (บาท/เดือน)", "cost_after"),
    ("คาร์บอนฟุตพริ้นท์หลัง", "คาร์บอนฟุตพริ้นท์ก่อน", "carbon_after"),
    ("ต้นทุนต่อหน่วยหลัง (บาท)", "ต้นทุนต่อหน่วยก่อน (บาท)", "unit_cost_after"),
])
def test_after_without_before(after, before, key):
    found, _ = flagged({after: 100})
    assert found == {(key, "มีค่าหลังแต่ไม่มีค่าก่อน: คำนวณผลลัพธ์ไม่ได้")}
    assert flagged({after: 100, before: 120})[0] == set()


def test_more_defects_than_units_produced():
    found, work = flagged({"จำนวนของเสียก่อน": 120, "จำนวนผลิตก่อน": 100, "จำนวนของเสียหลัง": 5, "จำนวนผลิตหลัง": 100})
    assert ("waste_units_before", "จำนวนของเสียมากกว่าจำนวนผลิต") in found
    assert work["waste_units_before"].iloc[0] == 120  # flagged, kept


def test_activity_that_ends_before_it_starts():
    found, _ = flagged({"วันที่เริ่มกิจกรรม": "10/03/2569", "วันที่สิ้นสุดกิจกรรม": "2026-03-09"})
    assert found == {("end_date", "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่ม")}


def test_outliers_are_flagged_for_follow_up_and_still_counted():
    found, work = flagged({"ยอดขายก่อน (บาท/เดือน)": 1_000, "ยอดขายหลัง (บาท/เดือน)": 12_000,
                           "ต้นทุนการผลิตก่อน (บาท/เดือน)": 10_000, "ต้นทุนการผลิตหลัง (บาท/เดือน)": 25_000})
    assert {c for c, _ in found} == {"sales_after", "cost_after"}
    assert work["sales_increased_percent"].iloc[0] == 1100 and work["economic_value"].iloc[0] == (11_000 - 15_000) * 12


def test_checks_done_while_reading_are_not_repeated():
    # satisfaction 1–5, the 77 provinces and ID check digits are column types in reporting.yaml
    table = read_table(book.grid([book.person(1, **{"จังหวัด": "เชียงให่ม", "ความพึงพอใจ ข้อ 1": 6,
                                                    "เลขบัตรประจำตัวประชาชน": "1100700000010"})]),
                       SPEC.tab("unit").titled("กข."), SPEC.title, "กข.")
    assert {p.column for p in table.problems} == {"จังหวัด", "ความพึงพอใจ ข้อ 1", "เลขบัตรประจำตัวประชาชน"}
    assert flagged({})[0] == set()
