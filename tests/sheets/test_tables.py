"""Header matching and typed tables: row numbers as the officer sees them, families of columns, settings."""
import unicodedata
from datetime import date, datetime

import pandas as pd
import pytest

from app.sheets.headers import MissingHeader, match_headers, normalize_header
from app.sheets.problems import RowProblem
from app.sheets.layout import ColumnGroupSpec, ColumnSpec, TabSpec
from app.sheets.tables import (RecentlyTyped, locate_table, read_settings, read_table, type_tables,
                               typing_remembered)
from app.sheets.layout_files import load_workbook_spec

WORKBOOK = "การประเมินสมรรถนะร่วมที่ปรึกษาอุตสาหกรรม"
TOPIC = ColumnGroupSpec("topic", r"^\[(?P<code>[^\]]+)\]", "verdict", "[C1] …", required=True)
REVIEWS = TabSpec("reviews", "ผลประเมินเอกสาร", "assessment", columns=(
    ColumnSpec("application_no", "เลขที่ใบสมัคร", "code", required=True, not_blank=True),
    ColumnSpec("email", "ที่อยู่อีเมล", "email", aliases=("Email Address",), required=True),
    ColumnSpec("reviewer", "ผู้ประเมิน", "text"),
    ColumnSpec("experience", "ค่าประสบการณ์", "number"),
), groups=(TOPIC,))


def nfd_marks(text: str) -> str:
    """The same Thai text with tone mark and lower vowel typed the other way round (NFC puts them back)."""
    return text.replace("\u0e39\u0e48", "\u0e48\u0e39")


@pytest.mark.parametrize("raw, expected", [
    ("  เลขที่ใบสมัคร ", "เลขที่ใบสมัคร"),
    ("น้ำหนัก  (ร้อยละ)", "น้ำหนัก (ร้อยละ)"),
    ("น้ำหนัก\u00a0(ร้อยละ)", "น้ำหนัก (ร้อยละ)"),
    ("น้ำหนัก\t\n(ร้อยละ)", "น้ำหนัก (ร้อยละ)"),
    ("เลขที่\u200bใบสมัคร", "เลขที่ใบสมัคร"),           # zero-width space: invisible, so dropped
    ("น\u0e49\u0e4d\u0e32หนัก", "น้ำหนัก"),               # sara am typed as nikhahit + sara aa
    (nfd_marks("ที่อยู่อีเมล"), "ที่อยู่อีเมล"),
    ("Email Address", "email address"),
    ("ข้อ ๑", "ข้อ 1"),
    (None, ""),
])
def test_normalize_header(raw, expected):
    assert normalize_header(raw) == normalize_header(expected) == expected.casefold()


def test_nfd_and_nfc_latin_match():
    assert normalize_header(unicodedata.normalize("NFD", "Café")) == normalize_header("Café")


def test_match_in_any_order_with_extras_and_aliases():
    row = ["หมายเหตุ", "[C2] การวิเคราะห์", "Email Address", " เลขที่ใบสมัคร ", "[c1] ความรู้ในสาขา", "อื่น ๆ"]
    found = match_headers(row, REVIEWS, WORKBOOK)
    assert found.columns == {"email": 2, "application_no": 3}
    assert found.groups == {"topic": {"C2": 1, "C1": 4}}
    assert found.problems == ()
    assert found.header_of("application_no") == " เลขที่ใบสมัคร "
    assert found.header_of("topic:C1") == "[c1] ความรู้ในสาขา"


def test_match_ignores_spacing_and_unicode_form():
    row = ["\u00a0เลขที่ใบ\u200bสมัคร ", nfd_marks("ที่อยู่อีเมล"), "[C1]  ความรู้"]
    assert match_headers(row, REVIEWS, WORKBOOK).columns == {"application_no": 0, "email": 1}


def test_duplicate_header_first_wins_and_is_reported():
    row = ["เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1] ก", "เลขที่ใบสมัคร", "Email Address", "[C1] ข"]
    found = match_headers(row, REVIEWS, WORKBOOK, tab_title="ผลประเมินเอกสาร (2)")
    assert found.columns == {"application_no": 0, "email": 1}
    assert found.groups["topic"] == {"C1": 2}
    assert [(p.tab, p.row, p.column) for p in found.problems] == [
        ("ผลประเมินเอกสาร (2)", 1, "เลขที่ใบสมัคร"), ("ผลประเมินเอกสาร (2)", 1, "Email Address"),
        ("ผลประเมินเอกสาร (2)", 1, "[C1] ข")]
    assert found.problems[0].problem == ("หัวคอลัมน์ซ้ำกับคอลัมน์ A: ใช้คอลัมน์ A และข้ามคอลัมน์นี้ "
                                         "(duplicate of column A: column A is used and this one is ignored)")


def test_missing_required_header_is_one_line_naming_workbook_tab_and_header():
    with pytest.raises(MissingHeader) as caught:
        match_headers(["เลขที่ใบสมัคร", "[C1] ก", "ผู้ประเมิน"], REVIEWS, WORKBOOK)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (f'สมุดงาน "{WORKBOOK}" แท็บ "ผลประเมินเอกสาร": ไม่พบหัวคอลัมน์ "ที่อยู่อีเมล" — '
                       "add the header (or an alias in sheets_schema/assessment.yaml)")
    assert (caught.value.tab, caught.value.header) == ("ผลประเมินเอกสาร", "ที่อยู่อีเมล")


def test_every_missing_required_header_is_named_including_a_family():
    with pytest.raises(MissingHeader) as caught:
        match_headers(["ผู้ประเมิน"], REVIEWS, WORKBOOK)
    assert caught.value.headers == ("เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1] …")
    assert 'ไม่พบหัวคอลัมน์ "เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1] …" — add the headers' in str(caught.value)


def test_missing_optional_header_is_fine():
    found = match_headers(["เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1]"], REVIEWS, WORKBOOK)
    assert "reviewer" not in found.columns


def reviews_grid():
    return [
        ["ผู้ประเมิน", "เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1] ความรู้", "[C2] ทักษะ", "หมายเหตุ"],
        ["สมศรี", "A-001", "a@example.com", "ผ่าน", "ไม่ผ่าน"],            # row 2, trailing cells trimmed
        [],                                                                  # row 3, blank
        ["", None, " ", "-"],                                                # row 4, blank in spirit
        ["สมชาย", "A-002", "not-an-email", "ดี", "ข้อมูลไม่เพียงพอ", "x"],   # row 5
        [None, None, None, None, None, "โน้ตเท่านั้น"],                      # row 6: only an ignored column
        ["สมหญิง", "", "c@example.com", "pass"],                             # row 7: no application number
    ]


def test_rows_are_numbered_as_the_officer_sees_them():
    table = read_table(reviews_grid(), REVIEWS, WORKBOOK, "ผลประเมินเอกสาร")
    assert table.frame["_row"].tolist() == [2, 5, 7]
    assert table.frame["application_no"].tolist() == ["A-001", "A-002", None]
    assert table.frame["topic:C1"].tolist() == ["ผ่าน", None, "ผ่าน"]
    assert table.frame["topic:C2"].tolist() == ["ไม่ผ่าน", "ข้อมูลไม่เพียงพอ", None]
    assert table.group_columns("topic") == ["topic:C1", "topic:C2"]


def test_problems_name_tab_row_header_value():
    table = read_table(reviews_grid(), REVIEWS, WORKBOOK, "ผลประเมินเอกสาร")
    assert table.problems == [
        RowProblem("ผลประเมินเอกสาร", 5, "ที่อยู่อีเมล", "not-an-email",
                   "รูปแบบอีเมลไม่ถูกต้อง (not an email address)"),
        RowProblem("ผลประเมินเอกสาร", 5, "[C1] ความรู้", "ดี",
                   "ต้องเป็น ผ่าน / ไม่ผ่าน / ข้อมูลไม่เพียงพอ (not one of the choices)"),
        RowProblem("ผลประเมินเอกสาร", 7, "เลขที่ใบสมัคร", "", "ต้องกรอกค่า (value required)"),
    ]


def test_missing_optional_columns_are_there_all_missing():
    grid = [["เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1]"], ["A-1", "a@b.co", "ผ่าน"]]
    frame = read_table(grid, REVIEWS, WORKBOOK).frame
    assert list(frame.columns) == ["_row", "application_no", "email", "reviewer", "experience", "topic:C1"]
    assert frame["experience"].dtype == "float64" and frame["experience"].isna().all()
    assert frame["reviewer"].isna().all()


def test_header_only_tab_gives_an_empty_typed_frame():
    frame = read_table([["เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1]"]], REVIEWS, WORKBOOK).frame
    assert frame.empty and "experience" in frame.columns


def test_empty_tab_is_missing_its_headers():
    with pytest.raises(MissingHeader):
        read_table([], REVIEWS, WORKBOOK)


def test_header_row_below_a_title_row():
    tab = TabSpec("units", "หน่วยงาน", "reporting", header_row=2,
                  columns=(ColumnSpec("tab", "แท็บ", "text", required=True),))
    grid = [["รายชื่อหน่วยงาน"], ["แท็บ"], ["กข."], [], ["ศภ.1"]]
    assert read_table(grid, tab, "แบบฟอร์มการรายงานผล").frame["_row"].tolist() == [3, 5]


def applicants_grid():
    spec = load_workbook_spec("assessment").tab("applicants")
    header = [c.header for c in spec.columns]
    row = {"ประทับเวลา": 45337.4375, "เลขที่ใบสมัคร": "๐๐๑", "ชื่อ": "สมชาย", "นามสกุล": "ใจดี",
           "เลขประจำตัวประชาชน": "1-1017-00230-70-8", "อีเมล": "Somchai@Example.com", "โทรศัพท์": "081-234-5678",
           "เลขสมาชิก i.industry": "IND-1", "วันที่สอบผ่าน I3C": "15/02/2565", "ประสบการณ์การเป็นที่ปรึกษา (ปี)": "๗",
           "จำนวนตัวอย่างผลงาน": 3, "เอกสารครบถ้วน": "ครบ", "บุคคลอ้างอิง 1 ชื่อ": "ก",
           "บุคคลอ้างอิง 1 อีเมล": "k@x.th"}
    bad = dict(row, **{"เลขที่ใบสมัคร": "002", "เลขประจำตัวประชาชน": "1101700230705",
                       "วันที่สอบผ่าน I3C": "15/2/99", "จำนวนตัวอย่างผลงาน": "สาม", "ประทับเวลา": "1/1/2570"})
    return [header, [row.get(h) for h in header], [bad.get(h) for h in header]]


def test_applicants_from_the_real_layout():
    spec = load_workbook_spec("assessment")
    table = read_table(applicants_grid(), spec.tab("applicants"), spec.title, today=date(2024, 3, 1))
    first = table.frame.iloc[0]
    assert first["application_no"] == "001" and first["national_id"] == "1101700230708"
    assert first["timestamp"] == datetime(2024, 2, 15, 10, 30) and first["i3c_date"] == pd.Timestamp(2022, 2, 15)
    assert first["email"] == "somchai@example.com" and first["phone"] == "0812345678"
    assert first["experience_years"] == 7 and first["documents_complete"]
    assert [(p.row, p.column) for p in table.problems] == [
        (3, "ประทับเวลา"), (3, "เลขประจำตัวประชาชน"), (3, "วันที่สอบผ่าน I3C"), (3, "จำนวนตัวอย่างผลงาน")]
    assert table.problems[0].problem == "วันที่อยู่ในอนาคต (date is in the future)"


def settings_grid(*rows):
    return [["รายการ", "ค่า "], *rows]


def test_settings_defaults_when_the_tab_is_empty():
    values = read_settings(settings_grid(), load_workbook_spec("assessment")).values
    assert values["decision_policy"] == "คู่มือ" and values["pass_percent"] == 80
    assert values["reference_pass_mean"] == 3.5 and values["min_references"] == 2
    assert values["closing_date"] is None and values["reference_form_url"] is None


def test_settings_are_typed_and_problems_reported():
    spec = load_workbook_spec("assessment")
    result = read_settings(settings_grid(
        ["วันปิดรับสมัคร", "31 มี.ค. 2567"],
        ["นโยบายการตัดสิน", "ผังงาน"],
        ["เกณฑ์ผ่าน  (ร้อยละ)", "๗๕%"],
        ["จำนวนบุคคลอ้างอิงขั้นต่ำ", "สอง"],
        [],
        ["สีประจำหน่วย", "ฟ้า"],
        ["เกณฑ์ผ่าน (ร้อยละ)", 90],
        ["เตือนบุคคลอ้างอิงทุก (วัน)", ""],
    ), spec, "ตั้งค่า")
    assert result["closing_date"] == date(2024, 3, 31)
    assert result["decision_policy"] == "ผังงาน"
    assert result["pass_percent"] == 75.0
    assert result["min_references"] == 2          # bad value → default
    assert result["reminder_every_days"] == 3     # blank value → default, silently
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (5, "ค่า ", "สอง"), (7, "รายการ", "สีประจำหน่วย"), (8, "รายการ", "เกณฑ์ผ่าน (ร้อยละ)")]
    assert result.problems[0].problem == "อ่านเป็นตัวเลขไม่ได้ (not a number); ใช้ค่าเริ่มต้น 2 (default used)"
    assert result.problems[1].problem == "ไม่รู้จักรายการนี้ (unknown setting)"
    assert result.problems[2].problem == "รายการซ้ำ: ใช้ค่าในแถวแรก (setting listed twice: the first row is used)"


def test_settings_tab_without_its_headers_stops():
    with pytest.raises(MissingHeader, match='ไม่พบหัวคอลัมน์ "ค่า"'):
        read_settings([["รายการ"]], load_workbook_spec("assessment"), "ตั้งค่า")


def test_tabs_typed_together_are_typed_as_each_alone():
    """Unit tabs laid out alike are typed one column at a time for all of them: each tab's frame, problems and
    row numbers are what it gets alone, whatever order its columns are in and whichever optional column it lacks."""
    first = [["ชื่อเอกสาร"], ["เลขที่ใบสมัคร", "ที่อยู่อีเมล", "[C1] ความรู้", "ค่าประสบการณ์"],
             ["A-001", "a@x.th", "ผ่าน", 3], ["A-002", "not-an-email", "ผ่านน", "สาม"], [None, None, None, None]]
    second = [["ค่าประสบการณ์", "[C1] ความรู้", "ผู้ประเมิน", "ที่อยู่อีเมล", "เลขที่ใบสมัคร"],
              [1.5, "ไม่ผ่าน", "สมชาย", "b@x.th", "B-001"], ["x", "", "", "", ""], [2, "ผ่าน", "", "c@x.th", "B-002"]]
    located = [locate_table(first, REVIEWS, WORKBOOK, "หน่วย ก"), locate_table(second, REVIEWS, WORKBOOK, "หน่วย ข")]
    together = type_tables(located)
    alone = [type_tables([table])[0] for table in located]
    for both, each in zip(together, alone):
        pd.testing.assert_frame_equal(both.frame, each.frame)
        assert both.problems == each.problems and both.problems
    assert together[0].frame["_row"].tolist() == [3, 4] and together[1].frame["_row"].tolist() == [2, 3, 4]
    assert {p.tab for p in together[0].problems} == {"หน่วย ก"} and {p.tab for p in together[1].problems} == {"หน่วย ข"}


DATED = TabSpec("dated", "วันสอบ", "assessment", columns=(
    ColumnSpec("application_no", "เลขที่ใบสมัคร", "code", required=True),
    ColumnSpec("passed_on", "วันที่สอบผ่าน", "date", not_future=True),
    ColumnSpec("hours", "จำนวนชั่วโมง", "number"),
))
DATED_HEADER = ["เลขที่ใบสมัคร", "วันที่สอบผ่าน", "จำนวนชั่วโมง"]


def test_a_tab_typed_again_as_it_was_is_the_same_and_each_caller_owns_its_copy():
    """Within the service's runs a tab found as a recent run typed it is taken from that run (an edit of one unit tab
    of nine types that one again); what a run gets is what typing gives, and changing it changes no later run's."""
    grid = [DATED_HEADER, ["A-001", 46000, 12], ["A-002", "ไม่ทราบ", "6"]]
    today = date(2026, 11, 20)
    fresh = type_tables([locate_table(grid, DATED, WORKBOOK, "วันสอบ")], today=today)[0]
    recent = RecentlyTyped(cells=1_000)
    with typing_remembered(recent):
        first, again = (type_tables([locate_table([list(r) for r in grid], DATED, WORKBOOK, "วันสอบ")],
                                    today=today)[0] for _ in range(2))
        assert len(recent._tables) == 1  # the second was taken from the first
        for table in (first, again):
            pd.testing.assert_frame_equal(table.frame, fresh.frame)
            assert table.problems == fresh.problems and len(fresh.problems) == 1
        first.frame.loc[0, "application_no"] = "changed"
        first.problems.clear()
        third = type_tables([locate_table(grid, DATED, WORKBOOK, "วันสอบ")], today=today)[0]
    pd.testing.assert_frame_equal(third.frame, fresh.frame)
    assert third.problems == fresh.problems
    type_tables([locate_table(grid, DATED, WORKBOOK, "วันสอบ 2")], today=today)  # outside a run: nothing kept
    assert len(recent._tables) == 1


def test_a_tab_is_typed_again_when_its_day_its_titles_or_the_kind_of_a_cell_differ():
    """The same cells type otherwise on another day (a date in the future is not yet valid), under another title
    (problems name it) or with TRUE where 1 was (a checkbox is not a number): none is taken from a recent run."""
    recent = RecentlyTyped(cells=1_000)

    def problems(grid, title="วันสอบ", today=date(2026, 11, 20)):
        with typing_remembered(recent):
            table = type_tables([locate_table(grid, DATED, WORKBOOK, title)], today=today)[0]
        return [(p.tab, p.value) for p in table.problems]

    one = [DATED_HEADER, ["A-001", "25/11/2026", 1]]
    assert problems(one) == [("วันสอบ", "25/11/2026")]
    assert problems(one, today=date(2026, 11, 25)) == []
    assert problems(one, title="วันสอบ 2") == [("วันสอบ 2", "25/11/2026")]
    assert problems([DATED_HEADER, ["A-001", "25/11/2026", True]], today=date(2026, 11, 25)) == [("วันสอบ", "TRUE")]
    assert len(recent._tables) == 4


def test_recently_typed_tabs_stay_within_their_cell_budget():
    """The least recently taken tab goes first; a tab larger than the whole budget is not kept."""
    recent = RecentlyTyped(cells=90)  # each tab types into 10 rows of 4 columns (its row numbers and 3)

    def type_as(unit, rows=10):
        grid = [DATED_HEADER] + [[f"{unit}-{i:03}", 46000, 3] for i in range(rows)]
        with typing_remembered(recent):
            return type_tables([locate_table(grid, DATED, WORKBOOK, "วันสอบ")])[0]

    def kept():
        return [table.frame["application_no"][0].split("-")[0] for table in recent._tables.values()]

    for unit in ("ก", "ข", "ค"):
        type_as(unit)
    assert kept() == ["ข", "ค"] and recent._cells == 80
    type_as("ข")  # taken: now the most recent
    type_as("ง")
    assert kept() == ["ข", "ง"] and recent._cells == 80
    type_as("ใหญ่", rows=30)
    assert kept() == ["ข", "ง"] and recent._cells == 80
