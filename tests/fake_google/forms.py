"""Forms API v1: forms.get, forms.batchUpdate (createItem) and forms.responses.list/get over forms seeded by tests."""
from __future__ import annotations

import base64
import bisect
import copy
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from tests.fake_google.errors import ApiError, bad_request, not_modelled
from tests.fake_google.state import Call, State, timestamp

MAX_PAGE = 5000
_FILTER = re.compile(r"\s*timestamp\s*(>=|>)\s*(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z)\s*")


@dataclass
class Form:
    """A form: the Form resource, question lookup by title / id, and its responses."""

    resource: dict
    questions: dict[str, dict] = field(default_factory=dict)  # questionId -> {"title", "kind", "options"...}
    responses: list[tuple[datetime, dict]] = field(default_factory=list)  # by lastSubmittedTime
    viewers: set[str] = field(default_factory=set)  # shared as Viewer: may read the form, not change it


def _question(state: State, spec: dict, title: str) -> dict:
    kind, qid = spec.get("kind", "text"), state.new_hex("question", 8)
    question: dict = {"questionId": qid}
    if spec.get("required"):
        question["required"] = True
    if kind == "text":
        question["textQuestion"] = {"paragraph": True} if spec.get("paragraph") else {}
    elif kind == "scale":
        question["scaleQuestion"] = {"low": spec.get("low", 1), "high": spec.get("high", 5)}
    elif kind == "choice":
        question["choiceQuestion"] = {"type": spec.get("type", "RADIO"),
                                      "options": [{"value": o} for o in spec["options"]]}
    elif kind == "date":
        question["dateQuestion"] = {"includeYear": True}
    else:
        raise ValueError(f"question {title!r}: unknown kind {kind!r}")
    return question


def retitle(form: Form, title: str, new_title: str) -> None:
    """An editor renaming a question in the Forms editor: its answers keep their question id, the revision moves on."""
    item = next(i for i in form.resource["items"] if i.get("title") == title and "questionItem" in i)
    item["title"] = new_title
    form.questions[item["questionItem"]["question"]["questionId"]]["title"] = new_title
    form.resource["revisionId"] = f"{int(form.resource['revisionId'], 16) + 1:08x}"


def build(state: State, form_id: str, title: str, specs: list[dict]) -> Form:
    """A Form from question specs like {"title", "kind": text|scale|choice|date|grid, "options", "rows", "columns"}."""
    form = Form({"formId": form_id, "info": {"title": title, "documentTitle": title},
                 "revisionId": "00000001", "responderUri": f"https://docs.google.com/forms/d/e/{form_id}/viewform",
                 "items": []})
    for spec in specs:
        item: dict = {"itemId": state.new_hex("item", 8), "title": spec["title"]}
        if spec.get("kind") == "grid":
            rows = [{"questionId": state.new_hex("question", 8), "rowQuestion": {"title": r}} for r in spec["rows"]]
            item["questionGroupItem"] = {"questions": rows, "grid": {"columns": {
                "type": "RADIO", "options": [{"value": c} for c in spec["columns"]]}}}
            for row in rows:
                form.questions[row["questionId"]] = {"title": spec["title"], "row": row["rowQuestion"]["title"],
                                                     "kind": "grid", "options": list(spec["columns"])}
        else:
            question = _question(state, spec, spec["title"])
            item["questionItem"] = {"question": question}
            form.questions[question["questionId"]] = {**spec, "kind": spec.get("kind", "text")}
        form.resource["items"].append(item)
    return form


def _names(spec: dict) -> set[str]:
    if "row" in spec:
        return {spec["row"], f"{spec['title']} [{spec['row']}]"}
    return {spec["title"]}


def _question_id(form: Form, key: str) -> str:
    if key in form.questions:
        return key
    found = [q for q, spec in form.questions.items() if key in _names(spec)]
    if len(found) != 1:
        raise KeyError(f"{key!r} names {len(found)} questions of form {form.resource['formId']}")
    return found[0]


def _check(spec: dict, values: list[str]) -> None:
    allowed = spec.get("options")
    if spec["kind"] == "scale":
        allowed = [str(n) for n in range(spec.get("low", 1), spec.get("high", 5) + 1)]
    if allowed is not None and any(v not in allowed for v in values):
        raise ValueError(f"answer {values} to {spec['title']!r} is not one of {allowed}")


def add_response(state: State, form: Form, answers: dict, submitted: datetime, email: str | None) -> str:
    """Record a submission (naive datetimes are UTC).

    Answers are keyed by questionId, question title, or for grid rows the row title or "Grid title [Row]"."""
    moment = submitted if submitted.tzinfo else submitted.replace(tzinfo=timezone.utc)
    response_id = "ACYDBN" + state.new_id("response", 60)[1:].replace("-", "x").replace("_", "y")
    shaped = {}
    for key, value in answers.items():
        qid = _question_id(form, key)
        values = [value] if isinstance(value, str) else list(value)
        _check(form.questions[qid], values)
        shaped[qid] = {"questionId": qid, "textAnswers": {"answers": [{"value": v} for v in values]}}
    response = {"formId": form.resource["formId"], "responseId": response_id, "createTime": timestamp(moment),
                "lastSubmittedTime": timestamp(moment), "answers": shaped}
    if email:
        response["respondentEmail"] = email
    bisect.insort(form.responses, (moment, response), key=lambda pair: pair[0])
    return response_id


def _form(state: State, call: Call) -> Form:
    form = state.forms.get(call.path["formId"])
    if form is None:
        raise ApiError(404, "Requested entity was not found.")
    state.allowed(call.path["formId"], call.identity)
    return form


def get(state: State, call: Call) -> dict:
    return copy.deepcopy(_form(state, call).resource)


def _page_token(offset: int, filter_text: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([offset, filter_text]).encode()).decode().rstrip("=")


def list_responses(state: State, call: Call) -> dict:
    """Responses by lastSubmittedTime; `filter` is only `timestamp > T` / `timestamp >= T`."""
    form, filter_text = _form(state, call), call.query.get("filter", "")
    chosen = form.responses
    if filter_text:
        match = _FILTER.fullmatch(filter_text)
        if match is None:
            raise bad_request(f"Invalid filter: {filter_text}. Supported: timestamp > T or timestamp >= T, "
                              "T in RFC 3339 UTC (Zulu) format.", "filter")
        since = datetime.fromisoformat(match[2].replace("Z", "+00:00"))
        strict = match[1] == ">"
        chosen = [(moment, r) for moment, r in chosen if moment > since or not strict and moment == since]
    size = call.query.get("pageSize", 0)
    if size < 0:
        raise bad_request("page_size must not be negative", "page_size")
    size = min(size or MAX_PAGE, MAX_PAGE)
    offset = 0
    if call.query.get("pageToken"):
        try:
            offset, token_filter = json.loads(base64.urlsafe_b64decode(call.query["pageToken"] + "=="))
        except ValueError:
            raise bad_request("Invalid page token.", "page_token") from None
        if token_filter != filter_text:
            raise bad_request("The page token was issued for a different filter; send the same filter with it.",
                              "page_token")
    answer: dict = {}
    if chosen[offset:offset + size]:
        answer["responses"] = [copy.deepcopy(r) for _, r in chosen[offset:offset + size]]
    if offset + size < len(chosen):
        answer["nextPageToken"] = _page_token(offset + size, filter_text)
    return answer


def get_response(state: State, call: Call) -> dict:
    form = _form(state, call)
    found = next((r for _, r in form.responses if r["responseId"] == call.path["responseId"]), None)
    if found is None:
        raise ApiError(404, "Requested entity was not found.")
    return copy.deepcopy(found)


def batch_update(state: State, call: Call) -> dict:
    """createItem of a question item (text questions), applied in order and all or nothing; the revision moves on.

    `writeControl.requiredRevisionId` other than the current revision is refused (400), as Google does."""
    form = _form(state, call)
    if call.identity.client_email in form.viewers:
        raise ApiError(403, "The caller does not have permission")
    body = call.body or {}
    required = body.get("writeControl", {}).get("requiredRevisionId")
    if required is not None and required != form.resource["revisionId"]:
        raise bad_request(f"The required revision ID {required} is not the latest revision "
                          f"{form.resource['revisionId']} of the form.", "write_control.required_revision_id")
    if not body.get("requests"):
        raise bad_request("requests is required and must not be empty.", "requests")
    items, questions, replies = copy.deepcopy(form.resource["items"]), dict(form.questions), []
    for n, request in enumerate(body["requests"]):
        if set(request) != {"createItem"}:
            raise not_modelled(f"batchUpdate requests other than createItem ({', '.join(request)})")
        replies.append({"createItem": _create_item(state, request["createItem"], items, questions, n)})
    form.resource["items"], form.questions = items, questions
    form.resource["revisionId"] = f"{int(form.resource['revisionId'], 16) + 1:08x}"
    answer: dict = {"replies": replies, "writeControl": {"requiredRevisionId": form.resource["revisionId"]}}
    if body.get("includeFormInResponse"):
        answer["form"] = copy.deepcopy(form.resource)
    return answer


def _create_item(state: State, request: dict, items: list[dict], questions: dict, n: int) -> dict:
    """Insert one question item at `location.index` (0 … the number of items: the end appends)."""
    where = f"requests[{n}].create_item"
    item, index = copy.deepcopy(request.get("item") or {}), request.get("location", {}).get("index")
    if index is None:
        raise bad_request("location is required.", f"{where}.location")
    if not 0 <= index <= len(items):
        raise bad_request(f"Invalid location index {index}: the form has {len(items)} items.", f"{where}.location")
    question = item.get("questionItem", {}).get("question")
    kinds = [key for key in (question or {}) if key.endswith("Question")]
    if question is None or len(kinds) != 1:
        raise bad_request("The item must pose exactly one question.", f"{where}.item")
    if kinds != ["textQuestion"]:
        raise not_modelled(f"createItem of a {kinds[0]}")
    taken = {i["itemId"] for i in items}
    if item.get("itemId") in taken or question.get("questionId") in questions:
        raise bad_request("The item or question ID is already used in the form.", f"{where}.item")
    item.setdefault("itemId", state.new_hex("item", 8))
    question.setdefault("questionId", state.new_hex("question", 8))
    questions[question["questionId"]] = {"title": item.get("title", ""), "kind": "text"}
    items.insert(index, item)
    return {"itemId": item["itemId"], "questionId": [question["questionId"]]}


HANDLERS = {"forms.forms.get": get, "forms.forms.batchUpdate": batch_update,
            "forms.forms.responses.list": list_responses,
            "forms.forms.responses.get": get_response}
