"""`python -m bench [NAME ...] [--quick]`: run the benchmarks, print their tables, write bench/results/*.json."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import time
import traceback
from collections.abc import Sequence

from bench.common import clean_for_json, write_results

BENCHMARKS = {
    "relevance": "bench.relevance",
    "search": "bench.search",
    "learn_http": "bench.learn_http",
    "practice_dispatch": "bench.practice_dispatch",
    "challenge_dispatch": "bench.challenge_dispatch",
    "downtime": "bench.downtime",
    "report": "bench.report",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})"
    )
    parser.add_argument("--quick", action="store_true", help="small runs, for a smoke check")
    return parser


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    """Turn SIGTERM into SystemExit, so every `finally` runs and the servers we started are stopped."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in args.names or list(BENCHMARKS):
        print(f"\n=== {name}{' (quick)' if args.quick else ''} ===\n", flush=True)
        started = time.perf_counter()
        try:
            results = importlib.import_module(BENCHMARKS[name]).run(quick=args.quick)
        except Exception as error:  # one broken benchmark should not hide the others' figures
            print(f"{name} failed: {type(error).__name__}: {error}", file=sys.stderr)
            traceback.print_exc()
            failed.append(name)
            continue
        results["wall_seconds"] = round(time.perf_counter() - started, 2)
        path = write_results(name, clean_for_json(results), quick=args.quick)
        print(f"\n{name}: {results['wall_seconds']} s; results in {path.relative_to(path.parents[2])}", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
