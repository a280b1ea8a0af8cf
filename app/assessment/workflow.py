"""Workflow A (consultant assessment): the officer tabs of workbook A in, its six service tabs out (pure)."""
from __future__ import annotations

from typing import Collection, Sequence

import pandas as pd

from app.assessment.context import AssessmentContext
from app.sheets.grid import Grid
from app.sheets.problems import RowProblem, problem_text
from app.assessment.reference_links import PrefillForm
from app.sheets.layout import WorkbookSpec
from app.sheets.layout_roles import officer_tabs_by_layout
from app.assessment.stages import LATE, OPEN_STAGES
from app.sheets.tables import WorkbookSettings, read_settings
from app.assessment.evaluation import Evaluation, evaluate, match
from app.assessment.inputs import AssessmentInputs, read_inputs
from app.assessment.references import MatchedAnswers
from app.assessment.overview import overview_tab, progress_rows, respondents_tab, satisfaction
from app.assessment.tabs import announcement_tab, empty_tab, summary_tab, tracking_tab
from app.sync.workflow import RunContext, ServiceTab, WorkflowResult, next_midnight

READ = ("settings", "topics", "applicants", "document_review", "reference_form", "interview", "committee",
        "satisfaction")
WRITE = ("summary", "reference_tracking", "announcement", "overview", "respondents")
NO_FORM_LINK = problem_text("ไม่มีลิงก์แบบประเมินบุคคลอ้างอิง: ยังส่งอีเมลเชิญบุคคลอ้างอิงไม่ได้",
                            "no reference form link: invitations wait until it is set")


class AssessmentWorkflow:
    """Qualification, reference requests, scoring, interview, committee and announcement of workbook A."""

    def __init__(self, spec: WorkbookSpec, form_tabs: Collection[str] = ()) -> None:
        self.spec = spec
        self.form_tabs = frozenset(form_tabs)  # tab keys whose rows come from a form API (AssessmentContext.form_grids)
        self._kept: tuple | None = None  # the last pass's tabs, form answers, key and what _typed made of them

    def tabs_to_read(self, titles: Sequence[str]) -> list[str]:
        """The officer tabs by title, and every tab no title names: a form's responses tab is known by its headers."""
        found = self.spec.officer_titles(titles)
        unknown = [t for t in titles if self.spec.find_tab(t) is None and not self.spec.is_officer_only(t)]
        return [found[k] for k in READ if k in found and k not in self.form_tabs] + unknown

    def service_titles(self) -> list[str]:
        return [self.spec.tab(key).title for key in WRITE]

    def has_applicants(self, grids: dict[str, Grid]) -> bool:
        """True when the applicants tab has at least one filled row below its header."""
        title = officer_tabs_by_layout(self.spec, grids).get("applicants")
        return title is not None and any(any(v not in (None, "") for v in row) for row in grids[title][1:])

    def run(self, grids: dict[str, Grid], ctx: RunContext) -> WorkflowResult:
        ctx = AssessmentContext.of(ctx)
        found = officer_tabs_by_layout(self.spec, grids)
        settings = self._settings(grids, found)
        today = ctx.now.date()
        sat = satisfaction(self.spec, grids.get(found.get("satisfaction")), found.get("satisfaction"),
                           settings.values, today)
        problems = settings.problems + sat.problems
        if not self.has_applicants(grids):
            tabs = self._empty_tabs() + [overview_tab(self.spec.tab("overview"), sat.rows),
                                         respondents_tab(self.spec.tab("respondents"), sat.respondents)]
            return WorkflowResult(tabs, problems, sat.count, summary={"satisfaction": sat.figures},
                                  stable_until=next_midnight(ctx.now))
        inputs, matched = self._typed(grids, found, settings, ctx)
        form = ctx.forms.get("reference_form") or self._settings_form(settings, problems, found)
        result = evaluate(inputs, settings.values, ctx, form, matched)
        overview = sat.rows + progress_rows(result.progress, settings.values, result.steps, result.mail)
        summary = self.spec.tab("summary")
        tabs = [summary_tab(summary, result, inputs.names, grids.get(summary.title), ctx.now),
                tracking_tab(self.spec.tab("reference_tracking"), result),
                announcement_tab(self.spec.tab("announcement"), result),
                overview_tab(self.spec.tab("overview"), overview),
                respondents_tab(self.spec.tab("respondents"), sat.respondents)]
        return WorkflowResult(tabs, problems + inputs.problems + result.problems, inputs.rows_read + sat.count,
                              summary=_summary(result, sat.figures), mails=result.mails,
                              mails_waiting=result.mail["waiting"], stable_until=result.stable_until)

    def _typed(self, grids: dict[str, Grid], found: dict[str, str], settings: WorkbookSettings,
               ctx: AssessmentContext) -> tuple[AssessmentInputs, MatchedAnswers]:
        """The tabs typed and the reference answers matched. What they depend on is the same when the run computes
        again after sending mail (only the sent-mail log changed): they are kept from its first pass, which is half
        of the work."""
        key = (ctx.now.date(), ctx.token_secret, ctx.links_asked_since)
        kept = self._kept
        if kept is not None and kept[0] is grids and kept[1] is ctx.form_grids and kept[2] == key:
            return kept[3]
        inputs = read_inputs(self.spec, self._sources(grids, found, ctx), ctx.now.date(),
                             number_applicants=bool(settings["number_applicants"]))
        typed = inputs, match(inputs, settings.values, ctx)
        self._kept = (grids, ctx.form_grids, key, typed)
        return typed

    def _sources(self, grids: dict[str, Grid], found: dict[str, str], ctx: AssessmentContext) -> dict[str, tuple[str, Grid]]:
        """Tab key → (title, rows) of the tabs to assess; a form read by API stands in for its responses tab."""
        sources = {key: (found[key], grids[found[key]]) for key in READ[1:-1] if key in found}
        sources |= {key: (self.spec.tab(key).title, grid) for key, grid in ctx.form_grids.items()}
        return sources

    def _settings(self, grids: dict[str, Grid], found: dict[str, str]) -> WorkbookSettings:
        if "settings" not in found:
            return WorkbookSettings({s.key: s.default for s in self.spec.settings_tab.settings}, [])
        return read_settings(grids[found["settings"]], self.spec, found["settings"])

    def _settings_form(self, settings: WorkbookSettings, problems: list[RowProblem],
                       found: dict[str, str]) -> PrefillForm | None:
        """The reference form from `ลิงก์แบบประเมินบุคคลอ้างอิง` and the entry ids in sheets_schema/ (local mode)."""
        url = settings["reference_form_url"]
        if not url:
            setting = self.spec.settings_tab.setting("reference_form_url")
            problems.append(RowProblem(found.get("settings", self.spec.settings_tab.title), None, setting.name, "",
                                       NO_FORM_LINK))
            return None
        columns = self.spec.tab("reference_form").columns
        return PrefillForm(url, {c.key: f"entry.{c.form_entry}" for c in columns if c.form_entry})

    def _empty_tabs(self) -> list[ServiceTab]:
        """The tabs without rows (no applicants yet)."""
        return [empty_tab(self.spec.tab(key)) for key in ("summary", "reference_tracking", "announcement")]


def _summary(result: Evaluation, satisfaction: dict) -> dict:
    """The run's figures for the web page (app/web/summaries.py documents the shape)."""
    people = result.applicants
    late = people[(people["time_status"] == LATE) & people["stage"].isin(OPEN_STAGES)].sort_values("days",
                                                                                                  ascending=False)
    overdue = [{"application_no": number, "name": name, "days": int(days), "stage": stage}
               for number, name, days, stage in zip(late.index, late["full_name"], late["days"], late["stage"])]
    return {"stages": [{"stage": stage, "count": count} for stage, count in result.progress.by_stage.items()],
            "decisions": result.progress.by_decision, "overdue": overdue, "references": result.asked,
            "satisfaction": satisfaction, "pass_rate": result.progress.pass_rate, "mail": result.mail,
            "applicants": _applicants(result)}


def _applicants(result: Evaluation) -> list[dict]:
    """Each applicant's stage and, while the evidence is incomplete, what it waits on: which references, invited
    when, answered or not (names only: no e-mail address, ID or phone)."""
    refs = result.references
    by_applicant: dict[str, list[dict]] = {}
    for number, name, status, invited, answered in zip(refs["application_no"], _texts(refs["name"]),
                                                       _texts(refs["status"]), _isoformats(refs["invited_at"]),
                                                       _isoformats(refs["answered_at"])):
        by_applicant.setdefault(number, []).append({"name": name, "status": status, "invited": invited,
                                                    "answered": answered})
    people = result.applicants
    days = [None if missing else int(d) for d, missing in zip(people["days"].tolist(), people["days"].isna())]
    return [{"application_no": number, "name": name, "stage": stage, "days": day,
             "waiting_for": decision.split(": ", 1)[1] if pending and ": " in decision else "",
             "references": by_applicant.get(number, [])}
            for number, name, stage, day, decision, pending in zip(
                people.index, people["full_name"], people["stage"], days, people["decision"], people["pending"])]


def _texts(column: pd.Series) -> list[str | None]:
    """Each cell as text, None where missing (the missing test made once for the column, not per cell)."""
    return [None if missing else str(value) for value, missing in zip(column.tolist(), column.isna().to_numpy())]


def _isoformats(column: pd.Series) -> list[str | None]:
    """Each moment in ISO form, None where missing; a moment repeated (one sending, one form import) is
    formatted once."""
    done: dict = {}
    shown: list[str | None] = []
    for value, missing in zip(column.tolist(), column.isna().to_numpy()):
        if not missing and value not in done:
            done[value] = pd.Timestamp(value).isoformat()
        shown.append(None if missing else done[value])
    return shown
