"""What a workflow hands back to the sync service: service tabs to write and the problems it found."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, Sequence

from app.domain.grid import Grid, TabStyle
from app.domain.problems import RowProblem


@dataclass(frozen=True)
class ServiceTab:
    """The whole desired content of one service tab (header in row 1) and its look."""

    title: str
    header: tuple[str, ...]
    rows: Grid
    style: TabStyle

    def grid(self) -> Grid:
        """Header row then data rows, as the sheet should hold them."""
        return [list(self.header)] + [list(r) for r in self.rows]


@dataclass
class WorkflowResult:
    """Output of one workflow run before it is diffed and written."""

    tabs: list[ServiceTab]
    problems: list[RowProblem]
    rows_read: int
    notes: list[str] = field(default_factory=list)  # short lines for the run log
    summary: dict = field(default_factory=dict)  # JSON-ready figures for the web pages (no personal data)


@dataclass(frozen=True)
class RunContext:
    """What a workflow may know about the run: the time (Asia/Bangkok) and nothing with I/O."""

    now: datetime


class Workflow(Protocol):
    """One workflow of the spec: which tabs it reads and how it turns them into service tabs."""

    name: str
    workbook: str  # schema name in sheets_schema/

    def tabs_to_read(self, titles: Sequence[str]) -> list[str]:
        """The existing officer tabs this workflow needs, by their titles in this workbook."""

    def service_titles(self) -> list[str]:
        """Titles of the service tabs this workflow writes (read back to diff against)."""

    def run(self, grids: dict[str, Grid], ctx: RunContext) -> WorkflowResult:
        """Compute the service tabs from the tabs read (pure: no I/O)."""


