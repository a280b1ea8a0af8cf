"""`python -m app check`: is everything the service needs in place? One ✓/✗ line each, with the fix."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from app.assessment.reference_questions import answers_by_email, link_columns, questions_to_add
from app.errors import ConfigError
from app.sheets.headers import MissingHeader, find_header_row, group_labels, match_headers
from app.errors import BackendError
from app.sheets.layout_roles import officer_tabs_by_layout
from app.sync.ownership import alternative

Check = tuple[bool, str, str]  # ok, what was checked, how to fix it


def _attempt(what: str, fix: str, probe: Callable[[], object]) -> tuple[Check, object]:
    try:
        return (True, what, ""), probe()
    except (ConfigError, BackendError) as exc:
        return (False, what, f"{exc} — {fix}" if fix else str(exc)), None


def run_checks(services, source: Path | None = None) -> list[Check]:
    """Config (`source`: the file read, None when none was found), key file, state store, and for each job:
    workbook reachable, required tabs and headers."""
    settings = services.settings
    if source is None:
        results: list[Check] = [(False, "config file: none found, the defaults are in use",
                                 "copy config.example.toml to config.toml, or give --config FILE "
                                 "or $SERVICE_CONFIG")]
    else:
        results = [(True, f"config file {source.resolve()} read and valid", "")]
    check, _ = _attempt(f"run state store {settings.state_db}", "make its folder writable",
                        lambda: services.store.runs(limit=1))
    results.append(check)
    if any(job.spreadsheet_id for job in settings.jobs.values()):
        check, key = _attempt("service-account key", "", services.service_account_key)
        results.append(check)
        if key is None:
            return results
    if any(job.spreadsheet_id and services.kind(name).needs_token_secret for name, job in settings.jobs.items()):
        results.append((settings.reference_secret is not None, "reference-link secret (REFERENCE_TOKEN_SECRET)",
                        "set REFERENCE_TOKEN_SECRET to a long random text and never change it"))
    if not settings.jobs:
        results.append((False, "jobs configured", 'add [jobs.NAME] with kind = "assessment", "reporting" or "program" '
                        "and its spreadsheet_id or workbook"))
    for name, config in settings.jobs.items():
        results += _program_checks(services, name) if config.activities else _workflow_checks(services, name)
        if config.reference_form_id:
            check, questions = _attempt(f"{name}: reference form {config.reference_form_id} reachable",
                                        "share the form with the service account's client_email and enable the "
                                        "Forms API", lambda: services.form_source(config.reference_form_id).questions())
            results.append(check)
            if questions is not None:
                layout = services.workflow(name).spec.tab("reference_form")
                results.append(_link_questions(name, f"reference form {config.reference_form_id}", layout,
                                               [question.title for question in questions]))
    return results


def _program_checks(services, name: str) -> list[Check]:
    """A program job: its own summary spreadsheet reachable; its activities are checked as the jobs they are."""
    check, pair = _attempt(f"{name}: summary workbook reachable", "share the spreadsheet with the service account's "
                           "client_email as Editor, or fix the path", lambda: _open(services, name))
    if pair is None:
        return [check]
    activities = ", ".join(services.job(name).activities)
    return [(True, f"{name}: workbook {pair[0].label} reachable", ""),
            (True, f"{name}: program over the activities {activities} (read only; each checked as its own job)", "")]


def _link_questions(name: str, where: str, layout, titles: list[str]) -> Check:
    """Whether the reference form asks the two questions its personal links fill in; if not, which to add."""
    missing = questions_to_add(layout, titles)
    asked = ", ".join(column.header for column in link_columns(layout))
    if not missing:
        return True, f"{name}: {where} asks {asked}", ""
    listed = " and ".join(repr(title) for title in missing)
    what = "two short-answer questions" if len(missing) == 2 else "a short-answer question"
    return (False, f"{name}: {where} does not ask {', '.join(missing)}",
            f"add {what} titled {listed} (python -m app forms prepare {name} adds them); until then an answer "
            "counts when the email address the form collected is the invited reference's")


def _workflow_checks(services, name: str) -> list[Check]:
    workflow = services.workflow(name)
    check, pair = _attempt(f"{name}: workbook reachable", "share the spreadsheet with the service account's "
                           "client_email as Editor, or fix the path", lambda: _open(services, name))
    if pair is None:
        return [check]
    workbook, titles = pair
    results = [(True, f"{name}: workbook {workbook.label} reachable", "")]
    spec = workflow.spec
    officer = [t for t in spec.officer_tabs if not t.is_template]
    templates = [t for t in spec.officer_tabs if t.is_template]
    owned = workbook.owned_tabs()
    candidates = [t for t in titles if spec.find_tab(t) is None and not spec.is_officer_only(t)
                  and t not in owned.values()]
    named = spec.officer_titles(titles)
    service = {t.key: title for title in titles if (t := spec.find_tab(title)) is not None and t.owner == "service"}
    grids = workbook.read(list(dict.fromkeys(list(named.values()) + candidates + list(service.values()))))
    present = officer_tabs_by_layout(spec, {t: grids[t] for t in list(named.values()) + candidates})
    for key in (k for k in present if k not in named):  # a form's responses tab, whatever its title
        results.append((True, f"{name}: tab {present[key]} is {spec.tab(key).title} (known by its headers)", ""))
    present |= service
    for tab in (t for t in officer if t.required and t.key not in present):
        listed = [tpl for tpl in templates if str(tpl.title_from).startswith(f"{tab.key}.")]
        known = [t for tpl in listed for t in candidates
                 if t not in present.values() and _matches(grids[t], tpl.titled(t), spec.title)]
        if known:
            results.append((True, f"{name}: no tab {tab.title}: tabs known by their layout: {', '.join(known)}", ""))
        else:
            results.append((False, f"{name}: tab {tab.title}", f"add a tab named {tab.title!r} (see the spec's appendix)"))
    for tab in (t for t in officer if t.key in present):
        title = present[tab.key]
        if tab.key == "reference_form":  # officers' forms ask no token: answers are then known by email
            header_row = grids[title][find_header_row(grids[title], tab) - 1] if grids[title] else []
            results.append(_link_questions(name, f"tab {title}", tab, [str(cell or "") for cell in header_row]))
            tab = answers_by_email(tab)
        try:
            _headers(grids[title], tab, spec.title, title)
            results.append((True, f"{name}: tab {title}: required headers present", ""))
        except MissingHeader as exc:
            results.append((False, f"{name}: tab {title}: required headers", str(exc)))
    for tab in (t for t in spec.service_tabs if t.key in present and owned.get(t.title) != present[t.key]):
        header = [str(c) for c in (grids[present[tab.key]][:1] or [[]])[0]][:3]
        if header != [c.header for c in tab.columns][:len(header) or 1]:
            results.append((True, f"{name}: tab {tab.title} is an officer tab: left alone, the service writes "
                                  f"{alternative(tab.title)!r}", ""))
    return results


def _headers(grid, tab, workbook_title: str, title: str):
    row = find_header_row(grid, tab)
    return match_headers(grid[row - 1] if len(grid) >= row else [], tab, workbook_title, tab_title=title,
                         labels=group_labels(grid, row), row=row)


def _matches(grid, tab, workbook_title: str) -> bool:
    try:
        _headers(grid, tab, workbook_title, tab.title)
        return True
    except MissingHeader:
        return False


def _open(services, name: str):
    workbook, _key = services.workbook(name)
    return workbook, workbook.tab_titles()
