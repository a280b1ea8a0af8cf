"""Seed 002's own reporting sheet synced as the officers keep it, on a local .xlsx and on Google (fake server).

Seed 002, ภาคผนวก "แบบฟอร์มการรายงานผล (Google Sheet)": tabs "สรุปโครงการ รวบรวมรายชื่อ Tris ศก.1 ศก.2 … ตัวเลือก",
headers in row 3 under the group labels of row 2, a section row naming the activity, Part 2's officer-typed results.
"""
from __future__ import annotations

import openpyxl
import pytest

from app.sync.problem_tab import PROBLEMS_TITLE
from tests import seed_reporting_book as book
from tests.backends import make_backend
from tests.fake_google import Formula

OURS = {title: f"{title} (ระบบ)" for title in ("รวบรวมรายชื่อ", "สรุปผลผลิต")}
OFFICER_TABS = ["สรุปโครงการ", "รวบรวมรายชื่อ", "Tris", "ศก.1", "ศก.2", "สรุปผลผลิต", "รวมชื่อผลผลิตทุกหน่วย", "ตัวเลือก"]


def officer_tabs(kind: str) -> dict[str, list[list]]:
    """The seed's tabs; on Google the officers' formulas are formulas (on .xlsx they are set after creation)."""
    tabs = {title: [list(row) for row in grid] for title, grid in book.TABS.items()}
    if kind == "google":
        for tab, row, col in book.OFFICER_FORMULAS:
            tabs[tab][row - 1][col - 1] = Formula(tabs[tab][row - 1][col - 1])
    return tabs


def with_formulas(path) -> None:
    workbook = openpyxl.load_workbook(path)
    for tab, row, col in book.OFFICER_FORMULAS:
        cell = workbook[tab].cell(row=row, column=col)
        cell.value, cell.data_type = cell.value, "f"
    workbook.save(path)


def cells_as_stored(backend, tab: str) -> list[list]:
    """A tab's cells as stored, formulas as formulas."""
    if backend.kind == "google":
        return backend.read(tab)
    sheet = openpyxl.load_workbook(backend.path)[tab]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(params=["xlsx", "google"])
def backend(request, tmp_path):
    fake = request.getfixturevalue("fake_google") if request.param == "google" else None
    made = make_backend(request.param, officer_tabs(request.param), tmp_path, fake, workflow="reporting")
    if made.kind == "xlsx":
        with_formulas(made.path)
    return made


def rows_of(backend, tab: str) -> list[dict]:
    grid = backend.read(tab)
    return [dict(zip(grid[0], list(row) + [None] * (len(grid[0]) - len(row)))) for row in grid[1:]]


def test_the_seed_sheet_syncs_without_a_missing_header_and_leaves_every_officer_tab_as_it_was(backend):
    before = {tab: cells_as_stored(backend, tab) for tab in OFFICER_TABS}
    outcome = backend.run("reporting")
    assert outcome.status == "ok" and outcome.counts["rows_read"] == 5
    assert not [p for p in outcome.problems if "ไม่พบหัวคอลัมน์" in p.problem]
    assert {tab: cells_as_stored(backend, tab) for tab in OFFICER_TABS} == before  # formulas included
    assert isinstance(cells_as_stored(backend, "รวบรวมรายชื่อ")[0][0], str)
    assert cells_as_stored(backend, "รวบรวมรายชื่อ")[0][0].startswith("=QUERY(")
    problems = backend.read(PROBLEMS_TITLE)
    said = [r for r in problems[1:] if r[0] in OURS]
    assert [(r[0], r[1]) for r in said] == [("รวบรวมรายชื่อ", None), ("สรุปผลผลิต", None)]
    assert "รวบรวมรายชื่อ (ระบบ)" in said[0][4]


def test_the_service_tabs_hold_unique_people_enterprises_economic_value_and_satisfaction(backend):
    backend.run("reporting")
    summary = backend.read(OURS["สรุปผลผลิต"])
    header, *rows = summary
    by_unit = {row[0]: dict(zip(header, row)) for row in rows if row and row[0] in ("ศก.1", "ศก.2", "รวม (total)")}
    total = by_unit["รวม (total)"]
    # people 1, 2, 3, 4; enterprises T1, the factory, T4; 1,250,000 + 240,000 + 100,000; satisfied: people 1 and 4
    assert (total["ผู้เข้าร่วม (คน)"], total["วิสาหกิจ (ราย)"]) == (4, 3)
    assert total["มูลค่าทางเศรษฐกิจ (บาท)"] == 1_590_000 and total["พึงพอใจ ≥ 80 (ร้อยละ)"] == 50
    assert total["ความรู้เพิ่มขึ้นเฉลี่ย (ร้อยละ)"] == 70
    assert (total["ให้บริการได้ (ราย)"], total["เกิดการจับคู่ธุรกิจ (ราย)"], total["มีแผนธุรกิจ (ราย)"]) == (1, 1, 1)
    assert (by_unit["ศก.1"]["ผู้เข้าร่วม (คน)"], by_unit["ศก.2"]["ผู้เข้าร่วม (คน)"]) == (2, 2)


def test_rows_keep_their_sheet_numbers_and_say_where_each_figure_came_from(backend):
    backend.run("reporting")
    rows = {(r["หน่วยงาน"], r["แถวต้นทาง"]): r for r in rows_of(backend, OURS["รวบรวมรายชื่อ"])}
    assert list(rows) == [("ศก.1", 5), ("ศก.1", 6), ("ศก.2", 5), ("ศก.2", 6), ("ศก.2", 7)]
    first, factory = rows[("ศก.1", 5)], rows[("ศก.1", 6)]
    assert first["ความพึงพอใจ (ร้อยละ)"] == 91.11 and first["มูลค่าทางเศรษฐกิจ (บาท)"] == 1_250_000
    assert (first["ต้นทุนลดลง (บาท/ปี)"], first["ของเสียลดลง (บาท/ปี)"]) == (1_000_000, 250_000)
    assert first["ที่มาของตัวเลข"].startswith("กรอก (typed): ของเสียลดลง (ร้อยละ)")
    assert first["วันที่สิ้นสุดกิจกรรม"] == 45356 and first["จังหวัด"] == "เชียงใหม่"  # a date cell: 5 Mar 2024 (2567)
    assert first["อีเมล"] == "p1@example.com" and first["เกิดการจับคู่ธุรกิจ"] == "ใช่"
    assert factory["เลขประจำตัวผู้เสียภาษี"] == book.FACTORY and factory["มูลค่าทางเศรษฐกิจ (บาท)"] == 240_000
    assert rows[("ศก.2", 5)]["ตรวจสอบการนับซ้ำ"].startswith("ซ้ำกับ ศก.1 แถว 5")


def test_the_cluster_comes_from_the_group_name_else_is_not_given(backend):
    """Seed 002: "ข้อมูลส่วนรับกลุ่มและเครือข่าย … ชื่อกลุ่ม / เครือข่าย" — the sheet has no คลัสเตอร์ column."""
    backend.run("reporting")
    clusters = {row[0]: row for row in backend.read("สรุปตามคลัสเตอร์")[1:]}
    assert clusters["ผ้าไทย"][1] == 1  # กลุ่มคลัสเตอร์ผ้าไทย เชียงใหม่
    assert clusters["ไม่ระบุ (not given)"][1] == 3  # วิสาหกิจชุมชนบ้านดอน and the rows with no group


def test_a_second_run_changes_nothing_and_finds_its_own_tabs_by_their_mark(backend):
    backend.run("reporting")
    again = backend.run("reporting")
    assert again.counts["cells_changed"] == 0 and again.counts["tabs_created"] == 0


def test_the_section_row_is_one_note_in_the_run_log(backend):
    outcome = backend.run("reporting")
    log = [line.message for line in backend.services.store.logs(outcome.run_id)]
    assert sum("ข้ามแถวหัวข้อส่วน" in line for line in log) == 2  # one per unit tab, none per row
    assert not [p for p in outcome.problems if p.row == 4]
