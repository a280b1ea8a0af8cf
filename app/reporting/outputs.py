"""Countable outputs of a program (seed 000: feasibility reports, meetings, network events …) from the officer tab
`ผลผลิตโครงการ`: one row per output delivered, named as the program's file lists it — counted, never guessed."""
from __future__ import annotations

import pandas as pd

from app.reporting.targets import Output
from app.sheets.headers import normalize_header
from app.sheets.problems import problem_text


def unknown_output(outputs: tuple[Output, ...]) -> str:
    names = ", ".join(o.name for o in outputs)
    return problem_text(f"ไม่ใช่ผลผลิตของโครงการนี้: ใช้ชื่อใดชื่อหนึ่ง ({names})",
                        f"not an output of this program: use one of ({names})")


def count_outputs(frame: pd.DataFrame, outputs: tuple[Output, ...]) -> tuple[dict[str, float], pd.Series]:
    """Per output key: the sum of `จำนวน` (blank = 1), or its distinct tax IDs when one per enterprise (a row
    without an ID is one more); and per row, whether its name is none of the outputs (to report it)."""
    names = {normalize_header(n): o.key for o in outputs for n in (o.name, o.key, *o.aliases)}
    key = frame["output"].map(lambda v: names.get(normalize_header(v)) if pd.notna(v) else None)
    counts = {}
    for output in outputs:
        rows = frame[key == output.key]
        if output.per_enterprise:
            counts[output.key] = float(rows["tax_id"].nunique() + rows["tax_id"].isna().sum())
        else:
            counts[output.key] = float(rows["count"].astype(float).fillna(1).sum())
    return counts, key.isna() & frame["output"].notna()
