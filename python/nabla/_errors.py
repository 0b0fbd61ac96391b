"""The exceptions of nabla: one class per failure kind of the JSON contract.

A *failure* is a call that could not run (docs/json.md, "Results and
failures"): a problem that is not one, an unknown exercise, a lessons folder
that is not there. A wrong or unreadable *answer* is not a failure: it is a
result, a dict with its verdict.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

SCHEMA_VERSION = 1


class Error(Exception):
    """A nabla call that could not run.

    Attributes:
        kind: the contract's ``error.kind`` (``"invalid_problem"``, ...).
        message: one or two sentences for a person (also ``str(error)``).
        location: where in the input, ``{"input": "f", "span": [start, end]}``
            (``span`` in characters of that input, end excluded), or None.
    """

    kind: str
    message: str
    location: Optional[Dict[str, Any]]

    def __init__(
        self,
        kind: str,
        message: str,
        location: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, message={self.message!r}, location={self.location!r})"

    def __reduce__(self):  # type: ignore[override]
        # Pickled with its three fields (multiprocessing pools send
        # exceptions back to the parent this way).
        return (type(self), (self.kind, self.message, self.location))

    def to_dict(self) -> Dict[str, Any]:
        """The contract's failure object, as ``nabla ... --json`` prints it:
        ``{"schema_version": 1, "error": {"kind", "message", "location"?}}``."""
        error: Dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.location is not None:
            error["location"] = self.location
        return {"schema_version": SCHEMA_VERSION, "error": error}


class UsageError(Error):
    """An argument is out of range or not one of the allowed values
    (``layout="sideways"``, a negative seed, ``trials=0``): kind ``usage``."""


class InvalidProblem(Error):
    """``check``/``derive``: F does not parse or is ill-shaped, X is not
    declared, a declaration is bad, the derivative is unsupported, or F has
    no usable instance: kind ``invalid_problem``."""


class InvalidDeclarations(Error):
    """``parse``: the declarations (``given``) do not parse: kind
    ``invalid_declarations``."""


class UnknownExercise(Error):
    """``exercise``/``grade``: no exercise with this id: kind
    ``unknown_exercise``."""


class InvalidExercise(Error):
    """``exercise``/``grade``: the exercise cannot serve this request (a step
    it does not have, a step missing for a backprop exercise): kind
    ``invalid_exercise``."""


class LessonsError(Error):
    """The ``lessons`` folder is not there, or no lesson in it loads: kind
    ``lessons``."""


class InternalError(Error):
    """nabla's engine failed (a bug, caught before it could end the
    interpreter): kind ``internal``. Not one of the command line's kinds."""


class LessonsWarning(UserWarning):
    """A lesson file of the ``lessons`` folder did not load; the others are
    used (``nabla lint`` lists every error)."""


# Shown as nabla.InvalidProblem (not nabla._errors.InvalidProblem) in
# tracebacks and reprs: nabla re-exports them all.
for _cls in (
    Error,
    UsageError,
    InvalidProblem,
    InvalidDeclarations,
    UnknownExercise,
    InvalidExercise,
    LessonsError,
    InternalError,
    LessonsWarning,
):
    _cls.__module__ = "nabla"
del _cls
