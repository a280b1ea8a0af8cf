"""Request bodies and responses checked against discovery schemas, with Google's error wording."""
from __future__ import annotations

import json
import re

from tests.fake_google.discovery import Api, enum_type, snake
from tests.fake_google.errors import ApiError

TYPE_NAMES = {"int32": "TYPE_INT32", "int64": "TYPE_INT64", "uint32": "TYPE_UINT32", "uint64": "TYPE_UINT64",
              "double": "TYPE_DOUBLE", "float": "TYPE_FLOAT", "byte": "TYPE_BYTES"}
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)")
INT_RANGE = {"int32": (-2**31, 2**31 - 1), "uint32": (0, 2**32 - 1)}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class RequestChecker:
    """Walks a JSON body like Google's proto parser: drops nulls, accepts snake_case, collects violations."""

    def __init__(self, api: Api) -> None:
        self.api, self.schemas, self.violations = api, api.doc["schemas"], []

    def check(self, body, ref: str):
        """The cleaned body, or ApiError 400 listing every violation."""
        cleaned = self._value(body, {"$ref": ref}, "", "")
        if self.violations:
            message = "\n".join(d for _, d in self.violations)
            raise ApiError(400, message, details=[{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                                   "fieldViolations": [{"field": f, "description": d}
                                                                       for f, d in self.violations]}])
        return cleaned

    def _bad(self, path: str, kind: str, value) -> None:
        shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f'"{value}"'
        self.violations.append((path, f"Invalid value at '{path}' ({kind}), {shown}"))

    def _value(self, value, schema: dict, path: str, name: str):
        if "$ref" in schema:
            ref = schema["$ref"]
            return self._object(value, self.schemas[ref], path, f"type.googleapis.com/{self.api.package}.{ref}")
        kind = schema.get("type")
        if kind == "any" or value is None:
            return value
        if kind == "array":
            if not isinstance(value, list):
                self._bad(path, "TYPE_LIST", value)
                return value
            items = schema.get("items", {})
            if items.get("type") == "any":  # e.g. the cells of ValueRange.values: nothing to check or clean
                return list(value)
            return [self._value(v, items, f"{path}[{i}]", name) for i, v in enumerate(value)]
        if kind == "object":
            return self._object(value, schema, path, "TYPE_MESSAGE")
        return self._scalar(value, schema, path, name)

    def _object(self, value, schema: dict, path: str, type_name: str):
        if not isinstance(value, dict):
            self._bad(path, type_name, value)
            return value
        props, extra = schema.get("properties", {}), schema.get("additionalProperties")
        cleaned = {}
        for key, item in value.items():
            field = key if key in props else _camel(key)
            if field in props:
                result = self._value(item, props[field], _join(path, snake(field)), field)
            elif extra is not None:
                field, result = key, self._value(item, extra, f"{path}[{key}]", key)
            else:
                where = f" at '{path}'" if path else ""
                self.violations.append((path, f"Invalid JSON payload received. Unknown name \"{key}\"{where}: "
                                              "Cannot find field."))
                continue
            if result is not None:
                cleaned[field] = result
        return cleaned

    def _scalar(self, value, schema: dict, path: str, name: str):
        kind, fmt = schema.get("type"), schema.get("format")
        if kind == "boolean" and not isinstance(value, bool):
            self._bad(path, "TYPE_BOOL", value)
        elif kind == "integer" or fmt in ("int64", "uint64"):
            text = str(value)
            number = value if isinstance(value, int) and not isinstance(value, bool) else None
            if number is None and isinstance(value, (str, float)) and re.fullmatch(r"-?\d+(\.0*)?", text):
                number = int(float(text)) if isinstance(value, float) else int(text.split(".")[0])
            low, high = INT_RANGE.get(fmt or "int32", (-2**63, 2**64))
            if number is None or not low <= number <= high:
                self._bad(path, TYPE_NAMES.get(fmt, "TYPE_INT32"), value)
            return number if number is not None else value
        elif kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            if not (isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d*)?([eE][-+]?\d+)?|NaN|-?Infinity", value)):
                self._bad(path, TYPE_NAMES.get(fmt, "TYPE_DOUBLE"), value)
        elif kind == "string" and not isinstance(value, str):
            self._bad(path, "TYPE_STRING", value)
        elif "enum" in schema and value not in schema["enum"]:
            self._bad(path, enum_type(self.api, name), value)
        return value


def response_problems(api: Api, body, ref: str) -> list[str]:
    """Where a response the fake built does not fit the discovery schema (strict: as Google would print it)."""
    problems: list[str] = []
    schemas = api.doc["schemas"]

    def walk(value, schema: dict, path: str) -> None:
        if "$ref" in schema:
            schema = schemas[schema["$ref"]]
        kind, fmt = schema.get("type"), schema.get("format")
        if kind == "any":
            return
        if value is None:
            problems.append(f"{path or '<root>'}: null")
        elif kind == "array":
            if not isinstance(value, list):
                problems.append(f"{path}: expected a list, got {value!r}")
                return
            items = schema.get("items", {})
            if items.get("type") != "any":  # e.g. the cells of ValueRange.values: anything goes
                for i, item in enumerate(value):
                    walk(item, items, f"{path}[{i}]")
        elif kind == "object":
            if not isinstance(value, dict):
                problems.append(f"{path}: expected an object, got {value!r}")
                return
            props, extra = schema.get("properties", {}), schema.get("additionalProperties")
            for key, item in value.items():
                sub = props.get(key, extra)
                if sub is None:
                    problems.append(f"{_join(path, key)}: not in the schema")
                else:
                    walk(item, sub, _join(path, key))
        elif not _scalar_fits(value, kind, fmt, schema.get("enum")):
            problems.append(f"{path}: {value!r} is not a valid {fmt or kind}")

    walk(body, {"$ref": ref}, "")
    return problems


def _scalar_fits(value, kind: str, fmt: str | None, enum: list | None) -> bool:
    if fmt in ("int64", "uint64"):
        return isinstance(value, str) and re.fullmatch(r"-?\d+", value) is not None
    if fmt in ("google-datetime", "date-time"):
        return isinstance(value, str) and RFC3339.fullmatch(value) is not None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str) and (enum is None or value in enum)
