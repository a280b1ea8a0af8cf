"""Cell values: stored typed, parsed like USER_ENTERED, rendered per valueRenderOption."""
from __future__ import annotations

import ast
import operator
import re
from datetime import date, timedelta

EPOCH = date(1899, 12, 30)
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?([eE][+-]?\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}


class Formula(str):
    """A formula cell ("=1+1"); a plain str cell is text even when it starts with "="."""


def _date_value(match: re.Match, order: tuple[int, int, int], pattern: str):
    try:
        day = date(*(int(match[i]) for i in order))
    except ValueError:
        return None
    return (day - EPOCH).days, {"type": "DATE", "pattern": pattern}


def user_entered(value) -> tuple[object, dict | None]:
    """A value as if typed into the UI: numbers, TRUE/FALSE, dates, "=…" formulas, "'…" forced text.

    Returns (stored value or None to clear, number format Google would set on the cell)."""
    if not isinstance(value, str):
        return value, None
    text = value.strip()
    if value == "":
        return None, None
    if value.startswith("'"):
        return value[1:], None
    if value.startswith("=") and len(value) > 1:
        return Formula(value), None
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE", None
    if _NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text):
        plain = text.replace(",", "")
        return (float(plain) if re.search(r"[.eE]", plain) else int(plain)), None
    if match := _ISO_DATE.fullmatch(text):
        return _date_value(match, (1, 2, 3), "yyyy-mm-dd") or (value, None)
    if match := _US_DATE.fullmatch(text):
        return _date_value(match, (3, 1, 2), "m/d/yyyy") or (value, None)
    return value, None


MAX_CELL_CHARS = 50_000
CELL_TOO_LONG = f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell."


def too_long(value) -> bool:
    """Google refuses a write that puts more than 50,000 characters into one cell."""
    return isinstance(value, str) and len(value) > MAX_CELL_CHARS


def raw(value):
    """RAW input: kept exactly as typed ("" clears the cell)."""
    return None if value == "" else value


def from_extended(extended: dict | None):
    """An ExtendedValue of updateCells/repeatCell as a stored value (stringValue stays text)."""
    extended = extended or {}
    if "formulaValue" in extended:
        return Formula(extended["formulaValue"])
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in extended:
            return raw(extended[key])
    return None


_HYPERLINK = re.compile(r'=HYPERLINK\("((?:[^"]|"")*)"\s*[,;]\s*"((?:[^"]|"")*)"\)', re.IGNORECASE)


def evaluate(formula: Formula):
    """Arithmetic formulas and HYPERLINK("url","label") (→ its label); any other formula renders as its own
    text."""
    if link := _HYPERLINK.fullmatch(formula):
        return link[2].replace('""', '"')
    expression = formula[1:].replace("^", "**")
    try:
        node = ast.parse(expression, mode="eval").body
        return _eval(node)
    except ZeroDivisionError:
        return "#DIV/0!"
    except (SyntaxError, ValueError, TypeError, OverflowError):
        return str(formula)


def _eval(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.operand))
    raise ValueError("not arithmetic")


def json_number(value):
    """Numbers as Google's JSON writes them: 2.0 → 2."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def general(number) -> str:
    """Sheets' automatic number format (approximation: up to 10 significant digits)."""
    number = json_number(number)
    if isinstance(number, int):
        return str(number)
    return f"{number:.10g}".replace("e", "E")


def _pattern(number, fmt: dict) -> str:
    pattern = fmt.get("pattern", "")
    if fmt.get("type") in ("DATE", "DATE_TIME"):
        day = EPOCH + timedelta(days=int(number))
        parts = {"yyyy": f"{day.year:04d}", "yy": f"{day.year % 100:02d}", "mm": f"{day.month:02d}",
                 "m": str(day.month), "dd": f"{day.day:02d}", "d": str(day.day)}
        return re.sub(r"yyyy|yy|mm|m|dd|d", lambda m: parts[m[0]], pattern or "yyyy-mm-dd")
    match = re.fullmatch(r"([#,0]*)(?:\.(0+))?(%?)", pattern)
    if not match or not pattern:
        return general(number)
    scaled = number * 100 if match[3] else number
    return f"{scaled:{',' if ',' in match[1] else ''}.{len(match[2] or '')}f}{match[3]}"


def render(value, fmt: dict | None, value_option: str, date_option: str):
    """One cell in a values response ("" for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        if value_option == "FORMULA":
            return str(value)
        value = evaluate(value)
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if value_option == "FORMATTED_VALUE" else value
    if isinstance(value, str):
        return value
    is_date = bool(fmt) and fmt.get("type") in ("DATE", "DATE_TIME")
    if value_option == "FORMATTED_VALUE" or (is_date and date_option == "FORMATTED_STRING"):
        return _pattern(value, fmt) if fmt else general(value)
    return json_number(value)
