"""Workflow B at scale: 11 unit tabs × 2,000 rows (22,000 participants).

Prints (1) CPU time of consolidation and of the indicators, checks, summaries and tabs; (2) the vectorised
indicators side by side with a row-by-row Python loop over the same rows (the loop lives only here, and
must give the same figures); (3) a full `sync reporting` against the fake Google server, twice: Sheets
requests per endpoint, wall and CPU time, cells written; (4) what keeping officer formulas' values costs a local
.xlsx save (issue #11: openpyxl saves formulas without their values). Targets: consolidation + indicators < 2 s
CPU, ≤ 3 Sheets requests per run, vectorised ≥ 20× faster than the row loop.
"""
from __future__ import annotations

import argparse
import math
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import openpyxl
import pandas as pd

from app.adapters.xlsx import XlsxWorkbook, _fill_formula_values
from app.config import GoogleSettings, Settings, JobSettings
from app.sheets.grid import RangeWrite, TabStyle
from app.demo_data import reporting_workbook
from app.reporting.consolidation import consolidate
from app.reporting.indicators import compute
from app.sync.workflow import RunContext
from app.wiring import bootstrap
from benchmarks.measure import measure_run
from tests.fake_google import FakeGoogle
from tests.fake_google.seed import as_sheet_values

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
UNITS = ("กข.",) + tuple(f"ศภ.{i}" for i in range(1, 11))


def cpu(fn, repeat: int = 3):
    """Best CPU seconds of a few calls, and the last result."""
    best, result = math.inf, None
    for _ in range(repeat):
        started = time.process_time()
        result = fn()
        best = min(best, time.process_time() - started)
    return best, result


def _num(row, key: str) -> float | None:
    value = row[key]
    return None if value is None or pd.isna(value) else float(value)


def _pct(before, after, sign: int = 1) -> float | None:
    if before is None or after is None or before == 0:
        return None
    return sign * (after - before) / before * 100


def _baht(before, after, factor: float | None, sign: int = 1) -> float | None:
    if before is None or after is None or factor is None or before == 0:
        return None
    return sign * (after - before) * factor


def naive_row(row) -> dict[str, float | None]:
    """The seed's formulas for one row, written out as a row-by-row loop would (same rules as indicators.yaml)."""
    g = {k: _num(row, k) for k in NAIVE_INPUTS}
    out: dict[str, float | None] = {}
    wb, pb = g["waste_units_before"], g["produced_units_before"]
    wa, pa = g["waste_units_after"], g["produced_units_after"]
    out["waste_reduced_percent"] = None if None in (wb, pb, wa, pa) or 0 in (wb, pb, pa) else \
        (wb / pb - wa / pa) / (wb / pb) * 100
    out["waste_reduced_baht_year"] = _baht(g["waste_value_before"], g["waste_value_after"], 12, -1)
    out["cost_reduced_percent"] = _pct(g["cost_before"], g["cost_after"], -1)
    out["cost_reduced_baht_year"] = _baht(g["cost_before"], g["cost_after"], 12, -1)
    out["sales_increased_percent"] = _pct(g["sales_before"], g["sales_after"])
    out["sales_increased_baht_year"] = _baht(g["sales_before"], g["sales_after"], 12)
    out["income_increased_percent"] = _pct(g["income_before"], g["income_after"])
    out["income_increased_baht_year"] = _baht(g["income_before"], g["income_after"], 12)
    price_b, price_a = g["price_before"], g["price_after"]
    by_price = by_unit_cost = None  # 5.1 when the price changed; 5.2 when it did not or neither is given
    if price_b is not None and price_a is not None and price_a != price_b:
        out["product_value_increased_percent"] = _pct(price_b, price_a)
        by_price = _baht(price_b, price_a, g["units_sold_after"] and g["units_sold_after"] * 12)
    elif (price_b is None) == (price_a is None):
        out["product_value_increased_percent"] = _pct(g["unit_cost_before"], g["unit_cost_after"], -1)
        by_unit_cost = _baht(g["unit_cost_before"], g["unit_cost_after"], g["units_produced_12_months"], -1)
    else:
        out["product_value_increased_percent"] = None
    out["product_value_increased_baht_year"] = by_price if by_price is not None else by_unit_cost
    out["carbon_reduced_percent"] = _pct(g["carbon_before"], g["carbon_after"], -1)
    items = [_num(row, f"satisfaction:{i}") for i in range(1, 10)]
    out["satisfaction_percent"] = None if None in items else sum(items) / 45 * 100
    sales, cost = out["sales_increased_baht_year"], out["cost_reduced_baht_year"]
    parts = [out["waste_reduced_baht_year"], cost, sales if sales is not None else out["income_increased_baht_year"],
             by_price, by_unit_cost if cost is None else None, g["investment"]]
    present = [p for p in parts if p is not None]
    out["economic_value"] = sum(present) if present else None
    gains = [out[k] for k in ("waste_reduced_percent", "cost_reduced_percent", "sales_increased_percent",
                              "income_increased_percent", "product_value_increased_percent") if out[k] is not None]
    out["efficiency_gain_percent"] = sum(gains) / len(gains) if gains else None
    return out


NAIVE_INPUTS = ("waste_units_before", "produced_units_before", "waste_value_before", "waste_units_after",
                "produced_units_after", "waste_value_after", "cost_before", "cost_after", "sales_before", "sales_after",
                "income_before", "income_after", "price_before", "price_after", "units_sold_after", "unit_cost_before",
                "unit_cost_after", "units_produced_12_months", "carbon_before", "carbon_after", "investment")


def loop_iterrows(frame: pd.DataFrame) -> pd.DataFrame:
    """Row by row over the DataFrame, the way a first version is usually written."""
    return pd.DataFrame([naive_row(row) for _, row in frame.iterrows()])


def loop_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Row by row over plain dicts: the fastest a Python loop gets."""
    return pd.DataFrame([naive_row(row) for row in frame.to_dict("records")])


def same_figures(vectorised: pd.DataFrame, looped: pd.DataFrame, typed: pd.DataFrame) -> bool:
    """Both give every indicator equal (to 1e-9) or both empty, on every row; figures the officer typed where the raw
    ones are absent are left out (the loop computes from raw figures only)."""
    own = typed.reindex(columns=looped.columns, fill_value=False).to_numpy(dtype=bool)
    a = np.where(own, np.nan, vectorised[looped.columns].to_numpy(dtype=float))
    b = np.where(own, np.nan, looped.to_numpy(dtype=float))
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-6, equal_nan=True))


def local(tabs: dict, services) -> None:
    """CPU time of each stage on the pure workflow (no I/O)."""
    workflow = services.workflow("reporting")
    spec, rules = workflow.spec, workflow.rules
    ctx = RunContext(now=NOW)
    t_cons, data = cpu(lambda: consolidate(tabs, spec, "หน่วยงาน", today=NOW.date()))
    frame = data.frame
    t_ind, (values, _, typed) = cpu(lambda: compute(frame, rules.indicators))
    t_run, result = cpu(lambda: workflow.run(tabs, ctx))
    print(f"rows {len(frame):,} in {len(data.units)} unit tabs; problems listed {len(result.problems)}")
    print(f"CPU  consolidation (read + type {len(frame):,} rows) {t_cons:.2f} s | indicators {t_ind:.3f} s | "
          f"consolidation + indicators {t_cons + t_ind:.2f} s (target < 2 s) | whole run() with checks, "
          f"summaries, tabs {t_run:.2f} s")
    t_rows, by_rows = cpu(lambda: loop_iterrows(frame), repeat=1)
    t_dicts, by_dicts = cpu(lambda: loop_records(frame), repeat=1)
    assert same_figures(values, by_rows, typed) and same_figures(values, by_dicts, typed), \
        "the loop and the formulas disagree"
    print(f"indicators, same {len(frame):,} rows, same figures: vectorised {t_ind * 1000:.0f} ms | "
          f"iterrows loop {t_rows:.2f} s ({t_rows / t_ind:.0f}×) | plain-dict loop {t_dicts:.2f} s "
          f"({t_dicts / t_ind:.1f}×)")


def google(fake: FakeGoogle, tabs: dict, state: Path) -> None:
    """Two full syncs on the fake server: requests per endpoint, wall and CPU time, cells written."""
    sheet_id = fake.create_spreadsheet("bench reporting", tabs)
    settings = Settings(state_db=state / "bench.sqlite", google=GoogleSettings(endpoint=fake.base_url, backoff_base=0),
                        jobs={"reporting": JobSettings(kind="reporting", spreadsheet_id=sheet_id)})
    services = bootstrap(settings, key_source=fake.service_account_info(), clock=lambda: NOW)
    for label in ("first", "unchanged"):
        print(f"google {label:<9} {measure_run(fake, services, 'reporting').describe()}", flush=True)


def xlsx_formulas(tabs: dict, folder: Path, units: int = 2) -> None:
    """One service-tab save of a .xlsx whose unit tabs have a formula on every row, with their values kept, against
    the same save of the same workbook without formulas."""
    seconds = {}
    for label, formulas in (("without formulas", False), ("with formulas", True)):
        path = folder / f"{label}.xlsx"
        book = openpyxl.Workbook()
        book.remove(book.active)
        cached = {}
        for title in UNITS[:units]:
            sheet = book.create_sheet(title)
            for row in tabs[title]:
                sheet.append(list(row) + (["=ROW()*2"] if formulas and sheet.max_row > 0 else []))
            cached[title] = {f"{sheet.cell(row=r, column=sheet.max_column).column_letter}{r}": r * 2
                             for r in range(2, sheet.max_row + 1)} if formulas else {}
        book.save(path)
        if formulas:  # the values Excel stores beside each formula
            _fill_formula_values(path, {book[t].path.lstrip("/"): values for t, values in cached.items()})
        start = time.perf_counter()
        XlsxWorkbook(path).write([RangeWrite("สรุป", 1, 1, [["ผล"], [1]])], [TabStyle("สรุป", columns=1)])
        seconds[label] = time.perf_counter() - start
    rows = sum(len(tabs[t]) - 1 for t in UNITS[:units])
    print(f"xlsx save of {units} unit tabs ({rows:,} rows): without formulas {seconds['without formulas']:.2f} s | "
          f"with a formula per row, values kept {seconds['with formulas']:.2f} s "
          f"(+{seconds['with formulas'] - seconds['without formulas']:.2f} s)")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows-per-unit", type=int, default=2000)
    args = parser.parse_args()
    tabs = as_sheet_values(reporting_workbook(units=UNITS, rows_per_unit=args.rows_per_unit))
    with tempfile.TemporaryDirectory() as state:
        local(tabs, bootstrap(Settings(state_db=Path(state) / "local.sqlite",
                                       jobs={"reporting": JobSettings(kind="reporting")})))
        xlsx_formulas(tabs, Path(state))
        fake = FakeGoogle()
        fake.start()
        try:
            google(fake, tabs, Path(state))
        finally:
            fake.stop()


if __name__ == "__main__":
    main()
