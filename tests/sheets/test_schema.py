"""Workbook layouts: the shipped YAML matches the spec's appendix; malformed files fail with one clear line."""
import re
import textwrap
from datetime import date
from pathlib import Path

import pytest

from app.sheets.headers import normalize_header
from app.sheets.layout_files import SCHEMA_DIR, SchemaError, available_workbooks, load_workbook_spec, recognise_workbook

ROOT = Path(__file__).resolve().parents[2]


def headers(workbook: str, tab: str) -> list[str]:
    return [c.header for c in load_workbook_spec(workbook).tab(tab).columns]


def test_schema_folder_is_found_from_the_package():
    assert SCHEMA_DIR == ROOT / "sheets_schema"
    assert available_workbooks() == ["assessment", "reporting"]


def test_loading_is_cached():
    assert load_workbook_spec("assessment") is load_workbook_spec("assessment", SCHEMA_DIR)


def test_workbook_a_tabs_and_titles():
    spec = load_workbook_spec("assessment")
    assert spec.title == "การประเมินสมรรถนะร่วมที่ปรึกษาอุตสาหกรรม"
    assert [t.title for t in spec.officer_tabs] == [
        "ตั้งค่า", "หัวข้อสมรรถนะ", "ผู้สมัคร", "ผลประเมินเอกสาร", "แบบประเมินบุคคลอ้างอิง", "ผลสัมภาษณ์",
        "มติคณะกรรมการ", "ความพึงพอใจ"]
    assert [t.title for t in spec.service_tabs] == [
        "สรุปผลการประเมิน", "ติดตามบุคคลอ้างอิง", "ประกาศรายชื่อ", "ภาพรวมการประเมิน", "ความพึงพอใจรายบุคคล",
        "ข้อผิดพลาดข้อมูล"]


def test_applicants_headers_as_the_spec_writes_them():
    assert headers("assessment", "applicants") == [
        "ประทับเวลา", "เลขที่ใบสมัคร", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "อีเมล", "โทรศัพท์",
        "เลขสมาชิก i.industry", "วันที่สอบผ่าน I3C", "ประสบการณ์การเป็นที่ปรึกษา (ปี)", "จำนวนตัวอย่างผลงาน",
        "เอกสารครบถ้วน", "บุคคลอ้างอิง 1 ชื่อ", "บุคคลอ้างอิง 1 อีเมล", "บุคคลอ้างอิง 2 ชื่อ", "บุคคลอ้างอิง 2 อีเมล",
        "บุคคลอ้างอิง 3 ชื่อ", "บุคคลอ้างอิง 3 อีเมล"]


def test_summary_service_tab_order_and_topic_family_position():
    summary = load_workbook_spec("assessment").tab("summary")
    # the spec's order, with seed 004's "ค่าประสบการณ์" (6.4 (1)) after the references
    assert [c.header for c in summary.columns][:9] == [
        "เลขที่ใบสมัคร", "ชื่อ-นามสกุล", "คุณสมบัติพื้นฐาน", "เหตุผลคุณสมบัติ", "บุคคลอ้างอิง (ตอบ/เชิญ)", "ค่าประสบการณ์",
        "น้ำหนักผ่าน (ร้อยละ)", "น้ำหนักไม่ผ่าน (ร้อยละ)", "น้ำหนักข้อมูลไม่เพียงพอ (ร้อยละ)"]
    assert summary.group("topic").after == "insufficient_weight"
    assert summary.column("decision").choices[0].value == "ผ่านการประเมิน"


def test_settings_items_types_and_defaults_as_the_spec_says():
    settings = load_workbook_spec("assessment").settings_tab.settings
    assert [(s.name, s.type, s.default) for s in settings][:13] == [
        ("วันปิดรับสมัคร", "date", None), ("นโยบายการตัดสิน", "choice", "คู่มือ"),
        ("เกณฑ์ผ่าน (ร้อยละ)", "percent", 80.0), ("เกณฑ์สัมภาษณ์ (ร้อยละ)", "percent", 70.0),
        ("น้ำหนักไม่ผ่านสูงสุด (ร้อยละ)", "percent", 5.0), ("จำนวนบุคคลอ้างอิงขั้นต่ำ", "integer", 2),
        ("เกณฑ์ผ่านบุคคลอ้างอิง (คะแนนเฉลี่ย)", "number", 3.5),
        ("เกณฑ์ไม่ผ่านบุคคลอ้างอิง (คะแนนเฉลี่ย)", "number", 2.5),
        ("อายุผลสอบ I3C (ปี)", "integer", 3), ("รอบุคคลอ้างอิงไม่เกิน (วัน)", "integer", 14),
        ("เตือนบุคคลอ้างอิงทุก (วัน)", "integer", 3), ("จำนวนครั้งเตือนสูงสุด", "integer", 2),
        ("ลิงก์แบบประเมินบุคคลอ้างอิง", "url", None)]
    assert [c.value for c in settings[1].choices] == ["คู่มือ", "ผังงาน"]


@pytest.mark.parametrize("workbook, tab, group, header, code", [
    ("assessment", "document_review", "topic", "[C1] ความรู้ในสาขา", "C1"),
    ("assessment", "reference_form", "topic", "[c12]  การสื่อสาร", "C12"),
    ("assessment", "satisfaction", "item", "ข้อ 1", "1"),
    ("assessment", "satisfaction", "item", "ข้อ ๑๐ ความสะดวกของระบบ", "10"),
    ("reporting", "unit", "satisfaction", "ความพึงพอใจ ข้อ 9", "9"),
    ("reporting", "cluster_evidence", "evidence", "L1 Cluster Map", "L1 CLUSTER MAP"),
])
def test_column_families_find_their_code(workbook, tab, group, header, code):
    from app.sheets.headers import group_code
    pattern = load_workbook_spec(workbook).tab(tab).group(group).pattern
    found = re.search(pattern, normalize_header(header))
    assert found and group_code(found.group("code")) == code


@pytest.mark.parametrize("header", ["ความพึงพอใจ (ร้อยละ)", "ข้อเสนอแนะ", "หมายเหตุ"])
def test_other_headers_are_not_satisfaction_items(header):
    unit = load_workbook_spec("reporting").tab("unit")
    assert not re.search(unit.group("satisfaction").pattern, normalize_header(header))


def test_aliases_of_forms():
    spec = load_workbook_spec("assessment")
    reference = spec.tab("reference_form")
    assert "Email Address" in reference.column("respondent_email").aliases
    assert "Timestamp" in reference.column("timestamp").aliases
    assert reference.column("token").form_entry == "1000002"


def test_find_tab_matches_title_aliases_after_normalisation():
    spec = load_workbook_spec("assessment")
    assert spec.find_tab("  ผู้สมัคร ").key == "applicants"
    assert spec.find_tab("APPLICANTS").key == "applicants"
    assert spec.find_tab("ผู้สมัคร 2") is None


def test_workbook_b_unit_template_and_consolidated_columns():
    spec = load_workbook_spec("reporting")
    unit = spec.tab("unit")
    assert unit.is_template and unit.title is None and unit.title_from == "units.tab"
    assert unit.titled("ศภ.1").title == "ศภ.1"
    assert unit.column("province").type == "province" and len(unit.column("province").choices) == 77
    consolidated = [c.header for c in spec.tab("consolidated").columns]
    assert consolidated[:4] == ["หน่วยงาน", "แถวต้นทาง", "ชื่อกิจกรรม", "วันที่เริ่มกิจกรรม"]
    assert len(consolidated) == len(set(consolidated))  # officer-typed results are not repeated
    assert consolidated[-4:] == ["ขนาดวิสาหกิจ", "ตรวจสอบการนับซ้ำ", "ตรวจสอบตัวเลข", "ที่มาของตัวเลข"]
    assert all(c.owner == "service" for c in spec.tab("consolidated").columns)
    assert [c.header for c in spec.tab("by_province").columns][0] == "จังหวัด"


def test_unit_tab_headers_cover_the_spec():
    unit = headers("reporting", "unit")
    for header in ["ชื่อกิจกรรม", "เลขบัตรประจำตัวประชาชน", "โทรศัพท์มือถือ", "เลขประจำตัวผู้เสียภาษี", "ภาคธุรกิจ",
                   "จำนวนที่ขายหลัง (หน่วย/เดือน)", "จำนวนผลิตใน 12 เดือน (หน่วย)", "นำผลไปใช้",
                   "มูลค่าทางเศรษฐกิจ (บาท)"]:
        assert header in unit
    assert "การลงทุนเพิ่ม (บาท)" in unit  # seed 000 counts the extra investment in the economic value
    # 17 participant columns, 20 outcome inputs, investment, นำผลไปใช้, 4 officer-typed results; then seed 002's own
    # sheet: ชื่อกลุ่ม / เครือข่าย, หน่วยงาน, สาขาส่ง, 2 typed baht, 3 more typed %, 3 more results, 4 ticks, สถานะ, หมายเหตุ
    assert len(unit) == 60


def test_provinces_list():
    text = (SCHEMA_DIR / "provinces.yaml").read_text(encoding="utf-8")
    assert text.count("- {value:") == 77
    choices = load_workbook_spec("reporting").tab("unit").column("province").choice_lookup()
    assert {choices[k] for k in ("กรุงเทพฯ", "กทม.", "bangkok")} == {"กรุงเทพมหานคร"}


@pytest.mark.parametrize("titles, expected", [
    (["ตั้งค่า", "หัวข้อสมรรถนะ", "ผู้สมัคร", "Sheet1"], "assessment"),
    (["หน่วยงาน", "กข.", "ศภ.1", "รวบรวมรายชื่อ"], "reporting"),
    (["ผู้สมัคร"], None),                    # topics missing: not enough to be sure
    (["Sheet1"], None),
])
def test_recognise_workbook(titles, expected):
    assert recognise_workbook(titles) == expected


VALID = """
workbook: demo
title: สมุดทดลอง
tabs:
  - key: people
    title: รายชื่อ
    keys: [email]
    columns:
      - {key: email, header: อีเมล, type: email, required: true}
      - {key: province, header: จังหวัด, type: province, choices_from: places}
    column_groups:
      - {key: item, header: ข้อ 1, pattern: '^ข้อ\\s*(?P<code>\\d+)', type: score}
  - key: settings
    title: ตั้งค่า
    columns:
      - {key: item, header: รายการ, type: text}
      - {key: value, header: ค่า, type: any}
    settings:
      - {key: start, name: วันเริ่ม, type: date, default: 1/10/2567}
"""


def write(tmp_path: Path, text: str, name: str = "demo") -> Path:
    (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "places.yaml").write_text("choices: [กรุงเทพมหานคร, {value: เชียงใหม่, aliases: [Chiang Mai]}]\n",
                                          encoding="utf-8")
    return tmp_path


def test_a_valid_file_in_another_folder(tmp_path):
    spec = load_workbook_spec("demo", write(tmp_path, VALID))
    assert spec.tab("people").column("province").choices[1].aliases == ("Chiang Mai",)
    assert spec.tab("settings").setting("start").default == date(2024, 10, 1)
    assert spec.tab("people").column("province").owner == "officer"
    assert available_workbooks(tmp_path) == ["demo"]


@pytest.mark.parametrize("change, where, what", [
    (("type: email, required: true", "type: e-mail, required: true"), "tabs.people.columns.email.type", "unknown type"),
    (("required: true}", "requried: true}"), "tabs.people.columns[0].requried", "unknown key"),
    (("required: true}", "required: yes please}"), "tabs.people.columns.email.required", "true or false"),
    (("(?P<code>\\d+)", "(\\d+)"), "tabs.people.column_groups.item.pattern", "named group"),
    (("(?P<code>\\d+)", "(?P<code>\\d+"), "tabs.people.column_groups.item.pattern", "not a regular expression"),
    (("choices_from: places", "choices_from: planets"), "choices_from", "no list"),
    (("type: province, choices_from: places", "type: province"), "tabs.people.columns.province", "needs choices"),
    (("default: 1/10/2567", "default: 31/02/2567"), "tabs.settings.settings.start.default", "no such calendar date"),
    (("header: จังหวัด", "header: ' อีเมล'"), "tabs.people.columns.province", "header ' อีเมล' used twice"),
    (("key: settings", "key: people"), "tabs.people", "tab key used twice"),
    (("workbook: demo", "workbook: other"), "workbook", "file's name"),
    (("keys: [email]", "keys: [mail]"), "tabs.people.keys", "no column 'mail'"),
    (("key: email, header", "key: Email, header"), "tabs.people.columns[0].key", "snake_case"),
    (("    title: รายชื่อ\n", ""), "tabs.people", "exactly one of title and title_from"),
    (("type: score}", "type: score, min: 0, max: -1}"), "tabs.people.column_groups.item.min", "must not exceed max"),
    (("type: any}", "type: any, min: 0}"), "tabs.settings.columns.value", "only for numeric"),
    (("{key: value, header: ค่า, type: any}", "{key: amount, header: ค่า, type: any}"), "tabs.settings.columns",
     "needs columns `item`"),
])
def test_malformed_files_fail_with_one_line_naming_file_and_key(tmp_path, change, where, what):
    old, new = change
    assert old in VALID
    folder = write(tmp_path, VALID.replace(old, new, 1), name="demo")
    with pytest.raises(SchemaError) as caught:
        load_workbook_spec("demo", folder)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path.name}/demo.yaml: {where}")
    assert what in message


def test_not_yaml_and_not_a_mapping(tmp_path):
    (tmp_path / "broken.yaml").write_text("tabs: [\n", encoding="utf-8")
    (tmp_path / "listy.yaml").write_text("- a\n", encoding="utf-8")
    for name in ("broken", "listy"):
        with pytest.raises(SchemaError, match=rf"^{tmp_path.name}/{name}\.yaml: ") as caught:
            load_workbook_spec(name, tmp_path)
        assert "\n" not in str(caught.value)


def test_unknown_workbook_names_the_available_ones():
    expected = r"sheets_schema/nope\.yaml: no such workbook layout \(available: assessment, reporting\)"
    with pytest.raises(SchemaError, match=expected):
        load_workbook_spec("nope")
