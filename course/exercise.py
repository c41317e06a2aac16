"""Exercises: a stub, a reference, known mistakes with diagnoses, hints, and a check that never crashes.

An :class:`Exercise` asks for either a function (``kind="function"``: the check calls it on
``cases`` and compares with ``reference``) or a value (``kind="value"``: compared with
``reference()``).  Each :class:`Mistake` implements a typical wrong answer; when the learner's
answer matches a mistake's output on every case, the learner gets that mistake's diagnosis instead
of a bare "wrong".  Numbers are compared with ``numpy.allclose(rtol, atol)`` (default rtol 1e-6: tight
enough that a simulation one time step off does not pass); ``alternatives`` lists other answers the task
promises to accept (e.g. either ``ddof`` of a standard deviation), so tolerances never need loosening for them.
An open question (``measured``) accepts any value inside a range measured by running the experiment over
seeds. A rubric criterion (``criterion``, a :class:`Criterion`: a project's measured number against a public
bound, e.g. "error after 2000 samples < 0.1") passes any value meeting the bound, and its verdict always states
the learner's own number and the bound, passed or not ("error after 2000 samples 0.08, criterion < 0.1: passed"),
so a teacher can grade a project from ``course check``'s output.

A wrong answer never gets the expected value back.  When no listed mistake matches,
:func:`course.diagnose.diagnose` explains the relation between the answer and the expected one (units,
sign, factor 2, reciprocal, a missing additive term from ``terms``, other parameter values from ``params``,
one time step off for the ``steps`` counted in ``dt``), or says in which direction and how far it is off.
Equivalent forms pass: a one-element array or list for a number, a list for an array, float32, numpy scalars.

Verdicts (:class:`CheckResult`): "passed", "not yet" (unsolved stub, wrong answer, wrong type,
shape or NaN) and "error" (the learner's code raised or ran past the time limit).
"""
from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from course.diagnose import Candidate, diagnose, scale_candidates
from course.safe_call import DEFAULT_TIMEOUT, call_safely, convert_safely, short_repr as _short

__all__ = ["Mistake", "Exercise", "CheckResult", "Criterion", "PASSED", "NOT_YET", "ERROR", "measured_range"]

PASSED, NOT_YET, ERROR = "passed", "not yet", "error"
_SYMBOL = {PASSED: "\u2714", NOT_YET: "\u2718", ERROR: "\u26a0"}


def measured_range(experiment: Callable[[int], float], seeds=range(24), widen: float = 5.0) -> tuple[float, float]:
    """The range an open question accepts: mean +- ``widen`` standard deviations of ``experiment(seed)``
    over ``seeds`` (measured, never typed in; tests check that unseen seeds land inside and wrong
    experiments outside). Cache the result in the lesson module: it runs the experiment len(seeds) times."""
    xs = np.array([float(experiment(s)) for s in seeds])
    mean, sd = float(xs.mean()), float(xs.std(ddof=1))
    return mean - widen * sd, mean + widen * sd


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: ``impl`` has the reference's signature (or, for a value exercise,
    takes no argument) and returns what the mistaken learner would get; ``diagnosis`` tells them."""

    name: str
    impl: Callable
    diagnosis: str


@dataclass(frozen=True)
class Criterion:
    """A rubric criterion on a measured number: ``what`` is measured (``"error after 2000 samples"``) and the
    bound it must meet, ``below`` and/or ``above`` (strict). The bound is public (it is the rubric), so the
    verdict states it together with the learner's number; ``fmt`` formats both."""

    what: str
    below: float | None = None
    above: float | None = None
    fmt: str = "{:.3g}"

    def __post_init__(self):
        if self.below is None and self.above is None:
            raise ValueError(f"Criterion {self.what!r}: give a bound, below= and/or above=")
        if self.below is not None and self.above is not None and not self.above < self.below:
            raise ValueError(f"Criterion {self.what!r}: above ({self.above}) must be less than below ({self.below})")

    def met(self, value) -> bool:
        """True if ``value`` (a finite number) meets the bound(s)."""
        x = float(value)
        return bool(np.isfinite(x) and (self.below is None or x < self.below)
                    and (self.above is None or x > self.above))

    def bound(self) -> str:
        """The bound as text: "< 0.1", "> 2" or "between 0.5 and 2"."""
        f = self.fmt.format
        if self.below is not None and self.above is not None:
            return f"between {f(self.above)} and {f(self.below)}"
        return f"< {f(self.below)}" if self.below is not None else f"> {f(self.above)}"

    def report(self, value, status: str) -> str:
        """The rubric line: "<what> <value>, criterion <bound>: <status>"."""
        return f"{self.what} {self.fmt.format(float(value))}, criterion {self.bound()}: {status}"


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
        said = self.message.startswith(self.status) or (", criterion " in self.message  # a rubric line says it
                                                          and f": {self.status}" in self.message)
        if said:  # "not yet solved: ..." and a criterion's report already say it
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
    alternatives : list of callable
        Other correct answers the prompt promises to accept (same signature as ``reference``).
    terms : dict
        ``{description: callable}``: additive terms of the answer (same signature as ``reference``),
        for the "missing term" and "term counted twice" diagnoses.
    params : dict
        ``{argument name: description}``: scalar arguments (or, for a value exercise, keyword defaults of
        ``reference``) whose other values are tried: 0, 1000x, 1/1000x, swapped with another declared one.
    dt : str or None
        Name of the time-step argument (or ``reference`` default); with ``steps`` (names of durations that
        a simulation counts in whole steps) the reference is tried one step longer and shorter.
    measured : callable or None
        Open question: ``measured() -> (low, high)``, the range of the experiment's result over seeds
        (computed when first needed, cached by the lesson module); any value inside passes. A mistake's
        ``impl`` may then return a ``(low, high)`` pair: a wrong experiment's range.
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
    alternatives: list = field(default_factory=list)
    terms: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    dt: str | None = None
    steps: tuple = ()
    measured: Callable | None = None
    criterion: Criterion | None = None

    def __post_init__(self):
        if not isinstance(self.points, int) or isinstance(self.points, bool) or self.points < 1:
            raise ValueError(f"Exercise {self.id!r}: points must be a positive whole number, got {self.points!r}")
        if self.kind not in ("function", "value"):
            raise ValueError(f"Exercise {self.id!r}: kind must be 'function' or 'value', got {self.kind!r}")
        if not self.id.isidentifier():
            raise ValueError(f"Exercise id must be a Python identifier, got {self.id!r}")
        if self.measured is not None and self.kind != "value":
            raise ValueError(f"Exercise {self.id!r}: a measured range needs kind='value'")
        if self.criterion is not None and (self.kind != "value" or self.measured is not None):
            raise ValueError(f"Exercise {self.id!r}: a rubric criterion needs kind='value' and no measured range")
        names = set(inspect.signature(self.reference).parameters)
        unknown = (set(self.params) | set(self.steps) | ({self.dt} if self.dt else set())) - names
        if unknown:
            raise ValueError(f"Exercise {self.id!r}: params/steps/dt name {sorted(unknown)}, which are not "
                             f"parameters of its reference {sorted(names)}")
        if self.steps and not self.dt:
            raise ValueError(f"Exercise {self.id!r}: steps {self.steps} need dt (the time-step parameter)")

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
    def _quiet(fn, *args, **kwargs):
        """Evaluate a reference/mistake without numpy warnings (mistakes produce NaN on purpose); keyword
        arguments reach a reference's keyword-only parameters when a diagnosis tries other values of them."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(fn(*args, **kwargs), dtype=float)

    def expected(self) -> list[np.ndarray]:
        """The correct outputs, one array per case."""
        return [self._quiet(self.reference, *c) for c in self.cases]

    def mistake_answer(self, mistake: Mistake):
        """What a learner making ``mistake`` would submit: the function itself, the value, or for an open
        question whose mistake is a range, the middle of that range."""
        if self.kind == "function":
            return mistake.impl
        value = mistake.impl()
        if self._ranged and np.shape(value) == (2,):
            return float(np.mean(value))
        return value

    def mistake_outputs(self, mistake: Mistake) -> list[np.ndarray]:
        """What ``mistake`` returns, one array per case."""
        return [self._quiet(mistake.impl, *c) for c in self.cases]

    def _bound(self, i: int) -> inspect.BoundArguments:
        """The arguments of case ``i`` by name, defaults included (a value exercise: the defaults)."""
        b = inspect.signature(self.reference).bind(*self.cases[i])
        b.apply_defaults()
        return b

    def _reference_with(self, changes: dict) -> list[np.ndarray] | None:
        """The reference's outputs with some arguments changed (``{name: function of the old value}``);
        None where an argument is not a finite number (arrays of drives are not rescaled)."""
        outs = []
        for i in range(len(self.cases)):
            b = self._bound(i)
            for name, change in changes.items():
                old = b.arguments[name]
                if isinstance(old, (bool, np.bool_)) or not isinstance(old, (int, float, np.number)) \
                        or not np.isfinite(old):
                    return None
                b.arguments[name] = change(old, b.arguments)
            try:
                outs.append(self._quiet(self.reference, *b.args, **b.kwargs))
            except Exception:  # noqa: BLE001 - an altered parameter may be outside the reference's domain
                return None
        return outs

    def relation_candidates(self):
        """Declared relations (terms, parameters, one step off) first, then scale/sign/reciprocal; a generator,
        so the reference is only re-run with other parameters when no earlier relation explained the answer."""
        exp = self.expected()
        for name, fn in self.terms.items():
            term = [self._quiet(fn, *c) for c in self.cases]
            yield Candidate([e - t for e, t in zip(exp, term)],
                            f"your answer lacks {name}: everything else looks right.")
            yield Candidate([e + t for e, t in zip(exp, term)],
                            f"your answer counts {name} twice (or adds it where it does not belong).")
        p = list(self.params)
        for k, name in enumerate(p):
            what = self.params[name]
            for change, text in (
                    (lambda x, a: 0.0, f"your answer is what you get with {name} = 0: is {what} in your calculation?"),
                    (lambda x, a: x * 1e3, f"your answer is what you get with {name} 1000 times larger: is {what} "
                                           "converted to the wrong unit (e.g. ms where the task uses s)?"),
                    (lambda x, a: x / 1e3, f"your answer is what you get with {name} 1000 times smaller: is {what} "
                                           "converted to the wrong unit (e.g. s where the task uses ms)?")):
                out = self._reference_with({name: change})
                if out is not None:
                    yield Candidate(out, text)
            for other in p[k + 1:]:
                out = self._swapped(name, other)
                if out is not None:
                    yield Candidate(out, f"your answer is what you get with {name} and {other} swapped: "
                                         f"{self.params[name]} and {self.params[other]} play different "
                                         "parts in the formula.")
        for name in self.steps:
            for sign, text in ((1, "one time step too long"), (-1, "one time step too short")):
                out = self._reference_with({name: lambda x, a, s=sign: x + s * a[self.dt]})
                if out is not None:
                    yield Candidate(out, f"your {name} lasts {text}: a simulation counts it in whole "
                                         f"steps of dt, round({name} / dt) of them; check where your counter "
                                         "starts and stops (and that subtracting dt repeatedly from a float "
                                         "does not leave a tiny remainder).")
        yield from scale_candidates(exp)

    def _swapped(self, a_name: str, b_name: str) -> list[np.ndarray] | None:
        outs = []
        for i in range(len(self.cases)):
            b = self._bound(i)
            x, y = b.arguments[a_name], b.arguments[b_name]
            if not all(isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)) for v in (x, y)) \
                    or x == y:
                return None
            b.arguments[a_name], b.arguments[b_name] = y, x
            try:
                outs.append(self._quiet(self.reference, *b.args, **b.kwargs))
            except Exception:  # noqa: BLE001
                return None
        return outs

    # -- checking ---------------------------------------------------------------------------
    def _subject(self) -> str:
        return "your function returned" if self.kind == "function" else f"{self.id} is"

    def _coerce(self, got, exp: np.ndarray, where: str, case: tuple = ()) -> tuple[np.ndarray | None, str]:
        """Turn one learner output into a float array of the expected shape, or explain why not.

        Equivalent forms are accepted: a one-element array or list where a number is expected (and a
        number where a one-element array is), lists and tuples for arrays, any integer or float dtype.
        """
        subject = self._subject()
        where = f" {where}" if where else ""
        if got is None:
            tip = "did you forget `return`?" if self.kind == "function" else f"assign a number to {self.id}."
            return None, f"{subject} None{where}: {tip}"
        if callable(got) and not isinstance(got, np.ndarray):
            return None, (f"{subject} a function{where}; expected a number. Did you mean to call it, "
                          "with parentheses and arguments?")
        if isinstance(got, (bool, np.bool_)):
            return None, f"{subject} {got} (a bool){where}; expected a number."
        try:
            arr = np.asarray(got)
        except Exception:  # noqa: BLE001 - a learner object may fail to convert in any way
            arr = np.asarray(None, dtype=object)
        if arr.dtype.kind == "b":
            return None, (f"{subject} an array of True/False values{where}; expected numbers. A comparison "
                          "such as u < p gives booleans: count them with np.sum or turn them into numbers.")
        if arr.dtype.kind == "c":
            return None, f"{subject} a complex number {_short(got)}{where}; expected a real number."
        if arr.dtype.kind not in "iuf":
            return None, (f"{subject} a {type(got).__name__} ({_short(got)}){where}; "
                          f"expected {'a number' if exp.ndim == 0 else 'a numpy array of numbers'}.")
        single = arr.dtype == np.float32
        arr = arr.astype(float)
        if single:  # float32 holds 7 digits: compare within its precision (see _passes), a marked copy
            arr = _Single(arr)
        if arr.shape != exp.shape and arr.size == 1 and exp.size == 1:
            arr = arr.reshape(exp.shape)  # [3.0] for 3.0 and 3.0 for [3.0]: the same answer
        if arr.shape != exp.shape:
            given, wanted = _kind_of(arr.shape), _kind_of(exp.shape)
            if self.kind == "function":
                return None, f"your function returned {given}{where}, expected {wanted}.{_shape_tip(arr, exp, case)}"
            return None, f"{self.id} should be {wanted}, not {given}{where}.{_shape_tip(arr, exp, case, False)}"
        return arr, ""

    def accepted(self) -> list[list[np.ndarray]]:
        """Every accepted answer: the reference's outputs, then each alternative's."""
        return [self.expected()] + [[self._quiet(alt, *c) for c in self.cases] for alt in self.alternatives]

    @property
    def _ranged(self) -> bool:
        """Judged against a range or bound (open question, rubric criterion), not one expected value."""
        return self.measured is not None or self.criterion is not None

    def _passes(self, got: list[np.ndarray]) -> bool:
        if self.criterion is not None:
            return self.criterion.met(got[0])
        if self.measured is not None:
            low, high = self.measured()
            return bool(low <= got[0] <= high)
        return any(all(np.allclose(g, e, rtol=_rtol_for(g, self.rtol), atol=self.atol) for g, e in zip(got, exp))
                   for exp in self.accepted())

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
        if self.criterion is not None:
            expected = [np.asarray(0.0)]      # only its shape is used: a criterion is met or not, nothing expected
        else:
            expected = self.expected() if self.measured is None else [np.asarray(np.mean(self.measured()))]
        got = []
        for i, (v, e) in enumerate(zip(values, expected)):
            arr, problem = self._coerce(v, e, self._describe(i), self.cases[i])
            if arr is None:
                return CheckResult(self.id, NOT_YET, problem)
            got.append(arr)
        if self.criterion is not None:
            return self._judge_criterion(got[0])
        if self._passes(got):
            return CheckResult(self.id, PASSED)
        unstable = self._unstable(got)
        if unstable:
            return CheckResult(self.id, NOT_YET, unstable)
        for m in self.mistakes:
            if self._matches(got, self.mistake_outputs(m)):
                return CheckResult(self.id, NOT_YET, m.diagnosis)
        hint = f" Run ex.hint(\"{self.id}\") for a hint." if self.hints else ""
        for i, (g, e) in enumerate(zip(got, expected)):
            bad = ~np.isfinite(g) & np.isfinite(e)
            if bad.any():
                return CheckResult(self.id, NOT_YET, (
                    f"{self._subject()} {_short(g)}{(' ' + self._describe(i)) if self._describe(i) else ''}, "
                    "which contains NaN or inf where finite numbers are expected. Look for a division by zero or "
                    "a log of a negative number."))
        if self.measured is not None:
            return CheckResult(self.id, NOT_YET, self._outside_range(got[0]) + hint)
        return CheckResult(self.id, NOT_YET, diagnose(got, expected, self.relation_candidates(), self.rtol,
                                                      self.atol, self._describe, hint))

    def _judge_criterion(self, value: np.ndarray) -> CheckResult:
        """A rubric criterion's verdict: the learner's number and the bound, then (not met) a diagnosis."""
        c = self.criterion
        if np.isnan(float(value)):
            return CheckResult(self.id, NOT_YET, f"{self.id} is NaN: a measurement must be a number. Look for a "
                                                 "division by zero or an empty selection.")
        if np.isinf(float(value)):
            return CheckResult(self.id, NOT_YET, f"{c.report(value, NOT_YET)}. An infinite measurement means the "
                                                 "event never happened within the run: change the experiment.")
        if c.met(value):
            return CheckResult(self.id, PASSED, c.report(value, PASSED))
        for m in self.mistakes:
            if self._matches([value], self.mistake_outputs(m)):
                return CheckResult(self.id, NOT_YET, f"{c.report(value, NOT_YET)}. {m.diagnosis}")
        hint = f" Run ex.hint(\"{self.id}\") for a hint." if self.hints else ""
        side = "above" if c.below is not None and float(value) >= c.below else "below"
        return CheckResult(self.id, NOT_YET, f"{c.report(value, NOT_YET)}. Your measurement lies {side} the "
                                             f"bound: check the experiment's settings against the task.{hint}")

    def _matches(self, got: list[np.ndarray], outs: list[np.ndarray]) -> bool:
        """``got`` equals a mistake's outputs (for an open question or a criterion: lies in a mistake's range)."""
        if self._ranged and outs[0].shape == (2,):
            return bool(outs[0][0] <= got[0] <= outs[0][1])
        return all(g.shape == o.shape and np.allclose(g, o, rtol=self.rtol, atol=self.atol, equal_nan=True)
                   for g, o in zip(got, outs))

    def _unstable(self, got: list[np.ndarray]) -> str:
        """Two identical cases with different outputs: something random is not seeded."""
        for i in range(len(self.cases)):
            for j in range(i + 1, len(self.cases)):
                if _short(self.cases[i]) == _short(self.cases[j]) and repr(self.cases[i]) == repr(self.cases[j]) \
                        and not np.allclose(got[i], got[j], rtol=1e-12, atol=0, equal_nan=True):
                    return (f"your function gave two different results {self._describe(i)}, called twice with "
                            "the same arguments: something random is not seeded. Pass the seed on, e.g. "
                            "snn.Network(seed=seed) or np.random.default_rng(seed).")
        return ""

    def _outside_range(self, value: np.ndarray) -> str:
        """Where a measured value lies relative to the accepted range (never the range itself)."""
        low, high = self.measured()
        x = float(value)
        for factor, unit in ((1e3, "1000 times"), (1e-3, "1000 times")):
            if low * factor <= x <= high * factor:
                size = "larger" if factor > 1 else "smaller"
                return (f"{self.id} is about {unit} {size} than the experiment gives: a unit slip "
                        "(ms against s, Hz against kHz)?")
        if low <= -x <= high:
            return f"{self.id} has the wrong sign; its size is in the range the experiment gives."
        side = "above" if x > high else "below"
        if (x > 0 and x > 2 * high > 0) or (0 < x < 0.5 * low):
            side = "well " + side
        return (f"{self.id} = {_short(x)} lies {side} the range the experiment gives for any seed. "
                "Check the parameters against the task, that the run is long enough, and the units.")


class _Single(np.ndarray):
    """A float64 copy of a float32 answer, marked so the comparison allows float32's rounding."""

    def __new__(cls, arr):
        return np.asarray(arr, dtype=float).view(cls)


_FLOAT32_RTOL = 8 * float(np.finfo(np.float32).eps)  # ~1e-6: a float32 computation's rounding, not a mistake


def _rtol_for(got: np.ndarray, rtol: float) -> float:
    """The exercise's rtol, or float32's precision for a float32 answer (an equivalent form must pass)."""
    return max(rtol, _FLOAT32_RTOL) if isinstance(got, _Single) else rtol


def _kind_of(shape: tuple) -> str:
    """A shape as a learner reads it: "a single number (a scalar)", "an array of 3 values", "an array of shape
    (3, 1)" (a shape, never a value: the expected one is described this way too)."""
    if not shape:
        return "a single number (a scalar)"
    if len(shape) == 1:
        return f"an array of {shape[0]} value{'' if shape[0] == 1 else 's'}"
    return f"an array of shape {shape}"


def _shape_tip(arr: np.ndarray, exp: np.ndarray, case: tuple, elementwise: bool = True) -> str:
    """Why a shape may be wrong: a scalar from math functions (``elementwise``: a function's answer), a transpose,
    a reduction on the wrong axis."""
    if elementwise and exp.ndim > 0 and arr.ndim == 0:
        return (" It must work element-wise on an array input: use numpy operations "
                "(np.exp, np.where) rather than math.exp or `if`.")
    if arr.ndim == 2 and arr.shape == exp.shape[::-1]:
        return " Rows and columns are swapped: transposed?"
    for a in case:
        shape = np.shape(a) if isinstance(a, (np.ndarray, list)) else ()
        if len(shape) >= 2 and arr.ndim == exp.ndim == len(shape) - 1 and arr.shape != exp.shape:
            axes = [k for k in range(len(shape)) if shape[:k] + shape[k + 1:] == arr.shape]
            if axes:
                return (f" Your array has the shape of the input {shape} reduced over axis {axes[0]}: "
                        "sum or average over the other axis.")
    if arr.size == exp.size:
        return " Same number of values, different shape: reshaped or flattened?"
    return ""
