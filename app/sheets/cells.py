"""Type sheet cells a column at a time: pandas fast paths for numbers and serial dates, per-cell readers for the rest.

Inputs are what both backends give (str / int / float / bool / None; dates as serial days since 1899-12-30).
A cell with a problem always has a missing typed value; a blank cell is missing with no problem.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import partial
from itertools import repeat
from operator import is_
from typing import Callable

import numpy as np
import pandas as pd

from app.sheets import cell_readers as readers
from app.sheets.cell_dates import MAX_YEAR, MIN_YEAR, SERIAL_EPOCH, read_moment
from app.sheets.cell_readers import DONT_KNOW, SCORE_RANGE, SCORE_WHOLE, Read, Reader
from app.sheets.problems import problem_text
from app.sheets.layout import ColumnSpec
from app.sheets.thai_ids import plain_valid_ids

__all__ = ["CHOICE_TYPES", "DATE_TYPES", "DONT_KNOW", "NUMERIC_TYPES", "TYPES", "is_future", "parse_cell", "parse_column"]

NUMERIC_TYPES = ("integer", "number", "money", "amount", "percent", "score")
DATE_TYPES = ("date", "datetime")
CHOICE_TYPES = ("choice", "province")  # need `choices` (or `choices_from`) in the schema
_READERS: dict[str, Callable[[ColumnSpec], Reader]] = {
    "text": lambda _column: readers.read_text,
    "code": lambda _column: readers.read_code,
    "any": lambda _column: readers.read_any,
    "url": lambda _column: readers.read_url,
    "email": lambda _column: readers.read_email,
    "phone": lambda _column: readers.read_phone,
    "mobile": lambda _column: partial(readers.read_phone, mobile_only=True),
    "national_id": lambda _column: readers.read_national_id,
    "tax_id": lambda _column: readers.read_tax_id,
    "enterprise_id": lambda _column: readers.read_enterprise_id,
    "yes_no": lambda _column: readers.read_yes_no,
    "rating": readers.rating_reader,
    "choice": readers.choice_reader,
    "province": readers.choice_reader,
    "verdict": lambda column: readers.choice_reader(readers.verdict_column(column)),
}
TYPES = frozenset((*NUMERIC_TYPES, *DATE_TYPES, *_READERS))

FUTURE_DATE = problem_text("วันที่อยู่ในอนาคต", "date is in the future")
NOT_WHOLE = problem_text("ต้องเป็นจำนวนเต็ม", "must be a whole number")
NEGATIVE_MONEY = problem_text("จำนวนเงินต้องไม่ติดลบ", "money must not be negative")
_CE_SERIALS = ((datetime(MIN_YEAR, 1, 1) - SERIAL_EPOCH).days, (datetime(MAX_YEAR + 1, 1, 1) - SERIAL_EPOCH).days)
_EPOCH = np.datetime64(SERIAL_EPOCH, "s")
_PLAIN_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")  # text the fast path may read as a number; anything else is read cell by cell


def parse_column(values: pd.Series, column: ColumnSpec, *, today: date | None = None) -> tuple[pd.Series, pd.Series]:
    """Type a whole column: (typed values, problem texts with "" where fine), both on the index of `values`."""
    if column.type in NUMERIC_TYPES:
        typed, problems = _numbers(values, column)
    elif column.type in DATE_TYPES:
        typed, problems = _moments(values, column, today)
    elif column.type in ("national_id", "tax_id", "enterprise_id"):
        typed, problems = _ids(values, column)
    else:
        typed, problems = _cells(values, _READERS[column.type](column), column.type)
    return typed, pd.Series(problems, index=values.index, dtype=object)


def parse_cell(raw: object, column: ColumnSpec, *, today: date | None = None) -> tuple[object, str]:
    """Type one cell: a plain Python value (date, datetime, int, float, bool, str) or None, and its problem."""
    typed, problems = parse_column(pd.Series([raw], dtype=object), column, today=today)
    value = typed.iloc[0]
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None, problems.iloc[0]
    if isinstance(value, pd.Timestamp):
        value = value.date() if column.type == "date" else value.to_pydatetime()
    return (value.item() if isinstance(value, np.generic) else value), problems.iloc[0]


def is_future(typed: pd.Series, today: date) -> pd.Series:
    """True where a typed date or timestamp falls on a day after `today` (the caller's today, Asia/Bangkok)."""
    return typed.notna() & (typed >= pd.Timestamp(today) + pd.Timedelta(days=1))


def _numbers(values: pd.Series, column: ColumnSpec) -> tuple[pd.Series, np.ndarray]:
    numbers, pending = _fast_numbers(values)
    problems = np.full(len(values), "", dtype=object)
    if pending.any():
        kind = column.type
        read = readers.score_reader(column) if kind == "score" else partial(readers.read_number, kind=kind)
        got, why = _read_each(values.to_numpy(dtype=object)[pending], read)
        numbers[pending] = np.array([np.nan if v is None else v for v in got], dtype=float)
        problems[pending] = why
    _check_numbers(numbers, problems, column)
    typed = pd.Series(numbers, index=values.index, dtype="float64")
    return (typed.astype("Int64") if column.type in ("integer", "score") else typed), problems


def _fast_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers pandas reads alone (NaN elsewhere) and the mask of non-blank cells left for the per-cell readers."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan).copy(), np.zeros(len(values), dtype=bool)
    cells = values.to_numpy(dtype=object)
    numbers = np.asarray(pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce"), dtype=float).copy()
    # pandas also reads text such as "1e308", "0x1A" or "١٢" as numbers; the per-cell reader decides those. Only
    # text cells are matched (a sheet of figures holds mostly numbers), each in C
    text_at = np.flatnonzero(np.fromiter(map(is_, map(type, cells), repeat(str)), bool, len(cells)))
    plain = np.fromiter(map(bool, map(_PLAIN_DECIMAL.fullmatch, cells[text_at])), bool, len(text_at))
    numbers[text_at[~plain]] = np.nan
    for i in np.flatnonzero((numbers == 0) | (numbers == 1)):
        if isinstance(cells[i], (bool, np.bool_)):  # a checkbox is not a number
            numbers[i] = np.nan
    return numbers, np.isnan(numbers) & ~_blank(values)


def _check_numbers(numbers: np.ndarray, problems: np.ndarray, column: ColumnSpec) -> None:
    """The type's and the column's range rules, vectorised; the first rule a cell breaks is its problem."""
    with np.errstate(invalid="ignore"):
        rules = [(~np.isfinite(numbers), readers.NOT_A_NUMBER)]
        if column.type == "integer":
            rules.append((numbers != np.floor(numbers), NOT_WHOLE))
        if column.type == "score":
            rules += [((numbers < 1) | (numbers > 5), SCORE_RANGE), (numbers != np.floor(numbers), SCORE_WHOLE)]
        if column.type == "money":
            rules.append((numbers < 0, NEGATIVE_MONEY))
        if column.min is not None:
            low = _plain(column.min)
            rules.append((numbers < column.min, problem_text(f"ต้องไม่น้อยกว่า {low}", f"must be at least {low}")))
        if column.max is not None:
            high = _plain(column.max)
            rules.append((numbers > column.max, problem_text(f"ต้องไม่เกิน {high}", f"must be at most {high}")))
    present = ~np.isnan(numbers)
    for broken, problem in rules:
        hit = present & broken & (problems == "")
        problems[hit] = problem
        numbers[hit] = np.nan


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _moments(values: pd.Series, column: ColumnSpec, today: date | None) -> tuple[pd.Series, np.ndarray]:
    numbers, pending = _fast_numbers(values)
    stamps = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    problems = np.full(len(values), "", dtype=object)
    serial = (numbers >= _CE_SERIALS[0]) & (numbers < _CE_SERIALS[1])
    stamps[serial] = _EPOCH + np.round(numbers[serial] * 86400).astype(np.int64).astype("timedelta64[s]")
    slow = pending | (~np.isnan(numbers) & ~serial)  # text, and numbers outside the CE window (พ.ศ. serials)
    if slow.any():
        got, why = _read_each(values.to_numpy(dtype=object)[slow], read_moment)
        stamps[slow] = np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "ns") for v in got])
        problems[slow] = why
    if column.type == "date":
        stamps = stamps.astype("datetime64[D]").astype("datetime64[ns]")
    typed = pd.Series(stamps, index=values.index)
    if column.not_future and today is not None:
        future = is_future(typed, today).to_numpy() & (problems == "")
        problems[future] = FUTURE_DATE
        typed[future] = pd.NaT
    return typed, problems


def _cells(values: pd.Series, read: Reader, type_name: str) -> tuple[pd.Series, np.ndarray]:
    filled = ~_blank(values)
    typed = np.full(len(values), None, dtype=object)
    problems = np.full(len(values), "", dtype=object)
    got, why = _read_each(values.to_numpy(dtype=object)[filled], read, readers.PLAIN_TEXT.get(type_name))
    holder = np.empty(len(got), dtype=object)
    holder[:] = got
    typed[filled] = holder
    problems[filled] = why
    return pd.Series(typed, index=values.index, dtype="boolean" if type_name == "yes_no" else object), problems


def _ids(values: pd.Series, column: ColumnSpec) -> tuple[pd.Series, np.ndarray]:
    """Plain valid 13-digit IDs at once; the rest (dashes, Thai digits, numbers, wrong ones) cell by cell."""
    plain = plain_valid_ids(values, column.type)
    typed, problems = _cells(values.where(~plain, None), _READERS[column.type](column), column.type)
    typed[plain] = values[plain]
    return typed, problems


def _blank(values: pd.Series) -> np.ndarray:
    """None, NaN or "" (whitespace and a lone dash are found blank later, by the readers)."""
    return values.isna().to_numpy() | values.isin([""]).to_numpy()


def _read_as_given(texts: np.ndarray, pattern: re.Pattern) -> np.ndarray:
    """Where a text fullmatches the pattern and is composed (NFC) already, both told in C."""
    hits = np.fromiter(map(bool, map(pattern.fullmatch, texts)), bool, len(texts))
    return hits & np.fromiter(map(unicodedata.is_normalized, repeat("NFC"), texts), bool, len(texts))


def _read_each(cells: np.ndarray, read: Callable[[object], Read], plain: re.Pattern | None = None) -> tuple[list, list]:
    """Read cells one by one, each distinct value once (sheets repeat dates, choices and words a lot); text that
    fullmatches `plain` is known to read as itself, without a problem, and is not read at all."""
    if len(cells) and pd.api.types.infer_dtype(cells, skipna=False) == "string":  # text only: pandas finds the
        codes, distinct = pd.factorize(cells)  # distinct values in C (mixed kinds below: True, 1 and 1.0 differ)
        got, why = np.empty(len(distinct), dtype=object), np.empty(len(distinct), dtype=object)
        if plain is None:
            reads = [read(text) for text in distinct]
            got[:], why[:] = [r[0] for r in reads], [r[1] for r in reads]
        else:
            got[:], why[:] = distinct, ""
            for i in np.flatnonzero(~_read_as_given(distinct, plain)):
                got[i], why[i] = read(distinct[i])
        return got[codes].tolist(), why[codes].tolist()
    cache: dict = {}
    got, why = [], []
    for cell in cells:
        key = cell if cell.__class__ is str else (cell.__class__, cell)  # True, 1 and 1.0 are equal keys
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = read(cell)
        got.append(hit[0])
        why.append(hit[1])
    return got, why
