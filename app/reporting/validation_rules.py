"""Data-quality rules beyond parsing (DHIS2-style validation rules), declared in sheets_schema/indicators.yaml.

A rule flags the rows where its expression holds; the values stay as they are (outliers are for follow-up).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.reporting.expressions import evaluate
from app.reporting.findings import combine, flag


@dataclass(frozen=True)
class Rule:
    """Where `when` holds, `column` of the row is listed with `problem` (Thai, then English in brackets)."""

    key: str
    column: str
    when: str
    problem: str


def apply_rules(frame: pd.DataFrame, rules: tuple[Rule, ...]) -> pd.DataFrame:
    """Findings of every rule over every row."""
    return combine([flag(evaluate(rule.when, frame).fillna(False).astype(bool), rule.column, rule.problem)
                    for rule in rules])
