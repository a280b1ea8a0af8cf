"""The foundation's one real workflow end to end: satisfaction figures into ภาพรวมการประเมิน, on both backends."""
from __future__ import annotations

import re

import pytest

from app.sheets.cell_dates import kept_serial
from app.sync.problem_tab import PROBLEMS_TITLE
from app.sync.engine import WorkflowStopped
from tests.backends import make_backend

OVERVIEW, RESPONDENTS = "ภาพรวมการประเมิน", "ความพึงพอใจรายบุคคล"
SATISFACTION = [
    ["ประทับเวลา", "ข้อ 1", "ข้อ 2", "ข้อ 3", "ความเห็น"],
    [45600.5, 5, 5, 5, "ดีมาก"],               # 15/15 → 100
    ["15/02/2567 10:30", 4, 4, 4],             # 12/15 → 80, exactly the satisfied line
    [45601, "๓", 3, "3"],                      # Thai digit, text digit: 9/15 → 60
    [45602, 7, 5, 5],                          # row 5: out of range → left out
    [45603, "ดีมาก", 5, 5],                    # row 6: not a number → left out
    [45604, 5, None, 5],                       # row 7: item not answered → left out
    [45605, "=1+1", 5, 5],                     # row 8: formula-looking text → left out, reported as text
]
TABS = {"หัวข้อสมรรถนะ": [["รหัส", "หัวข้อสมรรถนะ", "น้ำหนัก (ร้อยละ)"], ["C1", "ความรู้", 100]],
        "ผู้สมัคร": [["เลขที่ใบสมัคร"]], "ความพึงพอใจ": SATISFACTION}


@pytest.fixture(params=["xlsx", "google"])
def backend(request, tmp_path):
    fake = request.getfixturevalue("fake_google") if request.param == "google" else None
    return make_backend(request.param, TABS, tmp_path, fake)


def test_figures_follow_the_formula(backend):
    outcome = backend.run()
    assert outcome.status == "ok" and outcome.counts["rows_read"] == 7
    overview = backend.read(OVERVIEW)
    assert overview[0] == ["รายการ", "ค่า", "เกณฑ์", "ผลเทียบเกณฑ์"]
    assert overview[1][:2] == ["ผู้ตอบแบบประเมินความพึงพอใจที่นับได้ (ฉบับ)", 3]
    assert overview[2][1] == 4
    assert overview[3] == ["ความพึงพอใจเฉลี่ย (ร้อยละ)", 80, "≥ 85", "ไม่ผ่านเกณฑ์ (not met)"]
    assert overview[4][1] == pytest.approx(66.67)
    assert len(overview) == 5  # the dashboard keeps the totals; each respondent has a line in its own tab
    listed = backend.read(RESPONDENTS)
    assert listed[0] == ["แถวในแท็บความพึงพอใจ", "ตอบเมื่อ", "ความพึงพอใจ (ร้อยละ)", "เกณฑ์", "ผลเทียบเกณฑ์"]
    respondents = {row[0]: row[2:] for row in listed[1:]}
    assert respondents == {2: [100, "≥ 80", "ผ่านเกณฑ์ (met)"], 3: [80, "≥ 80", "ผ่านเกณฑ์ (met)"],
                           4: [60, "≥ 80", "ไม่ผ่านเกณฑ์ (not met)"]}


def test_bad_rows_are_listed_and_formula_text_stays_text(backend):
    backend.run()
    errors = backend.read(PROBLEMS_TITLE)
    assert errors[0] == ["แท็บ", "แถว", "คอลัมน์", "ค่า", "ปัญหา", "ระดับ", "วิธีแก้", "ไปที่เซลล์", "พบครั้งแรก"]
    found = {(row[1], row[2], row[3] or "") for row in errors[1:]}
    assert found == {(5, "ข้อ 1", "7"), (6, "ข้อ 1", "ดีมาก"), (7, "ข้อ 2", ""), (8, "ข้อ 1", "=1+1")}
    assert all(row[0] == "ความพึงพอใจ" and "(" in row[4] and row[8] == pytest.approx(kept_serial("21/11/2569 10:00"), abs=1e-6)
               and row[5] in ("ต้องแก้", "ตรวจสอบ", "หมายเหตุ") and row[6] and re.search(rf"ความพึงพอใจ![A-Z]+{row[1]}\b", row[7])
               for row in errors[1:])


def test_second_run_changes_nothing_and_officer_tabs_are_untouched(backend):
    before = {tab: backend.read(tab) for tab in TABS}
    backend.run()
    first = {tab: backend.read(tab) for tab in (OVERVIEW, PROBLEMS_TITLE)}
    again = backend.run()
    assert again.counts["cells_written"] == 0 and again.writes == []
    assert {tab: backend.read(tab) for tab in (OVERVIEW, PROBLEMS_TITLE)} == first
    assert {tab: backend.read(tab) for tab in TABS} == before


def test_an_officer_fix_changes_only_the_affected_cells(backend):
    backend.run()
    backend.edit("ความพึงพอใจ", 5, 2, 5)  # row 5's out-of-range 7 corrected to 5: 15/15 → 100
    outcome = backend.run()
    assert {w.tab for w in outcome.writes} == {OVERVIEW, RESPONDENTS, PROBLEMS_TITLE}
    assert all(w.row > 1 for w in outcome.writes)  # headers and other untouched rows are not sent again
    assert [w.row for w in outcome.writes if w.tab == OVERVIEW][0] == 2
    assert backend.read(OVERVIEW)[1][1] == 4 and backend.read(OVERVIEW)[3][1] == 85
    assert (5, "ข้อ 1", "7") not in {(r[1], r[2], r[3]) for r in backend.read(PROBLEMS_TITLE)[1:]}


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_missing_required_header_stops_with_one_line(kind, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    broken = make_backend(kind, dict(TABS, **{"ความพึงพอใจ": [["ประทับเวลา", "คะแนน"], [45600, 5]]}), tmp_path, fake)
    with pytest.raises(WorkflowStopped) as stopped:
        broken.run()
    line = str(stopped.value)
    assert "\n" not in line and "ความพึงพอใจ" in line and "ข้อ 1" in line and "sheets_schema/assessment.yaml" in line
    assert broken.services.store.last_run("assessment").status == "failed"
    assert broken.read(PROBLEMS_TITLE)[1][4] == line  # the officer sees it in the sheet too


def test_run_record_keeps_problem_links_to_the_exact_cell(backend):
    outcome = backend.run()
    store = backend.services.store
    problems, links = store.problems(outcome.run_id), store.problem_links(outcome.run_id)
    where = {(p.row, p.column): link for p, link in zip(problems, links)}
    if backend.kind == "google":
        assert where[(5, "ข้อ 1")].startswith(f"https://docs.google.com/spreadsheets/d/{backend.spreadsheet_id}/edit#gid=")
        assert where[(5, "ข้อ 1")].endswith("&range=B5")
    else:
        assert where[(5, "ข้อ 1")] == "assessment.xlsx › ความพึงพอใจ!B5"
