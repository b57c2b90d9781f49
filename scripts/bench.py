#!/usr/bin/env python3
"""Measure how long generation and the full build take.

    python scripts/bench.py [--runs N]

Reports, as the median of N runs (min in brackets):
- generate (warm): rendering every template to YAML in a process that has imported the package;
- generate (cold): a fresh ``python -c`` that imports the package and renders every template;
- build, every template linted: a fresh ``troposphere-fargate build --no-lint-cache`` process
  (imports, generation, cfn-lint loaded once and every template linted in every region it
  claims by forked copies, one per CPU, atomic write, docs), into a temporary folder; the
  pictures are rendered on the first run only, as in a real checkout where they are current;
- build, templates unchanged: the same with cfn-lint's verdicts kept from the run before (a
  template whose exact text passed is not linted again; cfn-lint is not even imported), the
  everyday rebuild. Both use a temporary verdict cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable


def _time(action: Callable[[], object], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return timings


def _report(label: str, timings: list[float]) -> None:
    print(f"{label:<19} {statistics.median(timings):7.3f} s  (min {min(timings):.3f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    args = parser.parse_args()

    from troposphere_fargate import __version__
    from troposphere_fargate.release.build import generate

    files = generate()  # warm-up: first calls fill troposphere's caches
    print(
        f"troposphere_fargate {__version__}: {len(files)} template(s), "
        f"{sum(len(t) for t in files.values()):,} bytes of YAML, median of {args.runs} runs"
    )
    _report("generate (warm)", _time(generate, args.runs))

    cold = [
        sys.executable,
        "-c",
        "from troposphere_fargate.release.build import generate; generate()",
    ]
    _report("generate (cold)", _time(lambda: subprocess.run(cold, check=True), args.runs))

    with tempfile.TemporaryDirectory() as output:
        build = [
            sys.executable, "-m", "troposphere_fargate", "build", "-q",
            "--output", output, "--docs", f"{output}/docs",
        ]  # fmt: skip
        env = {**os.environ, "TROPOSPHERE_FARGATE_CACHE": f"{output}/cache"}

        def run(*extra: str) -> None:
            subprocess.run([*build, *extra], check=True, env=env)

        _report("build, all linted", _time(lambda: run("--no-lint-cache"), args.runs))
        run()  # keep the verdicts
        _report("build, unchanged", _time(run, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
