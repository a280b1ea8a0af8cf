"""A run that loses its inputs stops instead of emptying its outputs (issue #11 finding 3, issue #9 item 8).

The campaign: on a synced workbook, on both backends, an officer renames, empties or deletes an input tab, or
renames or clears a required header. Every case stops the run with one line (recorded as a failed run), sends no
mail and leaves every output tab — the announced list `ประกาศรายชื่อ` included — cell for cell as it was; the one
line is what `ข้อผิดพลาดข้อมูล` then shows, so the officer sees why in the sheet too.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.errors import StoppedError
from app.sync.problem_tab import PROBLEMS_TITLE
from tests import reporting_book
from tests.assessment_book import APPLICANT_HEADERS, assessment_backend, workbook
from tests.backends import Backend, make_backend

APPLICANTS, TOPICS = "ผู้สมัคร", "หัวข้อสมรรถนะ"
ASSESSMENT_OUTPUTS = ("สรุปผลการประเมิน", "ติดตามบุคคลอ้างอิง", "ประกาศรายชื่อ", "ภาพรวมการประเมิน")
REPORTING_OUTPUTS = ("รวบรวมรายชื่อ", "สรุปผลผลิต", "สรุปตามคลัสเตอร์", "สรุปตามจังหวัด", "ระดับความสำเร็จคลัสเตอร์")


class Officer:
    """What an officer does to a workbook in Excel or in Google Sheets."""

    def __init__(self, backend: Backend, fake) -> None:
        self.backend, self.fake = backend, fake

    def _xlsx(self, change) -> None:
        book = openpyxl.load_workbook(self.backend.path)
        change(book)
        book.save(self.backend.path)

    def rename(self, tab: str, title: str) -> None:
        if self.fake:
            return self.fake.rename_tab(self.backend.spreadsheet_id, tab, title)
        self._xlsx(lambda book: setattr(book[tab], "title", title))

    def delete(self, tab: str) -> None:
        if self.fake:
            return self.fake.delete_tab(self.backend.spreadsheet_id, tab)
        self._xlsx(lambda book: book.remove(book[tab]))

    def empty(self, tab: str) -> None:
        if self.fake:
            return self.fake.clear_rows(self.backend.spreadsheet_id, tab)
        self._xlsx(lambda book: book[tab].delete_rows(2, book[tab].max_row))

    def type(self, tab: str, row: int, col: int, value) -> None:
        self.backend.edit(tab, row, col, value)


def header(name: str) -> int:
    return APPLICANT_HEADERS.index(name) + 1


ASSESSMENT_BREAKS = {
    "rename ผู้สมัคร": lambda o: o.rename(APPLICANTS, "ผู้สมัคร (ชุดเก่า)"),
    "empty ผู้สมัคร": lambda o: o.empty(APPLICANTS),
    "delete ผู้สมัคร": lambda o: o.delete(APPLICANTS),
    "rename a required header": lambda o: o.type(APPLICANTS, 1, header("เลขที่ใบสมัคร"), "เลขที่"),
    "clear a required header": lambda o: o.type(APPLICANTS, 1, header("อีเมล"), None),
    "delete หัวข้อสมรรถนะ": lambda o: o.delete(TOPICS),
    "empty ผลประเมินเอกสาร": lambda o: o.empty("ผลประเมินเอกสาร"),
}
REPORTING_BREAKS = {
    "delete หน่วยงาน": lambda o: o.delete("หน่วยงาน"),
    "rename หน่วยงาน": lambda o: o.rename("หน่วยงาน", "รายชื่อหน่วย"),
    "empty หน่วยงาน": lambda o: o.empty("หน่วยงาน"),
    "delete a unit tab": lambda o: o.delete("กข."),
    "rename a unit tab": lambda o: o.rename("ศภ.1", "ศภ.1 (สำรอง)"),
    "empty a unit tab": lambda o: o.empty("กข."),
}


def _outputs(backend: Backend, titles) -> dict:
    return {title: backend.read(title) for title in titles}


def _stops_with_one_line_and_changes_nothing(backend: Backend, job: str, outputs, outbox: Path | None = None):
    before = _outputs(backend, outputs)
    mails = sorted(outbox.iterdir()) if outbox and outbox.exists() else []
    with pytest.raises(StoppedError) as stopped:
        backend.run(job)
    line = str(stopped.value)
    assert line and "\n" not in line
    assert _outputs(backend, outputs) == before
    assert backend.read(PROBLEMS_TITLE)[1:] and all(row[4] == line or line.endswith(row[4])
                                                    for row in backend.read(PROBLEMS_TITLE)[1:])
    assert backend.services.store.last_run(job).status == "failed"
    if outbox:
        assert (sorted(outbox.iterdir()) if outbox.exists() else []) == mails
    return line


@pytest.mark.parametrize("kind", ["xlsx", "google"])
@pytest.mark.parametrize("case", ASSESSMENT_BREAKS)
def test_workbook_a_that_lost_its_inputs_stops_and_keeps_the_announced_list(kind, case, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    backend = assessment_backend(kind, tmp_path, fake)
    assert backend.run().status == "ok"
    assert len(backend.read("ประกาศรายชื่อ")) > 1
    ASSESSMENT_BREAKS[case](Officer(backend, fake))
    _stops_with_one_line_and_changes_nothing(backend, "assessment", ASSESSMENT_OUTPUTS, tmp_path / "outbox")
    with pytest.raises(StoppedError):  # and it keeps stopping: the failed run is not the one compared with
        backend.run()


@pytest.mark.parametrize("kind", ["xlsx", "google"])
@pytest.mark.parametrize("case", REPORTING_BREAKS)
def test_workbook_b_that_lost_its_units_stops_and_keeps_its_summaries(kind, case, tmp_path, request):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    backend = make_backend(kind, reporting_book.TABS, tmp_path, fake, workflow="reporting")
    assert backend.run("reporting").status == "ok"
    REPORTING_BREAKS[case](Officer(backend, fake))
    _stops_with_one_line_and_changes_nothing(backend, "reporting", REPORTING_OUTPUTS)


def test_the_line_says_what_was_lost_and_how_to_go_on(tmp_path):
    backend = assessment_backend("xlsx", tmp_path)
    backend.run()
    Officer(backend, None).empty(APPLICANTS)
    with pytest.raises(StoppedError) as stopped:
        backend.run()
    line = str(stopped.value)
    assert APPLICANTS in line and "มี 14 แถว" in line and "--accept-emptied-tabs" in line and "had 14 rows" in line


def test_emptying_on_purpose_is_accepted_when_said(tmp_path):
    backend = assessment_backend("xlsx", tmp_path)
    backend.run()
    Officer(backend, None).empty(APPLICANTS)
    assert backend.run(accept_emptied=True).status == "ok"
    assert backend.read("ประกาศรายชื่อ")[1:] == []
    assert backend.run().status == "ok"  # the emptied tab is now what the last successful run saw


def test_a_workbook_without_a_required_tab_stops_from_its_first_run(tmp_path):
    tabs = workbook()
    del tabs[TOPICS]
    backend = assessment_backend("xlsx", tmp_path, tabs=tabs)
    with pytest.raises(StoppedError, match=f"แท็บ \"{TOPICS}\": ไม่พบแท็บนี้"):
        backend.run()
    assert openpyxl.load_workbook(backend.path).sheetnames == list(tabs) + [PROBLEMS_TITLE]


def test_a_new_unit_listed_before_its_tab_exists_is_a_row_problem_not_a_stop(tmp_path):
    backend = make_backend("xlsx", reporting_book.TABS, tmp_path, workflow="reporting")
    outcome = backend.run("reporting")
    assert outcome.status == "ok" and any(p.tab == "หน่วยงาน" and p.value == "ศภ.9" for p in outcome.problems)
    assert backend.run("reporting").status == "ok"
