"""A run that has lost its inputs stops instead of emptying its outputs: a required tab is missing, or a tab that
had rows in the last successful run has none now (renamed, emptied or deleted by mistake). The announced list and
every summary then stay as they were until someone puts the tab back — or says the loss is meant."""
from __future__ import annotations

from typing import Sequence

from app.sheets.grid import Grid
from app.sheets.layout import WorkbookSpec
from app.sheets.layout_roles import missing_required
from app.sheets.problems import RowProblem, StopRun, problem_text

SUMMARY_KEY = "inputs"  # in a run's summary: {"workbook": lock key, "rows": {tab key or title: filled rows}}


def remembered(spec: WorkbookSpec, lock_key: str, grids: dict[str, Grid], inputs: Sequence[str]) -> dict:
    """What a successful run keeps of its inputs, for the next run to compare with."""
    return {"workbook": lock_key, "rows": {spec.input_key(t): spec.data_rows(t, grids[t]) for t in inputs}}


def check_inputs(spec: WorkbookSpec, label: str, lock_key: str, grids: dict[str, Grid],
                 inputs: Sequence[str], previous: dict | None, accept_emptied: bool = False) -> None:
    """Raise StopRun (one line, Thai first) when a required tab is missing or a tab lost all its rows."""
    missing = missing_required(spec, {t: grids[t] for t in inputs if t in grids})
    if missing:
        title = missing[0]
        raise StopRun(RowProblem(title, None, "", "", problem_text(
            f"ไม่พบแท็บนี้ใน {label}: ตั้งชื่อแท็บกลับเป็น \"{title}\" (หรือเพิ่มชื่อใหม่เป็น alias ใน "
            f"sheets_schema/{spec.name}.yaml) แล้วซิงก์ใหม่ แท็บสรุปยังคงเดิม",
            f"required tab not found in {label}: rename it back or add its new name as an alias; "
            "the service tabs were left as they were")))
    if accept_emptied or not previous or previous.get("workbook") != lock_key:
        return
    now = {spec.input_key(t): t for t in inputs}
    for key, before in previous.get("rows", {}).items():
        title = now.get(key) or (spec.tab(key).title if _is_tab_key(spec, key) else key)
        if before > 0 and not (key in now and spec.has_data_rows(title, grids[title])):
            where = "ไม่มีแถวข้อมูล" if key in now else "ไม่พบแท็บนี้"
            english = "has no rows now" if key in now else "is gone (renamed or deleted)"
            raise StopRun(RowProblem(title, None, "", "", problem_text(
                f"มี {before:,} แถวในการซิงก์ที่สำเร็จครั้งล่าสุด แต่ตอนนี้{where}: หยุดไว้ แท็บสรุปและประกาศรายชื่อ"
                "ยังคงเดิม; คืนแท็บหรือแถวกลับมา หรือถ้าตั้งใจล้างจริงให้สั่ง sync --accept-emptied-tabs",
                f"had {before:,} rows in the last successful run and {english}: the service tabs were left as "
                "they were; restore it, or run sync --accept-emptied-tabs if it is meant")))


def _is_tab_key(spec: WorkbookSpec, key: str) -> bool:
    return any(tab.key == key and tab.title for tab in spec.tabs)
