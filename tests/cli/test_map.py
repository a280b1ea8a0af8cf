"""`python -m app map`: how each tab and column is read, "did you mean", and an override file that sync and check use."""
from __future__ import annotations

import json

import pytest

from app.adapters.xlsx import create_xlsx
from app.cli.main import main
from tests import reporting_book, seed_reporting_book

RENAMED = "จังหวัดที่จัดกิจกรรม"  # an office's own header for the activity's province: no alias knows it


def renamed_province() -> dict[str, list[list]]:
    tabs = {title: [list(row) for row in grid] for title, grid in reporting_book.TABS.items()}
    for unit in ("กข.", "ศภ.1"):
        tabs[unit][0] = [RENAMED if h == "จังหวัด" else h for h in tabs[unit][0]]
    return tabs


def config_for(kind: str, tmp_path, tabs, fake=None) -> tuple:
    if kind == "xlsx":
        path = tmp_path / "reporting.xlsx"
        create_xlsx(path, tabs)
        where = f'workbook = "{path}"'
        google = ""
    else:
        key = tmp_path / "key.json"
        key.write_text(json.dumps(fake.service_account_info()), encoding="utf-8")
        where = f'spreadsheet_id = "{fake.create_spreadsheet("รายงานผล", tabs)}"'
        google = f'[google]\ncredentials_file = "{key}"\nendpoint = "{fake.base_url}"\nbackoff_base = 0\n'
    config = tmp_path / "config.toml"
    config.write_text(f'state_db = "{tmp_path / "state.sqlite"}"\nlayouts_dir = "{tmp_path / "layouts"}"\n{google}'
                      f'[jobs.reporting]\nkind = "reporting"\n{where}\n', encoding="utf-8")
    return config, tmp_path / "layouts" / "reporting.yaml"


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_the_override_file_map_writes_makes_sync_and_check_read_the_column(kind, tmp_path, monkeypatch, capsys,
                                                                             request):
    monkeypatch.chdir(tmp_path)
    fake = request.getfixturevalue("fake_google") if kind == "google" else None
    config, overrides = config_for(kind, tmp_path, renamed_province(), fake)
    assert main(["--config", str(config), "map", "reporting"]) == 2
    out = capsys.readouterr().out
    assert "แท็บ 'กข.' → unit (listed in the tab that names them, headers in row 1)" in out
    assert "✓ activity_name ← 'ชื่อกิจกรรม' กข.!A1" in out
    assert f"✗ province: required header 'จังหวัด' not found — did you mean '{RENAMED}'?" in out
    assert "แท็บ 'หน่วยงาน' → units (by its title" in out
    written = overrides.read_text(encoding="utf-8")
    assert f'province: []  # \'จังหวัด\' not found; did you mean: "{RENAMED}"' in written

    assert main(["--config", str(config), "sync", "reporting"]) == 0
    assert "rows read 0" in capsys.readouterr().out  # both unit tabs left out: no province header

    overrides.write_text(written.replace("province: []", f'province: ["{RENAMED}"]'), encoding="utf-8")
    assert main(["--config", str(config), "sync", "reporting"]) == 0
    assert "rows read 9" in capsys.readouterr().out
    assert main(["--config", str(config), "map", "reporting"]) == 0
    out = capsys.readouterr().out
    assert f"✓ province ← '{RENAMED}' กข.!E1" in out and "exists and is used" in out


def test_map_on_seed_002s_sheet_names_every_role(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    config, overrides = config_for("xlsx", tmp_path, seed_reporting_book.TABS)
    assert main(["--config", str(config), "map", "reporting"]) == 0
    out = capsys.readouterr().out
    assert "แท็บ 'Tris' (the officers' own tab: never read nor written)" in out
    assert "แท็บ 'รวบรวมรายชื่อ' (an officer tab with a service tab's title" in out
    assert "แท็บ 'ศก.1' → unit (by its headers, headers in row 3)" in out
    assert "✓ typed_cost_reduced_baht ← 'คิดเป็นมูลค่า (บาท)' ศก.1!BJ3" in out
    assert "header_row: 3" in overrides.read_text(encoding="utf-8")


def test_a_bad_override_file_stops_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    config, overrides = config_for("xlsx", tmp_path, reporting_book.TABS)
    overrides.parent.mkdir()
    overrides.write_text("workbook: reporting\ntabs:\n  unit:\n    aliases:\n      provinse: [x]\n", encoding="utf-8")
    assert main(["--config", str(config), "sync", "reporting"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "tabs.unit.aliases.provinse: no column 'provinse'" in err


def test_sync_without_a_kind_knows_the_officers_own_layouts(tmp_path, monkeypatch, capsys):
    """Neither seed 002's sheet (no `หน่วยงาน` tab) nor Google's `Form Responses N` tabs carry the layouts' titles."""
    from tests.assessment.test_forms_as_they_are import ENGLISH_NAMES, forms_workbook

    monkeypatch.chdir(tmp_path)
    for name, tabs, kind in (("seed.xlsx", seed_reporting_book.TABS, "reporting"),
                             ("forms.xlsx", forms_workbook(ENGLISH_NAMES), "assessment")):
        create_xlsx(tmp_path / name, tabs)
        assert main(["sync", "--workbook", str(tmp_path / name)]) == 0
        assert capsys.readouterr().out.startswith(f"{kind}: run ")
