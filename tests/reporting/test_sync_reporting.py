"""Workflow B end to end on a local .xlsx and on Google over the fake server: every figure worked out by hand."""
from __future__ import annotations

import openpyxl
import openpyxl.styles
import pytest

from app.sheets.cell_dates import kept_serial
from app.sync.problem_tab import PROBLEMS_TITLE
from tests import reporting_book as book
from tests.backends import make_backend
from tests.seed_quotes import seed_says

CONSOLIDATED, OUTPUT, BY_CLUSTER, BY_PROVINCE, LEVELS = (
    "รวบรวมรายชื่อ", "สรุปผลผลิต", "สรุปตามคลัสเตอร์", "สรุปตามจังหวัด", "ระดับความสำเร็จคลัสเตอร์")
SERVICE_TABS = (CONSOLIDATED, OUTPUT, BY_CLUSTER, BY_PROVINCE, LEVELS, PROBLEMS_TITLE)
SUMMARY_HEADER = ["ผู้เข้าร่วม (คน)", "วิสาหกิจ (ราย)", "พึงพอใจ ≥ 80 (ร้อยละ)", "พึงพอใจ: ไม่มีข้อมูล (ราย)",
                  "ประสิทธิภาพเพิ่มขึ้น ≥ 10 (ร้อยละ)", "ประสิทธิภาพ: ไม่มีข้อมูล (ราย)", "มูลค่าทางเศรษฐกิจ (บาท)",
                  "นำผลไปใช้ (ร้อยละ)", "นำผลไปใช้: ไม่มีข้อมูล (ราย)",
                  # seed 002 Part 2's own results (empty here: the appendix layout has none of them)
                  "ความรู้เพิ่มขึ้นเฉลี่ย (ร้อยละ)", "นำความรู้ไปใช้ได้เฉลี่ย (ร้อยละ)", "จัดตั้งธุรกิจ/ขยายการลงทุนเฉลี่ย (ร้อยละ)",
                  "ให้บริการได้ (ราย)", "เกิดการจับคู่ธุรกิจ (ราย)", "มีแผนธุรกิจ (ราย)", "พร้อมขอมาตรฐาน (ราย)"]


@pytest.fixture(params=["xlsx", "google"])
def backend(request, tmp_path):
    fake = request.getfixturevalue("fake_google") if request.param == "google" else None
    return make_backend(request.param, book.TABS, tmp_path, fake, workflow="reporting")


def padded(rows: list[list], width: int) -> list[list]:
    return [list(r) + [None] * (width - len(r)) for r in rows]


def records(backend, tab: str) -> dict[tuple, dict]:
    """A consolidated row by (unit, source row): header → value."""
    grid = backend.read(tab)
    return {(r[0], r[1]): dict(zip(grid[0], r)) for r in padded(grid[1:], len(grid[0]))}


def test_consolidated_rows_carry_unit_source_row_and_the_seed_formulas(backend):
    outcome = backend.run("reporting")
    assert outcome.status == "ok" and outcome.counts["rows_read"] == 9
    rows = records(backend, CONSOLIDATED)
    assert list(rows) == [("กข.", r) for r in range(2, 8)] + [("ศภ.1", r) for r in range(2, 5)]
    a, b, c = rows[("กข.", 2)], rows[("กข.", 3)], rows[("กข.", 4)]
    assert (a["ของเสียลดลง (ร้อยละ)"], a["ของเสียลดลง (บาท/ปี)"]) == (60, 36_000)
    assert (a["ต้นทุนลดลง (ร้อยละ)"], a["ต้นทุนลดลง (บาท/ปี)"]) == (10, 120_000)
    assert (a["ยอดขายเพิ่มขึ้น (ร้อยละ)"], a["ยอดขายเพิ่มขึ้น (บาท/ปี)"]) == (25, 600_000)
    assert a["ความพึงพอใจ (ร้อยละ)"] == 91.11 and a["มูลค่าทางเศรษฐกิจ (บาท)"] == 756_000
    assert a["ประสิทธิภาพเพิ่มขึ้นเฉลี่ย (ร้อยละ)"] == 31.67 and a["ขนาดวิสาหกิจ"] == "ขนาดย่อม (small)"
    assert (b["มูลค่าผลิตภัณฑ์เพิ่มขึ้น (ร้อยละ)"], b["มูลค่าผลิตภัณฑ์เพิ่มขึ้น (บาท/ปี)"]) == (5, 30_000)
    assert (b["รายได้เพิ่มขึ้น (ร้อยละ)"], b["รายได้เพิ่มขึ้น (บาท/ปี)"], b["มูลค่าทางเศรษฐกิจ (บาท)"]) == (10, 36_000, 66_000)
    parts = "มูลค่าทางเศรษฐกิจ: ส่วนที่รวม"
    assert (a[parts], b[parts], c[parts]) == ("ของเสีย + ต้นทุน + ยอดขาย", "รายได้ + มูลค่าผลิตภัณฑ์ (5.1 ราคาขาย)",
                                             "มูลค่าผลิตภัณฑ์ (5.2 ต้นทุนต่อหน่วย)")
    assert (c["มูลค่าผลิตภัณฑ์เพิ่มขึ้น (ร้อยละ)"], c["มูลค่าผลิตภัณฑ์เพิ่มขึ้น (บาท/ปี)"]) == (10, 20_000)
    assert c["คาร์บอนฟุตพริ้นท์ลดลง (ร้อยละ)"] == 25 and c["จำนวนผลิตใน 12 เดือน (หน่วย)"] == 10_000
    d = rows[("กข.", 5)]
    assert d["ต้นทุนลดลง (ร้อยละ)"] in (None, "") and d["ต้นทุนลดลง (บาท/ปี)"] in (None, "")
    assert d["มูลค่าทางเศรษฐกิจ (บาท)"] in (None, "") and d["ยอดขายเพิ่มขึ้น (ร้อยละ)"] in (None, "")
    assert rows[("กข.", 6)]["ตรวจสอบตัวเลข"] == "ต้นทุนลดลง (ร้อยละ): กรอก 35 คำนวณได้ 10"
    assert a["วันที่เริ่มกิจกรรม"] == kept_serial("01/03/2569") and a["เลขบัตรประจำตัวประชาชน"] == book.P[1]


def test_repeats_are_marked_with_the_row_they_repeat(backend):
    backend.run("reporting")
    rows = records(backend, CONSOLIDATED)
    marks = {key: r["ตรวจสอบการนับซ้ำ"] for key, r in rows.items() if r["ตรวจสอบการนับซ้ำ"]}
    assert set(marks) == {("กข.", 7), ("ศภ.1", 2), ("ศภ.1", 3)}
    assert marks[("กข.", 7)].startswith("ซ้ำกับ กข. แถว 2") and "same person" in marks[("กข.", 7)]
    assert marks[("ศภ.1", 2)].startswith("ซ้ำกับ กข. แถว 2")
    assert marks[("ศภ.1", 3)].startswith("ซ้ำกับ กข. แถว 3") and "same enterprise" in marks[("ศภ.1", 3)]


def test_output_summary_counts_repeats_once_and_shows_the_targets(backend):
    """Seed 002: "ความพึงพอใจ ร้อยละ ๘๐ ของผู้รับบริการมีความพึงพอใจไม่น้อยกว่า ร้อยละ ๘๐" — a share of ALL the
    recipients: one without the data counts as not meeting it, and how many had none is shown beside it."""
    seed_says("002", "ความพึงพอใจ ร้อยละ ๘๐ ของผู้รับบริการมีความพึงพอใจไม่น้อยกว่า ร้อยละ ๘๐")
    backend.run("reporting")
    grid = backend.read(OUTPUT)
    assert grid[0] == ["หน่วยงาน"] + SUMMARY_HEADER
    # กข.: people 1, 2, 3, 6, 7 (row 7 repeats row 2); satisfied: person 1 of the 5 (3 without data);
    # efficient: enterprises 1, 3, 7 of 1, 2, 3, 6, 7 (6 without data); economic 756,000 + 66,000 + 20,000 +
    # 120,000; applied: 1 and 3 of the 5 (6 and 7 without data).
    assert grid[1] == ["กข.", 5, 5, 20, 3, 60, 1, 962_000, 40, 2]
    # ศภ.1: people 4, 5 (row 2 repeats กข. row 2); enterprise 5 only (row 3 repeats กข.'s enterprise 2).
    assert grid[2] == ["ศภ.1", 2, 1, 50, 1, 100, 0, 228_000, 100, 0]
    assert grid[3] == ["ศภ.9", 0, 0, None, 0, None, 0, None, None, 0]  # listed, tab missing
    # total: people 1, 2, 3, 6, 7, 4, 5 — satisfied 1 and 4; enterprises 1, 2, 3, 6, 7, 5 — efficient 1, 3, 7, 5
    assert grid[4] == ["รวม (total)", 7, 6, 28.57, 4, 66.67, 1, 1_190_000, 50, 2]
    assert grid[5] == [] and "โครงการพัฒนาการรวมกลุ่ม" in grid[6][0]
    assert grid[7] == ["ตัวชี้วัด", "เป้าหมาย", "ผลงาน", "บรรลุ", "วิธีนับ", "หมายเหตุ"]
    assert grid[8][4].startswith("คลัสเตอร์ที่มีผลงานน้อยที่สุด (") and "ต้องไม่น้อยกว่า 20" in grid[8][4]
    assert [r[1:4] for r in grid[8:]] == [[20, 1, "ไม่บรรลุ (not met)"], [80, 28.57, "ไม่บรรลุ (not met)"],
                                          [80, 66.67, "ไม่บรรลุ (not met)"], [270, 5, "บรรลุ (met)"]]  # 1/3–5/3/2569
    assert [padded([r], 6)[0][5] for r in grid[8:]] == [None, "ไม่มีข้อมูล 4 ราย", "ไม่มีข้อมูล 1 ราย", None]
    assert grid[11][4].startswith("จำนวนวันจากวันเริ่มกิจกรรมแรกถึงวันสิ้นสุดกิจกรรมสุดท้าย") and "ต้องไม่เกิน 270" in grid[11][4]


def test_cluster_and_province_summaries(backend):
    backend.run("reporting")
    clusters = {r[0]: r[1:] for r in backend.read(BY_CLUSTER)[1:]}
    assert list(clusters) == ["Sport Economy", "เทคโนโลยีเพื่อการเกษตร", "BCG Fashion Lifestyle", "ผ้าไทย",
                              "ไม้ดอกไม้ประดับ", "Health Retreatment", "ปลากัด", "อาหารแปรรูป", "ไม่ระบุ (not given)",
                              "รวม (total)"]
    assert clusters["ผ้าไทย"] == [2, 2, 50, 1, 100, 0, 984_000, 100, 0]  # person 5 has no satisfaction data
    assert clusters["Sport Economy"] == [2, 1, 50, 0, 0, 0, 66_000, 0, 0]
    assert clusters["ปลากัด"] == [1, 1, 0, 1, 100, 0, 20_000, 100, 0]  # its one person has no data: 0 %, not blank
    assert clusters["BCG Fashion Lifestyle"] == [0, 0, None, 0, None, 0, None, None, 0]
    provinces = {r[0]: r[1:3] for r in backend.read(BY_PROVINCE)[1:]}
    # เชียงใหม่: กข. rows 2, 5, 6 and ศภ.1 rows 3, 4 — people 1, 6, 7, 4, 5; enterprises 1, 6, 7, 5 (ศภ.1 row 3
    # repeats enterprise 2, which กข. reported in กรุงเทพฯ).
    assert provinces == {"กรุงเทพมหานคร": [1, 1], "ขอนแก่น": [1, 1], "เชียงใหม่": [5, 4], "รวม (total)": [7, 6]}


def test_cluster_levels(backend):
    backend.run("reporting")
    levels = {r[0]: r[1:] for r in backend.read(LEVELS)[1:]}
    # an ordinary cluster: its level and what the next needs, no year target (seed 002 gives them to Super Clusters)
    assert levels["ผ้าไทย"] == ["ทั่วไป", 2, 3, None, "ไม่กำหนดเป้าหมาย (no target set)",
                               "ระดับ 4 ขาด (missing): L4 เชื่อมโยงผู้มีส่วนได้ส่วนเสีย"]
    assert levels["ปลากัด"][:5] == ["Super Cluster", 1, 2, 2, "บรรลุ (met)"]
    assert levels["ปลากัด"][5].startswith("ระดับ 3 ขาด") and "70 (ได้ 0)" in levels["ปลากัด"][5]
    assert levels["Sport Economy"] == ["Super Cluster", 3, 1, 5, "ไม่บรรลุ (not met)",
                                       "ระดับ 2 ขาด (missing): L2 คณะทำงานนวัตกรรม"]


def test_data_problems_are_listed_and_everything_else_goes_on(backend):
    outcome = backend.run("reporting")
    found = {(r[0], r[1], r[2], r[3] or "") for r in backend.read(PROBLEMS_TITLE)[1:]}
    assert found == {("หน่วยงาน", 4, "แท็บ", "ศภ.9"),
                     ("กข.", 5, "ต้นทุนการผลิตก่อน (บาท/เดือน)", "0"),
                     ("กข.", 6, "ยอดขายหลัง (บาท/เดือน)", "20,000"),
                     ("กข.", 6, "ต้นทุนลดลง (ร้อยละ)", "35"),
                     ("ศภ.1", 4, "ยอดขายหลัง (บาท/เดือน)", "20,000"),
                     ("ศภ.1", 4, "วันที่สิ้นสุดกิจกรรม", "01/02/2569")}
    assert outcome.counts["problems"] == 6


def test_second_run_writes_nothing_and_officer_tabs_stay(backend):
    before = {tab: backend.read(tab) for tab in book.TABS}
    backend.run("reporting")
    first = {tab: backend.read(tab) for tab in SERVICE_TABS}
    again = backend.run("reporting")
    assert again.counts["cells_written"] == 0 and again.writes == []
    assert {tab: backend.read(tab) for tab in SERVICE_TABS} == first
    assert {tab: backend.read(tab) for tab in book.TABS} == before


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_inserted_blank_and_sorted_rows_change_no_summary(kind, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    original = make_backend(kind, book.TABS, tmp_path / "original", fake, workflow="reporting")
    resorted = dict(book.TABS, **{"กข.": book.grid([book.ROW_E, {}, book.ROW_D, book.ROW_C, book.ROW_B, book.ROW_A,
                                                    book.ROW_A_AGAIN])})
    shuffled = make_backend(kind, resorted, tmp_path / "shuffled", fake, workflow="reporting")
    original.run("reporting")
    shuffled.run("reporting")
    for tab in (OUTPUT, BY_CLUSTER, BY_PROVINCE, LEVELS):
        assert shuffled.read(tab) == original.read(tab)
    marks = {key: r["ตรวจสอบการนับซ้ำ"] for key, r in records(shuffled, CONSOLIDATED).items() if r["ตรวจสอบการนับซ้ำ"]}
    assert marks[("กข.", 8)].startswith("ซ้ำกับ กข. แถว 7") and marks[("ศภ.1", 2)].startswith("ซ้ำกับ กข. แถว 7")


def test_service_tabs_look(fake_google, tmp_path):
    backend = make_backend("google", book.TABS, tmp_path, fake_google, workflow="reporting")
    backend.run("reporting")
    props = fake_google.sheet_properties(backend.spreadsheet_id, OUTPUT)
    assert props["gridProperties"]["frozenRowCount"] == 1
    assert [p["warningOnly"] for p in props["protectedRanges"]] == [True]
    colours = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in props["conditionalFormats"]]
    assert colours == ["บรรลุ", "ไม่บรรลุ"]


def test_thai_number_formats_on_the_local_workbook(tmp_path):
    import openpyxl

    backend = make_backend("xlsx", book.TABS, tmp_path, workflow="reporting")
    backend.run("reporting")
    sheet = openpyxl.load_workbook(backend.path)[OUTPUT]
    assert [sheet.cell(row=2, column=c).number_format for c in range(2, 11)] == [
        "#,##0", "#,##0", "#,##0.00", "#,##0", "#,##0.00", "#,##0", "#,##0", "#,##0.00", "#,##0"]
    assert sheet.freeze_panes == "A2"


def test_the_targets_table_shows_decimals_only_where_a_figure_has_them(tmp_path):
    """One targets table holds people, days and percentages: 20 people and 270 days show whole, 28.57 % with its
    decimals (the unit table above keeps its per-column formats)."""
    import openpyxl

    backend = make_backend("xlsx", book.TABS, tmp_path, workflow="reporting")
    backend.run("reporting")
    sheet = openpyxl.load_workbook(backend.path)[OUTPUT]
    shown = {row[0].value: [(c.value, c.number_format) for c in row[1:3]] for row in sheet.iter_rows(min_row=9)}
    assert shown["วิสาหกิจที่ได้รับการพัฒนา กลุ่มละ (ราย)"] == [(20, "#,##0"), (1, "#,##0")]
    assert shown["ผู้รับบริการที่พึงพอใจไม่น้อยกว่าร้อยละ 80 (ร้อยละของผู้รับบริการ)"] == [(80, "#,##0"), (28.57, "#,##0.00")]
    assert shown["ระยะเวลาดำเนินงานทั้งหมด (วัน)"] == [(270, "#,##0"), (5, "#,##0")]
    assert sheet.cell(row=5, column=4).number_format == "#,##0.00"  # the total row's share, above the table


def test_one_read_and_one_write_per_run_on_google(fake_google, tmp_path):
    backend = make_backend("google", book.TABS, tmp_path, fake_google, workflow="reporting")
    backend.run("reporting")
    first = {k: v for k, v in fake_google.request_counts.items() if k.startswith("sheets.")}
    assert sum(first.values()) <= 3 + 1 and first["sheets.spreadsheets.values.batchGet"] == 1  # + the notes read
    assert first["sheets.spreadsheets.get"] <= 2
    before = dict(fake_google.request_counts)
    backend.run("reporting")
    second = {k: v - before.get(k, 0) for k, v in fake_google.request_counts.items() if k.startswith("sheets.")}
    assert sum(second.values()) <= 3 and not second.get("sheets.spreadsheets.values.batchUpdate")
    assert second["sheets.spreadsheets.get"] == 1  # no problem moved: the notes are not read again


def test_the_run_keeps_a_summary_for_the_reporting_page(tmp_path):
    backend = make_backend("xlsx", book.TABS, tmp_path, workflow="reporting")
    backend.run("reporting")
    [run] = backend.services.store.runs("reporting", with_summary=True)
    summary = run.summary  # app/web/summaries.py contract
    assert summary["program"].startswith("โครงการพัฒนาการรวมกลุ่ม")
    assert summary["units"][0] == {"name": "กข.", "participants": 5, "enterprises": 5, "satisfied_share": 20,
                                   "gain_share": 60, "economic_value": 962_000, "applied_share": 40,
                                   "satisfied_share_no_data": 3, "gain_share_no_data": 1, "applied_share_no_data": 2,
                                   **dict.fromkeys(["knowledge_gained", "knowledge_applied", "investment",
                                                    "service_capable", "business_matching", "business_plan",
                                                    "standards_ready"])}
    assert summary["units"][2]["satisfied_share"] is None and [u["name"] for u in summary["units"]][-1] == "ศภ.9"
    assert [c["name"] for c in summary["clusters"]][:2] == ["Sport Economy", "เทคโนโลยีเพื่อการเกษตร"]
    assert [t["met"] for t in summary["targets"]] == [False, False, False, True]
    assert [t.get("note") for t in summary["targets"]] == [None, "ไม่มีข้อมูล 4 ราย", "ไม่มีข้อมูล 1 ราย", None]


def bold_rows(backend, fake, tab: str) -> set[int]:
    if backend.kind == "xlsx":
        sheet = openpyxl.load_workbook(backend.path)[tab]
        return {row[0].row for row in sheet.iter_rows() if row[0].font.b}
    formats = fake.sheet_properties(backend.spreadsheet_id, tab)["formats"]
    return {int(a1[1:]) for a1, fmt in formats.items() if a1[0] == "A" and a1[1:].isdigit()
            and fmt.get("textFormat", {}).get("bold")}


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_total_rows_and_the_targets_header_are_bold_and_nothing_else(kind, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    backend = make_backend(kind, book.TABS, tmp_path, fake, workflow="reporting")
    backend.run("reporting")
    for tab in (OUTPUT, BY_CLUSTER, BY_PROVINCE):
        grid = backend.read(tab)
        total = next(i for i, row in enumerate(grid, start=1) if row and row[0] == "รวม (total)")
        bold = bold_rows(backend, fake, tab)
        assert 1 in bold and total in bold and not bold & set(range(2, total)), tab
    if kind == "xlsx":  # a total row that moved (an older layout) loses its bold on the next write
        sheet_book = openpyxl.load_workbook(backend.path)
        sheet_book[BY_CLUSTER]["A2"].font = openpyxl.styles.Font(bold=True)
        sheet_book[BY_CLUSTER]["B2"].value = 999
        sheet_book.save(backend.path)
        backend.run("reporting")
        assert 2 not in bold_rows(backend, fake, BY_CLUSTER)


def test_a_blank_satisfaction_item_is_a_line_naming_the_item(tmp_path):
    """Seed 002: "ความพึงพอใจรายบุคคล = ... ผลรวมคะแนนความพึงพอใจของผู้รับบริการ (๙ ข้อ)": all nine items, or the row's
    satisfaction is not computed — said in the problems tab, and the person counts as without data."""
    seed_says("002", "ผลรวมคะแนนความพึงพอใจของผู้รับบริการ (๙ ข้อ)")
    partly = dict(book.ROW_A, **{"ความพึงพอใจ ข้อ 9": None})
    tabs = dict(book.TABS, **{"กข.": book.grid([partly, book.ROW_B, book.ROW_C, book.ROW_D, book.ROW_E])})
    backend = make_backend("xlsx", tabs, tmp_path, workflow="reporting")
    backend.run("reporting")
    lines = [r for r in backend.read(PROBLEMS_TITLE)[1:] if r[2] and r[2].startswith("ความพึงพอใจ")]
    assert [r[:4] for r in lines] == [["กข.", 2, "ความพึงพอใจ ข้อ 9", None]]
    assert "item not answered" in lines[0][4]
    assert records(backend, CONSOLIDATED)[("กข.", 2)]["ความพึงพอใจ (ร้อยละ)"] in (None, "")
    assert backend.read(OUTPUT)[1][3:5] == [0, 4]  # nobody of the five is satisfied; four have no data
