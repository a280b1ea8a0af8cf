"""Hand-written in-memory doubles of our ports, for service tests (they record results, not calls)."""
from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.message import EmailMessage
from types import SimpleNamespace
from typing import Iterator, Sequence

from app.adapters.xlsx import trimmed
from app.errors import BackendError, BusyError
from app.sheets.grid import Grid, RangeWrite, TabStyle, WriteStats, read_back
from app.sheets.problems import RowProblem
from app.sync.ports import FormQuestion, FormResponse, RunRecord, TabNotFound


class FakeWorkbook:
    """A workbook held in memory; behaves like the real ones (trimming, styles, missing tabs)."""

    max_cell_chars = 50_000

    def __init__(self, tabs: dict[str, Grid] | None = None, label: str = "fake") -> None:
        self.tabs: dict[str, Grid] = {t: [list(r) for r in g] for t, g in (tabs or {}).items()}
        self.styles: dict[str, TabStyle] = {}
        self._label = label
        self.write_calls = 0

    @property
    def label(self) -> str:
        return self._label

    def tab_titles(self) -> list[str]:
        return list(self.tabs)

    def owned_tabs(self) -> dict[str, str]:
        return {style.owner_mark or title: title for title, style in self.styles.items()}

    def read(self, titles: Sequence[str]) -> dict[str, Grid]:
        missing = [t for t in titles if t not in self.tabs]
        if missing:
            raise TabNotFound(f"{self.label}: no tab named {missing[0]!r}")
        return {t: trimmed([list(map(read_back, row)) for row in self.tabs[t]]) for t in titles}  # as Google gives

    def write(self, writes: Sequence[RangeWrite], styles: Sequence[TabStyle] = (), notes=None) -> WriteStats:
        created = [s.title for s in styles if s.title not in self.tabs]
        restyled = [s.title for s in styles if s.title in self.tabs and self.styles.get(s.title) != s]
        if not writes and not created and not restyled:
            return WriteStats()
        for style in styles:
            self.tabs.setdefault(style.title, [])
            self.styles[style.title] = style
        for w in writes:
            if w.tab not in self.tabs:
                raise TabNotFound(f"{self.label}: no tab named {w.tab!r}")
            grid = self.tabs[w.tab]
            for r, row in enumerate(w.values):
                while len(grid) < w.row + r:
                    grid.append([])
                line = grid[w.row + r - 1]
                for c, value in enumerate(row):
                    while len(line) < w.col + c:
                        line.append(None)
                    line[w.col + c - 1] = None if value == "" else value
        self.write_calls += 1
        cells = sum(len(row) for w in writes for row in w.values)
        return WriteStats(requests=1, cells=cells, tabs_created=tuple(created), tabs_styled=tuple(restyled))

    def cell_link(self, tab: str, row: int, col: int) -> str:
        return f"{self.label} › {tab}!R{row}C{col}"


class FakeMailer:
    """Keeps every message it is given, by recipient; refuses the recipients in `refuse` as a relay would."""

    def __init__(self, refuse: Sequence[str] = ()) -> None:
        self.sent: dict[str, list[EmailMessage]] = defaultdict(list)
        self.refuse = set(refuse)

    def send(self, message: EmailMessage) -> str:
        if message["To"] in self.refuse:
            raise BackendError(f"relay refused {message['To']}")
        self.sent[message["To"]].append(message)
        return f"fake-{sum(map(len, self.sent.values()))}"

    def flush(self) -> dict[str, str]:
        return {}


class FakeFormSource:
    """A Google Form in memory: its questions, its responses (added by the test) and its prefill ids."""

    def __init__(self, titles: Sequence[str], uri: str = "https://docs.google.com/forms/d/e/FAKE/viewform") -> None:
        self.titles, self.uri = list(titles), uri
        self.responses: list[FormResponse] = []

    def answer(self, submitted: datetime, email: str | None, **answers: str) -> None:
        self.responses.append(FormResponse(f"r{len(self.responses) + 1}", submitted, email, answers))

    def questions(self) -> list[FormQuestion]:
        return [FormQuestion(f"q{i}", title, "text") for i, title in enumerate(self.titles)]

    def responses_since(self, watermark: datetime | None) -> list[FormResponse]:
        return sorted((r for r in self.responses if watermark is None or r.submitted > watermark),
                      key=lambda r: r.submitted)

    def answer_stamps_since(self, watermark: datetime) -> set[tuple[str, datetime]]:
        return {(r.response_id, r.submitted) for r in self.responses if r.submitted > watermark}

    def prefill_entry_ids(self) -> dict[str, str]:
        return {title: f"entry.{1000001 + i}" for i, title in enumerate(self.titles)}

    def responder_uri(self) -> str:
        return self.uri

    def revision(self) -> str:
        return "|".join(self.titles)  # moves with every edit of the questions, as Google's does


@dataclass
class _Claim:
    key: str
    recipient: str
    subject: str
    state: str
    claimed: datetime
    sent: datetime | None = None
    message_id: str | None = None
    error: str | None = None
    attempts: int = 1


class InMemoryRunStore:
    """The run-state store in memory, for fast tests of the engine and mail delivery: runs, problems, logs,
    locks, the sent-mail ledger and form answers, with the same rules as the SQLite store (checked side by side
    in tests/mail/test_ledger_contract.py)."""

    def __init__(self, clock=lambda: datetime.now(timezone.utc)) -> None:
        self.clock = clock
        self.records: list[RunRecord] = []
        self.problem_rows: dict[int, list[RowProblem]] = defaultdict(list)
        self.log_lines: dict[int, list[str]] = defaultdict(list)
        self.held: set[str] = set()
        self.claims: dict[str, _Claim] = {}
        self.marks: dict[str, datetime] = {}
        self.answers: dict[str, dict[str, FormResponse]] = defaultdict(dict)
        self.notes: dict[str, dict] = {}

    @contextmanager
    def lock(self, key: str, owner: str) -> Iterator[SimpleNamespace]:
        if key in self.held:
            raise BusyError(f"{key} is busy: held by another run")
        self.held.add(key)
        try:
            yield SimpleNamespace(refresh=lambda: None)
        finally:
            self.held.discard(key)

    def start_run(self, job: str, workbook: str, trigger: str, started_by: str | None = None) -> int:
        self.records.append(RunRecord(len(self.records) + 1, job, workbook, trigger, self.clock(), None, "running",
                                      {}, None, started_by=started_by))
        return len(self.records)

    def cell_notes(self, job: str) -> dict:
        return dict(self.notes.get(job, {}))

    def keep_cell_notes(self, job: str, notes: dict) -> None:
        self.notes[job] = dict(notes)

    def finish_run(self, run_id: int, status: str, counts: dict, error: str | None = None,
                   summary: dict | None = None, workbook: str | None = None) -> None:
        if status not in ("ok", "failed", "interrupted"):
            raise ValueError(f"run status {status!r}")
        run = self.records[run_id - 1]
        self.records[run_id - 1] = replace(run, finished=self.clock(), status=status, counts=counts, error=error,
                                           summary=summary or {}, workbook=workbook or run.workbook)

    def last_ok_summary(self, job: str, key: str) -> object | None:
        found = self.runs(job=job, status="ok", limit=1)
        return found[0].summary.get(key) if found else None

    def runs(self, job: str | None = None, status: str | None = None, limit: int = 50,
             before: int | None = None, with_summary: bool = True) -> list[RunRecord]:
        found = [r for r in reversed(self.records) if job in (None, r.job) and status in (None, r.status)
                 and (before is None or r.id < before)]
        return found[:limit]

    def add_problems(self, run_id: int, problems: list[RowProblem], links=None) -> None:
        self.problem_rows[run_id] += problems

    def add_log(self, run_id: int, level: str, message: str) -> None:
        self.log_lines[run_id].append(f"{level} {message}")

    def claim_mail(self, key: str, recipient: str, subject: str) -> bool:
        claim = self.claims.get(key)
        if claim is not None and claim.state != "failed":
            return False
        attempts = claim.attempts + 1 if claim else 1
        self.claims[key] = _Claim(key, recipient, subject, "sending", self.clock(), attempts=attempts)
        return True

    def claim_mails(self, mails: list[tuple[str, str, str]]) -> set[str]:
        return {key for key, recipient, subject in mails if self.claim_mail(key, recipient, subject)}

    def settle_mails(self, sent: list[tuple[str, str]], failed: list[tuple[str, str]], untried: list[str],
                     uncertain: list[tuple[str, str]] = ()) -> None:
        for key, message_id in sent:
            self.mark_sent(key, message_id)
        for key, error in failed:
            self.release_mail(key, error)
        for key, error in uncertain:
            self.mark_uncertain(key, error)
        for key in untried:  # never handed to the mailer: the claim is undone
            claim = self.claims[key]
            if claim.attempts == 1:
                del self.claims[key]
            else:
                self.claims[key] = replace(claim, state="failed", attempts=claim.attempts - 1)

    def mark_sent(self, key: str, message_id: str) -> None:
        self._settle(key).update(state="sent", sent=self.clock(), message_id=message_id, error=None)

    def release_mail(self, key: str, error: str) -> None:
        self._settle(key).update(state="failed", error=error)

    def mark_uncertain(self, key: str, error: str) -> None:
        self._settle(key).update(state="uncertain", error=error)

    def uncertain_mails(self, prefix: str | None = None) -> list[_Claim]:
        return [c for c in self.mails(prefix) if c.state == "uncertain"]

    def settle_uncertain(self, key: str, outcome: str, who: str) -> _Claim:
        if outcome not in ("sent", "resend"):
            raise ValueError(f"outcome must be sent or resend, not {outcome!r}")
        claim = self.claims.get(key)
        if claim is None or claim.state != "uncertain":
            raise KeyError(f"no uncertain mail {key!r}")
        if outcome == "sent":
            claim.__dict__.update(state="sent", sent=self.clock(), error=None,
                                  message_id=claim.message_id or f"settled as sent by {who}")
        else:
            claim.__dict__.update(state="failed", attempts=0, error=None)
        return claim

    def _settle(self, key: str) -> dict:
        claim = self.claims.get(key)
        if claim is None or claim.state != "sending":
            raise KeyError(f"no mail claim {key!r} to settle (never claimed, or already settled)")
        return claim.__dict__

    def mails(self, prefix: str | None = None) -> list[_Claim]:
        found = [c for c in self.claims.values() if prefix is None or c.key.startswith(prefix)]
        return sorted(found, key=lambda c: (c.claimed, c.key))

    def mails_mark(self, prefix: str) -> str | None:
        found = self.mails(prefix)
        if any(c.state == "sending" for c in found):
            return None
        return "/".join(map(str, (len(found), max((c.claimed for c in found), default=None),
                                  max((c.sent for c in found if c.sent), default=None), sum(c.attempts for c in found),
                                  sum(c.state == "sent" for c in found), sum(c.state == "uncertain" for c in found))))

    def counted_since(self, when: datetime) -> list[datetime]:
        return sorted([c.sent for c in self.claims.values() if c.state == "sent" and c.sent >= when]
                      + [c.claimed for c in self.claims.values() if c.state in ("sending", "uncertain") and c.claimed >= when])

    def watermark(self, source_key: str) -> datetime | None:
        return self.marks.get(source_key)

    def set_watermark(self, source_key: str, when: datetime) -> None:
        self.marks[source_key] = when

    def stored_responses(self, source_key: str) -> list[FormResponse]:
        return sorted(self.answers[source_key].values(), key=lambda r: (r.submitted, r.response_id))

    def store_responses(self, source_key: str, responses: list[FormResponse], replace: bool = False) -> None:
        if replace:
            self.answers[source_key].clear()
        self.answers[source_key].update({r.response_id: r for r in responses})
