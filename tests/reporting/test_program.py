"""A program over two activity spreadsheets laid out as seed 002's sheet, on local .xlsx files and on Google (fake).

Seed 002 "มาตรฐานงาน": "ผลผลิต จำนวนวิสาหกิจและผู้รับบริการที่ได้รับการพัฒนา จำนวน ๑ กลุ่ม ๆ ละ ๒๐ ราย" — people and
enterprises developed, each counted once however many activities served them.

Activity A is tests/seed_reporting_book.py (people 1–4, enterprises T1, the factory, T4; 1,590,000 baht). Activity B
(its own spreadsheet, another activity name):
  ศก.1 row 5: person 1 again with T1 again (both in A too): 300,000 baht, satisfaction 90;
  ศก.3 row 5: person 5, enterprise T5: 50,000 baht, satisfaction 70;
  ศก.3 row 6: person 2 (in A too) for a new enterprise T2: 10,000 baht, satisfaction 95.
Alone: A 4 people, 3 enterprises; B 3 people, 3 enterprises. The program: people 1–5 → 5 (7 listed, 2 the same);
enterprises T1, factory, T4, T5, T2 → 5 (6 listed, 1 the same); economic value 1,590,000 + 360,000 = 1,950,000 (each
activity's improvement is its own); satisfied ≥ 80 of the 5 unique recipients: persons 1 and 4 (A) and 2 (B) → 60 %.
"""
from __future__ import annotations

import openpyxl
import pytest

from app.adapters.xlsx import XlsxWorkbook, create_xlsx
from app.config import GoogleSettings, JobSettings, Settings
from app.errors import BackendError, ConfigError, StoppedError
from app.sync.problem_tab import PROBLEMS_TITLE
from app.wiring import bootstrap
from tests import seed_reporting_book as book
from tests.backends import NOW
from tests.seed_quotes import seed_says

SEED_002_OUTPUT = "ผลผลิต จำนวนวิสาหกิจและผู้รับบริการที่ได้รับการพัฒนา จำนวน ๑ กลุ่ม ๆ ละ ๒๐ ราย"
SCALE_UP = "3. ผู้ประกอบการ SMEs ได้รับการต่อยอดการ พัฒนาโดยการน างานวิจัย"
ACTIVITY_B = "5.1-3 การพัฒนาผลิตภัณฑ์และบรรจุภัณฑ์ (67)"
NAME = "ชื่อกิจกรรม (ตามแผนงานโครงการ)"
BY_ACTIVITY, BY_UNIT = "สรุปโครงการรายกิจกรรม", "สรุปโครงการรายหน่วยงาน"
TOTAL = "รวม (total)"


def activity_b() -> dict[str, list[list]]:
    def row(unit: str, n: int, enterprise: str, economic: int, satisfaction: float) -> list:
        return book.person(unit, n, enterprise, **{NAME: ACTIVITY_B, book.ECONOMIC: economic,
                                                   book.SATISFACTION: satisfaction})

    def tab(rows: list[list]) -> list[list]:
        return [[], book.LABELS, book.HEADERS, [ACTIVITY_B]] + rows

    return {"สรุปโครงการ": [["โครงการ", "5.1-3"]],
            "ศก.1": tab([row("ศก.1", 1, book.T[1], 300_000, 90)]),
            "ศก.3": tab([row("ศก.3", 5, book.T[5], 50_000, 70), row("ศก.3", 2, book.T[2], 10_000, 95)])}


ACTIVITIES = {"activity-a": ("5.1-2 การพัฒนาองค์ความรู้", book.TABS), "activity-b": ("5.1-3 บรรจุภัณฑ์", activity_b())}
PROGRAM_TABS = {"แผ่น1": [["สเปรดชีตสรุปโครงการ"]]}


class Program:
    """Three jobs — two activities and the program — on one backend, and a reader of any job's tab."""

    def __init__(self, kind: str, tmp_path, fake=None, activities=ACTIVITIES, targets: str | None = None) -> None:
        self.kind, self.fake, self.where = kind, fake, {}
        jobs = {}
        for name, (title, tabs) in {**activities, "program": ("สรุปโครงการ 2567", PROGRAM_TABS)}.items():
            jobs[name] = JobSettings(kind="reporting", **self._workbook(name, title, tabs, tmp_path))
        jobs["program"] = jobs["program"].model_copy(update={"kind": "program", "activities": tuple(activities),
                                                           "program": targets})
        google = GoogleSettings(endpoint=fake.base_url, backoff_base=0, max_attempts=1) if fake else GoogleSettings()
        self.services = bootstrap(Settings(state_db=tmp_path / "state.sqlite", google=google, jobs=jobs),
                                  key_source=fake.service_account_info() if fake else None, clock=lambda: NOW)

    def _workbook(self, name: str, title: str, tabs: dict, tmp_path) -> dict:
        if self.kind == "xlsx":
            path = tmp_path / f"{title}.xlsx"
            create_xlsx(path, tabs)
            self.where[name] = path
            return {"workbook": path}
        self.where[name] = self.fake.create_spreadsheet(title, tabs)
        return {"spreadsheet_id": self.where[name]}

    def read(self, job: str, tab: str) -> list[list]:
        if self.kind == "xlsx":
            return XlsxWorkbook(self.where[job]).read([tab])[tab]
        return self.fake.values(self.where[job], tab)

    def everything(self, job: str) -> dict:
        """Every cell of a job's workbook as stored (formulas as formulas), and its tabs' order."""
        if self.kind == "xlsx":
            workbook = openpyxl.load_workbook(self.where[job])
            return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook}
        return {title: self.fake.values(self.where[job], title) for title in self.titles(job)}

    def titles(self, job: str) -> list[str]:
        if self.kind == "xlsx":
            return openpyxl.load_workbook(self.where[job], read_only=True).sheetnames
        return [s.title for s in self.fake.state.spreadsheets[self.where[job]].sheets]

    def table(self, tab: str) -> dict[str, dict]:
        """The program's summary table of `tab` (above its targets), keyed by its first column."""
        header, *rows = self.read("program", tab)
        table = {}
        for row in rows:
            if not row or row[0] in (None, ""):
                break
            table[row[0]] = dict(zip(header, row))
        return table

    def targets(self) -> dict[str, list]:
        grid = self.read("program", BY_ACTIVITY)
        start = next(i for i, row in enumerate(grid) if row and row[0] == "ตัวชี้วัด")
        return {row[0]: row for row in grid[start + 1:] if row}


@pytest.fixture(params=["xlsx", "google"])
def program(request, tmp_path):
    fake = request.getfixturevalue("fake_google") if request.param == "google" else None
    return Program(request.param, tmp_path, fake)


def test_people_and_enterprises_are_counted_once_across_activities_and_each_activity_has_its_row(program):
    seed_says("002", SEED_002_OUTPUT)
    outcome = program.services.run("program")
    assert outcome.status == "ok" and outcome.counts["rows_read"] == 8
    activities = program.table(BY_ACTIVITY)
    a, b = (activities[label] for label in list(activities)[:2])
    assert (a["ผู้เข้าร่วม (คน)"], a["วิสาหกิจ (ราย)"], a["มูลค่าทางเศรษฐกิจ (บาท)"]) == (4, 3, 1_590_000)
    assert (b["ผู้เข้าร่วม (คน)"], b["วิสาหกิจ (ราย)"], b["มูลค่าทางเศรษฐกิจ (บาท)"]) == (3, 3, 360_000)
    total = activities[TOTAL]
    assert (total["ผู้เข้าร่วม (คน)"], total["วิสาหกิจ (ราย)"]) == (5, 5)  # not 7 and 6
    assert total["มูลค่าทางเศรษฐกิจ (บาท)"] == 1_950_000 and total["พึงพอใจ ≥ 80 (ร้อยละ)"] == 60
    units = program.table(BY_UNIT)
    assert [units[u]["ผู้เข้าร่วม (คน)"] for u in ("ศก.1", "ศก.2", "ศก.3")] == [2, 2, 2]  # ศก.1: persons 1, 2
    assert program.table("สรุปโครงการรายคลัสเตอร์")[TOTAL]["วิสาหกิจ (ราย)"] == 5
    assert program.table("สรุปโครงการรายจังหวัด")["เชียงใหม่"]["ผู้เข้าร่วม (คน)"] == 5


def test_the_targets_say_how_they_count_across_activities(program):
    program.services.run("program")
    targets = program.targets()
    enterprises = targets["วิสาหกิจที่ได้รับการพัฒนา กลุ่มละ (ราย)"]
    assert "นับไม่ซ้ำข้ามกิจกรรม" in enterprises[4]
    satisfied = targets["ผู้รับบริการที่พึงพอใจไม่น้อยกว่าร้อยละ 80 (ร้อยละของผู้รับบริการ)"]
    assert satisfied[2] == 60 and "ฐานคือผู้รับบริการไม่ซ้ำทั้งโครงการ" in satisfied[4]


def test_a_whole_program_target_on_a_counted_figure_says_how_many_were_the_same(tmp_path):
    """Seed 000 (SME Scale Up): "3. ผู้ประกอบการ SMEs ได้รับการต่อยอดการ พัฒนาโดยการน างานวิจัย … กิจการ 100" —
    enterprises of the whole program, each once."""
    seed_says("000", SCALE_UP)
    program = Program("xlsx", tmp_path, targets="sme_scale_up")
    program.services.run("program")
    enterprises = program.targets()["ผู้ประกอบการ SMEs ได้รับการต่อยอดการพัฒนา (กิจการ)"]
    assert enterprises[2] == 5
    assert "นับไม่ซ้ำข้ามกิจกรรม: รายกิจกรรมรวมกัน 6 ซ้ำกัน 1 นับครั้งเดียว" in enterprises[4]


def test_each_activity_is_read_in_two_requests_and_never_written(tmp_path, fake_google):
    program = Program("google", tmp_path, fake_google)
    before = {job: program.everything(job) for job in ACTIVITIES}
    program.services.run("program")
    program.services.run("program")
    for job in ACTIVITIES:
        calls = [r[0] for r in fake_google.requests if program.where[job] in r[2]]
        assert calls == ["sheets.spreadsheets.get", "sheets.spreadsheets.values.batchGet"] * 2, job
        assert program.everything(job) == before[job]


def test_activity_workbooks_stay_unchanged_cell_for_cell_on_xlsx(tmp_path):
    program = Program("xlsx", tmp_path)
    before = {job: (program.everything(job), program.where[job].read_bytes()) for job in ACTIVITIES}
    program.services.run("program")
    assert {job: (program.everything(job), program.where[job].read_bytes()) for job in ACTIVITIES} == before


def test_a_second_run_changes_nothing(program):
    program.services.run("program")
    again = program.services.run("program")
    assert again.counts["cells_changed"] == 0 and again.counts["tabs_created"] == 0


def test_a_bad_row_of_an_activity_is_a_problem_naming_the_activity_tab_row_and_column(tmp_path):
    tabs = activity_b()
    tabs["ศก.3"][4][book.at("เลขบัตรประจำตัวประชาชน")] = "1234567890123"  # a wrong check digit
    program = Program("xlsx", tmp_path, activities={**ACTIVITIES, "activity-b": ("5.1-3 บรรจุภัณฑ์", tabs)})
    program.services.run("program")
    problems = [row for row in program.read("program", PROBLEMS_TITLE)[1:] if row[0] == "5.1-3 บรรจุภัณฑ์ › ศก.3"]
    assert [(row[1], row[2], row[3]) for row in problems] == [(5, "เลขบัตรประจำตัวประชาชน", "1234567890123")]


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_an_activity_problem_on_the_run_page_opens_the_cell_in_the_activitys_spreadsheet(tmp_path, request, kind):
    """The program's run lists a bad row of an activity as `<activity> › <tab>`; its link is the cell in the
    activity's own spreadsheet (or file), where the officer fixes it, not in the program's."""
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    tabs = activity_b()
    tabs["ศก.3"][4][book.at("เลขบัตรประจำตัวประชาชน")] = "1234567890123"  # a wrong check digit
    program = Program(kind, tmp_path, fake, activities={**ACTIVITIES, "activity-b": ("5.1-3 บรรจุภัณฑ์", tabs)})
    outcome = program.services.run("program")
    [link] = [link for p, link in zip(outcome.problems, outcome.links) if p.tab == "5.1-3 บรรจุภัณฑ์ › ศก.3"]
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[book.at("เลขบัตรประจำตัวประชาชน")]
    if kind == "google":
        assert link.startswith(f"https://docs.google.com/spreadsheets/d/{program.where['activity-b']}/edit#gid=")
        assert link.endswith(f"&range={column}5")
    else:
        assert link == f"{program.where['activity-b'].name} › ศก.3!{column}5"
    [stored] = [l for p, l in zip(program.services.store.problems(outcome.run_id),
                                  program.services.store.problem_links(outcome.run_id)) if p.tab.endswith("ศก.3")]
    assert stored == link


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_a_missing_activity_stops_the_run_in_one_line_naming_the_job_and_leaves_the_summary_as_it_was(
        kind, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    program = Program(kind, tmp_path, fake)
    program.services.run("program")
    before = program.everything("program")
    if kind == "xlsx":
        program.where["activity-b"].unlink()
    else:
        del fake.state.spreadsheets[program.where["activity-b"]]
    with pytest.raises(BackendError) as stopped:
        program.services.run("program")
    line = str(stopped.value)
    assert "\n" not in line and "activity-b" in line and "jobs.activity-b" in line
    assert program.everything("program") == before
    assert program.services.store.last_run("program").status == "failed"


def test_a_program_lists_reporting_jobs_and_never_shares_an_activitys_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    jobs = {"a": JobSettings(kind="reporting", workbook=path)}
    for program, needle in ((JobSettings(kind="program", workbook=tmp_path / "p.xlsx"), "list the reporting jobs"),
                            (JobSettings(kind="program", workbook=tmp_path / "p.xlsx", activities=("b",)), "'b'"),
                            (JobSettings(kind="program", workbook=path, activities=("a",)), "of its own"),
                            (JobSettings(kind="reporting", workbook=path, activities=("a",)), "only a job")):
        with pytest.raises(ConfigError, match=needle):
            bootstrap(Settings(state_db=tmp_path / "s.sqlite", jobs={**jobs, "p": program}))


def test_the_reporting_page_shows_a_program_per_activity_beside_the_reporting_jobs(tmp_path):
    from app.web import create_app
    from tests.web.browser.webapp import sign_in, web_settings
    from tests.web.test_web_pages import page, text_of

    program = Program("xlsx", tmp_path)
    program.services.run("program")
    settings = web_settings(tmp_path, dict(program.services.settings.jobs))
    client = create_app(settings, bootstrap(settings)).test_client()
    sign_in(client, "view")
    picker = page(client, "/reporting")
    assert all(f"?job={job}" in picker for job in ("activity-a", "activity-b", "program"))
    shown = text_of(page(client, "/reporting?job=program"))
    assert "รายกิจกรรม (per activity)" in shown and "5.1-3 บรรจุภัณฑ์" in shown
    assert "นับไม่ซ้ำข้ามกิจกรรม" in shown


def test_check_names_the_programs_activities_and_map_points_to_them(tmp_path, capsys):
    from app.cli.check import run_checks
    from app.cli.commands import map_layout

    program = Program("xlsx", tmp_path)
    lines = [what for ok, what, _fix in run_checks(program.services, tmp_path / "config.toml") if ok]
    assert "program: program over the activities activity-a, activity-b (read only; each checked as its own job)" \
        in lines
    with pytest.raises(ConfigError, match="map activity-a"):
        map_layout(program.services.settings, "program", None)


def test_an_activity_tab_that_lost_its_rows_stops_the_program_until_accepted(tmp_path):
    """Issue 9 item 8 for a program: a tab that had rows last run and has none now stops, outputs as they were."""
    program = Program("xlsx", tmp_path)
    program.services.run("program")
    before = program.everything("program")
    workbook = openpyxl.load_workbook(program.where["activity-b"])
    del workbook["ศก.3"]
    workbook.save(program.where["activity-b"])
    with pytest.raises(StoppedError, match="5.1-3 บรรจุภัณฑ์ › ศก.3"):
        program.services.run("program")
    after = program.everything("program")
    assert {t: g for t, g in after.items() if t != PROBLEMS_TITLE} == \
        {t: g for t, g in before.items() if t != PROBLEMS_TITLE}
    assert any(row[0] == "5.1-3 บรรจุภัณฑ์ › ศก.3" for row in after[PROBLEMS_TITLE][1:])
    accepted = program.services.run("program", accept_emptied=True)
    assert accepted.status == "ok" and program.table(BY_ACTIVITY)[TOTAL]["ผู้เข้าร่วม (คน)"] == 4


def test_a_program_never_writes_an_activitys_workbook_given_as_its_workbook(tmp_path):
    program = Program("xlsx", tmp_path)
    before = program.where["activity-a"].read_bytes()
    with pytest.raises(ConfigError, match="never writes an activity's"):
        program.services.run("program", path=program.where["activity-a"])
    assert program.where["activity-a"].read_bytes() == before


def test_outputs_are_counted_over_every_activitys_outputs_tab(tmp_path):
    """Seed 000 (SME Scale Up) "ประชุมเตรียมความพร้อม": meetings of every activity add up; an unknown output is a
    problem naming its activity."""
    header = [["ผลผลิต", "จำนวน", "วันที่", "เลขประจำตัวผู้เสียภาษี", "รายละเอียด/หลักฐาน"]]
    first = {**book.TABS, "ผลผลิตโครงการ": header + [["ประชุม", 2, "01/03/2567", None, "รายงานการประชุม"]]}
    second = {**activity_b(), "ผลผลิตโครงการ": header + [["ประชุม", None, "02/03/2567", None, ""],
                                                         ["งานเลี้ยง", 1, "03/03/2567", None, ""]]}
    program = Program("xlsx", tmp_path, activities={"activity-a": ("5.1-2 การพัฒนาองค์ความรู้", first),
                                                    "activity-b": ("5.1-3 บรรจุภัณฑ์", second)},
                      targets="sme_scale_up")
    program.services.run("program")
    assert program.targets()["ประชุมเตรียมความพร้อม/รายงานความคืบหน้า (ครั้ง)"][2] == 3
    problems = {(row[0], row[1], row[3]) for row in program.read("program", PROBLEMS_TITLE)[1:]}
    assert ("5.1-3 บรรจุภัณฑ์ › ผลผลิตโครงการ", 3, "งานเลี้ยง") in problems


def test_the_program_kind_on_a_workbook_without_a_configured_program_says_what_to_configure(tmp_path):
    path = tmp_path / "p.xlsx"
    create_xlsx(path, PROGRAM_TABS)
    services = bootstrap(Settings(state_db=tmp_path / "s.sqlite"), clock=lambda: NOW)
    with pytest.raises(ConfigError, match="lists no activities"):
        services.run("program", path=path)


def test_the_demo_program_counts_the_five_people_both_demo_activities_served_once(tmp_path, monkeypatch, capsys):
    from app.cli.main import main
    from app.demo_data.program import SHARED_ROWS

    monkeypatch.chdir(tmp_path)
    assert main(["init-demo", "--dir", "demo"]) == 0
    assert main(["--config", "demo/config.toml", "sync", "program"]) == 0
    grid = XlsxWorkbook(tmp_path / "demo" / "program.xlsx").read([BY_ACTIVITY])[BY_ACTIVITY]
    people = {row[0]: row[1] for row in grid[1:4]}
    assert list(people)[:2] == ["reporting", "reporting-2"]
    assert people["reporting"] + people["reporting-2"] - people[TOTAL] == len(SHARED_ROWS)
