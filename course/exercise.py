"""Exercises: a stub, a reference, known mistakes with diagnoses, hints, and a check that never crashes.

An :class:`Exercise` asks for either a function (``kind="function"``: the check calls it on
``cases`` and compares with ``reference``) or a value (``kind="value"``: compared with
``reference()``).  Each :class:`Mistake` implements a typical wrong answer; when the learner's
answer matches a mistake's output on every case, the learner gets that mistake's diagnosis instead
of a bare "wrong".  Numbers are compared with ``numpy.allclose(rtol, atol)``.

Verdicts (:class:`CheckResult`): "passed", "not yet" (unsolved stub, wrong answer, wrong type,
shape or NaN) and "error" (the learner's code raised or ran past the time limit).
"""
from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from course.safe_call import DEFAULT_TIMEOUT, call_safely, convert_safely, short_repr as _short

__all__ = ["Mistake", "Exercise", "CheckResult", "PASSED", "NOT_YET", "ERROR"]

PASSED, NOT_YET, ERROR = "passed", "not yet", "error"
_SYMBOL = {PASSED: "\u2714", NOT_YET: "\u2718", ERROR: "\u26a0"}


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: ``impl`` has the reference's signature (or, for a value exercise,
    takes no argument) and returns what the mistaken learner would get; ``diagnosis`` tells them."""

    name: str
    impl: Callable
    diagnosis: str


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check: ``status`` in {"passed", "not yet", "error"}, the message, and
    ``unsolved`` (True when the answer is still the untouched stub)."""

    exercise: str
    status: str
    message: str = ""
    unsolved: bool = False

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __str__(self) -> str:
        head = f"{_SYMBOL[self.status]} {self.exercise}: "
        if self.message.startswith(self.status):  # "not yet solved: ..." already says it
            return head + self.message
        return head + self.status + (f". {self.message}" if self.message else ".")


@dataclass
class Exercise:
    """One exercise.

    Attributes
    ----------
    id : str
        Identifier and the learner's variable name (``euler_step``, ``J_100Hz``).
    title, prompt : str
        Heading and Markdown task text shown in the notebook.
    kind : str
        "function" or "value".
    reference : callable
        Correct answer, computed independently of the shown solution: ``reference(*case)``
        (function) or ``reference()`` (value).
    cases : list of tuples
        Arguments the check calls the learner's function with (``[()]`` for a value).
    mistakes : list of Mistake
    hints : list of str
        Shown one at a time, in order.
    todo : str
        The comment placed in the stub (``# TODO: ...``).
    stub : str or None
        Learner's starting code; None = derived from the solution (signature, docstring, ``...``).
    solution : str
        Reference solution code, filled from the lesson's solutions module.
    points : int
        Marks the exercise is worth when graded (nbgrader export, ``course export nbgrader``).
    rtol, atol : float
        Tolerances of the numerical comparison.
    """

    id: str
    title: str
    prompt: str
    reference: Callable
    kind: str = "function"
    cases: list = field(default_factory=lambda: [()])
    mistakes: list = field(default_factory=list)
    hints: list = field(default_factory=list)
    todo: str = "your code here"
    stub: str | None = None
    solution: str = ""
    points: int = 1
    rtol: float = 1e-6
    atol: float = 1e-12
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self):
        if not isinstance(self.points, int) or isinstance(self.points, bool) or self.points < 1:
            raise ValueError(f"Exercise {self.id!r}: points must be a positive whole number, got {self.points!r}")
        if self.kind not in ("function", "value"):
            raise ValueError(f"Exercise {self.id!r}: kind must be 'function' or 'value', got {self.kind!r}")
        if not self.id.isidentifier():
            raise ValueError(f"Exercise id must be a Python identifier, got {self.id!r}")

    @property
    def arg_names(self) -> list[str]:
        """Parameter names of the reference (used to describe cases in messages)."""
        if self.kind == "value":
            return []
        return list(inspect.signature(self.reference).parameters)

    def _describe(self, i: int) -> str:
        if self.kind == "value":
            return ""
        return "for " + ", ".join(f"{n}={_short(a)}" for n, a in zip(self.arg_names, self.cases[i]))

    @staticmethod
    def _quiet(fn, *args):
        """Evaluate a reference/mistake without numpy warnings (mistakes produce NaN on purpose)."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(fn(*args), dtype=float)

    def expected(self) -> list[np.ndarray]:
        """The correct outputs, one array per case."""
        return [self._quiet(self.reference, *c) for c in self.cases]

    def mistake_outputs(self, mistake: Mistake) -> list[np.ndarray]:
        """What ``mistake`` returns, one array per case."""
        return [self._quiet(mistake.impl, *c) for c in self.cases]

    # -- checking ---------------------------------------------------------------------------
    def _coerce(self, got, exp: np.ndarray, where: str) -> tuple[np.ndarray | None, str]:
        """Turn one learner output into a float array of the expected shape, or explain why not."""
        subject = "your function returned" if self.kind == "function" else f"{self.id} is"
        where = f" {where}" if where else ""
        if got is None:
            tip = "did you forget `return`?" if self.kind == "function" else f"assign a number to {self.id}."
            return None, f"{subject} None{where}: {tip}"
        if callable(got):
            return None, (f"{subject} a function{where}; expected a number. Did you mean to call it, "
                          "with parentheses and arguments?")
        if isinstance(got, (bool, np.bool_)):
            return None, f"{subject} {got} (a bool){where}; expected a number."
        try:
            arr = np.asarray(got)
        except Exception:  # noqa: BLE001 - a learner object may fail to convert in any way
            arr = np.asarray(None, dtype=object)
        if arr.dtype.kind == "c":
            return None, f"{subject} a complex number {_short(got)}{where}; expected a real number."
        if arr.dtype.kind not in "iuf":
            return None, (f"{subject} a {type(got).__name__} ({_short(got)}){where}; "
                          f"expected {'a number' if exp.ndim == 0 else 'a numpy array of numbers'}.")
        arr = arr.astype(float)
        if arr.shape != exp.shape:
            if exp.ndim > 0 and arr.ndim == 0:
                tip = (" It must work element-wise on an array input: use numpy operations "
                       "(np.exp, np.where) rather than math.exp or `if`.")
            else:
                tip = ""
            return None, f"{subject} shape {arr.shape}{where}, expected shape {exp.shape}.{tip}"
        return arr, ""

    def evaluate(self, answer: Any) -> CheckResult:
        """Check ``answer`` (the learner's function or value); never raises."""
        try:
            return self._evaluate(answer)
        except Exception as exc:  # noqa: BLE001 - a bug in a check must not look like the learner's
            return CheckResult(self.id, ERROR, f"internal error in the check ({type(exc).__name__}: {exc}); "
                                               "please report it to the course maintainers.")

    def _evaluate(self, answer: Any) -> CheckResult:
        if answer is Ellipsis:
            return CheckResult(self.id, NOT_YET, "not yet solved: replace `...` with your answer, "
                                                 "then run the cells again.", unsolved=True)
        if self.kind == "function":
            if not callable(answer):
                return CheckResult(self.id, NOT_YET, (
                    f"expected your function {self.id}, got {_short(answer)} ({type(answer).__name__}). "
                    f"Pass the function itself, without parentheses: check_{self.id}({self.id})."))
            outcome = call_safely(answer, self.cases, self.arg_names, self.timeout)
            if outcome.status == "stub":
                return CheckResult(self.id, NOT_YET, f"not yet solved: write the body of {self.id} "
                                                     "(replace the `...`), then run the cells again.",
                                   unsolved=True)
            if outcome.status in ("error", "timeout"):
                return CheckResult(self.id, ERROR, outcome.message)
            values = outcome.values
        else:
            outcome = convert_safely(answer, self.timeout)  # a learner object's conversion, under the limit
            if outcome.status != "ok":
                return CheckResult(self.id, ERROR, outcome.message)
            values = outcome.values
        expected = self.expected()
        got = []
        for i, (v, e) in enumerate(zip(values, expected)):
            arr, problem = self._coerce(v, e, self._describe(i))
            if arr is None:
                return CheckResult(self.id, NOT_YET, problem)
            got.append(arr)
        if all(np.allclose(g, e, rtol=self.rtol, atol=self.atol) for g, e in zip(got, expected)):
            return CheckResult(self.id, PASSED)
        for m in self.mistakes:
            outs = self.mistake_outputs(m)
            if all(np.allclose(g, o, rtol=self.rtol, atol=self.atol, equal_nan=True) for g, o in zip(got, outs)):
                return CheckResult(self.id, NOT_YET, m.diagnosis)
        subject = "your function returned" if self.kind == "function" else f"{self.id} is"
        for i, (g, e) in enumerate(zip(got, expected)):
            bad = ~np.isfinite(g) & np.isfinite(e)
            if bad.any():
                return CheckResult(self.id, NOT_YET, (
                    f"{subject} {_short(g)}{(' ' + self._describe(i)) if self._describe(i) else ''}, "
                    "which contains NaN or inf where "
                    f"{_short(e)} is expected. Look for a division by zero or a log of a negative number."))
        i = next(i for i, (g, e) in enumerate(zip(got, expected))
                 if not np.allclose(g, e, rtol=self.rtol, atol=self.atol))  # exists: not all passed
        where = f" {self._describe(i)}" if self.kind == "function" else ""
        return CheckResult(self.id, NOT_YET, f"{subject} {_short(got[i])}{where}; expected {_short(expected[i])}.")
