"""As a person would, in headless Chromium: sign in, overview, run now, a run's problems linking to their cells,
the summary pages with their charts, a viewer who cannot start a run, and no full ID anywhere on a page."""
from __future__ import annotations

import re

import pytest

from app.adapters.xlsx import create_xlsx
from app.config import GoogleSettings, JobSettings
from app.demo_data import reporting_workbook
from app.web import create_app
from app.wiring import bootstrap
from tests.web.browser.webapp import PASSWORDS, full_ids, scheduler_running, seed_runs, web_settings
from tests.assessment.test_sync_satisfaction import TABS

def _expect(locator):
    """Playwright's auto-waiting assertion (imported late: without playwright these tests are skipped)."""
    from playwright.sync_api import expect

    return expect(locator)


@pytest.fixture
def site(tmp_path, fake_google, serve):
    """The app with workflow A on Google (the fake server) and workflow B on a local workbook; its URL and app."""
    sheet_id = fake_google.create_spreadsheet("แบบประเมิน", TABS)
    create_xlsx(tmp_path / "reporting.xlsx", reporting_workbook())
    settings = web_settings(tmp_path, {"assessment": JobSettings(kind="assessment", spreadsheet_id=sheet_id, interval_minutes=15),
                                       "reporting": JobSettings(kind="reporting", workbook=tmp_path / "reporting.xlsx",
                                                                     cron="0 7 * * 1-5")})
    settings = settings.model_copy(update={"google": GoogleSettings(endpoint=fake_google.base_url, backoff_base=0)})
    app = create_app(settings, bootstrap(settings, key_source=fake_google.service_account_info()))
    with scheduler_running(app.config["SERVICES"]):  # run-now is run by the scheduler
        yield serve(app), app, sheet_id


def sign_in(page, base: str, user: str) -> None:
    """Open the site, land on the sign-in form, sign in."""
    page.goto(base + "/")
    assert "/signin" in page.url
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORDS[user])
    page.click("form button[type=submit]:has-text('เข้าสู่ระบบ')")
    _expect(page.locator("h1")).to_contain_text("ภาพรวมการซิงก์")


def no_full_ids(page) -> None:
    text = page.inner_text("body")
    assert full_ids(text) == [], page.url


def test_operator_runs_now_and_follows_a_problem_to_its_cell(page, site, shoot):
    base, _app, sheet_id = site
    page.goto(base + "/runs")
    assert "/signin?next=" in page.url
    shoot(page, "01-signin")
    sign_in(page, base, "op")
    _expect(page.locator("section.job")).to_have_count(2)
    _expect(page.locator("section.job").first).to_contain_text("ยังไม่เคยซิงก์")
    shoot(page, "02-overview-before-run")

    page.locator("section.job", has_text="assessment").locator("button.run-now").click()
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    _expect(page.locator("p.status.ok")).to_be_visible(timeout=30_000)  # the page refreshes itself while running
    links = page.locator("#problems ~ .problem-tab a")
    _expect(links).to_have_count(4)
    href = links.first.get_attribute("href")
    assert href.startswith(f"https://docs.google.com/spreadsheets/d/{sheet_id}/edit#gid=") and "&range=" in href
    assert re.fullmatch(r"ความพึงพอใจ![A-Z]+\d+ ↗", links.first.inner_text())
    assert "แถวที่อ่าน" in page.inner_text("dl.facts")
    no_full_ids(page)
    shoot(page, "03-run-with-problem-links")

    page.click("nav a:has-text('ภาพรวม')")
    card = page.locator("section.job", has_text="assessment")
    _expect(card.locator("p.status")).to_contain_text("สำเร็จ")
    _expect(card).to_contain_text("4 รายการ")
    shoot(page, "04-overview-after-run")

    card.locator("button.run-now").click()  # nothing changed since: read once, computed nothing
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    _expect(page.locator("p.status.skipped")).to_be_visible(timeout=30_000)
    _expect(page.locator("p.empty")).to_contain_text("ไม่มีอะไรเปลี่ยน")
    _expect(page.locator("p.empty a")).to_have_attribute("href", re.compile(r"/runs/\d+$"))
    shoot(page, "04a-run-now-with-nothing-changed")
    page.click("nav a:has-text('ภาพรวม')")
    _expect(card.locator("p.status")).to_contain_text("สำเร็จ")  # the figures stay those of the run that computed
    _expect(card).to_contain_text("4 รายการ")

    page.goto(base + "/runs")
    page.select_option("select[name=job]", "reporting")
    page.click("form.filters button")
    assert "job=reporting" in page.url
    _expect(page.locator("table")).to_have_count(0)


def test_viewer_sees_no_run_button_and_is_refused_a_run(page, site, shoot):
    base, app, _sheet = site
    sign_in(page, base, "view")
    _expect(page.locator("button.run-now")).to_have_count(0)
    _expect(page.locator("section.job").first).to_contain_text("เฉพาะผู้ดำเนินการ (operator)")
    shoot(page, "05-viewer-overview")
    token = page.locator("form.who input[name=csrf_token]").input_value()
    answer = page.request.post(base + "/jobs/assessment/run", form={"csrf_token": token})
    assert answer.status == 403 and "operator" in answer.text()
    assert app.config["SERVICES"].store.runs() == []


def test_summary_pages_show_charts_and_no_full_id(page, site, shoot):
    base, app, _sheet = site
    runs = seed_runs(app.config["SERVICES"].store)
    sign_in(page, base, "op")
    for path, name in (("/", "06-overview"), ("/runs", "07-runs"), (f"/runs/{runs['ok']}", "08-run-seeded"),
                       ("/assessment", "09-assessment"), ("/reporting", "10-reporting")):
        page.goto(base + path)
        no_full_ids(page)
        shoot(page, name)
    page.goto(base + "/assessment")
    assert page.locator("svg.bar").count() >= 5 and page.locator("svg.stack rect").count() == 4
    _expect(page.locator("figure.donut")).to_contain_text("64.6%")
    _expect(page.locator("table").last).to_contain_text("xxxxxxxxx3451")
    page.goto(base + "/reporting")
    _expect(page.locator(".target")).to_have_count(4)
    assert page.locator("figure.chart").count() == 6
    page.goto(base + f"/runs/{runs['ok']}")
    _expect(page.locator(".problem-tab").first).to_contain_text("assessment.xlsx › ความพึงพอใจ!B5")


SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def fits(page, width: int) -> None:
    """Nothing runs off the right edge: no sideways scrolling, and every table cell starts inside the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    overflowing = page.evaluate(f"""[...document.querySelectorAll('td, th')].filter(
        c => c.offsetParent !== null && c.getBoundingClientRect().right > {width} + 1).length""")
    assert overflowing == 0, page.url


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_page_at_phone_and_desktop_width(page, site, shoot, size):
    """What a supervisor sees on each page, on a 390×844 phone and a desktop: tables become cards on the phone,
    every figure readable without sideways scrolling."""
    base, app, _sheet = site
    store = app.config["SERVICES"].store
    runs = seed_runs(store)
    asked = store.start_run("assessment", "assessment.xlsx", "web", "op")  # run-now with nothing changed
    store.finish_run(asked, "skipped", {})
    failed = store.start_run("reporting", "reporting.xlsx", "schedule", "scheduler")
    store.finish_run(failed, "failed", {}, "spreadsheet 1abc is not shared with svc@demo.iam.gserviceaccount.com")
    width = SIZES[size]["width"]
    page.set_viewport_size(SIZES[size])
    page.goto(base + "/")
    fits(page, width)
    shoot(page, f"{size}-01-signin")
    sign_in(page, base, "op")

    job = page.locator("section.job", has_text="reporting")
    _expect(job.locator(".notice.error")).to_contain_text("สเปรดชีตยังไม่ได้แชร์ให้บัญชีบริการ")
    _expect(job.locator(".next")).to_contain_text("วันจันทร์–ศุกร์ เวลา 07:00 น.")
    _expect(page.locator("section.job", has_text="assessment").locator(".next")).to_contain_text("ทุก 15 นาที")
    _expect(job.locator("button.run-now")).to_be_visible()
    fits(page, width)
    shoot(page, f"{size}-02-overview")

    page.goto(base + "/runs")
    row = page.locator("table.phone-cards tbody tr").first
    _expect(row).to_contain_text("ล้มเหลว")
    _expect(row.locator("td[data-label='สั่งโดย']")).to_have_text("ตัวตั้งเวลา (scheduler) · ตามเวลา")
    second = page.locator("table.phone-cards tbody tr").nth(1)  # listed although skipped: somebody asked for it
    _expect(second.locator("td[data-label='สถานะ']")).to_contain_text("ข้าม (ไม่มีอะไรเปลี่ยน)")
    _expect(second.locator("td[data-label='สั่งโดย']")).to_have_text("op · หน้าเว็บ")
    if size == "phone":  # a card per run: the header row is hidden, each cell carries its label
        _expect(page.locator("table.phone-cards thead")).to_be_hidden()
        _expect(row.locator("td[data-label='สถานะ']")).to_be_visible()
    fits(page, width)
    shoot(page, f"{size}-03-runs")

    page.goto(base + f"/runs/{runs['ok']}")
    _expect(page.locator(".problem-tab h3").first).to_contain_text("แท็บ")
    _expect(page.locator(".problem-tab td[data-label='ปัญหา']").first).to_be_visible()
    _expect(page.locator("dl.facts")).to_contain_text("แถวที่อ่าน")
    _expect(page.locator("dl.facts dd.starter")).to_have_text("somchai")
    assert "rows_read" not in page.inner_text("body")
    fits(page, width)
    no_full_ids(page)
    shoot(page, f"{size}-04-run")

    skipped = store.start_run("assessment", "assessment.xlsx", "schedule", "scheduler")  # read, nothing to do
    store.add_log(skipped, "INFO", "ข้าม: แท็บที่อ่านเหมือนรอบก่อนทุกเซลล์ (skipped: 14 tabs read as the last run left them)")
    store.finish_run(skipped, "skipped", {})
    page.goto(base + f"/runs/{skipped}")
    _expect(page.locator("p.status.skipped")).to_have_text("ข้าม (ไม่มีอะไรเปลี่ยน)")
    _expect(page.locator("body")).to_contain_text("แท็บที่อ่านเหมือนรอบก่อนทุกเซลล์")
    page.locator("#problems + p a").click()  # the problems it did not check anew are the last checking run's
    _expect(page.locator("h1")).to_contain_text(f"การซิงก์ #{runs['ok']}")
    page.go_back()
    fits(page, width)
    shoot(page, f"{size}-04b-skipped-run")

    page.goto(base + "/assessment")
    _expect(page.locator("details.stage-group").first).to_contain_text("รอบุคคลอ้างอิง")
    _expect(page.locator(".person .refs").first).to_contain_text("นายประยุทธ มั่นคง — รอคำตอบ")
    _expect(page.locator("table.phone-cards").first).to_contain_text("A-2569-003")
    fits(page, width)
    no_full_ids(page)
    shoot(page, f"{size}-05-assessment")

    page.goto(base + "/reporting")
    _expect(page.locator(".banner.stale")).to_contain_text("ข้อมูลในหน้านี้ไม่ใช่ล่าสุด")
    _expect(page.locator(".banner.stale")).to_contain_text("แชร์สเปรดชีตให้ svc@demo.iam.gserviceaccount.com")
    _expect(page.locator(".target").first).to_contain_text("ผลงาน 86 กิจการ · เป้าหมาย ไม่น้อยกว่า 100 กิจการ")
    _expect(page.locator("table.phone-cards td[data-label='มูลค่าทางเศรษฐกิจ (บาท)']").first).to_be_visible()
    fits(page, width)
    no_full_ids(page)
    shoot(page, f"{size}-06-reporting")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_sent_mail_log_at_phone_and_desktop_width(page, site, shoot, size):
    """The sent-mail log: each mail's recipient, kind, state in Thai with its meaning, when and attempts; the
    uncertain one settled in place; on a phone one card per mail."""
    base, app, _sheet = site
    store = app.config["SERVICES"].store
    for n, state in enumerate(("sent", "sent", "failed", "uncertain")):
        key = f"ref:A-2569-00{n}:ref{n}@example.com:invite"
        store.claim_mail(key, f"ref{n}@example.com", "เชิญ")
        {"sent": lambda: store.mark_sent(key, "<m@dip.go.th>"),
         "failed": lambda: store.release_mail(key, "SMTP 550 mailbox full"),
         "uncertain": lambda: store.mark_uncertain(key, "no answer after the message went out")}[state]()
    width = SIZES[size]["width"]
    page.set_viewport_size(SIZES[size])
    sign_in(page, base, "op")
    page.click("nav a:has-text('อีเมลที่ส่ง')")
    _expect(page.locator("h1")).to_contain_text("อีเมลที่ส่ง")
    _expect(page.locator("table.mail-log tbody tr")).to_have_count(4)
    _expect(page.locator(".notice.error")).to_contain_text("มี 1 ฉบับที่ไม่แน่ใจว่าส่งแล้ว")
    failed = page.locator("table.mail-log tr.failed")
    _expect(failed.locator("td[data-label='ผู้รับ']")).to_have_text("ref2@example.com")
    _expect(failed.locator("td[data-label='สถานะ']")).to_contain_text("ส่งไม่สำเร็จ")
    _expect(failed.locator("td[data-label='สถานะ']")).to_contain_text("รอบถัดไปจะลองใหม่")
    _expect(failed.locator("td[data-label='อีเมล']")).to_contain_text("เชิญบุคคลอ้างอิง (reference invitation)")
    _expect(page.locator("tr.uncertain button[value=sent]")).to_be_visible()
    if size == "phone":
        _expect(page.locator("table.mail-log thead")).to_be_hidden()
    else:
        _expect(page.locator("table.mail-log thead")).to_be_visible()
    fits(page, width)
    shoot(page, f"{size}-07-mail")

    page.click("ul.mail-states a.uncertain")
    _expect(page.locator("table.mail-log tbody tr")).to_have_count(1)
    page.click("tr.uncertain button[value=sent]")
    _expect(page.locator(".notice.info")).to_contain_text("บันทึกว่าส่งแล้ว")
    assert "state=uncertain" in page.url
    _expect(page.locator("p.empty")).to_contain_text("ไม่มีอีเมลสถานะไม่แน่ใจว่าส่งแล้ว")
    fits(page, width)
    shoot(page, f"{size}-08-mail-settled")
