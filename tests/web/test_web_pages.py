"""The pages over real run records: overview, runs with filters, one run's problems and log, summaries, masking."""
from __future__ import annotations

import re

import pytest

from app.config import JobSettings
from app.web import create_app
from app.wiring import bootstrap
from tests.web.browser.webapp import NATIONAL_ID, PHONE, SHEET_URL, full_ids, seed_runs, sign_in, web_settings


@pytest.fixture
def app(tmp_path):
    settings = web_settings(tmp_path, {
        "assessment": JobSettings(kind="assessment", workbook=tmp_path / "a.xlsx", interval_minutes=15),
        "reporting": JobSettings(kind="reporting", workbook=tmp_path / "b.xlsx", cron="0 7 * * 1-5")})
    return create_app(settings, bootstrap(settings))


@pytest.fixture
def client(app):
    client = app.test_client()
    sign_in(client, "op")
    return client


def text_of(html: str) -> str:
    """What a person reads: the page without its tags (and so without link addresses)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.get_data(as_text=True)


def test_empty_store_says_there_is_no_run_yet(client):
    assert text_of(page(client, "/")).count("ยังไม่เคยซิงก์") == 2
    for path in ("/assessment", "/reporting"):
        assert "ยังไม่มีการซิงก์ที่สำเร็จ" in text_of(page(client, path))


def test_overview_shows_each_workflows_last_run_and_next_run(app, client):
    runs = seed_runs(app.config["SERVICES"].store)
    text = text_of(page(client, "/"))
    assert f"#{runs['ok']}" in text and f"#{runs['reporting']}" in text
    assert "สำเร็จ" in text and "1,871" in text and "230" in text and "2 รายการ" in text
    assert "ทุก 15 นาที" in text and "วันจันทร์–ศุกร์ เวลา 07:00 น." in text and "cron 0 7" not in text
    assert text.count("ซิงก์ตอนนี้") == 2


def test_runs_filter_by_job_and_status(app, client):
    runs = seed_runs(app.config["SERVICES"].store)
    ids = lambda html: {int(n) for n in re.findall(r'href="/runs/(\d+)"', html)}  # noqa: E731
    assert ids(page(client, "/runs")) == set(runs.values())
    assert ids(page(client, "/runs?job=assessment")) == {runs["failed"], runs["ok"]}
    assert ids(page(client, "/runs?job=assessment&status=failed")) == {runs["failed"]}
    assert ids(page(client, "/runs?status=bogus")) == set(runs.values())


def test_a_run_page_shows_log_and_problems_with_their_cells(app, client):
    runs = seed_runs(app.config["SERVICES"].store)
    html = page(client, f"/runs/{runs['ok']}")
    assert f'href="{SHEET_URL.replace("&", "&amp;")}"' in html and "ผู้สมัคร!G7 ↗" in html
    assert "assessment.xlsx › ความพึงพอใจ!B5" in html and html.count("<a href=\"https://") == 1
    assert "นอกช่วง 1–5 (out of range)" in html and "อ่าน 8 แท็บ" in html
    failed = text_of(page(client, f"/runs/{runs['failed']}"))
    assert "ล้มเหลว" in failed and "ไม่พบหัวคอลัมน์" in failed


def test_unknown_run_is_a_thai_404(client):
    answer = client.get("/runs/999")
    assert answer.status_code == 404 and "ไม่พบหน้านี้" in answer.get_data(as_text=True)


def test_assessment_page_draws_the_contract(app, client):
    seed_runs(app.config["SERVICES"].store)
    html = page(client, "/assessment")
    text = text_of(html)
    for words in ("รอบุคคลอ้างอิง", "ประกาศรายชื่อแล้ว", "ผ่านการประเมิน", "A-2569-003", "87.4%", "≥ 85%"):
        assert words in text, words
    assert text.index("A-2569-003") < text.index("A-2569-014")  # most overdue first
    assert "64.6%" in text  # 31 of 48 references answered
    assert html.count('class="bar"') >= 5 and 'class="stack"' in html and "stroke-dasharray" in html
    assert 'width="100.00"' in html  # the largest stage fills its bar


def test_reporting_page_draws_targets_and_each_dimension(app, client):
    seed_runs(app.config["SERVICES"].store)
    html = page(client, "/reporting")
    text = text_of(html)
    assert "cluster_project" in text
    assert "ผลงาน 98,250,000.50 บาท · เป้าหมาย ไม่น้อยกว่า 125,000,000 บาท · ขาดอีก 26,749,999.50 บาท" in text
    assert "ผลงาน 86 กิจการ · เป้าหมาย ไม่น้อยกว่า 100 กิจการ · ขาดอีก 14 กิจการ" in text
    assert "ผลงาน ร้อยละ 91.50 · เป้าหมาย ไม่น้อยกว่า ร้อยละ 80" in text
    assert "(86.0%)" not in text and "บรรลุ" in text and "ยังประเมินไม่ได้" in text
    for title in ("รายหน่วยงาน", "รายคลัสเตอร์", "รายจังหวัด"):
        assert title in text
    assert "48,200,000" in text and "ผ้าไทย" in text and "ขอนแก่น" in text


def test_missing_or_off_contract_keys_render_what_is_there(app, client):
    store = app.config["SERVICES"].store
    run = store.start_run("assessment", "a.xlsx", "manual")
    store.finish_run(run, "ok", {}, summary={"stages": {"not": "a list"}, "overdue": 3,
                                             "decisions": {"ผ่านการประเมิน": 2}})
    text = text_of(page(client, "/assessment"))
    assert "ยังไม่มีข้อมูลขั้นตอน" in text and "ยังไม่มีข้อมูลผู้สมัครที่เกินกำหนด" in text and "100.0%" in text
    run = store.start_run("reporting", "b.xlsx", "manual")
    store.finish_run(run, "ok", {}, summary={"program": "x", "units": 4})
    text = text_of(page(client, "/reporting"))
    assert "ยังไม่มีเป้าหมาย" in text and "รายหน่วยงาน" not in text
    run = store.start_run("assessment", "a.xlsx", "manual")
    store.finish_run(run, "ok", {}, summary={"overdue": []})
    assert "ไม่มีผู้สมัครที่เกินกำหนด (none overdue)" in text_of(page(client, "/assessment"))


def test_no_full_national_id_or_phone_on_any_page(app, client):
    runs = seed_runs(app.config["SERVICES"].store)
    for path in ("/", "/runs", *(f"/runs/{n}" for n in runs.values()), "/assessment", "/reporting"):
        html = page(client, path)
        assert full_ids(text_of(html)) == [], path
        assert NATIONAL_ID not in html and PHONE not in html, path
    assert "xxxxxxxxx3451" in text_of(page(client, "/assessment")) and "xxxxxx5678" in page(client, "/reporting")


def test_pages_use_only_this_apps_assets(client):
    html = page(client, "/")
    assert re.findall(r'(?:href|src)="(https?:)?//', html) == []
    assert client.get("/static/style.css").status_code == 200


def test_a_failed_run_after_the_figures_shown_puts_a_banner_with_the_thai_fix(app, client):
    store = app.config["SERVICES"].store
    seed_runs(store)
    assert "ไม่ใช่ล่าสุด" not in text_of(page(client, "/reporting"))
    failed = store.start_run("reporting", "reporting.xlsx", "schedule")
    store.finish_run(failed, "failed", {}, "spreadsheet 1abc is not shared with svc@demo.iam.gserviceaccount.com: "
                                           "share it as Editor")
    text = text_of(page(client, "/reporting"))
    assert f"ข้อมูลในหน้านี้ไม่ใช่ล่าสุด — การซิงก์ครั้งหลังสุด #{failed}" in text
    assert "สเปรดชีตยังไม่ได้แชร์ให้บัญชีบริการ — วิธีแก้: แชร์สเปรดชีตให้ svc@demo.iam.gserviceaccount.com" in text
    assert "ไม่ใช่ล่าสุด" not in text_of(page(client, "/assessment"))  # the assessment job's last run is ok
    run_text = text_of(page(client, f"/runs/{failed}"))
    assert "สเปรดชีตยังไม่ได้แชร์ให้บัญชีบริการ" in run_text


def test_the_assessment_page_lists_who_waits_on_which_reference_since_when(app, client):
    seed_runs(app.config["SERVICES"].store)
    text = text_of(page(client, "/assessment"))
    assert "รอบุคคลอ้างอิง · 1 คน" in text and "รอคณะกรรมการ · 1 คน" in text
    assert "รอ: บุคคลอ้างอิงตอบ 1 จาก 2 คน รอถึง 28/11/2569" in text
    assert "นายประยุทธ มั่นคง — รอคำตอบ เชิญเมื่อ 01/10/2569 09:00" in text
    assert "ดร.วิชัย สุขใจ — ตอบแล้ว เชิญเมื่อ 01/10/2569 09:00 · ตอบเมื่อ 03/10/2569 14:10" in text
    assert "1101700203451" not in text


def test_a_run_page_groups_problems_per_tab_and_shows_no_raw_keys(app, client):
    runs = seed_runs(app.config["SERVICES"].store)
    text = text_of(page(client, f"/runs/{runs['ok']}"))
    assert "แท็บ ความพึงพอใจ" in text and "rows_read" not in text and "cells_written" not in text
    assert "(ok)" not in text
