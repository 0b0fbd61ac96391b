"""A PrairieLearn question graded by nabla: the gradient of a regularized
least-squares objective, f(v) = (c/2)·‖M v − y‖² + (r/2)·‖v‖².

Each variant draws its own names, size symbols and constants from
``data["variant_seed"]``. The student types a symbolic answer such as
``3 M'(M v - y) + 2 v``; nabla compares it with the true gradient on random
matrices of every size, so any equivalent form is right (``M'M v - M'y`` as
much as ``M'(M v - y)``).

How nabla's verdicts map onto PrairieLearn:

- an answer that does not *read* (a syntax error, a name that is not one of
  the question's) is a **format error** (``data["format_errors"]``, set in
  ``parse``): the submission is invalid, not graded, and does not use up an
  attempt;
- every answer that reads is graded: right → score 1; wrong, of the wrong
  shape, or ill-shaped (``M(M v - y)``: a product whose sizes do not match,
  a real mistake) → score 0, with nabla's message as the feedback.

Needs the ``nabla`` package (``pip install ./python`` from nabla's
repository) in the Python that PrairieLearn runs question code with.
"""

from __future__ import annotations

import html
import random

import nabla

ANSWER = "grad"

# (matrix, unknown vector, data vector) and the size symbols (rows, columns).
NAMES = [("A", "x", "b"), ("M", "v", "y"), ("W", "w", "t"), ("B", "u", "d")]
SIZES = [("m", "n"), ("p", "q"), ("k", "d"), ("r", "s")]

# Kinds of nabla's `error` for an answer that does not read. "shape" (an
# ill-shaped answer) is not among them: that is graded, as a wrong answer.
UNREADABLE = {"syntax", "name"}


def generate(data):
    """Draw the variant's names, sizes and constants; store the problem as
    nabla reads it (``f``, ``wrt``, ``given``) and as LaTeX."""
    rng = random.Random(data["variant_seed"])
    mat, vec, target = rng.choice(NAMES)
    rows, cols = rng.choice([s for s in SIZES if not {mat, vec, target} & set(s)])
    scale = rng.choice([1, 2, 3, 4])  # c
    ridge = rng.choice([0, 1, 2, 3])  # r

    residual = f"{mat} {vec} - {target}"
    f = f"{_half(scale)} ||{residual}||^2"
    f_tex = rf"{_half_tex(scale)}\left\lVert {mat}{vec} - {target} \right\rVert^2"
    if ridge:
        f += f" + {_half(ridge)} ||{vec}||^2"
        f_tex += rf" + {_half_tex(ridge)}\left\lVert {vec} \right\rVert^2"
    given = f"{mat}: {rows} x {cols}; {vec}: {cols}; {target}: {rows}"

    derived = nabla.derive(f, vec, given)
    params = data["params"]
    params.update(
        f=f,
        wrt=vec,
        given=given,
        f_tex=f_tex,
        declarations_tex=(
            rf"${mat} \in \mathbb{{R}}^{{{rows} \times {cols}}}$, "
            rf"${vec} \in \mathbb{{R}}^{{{cols}}}$ and "
            rf"${target} \in \mathbb{{R}}^{{{rows}}}$"
        ),
        shape_tex=rf"{cols} \times 1",
        names=f"{mat}, {vec}, {target}",
        example=f"{mat}'{target} + 2 {vec}",
        model_answer=derived["derivative"],
        # The instances nabla grades on: fixed per variant, so a regrade
        # gives the same verdict.
        nabla_seed=data["variant_seed"] % 2**63,
    )
    # No data["correct_answers"][ANSWER]: pl-string-input would compare
    # strings with it; this question grades in grade() instead.


def parse(data):
    """An answer that does not read is a format error (not graded, no
    attempt used)."""
    if ANSWER in data["format_errors"]:
        return  # pl-string-input already refused it (left blank)
    answer = data["submitted_answers"].get(ANSWER)
    if answer is None:
        return
    result = _check(data, answer)
    if _unreadable(result):
        data["format_errors"][ANSWER] = _format_error(answer, result)


def grade(data):
    """Score 1 for the gradient in any form, 0 otherwise, with nabla's
    message as the feedback."""
    answer = data["submitted_answers"].get(ANSWER)
    if answer is None or ANSWER in data["format_errors"]:
        return
    result = _check(data, answer)
    if _unreadable(result):
        # parse() catches these; kept here too for grading paths that skip it.
        data["format_errors"][ANSWER] = _format_error(answer, result)
        return
    score = 1.0 if result["verdict"] == "correct" else 0.0
    feedback = result["message"]
    data["partial_scores"][ANSWER] = {"score": score, "weight": 1, "feedback": feedback}
    data["score"] = score
    data["feedback"][ANSWER] = feedback


def _check(data, answer):
    p = data["params"]
    return nabla.check(p["f"], p["wrt"], p["given"], answer, seed=p["nabla_seed"])


def _unreadable(result):
    return result["verdict"] == "invalid_answer" and result["error"]["kind"] in UNREADABLE


def _format_error(answer, result):
    """nabla's message, and the answer with the place it points at marked."""
    start, end = result["error"]["span"]
    marked = (
        html.escape(answer[:start])
        + "<mark>"
        + (html.escape(answer[start:end]) or "&nbsp;")
        + "</mark>"
        + html.escape(answer[end:])
    )
    return f"{html.escape(result['error']['message'])}: <code>{marked}</code>"


def _half(k):
    """k/2 as nabla reads it."""
    return str(k // 2) if k % 2 == 0 else f"{k / 2:g}"


def _half_tex(k):
    """k/2 as LaTeX, nothing for 1."""
    if k == 2:
        return ""
    return str(k // 2) if k % 2 == 0 else rf"\frac{{{k}}}{{2}}"
