"""Cluster milestone levels (seed 002): evidence of a level and every lower one, Super Cluster level 3's 70 %."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from app.demo_data import CLUSTER_EVIDENCE
from app.sheets.layout_files import SCHEMA_DIR, SchemaError
from tests.seed_quotes import seed_says
from app.reporting.milestones import assess_levels, evidence_key
from app.reporting.summaries import share_by_enterprise
from app.reporting.rules_files import load_reporting_rules

RULES = load_reporting_rules().milestones
CONDITION = RULES.levels["Super Cluster"][2].condition


def evidence(kind: str, year: int, ticked_levels: range, extra: tuple[str, ...] = ()) -> dict:
    ticks = {h for lv in ticked_levels for h in CLUSTER_EVIDENCE[kind][lv]} | set(extra)
    row = {"cluster": "ผ้าไทย", "cluster_type": kind, "year": year}
    row.update({evidence_key(h): h in ticks for lv in CLUSTER_EVIDENCE[kind].values() for h in lv})
    return row


def assess(rows: list[dict], share: float | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    return assess_levels(frame, RULES, {CONDITION.holds: pd.Series(share, index=frame.index, dtype=float)})


def test_evidence_items_are_the_demo_tab_s_columns():
    assert {kind: {lv.number: lv.evidence for lv in levels} for kind, levels in RULES.levels.items()} == CLUSTER_EVIDENCE


def test_level_is_the_highest_with_all_lower_levels_complete():
    result = assess([evidence("ทั่วไป", 2, range(1, 4)),
                     evidence("ทั่วไป", 2, range(1, 2), CLUSTER_EVIDENCE["ทั่วไป"][3]),  # L3 without L2: still 1
                     evidence("ทั่วไป", 1, range(1, 1)),
                     evidence("ทั่วไป", 3, range(1, 6))])
    assert result["level_reached"].tolist() == [3, 1, 0, 5]
    assert result["missing_for_next"].tolist() == [
        "ระดับ 4 ขาด (missing): L4 เชื่อมโยงผู้มีส่วนได้ส่วนเสีย",
        "ระดับ 2 ขาด (missing): L2 CDA และผู้นำกลุ่ม; L2 กิจกรรมตามแผนปฏิบัติการ",
        "ระดับ 1 ขาด (missing): L1 โครงสร้างคณะกรรมการ; L1 แผนกลยุทธ์; L1 Cluster Map; L1 แผนปฏิบัติการ",
        "ครบทุกระดับแล้ว (all levels reached)"]


YEAR_TARGETS = ("ปีที่ ๑ ระดับความสำเร็จที่กลุ่มอุตสาหกรรมสามารถบรรลุได้ตามขั้นความสำเร็จของการรวมกลุ่ม (Milestone) อย่างน้อยระดับ ๒ จาก ๕")


def test_super_cluster_targets_by_year_two_three_then_five():
    """Seed 002, Super Cluster "การวัดผลลัพธ์": "ปีที่ ๑ ... อย่างน้อยระดับ ๒ จาก ๕", "ปีที่ ๒ ... อย่างน้อยระดับ ๓ จาก ๕",
    "ปีที่ ๓ ... ระดับ ๕"."""
    seed_says("002", YEAR_TARGETS)
    seed_says("002", "ปีที่ ๓ ระดับความสำเร็จที่กลุ่มอุตสาหกรรมสามารถบรรลุได้ตามขั้นความสำเร็จของการรวมกลุ่ม (Milestone) ระดับ ๕")
    rows = [evidence("Super Cluster", 1, range(1, 3)), evidence("Super Cluster", 2, range(1, 3)),
            evidence("Super Cluster", 3, range(1, 5)), evidence("Super Cluster", 4, range(1, 6))]
    result = assess(rows, share=70)
    assert result["target_level"].tolist() == [2, 3, 5, 5]
    assert result["target_met"].tolist() == ["บรรลุ (met)", "ไม่บรรลุ (not met)", "ไม่บรรลุ (not met)", "บรรลุ (met)"]


def test_an_ordinary_cluster_has_no_year_target_but_shows_what_the_next_level_needs():
    """Seed 002 gives "การวัดผลลัพธ์" under the Super Cluster table only ("ขั้นความสำเร็จของการรวมกลุ่มอุตสาหกรรม
    เป้าหมาย (Super Cluster)"); the ordinary table ("ชั้นความสำเร็จของการรวมกลุ่ม SME และเชื่อมโยงอุตสาหกรรม") has none."""
    seed_says("002", "ชั้นความสำเร็จของการรวมกลุ่ม SME และเชื่อมโยงอุตสาหกรรม")
    result = assess([evidence("ทั่วไป", 3, range(1, 3))])
    assert pd.isna(result["target_level"].iloc[0])
    assert result[["level_reached", "target_met"]].iloc[0].tolist() == [2, "ไม่กำหนดเป้าหมาย (no target set)"]
    assert result["missing_for_next"].iloc[0] == "ระดับ 3 ขาด (missing): L3 ผลผลิตเพิ่มขึ้น (ยอดขาย/ต้นทุน/การสูญเสีย)"


def test_a_program_may_give_ordinary_clusters_targets(tmp_path):
    folder = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, folder)
    program = folder / "programs" / "cluster_project.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "cluster_year_targets:\n  ทั่วไป: {1: 1}\n",
                       encoding="utf-8")
    rules = load_reporting_rules("cluster_project", folder).milestones
    assert rules.year_targets == {"Super Cluster": ((1, 2), (2, 3), (3, 5)), "ทั่วไป": ((1, 1),)}
    frame = pd.DataFrame([evidence("ทั่วไป", 2, range(1, 2))])
    result = assess_levels(frame, rules, {CONDITION.holds: pd.Series(dtype=float)})
    assert result[["level_reached", "target_level", "target_met"]].iloc[0].tolist() == [1, 1, "บรรลุ (met)"]


def test_year_targets_name_a_cluster_type(tmp_path):
    folder = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, folder)
    path = folder / "milestones.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year_targets:\n  Super Cluster:",
                                                             "year_targets:\n  Mega Cluster:"), encoding="utf-8")
    with pytest.raises(SchemaError, match="milestones.yaml: year_targets: 'Mega Cluster'"):
        load_reporting_rules("cluster_project", folder)


def test_super_cluster_level_3_needs_70_percent_of_enterprises_improved():
    row = evidence("Super Cluster", 2, range(1, 6))
    assert assess([row], share=70)["level_reached"].tolist() == [5]
    below = assess([row], share=69.9)
    assert below["level_reached"].tolist() == [2]
    assert below["missing_for_next"].iloc[0].endswith("ต้องไม่น้อยกว่าร้อยละ 70 (ได้ 69.9)")
    assert assess([row], share=None)["missing_for_next"].iloc[0].endswith("(ได้ ไม่มีข้อมูล)")


def test_share_of_a_cluster_s_enterprises_improved():
    # enterprise E1 improved on one of two rows, E2 not, E3 belongs to another cluster, E4's only row is a repeat
    holds = pd.Series([False, True, False, True, True])
    cluster = pd.Series(["ปลากัด", "ปลากัด", "ปลากัด", "ผ้าไทย", "ปลากัด"])
    enterprise = pd.Series(["E1", "E1", "E2", "E3", "E4"])
    counted = pd.Series([True, True, True, True, False])
    assert share_by_enterprise(holds, cluster, enterprise, counted).to_dict() == {"ปลากัด": 50.0, "ผ้าไทย": 100.0}
