"""Everything Workflow B computes by, as loaded from sheets_schema/ (indicators, rules, sizes, milestones, program)."""
from __future__ import annotations

from dataclasses import dataclass

from app.reporting.enterprise_size import CofundingRule, SizeTable
from app.reporting.indicators import Indicator
from app.reporting.milestones import Milestones
from app.sheets.layout import Choice
from app.reporting.summaries import Figure
from app.reporting.targets import Program
from app.reporting.validation_rules import Rule


@dataclass(frozen=True)
class ReportingRules:
    """The declarative definitions of one reporting run; the program is the one chosen in the config."""

    indicators: tuple[Indicator, ...]
    rules: tuple[Rule, ...]
    figures: tuple[Figure, ...]
    sizes: SizeTable
    cofunding: dict[str, CofundingRule]
    milestones: Milestones
    clusters: tuple[Choice, ...]  # the target clusters, with the other spellings that mean them
    program: Program
