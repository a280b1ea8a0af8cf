"""Service tabs carry the service's mark; a tab without it is never written unless the service wrote it before."""
from __future__ import annotations

import openpyxl
import pytest

from app.adapters.xlsx import MARK_PREFIX
from app.cli.main import main
from app.sync.ownership import alternative, place, written_by_service
from app.sync.problem_tab import PROBLEMS_TITLE
from tests import reporting_book, seed_reporting_book
from tests.backends import make_backend

SUMMARY = "สรุปผลผลิต"


@pytest.fixture(params=["xlsx", "google"])
def appendix(request, tmp_path):
    fake = request.getfixturevalue("fake_google") if request.param == "google" else None
    backend = make_backend(request.param, reporting_book.TABS, tmp_path, fake, workflow="reporting")
    backend.fake = fake
    return backend


def strip_marks(backend) -> None:
    """The workbook as the previous version left it: the same service tabs, no marks."""
    if backend.kind == "xlsx":
        book = openpyxl.load_workbook(backend.path)
        for name in [n for n in book.defined_names if n.startswith(MARK_PREFIX)]:
            del book.defined_names[name]
        book.save(backend.path)
    else:
        for sheet in backend.fake.state.spreadsheets[backend.spreadsheet_id].sheets:
            sheet.developer_metadata.clear()


def titles(backend) -> list[str]:
    if backend.kind == "xlsx":
        return openpyxl.load_workbook(backend.path, read_only=True).sheetnames
    return [s.title for s in backend.fake.state.spreadsheets[backend.spreadsheet_id].sheets]


def test_service_tabs_are_marked_when_created(appendix):
    appendix.run("reporting")
    if appendix.kind == "google":
        marks = appendix.fake.developer_metadata(appendix.spreadsheet_id, SUMMARY)
        assert [(m["metadataKey"], m["metadataValue"], m["location"]["locationType"]) for m in marks] == [
            ("sme-sheets-service.tab", SUMMARY, "SHEET")]
    owned = appendix.services.workbook("reporting", appendix.path)[0].owned_tabs()
    assert owned[SUMMARY] == SUMMARY and owned[PROBLEMS_TITLE] == PROBLEMS_TITLE


def test_an_upgraded_workbook_keeps_its_unmarked_service_tabs(appendix):
    """Tabs synced by the previous version carry no mark: exactly what the service wrote, so they are adopted."""
    appendix.run("reporting")
    strip_marks(appendix)
    again = appendix.run("reporting")
    assert again.counts["cells_changed"] == 0 and not [t for t in titles(appendix) if t.endswith("(ระบบ)")]
    owned = appendix.services.workbook("reporting", appendix.path)[0].owned_tabs()
    assert owned[SUMMARY] == SUMMARY  # marked now


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_an_officer_tab_with_a_service_title_is_left_alone(kind, request, tmp_path):
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    officer = [["หน่วยงาน", "หมายเหตุ"], ["กข.", "ตรวจแล้ว"]]
    backend = make_backend(kind, dict(reporting_book.TABS, **{SUMMARY: officer}), tmp_path, fake, workflow="reporting")
    outcome = backend.run("reporting")
    assert backend.read(SUMMARY) == officer
    assert backend.read(alternative(SUMMARY))[1][0] == "กข."
    assert [(p.tab, p.row) for p in outcome.problems if p.tab == SUMMARY] == [(SUMMARY, None)]
    second = backend.run("reporting")  # found by its mark now: the officer tab is not even read
    assert second.counts["cells_changed"] == 0 and backend.read(SUMMARY) == officer


def test_a_renamed_service_tab_is_found_by_its_mark_on_google(fake_google, tmp_path):
    backend = make_backend("google", reporting_book.TABS, tmp_path, fake_google, workflow="reporting")
    backend.run("reporting")
    fake_google.rename_tab(backend.spreadsheet_id, SUMMARY, "สรุปผลผลิต ปี 69")
    outcome = backend.run("reporting")
    assert outcome.counts["tabs_created"] == 0 and SUMMARY not in [s.title for s in
                                                                   fake_google.state.spreadsheets[backend.spreadsheet_id].sheets]
    assert fake_google.values(backend.spreadsheet_id, "สรุปผลผลิต ปี 69")[0][0] == "หน่วยงาน"


def test_placement_rules():
    placement = place(["ก", "ข", "ค"], ["ข", "ค", "ค (ระบบ)"], {"ค": "ค (ระบบ)"})
    assert placement.titles == {"ก": "ก", "ค": "ค (ระบบ)"} and placement.undecided == ["ข"]
    assert placement.foreign == ["ค"]
    assert written_by_service([["แท็บ", "แถว", None]], ("แท็บ", "แถว"))
    assert not written_by_service([["แท็บ"]], ("แท็บ", "แถว")) and not written_by_service(None, ("แท็บ",))


def test_check_says_which_officer_tabs_the_service_leaves_alone(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    backend = make_backend("xlsx", seed_reporting_book.TABS, tmp_path, workflow="reporting")
    path = backend.path
    config = tmp_path / "config.toml"
    config.write_text(f'[jobs.reporting]\nkind = "reporting"\nworkbook = "{path}"\n', encoding="utf-8")
    main(["--config", str(config), "check"])
    out = capsys.readouterr().out
    assert "tabs known by their layout: ศก.1, ศก.2" in out
    assert "tab รวบรวมรายชื่อ is an officer tab: left alone, the service writes 'รวบรวมรายชื่อ (ระบบ)'" in out
    assert "✗" not in out
