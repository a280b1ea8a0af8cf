"""Formulas from sheets_schema/ evaluated safely and column-wise: a whitelist of arithmetic over frame columns.

An expression may use frame column keys, numbers, `+ - * /`, comparisons, `& | ~` (also `and or not`),
parentheses and the functions in FUNCTIONS; nothing else parses. A comparison with a missing side is False.
"""
from __future__ import annotations

import ast
import operator
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd

from app.sheets.satisfaction import individual_percent


class ExpressionError(ValueError):
    """An expression uses syntax or names the evaluator does not allow."""


_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.BitAnd: operator.and_, ast.BitOr: operator.or_}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge}
_BOOL = {ast.And: operator.and_, ast.Or: operator.or_}


def _frame(values: tuple) -> pd.DataFrame:
    """Function arguments side by side as float columns (a number is repeated down the rows)."""
    index = next((v.index for v in values if isinstance(v, pd.Series)), pd.RangeIndex(1))
    return pd.concat([v.astype(float) if isinstance(v, pd.Series) else pd.Series(float(v), index=index)
                      for v in values], axis=1)


FUNCTIONS = {
    "present": lambda x: x.notna(),  # the cell has a value
    "missing": lambda x: x.isna(),
    "total": lambda *xs: _frame(xs).sum(axis=1, min_count=1),  # sum of the values present; empty if none
    "mean": lambda *xs: _frame(xs).mean(axis=1),  # mean of the values present
    "first": lambda *xs: _frame(xs).bfill(axis=1).iloc[:, 0],  # the first value present, left to right
    "score_percent": individual_percent,  # a column family of 1–5 scores: sum / (5 × items) × 100
}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Call, ast.Name, ast.Load,
            ast.Constant, ast.USub, ast.UAdd, ast.Not, ast.Invert, *_BINARY, *_COMPARE, *_BOOL)


@lru_cache(maxsize=None)
def parse(expression: str) -> ast.Expression:
    """The checked syntax tree of an expression; ExpressionError names the first thing not allowed."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"{expression!r}: not a formula ({exc.msg})") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"{expression!r}: {type(node).__name__} is not allowed in a formula")
        if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or
                                               not isinstance(node.value, (int, float))):
            raise ExpressionError(f"{expression!r}: only numbers may be written as constants")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS
                                           or node.keywords):
            raise ExpressionError(f"{expression!r}: calls are limited to {', '.join(FUNCTIONS)}")
        if isinstance(node, ast.Compare) and len(node.ops) != 1:
            raise ExpressionError(f"{expression!r}: write chained comparisons with &")
    return tree


def names(expression: str) -> set[str]:
    """The column keys an expression reads (function names left out)."""
    tree = parse(expression)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called}


def check(expression: str, known: Iterable[str]) -> None:
    """Raise ExpressionError when the expression is malformed or reads a key that is not in `known`."""
    unknown = sorted(names(expression) - set(known))
    if unknown:
        raise ExpressionError(f"{expression!r}: unknown name {', '.join(unknown)}")


def evaluate(expression: str, frame: pd.DataFrame) -> pd.Series:
    """The expression over every row of `frame` at once (a Series on the frame's index)."""
    with np.errstate(all="ignore"):
        value = _eval(parse(expression).body, frame)
    return value if isinstance(value, pd.Series) else pd.Series(value, index=frame.index)


def _eval(node: ast.AST, frame: pd.DataFrame):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return _column(frame, node.id)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, frame), _eval(node.right, frame)
        if isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            _conditions(node, left, right)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, frame)
        if isinstance(node.op, (ast.Not, ast.Invert)):
            _conditions(node, value)
        return -value if isinstance(node.op, ast.USub) else value if isinstance(node.op, ast.UAdd) else ~value
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, frame) for v in node.values]
        _conditions(node, *values)
        result = values[0]
        for value in values[1:]:
            result = _BOOL[type(node.op)](result, value)
        return result
    if isinstance(node, ast.Compare):
        left, right = _eval(node.left, frame), _eval(node.comparators[0], frame)
        result = _COMPARE[type(node.ops[0])](left, right)
        for side in (left, right):
            if isinstance(side, pd.Series):
                result = result & side.notna()
        return result
    return FUNCTIONS[node.func.id](*(_eval(a, frame) for a in node.args))


def _conditions(node: ast.AST, *values) -> None:
    """`& | ~` join conditions; numbers or text there are a mistake in the formula, not data."""
    if not all(isinstance(v, pd.Series) and pd.api.types.is_bool_dtype(v) for v in values):
        raise ExpressionError(f"{ast.unparse(node)!r}: & | ~ join conditions (comparisons, present(), missing())")


def _column(frame: pd.DataFrame, key: str):
    """A column as plain floats (nullable ints and yes/no become float, missing = NaN), or a column family."""
    if key in frame.columns:
        column = frame[key]
        numeric = pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)
        return column.astype("float64") if numeric else column
    return frame[[c for c in frame.columns if c.startswith(f"{key}:")]]  # a family (no members: no columns)
