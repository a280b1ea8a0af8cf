"""Workbook A's officer tabs typed into frames: topics (weights must sum to 100), applicants once each, the latest
document review, interview and committee vote per applicant, and the reference answers; every oddity a problem."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

import pandas as pd

from app.sheets.grid import Grid
from app.sheets.headers import MissingHeader
from app.sheets.problems import RowProblem, StopRun, problem_text
from app.sheets.layout import WorkbookSpec
from app.sheets.tables import TypedTable, read_table
from app.assessment.reference_questions import LINK_KEYS, answers_by_email

OPTIONAL_TABS = ("document_review", "reference_form", "interview", "committee")
AUTO_NUMBER = "A-{:03d}"  # the service's own application numbers where the form asks for none
UNKNOWN_APPLICATION = problem_text("ไม่พบเลขที่ใบสมัครนี้ในแท็บผู้สมัคร", "unknown application number")


@dataclass
class Tab:
    """One typed officer tab and the title it has in this workbook."""

    title: str
    table: TypedTable

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    def header(self, key: str) -> str:
        """The sheet's header of a column key (or the key itself when the sheet lacks the column)."""
        return self.table.header_map.header_of(key) if key in self.table.header_map.columns else key


@dataclass
class AssessmentInputs:
    """Typed inputs of one run, indexed by application number where they are per applicant."""

    weights: pd.Series  # topic code → weight (%), in the tab's order
    names: pd.Series  # topic code → topic name
    applicants: pd.DataFrame  # one row per application number, in sheet order (index 0…n-1)
    reviews: pd.DataFrame  # application_no × topic code: the latest review's verdicts
    review_info: pd.DataFrame  # application_no → timestamp, experience_value of that latest review
    answers: Tab | None  # the reference form, rows as typed (topic columns `topic:<code>`)
    interviews: pd.DataFrame  # application_no × topic code (latest non-blank verdict), `_row` (last row), timestamp
    committee: pd.DataFrame  # application_no → meeting_date, resolution, note, _row (the latest meeting)
    titles: dict[str, str] = field(default_factory=dict)  # tab key → its title in this workbook
    number_headers: dict[str, str] = field(default_factory=dict)  # tab key → its application-number header
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0


def read_inputs(spec: WorkbookSpec, sources: Mapping[str, tuple[str, Grid]], today: date, *,
                number_applicants: bool = False) -> AssessmentInputs:
    """Type the tabs found (`sources`: tab key → (title, grid)); raises MissingHeader or StopRun. Without an
    application-number column the applicants are numbered by the service when `number_applicants` (ตั้งค่า) says so;
    otherwise the missing column stops the run as any missing required header does."""
    if "topics" not in sources:
        tab = spec.tab("topics")
        raise StopRun(RowProblem(tab.title, None, "", "", problem_text(
            f"ไม่พบแท็บ {tab.title}: ยังประเมินผู้สมัครไม่ได้", "topics tab not found: nothing was assessed")))
    tabs = {key: Tab(title, read_table(grid, _layout(spec, key), spec.title, title, today=today))
            for key, (title, grid) in sources.items()}
    if "reference_form" in tabs:
        _can_tell_who_answered(tabs["reference_form"], spec)
    problems = [p for tab in tabs.values() for p in tab.table.problems]
    weights, names = _topics(tabs["topics"], problems)
    if "application_no" not in tabs["applicants"].table.header_map.columns:
        if not number_applicants:
            tab = spec.tab("applicants")
            raise MissingHeader(spec.title, tabs["applicants"].title, [tab.column("application_no").header], spec.name)
        _number(tabs["applicants"], problems)
    applicants = _applicants(tabs["applicants"], problems)
    known = set(applicants["application_no"])
    codes = list(weights.index)
    for key in OPTIONAL_TABS:
        if key in tabs:
            problems += _topic_columns(tabs[key], codes, needs_all=key in ("document_review", "reference_form"))
            if key != "reference_form":
                problems += _unknown(tabs[key], known)
    latest_review = _latest(tabs.get("document_review"), known, "timestamp")
    reviews = _verdicts(latest_review, codes)
    review_info = latest_review.reindex(columns=["timestamp", "experience_value"])
    interviews = _interviews(tabs.get("interview"), known, codes)
    committee = _latest(tabs.get("committee"), known, "meeting_date")
    return AssessmentInputs(weights, names, applicants, reviews, review_info, tabs.get("reference_form"), interviews,
                            committee.reindex(columns=["meeting_date", "resolution", "note", "_row"]),
                            {key: tab.title for key, tab in tabs.items()},
                            {key: tab.header("application_no") for key, tab in tabs.items()}, problems,
                            sum(len(tab.frame) for tab in tabs.values()))


def _layout(spec: WorkbookSpec, key: str):
    """The tab's layout; the reference form's without the questions its personal links fill in (officers' own
    forms ask neither: their answers are matched by the collected email until the questions are added)."""
    return answers_by_email(spec.tab(key)) if key == "reference_form" else spec.tab(key)


def _can_tell_who_answered(tab: Tab, spec: WorkbookSpec) -> None:
    """Whose answer each is: the token with the application number it was made for, or (the form asks no token)
    the collected email; a form that gives neither stops the run as a missing header does."""
    columns = tab.table.header_map.columns
    if ("token" in columns and "application_no" not in columns) or \
            ("token" not in columns and "respondent_email" not in columns):
        layout = spec.tab("reference_form")
        missing = [layout.column(key).header for key in LINK_KEYS if key not in columns]
        raise MissingHeader(spec.title, tab.title, missing, spec.name)


def _topics(tab: Tab, problems: list[RowProblem]) -> tuple[pd.Series, pd.Series]:
    frame = tab.frame.dropna(subset=["code"])
    repeated = frame["code"].duplicated()
    problems += [RowProblem(tab.title, int(row), tab.header("code"), code, problem_text(
        "รหัสหัวข้อซ้ำ: ใช้แถวแรก", "topic code listed twice: the first row is used"))
        for row, code in zip(frame.loc[repeated, "_row"], frame.loc[repeated, "code"])]
    frame = frame[~repeated].set_index("code")
    if abs(frame["weight"].sum() - 1) < 1e-6:  # typed into percent-formatted cells: 20% is held as 0.2
        frame["weight"] = frame["weight"] * 100
    total = round(float(frame["weight"].sum()), 6)
    if abs(total - 100) > 1e-6 or frame["weight"].isna().any():
        shown = f"{total:g}" + (" (บางแถวอ่านน้ำหนักไม่ได้)" if frame["weight"].isna().any() else "")
        raise StopRun(RowProblem(tab.title, None, tab.header("weight"), f"{total:g}", problem_text(
            f"น้ำหนักรวมของหัวข้อสมรรถนะเป็น {shown} ไม่ใช่ 100: แก้น้ำหนักให้รวมได้ 100 แล้วรันใหม่",
            f"topic weights sum to {total:g}, not 100: nothing was assessed")))
    return frame["weight"].astype(float), frame["name"]


def _applicants(tab: Tab, problems: list[RowProblem]) -> pd.DataFrame:
    frame = tab.frame.dropna(subset=["application_no"])
    first_row = frame.groupby("application_no")["_row"].transform("first")
    repeated = frame["application_no"].duplicated()
    problems += [RowProblem(tab.title, int(row), tab.header("application_no"), number, problem_text(
        f"ผู้สมัครซ้ำ: เลขที่ใบสมัครเดียวกับแถว {first}: ใช้แถว {first}",
        f"applicant listed twice: row {first} is used")) for row, number, first in
        zip(frame.loc[repeated, "_row"], frame.loc[repeated, "application_no"], first_row[repeated])]
    return frame[~repeated].reset_index(drop=True)


def _number(tab: Tab, problems: list[RowProblem]) -> None:
    """An application form with no application-number question: the service numbers the applicants itself, in the
    order of each email address's first response (stable across runs: responses only ever follow). A second
    response from the same address is the same applicant."""
    frame = tab.frame
    email = frame["email"].astype(object).where(frame["email"].notna(), None)
    email = email.map(lambda address: address.casefold() if isinstance(address, str) else None)
    first = frame.assign(_email=email).dropna(subset=["_email"]).sort_values(["timestamp", "_row"])
    order = list(dict.fromkeys(first["_email"]))
    numbers = {address: AUTO_NUMBER.format(n) for n, address in enumerate(order, start=1)}
    frame["application_no"] = email.map(numbers).astype(object)
    problems += [RowProblem(tab.title, int(row), tab.header("email"), "", problem_text(
        "ไม่มีอีเมล: ระบบให้เลขที่ใบสมัครไม่ได้", "no email: the service cannot number this applicant"))
        for row in frame.loc[email.isna(), "_row"]]


def _topic_columns(tab: Tab, codes: list[str], needs_all: bool) -> list[RowProblem]:
    """Topic columns whose code is not in หัวข้อสมรรถนะ (ignored), and, where every topic needs one, missing ones."""
    found = tab.table.header_map.groups.get("topic", {})
    headers = tab.table.header_map.headers
    problems = [RowProblem(tab.title, 1, headers[i], "", problem_text(
        f"ไม่พบรหัส {code} ในแท็บหัวข้อสมรรถนะ: ไม่นำคอลัมน์นี้มาคิด", f"no topic {code}: column ignored"))
        for code, i in found.items() if code not in codes]
    if needs_all:
        problems += [RowProblem(tab.title, 1, f"[{code}]", "", problem_text(
            f"ไม่มีคอลัมน์ของหัวข้อ {code}: ถือว่าไม่มีข้อมูลหัวข้อนี้", f"no column for topic {code}"))
            for code in codes if code not in found]
    return problems


def _unknown(tab: Tab, known: set[str]) -> list[RowProblem]:
    frame = tab.frame.dropna(subset=["application_no"])
    stray = frame[~frame["application_no"].isin(known)]
    return [RowProblem(tab.title, int(row), tab.header("application_no"), number, UNKNOWN_APPLICATION)
            for row, number in zip(stray["_row"], stray["application_no"])]


def _latest(tab: Tab | None, known: set[str], by: str) -> pd.DataFrame:
    """The last row per applicant by `by` (then sheet order); rows without a known application number dropped."""
    if tab is None:
        return pd.DataFrame(index=pd.Index([], name="application_no"))
    frame = tab.frame[tab.frame["application_no"].isin(known)]
    return frame.sort_values([by, "_row"], na_position="first").drop_duplicates("application_no", keep="last") \
        .set_index("application_no")


def _verdicts(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({code: frame.get(f"topic:{code}", pd.Series(index=frame.index, dtype=object))
                         for code in codes}, index=frame.index, dtype=object)


def _interviews(tab: Tab | None, known: set[str], codes: list[str]) -> pd.DataFrame:
    """Per applicant and topic, the latest interview verdict given (a blank cell leaves the earlier one)."""
    if tab is None:
        return pd.DataFrame(columns=[*codes, "_row", "timestamp"], index=pd.Index([], name="application_no"),
                            dtype=object)
    frame = tab.frame[tab.frame["application_no"].isin(known)].sort_values(["timestamp", "_row"], na_position="first")
    frame = frame.set_index("application_no")
    return _verdicts(frame, codes).assign(_row=frame["_row"], timestamp=frame["timestamp"]).groupby(level=0).last()
