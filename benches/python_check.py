"""One `check` (x' A x by x, answer (A + A')x, tutor sizes) through the
Python package, against the same check through the command line.

The in-process Rust number is `cargo bench --bench grading -- report`
(`report::check`, the call the package makes). Results in
docs/performance.md, "From Python".

    python benches/python_check.py [--cli target/release/nabla]

Needs the package installed (`pip install ./python`). Prints, per call,
the median and the minimum of wall time over repeated short runs, and the
median CPU time of this process (`time.process_time`): on a shared machine
the wall time also counts the time the process waited for a core, the CPU
time does not. (The CLI line's CPU time is this process's only, not the
child's: it is left out.)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nabla
from nabla import _nabla

F, WRT, GIVEN, ANSWER = "x' A x", "x", "A: n x n; x: n", "(A + A')x"
REPO = Path(__file__).resolve().parents[1]


def per_call(fn, number: int, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds per call of fn, wall and CPU, one value per run of `number`
    calls (short runs: the median leaves out the runs that lost the core)."""
    wall, cpu = [], []
    calls = range(number)
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in calls:
            fn()
        w1, c1 = time.perf_counter(), time.process_time()
        wall.append((w1 - w0) / number)
        cpu.append((c1 - c0) / number)
    return wall, cpu


def show(label: str, times: tuple[list[float], list[float]], cpu: bool = True) -> None:
    wall, cpus = times
    med = statistics.median(wall)
    line = (
        f"{label:<40} wall median {med * 1e6:8.1f} µs "
        f"(min {min(wall) * 1e6:.1f}, {len(wall)} runs)"
    )
    if cpu:
        line += f"   CPU median {statistics.median(cpus) * 1e6:8.1f} µs"
    print(line)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", type=Path, default=REPO / "target" / "release" / "nabla")
    ap.add_argument("--number", type=int, default=100, help="calls per run")
    ap.add_argument("--repeat", type=int, default=300, help="runs (the median is of these)")
    args = ap.parse_args()

    assert nabla.check(F, WRT, GIVEN, ANSWER)["verdict"] == "correct"
    print(f"# python {sys.version.split()[0]}, nabla {nabla.__version__}")

    show(
        "nabla.check (the package)",
        per_call(lambda: nabla.check(F, WRT, GIVEN, ANSWER), args.number, args.repeat),
    )
    show(
        "nabla._nabla.check (native, no wrapper)",
        per_call(
            lambda: _nabla.check(F, WRT, GIVEN, ANSWER, "numerator", None, None),
            args.number,
            args.repeat,
        ),
    )
    # The floor under any call: a bad layout is refused before the engine runs.
    def refused():
        try:
            _nabla.check(F, WRT, GIVEN, ANSWER, "x", None, None)
        except nabla.UsageError:
            pass

    show("native call refused (no engine)", per_call(refused, args.number, args.repeat))

    if args.cli.is_file():
        cmd = [str(args.cli), "check", F, "--wrt", WRT, "--given", GIVEN, "--answer", ANSWER, "--json"]
        run = lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)  # noqa: E731
        show(f"CLI {args.cli.relative_to(REPO) if args.cli.is_relative_to(REPO) else args.cli} --json",
             per_call(run, 1, args.repeat), cpu=False)
    else:
        print(f"(no {args.cli}: build it with cargo build --release for the CLI line)")


if __name__ == "__main__":
    main()
