"""`python -m app check`: is everything the service needs in place? One ✓/✗ line each, with the fix."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from app.errors import ConfigError
from app.sheets.headers import MissingHeader, match_headers
from app.errors import BackendError

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
        results.append((False, "jobs configured", 'add [jobs.NAME] with kind = "assessment" or "reporting" '
                        "and its spreadsheet_id or workbook"))
    for name, config in settings.jobs.items():
        results += _workflow_checks(services, name)
        if config.reference_form_id:
            check, _ = _attempt(f"{name}: reference form {config.reference_form_id} reachable",
                                "share the form with the service account's client_email and enable the Forms API",
                                lambda: services.form_source(config.reference_form_id).questions())
            results.append(check)
    return results


def _workflow_checks(services, name: str) -> list[Check]:
    workflow = services.workflow(name)
    check, pair = _attempt(f"{name}: workbook reachable", "share the spreadsheet with the service account's "
                           "client_email as Editor, or fix the path", lambda: _open(services, name))
    if pair is None:
        return [check]
    workbook, titles = pair
    results = [(True, f"{name}: workbook {workbook.label} reachable", "")]
    spec = workflow.spec
    present = {spec.find_tab(t).key: t for t in titles if spec.find_tab(t) is not None}
    officer = [t for t in spec.officer_tabs if not t.is_template]
    for tab in (t for t in officer if t.required and t.key not in present):
        results.append((False, f"{name}: tab {tab.title}", f"add a tab named {tab.title!r} (see the spec's appendix)"))
    grids = workbook.read([present[t.key] for t in officer if t.key in present])
    for tab in (t for t in officer if t.key in present):
        title = present[tab.key]
        grid = grids[title]
        try:
            match_headers(grid[tab.header_row - 1] if len(grid) >= tab.header_row else [], tab, spec.title,
                          tab_title=title)
            results.append((True, f"{name}: tab {title}: required headers present", ""))
        except MissingHeader as exc:
            results.append((False, f"{name}: tab {title}: required headers", str(exc)))
    return results


def _open(services, name: str):
    workbook, _key = services.workbook(name)
    return workbook, workbook.tab_titles()
