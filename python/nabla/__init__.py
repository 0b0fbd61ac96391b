"""nabla: a grader for matrix calculus, from Python.

Grades derivatives typed the way people write them (``(A + A')x``) by
comparing them with the true derivative on random instances, and works out
derivatives itself. The functions return plain dicts with the fields of
nabla's JSON contract (docs/json.md in the repository; the same objects
``nabla ... --json`` prints), and raise a :class:`nabla.Error` subclass when a
call cannot run::

    >>> import nabla
    >>> nabla.check("x' A x", "x", "A: n x n; x: n", "(A + A')x")["verdict"]
    'correct'
    >>> nabla.check("x' A x", "x", "A: n x n; x: n", "2 A x")["diagnosis"]
    'symmetric_only'

A wrong, ill-shaped or unreadable *answer* is a result, with its
``verdict``; only a problem that is not one (or an unknown exercise, a bad
argument) raises. The grading runs without the GIL, so threads grade in
parallel.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Union

from . import _nabla
from ._errors import (
    Error,
    InternalError,
    InvalidDeclarations,
    InvalidExercise,
    InvalidProblem,
    LessonsError,
    LessonsWarning,
    UnknownExercise,
    UsageError,
)

__all__ = [
    "SCHEMA_VERSION",
    "Error",
    "UsageError",
    "InvalidProblem",
    "InvalidDeclarations",
    "UnknownExercise",
    "InvalidExercise",
    "LessonsError",
    "InternalError",
    "LessonsWarning",
    "parse",
    "check",
    "derive",
    "exercise",
    "grade",
    "lessons",
]

#: The contract's ``schema_version``, in every result dict.
SCHEMA_VERSION: int = _nabla.SCHEMA_VERSION
__version__: str = _nabla.__version__

_Path = Union[str, "os.PathLike[str]"]


def parse(expr: str, given: Optional[str] = None) -> Dict[str, Any]:
    """Read an expression back and give its shape.

    Args:
        expr: the expression, e.g. ``"(A + A')x"``.
        given: declarations, e.g. ``"A: n x n; x: n"``; without them, the
            shape of a name is not known (``"?×?"``).

    Returns:
        ``{"schema_version", "read_as", "shape"}``; when the expression does
        not read (or is ill-shaped), also ``"error"``: ``{"kind", "message",
        "span", "location"}`` -- a result, not an exception.

    Raises:
        InvalidDeclarations: ``given`` does not parse.
    """
    return _nabla.parse(expr, given)


def check(
    f: str,
    wrt: Optional[str],
    given: str,
    answer: str,
    layout: str = "numerator",
    seed: Optional[int] = None,
    trials: Optional[int] = None,
) -> Dict[str, Any]:
    """Grade ``answer`` as the derivative of ``f`` by ``wrt``.

    Args:
        f: the function, e.g. ``"x' A x"``.
        wrt: the variable to differentiate by; None when ``f`` uses one name.
        given: declarations, e.g. ``"A: n x n; x: n"``.
        answer: the answer to grade, e.g. ``"(A + A')x"``.
        layout: ``"numerator"`` (a Jacobian's rows follow F) or
            ``"denominator"`` (rows follow X).
        seed: the random instances (the same seed, the same verdict); None
            for the contract's default.
        trials: how many instances to compare on, 1 to 1000; None for 5.

    Returns:
        ``{"schema_version", "verdict", "message", "expected_shape",
        "answer_shape", "read_as", "diagnosis", "trials", "max_rel_error"}``,
        plus ``"scale"`` with the scale diagnosis and ``"error"`` when the
        answer did not read. ``verdict`` is ``"correct"``, ``"incorrect"``,
        ``"wrong_shape"`` or ``"invalid_answer"``.

    Raises:
        InvalidProblem: ``f``, ``wrt`` or ``given`` do not make a problem.
        UsageError: ``layout``, ``seed`` or ``trials`` is out of range.
    """
    return _nabla.check(f, wrt, given, answer, layout, seed, trials)


def derive(
    f: str,
    wrt: Optional[str],
    given: str,
    steps: bool = False,
    layout: str = "numerator",
) -> Dict[str, Any]:
    """Work out the derivative of ``f`` by ``wrt``, simplified.

    Args:
        f: the function, e.g. ``"x' A x"``.
        wrt: the variable; None when ``f`` uses one name.
        given: declarations, e.g. ``"A: n x n; x: n"``.
        steps: also give the derivation, rule by rule.
        layout: ``"numerator"`` or ``"denominator"``.

    Returns:
        ``{"schema_version", "derivative", "shape"}`` (the derivative is an
        expression :func:`parse` reads), plus ``"steps"`` (a list of
        strings) with ``steps=True``.

    Raises:
        InvalidProblem: ``f``, ``wrt`` or ``given`` do not make a problem, or
            the derivative is not one nabla works out.
        UsageError: ``layout`` is not one of the two.
    """
    return _nabla.derive(f, wrt, given, bool(steps), layout)


def lessons(lessons: Optional[_Path] = None) -> Dict[str, Any]:
    """The course: its lessons in order, each with its exercises.

    Args:
        lessons: a folder of lesson files (``*.toml``); None for the built-in
            course. A folder is read afresh on every call; a file in it that
            does not load is skipped with a :class:`LessonsWarning`.

    Returns:
        ``{"schema_version", "lessons", "skipped"}``, each lesson ``{"id",
        "title", "order", "summary", "exercises"}`` and each exercise
        ``{"id", "kind", "title"}`` with ``id`` as ``"LESSON/EXERCISE"``;
        ``skipped`` lists the files that did not load, each ``{"file",
        "line", "column", "message"}`` (also warned about).

    Raises:
        LessonsError: the folder is not there, or no lesson in it loads.
    """
    return _nabla.lessons(_path(lessons))


def exercise(
    id: str,
    seed: Optional[int] = None,
    lessons: Optional[_Path] = None,
) -> Dict[str, Any]:
    """One instance of an exercise: what to show the student.

    The same id and seed always give the same instance (sizes, names,
    numbers), so an autograder stores only the seed.

    Args:
        id: the exercise, ``"LESSON/EXERCISE"`` (see :func:`lessons`).
        seed: which instance; None for the default one.
        lessons: a lessons folder, or None for the built-in course.

    Returns:
        ``{"schema_version", "id", "lesson", "kind", "title", "prompt",
        "given", "hints", "seed"}`` and, where the exercise kind has them,
        ``"f"``, ``"wrt"``, ``"values"``, ``"choices"``, ``"expected_shape"``,
        ``"forward"``, ``"steps"``.

    Raises:
        UnknownExercise: no exercise with this id.
        InvalidExercise: the exercise cannot give an instance.
        LessonsError: the lessons folder is not there or has no lesson.
        UsageError: ``seed`` is negative or above 2**64 - 1.
    """
    return _nabla.exercise(id, seed, _path(lessons))


def grade(
    id: str,
    seed: Optional[int],
    answer: str,
    lessons: Optional[_Path] = None,
    step: Optional[int] = None,
) -> Dict[str, Any]:
    """Grade an answer to the instance :func:`exercise` gives for ``id`` and
    ``seed``.

    Args:
        id: the exercise, ``"LESSON/EXERCISE"``.
        seed: the instance's seed, as given to :func:`exercise` (None for the
            default one).
        answer: the student's answer (an expression; numbers as
            ``[1, 2; 3, 4]``; a choice's number).
        lessons: a lessons folder, or None for the built-in course.
        step: for a backprop exercise, which step to grade, from 1.

    Returns:
        The fields of :func:`check`, plus ``"feedback"`` (with
        ``diagnosis: "known_mistake"``) when a known mistake of the lesson
        matched, and ``"wrong_entries"`` (1-based ``[row, column]``) for
        numbers. ``expected_shape`` is None for a choice exercise.

    Raises:
        UnknownExercise: no exercise with this id.
        InvalidExercise: the exercise cannot serve this request (a backprop
            exercise without ``step``, a step it does not have).
        LessonsError: the lessons folder is not there or has no lesson.
        UsageError: ``seed`` or ``step`` is out of range.
    """
    return _nabla.grade(id, seed, answer, _path(lessons), step)


def _path(p: Optional[_Path]) -> Optional[str]:
    return None if p is None else os.fspath(p)
