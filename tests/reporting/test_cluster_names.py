"""A mistyped cluster name gets a "did you mean" (issue 13, item 3: "a "did you mean" for provinces, clusters,
headers and yes/no words (rapidfuzz)"): a `คลัสเตอร์` cell close to a listed cluster but not one is a line to check
with the name it most likely means; a cluster of its own (far from every listed one) is no problem."""
from __future__ import annotations

import openpyxl

from app.sync.problem_tab import PROBLEMS_HEADER, PROBLEMS_TITLE
from tests import reporting_book as book
from tests.backends import make_backend

EVIDENCE_TYPO = ["ปลากัดด", "ทั่วไป", 1, "✓"]


def test_a_mistyped_cluster_is_checked_with_the_name_it_likely_means(tmp_path):
    tabs = dict(book.TABS)
    tabs["ศภ.1"] = book.grid([book.person(8, **{"คลัสเตอร์": "ผ้าไท"}), book.person(9, **{"คลัสเตอร์": "อาหารแปรรูป"}),
                              book.person(7, **{"คลัสเตอร์": "คลัสเตอร์ health retreatment"})])
    tabs["หลักฐานคลัสเตอร์"] = book.EVIDENCE + [EVIDENCE_TYPO + [None] * (len(book.EVIDENCE[0]) - 4)]
    backend = make_backend("xlsx", tabs, tmp_path, workflow="reporting")
    backend.run("reporting")
    sheet = openpyxl.load_workbook(backend.path)[PROBLEMS_TITLE]
    at = {header: i for i, header in enumerate(PROBLEMS_HEADER)}
    lines = {(r[at["แท็บ"]], r[at["ค่า"]]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    typo = lines[("ศภ.1", "ผ้าไท")]
    assert typo[at["แถว"]] == 2 and typo[at["คอลัมน์"]] == "คลัสเตอร์"
    assert typo[at["ปัญหา"]].startswith("ไม่ใช่ชื่อคลัสเตอร์ในรายชื่อ นับเป็นคลัสเตอร์แยก — หรือหมายถึง “ผ้าไทย”?")
    assert typo[at["ระดับ"]] == "ตรวจสอบ" and typo[at["วิธีแก้"]] == "แก้เป็น “ผ้าไทย” ถ้าหมายถึงค่านี้"
    evidence = lines[("หลักฐานคลัสเตอร์", "ปลากัดด")]
    assert "หรือหมายถึง “ปลากัด”" in evidence[at["ปัญหา"]]
    assert ("ศภ.1", "อาหารแปรรูป") not in lines  # a cluster of its own, far from every listed name
    assert not any(value and "health" in str(value).lower() for _, value in lines)  # an alias, in any case
