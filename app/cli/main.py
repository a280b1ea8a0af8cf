"""`python -m app`: init-demo, sync, check, map, forms, mail, history, backup, restore, migrate, prune, cofunding,
serve. Exit 0 = run completed, 1 = backend failure, 2 = config/usage."""
from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from app.config import config_file, load_settings
from app.errors import Interrupted, ServiceError
from app.interrupts import stop_on_signals
from app.logging_setup import setup_logging

CONFIG_HELP = "config file (default: $SERVICE_CONFIG or ./config.toml); before or after the command"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    parser.add_argument("--config", type=Path, help=CONFIG_HELP)
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        found = sub.add_parser(name, help=help_text)
        found.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=CONFIG_HELP)
        return found

    demo = command("init-demo", "create the demo workbooks A and B (.xlsx)")
    demo.add_argument("--dir", type=Path, default=Path("demo"))
    run = command("sync", "bring a job's service tabs up to date (every configured job by default)")
    run.add_argument("job", nargs="?", help="a job named in the config ([jobs.NAME]); with --workbook, a kind")
    run.add_argument("--workbook", type=Path, help="work on this local .xlsx instead of Google")
    run.add_argument("--dry-run", action="store_true", help="list the cells that would change; write nothing")
    run.add_argument("--full-reconcile", action="store_true",
                     help="read every answer of the reference form again (Forms API), not only the new ones")
    run.add_argument("--recompute", action="store_true",
                     help="compute and write even when nothing changed since the job's last run")
    run.add_argument("--accept-emptied-tabs", action="store_true", dest="accept_emptied",
                     help="a tab that had rows last run and is now empty or gone was emptied on purpose: go on")
    command("check", "check config, credentials, sharing and headers")
    save = command("backup", "copy the run store, the secrets made locally and the outbox into a new folder")
    save.add_argument("folder", type=Path)
    back = command("restore", "put back a folder made by backup (stop the scheduler and the web server first)")
    back.add_argument("folder", type=Path)
    back.add_argument("--force", action="store_true", help="replace a different secret already in place")
    mapped = command("map", "print how every tab and column is read; write the layout override file to edit")
    mapped.add_argument("job", nargs="?", help="a job named in the config; with --workbook, a kind")
    mapped.add_argument("--workbook", type=Path, help="a local .xlsx instead of the job's workbook")
    fund = command("cofunding", "check a research project's private co-funding (seed 003)")
    fund.add_argument("--size", help="micro | small | medium | large | startup | university (also academic, "
                                     "research, government, nonprofit): sheets_schema/enterprise_size.yaml")
    fund.add_argument("--budget", help="the project fund in baht (เงินทุนที่ใช้ในการทำโครงการ)")
    fund.add_argument("--cash", help="private cash in baht")
    fund.add_argument("--in-kind", dest="in_kind", help="private in-kind contribution in baht")
    mail = command("mail", "mails whose outcome is unknown: list them, settle one")
    mail.add_argument("what", choices=["uncertain"], help="uncertain: mails that may or may not have gone out")
    mail.add_argument("--resolve", nargs=2, metavar=("sent|resend", "ID"),
                      help="sent: it went out (never send again); resend: it did not (the next run sends it)")
    forms = command("forms", "change a job's Google Form (scope forms.body, asked for by this command only)")
    forms.add_argument("what", choices=["prepare"],
                       help="prepare: add the application-number and token questions the reference links fill in")
    forms.add_argument("job", help="an assessment job with reference_form_id")
    forms.add_argument("--dry-run", action="store_true", help="say what would be added; change nothing")
    serve = command("serve", "start the web page and API")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--threads", type=int, help="waitress worker threads (default: web.threads, 8)")
    serve.add_argument("--debug", action="store_true",
                       help="Flask's development server with the debugger instead of waitress (never in production)")
    listed = command("history", "the latest runs: status, when, who started them, counts")
    listed.add_argument("job", nargs="?", help="only this job's runs")
    listed.add_argument("--status", help="only runs with this status (preview: dry runs; skipped: nothing changed)")
    listed.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    command("migrate", "upgrade the state store's schema to this version (idempotent; after an upgrade)")
    prune = command("prune", "forget run history (runs, problems, log lines) older than --keep-days; "
                             "never the sent-mail ledger or form answers")
    prune.add_argument("--keep-days", type=int, required=True, help="keep this many days of history (1 or more)")
    return parser


def installed_version() -> str:
    """This program's version, from the installed package's metadata."""
    try:
        return version("sme-sheets-service")
    except PackageNotFoundError:
        return "unknown (not installed: pip install .)"


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code of the ServiceError that stopped it, if any."""
    args = _parser().parse_args(argv)
    setup_logging()
    try:
        with stop_on_signals():  # a run stopped by SIGTERM or Ctrl+C is recorded `interrupted`
            return _dispatch(args)
    except (ServiceError, Interrupted) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


def _dispatch(args: argparse.Namespace) -> int:
    from app.cli import commands

    if args.command == "init-demo":
        return commands.init_demo(args.dir, load_settings(args.config))
    if args.command == "cofunding":
        return commands.cofunding(args.size, args.budget, args.cash, args.in_kind)
    settings = load_settings(args.config)
    if args.command == "sync":
        return commands.sync(settings, args.job, args.workbook, args.dry_run, args.full_reconcile,
                             args.accept_emptied, args.recompute)
    if args.command == "check":
        return commands.check(settings, config_file(args.config))
    if args.command == "mail":
        return commands.uncertain_mail(settings, args.resolve)
    if args.command == "backup":
        return commands.backup(settings, args.folder)
    if args.command == "restore":
        return commands.restore(settings, args.folder, args.force)
    if args.command == "migrate":
        return commands.migrate(settings)
    if args.command == "history":
        return commands.history(settings, args.job, args.status, args.limit)
    if args.command == "prune":
        return commands.prune(settings, args.keep_days)
    if args.command == "forms":
        return commands.forms_prepare(settings, args.job, args.dry_run)
    if args.command == "map":
        return commands.map_layout(settings, args.job, args.workbook)
    return commands.serve(settings, args.host, args.port, args.threads, args.debug)
