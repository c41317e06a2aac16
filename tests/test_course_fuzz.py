"""Fuzzing every check with hypothesis (issue 18): whatever a learner answers, a check returns a
verdict (passed / not yet / error) and never crashes, hangs or blames itself; the reference always
passes; a wrong type, an exception or a hostile object never passes; the cases are never altered.

The exercise sets are discovered from course/syllabus.py, so a new lesson's exercises are fuzzed
without editing this file.  The number of cases tried per category is recorded in each test's
user properties and printed at the end of the run (root conftest.py: "fuzzing: cases tried").
"""
from __future__ import annotations

import copy
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course.exercise import ERROR, NOT_YET, PASSED
from course.syllabus import lessons_with_exercises

EXERCISES = [(les.key, e) for les in lessons_with_exercises() for e in les.exercises().exercises]
EXAMPLES = 20  # per exercise and category: about 20 s for the whole file on this machine (noisy)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,  # the same cases every run
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

_NUMBERS = (st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**6, 10**6)
            | hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
                         elements=st.floats(allow_nan=True, allow_infinity=True)))
_OTHER_TYPES = (st.none() | st.booleans() | st.text(max_size=8) | st.complex_numbers(allow_nan=False)
                | st.lists(st.floats(), max_size=3).map(tuple) | st.dictionaries(st.text(max_size=2), st.floats(), max_size=2)
                | st.just(Ellipsis).map(lambda _: [Ellipsis]) | st.just(print) | st.just(object())
                | hnp.arrays(st.sampled_from([np.bool_, np.complex128, object, "U3"]), hnp.array_shapes(max_dims=2, max_side=3)))
_EXCEPTIONS = st.sampled_from([ValueError, TypeError, ZeroDivisionError, KeyError, IndexError, RuntimeError,
                               RecursionError, OverflowError, AttributeError, SystemExit, AssertionError])


def _hostile(kind: str, payload: float):
    """An object that breaks one conversion a check might attempt."""
    def boom(self, *a, **k):
        raise RuntimeError(f"hostile {kind}")

    attrs = {"__repr__": (boom if kind == "repr" else (lambda self: "<hostile>"))}
    if kind == "array":
        attrs["__array__"] = boom
    elif kind == "float":
        attrs.update(__float__=boom, __array__=lambda self, *a, **k: np.asarray(payload))
    elif kind == "len":
        attrs.update(__len__=lambda self: -1, __getitem__=lambda self, i: payload)
    elif kind == "eq":
        attrs.update(__eq__=boom, __bool__=boom, __array__=boom)
    elif kind == "subclass":
        return type("Sub", (np.ndarray,), {"__array_finalize__": boom, "__repr__": boom})
    return type("Hostile", (), attrs)()


_HOSTILE = st.builds(_hostile, st.sampled_from(["array", "repr", "float", "len", "eq", "subclass"]),
                     st.floats(allow_nan=False, allow_infinity=False, width=32))


def _answer(exercise, make_output):
    """The learner's answer: a function returning ``make_output(case_index)``, or the value itself."""
    if exercise.kind == "value":
        return make_output(0)
    calls = {"n": 0}

    def learner(*args):
        i = calls["n"] % len(exercise.cases)
        calls["n"] += 1
        return make_output(i)

    return learner


def _verdict_is_sane(result, exercise):
    assert result.exercise == exercise.id
    assert result.status in (PASSED, NOT_YET, ERROR), result
    assert isinstance(result.message, str) and "internal error in the check" not in result.message, result
    assert "Traceback" not in result.message


@pytest.mark.parametrize("lesson_key, exercise", EXERCISES, ids=[f"{k}-{e.id}" for k, e in EXERCISES])
def test_every_check_gives_a_verdict_for_any_answer(lesson_key, exercise, record_property):
    counts = Counter()
    cases_before = copy.deepcopy(exercise.cases)
    # a rubric criterion's reference is a whole project run: judged by its bound, it needs only the shape
    expected = exercise.expected() if exercise.criterion is None else [np.asarray(0.0)]

    @FUZZ
    @given(value=_NUMBERS)
    def numbers(value):
        counts["numbers and arrays"] += 1
        result = exercise.evaluate(_answer(exercise, lambda i: value))
        _verdict_is_sane(result, exercise)
        if result.status == PASSED and exercise.criterion is not None:   # a rubric criterion: its bound is met
            assert exercise.criterion.met(np.ravel(np.asarray(value, dtype=float))[0])
        elif result.status == PASSED and exercise.measured is not None:  # an open question: inside the range
            low, high = exercise.measured()
            assert np.size(value) == 1 and low <= float(np.ravel(np.asarray(value, dtype=float))[0]) <= high
        elif result.status == PASSED:  # only if the numbers really are the expected ones
            assert all(np.allclose(np.asarray(value, dtype=float), e, rtol=exercise.rtol, atol=exercise.atol)
                       for e in expected)

    @FUZZ
    @given(data=st.data())
    def shaped(data):
        counts["expected shape, random values"] += 1
        outs = [data.draw(hnp.arrays(np.float64, e.shape, elements=st.floats(-1e6, 1e6) | st.just(np.nan)))
                for e in expected]
        result = exercise.evaluate(_answer(exercise, lambda i: outs[i] if np.ndim(outs[i]) else float(outs[i])))
        _verdict_is_sane(result, exercise)
        assert result.status != ERROR  # plain numbers of the right shape are judged, not an error
        if result.status == PASSED and exercise.criterion is not None:   # a rubric criterion: its bound is met
            assert all(exercise.criterion.met(o) for o in outs)
        elif result.status == PASSED and exercise.measured is not None:   # an open question: inside its range
            low, high = exercise.measured()
            assert all(low <= float(o) <= high for o in outs)
        elif result.status == PASSED:
            assert all(np.allclose(o, e, rtol=exercise.rtol, atol=exercise.atol) for o, e in zip(outs, expected))

    @FUZZ
    @given(value=_OTHER_TYPES)
    def other_types(value):
        counts["other types"] += 1
        result = exercise.evaluate(_answer(exercise, lambda i: value))
        _verdict_is_sane(result, exercise)
        if result.status == PASSED and exercise.criterion is not None:
            # a rubric criterion passes any equivalent form of a number meeting its bound, e.g. (0.125,)
            assert exercise.criterion.met(np.asarray(value, dtype=float).ravel()[0])
        else:
            assert result.status != PASSED

    @FUZZ
    @given(exc=_EXCEPTIONS, text=st.text(max_size=20))
    def raising(exc, text):
        if exercise.kind == "value":
            return  # a value cannot raise; its conversion can (hostile objects)
        counts["raises"] += 1

        def learner(*args):
            raise exc(text)

        result = exercise.evaluate(learner)
        _verdict_is_sane(result, exercise)
        assert result.status == ERROR and exc.__name__ in result.message

    @FUZZ
    @given(obj=_HOSTILE)
    def hostile(obj):
        counts["hostile objects"] += 1
        result = exercise.evaluate(_answer(exercise, lambda i: obj))
        _verdict_is_sane(result, exercise)
        if result.status == PASSED and exercise.criterion is not None:
            # a rubric criterion passes any number meeting its bound: the one the object converts to must
            assert exercise.criterion.met(np.asarray(obj, dtype=float).ravel()[0])
        else:
            assert result.status != PASSED

    @FUZZ
    @given(scale=st.floats(-1e-12, 1e-12), mutate=st.booleans())
    def reference(scale, mutate):
        counts["the reference, rounded and mutating its arguments"] += 1
        if exercise.kind == "value":
            answer = float(np.asarray(exercise.reference()) * (1 + scale))
        else:
            def answer(*args):
                out = np.asarray(exercise.reference(*args), dtype=float) * (1 + scale)
                if mutate:  # a learner who scribbles on the arrays passed in must not change the cases
                    for a in args:
                        if isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.size:
                            a[...] = -7.0
                return out
        result = exercise.evaluate(answer)
        _verdict_is_sane(result, exercise)
        assert result.status == PASSED, result

    for run in (numbers, shaped, other_types, raising, hostile, reference):
        run()
    for before, after in zip(cases_before, exercise.cases):
        for a, b in zip(before, after):
            assert type(a) is type(b) and (np.array_equal(a, b) if isinstance(a, np.ndarray) else True)
    record_property("fuzz_cases", dict(counts))
