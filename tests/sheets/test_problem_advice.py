"""Severity, how-to-fix and "did you mean" of the problems tab; column widths and cells as an officer reads them."""
from __future__ import annotations

from app.sheets.cell_readers import NOT_A_NUMBER, read_yes_no
from app.sheets.grid import DATETIME_FORMAT, WIDTH_CAP, TabStyle, fit_widths, shown_text, text_width
from app.sheets.problem_advice import CHECK, MUST_FIX, NOTE, advise
from app.sheets.suggest import closest


def test_did_you_mean_finds_the_province_and_ignores_the_unrelated():
    assert closest("เชียงให่ม", ["เชียงใหม่", "เชียงราย", "ลำพูน"]) == "เชียงใหม่"
    assert closest("กรุงเทพ", ["เชียงใหม่", "ลำพูน"]) is None


def test_a_yes_no_typo_gets_its_word_and_the_fix_says_it():
    value, problem = read_yes_no("ใช")
    assert value is None and "หรือหมายถึง “ใช่”?" in problem and "did you mean “ใช่”?" in problem
    assert advise(problem, 5, "ครบ", []).fix == "แก้เป็น “ใช่” ถ้าหมายถึงค่านี้"


def test_severity_and_fix_by_kind():
    assert advise(NOT_A_NUMBER, 4, "ยอดขาย", []) == advise(NOT_A_NUMBER, 9, "x", [])
    assert advise(NOT_A_NUMBER, 4, "ยอดขาย", []).severity == MUST_FIX
    assert advise("วันที่อยู่ในอนาคต (date is in the future)", 4, "วันที่", []).severity == CHECK
    assert advise("รายการซ้ำ: ใช้ค่าในแถวแรก (setting listed twice)", 4, "x", []).severity == NOTE


def test_a_missing_header_is_matched_to_the_header_the_officer_typed():
    advice = advise('ไม่พบหัวคอลัมน์ "จังหวัด"', 1, '"จังหวัด"', ["หน่วยงาน", "จังหวด", "อำเภอ"])
    assert advice.fix.startswith("เปลี่ยนหัวคอลัมน์ “จังหวด” เป็น “จังหวัด”")


def test_widths_fit_thai_text_without_its_marks_cap_long_text_and_wrap_it():
    assert text_width("เชียงใหม่") == 7  # ี and ่ take no room
    grid = [["เลขที่ใบสมัคร", "ปัญหา"], ["A2569-0001", "ก" * 80]]
    style = TabStyle("t", 2)
    app_no, problem = fit_widths(grid, style)
    assert app_no >= 10 * 8 and app_no % 20 == 0 and problem == WIDTH_CAP
    assert TabStyle("t", 2, widths=(app_no, problem)).wrapped() == [2]


def test_a_date_cell_reads_in_buddhist_era():
    assert shown_text(46347.416666666664, DATETIME_FORMAT) == "21/11/2569 10:00"
    assert shown_text(76.15, None) == "76.15" and shown_text(1250, None) == "1,250"
