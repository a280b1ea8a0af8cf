"""What the overview and run pages show: each workflow's last and next run, a run's problems with their cells."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit


from app.config import JobSettings
from app.sync.ports import RunRecord
from app.sheets.masking import mask_personal
from app.sync.schedules import workflow_trigger
from app.web.summaries import masked
from app.web.wording import cron_in_words, every_minutes


@dataclass(frozen=True)
class Schedule:
    """When the scheduler (python -m jobs) runs a workflow next, and its rule in words."""

    next_at: datetime | None
    rule: str


@dataclass(frozen=True)
class ProblemRow:
    """One data problem as the run page lists it; `href` only for a Google Sheets cell."""

    tab: str
    row: int | None
    column: str
    value: str
    problem: str
    where: str
    href: str | None


def schedule(config: JobSettings, zone: str, last: RunRecord | None, now: datetime) -> Schedule:
    """The next scheduled run from the config's cron line or interval (counted from the last run's start)."""
    trigger = workflow_trigger(config.cron, config.schedule_minutes, zone, last.started if last else now)
    if trigger is None:
        return Schedule(None, "ไม่ได้ตั้งเวลา — สั่งด้วยมือเท่านั้น (not scheduled)")
    what = cron_in_words(config.cron) if config.cron else every_minutes(config.schedule_minutes)
    if not (config.cron or config.interval_minutes):
        what += " (ค่าเริ่มต้นของงานที่มีแบบฟอร์ม)"  # the 1-minute default, not an interval someone set
    return Schedule(trigger.get_next_fire_time(None, now), what)


def cell_of(link: str | None, tab: str, row: int | None) -> tuple[str, str | None]:
    """Where a problem is, in words, and a link only when it is a Google Sheets URL (`…#gid=…&range=B5`)."""
    if link and link.startswith("https://docs.google.com/"):
        cell = parse_qs(urlsplit(link).fragment).get("range", [""])[0]
        return mask_personal(f"{tab}!{cell}" if cell else tab), link
    if link:
        return mask_personal(link), None
    return mask_personal(tab if row is None else f"{tab} แถว {row}"), None


def problem_rows(store, run_id: int) -> list[ProblemRow]:
    """A run's problems in order, each masked, with where it is."""
    rows = []
    for problem, link in zip(store.problems(run_id), store.problem_links(run_id)):
        where, href = cell_of(link, problem.tab, problem.row)
        rows.append(ProblemRow(mask_personal(problem.tab), problem.row, mask_personal(problem.column),
                               mask_personal(problem.value), mask_personal(problem.problem), where, href))
    return rows


def run_json(run: RunRecord, with_summary: bool = True) -> dict:
    """A run for the JSON API, its texts masked; with its summary (the figures the pages show) if asked."""
    found = {"id": run.id, "job": run.job, "workbook": mask_personal(run.workbook), "trigger": run.trigger,
             "started_by": run.started_by, "started": run.started.isoformat(),
             "finished": run.finished.isoformat() if run.finished else None,
             "status": run.status, "counts": run.counts, "error": mask_personal(run.error) if run.error else None,
             "duration_seconds": run.duration.total_seconds() if run.duration else None}
    return found | {"summary": masked(run.summary)} if with_summary else found


def request_json(request) -> dict:
    """A run-now request for the JSON API."""
    return {"id": request.id, "job": request.job, "state": request.state, "run_id": request.run_id,
            "requested": request.requested.isoformat(), "requested_by": request.requested_by,
            "started": request.started.isoformat() if request.started else None,
            "finished": request.finished.isoformat() if request.finished else None, "worker": request.worker,
            "error": mask_personal(request.error) if request.error else None}
