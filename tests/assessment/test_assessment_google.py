"""Workflow A on Google over the fake server: request budget, the officer's view, the reference form read through
the Forms API (the same result as its linked tab, incremental, full reconcile) and the token secret's policy."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.config import ConfigError, JobSettings
from app.sync.ports import FormResponse
from app.sync.problem_tab import PROBLEMS_TITLE
from tests.assessment_book import EPOCH, REFERENCE_HEADERS, assessment_backend, workbook
from tests.adapters.test_google_paths import SHEETS_WRITES, sheets_requests
from tests.assessment.test_sync_assessment import SERVICE_TABS, SUMMARY, TRACKING, by_number, records

LIST = "forms.forms.responses.list"
ANSWERS = "แบบประเมินบุคคลอ้างอิง"


def test_a_run_costs_at_most_three_sheets_requests_and_an_unchanged_one_writes_nothing(fake_google, tmp_path):
    """Three requests, and one more — the read of the officers' notes on the problem cells — only on a run whose
    problems moved (here the first: its notes go on the officers' cells in the same :batchUpdate)."""
    backend = assessment_backend("google", tmp_path, fake_google)
    backend.run()
    first = sheets_requests(fake_google)
    assert sum(first.values()) <= 4 and first["sheets.spreadsheets.get"] == 2
    before = dict(fake_google.request_counts)
    backend.run()
    again = {k: v - before.get(k, 0) for k, v in sheets_requests(fake_google).items()}
    assert sum(again.values()) <= 3 and all(again.get(k, 0) == 0 for k in SHEETS_WRITES)
    assert again["sheets.spreadsheets.get"] == 1  # the metadata only: no notes read when no problem moved


def test_statuses_are_coloured_the_header_frozen_and_the_tab_protected(fake_google, tmp_path):
    backend = assessment_backend("google", tmp_path, fake_google)
    backend.run()
    props = fake_google.sheet_properties(backend.spreadsheet_id, SUMMARY)
    assert props["gridProperties"]["frozenRowCount"] == 1
    assert [p["warningOnly"] for p in props["protectedRanges"]] == [True]
    rules = [(r["booleanRule"]["condition"]["values"][0]["userEnteredValue"], r["booleanRule"]["format"]
              ["backgroundColor"]) for r in props["conditionalFormats"]]
    green, amber, red = (198 / 255, 239 / 255, 206 / 255), (1.0, 235 / 255, 156 / 255), (1.0, 199 / 255, 206 / 255)
    colours = {text: tuple(colour.get(c, 0) for c in ("red", "green", "blue")) for text, colour in rules}
    assert colours["ผ่านการประเมิน"] == pytest.approx(green) and colours["สัมภาษณ์"] == pytest.approx(amber)
    assert colours["ไม่ผ่าน"] == pytest.approx(red) and "รอข้อมูล" in colours


def form_questions() -> list[dict]:
    """The reference form as the spec describes it (ratings as text questions so that bad values can arrive)."""
    return [{"title": title, "kind": "text"} for title in REFERENCE_HEADERS[2:]]


def submit_answers(fake, form_id: str, rows: list[list]) -> None:
    """Submit the test workbook's answer rows through the form (timestamps are Bangkok serials)."""
    for row in rows:
        local = EPOCH + timedelta(days=row[0])
        submitted = local.replace(tzinfo=ZoneInfo("Asia/Bangkok")).astimezone(timezone.utc)
        answers = {title: str(value) for title, value in zip(REFERENCE_HEADERS[2:], row[2:]) if value is not None}
        fake.add_form_response(form_id, answers, submitted, row[1])


def form_backend(fake, tmp_path, rows: list[list] | None = None):
    """The test workbook without its answers tab; the answers come from a form through the Forms API."""
    tabs = {title: grid for title, grid in workbook().items() if title != ANSWERS}
    backend = assessment_backend("google", tmp_path, fake, tabs)
    form_id = fake.create_form("แบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม", form_questions())
    submit_answers(fake, form_id, workbook()[ANSWERS][1:] if rows is None else rows)
    settings = backend.services.settings
    config = settings.jobs["assessment"].model_copy(update={"reference_form_id": form_id})
    backend.services.settings = settings.model_copy(update={"jobs": {"assessment": config}})
    backend.form_id = form_id
    return backend


def without_links(grid: list[list]) -> list[list]:
    return [row[:3] + row[4:] for row in grid]


def test_the_forms_api_and_the_linked_tab_give_the_same_result(fake_google, tmp_path):
    linked = assessment_backend("google", tmp_path / "tab", fake_google)
    linked.run()
    api = form_backend(fake_google, tmp_path / "api")
    outcome = api.run()
    assert outcome.status == "ok" and outcome.counts["mails_sent"] == 5  # 3 to references, 2 to applicants
    for tab in SERVICE_TABS:
        want, got = linked.read(tab), api.read(tab)
        if tab == PROBLEMS_TITLE:  # each spreadsheet's links name its own tab ids (gid)
            want, got = ([row[:7] + row[8:] for row in grid] for grid in (want, got))
        assert (without_links(got) if tab == TRACKING else got) == (without_links(want) if tab == TRACKING else want)
    questions = fake_google.state.forms[api.form_id].resource["items"]
    ids = {item["title"]: int(item["questionItem"]["question"]["questionId"], 16) for item in questions}
    link = next(r["ลิงก์"] for r in records(api, TRACKING) if r["เลขที่ใบสมัคร"] == "A-007" and r["ลิงก์"])
    assert link.startswith(f"https://docs.google.com/forms/d/e/{api.form_id}/viewform?usp=pp_url&"
                           f"entry.{ids['เลขที่ใบสมัคร']}=A-007&entry.{ids['รหัสยืนยัน']}=")


def test_forms_answers_are_read_incrementally_and_reconciled_in_full(fake_google, tmp_path):
    rows = [r for r in workbook()[ANSWERS][1:] if r[0] < 46380]  # Google never stamps an answer in the future
    late = next(r for r in rows if r[2] == "A-007")
    api = form_backend(fake_google, tmp_path, [r for r in rows if r is not late])
    api.run()
    store, key = api.services.store, f"form:{api.form_id}"
    assert by_number(api)["A-007"]["บุคคลอ้างอิง (ตอบ/เชิญ)"] == "0/3"
    submit_answers(fake_google, api.form_id, [[(datetime(2026, 11, 21, 9, 30) - EPOCH) / timedelta(days=1), *late[1:]]])
    store.store_responses(key, [FormResponse("gone", store.watermark(key), None, {"เลขที่ใบสมัคร": "A-007"})])
    api.run()
    filters = [query.get("filter") for method, _, _, query, _ in fake_google.requests if method == LIST]
    assert filters[0] is None and filters[-1].startswith("timestamp > 2026-11-")
    assert by_number(api)["A-007"]["บุคคลอ้างอิง (ตอบ/เชิญ)"] == "1/3"
    assert "gone" in {r.response_id for r in store.stored_responses(key)}
    api.services.run("assessment", full_reconcile=True)
    filters = [query.get("filter") for method, _, _, query, _ in fake_google.requests if method == LIST]
    assert filters[-1] is None and "gone" not in {r.response_id for r in store.stored_responses(key)}
    assert len(store.stored_responses(key)) == len(rows)


def test_google_refuses_to_run_without_the_token_secret(fake_google, tmp_path):
    backend = assessment_backend("google", tmp_path, fake_google)
    backend.services.settings = backend.services.settings.model_copy(update={"reference_secret": None})
    with pytest.raises(ConfigError) as refused:
        backend.run()
    assert "REFERENCE_TOKEN_SECRET" in str(refused.value) and "\n" not in str(refused.value)
    assert backend.services.store.last_run("assessment").status == "failed"


def test_a_local_workbook_keeps_a_private_secret_beside_the_run_state(tmp_path):
    backend = assessment_backend("xlsx", tmp_path)
    settings = backend.services.settings
    backend.services.settings = settings.model_copy(update={
        "reference_secret": None, "jobs": {"assessment": JobSettings(kind="assessment", workbook=backend.path)}})
    secret = backend.services.token_secret("assessment", None)
    path = settings.state_db.parent / "reference-secret"
    assert path.stat().st_mode & 0o777 == 0o600 and len(secret) == 32
    assert backend.services.token_secret("assessment", backend.path) == secret
    assert backend.run().status == "ok"


def tokenless_backend(fake, tmp_path):
    """The reference form as officers made it: no application-number and no token question, emails collected."""
    backend = form_backend(fake, tmp_path, rows=[])
    form = fake.create_form("แบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม", form_questions()[2:])
    for row in workbook()[ANSWERS][1:]:
        local = EPOCH + timedelta(days=row[0])
        submitted = local.replace(tzinfo=ZoneInfo("Asia/Bangkok")).astimezone(timezone.utc)
        answers = {title: str(value) for title, value in zip(REFERENCE_HEADERS[4:], row[4:]) if value is not None}
        fake.add_form_response(form, answers, submitted, row[1])
    settings = backend.services.settings
    config = settings.jobs["assessment"].model_copy(update={"reference_form_id": form})
    backend.services.settings = settings.model_copy(update={"jobs": {"assessment": config}})
    backend.form_id = form
    return backend


def test_a_form_without_the_link_questions_counts_answers_by_collected_email(fake_google, tmp_path):
    """Every applicant is decided as with tokens: each answer came from the invited address (A-011's first
    reference answered from another address — counted with a token, not by email — and its second with a wrong
    token — not counted with tokens, counted by email: one of two either way)."""
    linked = assessment_backend("google", tmp_path / "tab", fake_google)
    linked.run()
    api = tokenless_backend(fake_google, tmp_path / "api")
    outcome = api.run()
    assert outcome.status == "ok"
    assert api.read(SUMMARY) == linked.read(SUMMARY)
    tracking = records(api, TRACKING)
    links = {r["ลิงก์"] for r in tracking if r["ลิงก์"]}
    assert links == {f"https://docs.google.com/forms/d/e/{api.form_id}/viewform"}
    a001 = [r for r in tracking if r["เลขที่ใบสมัคร"] == "A-001"]
    assert all("the form asks no token yet" in r["ข้อสังเกต"] for r in a001)
    strangers = {p.value: p.problem for p in outcome.problems if p.column == "ที่อยู่อีเมล"}
    assert set(strangers) == {"ref1.a-999@example.com", "other.address@example.com"}
    assert all("no invited reference" in problem for problem in strangers.values())


def test_check_names_the_two_questions_the_reference_form_lacks(fake_google, tmp_path, capsys):
    from app.cli.check import run_checks

    api = tokenless_backend(fake_google, tmp_path)
    lines = [(ok, what, fix) for ok, what, fix in run_checks(api.services, None) if "asks" in what or "ask " in what]
    assert lines == [(False, f"assessment: reference form {api.form_id} does not ask เลขที่ใบสมัคร, รหัสยืนยัน",
                      "add two short-answer questions titled 'เลขที่ใบสมัคร' and 'รหัสยืนยัน' (python -m app forms "
                      "prepare assessment adds them); until then an answer counts when the email address the form "
                      "collected is the invited reference's")]
    tokens = form_backend(fake_google, tmp_path / "tokens")
    lines = [what for ok, what, _ in run_checks(tokens.services, None) if ok and "asks" in what]
    assert lines == [f"assessment: reference form {tokens.form_id} asks เลขที่ใบสมัคร, รหัสยืนยัน"]


def test_after_forms_prepare_the_links_fill_in_the_new_questions(fake_google, tmp_path, capsys):
    from app.cli.check import run_checks
    from app.cli.forms import prepare

    api = tokenless_backend(fake_google, tmp_path)
    api.run()
    answered = {number: row["บุคคลอ้างอิง (ตอบ/เชิญ)"] for number, row in by_number(api).items()}
    assert prepare(api.services, "assessment", dry_run=False) == 0
    items = fake_google.state.forms[api.form_id].resource["items"]
    ids = {item["title"]: int(item["questionItem"]["question"]["questionId"], 16) for item in items[:2]}
    api.clock.advance(days=1)
    api.run()
    link = next(r["ลิงก์"] for r in records(api, TRACKING) if r["เลขที่ใบสมัคร"] == "A-007" and r["ลิงก์"])
    assert link.startswith(f"https://docs.google.com/forms/d/e/{api.form_id}/viewform?usp=pp_url&"
                           f"entry.{ids['เลขที่ใบสมัคร']}=A-007&entry.{ids['รหัสยืนยัน']}=")
    assert [ok for ok, what, _ in run_checks(api.services, None) if "asks" in what] == [True]
    # the answers given before the questions were added are still known by their collected email
    assert {number: row["บุคคลอ้างอิง (ตอบ/เชิญ)"] for number, row in by_number(api).items()} == answered
