"""Workflow A's rules end to end on typed inputs (pure): qualification, references, evidence, scoring, interview,
committee, stages and the reference mails due now."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from app.assessment.applicant_mail import applicant_mails, load_templates, sent_counts
from app.assessment.context import AssessmentContext
from app.assessment.evidence import evidence
from app.mail.mail_log import OutgoingMail
from app.sheets.problems import RowProblem, problem_text
from app.assessment.qualification import QUALIFIED, UNCHECKED, qualify
from app.assessment.reference_links import PrefillForm
from app.assessment.reference_mail import MailRules, history, plan
from app.assessment.references import MatchedAnswers, match_answers, named_references
from app.assessment.scoring import (INTERVIEW, PASSED, PENDING, Rules, decide, figures, reference_verdicts,
                                topic_verdicts, weigh, with_interview)
from app.assessment.stages import ANNOUNCED, Progress, closing_dates, progress, stages, timing
from app.assessment.inputs import AssessmentInputs
from app.sync.workflow import next_midnight

ANSWER_COLUMNS = ("_row", "timestamp", "respondent_email", "application_no", "token", "reviewer_name")
NOT_INTERVIEWED = problem_text("ผลประเมินของผู้สมัครรายนี้ไม่ใช่ สัมภาษณ์: ยังไม่นำผลสัมภาษณ์มาใช้",
                               "interview results not used: the applicant is not due for an interview")
NOT_PASSED = problem_text("ผู้สมัครรายนี้ยังไม่ผ่านการประเมิน: ยังไม่นำมติมาใช้",
                          "committee vote not used: the applicant has not passed the assessment")


@dataclass
class Evaluation:
    """Everything the service tabs show, per applicant and per reference."""

    applicants: pd.DataFrame  # by application_no, in sheet order
    verdicts: pd.DataFrame  # application_no × topic code
    references: pd.DataFrame  # tracking rows: named references and stray answers
    announced: pd.DataFrame  # approved passes, in announcement order
    mails: list[OutgoingMail]
    progress: Progress
    steps: tuple[int, int, int, int]  # applicants checked, assessed, due for interview, committee meetings
    mail: dict[str, int]  # invitations and reminders gone out, applicants invited / told the result, mails waiting
    asked: dict[str, int]  # references asked (named and invitable) and answered (counted)
    problems: list[RowProblem]
    stable_until: datetime | None  # when time alone next changes a tab (a reminder falls due, a wait ends, a day)


def match(inputs: AssessmentInputs, settings: dict, ctx: AssessmentContext) -> MatchedAnswers:
    """The named references and the answers attributed to them: from the tabs, the token secret and the time of the
    form's link questions alone, never from the sent-mail log (so a run recomputing after sending keeps them)."""
    apps = inputs.applicants
    return _matched(inputs, named_references(apps, ctx.token_secret or b""), apps, settings, ctx)


def evaluate(inputs: AssessmentInputs, settings: dict, ctx: AssessmentContext, form: PrefillForm | None,
             matched: MatchedAnswers) -> Evaluation:
    """Apply every rule of Workflow A to the inputs of one run, the references matched by match()."""
    now, today = pd.Timestamp(ctx.now.replace(tzinfo=None)), ctx.now.date()
    rules, mail_rules = Rules.from_settings(settings), MailRules.from_settings(settings)
    apps = inputs.applicants
    numbers, people = pd.Index(apps["application_no"]), apps.set_index("application_no")
    qualified = qualify(apps, settings["closing_date"], settings["i3c_valid_years"], today).set_index(numbers)
    ok = qualified["qualification"].eq(QUALIFIED)
    refs = matched.references
    sent = history(refs, ctx.mail_log, ctx.now.tzinfo, mail_rules)
    proof = evidence(numbers, refs, sent, pd.Series(True, index=inputs.reviews.index), now,
                     rules.min_references, mail_rules.wait_days)
    scored = _score(inputs, matched.ratings, proof["complete"], numbers, rules)
    decision = pd.Series(np.select([~ok, ~proof["complete"]], ["", PENDING + ": " + proof["missing"]],
                                   scored.decided["decision"]), index=numbers, dtype=object)
    rule = np.select([~ok, ~proof["complete"]], ["", "ยังไม่ตัดสิน " + figures(scored.weighed)], scored.decided["rule"])
    committee = inputs.committee.reindex(numbers)
    stage = stages(qualified["qualification"], decision, committee["resolution"])
    decided_on = _decided_on(inputs, proof["references_settled"], scored.interviewed, numbers)
    closed_on = closing_dates(stage, committee["meeting_date"], decided_on, settings["closing_date"])
    timed = timing(stage, people["timestamp"], closed_on, today, settings["standard_days"])
    answered = (proof["answered"].astype(str) + "/" + proof["invited"].astype(str)).where(ok, "")
    experience = inputs.review_info["experience_value"].reindex(numbers).where(ok)  # shown, never decides
    summary = pd.DataFrame({"full_name": _full_names(people), **qualified, "references": answered,
                            "experience_value": experience,
                            **_rows_where(scored.weighed[["P", "F", "I"]], ok, np.nan), "decision": decision,
                            "rule": rule, "stage": stage, **timed, "pending": ok & ~proof["complete"]}, index=numbers)
    tracking, mails, due = plan(refs, sent, summary, form, now, mail_rules, ctx.mail_allowance)
    told = pd.DataFrame({
        "full_name": summary["full_name"], "email": people["email"], "stage": stage,
        "interview_due": ok & proof["complete"] & scored.before["decision"].eq(INTERVIEW)
        & ~pd.Series(numbers.isin(inputs.interviews.index), index=numbers),
        "interviewed": scored.interviewed, "meeting_date": committee["meeting_date"],
        "committee_note": committee["note"]}, index=numbers)
    to_applicants, summary["applicant_mail"] = applicant_mails(
        told, (scored.before_verdicts, scored.verdicts), inputs.names, ctx.mail_log, settings, load_templates(),
        ctx.now.tzinfo)
    mails = mails + to_applicants
    announced = people.assign(approved=committee["meeting_date"])[stage == ANNOUNCED].sort_values(["approved", "_row"])
    approved_days = (pd.to_datetime(committee["meeting_date"]) - people["timestamp"].dt.normalize()).dt.days
    steps = (int(qualified["qualification"].ne(UNCHECKED).sum()), int(ok.sum()),
             int((scored.before["decision"].eq(INTERVIEW) & proof["complete"] & ok).sum()),
             int(inputs.committee["meeting_date"].nunique()))
    went = sent["invite_state"].notna() & sent["invite_state"].ne("failed")
    waiting = due + len(to_applicants)
    # mail waiting for a spent budget cannot go before the budget frees: until then time alone changes nothing more
    stable = None if waiting and ctx.mail_allowance != 0 else \
        _stable_until(refs, sent, went, now, mail_rules, ctx.now, ctx.mail_budget_frees if waiting else None)
    return Evaluation(
        summary, _rows_where(scored.verdicts, ok, ""),
        _tracking_rows(refs.drop(columns="remarks").join(sent).join(tracking), matched.strays, apps), announced,
        mails, progress(stage, decision, timed, approved_days.where(stage == ANNOUNCED), decided_on,
                        inputs.committee["meeting_date"], today,
                        settings["compile_days"] + settings["committee_days"]), steps,
        {"invited": int(went.sum()), "reminded": int(sent["reminders"].sum()), **sent_counts(ctx.mail_log),
         "waiting": waiting},
        {"invited": int(proof["invited"][ok].sum()), "answered": int(proof["answered"][ok].sum())},
        matched.problems + _unused(inputs, scored.interviewed, decision), stable)


def _stable_until(refs: pd.DataFrame, sent: pd.DataFrame, went: pd.Series, now: pd.Timestamp, rules: MailRules,
                  aware_now: datetime, budget_frees: datetime | None) -> datetime:
    """The first moment after now when a reminder may fall due, a wait end or waiting mail go (early is safe: a
    run then finds nothing to do), and at the latest the next midnight."""
    waiting = went & refs["answers"].eq(0)
    more = waiting & (sent["reminders"] < rules.max_reminders)
    reminders = (sent["last_at"] + pd.Timedelta(days=rules.every_days))[more]
    waits = (sent["invited_at"] + pd.Timedelta(days=rules.wait_days))[went]
    moments = pd.concat([reminders, waits])
    moments = moments[moments > now]
    first = [next_midnight(aware_now)] + ([budget_frees] if budget_frees is not None else [])
    if not moments.empty:
        first.append(moments.min().to_pydatetime().replace(tzinfo=aware_now.tzinfo))
    return min(first)


class Scored(NamedTuple):
    """Topic verdicts (after any interview), P / F / insufficient, the decision and what it was before."""

    verdicts: pd.DataFrame
    before_verdicts: pd.DataFrame
    weighed: pd.DataFrame
    decided: pd.DataFrame
    before: pd.DataFrame
    interviewed: pd.Series


def _score(inputs: AssessmentInputs, ratings: pd.DataFrame, complete: pd.Series, numbers: pd.Index,
           rules: Rules) -> Scored:
    """Evidence per topic, weighed and decided; interview verdicts apply to complete cases due for one."""
    codes = list(inputs.weights.index)
    verdicts = topic_verdicts(inputs.reviews, reference_verdicts(ratings, numbers, codes, rules))
    before_verdicts = verdicts
    before = decide(weigh(verdicts, inputs.weights), rules)
    interviewed = pd.Series(numbers.isin(inputs.interviews.index), index=numbers) \
        & before["decision"].eq(INTERVIEW) & complete
    verdicts = with_interview(verdicts, inputs.interviews.loc[inputs.interviews.index.isin(numbers[interviewed]),
                                                              codes])
    weighed = weigh(verdicts, inputs.weights)
    decided = _rows_where(decide(weighed, rules, after_interview=True), interviewed, before)
    return Scored(verdicts, before_verdicts, weighed, decided, before, interviewed)


def _decided_on(inputs: AssessmentInputs, references_settled: pd.Series, interviewed: pd.Series,
                numbers: pd.Index) -> pd.Series:
    """The day the decision could be reached: the latest of the document review, the references' settling and,
    for one interviewed, the interview."""
    interview = pd.to_datetime(inputs.interviews["timestamp"]).reindex(numbers).where(interviewed)
    parts = [pd.to_datetime(inputs.review_info["timestamp"]).reindex(numbers),
             pd.to_datetime(references_settled).reindex(numbers), interview]
    return pd.concat(parts, axis=1).max(axis=1)


def _matched(inputs: AssessmentInputs, refs: pd.DataFrame, apps: pd.DataFrame, settings: dict,
             ctx: AssessmentContext) -> MatchedAnswers:
    """The reference answers matched to the named references (none while the form has no answers)."""
    answers = inputs.answers
    if answers is None:
        frame, title, headers, asks_token = pd.DataFrame(columns=list(ANSWER_COLUMNS)), "", ("", ""), True
    else:
        frame, title, asks_token = answers.frame, answers.title, "token" in answers.table.header_map.columns
        headers = (answers.header("application_no"), answers.header("respondent_email"))
    since = ctx.links_asked_since
    local = None if since is None else pd.Timestamp(since.astimezone(ctx.now.tzinfo).replace(tzinfo=None))
    return match_answers(frame, refs, apps["application_no"], list(inputs.weights.index),
                         allow_unverified=bool(settings["count_unverified_references"]), tab=title,
                         number_header=headers[0], email_header=headers[1], asks_token=asks_token,
                         asked_since=local)


def _full_names(people: pd.DataFrame) -> pd.Series:
    names = people["title"].fillna("") + people["first_name"].fillna("") + " " + people["last_name"].fillna("")
    return names.str.strip()


def _unused(inputs: AssessmentInputs, interviewed: pd.Series, decision: pd.Series) -> list[RowProblem]:
    """Interview rows of applicants not due for one, committee votes on applicants who have not passed."""
    found = []
    extra = inputs.interviews[~inputs.interviews.index.isin(interviewed.index[interviewed])]
    found += [RowProblem(inputs.titles["interview"], int(row), inputs.number_headers["interview"], number,
                         NOT_INTERVIEWED) for number, row in extra["_row"].items()]
    votes = inputs.committee[decision.reindex(inputs.committee.index).ne(PASSED)]
    found += [RowProblem(inputs.titles["committee"], int(row), inputs.number_headers["committee"], number,
                         NOT_PASSED) for number, row in votes["_row"].items()]
    return found


def _rows_where(frame: pd.DataFrame, keep: pd.Series, other) -> pd.DataFrame:
    """The frame's rows where `keep`, the other value (or frame's rows) elsewhere."""
    mask = np.broadcast_to(keep.to_numpy(dtype=bool)[:, None], frame.shape)
    return pd.DataFrame(np.where(mask, frame, other), index=frame.index, columns=frame.columns)


def _tracking_rows(refs: pd.DataFrame, strays: pd.DataFrame, apps: pd.DataFrame) -> pd.DataFrame:
    """Named references, then answers that match none of them, each after its applicant's references."""
    order = pd.Series(apps.index, index=apps["application_no"])
    strays = strays.assign(order=strays["application_no"].map(order), slot=9, status="ไม่นับคำตอบ")
    return pd.concat([refs, strays], ignore_index=True).sort_values(["order", "slot"], kind="stable")
