"""Type stubs of nabla. The results are plain dicts at run time; the
TypedDicts below name their fields (docs/json.md, the JSON contract)."""

import os
from typing import Any, Dict, List, Optional, Tuple, Union

from typing_extensions import NotRequired, TypedDict

_Path = Union[str, os.PathLike[str]]

SCHEMA_VERSION: int
__version__: str

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

# --- Results -----------------------------------------------------------------

class Location(TypedDict):
    """Where in an input: ``"f"``, ``"wrt"``, ``"given"``, ``"answer"`` or
    ``"expr"``, and ``[start, end)`` in characters of it."""

    input: str
    span: List[int]

class ExprError(TypedDict):
    """Why an expression (or an answer) did not read."""

    kind: str  # "syntax", "name", "shape", "declaration", "undefined"
    message: str
    span: List[int]
    location: Location

class ParseResult(TypedDict):
    schema_version: int
    read_as: Optional[str]
    shape: Optional[str]
    error: NotRequired[ExprError]

class CheckResult(TypedDict):
    schema_version: int
    verdict: str  # "correct", "incorrect", "wrong_shape", "invalid_answer"
    message: str
    expected_shape: Optional[str]
    answer_shape: Optional[str]
    read_as: Optional[str]
    diagnosis: Optional[str]
    scale: NotRequired[float]
    error: NotRequired[ExprError]
    trials: int
    max_rel_error: Optional[float]

class GradeResult(CheckResult):
    feedback: NotRequired[str]
    wrong_entries: NotRequired[List[List[int]]]

class DeriveResult(TypedDict):
    schema_version: int
    derivative: str
    shape: str
    steps: NotRequired[List[str]]

class ExerciseSummary(TypedDict):
    id: str
    kind: str
    title: str

class LessonSummary(TypedDict):
    id: str
    title: str
    order: int
    summary: Optional[str]
    exercises: List[ExerciseSummary]

class LessonsResult(TypedDict):
    schema_version: int
    lessons: List[LessonSummary]

class BackpropStep(TypedDict):
    wrt: str
    prompt: str
    expected_shape: str

class ExerciseResult(TypedDict):
    schema_version: int
    id: str
    lesson: str
    kind: str
    title: str
    prompt: str
    given: Dict[str, str]
    f: NotRequired[str]
    wrt: NotRequired[str]
    values: NotRequired[Dict[str, List[List[float]]]]
    choices: NotRequired[List[str]]
    expected_shape: NotRequired[str]
    forward: NotRequired[List[str]]
    steps: NotRequired[List[BackpropStep]]
    hints: int
    seed: int

# --- Failures ----------------------------------------------------------------

class Error(Exception):
    """A nabla call that could not run."""

    kind: str
    message: str
    location: Optional[Location]
    def __init__(
        self, kind: str, message: str, location: Optional[Location] = None
    ) -> None: ...
    def __reduce__(self) -> Tuple[Any, Tuple[str, str, Optional[Location]]]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class UsageError(Error): ...
class InvalidProblem(Error): ...
class InvalidDeclarations(Error): ...
class UnknownExercise(Error): ...
class InvalidExercise(Error): ...
class LessonsError(Error): ...
class InternalError(Error): ...
class LessonsWarning(UserWarning): ...

# --- Functions ---------------------------------------------------------------

def parse(expr: str, given: Optional[str] = None) -> ParseResult:
    """Read an expression back and give its shape."""

def check(
    f: str,
    wrt: Optional[str],
    given: str,
    answer: str,
    layout: str = "numerator",
    seed: Optional[int] = None,
    trials: Optional[int] = None,
) -> CheckResult:
    """Grade ``answer`` as the derivative of ``f`` by ``wrt``."""

def derive(
    f: str,
    wrt: Optional[str],
    given: str,
    steps: bool = False,
    layout: str = "numerator",
) -> DeriveResult:
    """Work out the derivative of ``f`` by ``wrt``, simplified."""

def lessons(lessons: Optional[_Path] = None) -> LessonsResult:
    """The course: its lessons in order, each with its exercises."""

def exercise(
    id: str, seed: Optional[int] = None, lessons: Optional[_Path] = None
) -> ExerciseResult:
    """One instance of an exercise: what to show the student."""

def grade(
    id: str,
    seed: Optional[int],
    answer: str,
    lessons: Optional[_Path] = None,
    step: Optional[int] = None,
) -> GradeResult:
    """Grade an answer to the instance :func:`exercise` gives for ``id`` and
    ``seed``."""
