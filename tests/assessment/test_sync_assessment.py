"""Workflow A end to end on a local .xlsx and on Google over the fake server: every decision as the spec's rules
say, the reference follow-up, the announcement, the overview, bad input as lines, and a quiet second run."""
from __future__ import annotations

import pytest

from app.sheets.cell_dates import kept_serial
from app.sync.problem_tab import PROBLEMS_TITLE
from app.sync.engine import WorkflowStopped
from tests.assessment_book import EXPECTED, assessment_backend, workbook
from tests.seed_quotes import seed_says


def be(text: str):
    """A พ.ศ. moment as the date cell the service writes (days since 1899-12-30)."""
    return pytest.approx(kept_serial(text), abs=1e-6)

SUMMARY, TRACKING = "สรุปผลการประเมิน", "ติดตามบุคคลอ้างอิง"
ANNOUNCEMENT, OVERVIEW = "ประกาศรายชื่อ", "ภาพรวมการประเมิน"
SERVICE_TABS = (SUMMARY, TRACKING, ANNOUNCEMENT, OVERVIEW, PROBLEMS_TITLE)


@pytest.fixture(params=["xlsx", "google"])
def backend(request, tmp_path):
    fake = request.getfixturevalue("fake_google") if request.param == "google" else None
    return assessment_backend(request.param, tmp_path, fake)


def records(backend, tab: str) -> list[dict]:
    grid = backend.read(tab)
    return [dict(zip(grid[0], row + [None] * (len(grid[0]) - len(row)))) for row in grid[1:]]


def by_number(backend) -> dict[str, dict]:
    return {r["เลขที่ใบสมัคร"]: r for r in records(backend, SUMMARY)}


def row_of(tab: str, test) -> int:
    """The sheet row of the first row of the test workbook's tab that passes `test`."""
    return next(i for i, row in enumerate(workbook()[tab], start=1) if test(row))


def test_every_decision_follows_the_spec(backend):
    outcome = backend.run()
    assert outcome.status == "ok"
    summary = by_number(backend)
    assert list(summary) == list(EXPECTED)
    for number, (qualification, decision, stage, p, f, insufficient) in EXPECTED.items():
        row = summary[number]
        assert row["คุณสมบัติพื้นฐาน"] == qualification, number
        assert (row["ผลการประเมิน"] or "").startswith(decision) and bool(row["ผลการประเมิน"]) == bool(decision), number
        assert row["ขั้นตอน"] == stage, number
        figures = [row["น้ำหนักผ่าน (ร้อยละ)"], row["น้ำหนักไม่ผ่าน (ร้อยละ)"], row["น้ำหนักข้อมูลไม่เพียงพอ (ร้อยละ)"]]
        assert [v if v is not None else "" for v in figures] == [p, f, insufficient], number


def test_each_decision_says_which_rule_fired(backend):
    backend.run()
    rules = {number: row["เกณฑ์ที่ใช้"] for number, row in by_number(backend).items()}
    assert rules["A-001"].startswith("คู่มือ: P ≥ 80 และ F ≤ 5 → ผ่านการประเมิน (P=80, F=0, ไม่เพียงพอ=20")
    assert rules["A-002"].startswith("คู่มือ: 70 ≤ P < 80 และ F ≤ 5")
    assert rules["A-003"].startswith("คู่มือ หลังสัมภาษณ์: P ≥ 80 และ F ≤ 5 → ผ่านการประเมิน (P=95")
    assert rules["A-004"].startswith("คู่มือ: F > 5 → ไม่ผ่านการประเมิน (P=90, F=10")
    assert rules["A-007"].startswith("ยังไม่ตัดสิน")
    summary = by_number(backend)
    assert summary["A-005"]["เหตุผลคุณสมบัติ"].count("(") == 2  # no i.industry number, I3C 3 years and a day old
    assert "เกิน 3 ปี" in summary["A-005"]["เหตุผลคุณสมบัติ"] and summary["A-006"]["เหตุผลคุณสมบัติ"] is None
    assert summary["A-009"]["[C1] ความรู้ในสาขา"] == "ผ่าน"  # references' mean exactly 3.5
    assert summary["A-009"]["[C6] จรรยาบรรณ"] == "ข้อมูลไม่เพียงพอ"  # document passes, references fail it
    assert summary["A-006"]["[C1] ความรู้ในสาขา"] == "ผ่าน"  # the later answer (4s) counts, not the first (1s)
    assert summary["A-002"]["สถานะเวลา"] == "เกินกำหนด" and summary["A-002"]["วันนับจากสมัคร"] == 67
    # seed 004's "60 วัน" judges closed cases too, up to the day they closed: A-001 applied 1/10, approved 20/11
    assert (summary["A-001"]["สถานะเวลา"], summary["A-001"]["วันนับจากสมัคร"]) == ("ตามกำหนด", 50)
    assert summary["A-007"]["สถานะเวลา"] == "ตามกำหนด"
    assert summary["A-005"]["สถานะเวลา"] == "ตามกำหนด" and summary["A-005"]["วันนับจากสมัคร"] == 26  # closing 31/10


def test_reference_follow_up_flags_what_is_odd(backend):
    backend.run()
    rows = {(r["เลขที่ใบสมัคร"], r["ชื่อบุคคลอ้างอิง"], r["สถานะ"]): r for r in records(backend, TRACKING)}
    status = {(number, name): state for number, name, state in rows}
    assert status[("A-010", "นายผู้สมัคร10 ทดสอบ")] == "ไม่นับคำตอบ"
    assert status[("A-010", "นายซ้ำ คนเดิม")] == "ไม่ส่ง"
    assert status[("A-011", "นายอ้างอิง1 A-011")] == "ตอบแล้ว"
    assert status[("A-007", "นายอ้างอิง2 A-007")] == "รอคำตอบ"  # invited in this run
    assert status[("A-005", "นายอ้างอิง1 A-005")] == "ไม่ส่ง"
    remarks = {key[:2]: r["ข้อสังเกต"] or "" for key, r in rows.items()}
    assert "self-reference" in remarks[("A-010", "นายผู้สมัคร10 ทดสอบ")]
    assert "same person named twice" in remarks[("A-010", "นายซ้ำ คนเดิม")]
    assert "other.address@example.com" in remarks[("A-011", "นายอ้างอิง1 A-011")]
    stray = rows[("A-011", "นายอ้างอิง2 A-011", "ไม่นับคำตอบ")]
    assert "token invalid" in stray["ข้อสังเกต"] and stray["ลิงก์"] is None
    invited = rows[("A-007", "นายอ้างอิง2 A-007", "รอคำตอบ")]
    assert invited["ส่งเมื่อ"] == be("21/11/2569 10:00") and invited["จำนวนครั้งที่เตือน"] == 0
    assert invited["ลิงก์"].startswith("https://docs.google.com/forms/d/e/TESTFORM/viewform?usp=pp_url&entry.1000001="
                                       "A-007&entry.1000002=")


def test_announcement_overview_and_the_runs_summary(backend):
    summary = backend.run().summary
    assert summary["stages"][0] == {"stage": "รอตรวจคุณสมบัติ", "count": 1}
    assert summary["overdue"] == [{"application_no": "A-002", "name": "นายผู้สมัคร2 ทดสอบ", "days": 67,
                                   "stage": "รอสัมภาษณ์"}]
    assert summary["references"] == {"invited": 20, "answered": 17}  # of the qualified applicants
    assert summary["satisfaction"] == {"respondents": 2, "mean_percent": 85.0, "standard": 85.0}
    assert backend.read(ANNOUNCEMENT) == [["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขที่ใบสมัคร",
                                           "วันที่คณะกรรมการเห็นชอบ"], [1, "นาย", "ผู้สมัคร1", "ทดสอบ", "A-001",
                                                                       be("20/11/2569")]]
    overview = {row[0]: row[1:] for row in backend.read(OVERVIEW)[1:]}
    assert overview["ความพึงพอใจเฉลี่ย (ร้อยละ)"] == [85, "≥ 85", "ผ่านเกณฑ์ (met)"]
    assert overview["ผู้สมัคร (ราย)"][0] == 12
    assert overview["ขั้นตอน: รอคณะกรรมการ (ราย)"][0] == 4 and overview["ขั้นตอน: ประกาศรายชื่อแล้ว (ราย)"][0] == 1
    assert overview["ผลการประเมิน: สัมภาษณ์ (ราย)"][0] == 1
    assert overview["อัตราผ่านการประเมิน (ร้อยละของผู้ที่ตัดสินแล้ว)"][0] == pytest.approx(83.33)  # 5 of 6
    assert overview["รายที่ยังไม่เสร็จและเกิน 60 วัน (ราย)"] == [1, "0", "ไม่ผ่านเกณฑ์ (not met)"]
    assert overview["อีเมลเชิญบุคคลอ้างอิงที่ส่งแล้ว (ฉบับ)"][0] == 3
    assert overview["มาตรฐานขั้นที่ 2 ตรวจคุณสมบัติพื้นฐาน: เวลาทำงานรวม (ชั่วโมง)"] == [2.75, "15 นาที/ราย", "11 ราย"]


def test_bad_input_is_a_line_each_and_the_rest_is_scored(backend):
    backend.run()
    found = {(r["แท็บ"], r["แถว"], r["คอลัมน์"]) for r in records(backend, PROBLEMS_TITLE)}
    answers = "แบบประเมินบุคคลอ้างอิง"
    latest = max(row[0] for row in workbook()[answers][1:])
    expected = {
        ("ผู้สมัคร", 4, "เลขที่ใบสมัคร"),  # A-001 listed twice
        ("ผู้สมัคร", 15, "เลขที่ใบสมัคร"),  # blank application number
        ("ผลประเมินเอกสาร", 1, "[C9] หัวข้อเก่า"),  # topic column with no matching code
        ("ผลประเมินเอกสาร", row_of("ผลประเมินเอกสาร", lambda r: r[1] == "A-998"), "เลขที่ใบสมัคร"),
        (answers, row_of(answers, lambda r: r[2] == "A-999"), "เลขที่ใบสมัคร"),  # unknown application number
        (answers, row_of(answers, lambda r: 7 in r), "[C3] การวางแผนงาน"),  # rating outside 1–5
        (answers, row_of(answers, lambda r: r[0] == latest), "ประทับเวลา"),  # dated in the future
        ("ผลสัมภาษณ์", 3, "เลขที่ใบสมัคร"), ("มติคณะกรรมการ", 3, "เลขที่ใบสมัคร"),  # not due / not passed
    }
    not_numbers = row_of(answers, lambda r: "ดี" in r)
    expected |= {(answers, not_numbers, header) for header in workbook()[answers][0] if header.startswith("[")}
    assert found == expected
    assert by_number(backend)["A-008"]["ผลการประเมิน"] == "ผ่านการประเมิน"


def test_second_run_changes_nothing_and_sends_no_mail(backend, tmp_path):
    first = backend.run()
    # 3 reference invitations, A-002's interview invitation, A-001's result (approved on 20/11)
    assert first.counts["mails_sent"] == 5 and len(list((tmp_path / "outbox").iterdir())) == 5
    before = {tab: backend.read(tab) for tab in SERVICE_TABS}
    backend.clock.advance(hours=5)
    again = backend.run()
    assert again.counts["cells_written"] == 0 and again.writes == [] and again.counts["mails_sent"] == 0
    assert {tab: backend.read(tab) for tab in SERVICE_TABS} == before
    assert len(list((tmp_path / "outbox").iterdir())) == 5


def test_last_updated_moves_only_for_rows_whose_content_changed(backend):
    backend.run()
    backend.clock.advance(days=1)
    interview = workbook()["ผลสัมภาษณ์"]
    backend.edit("ผลสัมภาษณ์", len(interview) + 1, 2, "A-002")  # A-002 interviewed: C3, C4 pass
    backend.edit("ผลสัมภาษณ์", len(interview) + 1, 6, "ผ่าน")
    backend.edit("ผลสัมภาษณ์", len(interview) + 1, 7, "ผ่าน")
    backend.run()
    summary = by_number(backend)
    assert summary["A-002"]["ผลการประเมิน"] == "ผ่านการประเมิน" and summary["A-002"]["ขั้นตอน"] == "รอคณะกรรมการ"
    assert summary["A-002"]["ปรับปรุงล่าสุด"] == be("22/11/2569 10:00")
    assert summary["A-008"]["ปรับปรุงล่าสุด"] == be("21/11/2569 10:00") and summary["A-008"]["วันนับจากสมัคร"] == 45


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_weights_not_summing_to_100_stop_with_one_line(kind, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    tabs = workbook()
    tabs["หัวข้อสมรรถนะ"][-1][2] = 10  # 105 in all
    backend = assessment_backend(kind, tmp_path, fake, tabs)
    with pytest.raises(WorkflowStopped) as stopped:
        backend.run()
    line = str(stopped.value)
    assert "\n" not in line and "105" in line and "หัวข้อสมรรถนะ" in line
    assert backend.read(PROBLEMS_TITLE)[1][4].startswith("น้ำหนักรวมของหัวข้อสมรรถนะเป็น 105 ไม่ใช่ 100")
    assert SUMMARY not in backend.services.workbook("assessment", backend.path)[0].tab_titles()
    assert not (tmp_path / "outbox").exists()


def test_dry_run_writes_and_sends_nothing(backend, tmp_path):
    outcome = backend.run(dry_run=True)
    assert outcome.counts["mails_waiting"] == 5 and outcome.counts["cells_written"] == 0
    assert not (tmp_path / "outbox").exists()
    assert SUMMARY not in backend.services.workbook("assessment", backend.path)[0].tab_titles()


def test_the_flowchart_policy_is_chosen_in_the_settings_tab(tmp_path):
    tabs = workbook()
    tabs["ตั้งค่า"][2][1] = "ผังงาน"
    backend = assessment_backend("xlsx", tmp_path, tabs=tabs)
    backend.run()
    summary = by_number(backend)
    assert summary["A-004"]["ผลการประเมิน"] == "สัมภาษณ์"  # P 90 with two failed topics
    assert summary["A-002"]["ผลการประเมิน"] == "ไม่ผ่านการประเมิน"  # P 70 is below 80
    assert summary["A-001"]["เกณฑ์ที่ใช้"].startswith("ผังงาน: P ≥ 80 และไม่มีหัวข้อไม่ผ่าน")


def test_weights_typed_as_percent_cells_count_as_percent(tmp_path):
    tabs = workbook()
    for row in tabs["หัวข้อสมรรถนะ"][1:]:
        row[2] = row[2] / 100  # 40% in a percent-formatted cell is held as 0.4
    backend = assessment_backend("xlsx", tmp_path, tabs=tabs)
    backend.run()
    assert by_number(backend)["A-001"]["น้ำหนักผ่าน (ร้อยละ)"] == 80


def test_the_experience_value_of_the_latest_review_is_shown(tmp_path):
    """Seed 004 6.4 (1): "คณะท างานจะท าการประเมินแล้วสรุปผลการประเมิน พร้อม “ค่าประสบการณ์การเป็น ที่ปรึกษา”" —
    shown beside the decision, never part of it."""
    seed_says("004", "คณะท างานจะท าการประเมินแล้วสรุปผลการประเมิน พร้อม “ค่าประสบการณ์การเป็น ที่ปรึกษา”")
    tabs = workbook()
    reviews = tabs["ผลประเมินเอกสาร"]
    first, latest = (i for i, row in enumerate(reviews) if row[1] == "A-004")
    reviews[first][3], reviews[latest][3] = 3, 12.5  # A-004 was reviewed twice: the later one counts
    backend = assessment_backend("xlsx", tmp_path, tabs=tabs)
    backend.run()
    summary = by_number(backend)
    assert summary["A-004"]["ค่าประสบการณ์"] == 12.5 and summary["A-001"]["ค่าประสบการณ์"] == 8
    assert summary["A-005"]["ค่าประสบการณ์"] is None  # not qualified
    header = backend.read(SUMMARY)[0]
    assert header.index("ค่าประสบการณ์") == header.index("บุคคลอ้างอิง (ตอบ/เชิญ)") + 1
