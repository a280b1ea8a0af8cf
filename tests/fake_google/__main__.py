"""Run the fake on its own: `python -m tests.fake_google --port 8765 --write-credentials var/fake.json`.

With `--seed-demo var/fake-config.toml` it also holds the demo workbook A as a spreadsheet and writes a config
for it, so `python -m app --config var/fake-config.toml sync` goes through the whole Google path by hand."""
from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path

from tests.fake_google import FakeGoogle


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--write-credentials", metavar="PATH", type=Path,
                        help="write a service-account key for this server (its token_uri is the fake)")
    parser.add_argument("--seed-demo", metavar="CONFIG", type=Path,
                        help="create the demo workbook A here and write a config for it (needs --write-credentials)")
    args = parser.parse_args(argv)
    if args.seed_demo and not args.write_credentials:
        parser.error("--seed-demo needs --write-credentials")
    fake = FakeGoogle(args.host, args.port).start()
    if args.write_credentials:
        args.write_credentials.parent.mkdir(parents=True, exist_ok=True)
        args.write_credentials.write_text(json.dumps(fake.service_account_info(), indent=2), encoding="utf-8")
    print(fake.base_url, flush=True)  # first line: the key file (if asked for) is complete by now
    if args.write_credentials:
        print(f"service-account key for {fake.service_account_info()['client_email']}: {args.write_credentials}",
              flush=True)
    if args.seed_demo:
        _seed_demo(fake, args.seed_demo, args.write_credentials)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


def _seed_demo(fake: FakeGoogle, config: Path, key: Path) -> None:
    from app.demo_data import assessment_workbook
    from tests.fake_google.seed import as_sheet_values

    sheet_id = fake.create_spreadsheet("การประเมินสมรรถนะร่วมที่ปรึกษาอุตสาหกรรม (demo)",
                                       as_sheet_values(assessment_workbook()))
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'state_db = "{config.parent / "fake-state.sqlite"}"\n[google]\ncredentials_file = "{key}"\n'
                      f'endpoint = "{fake.base_url}"\n[workflows.assessment]\nspreadsheet_id = "{sheet_id}"\n',
                      encoding="utf-8")
    print(f"demo spreadsheet {sheet_id}; try: REFERENCE_TOKEN_SECRET=any-long-text python -m app --config {config} sync",
          flush=True)


if __name__ == "__main__":
    main()
