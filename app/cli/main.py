"""`python -m app`: init-demo, sync, check, cofunding, serve. Exit 0 = run completed, 1 = backend failure, 2 = config/usage."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.config import ConfigError, WORKFLOWS, load_settings
from app.logging_setup import setup_logging
from app.sync.ports import BackendError
from app.sync.engine import WorkflowStopped

EXIT_OK, EXIT_BACKEND, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    parser.add_argument("--config", type=Path, help="config file (default: $SERVICE_CONFIG or ./config.toml)")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("init-demo", help="create the demo workbooks A and B (.xlsx)")
    demo.add_argument("--dir", type=Path, default=Path("demo"))
    run = sub.add_parser("sync", help="bring a workflow's service tabs up to date")
    run.add_argument("workflow", nargs="?", choices=WORKFLOWS)
    run.add_argument("--workbook", type=Path, help="work on this local .xlsx instead of Google")
    run.add_argument("--dry-run", action="store_true", help="list the cells that would change; write nothing")
    run.add_argument("--full-reconcile", action="store_true",
                     help="read every answer of the reference form again (Forms API), not only the new ones")
    sub.add_parser("check", help="check config, credentials, sharing and headers")
    fund = sub.add_parser("cofunding", help="check a research project's private co-funding (seed 003)")
    fund.add_argument("--size", help="startup | micro | small | medium | large")
    fund.add_argument("--budget", help="the project fund in baht (เงินทุนที่ใช้ในการทำโครงการ)")
    fund.add_argument("--cash", help="private cash in baht")
    fund.add_argument("--in-kind", dest="in_kind", help="private in-kind contribution in baht")
    serve = sub.add_parser("serve", help="start the web page and API")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--host", default="127.0.0.1")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    setup_logging()
    try:
        return _dispatch(args)
    except (ConfigError, WorkflowStopped) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BackendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BACKEND


def _dispatch(args: argparse.Namespace) -> int:
    from app.cli import commands

    if args.command == "init-demo":
        return commands.init_demo(args.dir, load_settings(args.config))
    if args.command == "cofunding":
        return commands.cofunding(args.size, args.budget, args.cash, args.in_kind)
    settings = load_settings(args.config)
    if args.command == "sync":
        return commands.sync(settings, args.workflow, args.workbook, args.dry_run, args.full_reconcile)
    if args.command == "check":
        return commands.check(settings)
    return commands.serve(settings, args.host, args.port)


