"""The package's dicts are the objects `nabla ... --json` prints for the same
inputs (docs/json.md), and its exceptions carry the same failure objects.

Needs a built `nabla` binary (the repository's target/debug or
target/release, or $NABLA_BIN); skipped without one.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import nabla

QF = ["x' A x", "--wrt", "x", "--given", "A: n x n; x: n"]


def cli(binary: Path, *args: str) -> tuple[int, dict]:
    out = subprocess.run(
        [str(binary), *args, "--json"], capture_output=True, text=True, timeout=60
    )
    lines = out.stdout.splitlines()
    assert len(lines) == 1, (args, out.stdout, out.stderr)
    return out.returncode, json.loads(lines[0])


RESULTS = [
    # (id, Python call, command line)
    ("parse", lambda: nabla.parse("(A + A')x", "A: n x n; x: n"),
     ["parse", "(A + A')x", "--given", "A: n x n; x: n"]),
    ("parse-error", lambda: nabla.parse("A + x", "A: n x n; x: n"),
     ["parse", "A + x", "--given", "A: n x n; x: n"]),
    ("parse-no-given", lambda: nabla.parse("a b + 1"), ["parse", "a b + 1"]),
    ("check-correct", lambda: nabla.check("x' A x", "x", "A: n x n; x: n", "(A + A')x"),
     ["check", *QF, "--answer", "(A + A')x"]),
    ("check-scale", lambda: nabla.check("x' A x", "x", "A: n x n; x: n", "2 (A + A')x"),
     ["check", *QF, "--answer", "2 (A + A')x"]),
    ("check-symmetric", lambda: nabla.check("x' A x", "x", "A: n x n; x: n", "2 A x", seed=7, trials=12),
     ["check", *QF, "--answer", "2 A x", "--seed", "7", "--trials", "12"]),
    ("check-wrong-shape", lambda: nabla.check("x' A x", "x", "A: n x n; x: n", "x' A"),
     ["check", *QF, "--answer", "x' A"]),
    ("check-invalid-answer", lambda: nabla.check("x' A x", "x", "A: n x n; x: n", "(A + A'x"),
     ["check", *QF, "--answer", "(A + A'x"]),
    ("check-denominator", lambda: nabla.check("A x", "x", "A: m x n; x: n", "A'", layout="denominator"),
     ["check", "A x", "--wrt", "x", "--given", "A: m x n; x: n", "--answer", "A'", "--layout", "denominator"]),
    ("check-no-wrt", lambda: nabla.check("x' x", None, "x: n", "2 x"),
     ["check", "x' x", "--given", "x: n", "--answer", "2 x"]),
    ("derive", lambda: nabla.derive("x' A x", "x", "A: n x n; x: n"), ["derive", *QF]),
    ("derive-steps", lambda: nabla.derive("0.5 ||A x - b||^2", "x", "A: m x n; x: n; b: m", steps=True),
     ["derive", "0.5 ||A x - b||^2", "--wrt", "x", "--given", "A: m x n; x: n; b: m", "--steps"]),
    ("list", lambda: nabla.lessons(), ["list"]),
    ("show-derive", lambda: nabla.exercise("scalar-by-vector/quadratic-form"),
     ["show", "scalar-by-vector/quadratic-form"]),
    ("show-compute", lambda: nabla.exercise("scalar-by-vector/quadratic-compute", 3),
     ["show", "scalar-by-vector/quadratic-compute", "--seed", "3"]),
    ("show-choice", lambda: nabla.exercise("notation/which-layout", 2),
     ["show", "notation/which-layout", "--seed", "2"]),
    ("show-backprop", lambda: nabla.exercise("backprop/two-layer-regression", 5),
     ["show", "backprop/two-layer-regression", "--seed", "5"]),
    ("grade-correct", lambda: nabla.grade("scalar-by-vector/quadratic-form", 1, "(A + A')x"),
     ["grade", "scalar-by-vector/quadratic-form", "--answer", "(A + A')x", "--seed", "1"]),
    ("grade-known-mistake", lambda: nabla.grade("scalar-by-vector/quadratic-form", 4, "2 A x"),
     ["grade", "scalar-by-vector/quadratic-form", "--answer", "2 A x", "--seed", "4"]),
    ("grade-compute", lambda: nabla.grade("scalar-by-vector/quadratic-compute", 3, "[1; 2]"),
     ["grade", "scalar-by-vector/quadratic-compute", "--answer", "[1; 2]", "--seed", "3"]),
    ("grade-choice", lambda: nabla.grade("notation/which-layout", 1, "1"),
     ["grade", "notation/which-layout", "--answer", "1"]),
    ("grade-step", lambda: nabla.grade("backprop/two-layer-regression", 2, "(a2 - t) .* a2", step=1),
     ["grade", "backprop/two-layer-regression", "--answer", "(a2 - t) .* a2", "--seed", "2", "--step", "1"]),
]


@pytest.mark.parametrize("call,args", [c[1:] for c in RESULTS], ids=[c[0] for c in RESULTS])
def test_results_equal_the_cli_json(nabla_bin, call, args):
    _, printed = cli(nabla_bin, *args)
    assert call() == printed


FAILURES = [
    ("parse-declarations", lambda: nabla.parse("x", "A: n x"), ["parse", "x", "--given", "A: n x"]),
    ("check-problem", lambda: nabla.check("x' A y", "x", "A: n x n; x: n", "A x"),
     ["check", "x' A y", "--wrt", "x", "--given", "A: n x n; x: n", "--answer", "A x"]),
    ("check-given", lambda: nabla.check("x' A x", "x", "A: n x n; x: n x", "A x"),
     ["check", "x' A x", "--wrt", "x", "--given", "A: n x n; x: n x", "--answer", "A x"]),
    ("check-wrt", lambda: nabla.check("x' A x", "z", "A: n x n; x: n", "A x"),
     ["check", "x' A x", "--wrt", "z", "--given", "A: n x n; x: n", "--answer", "A x"]),
    ("derive-problem", lambda: nabla.derive("x' A y", "x", "A: n x n; x: n"),
     ["derive", "x' A y", "--wrt", "x", "--given", "A: n x n; x: n"]),
    ("show-unknown", lambda: nabla.exercise("nope/nope"), ["show", "nope/nope"]),
    ("grade-unknown", lambda: nabla.grade("nope/nope", 1, "x"), ["grade", "nope/nope", "--answer", "x"]),
    ("grade-no-step", lambda: nabla.grade("backprop/two-layer-regression", 1, "x"),
     ["grade", "backprop/two-layer-regression", "--answer", "x"]),
    ("grade-bad-step", lambda: nabla.grade("backprop/two-layer-regression", 1, "x", step=9),
     ["grade", "backprop/two-layer-regression", "--answer", "x", "--step", "9"]),
]


@pytest.mark.parametrize("call,args", [c[1:] for c in FAILURES], ids=[c[0] for c in FAILURES])
def test_failures_equal_the_cli_json(nabla_bin, call, args):
    status, printed = cli(nabla_bin, *args)
    assert status == 2
    # check and grade failures also carry the first contract's two fields.
    if args[0] in ("check", "grade"):
        assert printed.pop("verdict") == "invalid_problem"
        assert printed.pop("message") == printed["error"]["message"]
    with pytest.raises(nabla.Error) as e:
        call()
    assert e.value.to_dict() == printed


def test_lessons_failure_has_the_cli_kind(nabla_bin, tmp_path):
    missing = tmp_path / "not-there"
    status, printed = cli(nabla_bin, "--lessons", str(missing), "list")
    assert status == 2
    with pytest.raises(nabla.LessonsError) as e:
        nabla.lessons(missing)
    # The same kind; the wording names the Python argument, not the flag.
    assert e.value.kind == printed["error"]["kind"] == "lessons"


def test_a_lessons_folder_gives_the_cli_json(nabla_bin, one_lesson):
    # The package's `lessons=` is the folder alone: the CLI's --no-builtin
    # (a CLI --lessons folder adds to the built-in course).
    _, printed = cli(nabla_bin, "--no-builtin", "--lessons", str(one_lesson), "list")
    assert nabla.lessons(one_lesson) == printed
    args = ["--no-builtin", "--lessons", str(one_lesson), "grade", "scalar-by-vector/quadratic-form", "--answer", "A x"]
    _, printed = cli(nabla_bin, *args)
    assert nabla.grade("scalar-by-vector/quadratic-form", None, "A x", lessons=one_lesson) == printed
