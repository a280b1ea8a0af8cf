"""The HTTP side: discovery routing, counting, faults, auth, validation, handlers and answers."""
from __future__ import annotations

import json
import sys
import threading
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fake_google import drive, forms, gmail, masks, sheets, sheets_batch, sheets_values
from tests.fake_google.auth import Auth, OAuthError, require_scope
from tests.fake_google.discovery import Method, query_params, route
from tests.fake_google.errors import ApiError, bad_request, fault, not_modelled
from tests.fake_google.schema import RequestChecker, response_problems
from tests.fake_google.state import Call, State

HANDLERS = {**sheets.HANDLERS, **sheets_values.HANDLERS, **sheets_batch.HANDLERS, **drive.HANDLERS,
            **forms.HANDLERS, **gmail.HANDLERS}
TOKEN_METHOD = "oauth2.token"
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # Google refuses larger request bodies
Answer = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Fault:
    status: int | None
    delay: float | None


def _json(status: int, body: dict | None, extra: dict | None = None) -> Answer:
    payload = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=UTF-8"} if body is not None else {}
    return status, {**headers, **(extra or {})}, payload


def _legacy_errors(api: str, pairs: list[tuple[str, str]]) -> bool:
    """Drive always sends the v1 `errors` list, Gmail unless $.xgafv=2, Sheets and Forms only with $.xgafv=1."""
    xgafv = dict(pairs).get("$.xgafv")
    return api == "drive" or (api == "gmail" and xgafv != "2") or (api in ("sheets", "forms") and xgafv == "1")


class Dispatcher:
    """Turns one HTTP request into one answer and records what tests inspect."""

    def __init__(self, state: State, auth: Auth) -> None:
        self.state, self.auth = state, auth
        self.request_counts: Counter = Counter()
        self.requests: list[tuple] = []
        self.internal_errors: list[str] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._cancel = threading.Event()

    def reset(self) -> None:
        """Forget counts, requests, faults and internal errors; abandon answers still being delayed."""
        self.request_counts.clear()
        self.requests.clear()
        self.internal_errors.clear()
        self.faults.clear()
        self.cancel_delays()

    def cancel_delays(self) -> None:
        """Abandon answers still sleeping an injected delay (their connections are dropped)."""
        self._cancel.set()
        self._cancel = threading.Event()

    def _record(self, method_id: str, http_method: str, path: str, query: dict, body) -> Fault | None:
        with self.state.lock:
            self.request_counts[method_id] += 1
            self.requests.append((method_id, http_method, path, query, body))
            queue = self.faults.get(method_id)
            return queue.popleft() if queue else None

    def _delayed(self, found: Fault | None) -> bool:
        """Sleep an injected delay; False when reset() or stop() abandoned it meanwhile."""
        cancel = self._cancel
        return not (found and found.delay and cancel.wait(found.delay))

    def answer(self, http_method: str, target: str, headers, body: bytes) -> Answer | None:
        """The answer to one request, or None to drop the connection (a delayed answer was abandoned)."""
        split = urlsplit(target)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        override = headers.get("X-HTTP-Method-Override")
        if override and http_method == "POST":  # googleapiclient's form for long GET URLs
            http_method, pairs, body = override.upper(), pairs + parse_qsl(body.decode()), b""
        if split.path == "/token" and http_method == "POST":
            return self._token(body)
        routed = route(http_method, split.path)
        method_id = routed[0].id if routed else "unknown"
        repeated = routed[0].repeated() if routed else set()
        query: dict = {}
        for name, value in pairs:
            query[name] = query.get(name, []) + [value] if name in repeated else value
        try:
            recorded_body = json.loads(body) if body and not (routed and routed[0].upload) else None
        except ValueError:
            recorded_body = None
        found = self._record(method_id, http_method, unquote(split.path), query, recorded_body)
        if not self._delayed(found):
            return None
        if routed is None:
            return _json(404, ApiError(404, f"fake_google: no Google API method for {http_method} {split.path}").body())
        method, path_params = routed
        try:
            if found and found.status:
                raise fault(found.status, method.api.service, method.http_method == "GET")
            return self._call(method, path_params, pairs, headers, body)
        except Exception as exc:  # noqa: BLE001 - anything but ApiError is a bug of the fake: 500, recorded
            error = exc if isinstance(exc, ApiError) else self._bug(f"{method.id} raised {exc!r}")
            extra = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'} if error.code == 401 else None
            return _json(error.code, error.body(_legacy_errors(method.api.name, pairs)), extra)

    def _token(self, body: bytes) -> Answer | None:
        found = self._record(TOKEN_METHOD, "POST", "/token", {}, None)
        if not self._delayed(found):
            return None
        if found and found.status:
            return _json(found.status, {"error": "internal_failure", "error_description": "Injected fault."})
        try:
            with self.state.lock:
                return _json(200, self.auth.grant(dict(parse_qsl(body.decode()))))
        except OAuthError as error:
            return _json(400, error.body)
        except Exception as exc:  # noqa: BLE001 - a bug of the fake
            return _json(500, self._bug(f"{TOKEN_METHOD} raised {exc!r}").body())

    def _call(self, method: Method, path_params: dict, pairs: list, headers, body: bytes) -> Answer:
        if len(body) > MAX_REQUEST_BYTES:
            raise bad_request(f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes.")
        raw_query = dict(pairs)
        identity = self.auth.identify(headers.get("Authorization"),
                                      raw_query.get("access_token") or raw_query.get("oauth_token"))
        query = query_params(method, pairs)
        require_scope(method, identity)
        call = Call(method.id, path_params, query, self._body(method, body), identity, body,
                    {k.lower(): v for k, v in headers.items()}, method.upload)
        handler = HANDLERS.get(method.id)
        if handler is None:
            raise not_modelled(f"the method {method.id}")
        with self.state.lock:
            result = handler(self.state, call)
        if result is None and not method.response_ref:
            return _json(204, None)
        return _json(200, self._shaped(method, result if result is not None else {}, query.get("fields")))

    def _body(self, method: Method, body: bytes):
        if method.upload or not method.request_ref:
            return None
        if not body.strip():
            return {}
        try:
            data = json.loads(body)
        except ValueError:
            raise bad_request(f"Invalid JSON payload received. Unexpected token.\n{body[:60].decode(errors='replace')}")
        return RequestChecker(method.api).check(data, method.request_ref)

    def _shaped(self, method: Method, result: dict, fields: str | None) -> dict:
        """Check the answer against the discovery schema (a misfit is a fake bug), then apply `fields`."""
        problems = response_problems(method.api, result, method.response_ref) if method.response_ref else []
        if problems:
            raise self._bug(f"{method.id} answered outside its schema: {'; '.join(problems[:5])}")
        if not fields:
            return result
        text = fields.replace(" ", "") if method.api.name == "drive" else fields  # Drive tolerates spaces
        try:
            paths = masks.parse(text)
        except ValueError:
            raise bad_request(f"Invalid field selection: {fields}", "fields") from None
        bad = masks.unknown_path(paths, method.api.doc["schemas"], method.response_ref) if method.response_ref else None
        if bad:
            raise bad_request(f"Error expanding 'fields' parameter. Cannot find matching fields for path '{bad}'.")
        return masks.select(result, masks.tree(paths))

    def _bug(self, description: str) -> ApiError:
        self.internal_errors.append(description)
        return ApiError(500, f"fake_google bug: {description}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        answer = self.server.dispatcher.answer(self.command, self.path, self.headers, body)
        if answer is None:
            self.close_connection = True
            return
        status, headers, payload = answer
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, *args) -> None:
        """Quiet: tests read fake.requests instead of a log."""


class HttpServer(ThreadingHTTPServer):
    """Threaded server whose handler threads never block shutdown."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        super().__init__(address, _Handler)
        self.dispatcher = dispatcher

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)
