"""Seed 002's Part 2 as the officers type it: figures with separators, Thai digits and a % sign, range-checked; the
enterprise's identity as a tax ID or a factory registration number; a form's Likert words from the layout."""
from __future__ import annotations

import pytest

from app.sheets.cells import parse_cell
from app.sheets.layout import Choice, ColumnSpec
from app.sheets.layout_files import load_workbook_spec
from app.sheets.layout_parse import SchemaError, parse_workbook
from tests.reporting_book import thai_id

UNIT = load_workbook_spec("reporting").tab("unit")


@pytest.mark.parametrize("key, raw, expected", [
    ("typed_economic_value", "1,250,000", 1_250_000), ("typed_economic_value", "๒๔๐,๐๐๐", 240_000),
    ("typed_satisfaction_percent", "91.11%", 91.11), ("knowledge_gained_percent", 80, 80),
])
def test_typed_results_are_read_as_officers_type_them(key, raw, expected):
    assert parse_cell(raw, UNIT.column(key)) == (expected, "")


@pytest.mark.parametrize("key, raw", [("typed_satisfaction_percent", 120), ("knowledge_applied_percent", -5),
                                      ("typed_waste_reduced_percent", 150)])
def test_typed_results_out_of_range_are_a_problem(key, raw):
    value, problem = parse_cell(raw, UNIT.column(key))
    assert value is None and "ต้อง" in problem


@pytest.mark.parametrize("raw, expected", [
    ("3-34(1)-12/59อน", "3-34(1)-12/59อน"), ("จ3-50-12/45ชม", "จ3-50-12/45ชม"), (" 3-34(1) -12/59 อน ", "3-34(1)-12/59อน"),
    ("10160000125471", "10160000125471"), (thai_id("010555000001"), thai_id("010555000001")),
])
def test_the_enterprise_is_a_tax_id_or_a_factory_registration_number(raw, expected):
    """Seed 002: "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ"."""
    assert parse_cell(raw, UNIT.column("tax_id")) == (expected, "")


@pytest.mark.parametrize("raw, problem", [("0105550000010", "เลขตรวจสอบผิด"), ("บริษัท ก", "เลขทะเบียนโรงงาน")])
def test_a_wrong_enterprise_identity_says_what_is_expected(raw, problem):
    value, why = parse_cell(raw, UNIT.column("tax_id"))
    assert value is None and problem in why


def test_likert_words_come_from_the_layout():
    scale = load_workbook_spec("assessment").tab("satisfaction").group("item")
    member = scale.member("1", "ข้อ 1")
    assert [parse_cell(word, member)[0] for word in ("มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด")] == [5, 4, 3, 2, 1]
    own = ColumnSpec("q", "ข้อ 1", "score", choices=(Choice("5", ("ประทับใจมาก",)),))
    assert parse_cell("ประทับใจมาก", own) == (5, "") and parse_cell(4, own) == (4, "")
    rating = ColumnSpec("r", "[C1]", "rating", choices=(Choice("4", ("ดี",)),))
    assert parse_cell("ดี", rating) == (4, "")


def test_a_score_word_must_name_a_score_1_to_5():
    data = {"workbook": "x", "title": "x", "tabs": [{"key": "t", "title": "t", "columns": [
        {"key": "q", "header": "q", "type": "score", "choices": [{"value": "6", "aliases": ["เยี่ยม"]}]}]}]}
    with pytest.raises(SchemaError, match="a score's choices are 1 to 5"):
        parse_workbook(data, "x", "x.yaml", {})
