"""A Google Form read through the Forms API: its questions, its responses since a watermark, its prefill ids."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from googleapiclient.errors import HttpError

from app.adapters.google.auth import (FORMS_EDIT_SCOPES, FORMS_SCOPES, KeySource, credentials, discovery_client,
                                      service_account_key)
from app.adapters.google.retry import RetryPolicy, call_with_retry, describe, http_status
from app.config import GoogleSettings
from app.errors import BackendError
from app.sync.ports import FormItem, FormQuestion, FormResponse

PAGE_SIZE = 5000  # the most forms.responses.list returns per page
QUESTION_KINDS = {"textQuestion": "text", "choiceQuestion": "choice", "scaleQuestion": "scale",
                  "ratingQuestion": "scale", "dateQuestion": "date", "timeQuestion": "time"}
DRIVE_FILE_URL = "https://drive.google.com/open?id="  # how linked sheets show uploaded files


class _FormsClient:
    """The Forms API for one form, with the given scopes, each request retried as Google advises."""

    scopes: tuple[str, ...]

    def __init__(self, form_id: str, creds_source: KeySource | None, google: GoogleSettings) -> None:
        self.form_id = form_id
        key = service_account_key(creds_source)
        self._client_email = key.get("client_email", "the service account")
        self._forms = discovery_client("forms", "v1", credentials(creds_source, self.scopes, google), google).forms()
        self._policy = RetryPolicy(attempts=google.max_attempts, base_delay=google.backoff_base)

    def _retried(self, what: str, request: Callable[[], Any]) -> dict:
        return call_with_retry(lambda: request().execute(), self._policy, f"{what} form {self.form_id}")


class GoogleFormSource(_FormsClient):
    """A Google Form shared with the service account; forms.get is read once per object (one run)."""

    scopes = FORMS_SCOPES

    def __init__(self, form_id: str, creds_source: KeySource | None, google: GoogleSettings) -> None:
        super().__init__(form_id, creds_source, google)
        self._form: dict | None = None

    def _call(self, what: str, request: Callable[[], Any]) -> dict:
        try:
            return self._retried(what, request)
        except HttpError as exc:
            if http_status(exc)[0] in (403, 404):
                raise BackendError(f"form {self.form_id} cannot be read ({describe(exc)}): share it with "
                                   f"{self._client_email} or check reference_form_id") from exc
            raise BackendError(f"{what} form {self.form_id} failed: {describe(exc)}") from exc

    def _body(self) -> dict:
        if self._form is None:
            self._form = self._call("read", lambda: self._forms.get(formId=self.form_id))
        return self._form

    def questions(self) -> list[FormQuestion]:
        """The form's questions in order; each grid row is one question titled `<grid title> [<row title>]`."""
        found = []
        for item in self._body().get("items", []):
            title = item.get("title", "")
            if "questionItem" in item:
                question = item["questionItem"]["question"]
                kind = next((QUESTION_KINDS[key] for key in question if key in QUESTION_KINDS), "other")
                found.append(FormQuestion(question["questionId"], title, kind))
            for row in item.get("questionGroupItem", {}).get("questions", []):
                row_title = row.get("rowQuestion", {}).get("title", "")
                found.append(FormQuestion(row["questionId"], f"{title} [{row_title}]", "grid-row"))
        return found

    def responses_since(self, watermark: datetime | None) -> list[FormResponse]:
        """Responses submitted strictly after the watermark (all when None), oldest first, every page read."""
        titles = {question.question_id: question.title for question in self.questions()}
        query = {"formId": self.form_id, "pageSize": PAGE_SIZE}
        if watermark is not None:
            query["filter"] = f"timestamp > {rfc3339(watermark)}"
        raws, token = [], None
        while True:
            page = self._call("read responses of",
                              lambda token=token: self._forms.responses().list(**query, pageToken=token))
            raws += page.get("responses", [])
            token = page.get("nextPageToken")
            if not token:
                break
        responses = [_response(raw, titles) for raw in raws]
        # Google keeps nanoseconds, we keep microseconds: the filter alone could return the watermark's own response.
        fresh = [r for r in responses if watermark is None or r.submitted > watermark]
        return sorted(fresh, key=lambda r: (r.submitted, r.response_id))

    def answer_stamps_since(self, watermark: datetime) -> set[tuple[str, datetime]]:
        """(response id, submitted) of the responses after the watermark, without reading the form's questions:
        one request unless more than a page of answers came in."""
        query = {"formId": self.form_id, "pageSize": PAGE_SIZE, "filter": f"timestamp > {rfc3339(watermark)}"}
        stamps, token = set(), None
        while True:
            page = self._call("read responses of",
                              lambda token=token: self._forms.responses().list(**query, pageToken=token))
            stamps |= {(raw["responseId"], parse_rfc3339(raw["lastSubmittedTime"]))
                       for raw in page.get("responses", [])}
            token = page.get("nextPageToken")
            if not token:
                return stamps

    def prefill_entry_ids(self) -> dict[str, str]:
        """Question title → `entry.<id>` for pre-filled links (the hex questionId read as a number)."""
        return {question.title: f"entry.{int(question.question_id, 16)}" for question in self.questions()}

    def responder_uri(self) -> str:
        """The form's public URL for answering."""
        return self._body()["responderUri"]

    def revision(self) -> str:
        """The form's revision, which moves with every edit of its questions (not with answers)."""
        return self._body().get("revisionId", "")


class GoogleFormEditor(_FormsClient):
    """A Google Form the service adds questions to, with scope `forms.body` (asked for by `forms prepare` only; every
    other command reads forms with the read-only scopes). Shared with the service account as Editor."""

    scopes = FORMS_EDIT_SCOPES

    def _call(self, what: str, request: Callable[[], Any]) -> dict:
        try:
            return self._retried(what, request)
        except HttpError as exc:
            status = http_status(exc)[0]
            if status == 404:
                raise BackendError(f"ไม่พบแบบฟอร์ม {self.form_id} (form not found: {describe(exc)}): check "
                                   "reference_form_id — the id in the form's edit URL …/forms/d/<id>/edit") from exc
            if status == 403:
                raise BackendError(f"ไม่มีสิทธิ์แก้ไขแบบฟอร์ม {self.form_id} (permission denied: {describe(exc)}): "
                                   f"share the form with {self._client_email} as Editor") from exc
            if status == 400 and what == "add questions to":
                raise BackendError(f"แบบฟอร์ม {self.form_id} ถูกแก้ไขระหว่างเพิ่มคำถาม (the form changed while the "
                                   f"questions were added: {describe(exc)}): run the command again") from exc
            raise BackendError(f"{what} form {self.form_id} failed: {describe(exc)}") from exc

    def items(self) -> tuple[str, list[FormItem]]:
        """The form's revision and its items (id and title), in order."""
        body = self._call("read", lambda: self._forms.get(formId=self.form_id))
        return body.get("revisionId", ""), [FormItem(item["itemId"], item.get("title", ""))
                                            for item in body.get("items", [])]

    def add_short_answers(self, questions: list[FormItem], revision: str) -> list[FormItem]:
        """Add short-answer (one-line text) questions at the top of the form, in this order, in one all-or-nothing
        request that Google refuses if the form changed since `revision` was read (so a retried request never adds
        them twice); `FormItem.description` is shown under each title. The items made, with their new ids."""
        requests = [{"createItem": {"location": {"index": n}, "item": {
            "title": question.title, "description": question.description,
            "questionItem": {"question": {"required": False, "textQuestion": {"paragraph": False}}}}}}
            for n, question in enumerate(questions)]
        body = {"requests": requests, "writeControl": {"requiredRevisionId": revision}}
        answer = self._call("add questions to", lambda: self._forms.batchUpdate(formId=self.form_id, body=body))
        return [FormItem(reply["createItem"]["itemId"], question.title)
                for reply, question in zip(answer.get("replies", []), questions)]


def _response(raw: dict, titles: Mapping[str, str]) -> FormResponse:
    answers = {}
    for question_id, answer in raw.get("answers", {}).items():
        values = [text.get("value", "") for text in answer.get("textAnswers", {}).get("answers", [])]
        values += [DRIVE_FILE_URL + file["fileId"] for file in answer.get("fileUploadAnswers", {}).get("answers", [])]
        answers[titles.get(question_id, question_id)] = ", ".join(values)
    return FormResponse(raw["responseId"], parse_rfc3339(raw["lastSubmittedTime"]), raw.get("respondentEmail"),
                        answers)


def rfc3339(moment: datetime) -> str:
    """`2026-01-01T00:00:00Z` (with microseconds when there are any), the UTC form the Forms filter takes."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + (f".{utc.microsecond:06d}" if utc.microsecond else "") + "Z"


def parse_rfc3339(text: str) -> datetime:
    """Google's `…T03:30:00.123456789Z` as an aware UTC datetime (cut to microseconds)."""
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text)).astimezone(timezone.utc)
