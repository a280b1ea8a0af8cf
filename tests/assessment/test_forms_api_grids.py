"""Grid questions of Likert words read through the Forms API (forms.get + forms.responses.list on the fake Google, via
google-api-python-client) give exactly what the same answers give in the form's linked responses tab: rows map to
topics and items by the code in brackets, words to 1–5."""
from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from app.adapters.google.forms import GoogleFormSource
from app.assessment.form_responses import responses_grid
from app.assessment.overview import satisfaction
from app.config import GoogleSettings
from app.sheets.layout_files import load_workbook_spec
from app.sync.problem_tab import PROBLEMS_TITLE
from tests.assessment.test_assessment_google import ANSWERS, TRACKING, records, without_links
from tests.assessment.test_forms_as_they_are import WORDS, as_asked
from tests.assessment.test_sync_assessment import SERVICE_TABS
from tests.assessment_book import EPOCH, NOW, REFERENCE_HEADERS, TOPICS, assessment_backend, serial, workbook

BANGKOK = ZoneInfo("Asia/Bangkok")
LIKERT = [WORDS[score] for score in (5, 4, 3, 2, 1)]  # มากที่สุด … น้อยที่สุด, as the form's columns
SATISFACTION_GRID = "ความพึงพอใจต่อการให้บริการ"
ITEMS = ["ข้อ 1 ความสะดวก", "ข้อ 2 ความรวดเร็ว", "ข้อ 3 ความสุภาพ"]
TOPIC_GRID = "ผลการประเมินรายหัวข้อสมรรถนะ"


def utc(serial_days: float):
    return (EPOCH + timedelta(days=serial_days)).replace(tzinfo=BANGKOK).astimezone(timezone.utc)


def test_a_satisfaction_grid_scores_the_same_through_the_forms_api_as_in_its_linked_tab(fake_google):
    answers = [(serial(2026, 11, 10, 9), [5, 4, 5], "a@example.com"), (serial(2026, 11, 11, 14), [3, 3, 2], None),
               (serial(2026, 11, 12, 8, 30), [4, None, 4], "c@example.com"), (serial(2026, 11, 13), [1, 5, 3], None)]
    form = fake_google.create_form("แบบประเมินความพึงพอใจ", [
        {"title": SATISFACTION_GRID, "kind": "grid", "rows": ITEMS, "columns": LIKERT}])
    for when, scores, email in answers:
        fake_google.add_form_response(form, {f"{SATISFACTION_GRID} [{item}]": WORDS[score]
                                             for item, score in zip(ITEMS, scores) if score}, utc(when), email)
    source = GoogleFormSource(form, fake_google.service_account_info(),
                              GoogleSettings(endpoint=fake_google.base_url, backoff_base=0))
    spec = load_workbook_spec("assessment")
    through_api = responses_grid(source.responses_since(None), source.questions(), spec.tab("satisfaction"), BANGKOK)
    linked = [["ประทับเวลา", *(f"{SATISFACTION_GRID} [{item}]" for item in ITEMS)],
              *([when, *(WORDS.get(score) for score in scores)] for when, scores, _email in answers)]
    settings = {"satisfaction_standard": 85, "satisfied_percent": 80}
    api, tab = (satisfaction(spec, grid, "การตอบกลับแบบฟอร์ม 4", settings, NOW.date()) for grid in (through_api, linked))
    assert api.rows == tab.rows and api.respondents == tab.respondents and api.figures == tab.figures
    assert [(p.row, p.column, p.problem) for p in api.problems] == [(p.row, p.column, p.problem) for p in tab.problems]
    assert api.count == 4 and api.figures["respondents"] == 3  # the third left item 2 blank: not counted


def graded(rows: list[list]) -> list[list]:
    """The answer rows a grid can carry: ratings 1–5 or ไม่ทราบ (a radio grid cannot take 7 or ดี)."""
    return [row for row in rows if all(v in (1, 2, 3, 4, 5, "ไม่ทราบ") for v in row[6:12])]


def test_a_reference_grid_of_likert_words_decides_the_same_through_the_forms_api(fake_google, tmp_path):
    rows = graded(workbook()[ANSWERS][1:])
    linked_tabs = workbook()
    linked_tabs[ANSWERS] = as_asked([REFERENCE_HEADERS, *rows], words=True)
    assert linked_tabs[ANSWERS][0][6] == f"{TOPIC_GRID} [C1 ความรู้ในสาขา]"
    linked = assessment_backend("google", tmp_path / "tab", fake_google, tabs=linked_tabs)
    linked.run()
    api = assessment_backend("google", tmp_path / "api", fake_google,
                             tabs={t: g for t, g in workbook().items() if t != ANSWERS})
    texts = REFERENCE_HEADERS[2:6] + REFERENCE_HEADERS[12:]
    form = fake_google.create_form("แบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม", [
        *({"title": title, "kind": "text"} for title in texts),
        {"title": TOPIC_GRID, "kind": "grid", "rows": [f"{code} {name}" for code, name, _w in TOPICS],
         "columns": [*LIKERT, "ไม่ทราบ"]}])
    for row in rows:
        answers = {title: str(value) for title, value in zip(REFERENCE_HEADERS, row) if title in texts and value}
        answers |= {f"{TOPIC_GRID} [{code} {name}]": WORDS.get(value, value)
                    for (code, name, _w), value in zip(TOPICS, row[6:12])}
        fake_google.add_form_response(form, answers, utc(row[0]), row[1])
    settings = api.services.settings
    config = settings.jobs["assessment"].model_copy(update={"reference_form_id": form})
    api.services.settings = settings.model_copy(update={"jobs": {"assessment": config}})
    assert api.run().status == "ok"
    for tab in SERVICE_TABS:
        want, got = linked.read(tab), api.read(tab)
        if tab == PROBLEMS_TITLE:  # each spreadsheet's links name its own tab ids (gid)
            want, got = ([row[:7] + row[8:] for row in grid] for grid in (want, got))
        assert (without_links(got) if tab == TRACKING else got) == (without_links(want) if tab == TRACKING else want)
    counted = [r for r in records(api, TRACKING) if r["สถานะ"] == "ตอบแล้ว"]
    assert len(counted) >= 10  # the grid's words were read as ratings, not left as unreadable text
