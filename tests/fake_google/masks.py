"""Field masks: the `fields` response selector and the `fields` of update requests."""
from __future__ import annotations

import copy

Path = tuple[str, ...]


def parse(text: str) -> list[Path]:
    """`a.b,c(d,e/f)` → [("a","b"), ("c","d"), ("c","e","f")]; raises ValueError on bad syntax."""
    pos = 0

    def items(prefix: Path) -> list[Path]:
        nonlocal pos
        paths = item(prefix)
        while pos < len(text) and text[pos] == ",":
            pos += 1
            paths += item(prefix)
        return paths

    def item(prefix: Path) -> list[Path]:
        nonlocal pos
        start = pos
        while pos < len(text) and text[pos] not in ",()/.":
            pos += 1
        if pos == start:
            raise ValueError(f"empty field name at {start}")
        path = prefix + (text[start:pos],)
        if pos < len(text) and text[pos] in "/.":
            pos += 1
            return item(path)
        if pos < len(text) and text[pos] == "(":
            pos += 1
            inner = items(path)
            if pos >= len(text) or text[pos] != ")":
                raise ValueError("unbalanced parentheses")
            pos += 1
            return inner
        return [path]

    if not text:
        return []
    paths = items(())
    if pos != len(text):
        raise ValueError(f"unexpected {text[pos]!r} at {pos}")
    return paths


def tree(paths: list[Path]) -> dict:
    """Nested selection; a leaf (True) keeps the whole value."""
    root: dict = {}
    for path in paths:
        node = root
        for name in path[:-1]:
            child = node.get(name)
            if child is True:
                break
            node = node.setdefault(name, {})
        else:
            node[path[-1]] = True
    return root


def select(value, selection):
    """Apply a selection tree to a response (lists are selected element by element)."""
    if selection is True:
        return value
    if isinstance(value, list):
        return [select(v, selection) for v in value]
    if not isinstance(value, dict):
        return value
    if "*" in selection:
        return {k: select(v, selection.get(k, True)) for k, v in value.items()}
    return {k: select(value[k], sub) for k, sub in selection.items() if k in value}


def unknown_path(paths: list[Path], schemas: dict, ref: str) -> str | None:
    """The first path naming a field the schema does not have (dotted), else None."""
    for path in paths:
        schema: dict | None = schemas[ref]
        for depth, name in enumerate(path):
            while schema is not None and ("$ref" in schema or schema.get("type") == "array"):
                schema = schemas[schema["$ref"]] if "$ref" in schema else schema.get("items")
            if name == "*" or schema is None or schema.get("type") == "any":
                break
            props = schema.get("properties")
            if props is None:
                if "additionalProperties" in schema:
                    schema = schema["additionalProperties"]
                    continue
                return ".".join(path[:depth + 1])
            if name not in props:
                return ".".join(path[:depth + 1])
            schema = props[name]
    return None


def copy_path(source: dict, target: dict, path: Path) -> None:
    """Set target's field at `path` to source's (removing it when source has none), as update masks do."""
    name, rest = path[0], path[1:]
    if name == "*":
        target.clear()
        target.update(copy.deepcopy(source))
        return
    if not rest:
        if name in source:
            target[name] = copy.deepcopy(source[name])
        else:
            target.pop(name, None)
        return
    sub_source = source.get(name) if isinstance(source.get(name), dict) else {}
    sub_target = target.setdefault(name, {})
    copy_path(sub_source, sub_target, rest)
    if not sub_target:
        target.pop(name)
