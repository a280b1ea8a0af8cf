"""Scoring as SPEC.md states it (Workflow A step 4.3 and 5), as tables, with the boundaries."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.assessment.scoring import (FAIL, FAILED, FLOWCHART, INSUFFICIENT, INTERVIEW, PASS, PASSED, Rules, decide,
                                reference_verdicts, topic_verdicts, weigh, with_interview)
from tests.seed_quotes import seed_says

DONT_KNOW = np.nan  # `ไม่ทราบ` is read as no rating


@pytest.mark.parametrize("ratings, verdict", [
    ([4, 3], PASS),                  # mean exactly 3.5 (70%) with 2 raters
    ([4, 3, 3], INSUFFICIENT),       # 3.33
    ([5], INSUFFICIENT),             # fewer references than the minimum
    ([5, DONT_KNOW], INSUFFICIENT),  # ไม่ทราบ is not a rating: one rater left
    ([3, 2], INSUFFICIENT),          # mean exactly 2.5 is not below 2.5
    ([3, 1], FAIL),                  # 2.0
    ([1], INSUFFICIENT),             # one low rating alone does not fail a topic
    ([], INSUFFICIENT),
])
def test_reference_verdict_per_topic(ratings, verdict):
    frame = pd.DataFrame({"application_no": ["A"] * len(ratings), "C1": pd.Series(ratings, dtype=float)})
    assert reference_verdicts(frame, pd.Index(["A"]), ["C1"], Rules()).at["A", "C1"] == verdict


def test_reference_thresholds_come_from_the_rules():
    frame = pd.DataFrame({"application_no": ["A", "A", "A"], "C1": [4.0, 4.0, 4.0]})
    strict = Rules(min_references=3, reference_pass_mean=4.5, reference_fail_mean=4.1)
    assert reference_verdicts(frame, pd.Index(["A"]), ["C1"], strict).at["A", "C1"] == FAIL
    assert reference_verdicts(frame.iloc[:2], pd.Index(["A"]), ["C1"], strict).at["A", "C1"] == INSUFFICIENT


@pytest.mark.parametrize("document, references, topic", [
    (FAIL, PASS, FAIL), (FAIL, FAIL, FAIL), (FAIL, INSUFFICIENT, FAIL),
    (PASS, PASS, PASS), (PASS, INSUFFICIENT, PASS), (PASS, FAIL, INSUFFICIENT),  # settled in the interview
    (INSUFFICIENT, PASS, PASS), (INSUFFICIENT, FAIL, FAIL), (INSUFFICIENT, INSUFFICIENT, INSUFFICIENT),
    (None, PASS, PASS), (None, FAIL, FAIL), (None, INSUFFICIENT, INSUFFICIENT),  # no review: references decide
])
def test_topic_verdict_combines_document_and_references(document, references, topic):
    documents = pd.DataFrame({"C1": [document]}, index=["A"], dtype=object)
    refs = pd.DataFrame({"C1": [references]}, index=["A"], dtype=object)
    assert topic_verdicts(documents, refs).at["A", "C1"] == topic


WEIGHTS = pd.Series({"C1": 40.0, "C2": 25.0, "C3": 15.0, "C4": 10.0, "C5": 5.0, "C6": 5.0})


def verdicts(*rows: str) -> pd.DataFrame:
    """One applicant per string of topic letters: p = pass, f = fail, i = insufficient."""
    letters = {"p": PASS, "f": FAIL, "i": INSUFFICIENT}
    return pd.DataFrame([[letters[c] for c in row] for row in rows], index=[f"A{i}" for i in range(len(rows))],
                        columns=list(WEIGHTS.index))


PASS_LINE = "• หากมีหัวข้อที่ผ่านที่มีน้ าหนักรวม 80% ขึ้นไป และมีหัวข้อที่ไม่ผ่านที่มีน้ าหนักรวมไม่เกิน 5% ถือว่า “ผ่านการประเมิน”"
INTERVIEW_LINE = ("• หากมีหัวข้อที่ผ่านที่มีน้ าหนักรวม 70% ขึ้นไป แต่น้อยกว่า 80% และมีหัวข้อที่ไม่ผ่านที่มี น้ าหนักรวมไม่เกิน 5% "
                  "ให้ประเมินเพิ่มเติมด้วยการสัมภาษณ์ (กรณีนี้ถือว่าข้อมูลไม่เพียงพอ)")
AFTER_INTERVIEW_LINE = ("หัวข้อที่ผ่านมีน้ าหนักรวม 80% ขึ้นไป และมีหัวข้อที่ไม่ผ่านมีน้ าหนักรวมไม่เกิน 5% ให้ถือว่า “ผ่านการ ประเมิน” "
                        "หากมีหัวข้อที่ไม่ผ่านเกิน 5% ขึ้นไป ให้ถือว่า “ไม่ผ่านการประเมิน”")


@pytest.mark.parametrize("row, p, f, decision, rule", [
    ("pppiii", 80, 0, PASSED, "P ≥ 80 และ F ≤ 5"),            # P exactly 80
    ("ppiiip", 70, 0, INTERVIEW, "70 ≤ P < 80"),              # P exactly 70
    ("ppiiii", 65, 0, FAILED, "P < 70: หลักฐานไม่เพียงพอ"),    # not covered by the manual: [default] fail
    ("ppppfp", 95, 5, PASSED, "P ≥ 80 และ F ≤ 5"),             # F exactly 5 is "ไม่เกิน 5%": within the limit
    ("pppifi", 80, 5, PASSED, "P ≥ 80 และ F ≤ 5"),             # both lines met exactly
    ("ppiifp", 70, 5, INTERVIEW, "70 ≤ P < 80 และ F ≤ 5"),
    ("ffpppp", 35, 65, FAILED, "F > 5"),
    ("pppppp", 100, 0, PASSED, "P ≥ 80"),
    ("ppifii", 65, 10, FAILED, "F > 5"),                       # F beyond the limit whatever P is
    ("ppppff", 90, 10, FAILED, "F > 5"),
])
def test_manual_policy_decisions(row, p, f, decision, rule):
    """Seed 004 6.4 (3): "• หากมีหัวข้อที่ผ่านที่มีน้ าหนักรวม 80% ขึ้นไป และมีหัวข้อที่ไม่ผ่านที่มีน้ าหนักรวมไม่เกิน 5%
    ถือว่า “ผ่านการประเมิน”" and "... 70% ขึ้นไป แต่น้อยกว่า 80% และมีหัวข้อที่ไม่ผ่านที่มี น้ าหนักรวมไม่เกิน 5%
    ให้ประเมินเพิ่มเติมด้วยการสัมภาษณ์": F = 5 is within the limit; F above it fails."""
    seed_says("004", PASS_LINE), seed_says("004", INTERVIEW_LINE)
    weighed = weigh(verdicts(row), WEIGHTS)
    decided = decide(weighed, Rules())
    assert (weighed.at["A0", "P"], weighed.at["A0", "F"]) == (p, f)
    assert weighed.at["A0", "I"] == 100 - p - f
    assert decided.at["A0", "decision"] == decision and rule in decided.at["A0", "rule"]
    assert decided.at["A0", "rule"].startswith("คู่มือ: ") and f"(P={p}, F={f}" in decided.at["A0", "rule"]


@pytest.mark.parametrize("weights, decision", [
    ({"C1": 80.0, "C2": 15.0, "C3": 5.0}, PASSED),       # F 5: "ไม่เกิน 5%"
    ({"C1": 80.0, "C2": 14.99, "C3": 5.01}, FAILED),     # F 5.01: beyond it
    ({"C1": 80.0, "C2": 15.0, "C3": 2.5, "C4": 2.5}, PASSED),  # 2.5 + 2.5 sums to the limit exactly
])
def test_the_fail_limit_with_fractional_weights(weights, decision):
    """Seed 004 6.4 (3): "...และมีหัวข้อที่ไม่ผ่านที่มีน้ าหนักรวมไม่เกิน 5% ถือว่า “ผ่านการประเมิน”"."""
    seed_says("004", PASS_LINE)
    letters = [PASS, INSUFFICIENT] + [FAIL] * (len(weights) - 2)
    frame = pd.DataFrame([letters], index=["A"], columns=list(weights))
    assert decide(weigh(frame, pd.Series(weights)), Rules()).at["A", "decision"] == decision


def test_a_zero_fail_limit_allows_no_failed_weight():
    """`น้ำหนักไม่ผ่านสูงสุด (ร้อยละ)` is the most F may be: 0 lets F = 0 through and fails F = 5."""
    decided = decide(weigh(verdicts("pppiii", "ppppfp"), WEIGHTS), Rules(max_fail_percent=0))
    assert list(decided["decision"]) == [PASSED, FAILED]


def test_fractional_weights_meet_the_line_exactly():
    weights = pd.Series({"C1": 33.3, "C2": 46.7, "C3": 20.0})
    frame = pd.DataFrame([[PASS, PASS, INSUFFICIENT]], index=["A"], columns=list(weights.index))
    assert decide(weigh(frame, weights), Rules()).at["A", "decision"] == PASSED  # 33.3 + 46.7 = 80


def test_thresholds_and_the_fail_limit_come_from_the_settings():
    weighed = weigh(verdicts("pppiii", "ppppff"), WEIGHTS)
    lenient = decide(weighed, Rules(pass_percent=85, interview_percent=75, max_fail_percent=10))
    assert list(lenient["decision"]) == [INTERVIEW, PASSED]  # F 10 is within a limit of 10


@pytest.mark.parametrize("row, decision", [
    ("pppiii", PASSED),       # P 80, no failed topic
    ("ppppfp", INTERVIEW),    # P 95, one failed topic
    ("pppffp", INTERVIEW),    # P 85, two failed topics
    ("ppiiii", FAILED),       # P below 80
    ("pffffp", FAILED),       # more than two failed topics
])
def test_flowchart_policy(row, decision):
    """The flowchart counts failed topics, not their weight; the F limit does not apply to it."""
    decided = decide(weigh(verdicts(row), WEIGHTS), Rules(policy=FLOWCHART))
    assert decided.at["A0", "decision"] == decision and decided.at["A0", "rule"].startswith("ผังงาน: ")


def test_interview_verdicts_override_and_decide_finally():
    """Seed 004 6.6: "หัวข้อที่ผ่านมีน้ าหนักรวม 80% ขึ้นไป และมีหัวข้อที่ไม่ผ่านมีน้ าหนักรวมไม่เกิน 5% ให้ถือว่า
    “ผ่านการ ประเมิน” หากมีหัวข้อที่ไม่ผ่านเกิน 5% ขึ้นไป ให้ถือว่า “ไม่ผ่านการประเมิน”"."""
    seed_says("004", AFTER_INTERVIEW_LINE)
    before = verdicts("ppiiip", "ppiiip", "ppiiip")
    interview = pd.DataFrame({"C3": [PASS, FAIL, PASS], "C4": [PASS, None, PASS], "C5": [None, None, FAIL]},
                             index=["A0", "A1", "A2"], dtype=object)
    after = with_interview(before, interview)
    assert list(after.loc["A0"]) == [PASS, PASS, PASS, PASS, INSUFFICIENT, PASS]
    assert after.at["A1", "C4"] == INSUFFICIENT  # a blank interview cell leaves the earlier verdict
    decided = decide(weigh(after, WEIGHTS), Rules(), after_interview=True)
    assert list(decided["decision"]) == [PASSED, FAILED, PASSED]  # P 95; F 15; P 95 with F exactly 5
    assert decided.at["A1", "rule"].startswith("คู่มือ หลังสัมภาษณ์: P < 80 หรือ F > 5")
    assert decided.at["A2", "rule"].startswith("คู่มือ หลังสัมภาษณ์: P ≥ 80 และ F ≤ 5")
    flow = decide(weigh(verdicts("pppffp"), WEIGHTS), Rules(policy=FLOWCHART), after_interview=True)
    assert flow.at["A0", "decision"] == PASSED  # P 85 with two failed topics passes the flowchart's final step


def test_scoring_is_vectorised_over_many_applicants():
    rows = ["pppiii", "ppiiip", "ppppff"] * 2000
    decided = decide(weigh(verdicts(*rows), WEIGHTS), Rules())
    assert decided["decision"].value_counts().to_dict() == {PASSED: 2000, INTERVIEW: 2000, FAILED: 2000}


def test_the_rules_defaults_are_the_settings_defaults_of_the_layout():
    """One source of defaults: the `ตั้งค่า` items of sheets_schema/assessment.yaml."""
    from app.assessment.reference_mail import MailRules
    from app.sheets.layout_files import load_workbook_spec

    defaults = load_workbook_spec("assessment").setting_defaults()
    assert Rules() == Rules.from_settings(defaults)
    assert MailRules() == MailRules.from_settings(defaults)
    assert (Rules().pass_percent, Rules().interview_percent, MailRules().wait_days) == (80, 70, 14)
