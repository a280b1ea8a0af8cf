"""A form's answers read through the Forms API, incrementally: only what came after the watermark is fetched, the
answers seen so far are kept in the run-state store; a full reconcile fetches everything and replaces them."""
from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from app.sheets.grid import Grid
from app.sheets.headers import normalize_header
from app.assessment.reference_links import PrefillForm
from app.sheets.layout import TabSpec
from app.sync.ports import FormQuestion, FormResponse, FormSource

LATE_ARRIVALS = timedelta(minutes=5)  # re-read a little before the watermark: a slow write is not lost
SERIAL_EPOCH = datetime(1899, 12, 30)
GOOGLE_EMAIL_HEADER = "ที่อยู่อีเมล"  # what a Thai form's linked tab calls the collected email (a layout may not read it)


class ResponseStore(Protocol):
    """Where the answers seen so far and the watermark live (the run-state store)."""

    def watermark(self, source_key: str) -> datetime | None: ...
    def set_watermark(self, source_key: str, when: datetime) -> None: ...
    def stored_responses(self, source_key: str) -> list[FormResponse]: ...
    def store_responses(self, source_key: str, responses: list[FormResponse], replace: bool = False) -> None: ...


def current_responses(form: FormSource, store: ResponseStore, source_key: str, *, full: bool,
                      dry_run: bool) -> list[FormResponse]:
    """Every answer so far, oldest first; new ones (and the watermark) are kept unless this is a dry run."""
    mark = None if full else store.watermark(source_key)
    fresh = form.responses_since(None if mark is None else mark - LATE_ARRIVALS)
    known = {} if full else {r.response_id: r for r in store.stored_responses(source_key)}
    merged = {**known, **{r.response_id: r for r in fresh}}
    answers = sorted(merged.values(), key=lambda r: (r.submitted, r.response_id))
    if not dry_run:
        store.store_responses(source_key, fresh, replace=full)
        if answers:
            store.set_watermark(source_key, answers[-1].submitted)
    return answers


def responses_grid(responses: list[FormResponse], questions: list[FormQuestion], tab: TabSpec, zone: tzinfo) -> Grid:
    """The answers laid out as the form's linked responses tab: timestamp (local serial), email, one column per
    question; rows in submission order."""
    titles = [q.title for q in questions]
    titles += sorted({t for r in responses for t in r.answers} - set(titles))
    email = next((c.header for c in tab.columns if c.key == "respondent_email"), GOOGLE_EMAIL_HEADER)
    header = [tab.column("timestamp").header, email, *titles]
    rows = [[_serial(r.submitted, zone), r.respondent_email or None, *(r.answers.get(t) for t in titles)]
            for r in responses]
    return [header, *rows]


def prefill_form(form: FormSource, tab: TabSpec) -> PrefillForm:
    """The form's answer URL and the entry ids of the questions whose titles match the tab's columns."""
    entries = {normalize_header(title): entry for title, entry in form.prefill_entry_ids().items()}
    found = {column.key: entries[normalize_header(name)] for column in tab.columns if column.form_entry
             for name in column.names if normalize_header(name) in entries}
    return PrefillForm(form.responder_uri(), found)


def _serial(moment: datetime, zone: tzinfo) -> float:
    local = moment.astimezone(zone).replace(tzinfo=None)
    return (local - SERIAL_EPOCH).total_seconds() / 86400
