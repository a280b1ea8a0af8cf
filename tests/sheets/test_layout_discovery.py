"""Layout discovery on sheets laid out as the officers keep them (seed 002, "แบบฟอร์มการรายงานผล (Google Sheet)"):
a group-label row above the headers, headers broken by line breaks, repeated and spanning headers, section rows."""
from __future__ import annotations

import pytest

from app.sheets.headers import find_header_row, group_labels, header_key, match_headers
from app.sheets.layout import ColumnSpec, TabSpec
from app.sheets.tables import read_table, row_list

WORKBOOK = "แบบฟอร์มการรายงานผล"
ACTIVITY = "5.1-2 การพัฒนาองค์ความรู้และศักยภาพด้านการบริหารจัดการ (67)"
SPEC = TabSpec("unit", "ศก.1", "reporting", section_rows=True, columns=(
    ColumnSpec("unit_label", "หน่วยงาน", "text", prefilled=True),
    ColumnSpec("activity_name", "ชื่อกิจกรรม", "text", aliases=("ชื่อกิจกรรม (ตามแผนงานโครงการ)",), required=True),
    ColumnSpec("start_date", "วันที่เริ่มกิจกรรม", "date", aliases=("วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด กิจกรรม",),
               required=True),
    ColumnSpec("end_date", "วันที่สิ้นสุดกิจกรรม", "date", blank_right_of=("วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด กิจกรรม",)),
    ColumnSpec("province", "จังหวัด", "text", aliases=("พื้นที่ดำเนินการ (จังหวัด)",), under=("A01",)),
    ColumnSpec("email", "อีเมล", "text", under=("A01",)),
    ColumnSpec("economic_value", "มูลค่าทางเศรษฐกิจ (บาท)", "amount"),
    ColumnSpec("waste_percent", "ของเสียลดลง (ร้อยละ)", "percent"),
    ColumnSpec("waste_baht", "คิดเป็นมูลค่า (บาท)", "amount", follows=("ของเสียลดลง (ร้อยละ)",)),
    ColumnSpec("cost_percent", "ต้นทุนลดลง (ร้อยละ)", "percent"),
    ColumnSpec("cost_baht", "คิดเป็นมูลค่า (บาท)", "amount", follows=("ต้นทุนลดลง (ร้อยละ)",)),
))
# Rows 1–3 as in the seed: an empty first row, group labels in row 2 (a merged label holds its text in its first
# column only), headers in row 3 with the line breaks officers type to fit a narrow column.
HEADERS = ["หน่วยงาน", "ชื่อกิจกรรม (ตามแผนงานโครงการ)", "วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด\nกิจกรรม", None,
           "พื้นที่ดำเนินการ (จังหวัด)", "อีเมล", "จังหวัด", "อีเมล", "มูลค่าทาง\nเศรษฐกิจ (บาท)", "ของเสียลดลง (ร้อยละ)",
           "คิดเป็นมูลค่า (บาท)", "ต้นทุนลดลง (ร้อยละ)", "คิดเป็นมูลค่า (บาท)", "ชื่อผลิตภัณฑ์"]
LABELS = [None, None, None, None, None, "A01: ข้อมูลสมาชิก", "B01: ข้อมูลส่วนบุคคลต่อประสานงาน", "E01: ข้อมูลสถานประกอบการ",
          "ข้อมูลส่วนรับกลุ่มและเครือข่าย"]
ROW = ["ศก.1", "อบรม Lean", "01/03/2569", "05/03/2569", "เชียงใหม่", "a@example.com", "ลำพูน", "shop@example.com",
       "๒๔๐,๐๐๐", 10, "1,250,000", 5, 60_000, "น้ำพริก"]
GRID = [[], LABELS, HEADERS, [ACTIVITY], ROW, ["ศก.1"], ["ศก.1"], [ACTIVITY.replace("5.1-2", "5.1-3")], ROW]


def test_header_key_ignores_every_space_and_line_break():
    assert header_key("มูลค่าทาง\nเศรษฐกิจ (บาท)") == header_key("มูลค่าทางเศรษฐกิจ  ( บาท )") == "มูลค่าทางเศรษฐกิจ(บาท)"
    assert header_key("ชื่อ - นามสกุล") == header_key("ชื่อ-นามสกุล")
    assert header_key("Email\u00a0Address") == header_key("email address")


def test_the_header_row_is_the_one_matching_most_headers():
    """Seed 002: "2 B01: ข้อมูลส่วนบุคคลต่อประสานงาน" above "3 ที่อยู่ตามทะเบียนบ้าน ที่อยู่ปัจจุบัน …"."""
    assert find_header_row(GRID, SPEC) == 3
    assert group_labels(GRID, 3)[5:8] == ("A01: ข้อมูลสมาชิก", "B01: ข้อมูลส่วนบุคคลต่อประสานงาน",
                                          "E01: ข้อมูลสถานประกอบการ")
    assert group_labels(GRID, 3)[12] == "ข้อมูลส่วนรับกลุ่มและเครือข่าย"  # a label runs right until the next one


def test_header_in_row_one_is_kept_when_nothing_matches_better():
    assert find_header_row([HEADERS, ROW], SPEC) == 1


def test_repeated_headers_are_told_apart_by_group_label_and_by_the_header_before():
    """Seed 002: "อีเมล" under A01 and again under E01; "คิดเป็นมูลค่า (บาท)" after waste % and after cost %."""
    found = match_headers(HEADERS, SPEC, WORKBOOK, labels=group_labels(GRID, 3), row=3)
    assert found.columns["email"] == 5 and found.columns["province"] == 4  # not the E01 email, not B01's จังหวัด
    assert found.columns["waste_baht"] == 10 and found.columns["cost_baht"] == 12
    assert found.columns["economic_value"] == 8
    assert found.problems == ()  # the repeats belong to other groups: not duplicates


def test_a_blank_header_right_of_a_spanning_header_is_its_second_column():
    """Seed 002: "วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด กิจกรรม" merged over the start and the end date."""
    found = match_headers(HEADERS, SPEC, WORKBOOK)
    assert (found.columns["start_date"], found.columns["end_date"]) == (2, 3)
    assert found.header_of("end_date") == "วันที่สิ้นสุดกิจกรรม"


def test_without_group_labels_a_repeat_is_still_a_duplicate():
    found = match_headers(["ชื่อกิจกรรม", "วันที่เริ่มกิจกรรม", "อีเมล", "อีเมล"], SPEC, WORKBOOK)
    assert found.columns["email"] == 2 and [p.column for p in found.problems] == ["อีเมล"]


def test_rows_keep_their_sheet_numbers_and_section_rows_are_one_note():
    table = read_table(GRID, SPEC, WORKBOOK, "ศก.1")
    assert list(table.frame["_row"]) == [5, 9]  # rows 6 and 7 hold only the prefilled unit: blank
    first = table.frame.iloc[0]
    assert (first["economic_value"], first["waste_baht"], first["cost_baht"]) == (240_000, 1_250_000, 60_000)
    assert str(first["end_date"])[:10] == "2026-03-05" and first["province"] == "เชียงใหม่"
    assert table.problems == []
    assert len(table.notes) == 1 and "4, 8" in table.notes[0] and ACTIVITY in table.notes[0]


def test_section_rows_are_records_where_the_layout_does_not_expect_them():
    columns = (ColumnSpec("unit_label", "หน่วยงาน", "text"), *SPEC.columns[1:])
    table = read_table(GRID, TabSpec("unit", "ศก.1", "reporting", columns=columns), WORKBOOK, "ศก.1")
    assert list(table.frame["_row"]) == [4, 5, 6, 7, 8, 9] and table.notes == ()


@pytest.mark.parametrize("numbers, text", [([4], "4"), ([4, 5, 6, 9], "4–6, 9"), ([1, 3, 4], "1, 3–4")])
def test_row_list(numbers, text):
    assert row_list(numbers) == text


def test_header_normalisation_is_remembered_for_text_only():
    """normalize_header remembers texts it has seen; numbers and booleans equal as keys must not share a result."""
    from app.sheets.headers import normalize_header
    assert [normalize_header(v) for v in ("1", 1, 1.0, True, "1", None, "ตำ\u200bบล  ๑")] == \
        ["1", "1", "1.0", "true", "1", "", "ตำบล 1"]
    assert [normalize_header(v) for v in (True, 1.0, 1)] == ["true", "1.0", "1"]
