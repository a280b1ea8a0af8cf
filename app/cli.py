"""`python -m app`: init-demo, sync, check, serve. Exit 0 = run completed, 1 = backend failure, 2 = config/usage."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.config import ConfigError, WORKFLOWS, load_settings
from app.logging_setup import setup_logging
from app.ports import BackendError
from app.services.sync import WorkflowStopped

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
    sub.add_parser("check", help="check config, credentials, sharing and headers")
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
    from app import commands

    if args.command == "init-demo":
        return commands.init_demo(args.dir)
    settings = load_settings(args.config)
    if args.command == "sync":
        return commands.sync(settings, args.workflow, args.workbook, args.dry_run)
    if args.command == "check":
        return commands.check(settings)
    return commands.serve(settings, args.host, args.port)


