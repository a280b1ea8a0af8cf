"""Unit tabs are typed together, yet each keeps its own rows and problems, in the order `หน่วยงาน` lists them."""
from __future__ import annotations

from datetime import date

from app.reporting.consolidation import TAB_MISSING, consolidate
from app.sheets.layout_files import load_workbook_spec
from tests import reporting_book as book

WASTE = "จำนวนของเสียก่อน"


def test_problems_follow_the_listing_with_a_missing_tab_between_two_units():
    grids = dict(book.TABS)
    grids["หน่วยงาน"] = [["แท็บ", "ชื่อหน่วยงาน"], ["กข.", "กอง"], ["ศภ.9", "ศูนย์ 9"], ["ศภ.1", "ศูนย์ 1"]]
    grids["กข."] = book.grid([book.person(1, **{WASTE: "ห้าสิบ"})])
    grids["ศภ.1"] = book.grid([book.person(2, **{WASTE: "สิบ"}), book.person(3, **{WASTE: 40})])
    found = consolidate(grids, load_workbook_spec("reporting"), "หน่วยงาน", today=date(2026, 11, 21))
    assert [(p.tab, p.value) for p in found.problems if p.value in ("ห้าสิบ", "สิบ", "ศภ.9")] == \
        [("กข.", "ห้าสิบ"), ("หน่วยงาน", "ศภ.9"), ("ศภ.1", "สิบ")]
    assert next(p for p in found.problems if p.value == "ศภ.9").problem == TAB_MISSING
    assert found.frame.groupby("_unit", sort=False)["_row"].apply(list).to_dict() == {"กข.": [2], "ศภ.1": [2, 3]}
    assert found.frame["waste_units_before"].tolist()[2] == 40 and found.frame["waste_units_before"].isna().sum() == 2
