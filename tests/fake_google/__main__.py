"""Run the fake on its own: `python -m tests.fake_google --port 8765 --write-credentials var/fake.json`."""
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
    args = parser.parse_args(argv)
    fake = FakeGoogle(args.host, args.port).start()
    if args.write_credentials:
        args.write_credentials.parent.mkdir(parents=True, exist_ok=True)
        args.write_credentials.write_text(json.dumps(fake.service_account_info(), indent=2), encoding="utf-8")
    print(fake.base_url, flush=True)  # first line: the key file (if asked for) is complete by now
    if args.write_credentials:
        print(f"service-account key for {fake.service_account_info()['client_email']}: {args.write_credentials}",
              flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
