"""Workbook A as the officers' Google Forms leave it (seed 004: the application, the document review and the reference
assessment "ในรูปแบบ Google Form", and the satisfaction form): response tabs under Google's own names, headers as
the questions are asked, grid questions, Likert words, the officers' application-number column added at the right.
Every applicant is decided as in the appendix layout, with no header renamed."""
from __future__ import annotations

import pytest

from app.sheets.layout_files import load_workbook_spec
from app.sheets.layout_roles import officer_tabs_by_layout
from tests.assessment_book import EXPECTED, TOPICS, assessment_backend, workbook

WORDS = {5: "มากที่สุด", 4: "มาก", 3: "ปานกลาง", 2: "น้อย", 1: "น้อยที่สุด"}
QUESTIONS = {"อีเมล": "ที่อยู่อีเมล", "เลขสมาชิก i.industry": "เลขสมาชิกฐานข้อมูลที่ปรึกษา (i.industry)",
             **{f"บุคคลอ้างอิง {n} ชื่อ": f"บุคคลอ้างอิงคนที่ {n} ชื่อ-นามสกุล" for n in (1, 2, 3)},
             **{f"บุคคลอ้างอิง {n} อีเมล": f"บุคคลอ้างอิงคนที่ {n} อีเมล" for n in (1, 2, 3)},
             **{f"[{code}] {name}": f"ผลการประเมินรายหัวข้อสมรรถนะ [{code} {name}]" for code, name, _w in TOPICS}}


def as_asked(grid: list[list], words: bool = False) -> list[list]:
    """Headers as the form asks them; scores as the words the respondents clicked."""
    header, *rows = grid
    spoken = [[WORDS.get(v, v) if words and isinstance(v, int) and not isinstance(v, bool) else v for v in row]
              for row in rows]
    return [[QUESTIONS.get(h, h) for h in header]] + spoken


def application_no_last(grid: list[list]) -> list[list]:
    """The form has no application-number question: the officers keep it in a column they added at the right."""
    at = grid[0].index("เลขที่ใบสมัคร")
    return [row[:at] + row[at + 1:] + [None] * (len(grid[0]) - len(row)) + [row[at] if at < len(row) else None]
            for row in grid]


def forms_workbook(names: tuple[str, str, str, str]) -> dict[str, list[list]]:
    tabs = workbook()
    applicants, reviews, references = (tabs.pop(t) for t in ("ผู้สมัคร", "ผลประเมินเอกสาร", "แบบประเมินบุคคลอ้างอิง"))
    satisfaction = tabs.pop("ความพึงพอใจ")
    satisfaction[0] = ["ประทับเวลา", "ความพึงพอใจต่อการให้บริการ [ข้อ 1 ความสะดวก]",
                       "ความพึงพอใจต่อการให้บริการ [ข้อ 2 ความรวดเร็ว]"]
    return {names[0]: application_no_last(as_asked(applicants)), **tabs, names[1]: as_asked(reviews),
            names[2]: as_asked(references, words=True), names[3]: as_asked(satisfaction, words=True)}


THAI_NAMES = tuple(f"การตอบกลับแบบฟอร์ม {n}" for n in range(1, 5))
ENGLISH_NAMES = tuple(f"Form Responses {n}" for n in range(1, 5))


@pytest.fixture(params=["xlsx", "google"])
def backend(request, tmp_path):
    fake = request.getfixturevalue("fake_google") if request.param == "google" else None
    return assessment_backend(request.param, tmp_path, fake, tabs=forms_workbook(THAI_NAMES))


def test_every_applicant_is_decided_as_seed_004_says_with_no_header_renamed(backend):
    outcome = backend.run()
    assert outcome.status == "ok"
    grid = backend.read("สรุปผลการประเมิน")
    summary = {row[0]: dict(zip(grid[0], row + [None] * (len(grid[0]) - len(row)))) for row in grid[1:]}
    assert list(summary) == list(EXPECTED)
    for number, (qualification, decision, stage, p, f, insufficient) in EXPECTED.items():
        row = summary[number]
        assert row["คุณสมบัติพื้นฐาน"] == qualification, number
        assert (row["ผลการประเมิน"] or "").startswith(decision) and bool(row["ผลการประเมิน"]) == bool(decision), number
        figures = [row["น้ำหนักผ่าน (ร้อยละ)"], row["น้ำหนักไม่ผ่าน (ร้อยละ)"], row["น้ำหนักข้อมูลไม่เพียงพอ (ร้อยละ)"]]
        assert [v if v is not None else "" for v in figures] == [p, f, insufficient], number
    overview = {row[0]: row[1:] for row in backend.read("ภาพรวมการประเมิน")[1:] if row}
    # the satisfaction grid in words: (มากที่สุด + มาก) and (มาก + มาก) of 10 → 90 and 80, mean 85
    assert overview["ผู้ตอบแบบประเมินความพึงพอใจที่นับได้ (ฉบับ)"] == [2]
    assert overview["ความพึงพอใจเฉลี่ย (ร้อยละ)"][0] == 85
    assert not [p for p in outcome.problems if "ไม่พบแท็บ" in p.problem or "ไม่พบหัวคอลัมน์" in p.problem]


@pytest.mark.parametrize("names", [THAI_NAMES, ENGLISH_NAMES, ("ใบสมัคร 2569", "ตรวจเอกสาร", "อ้างอิง", "แบบสอบถาม")])
def test_response_tabs_are_known_by_their_columns_whatever_their_title(names):
    tabs = forms_workbook(names)
    found = officer_tabs_by_layout(load_workbook_spec("assessment"), tabs)
    assert [found[k] for k in ("applicants", "document_review", "reference_form", "satisfaction")] == list(names)
    assert (found["interview"], found["committee"]) == ("ผลสัมภาษณ์", "มติคณะกรรมการ")


def test_check_knows_the_response_tabs_by_their_headers(tmp_path, monkeypatch, capsys):
    from app.adapters.xlsx import create_xlsx
    from app.cli.main import main

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "forms.xlsx"
    create_xlsx(path, forms_workbook(ENGLISH_NAMES))
    config = tmp_path / "config.toml"
    config.write_text(f'[jobs.assessment]\nkind = "assessment"\nworkbook = "{path}"\n', encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 0
    out = capsys.readouterr().out
    assert "✓ assessment: tab Form Responses 1 is ผู้สมัคร (known by its headers)" in out
    assert "✓ assessment: tab Form Responses 1: required headers present" in out and "✗" not in out


def without_numbers() -> dict[str, list[list]]:
    """The application form as Google leaves it: no application-number question, nobody added one, and ตั้งค่า says
    the service numbers applicants; applicant 1 sent the form twice (the second time with the address in capitals)."""
    tabs = workbook()
    applicants = as_asked(tabs.pop("ผู้สมัคร"))
    at = applicants[0].index("เลขที่ใบสมัคร")
    header, *rows = [row[:at] + row[at + 1:] for row in applicants]
    first, second, third = rows[0], rows[1], rows[3]  # applicants 1 (1 Oct), 2 (15 Sep) and 3 (3 Oct)
    again = list(first)
    again[0] += 1
    again[header.index("ที่อยู่อีเมล")] = first[header.index("ที่อยู่อีเมล")].upper()
    settings = tabs["ตั้งค่า"] + [["ระบบออกเลขที่ใบสมัคร", "ใช่"]]
    return {"ตั้งค่า": settings, "หัวข้อสมรรถนะ": tabs["หัวข้อสมรรถนะ"],
            "การตอบกลับแบบฟอร์ม 1": [header, second, first, third, again]}


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_applicants_are_numbered_by_their_first_response_when_the_form_asks_no_number(kind, request, tmp_path):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    backend = assessment_backend(kind, tmp_path, fake, tabs=without_numbers())
    outcome = backend.run()
    numbers = {row[0]: row[1] for row in backend.read("สรุปผลการประเมิน")[1:]}
    assert numbers == {"A-001": "นายผู้สมัคร2 ทดสอบ", "A-002": "นายผู้สมัคร1 ทดสอบ", "A-003": "นายผู้สมัคร3 ทดสอบ"}
    assert [(p.row, p.value) for p in outcome.problems if "ผู้สมัครซ้ำ" in p.problem] == [(5, "A-002")]
    links = [row[3] for row in backend.read("ติดตามบุคคลอ้างอิง")[1:] if row[0] == "A-002" and len(row) > 3]
    assert links and all("A-002" in link for link in links if link)
    backend.run()
    assert {row[0]: row[1] for row in backend.read("สรุปผลการประเมิน")[1:]} == numbers  # stable


def test_without_the_setting_a_missing_application_number_still_stops(tmp_path):
    """A renamed header must not switch a synced workbook to the service's numbers behind the officers' back."""
    from app.sync.engine import WorkflowStopped

    tabs = without_numbers()
    tabs["ตั้งค่า"] = tabs["ตั้งค่า"][:-1]
    with pytest.raises(WorkflowStopped, match="เลขที่ใบสมัคร"):
        assessment_backend("xlsx", tmp_path, tabs=tabs).run()


def test_a_reference_tab_without_the_link_questions_is_read_by_collected_email(tmp_path, monkeypatch, capsys):
    """The linked responses tab of a reference form that asks no number and no token: decided as with tokens, and
    check names the two questions to add."""
    from app.cli.main import main

    with_tokens = assessment_backend("xlsx", tmp_path / "tokens")
    with_tokens.run()
    tabs = workbook()
    tabs["แบบประเมินบุคคลอ้างอิง"] = [row[:2] + row[4:] for row in tabs["แบบประเมินบุคคลอ้างอิง"]]
    backend = assessment_backend("xlsx", tmp_path / "emails", tabs=tabs)
    assert backend.run().status == "ok"
    assert backend.read("สรุปผลการประเมิน") == with_tokens.read("สรุปผลการประเมิน")
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[jobs.assessment]\nkind = "assessment"\nworkbook = "{backend.path}"\n', encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 2
    out = capsys.readouterr().out
    assert "✗ assessment: tab แบบประเมินบุคคลอ้างอิง does not ask เลขที่ใบสมัคร, รหัสยืนยัน\n    → add two short-answer " \
           "questions titled 'เลขที่ใบสมัคร' and 'รหัสยืนยัน'" in out
    assert "✓ assessment: tab แบบประเมินบุคคลอ้างอิง: required headers present" in out
    assert main(["--config", str(config), "map", "assessment"]) == 0  # as sync reads it: nothing required missing
    out = capsys.readouterr().out
    assert "  ! the form asks no เลขที่ใบสมัคร, รหัสยืนยัน: an answer counts when its collected email" in out


@pytest.mark.parametrize("dropped, missing", [((2,), "เลขที่ใบสมัคร"), ((1, 3), "รหัสยืนยัน")])
def test_a_reference_tab_that_cannot_tell_whose_answer_it_is_still_stops(tmp_path, dropped, missing):
    """A token without the application number it was made for, or neither a token nor a collected email."""
    from app.sync.engine import WorkflowStopped

    tabs = workbook()
    tabs["แบบประเมินบุคคลอ้างอิง"] = [[v for i, v in enumerate(row) if i not in dropped]
                                    for row in tabs["แบบประเมินบุคคลอ้างอิง"]]
    with pytest.raises(WorkflowStopped, match=missing):
        assessment_backend("xlsx", tmp_path, tabs=tabs).run()
