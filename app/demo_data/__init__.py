"""Demo workbooks for `init-demo` and benchmarks: pure and deterministic (stdlib `random.Random(seed)`).

Each function returns `{tab title: grid}` with the headers of SPEC.md's appendix in row 1. Cells are
str/int/float/bool/None or `datetime.date`/`datetime.datetime` (real date cells); officers' habits are
kept on purpose: BE dates typed as text, numbers with commas or Thai digits, blank rows, untidy headers.

`BAD_ROWS` lists the deliberately wrong cells of the default workbooks as
(tab, row as the officer sees it, header, what is wrong); `QUIRKS` lists untidy but valid features.
With other unit names the reporting defects sit at the same rows of `units[0]`/`units[1]`
(see `bad_rows(units)`); a tab too short for a listed row simply does not get that defect.
"""
from __future__ import annotations

from app.demo_data import assessment_layout as _A
from app.demo_data import reporting_layout as _R
from app.demo_data.assessment import assessment_workbook, demo_token
from app.demo_data.people import PROVINCES, valid_national_id, valid_tax_id
from app.demo_data.reporting import reporting_workbook


def bad_rows(units: tuple[str, ...] = _R.DEFAULT_UNITS) -> list[tuple[str, int, str, str]]:
    """The deliberate defects of both demo workbooks for these unit tabs."""
    return [b.entry() for b in (*_A.BAD_CELLS, *_R.bad_cells(tuple(units)))]


BAD_ROWS: list[tuple[str, int, str, str]] = bad_rows()


def _quirks(units: tuple[str, ...]) -> list[tuple[str, int | None, str | None, str]]:
    out: list[tuple[str, int | None, str | None, str]] = [
        ("ผู้สมัคร", _A.SELF_REFERENCE_ROW, "บุคคลอ้างอิง 2 อีเมล",
         "ผู้สมัครเป็นบุคคลอ้างอิงของตัวเอง (self-reference)"),
        ("มติคณะกรรมการ", _A.COMMITTEE_BLANK_ROW, None, "แถวว่างระหว่างข้อมูล (blank row)"),
        ("แบบประเมินบุคคลอ้างอิง", None, "ที่อยู่อีเมล",
         "บางคนตอบจากอีเมลอื่น หรือตอบสองครั้ง (some answer from another address or twice; latest counts)"),
        ("ผลประเมินเอกสาร", None, None, "บางรายประเมินสองครั้ง (some reviewed twice; latest counts)"),
    ]
    out += [(tab, row, None, "แถวว่างระหว่างข้อมูล (blank row)") for tab, row in _R.blank_rows(units)]
    for tab, renames in _R.header_variants(units).items():
        out += [(tab, 1, typed, f"หัวข้อมีช่องว่างเกิน (extra spaces in header '{spec}')")
                for spec, typed in renames.items()]
    if len(units) > 3:
        out.append((units[3], 1, None, "ลำดับคอลัมน์ต่างจากแท็บอื่น (columns in another order)"))
    for c in _R.duplicates(units):
        who = "บุคคลเดียวกัน (same person)" if "ชื่อ-นามสกุล" in c.headers else "กิจการเดียวกัน (same enterprise)"
        out.append((c.tab, c.row, "ชื่อกิจกรรม", f"{who} กิจกรรมเดียวกับ {c.source_tab} แถว {c.source_row} "
                                                  "(counted once)"))
    return out


QUIRKS = _quirks(_R.DEFAULT_UNITS)
DUPLICATE_ROWS = [((c.tab, c.row), (c.source_tab, c.source_row)) for c in _R.duplicates(_R.DEFAULT_UNITS)]
TOPICS = _A.TOPICS
CLUSTER_EVIDENCE = _R.CLUSTER_EVIDENCE

__all__ = ["assessment_workbook", "reporting_workbook", "BAD_ROWS", "QUIRKS", "DUPLICATE_ROWS", "TOPICS",
           "CLUSTER_EVIDENCE", "PROVINCES", "bad_rows", "demo_token", "valid_national_id", "valid_tax_id"]
