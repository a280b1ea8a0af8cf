"""The `summary` a workflow leaves on its run (RunRecord.summary), as the assessment and reporting pages read it.

The pages render the summary of the job's latest `ok` run. Any key may be missing: the page shows what is
there, and says in Thai that there is no run yet when there is none. Every text is masked (mask_personal)
before it reaches a page, whatever the workflow put in it.

assessment:
    {"stages": [{"stage": "<Thai stage>", "count": n}, …],          # the applicant pipeline, in stage order
     "decisions": {"<Thai decision>": n, …},                         # pass / interview / fail …
     "overdue": [{"application_no": str, "name": str, "days": int, "stage": str}, …],
     "references": {"invited": n, "answered": n},
     "satisfaction": {"respondents": n, "mean_percent": float | None, "standard": float},
     "pass_rate": float | None,
     "mail": {"invited": n, "reminded": n,                           # reference mail gone out
              "applicants_invited": n, "results_sent": n,            # applicant mail gone out (added later)
              "waiting": n},                                         # due, left for the next run
     "applicants": [{"application_no": str, "name": str, "stage": str, "days": int | None,
                     "waiting_for": str ("" unless the evidence is incomplete: what is still awaited),
                     "references": [{"name": str, "status": str, "invited": ISO time | None,
                                     "answered": ISO time | None}, …]}, …]}   # names only, no e-mail or ID

reporting:
    {"program": str,
     "targets": [{"indicator": str (its unit in the last parentheses), "target": number | str,
                  "actual": number | str, "met": bool | None,
                  "rule": str (how the actual is counted, in Thai, naming the smallest cluster when it decides),
                  "note": str (optional: "ไม่มีข้อมูล 3 ราย" for a share: recipients in its base without data)}, …],
     "units": [{"name": str, "participants": n, "enterprises": n, "satisfied_share": float | None,
                "gain_share": float | None, "economic_value": float, "applied_share": float | None,
                "satisfied_share_no_data": n, "gain_share_no_data": n, "applied_share_no_data": n}, …],
     "clusters": [same keys], "provinces": [same keys],
     "activities": [same keys]}                                       # a program job's only (added later)
    A program job (over several activity spreadsheets) counts each person and enterprise once across its
    activities, so the groups of `activities` do not add up to the total. Shares are percentages (0–100) of ALL
    unique recipients of the group; `<share>_no_data` (added later, may be
    missing in older runs) is how many of them had no data and so count as not meeting it. Economic value is in
    baht per year.
"""
from __future__ import annotations

from numbers import Real

from app.sheets.masking import mask_personal

GROUP_KEYS = ("participants", "enterprises", "satisfied_share", "gain_share", "economic_value", "applied_share")
DIMENSIONS = (("activities", "รายกิจกรรม (per activity)"), ("units", "รายหน่วยงาน (per unit)"), ("clusters", "รายคลัสเตอร์ (per cluster)"),
              ("provinces", "รายจังหวัด (per province)"))


def masked(value):
    """The same structure with every text, keys included, masked to the last 4 digits of IDs and phones."""
    if isinstance(value, str):
        return mask_personal(value)
    if isinstance(value, dict):
        return {masked(k): masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v) for v in value]
    return value


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _items(summary: dict, key: str) -> list[dict] | None:
    """The list of records under `key`; None when missing or not a list (an off-contract value is not shown)."""
    value = summary.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else None


def _record(summary: dict, key: str) -> dict:
    value = summary.get(key)
    return value if isinstance(value, dict) else {}


def _share(part, whole) -> float | None:
    return part / whole * 100 if _is_number(part) and _is_number(whole) and whole > 0 else None


def tone(decision: str) -> str:
    """The colour class of a decision: fail, interview, pass or other (by its Thai words)."""
    if decision.startswith("ไม่ผ่าน"):
        return "fail"
    if "สัมภาษณ์" in decision or "ไม่เพียงพอ" in decision:
        return "interview"
    return "pass" if "ผ่าน" in decision else "other"


def assessment_view(summary: dict) -> dict:
    """Figures and chart shares for the assessment page, from a masked summary."""
    stages = _items(summary, "stages") or []
    decisions = {k: v for k, v in _record(summary, "decisions").items() if _is_number(v)}
    total = sum(decisions.values())
    refs = _record(summary, "references")
    overdue = _items(summary, "overdue")
    if overdue is not None:
        overdue.sort(key=lambda o: -(o.get("days") if _is_number(o.get("days")) else 0))
    return {
        "stages": stages,
        "stage_max": max([s.get("count") for s in stages if _is_number(s.get("count"))] or [0]),
        "decisions": [{"label": k, "count": v, "share": _share(v, total), "tone": tone(k)}
                      for k, v in decisions.items()],
        "overdue": overdue,
        "references": refs if refs else None,
        "answered_share": _share(refs.get("answered"), refs.get("invited")),
        "satisfaction": _record(summary, "satisfaction") or None,
        "by_stage": _by_stage(_items(summary, "applicants") or [], [s.get("stage") for s in stages]),
    }


def _by_stage(applicants: list[dict], order: list) -> list[dict]:
    """Applicants grouped by stage, in the pipeline's order; the longest waiting first within a stage."""
    groups: dict[str, list[dict]] = {}
    for person in applicants:
        refs = [r for r in person.get("references") or [] if isinstance(r, dict)]
        groups.setdefault(str(person.get("stage")), []).append(dict(person, references=refs))
    ranked = sorted(groups, key=lambda stage: order.index(stage) if stage in order else len(order))
    return [{"stage": stage, "people": sorted(groups[stage], key=lambda p: -(p.get("days") or 0))}
            for stage in ranked]


def reporting_view(summary: dict) -> dict:
    """Targets with progress, and per dimension its groups with chart maxima, from a masked summary."""
    targets = _items(summary, "targets")
    dimensions = []
    for key, title in DIMENSIONS:
        groups = _items(summary, key)
        if groups is not None:
            dimensions.append({"key": key, "title": title, "groups": groups,
                               "max": {k: max([g.get(k) for g in groups if _is_number(g.get(k))] or [0])
                                       for k in ("participants", "economic_value")}})
    return {"program": summary.get("program"), "dimensions": dimensions,
            "targets": None if targets is None else [dict(t, progress=_progress(t), gap=_gap(t)) for t in targets]}


def _progress(target: dict) -> float | None:
    """How full the target's bar is (0–100); never shown as a number, since a percent of a percent misleads."""
    share = _share(target.get("actual"), target.get("target"))
    return None if share is None else min(share, 100.0)


def _gap(target: dict) -> float | None:
    """How much is still missing, in the target's own unit."""
    actual, goal = target.get("actual"), target.get("target")
    return round(goal - actual, 2) if _is_number(actual) and _is_number(goal) and actual < goal else None
