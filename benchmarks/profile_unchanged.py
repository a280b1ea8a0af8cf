"""Where an unchanged run's client CPU goes: cProfile of the service's thread on the floor bench's workbooks.

`python -m benchmarks.profile_unchanged --only assessment --backend google` builds the workbook once, makes the first
run, then profiles the unchanged run only (the fake Google answers from its own threads, which cProfile does not
see) and prints the heaviest functions by own time and by cumulative time.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from app.demo_data import assessment_workbook, reporting_workbook
from app.wiring import bootstrap, create_workbook_file
from benchmarks.floor_bench import _settings
from benchmarks.reporting_bench import UNITS
from tests.fake_google import FakeGoogle
from tests.fake_google.seed import as_sheet_values


class Sampler:
    """Samples one thread's stack every `interval` seconds: cheap enough not to bend the figures as cProfile's
    per-call cost does on code made of many small calls."""

    def __init__(self, thread_id: int, interval: float = 0.002) -> None:
        self.thread_id, self.interval = thread_id, interval
        self.own: Counter[str] = Counter()
        self.inside: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            frame = sys._current_frames().get(self.thread_id)
            if frame is None:
                continue
            self.samples += 1
            self.own[_where(frame)] += 1
            seen = set()
            while frame is not None:
                seen.add(_where(frame))
                frame = frame.f_back
            self.inside.update(seen)

    def report(self, top: int) -> None:
        """The heaviest functions by own samples and by samples inside them, as shares of all samples."""
        for name, counts in (("own", self.own), ("inside", self.inside)):
            print(f"--- {name} ({self.samples} samples)")
            for where, n in counts.most_common(top):
                print(f"{100 * n / max(1, self.samples):5.1f} %  {where}")


def _where(frame) -> str:
    code = frame.f_code
    return f"{code.co_filename.split('/wt-12a/')[-1]}:{code.co_firstlineno} {code.co_name}"


def _capture(services, kind: str, path: Path | None, target: Path) -> None:
    """One unchanged run whose reads (tab titles, owned tabs, grids) and completed context are pickled."""
    import pickle

    from app.sync import engine

    plain = engine._sync
    taken: dict = {"kind": kind}

    class Reading:
        def __init__(self, workbook) -> None:
            self._workbook = workbook

        def __getattr__(self, name):
            return getattr(self._workbook, name)

        def read(self, titles):
            taken["grids"] = self._workbook.read(titles)
            return taken["grids"]

    class Context:
        def __init__(self, support) -> None:
            self._support = support

        def __getattr__(self, name):
            return getattr(self._support, name)

        def context(self, ctx, view, dry_run):
            taken["ctx"] = self._support.context(ctx, view, dry_run)
            return taken["ctx"]

    def capturing(workflow, workbook, ctx, dry_run, progress, support, held, last):
        taken.update(titles=workbook.tab_titles(), owned=workbook.owned_tabs(), label=workbook.label,
                     max_cell_chars=workbook.max_cell_chars, ctx=ctx)
        return plain(workflow, Reading(workbook), ctx, dry_run, progress,
                     Context(support) if support is not None else None, held, last)

    engine._sync = capturing
    try:
        services.run(kind, trigger="benchmark", path=path)
    finally:
        engine._sync = plain
    target.write_bytes(pickle.dumps(taken))
    print(f"captured the unchanged run's reads in {target}")


def main() -> None:
    """Profile one unchanged run and print the top of the profile."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["assessment", "reporting"], default="assessment")
    parser.add_argument("--backend", choices=["google", "xlsx"], default="google")
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--rows-per-unit", type=int, default=2_000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--runs", type=int, default=1, help="unchanged runs to time (the first one is profiled)")
    parser.add_argument("--save", help="write the raw profile here (pstats format)")
    parser.add_argument("--cprofile", action="store_true", help="cProfile instead of sampling the stack")
    parser.add_argument("--first", action="store_true", help="profile the first run (tabs written, mails sent) "
                                                                  "instead of the unchanged one")
    parser.add_argument("--capture", help="pickle what the unchanged run read (grids, context) here, for "
                                          "benchmarks.replay_unchanged")
    args = parser.parse_args()
    kind = args.only
    book = (assessment_workbook(applicants=args.applicants, satisfaction_responses=args.applicants)
            if kind == "assessment" else reporting_workbook(units=UNITS, rows_per_unit=args.rows_per_unit))
    fake = FakeGoogle().start() if args.backend == "google" else None
    try:
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            path = None
            if fake:
                sheet_id = fake.create_spreadsheet(f"profile {kind}", as_sheet_values(book))
                settings = _settings(folder, kind, sheet_id, fake.base_url)  # a busy machine: the fake may be slow
                settings = settings.model_copy(update={"google": settings.google.model_copy(
                    update={"read_timeout": 900.0})})
                services = bootstrap(settings, key_source=fake.service_account_info())
            else:
                path = folder / f"{kind}.xlsx"
                create_workbook_file(path, book)
                services = bootstrap(_settings(folder, kind, None))
            profiler = cProfile.Profile(time.thread_time) if args.cprofile else None
            sampler = Sampler(threading.get_ident())
            if args.first:
                _profiled(services, kind, path, profiler, sampler, "first run")
                return _report(profiler, sampler, args)
            services.run(kind, trigger="benchmark", path=path)
            if args.capture:
                _capture(services, kind, path, Path(args.capture))
            _profiled(services, kind, path, profiler, sampler, "unchanged run")
            for _ in range(args.runs - 1):
                started = time.thread_time()
                services.run(kind, trigger="benchmark", path=path)
                print(f"unchanged run: {time.thread_time() - started:.2f} s thread CPU")
    finally:
        if fake:
            fake.stop()
    _report(profiler, sampler, args)


def _profiled(services, kind: str, path: Path | None, profiler: cProfile.Profile | None, sampler: Sampler,
              what: str) -> None:
    """One run, under cProfile when given, else sampled."""
    started = time.thread_time()
    if profiler:
        profiler.enable()
        services.run(kind, trigger="benchmark", path=path)
        profiler.disable()
    else:
        with sampler:
            services.run(kind, trigger="benchmark", path=path)
    print(f"profiled {what}: {time.thread_time() - started:.2f} s thread CPU")


def _report(profiler: cProfile.Profile | None, sampler: Sampler, args: argparse.Namespace) -> None:
    if not profiler:
        sampler.report(args.top)
        return
    if args.save:
        profiler.dump_stats(args.save)
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
