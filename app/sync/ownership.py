"""Which tab each service tab is written to: only tabs the service created (they carry its mark), never an officer's.

A service tab is known by the mark its adapter puts on it (Google: developer metadata on the sheet, which follows a
renamed tab; .xlsx: a workbook-level defined name). A tab that has a service tab's title but not the mark is the
service's own only when it holds exactly what an earlier, unmarking version wrote (its header row is the service
header): it is adopted and marked. Any other is an officer's tab: the service writes under "<title> (ระบบ)" instead
and says so in `ข้อผิดพลาดข้อมูล`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from app.sheets.grid import Grid
from app.sheets.problems import RowProblem, problem_text
from app.sync.workflow import ServiceTab

SERVICE_SUFFIX = " (ระบบ)"


@dataclass
class Placement:
    """Service tab title → the tab it is written to; titles whose same-named tab is not yet known to be ours."""

    titles: dict[str, str] = field(default_factory=dict)
    undecided: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # officer tabs with a service tab's title

    def tabs_to_read(self, existing: Iterable[str]) -> list[str]:
        """The service tabs (and undecided same-named tabs with their alternatives) that exist, to diff against."""
        present = set(existing)
        wanted = list(self.titles.values()) + self.undecided + [alternative(t) for t in self.undecided]
        return [t for t in dict.fromkeys(wanted) if t in present]

    def view(self, grids: dict[str, Grid]) -> dict[str, Grid]:
        """The service tabs as the workflow knows them: by their own titles, wherever they are written."""
        seen = {title: grids[actual] for title, actual in self.titles.items() if actual in grids}
        return seen | {title: grids[title] for title in self.undecided if title in grids}

    def settle(self, title: str, ours: bool, existing: Iterable[str]) -> None:
        """Decide an undecided title: adopt its tab, or write beside it under "<title> (ระบบ)"."""
        self.undecided.remove(title)
        if ours:
            self.titles[title] = title
            return
        if alternative(title) in set(existing):
            raise ForeignTab(title)
        self.titles[title] = alternative(title)
        self.foreign.append(title)

    def placed(self, tab: ServiceTab) -> ServiceTab:
        """The tab under the title it is written to, its style carrying the service tab's own title as the mark."""
        actual = self.titles.get(tab.title, tab.title)
        return replace(tab, title=actual, style=replace(tab.style, title=actual, owner_mark=tab.title))

    def problems(self) -> list[RowProblem]:
        """One line per officer tab that has a service tab's title."""
        return [RowProblem(title, None, "", "", problem_text(
            f'เป็นแท็บของเจ้าหน้าที่ ระบบไม่เขียนทับ: ผลของระบบอยู่ที่แท็บ "{self.titles[title]}"',
            f'an officer tab has this name and is left alone: the service writes "{self.titles[title]}"'))
            for title in self.foreign]


class ForeignTab(Exception):
    """Both a service tab's title and its alternative are taken by officer tabs."""

    def __init__(self, title: str) -> None:
        super().__init__(f'แท็บ "{title}" และ "{alternative(title)}" เป็นของเจ้าหน้าที่ทั้งคู่: '
                         f'rename one of them so the service has a tab to write "{title}" to')


def alternative(title: str) -> str:
    """Where a service tab goes when an officer tab has its title."""
    return title + SERVICE_SUFFIX


def place(service_titles: Sequence[str], existing: Sequence[str], owned: dict[str, str]) -> Placement:
    """Marked tabs (wherever renamed), new tabs by their title, and same-named unmarked tabs to be decided."""
    placement = Placement()
    present = set(existing)
    for title in service_titles:
        if title in owned:
            placement.titles[title] = owned[title]
            if owned[title] != title and title in present:
                placement.foreign.append(title)
        elif title in present:
            placement.undecided.append(title)
        else:
            placement.titles[title] = title
    return placement


def written_by_service(grid: Grid | None, header: Sequence[str]) -> bool:
    """True when a tab's header row is exactly the service's header (an unmarked tab an earlier version wrote)."""
    first = [cell for cell in (grid or [[]])[0]] if grid else []
    while first and first[-1] in (None, ""):
        first.pop()
    return [str(cell) for cell in first] == [str(h) for h in header]
