"""Row problems: what the officer sees, one line each, in the `ข้อผิดพลาดข้อมูล` tab."""
from __future__ import annotations

from dataclasses import dataclass

from app.errors import LayoutError


@dataclass(frozen=True, order=True)
class RowProblem:
    """One unreadable or implausible value: where it is and what is wrong, Thai first then English."""

    tab: str
    row: int | None  # the row number the officer sees in the sheet (header row is 1); None = whole tab
    column: str  # the header as it stands in the officer's sheet
    value: str  # the offending value as text ("" for a missing one)
    problem: str  # e.g. "อ่านเป็นตัวเลขไม่ได้ (not a number)"


def problem_text(thai: str, english: str) -> str:
    """The bilingual form every problem uses: `ไทย (English)`."""
    return f"{thai} ({english})"


class StopRun(LayoutError):
    """The data leave nothing sensible to compute (e.g. topic weights not summing to 100): fix, then rerun."""

    def __init__(self, problem: RowProblem) -> None:
        super().__init__(f'แท็บ "{problem.tab}": {problem.problem}')
        self.problem = problem
