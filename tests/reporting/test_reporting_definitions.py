"""Workflow B's definition files: they load, a mistake stops with one line naming file and key, programs are chosen."""
from __future__ import annotations

import shutil

import pytest

from app.adapters.xlsx import XlsxWorkbook
from app.config import ConfigError, Settings, JobSettings
from app.errors import StoppedError
from app.reporting.rules_files import available_programs, load_reporting_rules
from app.sheets.layout_files import SCHEMA_DIR, SchemaError
from app.sync.problem_tab import PROBLEMS_TITLE
from app.wiring import bootstrap
from tests import reporting_book as book
from tests.backends import NOW, make_backend


@pytest.fixture
def schema(tmp_path):
    folder = tmp_path / "sheets_schema"
    shutil.copytree(SCHEMA_DIR, folder)
    return folder


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_three_seed_programs_load():
    assert available_programs() == ["cluster_project", "sme_network", "sme_scale_up"]
    scale_up = load_reporting_rules("sme_scale_up").program
    assert [(t.figure or t.output, t.target) for t in scale_up.targets] == [
        ("enterprises", 100), ("feasibility_report", 100), ("meeting", 4), ("network_event", 4), ("database", 1),
        ("network", 1), ("applied_share", 70), ("economic_value", 125_000_000)]
    assert load_reporting_rules("sme_network").program.targets[0].target == 7
    assert len(load_reporting_rules().clusters) == 7


@pytest.mark.parametrize("file, old, new, message", [
    ("indicators.yaml", "formula: (cost_before - cost_after) * 12", "formula: (cost_before - cost_afterr) * 12",
     r"indicators.yaml: indicators\[3\].formula: .*unknown name cost_afterr"),
    ("indicators.yaml", "formula: (cost_before - cost_after) * 12", "formula: __import__('os').system('x')",
     r"indicators.yaml: indicators\[3\].formula: .*calls are limited"),
    ("indicators.yaml", "column: cost_after,", "column: nothing,", r"indicators.yaml: rules\[3\].column"),
    ("indicators.yaml", "kind: share, of: applied_results", "kind: median, of: applied_results",
     r"indicators.yaml: figures\[5\].kind"),
    ("indicators.yaml", "    parts_column: economic_value_parts", "    formula: cost_before\n    parts_column: x",
     r"indicators.yaml: indicators\[\d+\]: give exactly one of formula, cases or parts"),
    ("indicators.yaml", "{of: investment, label", "{of: investments, label",
     r"indicators.yaml: indicators\[\d+\].parts\[6\].of"),
    ("milestones.yaml", "  Super Cluster:  #", "  Mega Cluster:  #", "milestones.yaml: cluster_types"),
    ("milestones.yaml", "4: [L4 นวัตกรรมต้นแบบ", "4: [นวัตกรรมต้นแบบ", "milestones.yaml: cluster_types.Super Cluster"),
    ("enterprise_size.yaml", "staff: [5, 30, 100]", "staff: [5, 100, 30]", "enterprise_size.yaml: limits.การค้าและบริการ"),
    ("programs/cluster_project.yaml", "figure: efficient_share", "figure: happiness",
     r"cluster_project.yaml: targets\[2\].figure"),
])
def test_a_mistake_in_a_definition_file_is_one_line_naming_file_and_key(schema, file, old, new, message):
    edit(schema / file, old, new)
    with pytest.raises(SchemaError, match=message) as error:
        load_reporting_rules("cluster_project", schema)
    assert "\n" not in str(error.value)


def test_unknown_program_in_the_config_is_a_config_error(tmp_path):
    services = bootstrap(Settings(state_db=tmp_path / "s.sqlite",
                                  jobs={"reporting": JobSettings(kind="reporting", program="sme_scale_upp")}))
    with pytest.raises(ConfigError, match="no such program .*sme_scale_up"):
        services.workflow("reporting")


def test_the_configured_program_decides_the_targets(tmp_path):
    backend = make_backend("xlsx", book.TABS, tmp_path, workflow="reporting")
    settings = Settings(state_db=tmp_path / "p.sqlite",
                        jobs={"reporting": JobSettings(kind="reporting", workbook=backend.path, program="sme_scale_up")})
    bootstrap(settings, clock=lambda: NOW).run("reporting")
    summary = backend.read("สรุปผลผลิต")
    header = ["ตัวชี้วัด", "เป้าหมาย", "ผลงาน", "บรรลุ", "วิธีนับ", "หมายเหตุ"]
    targets = summary[summary.index(header) + 1:]
    # 6 enterprises; no ผลผลิตโครงการ tab: the five outputs have no data (never guessed from activity names);
    # applied 3 of all 6 = 50 % (2 without data); 1,190,000 baht
    no_data = "ยังไม่มีข้อมูล (no data)"
    assert [r[1:4] for r in targets] == [[100, 6, "ไม่บรรลุ (not met)"], [100, None, no_data], [4, None, no_data],
                                        [4, None, no_data], [1, None, no_data], [1, None, no_data],
                                        [70, 50, "ไม่บรรลุ (not met)"], [125_000_000, 1_190_000, "ไม่บรรลุ (not met)"]]
    assert targets[6][5] == "ไม่มีข้อมูล 2 ราย"
    assert "SME SCALE UP" in summary[summary.index(header) - 1][0]


def test_without_the_units_tab_unit_tabs_are_known_by_their_layout(tmp_path):
    """Seed 002's sheet has no `หน่วยงาน` tab: "สรุปโครงการ รวบรวมรายชื่อ Tris ศก.1 ศก.2 … ศก.7 ตัวเลือก"."""
    tabs = {"Tris": [["ชื่อ-นามสกุล", "ชื่อกิจกรรม"], ["x", "y"]], "กข.": book.TABS["กข."], "บันทึก": [["เรื่อง"], ["ประชุม"]]}
    backend = make_backend("xlsx", tabs, tmp_path, workflow="reporting")
    outcome = backend.run("reporting")
    assert outcome.status == "ok" and outcome.counts["rows_read"] == 6
    assert {r[0] for r in backend.read("รวบรวมรายชื่อ")[1:]} == {"กข."}
    assert all(r[0] != "หน่วยงาน" for r in backend.read(PROBLEMS_TITLE)[1:])


def test_a_workbook_without_the_units_tab_nor_a_unit_tab_stops_with_one_line_and_writes_no_summary(tmp_path):
    """Changed on purpose by issue #11 finding 3: a missing required tab stops the run (it used to write empty
    summaries over the last good ones); since issue #9 tabs laid out as unit tabs stand in for `หน่วยงาน`."""
    backend = make_backend("xlsx", {"บันทึก": [["เรื่อง"], ["ประชุม"]]}, tmp_path, workflow="reporting")
    with pytest.raises(StoppedError, match="ไม่พบแท็บนี้"):
        backend.run("reporting")
    assert backend.read(PROBLEMS_TITLE)[1][:3] == ["หน่วยงาน", None, None]
    assert "สรุปผลผลิต" not in XlsxWorkbook(backend.path).tab_titles()


def test_a_unit_tab_without_a_required_header_is_left_out_and_the_others_go_on(tmp_path):
    broken = [row[:7] + row[8:] for row in book.TABS["ศภ.1"]]  # ชื่อ-นามสกุล column removed
    backend = make_backend("xlsx", dict(book.TABS, **{"ศภ.1": broken}), tmp_path, workflow="reporting")
    backend.run("reporting")
    problems = [r for r in backend.read(PROBLEMS_TITLE)[1:] if r[0] == "ศภ.1"]
    assert [(r[1], r[2]) for r in problems] == [(1, "ชื่อ-นามสกุล")]
    assert {r[0] for r in backend.read("รวบรวมรายชื่อ")[1:]} == {"กข."}


def test_a_formula_that_mixes_numbers_and_conditions_fails_when_loaded(schema):
    edit(schema / "indicators.yaml", "when: present(cost_after) & missing(cost_before)", "when: cost_after & cost_before")
    with pytest.raises(SchemaError, match="indicators.yaml: formulas: .*'cost_after & cost_before'.* join conditions"):
        load_reporting_rules("cluster_project", schema)
