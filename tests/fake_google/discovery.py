"""The discovery documents shipped in google-api-python-client: routing and query-parameter checks."""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import googleapiclient

from tests.fake_google.errors import ApiError, bad_request

DOCUMENTS = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
# name: (document, URL prefix on the fake, proto package used in enum/type names of error messages)
APIS = {"sheets": ("sheets.v4", "/", "google.apps.sheets.v4"), "forms": ("forms.v1", "/", "google.apps.forms.v1"),
        "gmail": ("gmail.v1", "/", "google.gmail.v1"), "drive": ("drive.v3", "/drive/v3/", "google.apps.drive.v3")}
# Drive v3 ignores unknown query parameters: the recordings send `includeItemsFromAllDrives` to files.get (200).
LENIENT_QUERY = {"drive"}


@dataclass(frozen=True)
class Api:
    """One discovery document."""

    name: str
    doc: dict
    package: str

    @property
    def service(self) -> str:
        return self.doc["rootUrl"].split("//", 1)[1].rstrip("/")


@dataclass(frozen=True)
class Method:
    """One discovery method and the URL pattern that reaches it (`upload`: its media-upload path)."""

    api: Api
    desc: dict
    pattern: re.Pattern
    literal: int
    upload: bool

    @property
    def id(self) -> str:
        return self.desc["id"]

    @property
    def http_method(self) -> str:
        return self.desc["httpMethod"]

    @property
    def request_ref(self) -> str | None:
        return (self.desc.get("request") or {}).get("$ref")

    @property
    def response_ref(self) -> str | None:
        return (self.desc.get("response") or {}).get("$ref")

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.desc.get("scopes", ()))

    def repeated(self) -> set[str]:
        return {n for n, p in self.desc.get("parameters", {}).items() if p.get("repeated")}


def _pattern(template: str) -> tuple[re.Pattern, int]:
    parts, literal = [], 0
    for piece in re.split(r"(\{\+?[A-Za-z_]+\})", template):
        if piece.startswith("{"):
            name = piece.strip("{}+")
            parts.append(f"(?P<{name}>{'.+' if piece.startswith('{+') else '[^/]+'})")
        else:
            parts.append(re.escape(piece))
            literal += len(piece)
    return re.compile("".join(parts)), literal


def _walk(resources: dict):
    for resource in resources.values():
        yield from resource.get("methods", {}).values()
        yield from _walk(resource.get("resources", {}))


@functools.cache
def methods() -> tuple[Method, ...]:
    """Every method of the four APIs, with its path and media-upload path patterns."""
    found = []
    for name, (document, prefix, package) in APIS.items():
        api = Api(name, json.loads((DOCUMENTS / f"{document}.json").read_text(encoding="utf-8")), package)
        for desc in _walk(api.doc["resources"]):
            found.append(Method(api, desc, *_pattern(prefix + desc.get("flatPath", desc["path"])), False))
            upload = desc.get("mediaUpload", {}).get("protocols", {}).get("simple", {}).get("path")
            if upload:
                found.append(Method(api, desc, *_pattern(upload), True))
    return tuple(found)


@functools.cache
def method_ids() -> frozenset[str]:
    return frozenset(m.id for m in methods())


def route(http_method: str, raw_path: str) -> tuple[Method, dict[str, str]] | None:
    """The method for this request (most literal template wins) and its decoded path parameters."""
    best = None
    for method in methods():
        if method.http_method == http_method and (match := method.pattern.fullmatch(raw_path)):
            if best is None or method.literal > best[0].literal:
                best = (method, {k: unquote(v) for k, v in match.groupdict().items()})
    return best


def snake(name: str) -> str:
    """Proto field name of a JSON name, as Google spells it in error messages."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def enum_type(api: Api, name: str) -> str:
    return f"type.googleapis.com/{api.package}.{name[:1].upper()}{name[1:]}"


def _convert(api: Api, name: str, raw: str, spec: dict):
    kind = spec.get("type")
    if kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise bad_request(f"Invalid value at '{snake(name)}' (TYPE_BOOL), \"{raw}\"", snake(name))
        return raw.lower() == "true"
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            raise bad_request(f"Invalid value at '{snake(name)}' (TYPE_INT32), \"{raw}\"", snake(name)) from None
    if "enum" in spec and raw not in spec["enum"]:
        raise bad_request(f"Invalid value at '{snake(name)}' ({enum_type(api, name)}), \"{raw}\"", snake(name))
    return raw


def query_params(method: Method, pairs: list[tuple[str, str]]) -> dict:
    """Typed query parameters; unknown names, bad enums and bad booleans are 400 like Google's."""
    declared = dict(method.api.doc.get("parameters", {}))
    declared.update({n: p for n, p in method.desc.get("parameters", {}).items() if p.get("location") == "query"})
    typed: dict = {}
    for name, raw in pairs:
        spec = declared.get(name)
        if spec is None:
            if method.api.name in LENIENT_QUERY:
                continue
            raise bad_request(f"Invalid JSON payload received. Unknown name \"{name}\": Cannot bind query parameter. "
                              f"Field '{name}' could not be found in request message.", "")
        value = _convert(method.api, name, raw, spec)
        if spec.get("repeated"):
            typed.setdefault(name, []).append(value)
        else:
            typed[name] = value
    if typed.get("alt", "json") != "json":
        raise ApiError(501, f"fake_google does not model alt={typed['alt']}")
    return typed


def schemas(method: Method) -> dict:
    return method.api.doc["schemas"]
