"""Topic verdicts from documents and references, weighed into P / F / insufficient, and the decision rules.

Spec, Workflow A step 4.3 and 5. Two policies: `คู่มือ` (the manual's text, default) and `ผังงาน` (its flowchart).
Every frame is applicants × topic codes; nothing loops over applicants.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from app.sheets.layout_files import load_workbook_spec
from app.sheets.text_columns import plain_number

PASS, FAIL, INSUFFICIENT = "ผ่าน", "ไม่ผ่าน", "ข้อมูลไม่เพียงพอ"
PASSED, INTERVIEW, FAILED, PENDING = "ผ่านการประเมิน", "สัมภาษณ์", "ไม่ผ่านการประเมิน", "รอข้อมูล"
MANUAL, FLOWCHART = "คู่มือ", "ผังงาน"
DEFAULTS = load_workbook_spec("assessment").setting_defaults()
SETTING_KEYS = ("pass_percent", "interview_percent", "max_fail_percent", "min_references", "reference_pass_mean",
                "reference_fail_mean", "max_failed_topics")  # Rules' fields after the policy, in order
_EPSILON = 1e-9  # weights are typed in with decimals: compare sums with a little slack


@dataclass(frozen=True)
class Rules:
    """Thresholds of `ตั้งค่า`; the defaults are the items' defaults in sheets_schema/assessment.yaml."""

    policy: str = DEFAULTS["decision_policy"]
    pass_percent: float = DEFAULTS["pass_percent"]
    interview_percent: float = DEFAULTS["interview_percent"]
    max_fail_percent: float = DEFAULTS["max_fail_percent"]
    min_references: int = DEFAULTS["min_references"]
    reference_pass_mean: float = DEFAULTS["reference_pass_mean"]
    reference_fail_mean: float = DEFAULTS["reference_fail_mean"]
    max_failed_topics: int = DEFAULTS["max_failed_topics"]  # flowchart policy only

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> "Rules":
        """The thresholds as `ตั้งค่า` gives them (every item present: read_settings fills in the defaults)."""
        return cls(settings["decision_policy"], *(settings[key] for key in SETTING_KEYS))


def reference_verdicts(ratings: pd.DataFrame, applications: pd.Index, codes: list[str], rules: Rules) -> pd.DataFrame:
    """Pass when at least `min_references` rated the topic and their mean ≥ the pass mean; fail when as many rated
    it and the mean < the fail mean; otherwise insufficient (ไม่ทราบ is not a rating)."""
    grouped = ratings.groupby("application_no")[codes]
    count = grouped.count().reindex(applications, fill_value=0)
    mean = grouped.mean().reindex(applications)
    enough = count.to_numpy() >= rules.min_references
    values = np.select([enough & (mean.to_numpy() >= rules.reference_pass_mean),
                        enough & (mean.to_numpy() < rules.reference_fail_mean)], [PASS, FAIL], INSUFFICIENT)
    return pd.DataFrame(values, index=applications, columns=codes)


def topic_verdicts(documents: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Document ไม่ผ่าน → fail; document ผ่าน → pass unless the references fail it (then insufficient);
    document ข้อมูลไม่เพียงพอ or missing → the references' verdict."""
    doc, ref = documents.reindex_like(references).to_numpy(dtype=object), references.to_numpy(dtype=object)
    values = np.select([doc == FAIL, (doc == PASS) & (ref == FAIL), doc == PASS], [FAIL, INSUFFICIENT, PASS], ref)
    return pd.DataFrame(values, index=references.index, columns=references.columns)


def with_interview(verdicts: pd.DataFrame, interview: pd.DataFrame) -> pd.DataFrame:
    """Interview verdicts replace the topic verdicts they cover (a blank interview cell leaves the verdict)."""
    interviewed = interview.reindex_like(verdicts)
    return verdicts.where(interviewed.isna(), interviewed)


def weigh(verdicts: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """P, F and insufficient weight (%) and the number of failed topics, per applicant."""
    w = weights.reindex(verdicts.columns).to_numpy(dtype=float)
    values = verdicts.to_numpy(dtype=object)
    return pd.DataFrame({"P": ((values == PASS) @ w).round(9), "F": ((values == FAIL) @ w).round(9),
                         "I": ((values == INSUFFICIENT) @ w).round(9), "failed_topics": (values == FAIL).sum(axis=1)},
                        index=verdicts.index)


def decide(weighed: pd.DataFrame, rules: Rules, after_interview: bool = False) -> pd.DataFrame:
    """`decision` and `rule` (which rule fired, with the figures) per applicant, for the chosen policy."""
    p, f, n = weighed["P"], weighed["F"], weighed["failed_topics"]
    top, low, limit, most = rules.pass_percent, rules.interview_percent, rules.max_fail_percent, rules.max_failed_topics
    # seed 004 6.4 (3) and 6.6: pass with F "ไม่เกิน 5%" (F ≤ limit); fail when F is beyond it
    reached, fail_heavy = p >= top - _EPSILON, f > limit + _EPSILON
    if rules.policy == FLOWCHART:
        name = "ผังงาน หลังสัมภาษณ์" if after_interview else "ผังงาน"
        if after_interview:
            cases = [(reached & (n <= most), PASSED, f"P ≥ {top:g} และหัวข้อไม่ผ่านไม่เกิน {most} หัวข้อ"),
                     (True, FAILED, f"P < {top:g} หรือหัวข้อไม่ผ่านเกิน {most} หัวข้อ")]
        else:
            cases = [(reached & (n == 0), PASSED, f"P ≥ {top:g} และไม่มีหัวข้อไม่ผ่าน"),
                     (~reached | (n > most), FAILED, f"P < {top:g} หรือหัวข้อไม่ผ่านเกิน {most} หัวข้อ"),
                     (True, INTERVIEW, f"P ≥ {top:g} และหัวข้อไม่ผ่าน 1–{most} หัวข้อ")]
    elif after_interview:
        name = "คู่มือ หลังสัมภาษณ์"
        cases = [(reached & ~fail_heavy, PASSED, f"P ≥ {top:g} และ F ≤ {limit:g}"),
                 (True, FAILED, f"P < {top:g} หรือ F > {limit:g}")]
    else:
        name = "คู่มือ"
        cases = [(fail_heavy, FAILED, f"F > {limit:g}"),
                 (reached, PASSED, f"P ≥ {top:g} และ F ≤ {limit:g}"),
                 (p >= low - _EPSILON, INTERVIEW, f"{low:g} ≤ P < {top:g} และ F ≤ {limit:g}: ข้อมูลไม่เพียงพอ"),
                 (True, FAILED, f"P < {low:g}: หลักฐานไม่เพียงพอ (insufficient evidence)")]
    conditions = [np.broadcast_to(np.asarray(c, dtype=bool), len(weighed)) for c, _, _ in cases]
    decision = np.select(conditions, [d for _, d, _ in cases], FAILED)
    fired = np.select(conditions, [f"{name}: {text} → {d}" for _, d, text in cases], "")
    rule = pd.Series(fired, index=weighed.index, dtype=object) + " " + figures(weighed)
    return pd.DataFrame({"decision": decision, "rule": rule}, index=weighed.index)


def figures(weighed: pd.DataFrame) -> pd.Series:
    """`(P=85, F=0, ไม่เพียงพอ=15, หัวข้อไม่ผ่าน=0)`."""
    return ("(P=" + plain_number(weighed["P"]) + ", F=" + plain_number(weighed["F"]) + ", ไม่เพียงพอ="
            + plain_number(weighed["I"]) + ", หัวข้อไม่ผ่าน=" + weighed["failed_topics"].astype(str) + ")")
