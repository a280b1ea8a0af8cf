"""What each CLI command does, on top of the wiring; prints for people, returns the exit code."""
from __future__ import annotations

import logging
import sys
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.config import Settings
from app.errors import ConfigError, Interrupted
from app.interrupts import stop_on_signals
from app.sheets.a1 import cell_ref
from app.sync.engine import SKIPPED, SyncOutcome
from app.wiring import bootstrap, create_workbook_file, migrate_state

DEMO_FILES = {"assessment": "assessment.xlsx", "reporting": "reporting.xlsx", "reporting-2": "reporting-2.xlsx",
              "program": "program.xlsx"}  # reporting-2: a second activity; program: the summary over both
DRY_RUN_LINES = 200
HISTORY_COUNTS = ("rows_read", "problems", "cells_written", "mails_sent")


def init_demo(folder: Path, settings: Settings) -> int:
    """Write the demo workbooks A and B with realistic Thai data and a few deliberately bad rows, and a config
    that keeps the demo's state (run store, outbox, local secrets) in `folder/var`, so two demo folders never
    share it; the demo's reference answers carry tokens signed with that folder's secret, as if the service had
    sent the links."""
    from app.demo_data import assessment_workbook, reporting_workbook
    from app.demo_data.program import program_workbook, second_activity_workbook
    from app.assessment.reference_links import reference_token

    state = (folder / "var").resolve()
    settings = settings.model_copy(update={
        "state_db": state / "state.sqlite", "mail": settings.mail.model_copy(update={"outbox_dir": state / "outbox"})})
    secret = bootstrap(settings).token_secret("assessment", folder / DEMO_FILES["assessment"])
    signed = assessment_workbook(token_for=lambda number, email: reference_token(secret, number, email))
    folder.mkdir(parents=True, exist_ok=True)
    first = reporting_workbook()
    for name, tabs in (("assessment", signed), ("reporting", first), ("reporting-2", second_activity_workbook(first)),
                       ("program", program_workbook())):
        create_workbook_file(folder / DEMO_FILES[name], tabs)
        print(f"สร้าง {folder / DEMO_FILES[name]} ({len(tabs)} แท็บ)")
    from app.web.demo_config import write_demo_config

    config, passwords = write_demo_config(folder, DEMO_FILES, settings)
    print(f"สร้าง {config} — บัญชีหน้าเว็บ (web accounts): "
          + ", ".join(f"{user} รหัสผ่าน (password) {password}" for user, password in passwords.items()))
    return 0


def os_user() -> str:
    """Who runs this command, as the operating system names them (a uid without a name: `uid 1000`)."""
    import getpass
    import os

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment and none in the password database
        return f"uid {os.getuid()}"


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"… {message}", file=sys.stderr, flush=True)


def sync(settings: Settings, job: str | None, path: Path | None, dry_run: bool,
         full_reconcile: bool = False, accept_emptied: bool = False, recompute: bool = False) -> int:
    """Run the named job (or the kind the workbook is recognised as, or every configured job); a configured job
    whose inputs are all as its last run left them is skipped unless `recompute`."""
    services = bootstrap(settings)
    if path is not None:
        names = [job or services.recognise(path)]
    else:
        names = [job] if job else list(settings.jobs)
    if not names:
        raise ConfigError("no job configured: add [jobs.NAME] with kind = \"assessment\", \"reporting\" or \"program\" "
                          "to the config, or pass --workbook")
    for name in names:
        outcome = services.run(name, path=path, dry_run=dry_run, full_reconcile=full_reconcile, progress=_progress,
                               accept_emptied=accept_emptied, started_by=os_user(), skip_unchanged=not recompute)
        _report(name, outcome, dry_run)
    return 0


def _report(name: str, outcome: SyncOutcome, dry_run: bool) -> None:
    counts = outcome.counts
    if dry_run:
        mail = f", {counts['mails_waiting']} mails would be sent" if "mails_waiting" in counts else ""
        print(f"{name}: dry run — {len(outcome.changes)} cells would change{mail}, nothing written or sent "
              f"(ตัวอย่าง: ยังไม่เขียนและไม่ส่งอะไร)")
        tab = None
        for line, change in enumerate(outcome.changes):
            if line == DRY_RUN_LINES:
                print(f"  … and {len(outcome.changes) - DRY_RUN_LINES} more cells (และอีก)")
                break
            if change.tab != tab:
                tab = change.tab
                print(f"  {tab}:")
            before = change.before or "(ว่าง)"
            after = change.after or "(ว่าง)"
            print(f"    {cell_ref(change.row, change.col)}  {before} → {after}")
        return
    if outcome.status == SKIPPED:
        print(f"{name}: run {outcome.run_id} skipped — nothing changed since the last run, the service tabs are up "
              "to date (ไม่มีอะไรเปลี่ยนตั้งแต่รอบก่อน); --recompute computes and writes anyway")
        return
    mail = f", mail sent {counts['mails_sent']} (waiting {counts['mails_waiting']})" if "mails_sent" in counts else ""
    print(f"{name}: run {outcome.run_id} {outcome.status} — rows read {counts['rows_read']}, "
          f"problems {counts['problems']} (tab ข้อผิดพลาดข้อมูล), cells written {counts['cells_written']}{mail}")


def cofunding(size: str | None, budget: str | None, cash: str | None, in_kind: str | None) -> int:
    """Print whether a proposal's private co-funding meets the minimum for its size, and the shortfall in baht."""
    from app.sheets.cell_readers import read_number
    from app.reporting.enterprise_size import check_cofunding
    from app.reporting.rules_files import load_reporting_rules

    rules = load_reporting_rules().cofunding
    amounts = {}
    for name, raw in (("--budget", budget), ("--cash", cash), ("--in-kind", in_kind)):
        value, _problem = read_number("0" if raw is None and name != "--budget" else raw, kind="money")
        if value is None or value < 0:
            print(f"error: {name} {raw or ''}: give an amount in baht, 0 or more", file=sys.stderr)
            return 2
        amounts[name] = value
    rule = rules.get((size or "").strip().lower())
    if rule is None:
        print(f"error: --size {size or ''}: choose one of {', '.join(rules)}", file=sys.stderr)
        return 2
    if rule.note:
        print(rule.note)
    result = check_cofunding(rule, amounts["--budget"], amounts["--cash"], amounts["--in-kind"])
    print(f"ขนาด (size) {rule.size}: เงินทุนโครงการ {amounts['--budget']:,.2f} บาท — ต้องมีเงินสด ≥ "
          f"{result.required_cash:,.2f}, สิ่งของ ≥ {result.required_in_kind:,.2f}, รวม ≥ {result.required_total:,.2f} บาท")
    if result.met:
        print("ผ่านเกณฑ์การร่วมสนับสนุน (co-funding met); ขาด 0.00 บาท (shortfall 0.00 baht)")
    else:
        print(f"ไม่ผ่านเกณฑ์การร่วมสนับสนุน (co-funding not met); ขาดอีก {result.shortfall:,.2f} บาท "
              f"(shortfall {result.shortfall:,.2f} baht)")
    return 0


def check(settings: Settings, source: Path | None) -> int:
    """Print a ✓/✗ table of what the service needs, first which config file was read; exit 2 if anything is
    missing."""
    from app.cli.check import run_checks

    results = run_checks(bootstrap(settings), source)
    for ok, what, fix in results:
        print(f"{'✓' if ok else '✗'} {what}" + ("" if ok else f"\n    → {fix}"))
    return 0 if all(ok for ok, _, _ in results) else 2


def uncertain_mail(settings: Settings, resolve: list[str] | None) -> int:
    """List the mails that may or may not have gone out, or settle one: `sent` or `resend`."""
    from app.mail.uncertain import settle, uncertain_mails

    services = bootstrap(settings)
    if resolve:
        outcome, given_id = resolve
        mail = settle(services.store, given_id, outcome, who=f"{os_user()} (command line)")
        done = "บันทึกว่าส่งแล้ว จะไม่ส่งซ้ำ (marked sent: never sent again)" if outcome == "sent" else \
            "ปล่อยให้ส่งใหม่ในรอบถัดไป (released: the next run sends it)"
        print(f"{mail.id} {mail.what} → {mail.recipient}: {done}")
        return 0
    mails = uncertain_mails(services.store)
    if not mails:
        print("ไม่มีอีเมลที่ไม่แน่ใจว่าส่งแล้ว (no uncertain mail)")
        return 0
    zone = ZoneInfo(settings.timezone)
    for mail in mails:
        print(f"{mail.id}  {mail.job or '-'}  {mail.what}  {mail.recipient}  "
              f"{mail.claimed.astimezone(zone):%Y-%m-%d %H:%M}  {mail.error or ''}".rstrip())
    print(f"{len(mails)} ฉบับ: ตรวจกล่องจดหมายหรือบันทึกของระบบอีเมล แล้วสั่ง (check the mailbox or relay log, then) "
          "python -m app mail uncertain --resolve sent|resend ID")
    return 0


def migrate(settings: Settings) -> int:
    """Upgrade the state store's schema; saying so when it was already current."""
    found, left = migrate_state(settings)
    if found == left:
        print(f"{settings.state_db}: schema version {left}, already current")
    else:
        print(f"{settings.state_db}: schema version {found} → {left}")
    return 0


def history(settings: Settings, job: str | None, status: str | None, limit: int) -> int:
    """The latest runs, newest first: id, job, status, when, how long, who started it and how, counts."""
    services = bootstrap(settings)
    runs = services.store.runs(job=job, status=status, limit=limit)
    if not runs:
        print("ยังไม่มีการซิงก์ (no runs yet)")
        return 0
    zone = ZoneInfo(settings.timezone)
    for run in runs:
        took = f"{run.duration.total_seconds():.0f} s" if run.duration else "-"
        counts = ", ".join(f"{k}={v}" for k, v in run.counts.items() if k in HISTORY_COUNTS)
        print(f"#{run.id}  {run.job}  {run.status}  {run.started.astimezone(zone):%Y-%m-%d %H:%M}  {took}  "
              f"โดย (by) {run.starter} [{run.trigger}]  {counts}  {run.error or ''}".rstrip())
    return 0


def prune(settings: Settings, keep_days: int) -> int:
    """Forget run history older than `keep_days` days (never the sent-mail ledger or form answers)."""
    if keep_days < 1:
        raise ConfigError(f"--keep-days {keep_days}: keep at least 1 day")
    services = bootstrap(settings)
    before = services.now() - timedelta(days=keep_days)
    counts = services.store.prune(before)
    print(f"{settings.state_db}: before {before:%Y-%m-%d %H:%M} forgot {counts['runs']} runs, "
          f"{counts['problems']} problems, {counts['log_lines']} log lines, {counts['run_requests']} run-now "
          "requests (each job's latest run, the sent-mail ledger and form answers are kept)")
    return 0


def serve(settings: Settings, host: str, port: int, threads: int | None = None, debug: bool = False) -> int:
    """Serve the web page and API with waitress (threads, one access-log line per request); `debug`: Flask's
    development server instead, for working on the pages only."""
    from app.web import create_app

    app = create_app(settings)
    print(f"หน้าเว็บ (web page): http://{host}:{port}/ — ลงชื่อเข้าใช้ด้วยบัญชีใน [web.users] ของไฟล์ตั้งค่า"
          + ("" if settings.web.users else " (ยังไม่มีบัญชี: no [web.users] configured)"), flush=True)
    if debug:
        print("development server (--debug): never use it in production", file=sys.stderr, flush=True)
        app.run(host=host, port=port, threaded=True, debug=True, use_reloader=False)
        return 0
    import waitress

    stopped: list[Interrupted] = []

    def stop(interrupt: Interrupted) -> None:
        stopped.append(interrupt)
        raise interrupt  # a KeyboardInterrupt: waitress ends its loop on it, shuts its threads down and returns

    with suppress(Interrupted), stop_on_signals(stop):  # one raised outside waitress's loop is noted by stop() too
        waitress.serve(app, host=host, port=port, threads=threads or settings.web.threads,
                       clear_untrusted_proxy_headers=False)  # ProxyFix (web.proxy_hops) decides which to trust
    if stopped:  # systemctl stop, Ctrl+C: a normal end for a server (exit 0, one line)
        logging.getLogger(__name__).info("web server stopped: %s", stopped[-1])
    return 0


def backup(settings: Settings, folder: Path) -> int:
    """Copy what the service keeps on its own disk into `folder` and say what was copied."""
    for line in bootstrap(settings).backup(folder):
        print(f"สำรองแล้ว (backed up): {line}")
    return 0


def restore(settings: Settings, folder: Path, force: bool) -> int:
    """Put a backup back and say what was restored."""
    for line in bootstrap(settings).restore(folder, force):
        print(f"กู้คืนแล้ว (restored): {line}")
    return 0


def forms_prepare(settings: Settings, job: str, dry_run: bool) -> int:
    """Add the questions the reference links fill in to the job's reference form (or say they are there)."""
    from app.cli.forms import prepare

    return prepare(bootstrap(settings), job, dry_run)


def map_layout(settings: Settings, job: str | None, path: Path | None) -> int:
    """Print how every tab and column of a job's workbook is read, and write the override file to edit."""
    from app.cli.mapping import print_map

    services = bootstrap(settings)
    name = job or (services.recognise(path) if path is not None else None)
    if name is None:
        raise ConfigError("name a job (python -m app map JOB) or pass --workbook FILE.xlsx")
    activities = services.job(name, path).activities
    if activities:
        raise ConfigError(f"job {name!r} is a program: it reads its activities' tabs as their own jobs do; map those "
                          f"(python -m app map {activities[0]})")
    return print_map(services, name, path)
