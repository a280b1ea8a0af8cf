"""Replay a captured unchanged run (benchmarks.profile_unchanged --capture) without the fake Google: the engine's
pure part only (workflow, clipping, problem tab, widths, diff), timed, sampled, and its outputs pickled so that two
versions of the code can be compared for byte-identical results.

`python -m benchmarks.replay_unchanged CAPTURE [--outputs FILE] [--compare FILE] [--profile]`: with --compare, the
outputs of this version are checked character for character (repr) against those another version wrote with --outputs.
"""
from __future__ import annotations

import argparse
import pickle
import tempfile
import threading
import time
from pathlib import Path

from app.sheets.grid import WriteStats
from app.sync import engine
from app.sync.engine import _Inputs
from app.wiring import bootstrap
from benchmarks.floor_bench import _settings
from benchmarks.profile_unchanged import Sampler


class ReplayedWorkbook:
    """The captured workbook: its reads as captured, its writes kept (with the styles) instead of sent."""

    def __init__(self, taken: dict, drop: set[str] = frozenset()) -> None:
        self._taken, self._drop = taken, drop
        self.label, self.max_cell_chars = taken["label"], taken["max_cell_chars"]
        self.written: list = []

    def tab_titles(self):
        return [t for t in self._taken["titles"] if t not in self._drop]

    def owned_tabs(self):
        return {k: v for k, v in self._taken["owned"].items() if v not in self._drop}

    def read(self, titles):
        return {t: self._taken["grids"][t] for t in titles}

    def write(self, writes, styles=(), notes=None):
        self.written.append((list(writes), list(styles), notes))
        return WriteStats()

    def cell_link(self, tab, row, col):
        return f"{tab}!{row}:{col}"


class ReplayedSupport:
    """Workflow A's support as the captured run saw it: its context, and no mail to deliver."""

    sends_mail = True

    def __init__(self, ctx) -> None:
        self._ctx = ctx

    def context(self, ctx, view, dry_run):
        return self._ctx

    def deliver(self, mails, ctx):
        return ctx, {}


class Held:
    def refresh(self) -> None:
        pass


def replay(taken: dict, services, drop: set[str] = frozenset()):
    """One run of the engine on the captured reads; `drop`: service tabs to leave out (a first run's view)."""
    workbook = ReplayedWorkbook(taken, drop)
    support = ReplayedSupport(taken["ctx"]) if "assessment" == taken["kind"] else None
    workflow = services.workflow(taken["kind"])
    outcome = engine._sync(workflow, workbook, taken["ctx"], False, lambda _m: None, support, Held(),
                           _Inputs("replay", None, True, {}, None))
    return outcome, workbook.written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("capture")
    parser.add_argument("--outputs", help="pickle the outputs (unchanged run and a first run's writes) here")
    parser.add_argument("--compare", help="outputs pickled by another version: tell every field that differs")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    taken = pickle.loads(Path(args.capture).read_bytes())
    with tempfile.TemporaryDirectory() as folder:
        services = bootstrap(_settings(Path(folder), taken["kind"], "unused"))
        for _ in range(args.runs):
            started = time.thread_time()
            replay(taken, services)
            print(f"replayed unchanged run: {time.thread_time() - started:.3f} s thread CPU")
        if args.profile:
            sampler = Sampler(threading.get_ident(), 0.001)
            with sampler:
                replay(taken, services)
            sampler.report(args.top)
        if args.outputs or args.compare:
            outputs = {}
            for name, drop in (("unchanged", frozenset()), ("first", set(taken["owned"].values()))):
                outcome, written = replay(taken, services, drop)
                outputs[name] = {**{k: v for k, v in vars(outcome).items() if k != "run_id"}, "written": written}
            if args.outputs:
                Path(args.outputs).write_bytes(pickle.dumps(outputs))
            if args.compare:
                _compare(pickle.loads(Path(args.compare).read_bytes()), outputs)


def _compare(before: dict, after: dict) -> None:
    """Print every output field whose repr differs between two versions' replays (repr tells 1 from 1.0 and True,
    -0.0 from 0.0, and, unlike pickled bytes, does not depend on which equal objects happen to be shared)."""
    differ = [(run, key) for run in before for key in before[run]
              if repr(before[run][key]) != repr(after[run].get(key))]
    for run, key in differ:
        print(f"DIFFERS: {run} run, {key}")
    print(f"compared {sum(map(len, before.values()))} output fields: {len(differ)} differ")


if __name__ == "__main__":
    main()
