"""The PrairieLearn example, driven the way PrairieLearn drives it: generate
a variant, then for each submission parse and, when parse found no format
error, grade — on a `data` dict shaped like PrairieLearn's.

Run: pytest examples/prairielearn (with the nabla package installed).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from pathlib import Path

import pytest

QUESTION = Path(__file__).parent / "questions" / "leastSquaresGradient"


def load_server():
    spec = importlib.util.spec_from_file_location("pl_server", QUESTION / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


server = load_server()


def new_variant(seed: int) -> dict:
    """`data` as PrairieLearn gives it to generate()."""
    data = {
        "params": {},
        "correct_answers": {},
        "submitted_answers": {},
        "raw_submitted_answers": {},
        "format_errors": {},
        "partial_scores": {},
        "score": 0,
        "feedback": {},
        "variant_seed": seed,
        "options": {},
    }
    server.generate(data)
    return data


def submit(variant: dict, answer: str) -> tuple[dict, bool]:
    """One submission: pl-string-input's parse (a blank answer is its format
    error), then the question's parse, then — only without format errors —
    grade. Returns the data and whether it was graded."""
    data = copy.deepcopy(variant)
    data["raw_submitted_answers"]["grad"] = answer
    if answer.strip():
        data["submitted_answers"]["grad"] = answer
    else:
        data["submitted_answers"]["grad"] = None
        data["format_errors"]["grad"] = "Invalid format. The submitted answer was left blank."
    server.parse(data)
    graded = not data["format_errors"]
    if graded:
        server.grade(data)
    json.dumps(data)  # PrairieLearn stores data as JSON
    return data, graded


def right_answer(p: dict) -> str:
    """The gradient, written by hand from the variant's parameters."""
    vec = p["wrt"]
    mat, target = re.match(r"(\w+): \w+ x \w+; \w+: \w+; (\w+):", p["given"]).groups()
    c = float(p["f"].split(" ", 1)[0])
    ridge = re.search(r"\+ ([\d.]+) \|\|", p["f"])
    answer = f"{2 * c:g} {mat}'({mat} {vec} - {target})"
    if ridge:
        answer += f" + {2 * float(ridge.group(1)):g} {vec}"
    return answer


SEEDS = [0, 1, 2, 17, 123456789, 2**40 + 5]


def test_generate_sets_every_param_the_html_uses():
    data = new_variant(1)
    used = set(re.findall(r"\{\{\{?params\.(\w+)", (QUESTION / "question.html").read_text()))
    assert used and used <= set(data["params"])
    assert data["correct_answers"] == {}  # graded by grade(), not by string
    json.loads((QUESTION / "info.json").read_text())


def test_variants_are_deterministic_and_differ():
    assert new_variant(5) == new_variant(5)
    problems = {(new_variant(s)["params"]["f"], new_variant(s)["params"]["given"]) for s in range(30)}
    assert len(problems) > 10
    assert len({g.split(":")[0] for _, g in problems}) > 1  # more than one matrix name


@pytest.mark.parametrize("seed", SEEDS)
def test_right_answers_score_1(seed):
    variant = new_variant(seed)
    p = variant["params"]
    for answer in (p["model_answer"], right_answer(p)):
        data, graded = submit(variant, answer)
        assert graded, data["format_errors"]
        assert data["score"] == 1.0, (p["f"], answer, data["feedback"])
        assert data["partial_scores"]["grad"]["score"] == 1.0
        assert data["feedback"]["grad"].startswith("Correct")


@pytest.mark.parametrize("seed", SEEDS)
def test_a_wrong_answer_scores_0_with_feedback(seed):
    variant = new_variant(seed)
    p = variant["params"]
    mat, _, target = p["names"].split(", ")
    data, graded = submit(variant, f"{mat}' {target}")
    assert graded and not data["format_errors"]
    assert data["score"] == 0.0 and data["partial_scores"]["grad"]["score"] == 0.0
    assert "not the derivative" in data["feedback"]["grad"]
    assert data["partial_scores"]["grad"]["feedback"] == data["feedback"]["grad"]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_wrong_shape_scores_0_with_feedback(seed):
    variant = new_variant(seed)
    p = variant["params"]
    mat, vec, target = p["names"].split(", ")
    # A row, not a column.
    data, graded = submit(variant, f"({mat} {vec} - {target})' {mat}")
    assert graded and not data["format_errors"]
    assert data["score"] == 0.0
    assert "Your answer is 1×" in data["feedback"]["grad"]
    assert data["feedback"]["grad"].endswith(f"{vec}'s shape, {p['shape_tex'].split()[0]}×1.")
    # An ill-shaped answer (sizes that do not match) reads, and is wrong.
    data, graded = submit(variant, f"{mat} ({mat} {vec} - {target})")
    assert graded and data["score"] == 0.0
    assert "cannot multiply" in data["feedback"]["grad"]


@pytest.mark.parametrize("answer", ["2 A'(A x - b", "x +", "Q x", "2 A'(A x ~ b)"])
def test_an_unreadable_answer_is_a_format_error_not_graded(answer):
    variant = new_variant(0)
    p = variant["params"]
    mat, vec, target = p["names"].split(", ")
    answer = answer.replace("A", mat).replace("x", vec).replace("b", target)
    data, graded = submit(variant, answer)
    assert not graded
    error = data["format_errors"]["grad"]
    assert "<mark>" in error and len(error) > 20
    # Not graded: no score, no feedback, nothing charged.
    assert data["partial_scores"] == {} and data["score"] == 0
    assert data["feedback"] == {}


def test_a_blank_answer_stays_the_elements_format_error():
    data, graded = submit(new_variant(0), "  ")
    assert not graded
    assert data["format_errors"]["grad"].endswith("left blank.")


def test_grade_alone_still_refuses_an_unreadable_answer():
    data = copy.deepcopy(new_variant(3))
    data["submitted_answers"]["grad"] = "(("
    server.grade(data)
    assert "grad" in data["format_errors"]
    assert data["partial_scores"] == {}


def test_regrading_gives_the_same_verdict():
    variant = new_variant(9)
    first, _ = submit(variant, "2 " + variant["params"]["model_answer"])
    again, _ = submit(variant, "2 " + variant["params"]["model_answer"])
    assert first["feedback"] == again["feedback"] and first["score"] == again["score"] == 0
