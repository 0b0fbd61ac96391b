"""The Python package: every function, right and wrong answers, every
failure kind, bad types, determinism, and threads (the GIL released)."""

from __future__ import annotations

import doctest
import pickle
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import nabla

QF = ("x' A x", "x", "A: n x n; x: n")  # f, wrt, given


# --- check -------------------------------------------------------------------


def test_check_correct():
    r = nabla.check(*QF, "(A + A')x")
    assert r["verdict"] == "correct"
    assert r["schema_version"] == nabla.SCHEMA_VERSION == 1
    assert r["expected_shape"] == r["answer_shape"] == "n×1"
    assert r["read_as"] == "(A + Aᵀ)·x"
    assert r["diagnosis"] is None
    assert r["trials"] == 5
    assert 0 <= r["max_rel_error"] < 1e-9
    assert "error" not in r and "scale" not in r


def test_check_result_fields_are_plain_python():
    r = nabla.check(*QF, "(A + A')x")
    assert type(r) is dict
    assert {type(v) for v in r.values()} <= {str, int, float, type(None)}


def test_check_incorrect_with_diagnoses():
    r = nabla.check(*QF, "2 A x")
    assert (r["verdict"], r["diagnosis"]) == ("incorrect", "symmetric_only")
    r = nabla.check(*QF, "2 (A + A')x")
    assert (r["verdict"], r["diagnosis"], r["scale"]) == ("incorrect", "scale", 2.0)
    r = nabla.check(*QF, "A x")
    assert r["verdict"] == "incorrect" and r["max_rel_error"] > 0.01


def test_check_wrong_shape():
    r = nabla.check(*QF, "x' (A + A')")
    assert r["verdict"] == "wrong_shape"
    assert (r["answer_shape"], r["expected_shape"]) == ("1×n", "n×1")
    r = nabla.check("A x", "x", "A: m x n; x: n", "A'")
    assert (r["verdict"], r["diagnosis"]) == ("wrong_shape", "transpose")


def test_check_invalid_answer_is_a_result_not_an_exception():
    r = nabla.check(*QF, "(A + A'x")
    assert r["verdict"] == "invalid_answer"
    assert r["error"]["kind"] == "syntax"
    assert r["error"]["location"]["input"] == "answer"
    r = nabla.check(*QF, "A + x")
    assert (r["verdict"], r["error"]["kind"]) == ("invalid_answer", "shape")
    r = nabla.check(*QF, "B x")
    assert (r["verdict"], r["error"]["kind"]) == ("invalid_answer", "name")
    assert r["error"]["span"] == [0, 1]


def test_check_layouts():
    assert nabla.check("A x", "x", "A: m x n; x: n", "A")["verdict"] == "correct"
    r = nabla.check("A x", "x", "A: m x n; x: n", "A'", layout="denominator")
    assert r["verdict"] == "correct"
    r = nabla.check("A x", "x", "A: m x n; x: n", "A", layout="denominator")
    assert r["verdict"] == "wrong_shape"


def test_check_wrt_left_out_when_f_has_one_name():
    assert nabla.check("x' x", None, "x: n", "2 x")["verdict"] == "correct"


def test_check_keywords_and_trials():
    r = nabla.check(
        f="x' A x",
        wrt="x",
        given="A: n x n; x: n",
        answer="A x",
        trials=12,
        seed=3,
    )
    assert r["trials"] == 12


def test_check_is_deterministic_by_seed():
    a = [nabla.check(*QF, "A x", seed=s)["max_rel_error"] for s in (1, 1, 2)]
    assert a[0] == a[1]
    assert a[0] != a[2]
    # No seed: the contract's default seed, the same every time.
    assert nabla.check(*QF, "A x") == nabla.check(*QF, "A x")
    assert nabla.check(*QF, "A x", seed=2**64 - 1)["verdict"] == "incorrect"


def test_check_invalid_problem():
    with pytest.raises(nabla.InvalidProblem) as e:
        nabla.check("x' A y", "x", "A: n x n; x: n", "A x")
    err = e.value
    assert err.kind == "invalid_problem"
    assert "unknown name 'y'" in err.message
    assert err.location == {"input": "f", "span": [5, 6]}
    assert str(err) == err.message
    assert isinstance(err, nabla.Error) and isinstance(err, Exception)


def test_check_invalid_problem_in_given_and_wrt():
    with pytest.raises(nabla.InvalidProblem) as e:
        nabla.check("x' A x", "x", "A: n x n; x: n x", "A x")
    assert e.value.location["input"] == "given"
    with pytest.raises(nabla.InvalidProblem) as e:
        nabla.check("x' A x", "z", "A: n x n; x: n", "A x")
    assert "'z' is not declared" in e.value.message
    with pytest.raises(nabla.InvalidProblem, match="say which to differentiate by"):
        nabla.check("x' A x", None, "A: n x n; x: n", "A x")


# --- parse -------------------------------------------------------------------


def test_parse():
    r = nabla.parse("(A + A')x", "A: n x n; x: n")
    assert r == {"schema_version": 1, "read_as": "(A + Aᵀ)·x", "shape": "n×1"}
    # Undeclared names have shapes nobody knows yet.
    assert nabla.parse("a b + 1")["shape"] == "?×?"
    assert nabla.parse("a b + 1", "a, b: scalar")["shape"] == "1×1"
    assert nabla.parse(expr="x", given=None)["read_as"] == "x"


def test_parse_error_is_a_result():
    r = nabla.parse("A +", "A: n x n")
    assert r["shape"] is None and r["read_as"] is None
    assert r["error"]["kind"] == "syntax"
    assert r["error"]["location"] == {"input": "expr", "span": r["error"]["span"]}
    r = nabla.parse("A + x", "A: n x n; x: n")
    assert (r["read_as"], r["shape"], r["error"]["kind"]) == ("A + x", None, "shape")


def test_parse_invalid_declarations():
    with pytest.raises(nabla.InvalidDeclarations) as e:
        nabla.parse("x", "A: n x")
    assert e.value.kind == "invalid_declarations"
    assert e.value.location["input"] == "given"


# --- derive ------------------------------------------------------------------


def test_derive():
    r = nabla.derive(*QF)
    assert r == {"schema_version": 1, "derivative": "(A + Aᵀ)·x", "shape": "n×1"}
    r = nabla.derive(*QF, steps=True)
    assert r["steps"] and all(isinstance(s, str) for s in r["steps"])


def test_derive_round_trips_through_check():
    for f, wrt, given in [
        QF,
        ("0.5 ||A x - b||^2", "x", "A: m x n; x: n; b: m"),
        ("tr(A X B)", "X", "A: p x m; X: m x n; B: n x p"),
    ]:
        d = nabla.derive(f, wrt, given)["derivative"]
        assert nabla.check(f, wrt, given, d)["verdict"] == "correct", (f, d)


def test_derive_layout_and_failure():
    assert nabla.derive("A x", "x", "A: m x n; x: n")["shape"] == "m×n"
    assert nabla.derive("A x", "x", "A: m x n; x: n", layout="denominator")["shape"] == "n×m"
    with pytest.raises(nabla.InvalidProblem):
        nabla.derive("x' A y", "x", "A: n x n; x: n")


# --- lessons, exercise, grade ------------------------------------------------


def test_lessons_builtin():
    r = nabla.lessons()
    assert r["schema_version"] == 1
    ids = [l["id"] for l in r["lessons"]]
    assert ids[0] == "notation" and "backprop" in ids
    assert r["skipped"] == []
    ex = r["lessons"][1]["exercises"][0]
    assert set(ex) == {"id", "kind", "title"}
    assert ex["id"].startswith(r["lessons"][1]["id"] + "/")


def test_lessons_folder(one_lesson: Path):
    r = nabla.lessons(one_lesson)  # a Path
    assert [l["id"] for l in r["lessons"]] == ["scalar-by-vector"]
    assert nabla.lessons(str(one_lesson)) == r


def test_lessons_folder_with_a_broken_file_warns_and_uses_the_rest(one_lesson: Path):
    (one_lesson / "zz-broken.toml").write_text("this is = = not toml\n")
    with pytest.warns(nabla.LessonsWarning, match="zz-broken"):
        r = nabla.lessons(one_lesson)
    assert [l["id"] for l in r["lessons"]] == ["scalar-by-vector"]
    [skipped] = r["skipped"]
    assert skipped["file"].endswith("zz-broken.toml") and skipped["line"] == 1


def test_lessons_errors(tmp_path: Path):
    with pytest.raises(nabla.LessonsError) as e:
        nabla.lessons(tmp_path / "not-there")
    assert e.value.kind == "lessons" and "no such folder" in e.value.message
    with pytest.raises(nabla.LessonsError, match="no lesson files"):
        nabla.lessons(tmp_path)
    (tmp_path / "bad.toml").write_text("[[[\n")
    with pytest.raises(nabla.LessonsError, match="none of its lesson files loads"):
        nabla.exercise("scalar-by-vector/quadratic-form", lessons=tmp_path)
    with pytest.raises(nabla.LessonsError):
        nabla.grade("a/b", 1, "x", lessons=tmp_path / "not-there")


def test_exercise_derive():
    r = nabla.exercise("scalar-by-vector/quadratic-form", seed=7)
    assert r["schema_version"] == 1 and r["seed"] == 7
    assert (r["id"], r["lesson"], r["kind"]) == (
        "scalar-by-vector/quadratic-form",
        "scalar-by-vector",
        "derive",
    )
    assert (r["f"], r["wrt"], r["expected_shape"]) == ("x' A x", "x", "n×1")
    assert r["given"] == {"A": "n x n", "x": "n"}
    assert isinstance(r["prompt"], str) and isinstance(r["hints"], int)
    assert nabla.exercise("scalar-by-vector/quadratic-form")["seed"] == 1


def test_exercise_is_deterministic_by_seed():
    ex = "scalar-by-vector/quadratic-compute"
    a, b = nabla.exercise(ex, 3), nabla.exercise(ex, 3)
    assert a == b and a["values"]["A"]
    assert any(nabla.exercise(ex, s)["values"] != a["values"] for s in range(4, 10))


def test_exercise_other_kinds():
    c = nabla.exercise("notation/which-layout")
    assert c["kind"] == "choice" and len(c["choices"]) >= 2
    bp = nabla.exercise("backprop/two-layer-regression")
    assert bp["forward"] and bp["steps"][0]["wrt"] == "z2"


def test_exercise_unknown():
    with pytest.raises(nabla.UnknownExercise) as e:
        nabla.exercise("nope/nope")
    assert e.value.kind == "unknown_exercise" and e.value.location is None
    with pytest.raises(nabla.UnknownExercise):
        nabla.exercise("no-slash", 1)


def test_exercise_from_a_lessons_folder(one_lesson: Path):
    assert nabla.exercise("scalar-by-vector/quadratic-form", 1, one_lesson)["f"] == "x' A x"
    with pytest.raises(nabla.UnknownExercise):
        nabla.exercise("notation/which-layout", 1, one_lesson)


def test_grade_derive_right_and_wrong():
    ex = "scalar-by-vector/quadratic-form"
    assert nabla.grade(ex, 1, "(A + A')x")["verdict"] == "correct"
    r = nabla.grade(ex, 1, "2 A x")
    assert (r["verdict"], r["diagnosis"]) == ("incorrect", "known_mistake")
    assert r["feedback"]
    assert nabla.grade(ex, 1, "x' A")["verdict"] == "wrong_shape"
    assert nabla.grade(ex, 1, "(A + ")["verdict"] == "invalid_answer"
    assert nabla.grade(ex, None, "(A + A')x")["verdict"] == "correct"


def test_grade_compute_right_and_wrong():
    ex = "scalar-by-vector/quadratic-compute"
    v = nabla.exercise(ex, 3)["values"]
    A, x = v["A"], [row[0] for row in v["x"]]
    # (A + A') x, entry by entry.
    g = [sum((A[i][j] + A[j][i]) * x[j] for j in range(len(x))) for i in range(len(x))]
    right = "[" + "; ".join(repr(e) for e in g) + "]"
    assert nabla.grade(ex, 3, right)["verdict"] == "correct"
    wrong = "[" + "; ".join(repr(e + 1) for e in g) + "]"
    r = nabla.grade(ex, 3, wrong)
    assert r["verdict"] == "incorrect"
    assert r["wrong_entries"] == [[i + 1, 1] for i in range(len(g))]


def test_grade_choice():
    # Choices come in an order of their own per instance: the number to
    # type is where the instance shows the right one.
    ex = "notation/which-layout"
    for seed in (1, 2, 3):
        shown = nabla.exercise(ex, seed)["choices"]
        right = shown.index("Denominator layout") + 1
        assert nabla.grade(ex, seed, str(right))["verdict"] == "correct"
        r = nabla.grade(ex, seed, str(right % len(shown) + 1))
        assert r["verdict"] == "incorrect" and r["expected_shape"] is None


def test_grade_backprop_steps_from_one():
    ex = "backprop/two-layer-regression"
    r = nabla.grade(ex, 1, "(a2 - t) .* a2 .* (1 - a2)", step=1)
    assert r["verdict"] == "correct" and r["expected_shape"] == "k×1"
    with pytest.raises(nabla.InvalidExercise, match="step"):
        nabla.grade(ex, 1, "x")
    with pytest.raises(nabla.InvalidExercise) as e:
        nabla.grade(ex, 1, "x", step=9)
    assert e.value.kind == "invalid_exercise"
    with pytest.raises(nabla.UsageError):
        nabla.grade(ex, 1, "x", step=0)


def test_grade_unknown_and_from_a_folder(one_lesson: Path):
    with pytest.raises(nabla.UnknownExercise):
        nabla.grade("nope/nope", 1, "x")
    r = nabla.grade("scalar-by-vector/quadratic-form", 1, "(A + A')x", lessons=one_lesson)
    assert r["verdict"] == "correct"


# --- bad arguments -----------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: nabla.check(*QF, "A x", layout="sideways"),
        lambda: nabla.derive(*QF, layout="Numerator"),
        lambda: nabla.check(*QF, "A x", seed=-1),
        lambda: nabla.check(*QF, "A x", seed=2**64),
        lambda: nabla.check(*QF, "A x", trials=0),
        lambda: nabla.check(*QF, "A x", trials=1001),
        lambda: nabla.exercise("scalar-by-vector/quadratic-form", seed=-5),
        lambda: nabla.grade("scalar-by-vector/quadratic-form", -1, "x"),
        lambda: nabla.grade("backprop/two-layer-regression", 1, "x", step=-1),
    ],
)
def test_usage_errors(call):
    with pytest.raises(nabla.UsageError) as e:
        call()
    assert e.value.kind == "usage" and e.value.message and e.value.location is None


@pytest.mark.parametrize(
    "call",
    [
        lambda: nabla.check(5, "x", "x: n", "x"),
        lambda: nabla.check("x' x", "x", None, "x"),
        lambda: nabla.check("x' x", "x", "x: n", b"2 x"),
        lambda: nabla.check(*QF, "A x", seed="1"),
        lambda: nabla.check(*QF, "A x", seed=1.5),
        lambda: nabla.check(*QF, "A x", seed=True),
        lambda: nabla.check(*QF, "A x", trials="3"),
        lambda: nabla.check(*QF, "A x", layout=None),
        lambda: nabla.parse(["x"]),
        lambda: nabla.exercise(None),
        lambda: nabla.exercise("scalar-by-vector/quadratic-form", lessons=5),
        lambda: nabla.grade("scalar-by-vector/quadratic-form", 1, None),
        lambda: nabla.grade("backprop/two-layer-regression", 1, "x", step="1"),
    ],
)
def test_wrong_types_are_type_errors(call):
    with pytest.raises(TypeError):
        call()


def test_missing_arguments():
    with pytest.raises(TypeError):
        nabla.check("x' x", "x", "x: n")  # no answer


# --- exceptions --------------------------------------------------------------


def test_error_classes():
    kinds = {
        nabla.UsageError: "usage",
        nabla.InvalidProblem: "invalid_problem",
        nabla.InvalidDeclarations: "invalid_declarations",
        nabla.UnknownExercise: "unknown_exercise",
        nabla.InvalidExercise: "invalid_exercise",
        nabla.LessonsError: "lessons",
        nabla.InternalError: "internal",
    }
    for cls in kinds:
        assert issubclass(cls, nabla.Error) and cls.__module__ == "nabla"
        assert cls.__doc__


def test_error_to_dict_is_the_contracts_failure_object():
    with pytest.raises(nabla.Error) as e:
        nabla.check("x' A y", "x", "A: n x n; x: n", "A x")
    assert e.value.to_dict() == {
        "schema_version": 1,
        "error": {
            "kind": "invalid_problem",
            "message": e.value.message,
            "location": {"input": "f", "span": [5, 6]},
        },
    }
    with pytest.raises(nabla.Error) as e:
        nabla.exercise("nope/nope")
    assert "location" not in e.value.to_dict()["error"]


def test_errors_pickle():
    with pytest.raises(nabla.Error) as e:
        nabla.check("x' A y", "x", "A: n x n; x: n", "A x")
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is nabla.InvalidProblem
    assert (back.kind, back.message, back.location) == (
        e.value.kind,
        e.value.message,
        e.value.location,
    )


def test_a_panic_in_the_engine_is_an_internal_error_not_a_crash():
    with pytest.raises(nabla.InternalError) as e:
        nabla._nabla._panic_for_tests()
    assert e.value.kind == "internal" and "bug" in e.value.message
    # The interpreter and the package still work.
    assert nabla.check(*QF, "(A + A')x")["verdict"] == "correct"


# --- threads -----------------------------------------------------------------

# Large enough that one check takes tens of milliseconds.
BIG = ("logdet(X)", "X", "X: 300 x 300 spd", "inv(X)")


def test_the_gil_is_released_while_grading():
    """Another Python thread runs while this one is inside a long check.

    The other thread gives the GIL up at every step (``sleep(0)``), and the
    switch interval is made long, so this thread is never forced to give it
    up: the other thread can count during the check only if the check
    itself lets go of the GIL.
    """
    count = 0
    stop = threading.Event()

    def spin():
        nonlocal count
        while not stop.is_set():
            count += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(5.0)
    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.01)
        before = count
        start = time.perf_counter()
        r = nabla.check(*BIG)
        took = time.perf_counter() - start
        during = count - before
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    assert r["verdict"] == "correct"
    assert during > 10, f"the other thread ran {during} times in the {took:.3f} s check"


def test_threads_grade_concurrently_with_the_same_results():
    answers = ["(A + A')x", "2 A x", "A x", "x' A", "(A + ", "A' x + A x"] * 4
    one_by_one = [nabla.check(*QF, a, seed=i) for i, a in enumerate(answers)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda ia: nabla.check(*QF, ia[1], seed=ia[0]), enumerate(answers)))
    assert together == one_by_one


def test_two_long_checks_in_two_threads_finish():
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(nabla.check, *BIG) for _ in range(2)]
        results = [f.result(timeout=120) for f in futures]
    assert [r["verdict"] for r in results] == ["correct", "correct"]


# --- the package itself ------------------------------------------------------


def test_docstrings_everywhere():
    for name in nabla.__all__:
        obj = getattr(nabla, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__) > 40, name
    assert nabla.__doc__


def test_module_docstring_examples_run():
    failures, tried = doctest.testmod(nabla, verbose=False)
    assert tried > 0 and failures == 0


def test_stub_names_everything_exported():
    import ast

    stub = Path(nabla.__file__).with_suffix(".pyi")
    assert (Path(nabla.__file__).parent / "py.typed").is_file()
    tree = ast.parse(stub.read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    assert set(nabla.__all__) <= names


def test_no_warnings_from_the_builtin_course():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nabla.lessons()
        nabla.exercise("scalar-by-vector/quadratic-form")
