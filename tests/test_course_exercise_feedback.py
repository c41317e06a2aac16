"""The exact feedback a learner reads from course.exercise for each kind of wrong answer: wrong type, wrong
shape (with the tip for the likely cause), NaN, a measured value outside its range (unit slip, sign, how far),
a rubric criterion's line, and the messages of a badly declared exercise. Exact texts, so a changed word, a
lost tip or a swapped branch fails here (these tests were written to kill course/exercise.py's mutants)."""
from __future__ import annotations

import numpy as np
import pytest

from course.exercise import ERROR, NOT_YET, PASSED, CheckResult, Criterion, Exercise, Mistake, measured_range


def _square(x):
    return np.asarray(x, dtype=float) ** 2


def _square_ex(**kw):
    args = dict(id="square", title="", prompt="", reference=_square, cases=[(np.array([1.0, -2.0, 3.0]),)],
                hints=["x times x"], timeout=1.0)
    args.update(kw)
    return Exercise(**args)


def _value_ex(**kw):
    return Exercise(**{**dict(id="J_100Hz", kind="value", title="", prompt="", reference=lambda: 2.0), **kw})


def _returns_none(x):
    y = x  # noqa: F841 - a body that is not a stub, but forgets `return`
    return None


FOR = " for x=[1, -2, 3]"


@pytest.mark.parametrize("answer, message", [
    (_returns_none, f"your function returned None{FOR}: did you forget `return`?"),
    (lambda x: _square, f"your function returned a function{FOR}; expected a number. Did you mean to call it, "
                        "with parentheses and arguments?"),
    (lambda x: True, f"your function returned True (a bool){FOR}; expected a number."),
    (lambda x: x > 0, f"your function returned an array of True/False values{FOR}; expected numbers. A comparison "
                      "such as u < p gives booleans: count them with np.sum or turn them into numbers."),
    (lambda x: "s", f"your function returned a str ('s'){FOR}; expected a numpy array of numbers."),
    (lambda x: 1.0, f"your function returned a single number (a scalar){FOR}, expected an array of 3 values. It must work element-wise on an "
                    "array input: use numpy operations (np.exp, np.where) rather than math.exp or `if`."),
    (lambda x: (x ** 2)[:2], f"your function returned an array of 2 values{FOR}, expected an array of 3 values."),
    (lambda x: (x ** 2).reshape(3, 1), f"your function returned an array of shape (3, 1){FOR}, expected an array of 3 values. Same number "
                                       "of values, different shape: reshaped or flattened?"),
    (lambda x: np.where(x > 0, np.inf, x ** 2), f"your function returned [inf, 4, inf]{FOR}, which contains NaN or "
                                                "inf where finite numbers are expected. Look for a division by zero "
                                                "or a log of a negative number."),
    (3, "expected your function square, got 3 (int). Pass the function itself, without parentheses: "
        "check_square(square)."),
])
def test_a_wrong_type_or_shape_from_a_function_gets_its_exact_message(answer, message):
    r = _square_ex().evaluate(answer)
    assert (r.status, r.message) == (NOT_YET, message)


@pytest.mark.parametrize("reference, answer, message", [
    (lambda: 2.0, [1, 2], "J_100Hz should be a single number (a scalar), not an array of 2 values."),
    (lambda: 2.0, np.zeros((2, 3)), "J_100Hz should be a single number (a scalar), not an array of shape (2, 3)."),
    (lambda: np.arange(3.0), 5.0, "J_100Hz should be an array of 3 values, not a single number (a scalar)."),
    (lambda: np.arange(3.0), [1.0, 2.0], "J_100Hz should be an array of 3 values, not an array of 2 values."),
    (lambda: np.zeros((2, 3)), np.zeros((3, 2)),
     "J_100Hz should be an array of shape (2, 3), not an array of shape (3, 2). Rows and columns are swapped: "
     "transposed?"),
    (lambda: np.zeros(1), [1.0, 2.0], "J_100Hz should be an array of 1 value, not an array of 2 values."),
])
def test_a_value_of_the_wrong_shape_says_what_was_given_and_what_kind_of_value_is_wanted(reference, answer, message):
    """Named, in words a learner reads ("a single number (a scalar)", "an array of 2 values"), never the expected
    value; the element-wise tip of a function's answer is not given for a value."""
    r = _value_ex(reference=reference).evaluate(answer)
    assert (r.status, r.message) == (NOT_YET, message)


def test_a_complex_result_is_named_as_complex():
    r = _square_ex().evaluate(lambda x: x * 1j)
    assert r.status == NOT_YET
    assert r.message.startswith("your function returned a complex number array(")
    assert r.message.endswith(f"{FOR}; expected a real number.")


@pytest.mark.parametrize("answer, message", [
    (None, "J_100Hz is None: assign a number to J_100Hz."),
    (_square, "J_100Hz is a function; expected a number. Did you mean to call it, with parentheses and arguments?"),
    (True, "J_100Hz is True (a bool); expected a number."),
    (np.bool_(False), "J_100Hz is False (a bool); expected a number."),
    (1 + 2j, "J_100Hz is a complex number (1+2j); expected a real number."),
    ("abc", "J_100Hz is a str ('abc'); expected a number."),
    ({"a": 1}, "J_100Hz is a dict ({'a': 1}); expected a number."),
    ([1, 2], "J_100Hz should be a single number (a scalar), not an array of 2 values."),
    (..., "not yet solved: replace `...` with your answer, then run the cells again."),
])
def test_a_wrong_value_gets_its_exact_message(answer, message):
    r = _value_ex().evaluate(answer)
    assert (r.status, r.message) == (NOT_YET, message)
    assert r.unsolved == (answer is ...)


def test_the_hint_suffix_appears_only_when_the_exercise_has_hints():
    wrong = lambda x: x ** 2 * 1.3  # noqa: E731
    assert _square_ex().evaluate(wrong).message == 'your answer is about 30 % too high. Run ex.hint("square") for a hint.'
    assert _square_ex(hints=[]).evaluate(wrong).message == "your answer is about 30 % too high."


@pytest.mark.parametrize("value, message", [
    (9000.0, "rate is about 1000 times larger than the experiment gives: a unit slip (ms against s, Hz against kHz)?"),
    (0.009, "rate is about 1000 times smaller than the experiment gives: a unit slip (ms against s, Hz against kHz)?"),
    (-10.0, "rate has the wrong sign; its size is in the range the experiment gives."),
    (13.0, "rate = 13 lies above the range the experiment gives for any seed."),
    (24.0, "rate = 24 lies above the range the experiment gives for any seed."),        # 2 * high: not "well"
    (24.5, "rate = 24.5 lies well above the range the experiment gives for any seed."),
    (7.0, "rate = 7 lies below the range the experiment gives for any seed."),
    (4.0, "rate = 4 lies below the range the experiment gives for any seed."),          # low / 2: not "well"
    (3.5, "rate = 3.5 lies well below the range the experiment gives for any seed."),
    (-100.0, "rate = -100 lies below the range the experiment gives for any seed."),   # negative: never "well"
    (0.0, "rate = 0 lies below the range the experiment gives for any seed."),
])
def test_a_measured_value_outside_its_range_is_placed_never_revealing_the_range(value, message):
    e = _value_ex(id="rate", reference=lambda: 10.0, measured=lambda: (8.0, 12.0), hints=["h"])
    r = e.evaluate(value)
    tail = (" Check the parameters against the task, that the run is long enough, and the units."
            if " lies " in message else "")
    assert (r.status, r.message) == (NOT_YET, message + tail + ' Run ex.hint("rate") for a hint.')
    for inside in (8.0, 12.0, 10.0, [9.0]):  # both ends of the range are inside
        assert e.evaluate(inside).status == PASSED


def test_unit_slip_ranges_are_checked_at_their_ends():
    e = _value_ex(id="rate", reference=lambda: 10.0, measured=lambda: (8.0, 12.0))
    for x in (8000.0, 12000.0, 0.008, 0.012):
        assert "1000 times" in e.evaluate(x).message
    for x in (7999.0, 12001.0, 0.0079, 0.0121, 1e6):
        assert "1000 times" not in e.evaluate(x).message
    assert "wrong sign" in e.evaluate(-8.0).message and "wrong sign" in e.evaluate(-12.0).message
    assert "wrong sign" not in e.evaluate(-12.5).message


def test_a_measured_range_is_mean_plus_minus_widen_sample_standard_deviations():
    low, high = measured_range(lambda s: float(s), seeds=range(5), widen=2.0)
    sd = np.std([0, 1, 2, 3, 4], ddof=1)
    assert low == pytest.approx(2.0 - 2.0 * sd) and high == pytest.approx(2.0 + 2.0 * sd)
    low, high = measured_range(lambda s: 3.0 * s)              # defaults: seeds 0..23, 5 standard deviations
    sd = np.std(3.0 * np.arange(24), ddof=1)
    assert low == pytest.approx(34.5 - 5 * sd) and high == pytest.approx(34.5 + 5 * sd)


def test_a_range_mistake_is_answered_by_its_middle_and_matched_by_its_range():
    e = _value_ex(id="rate", reference=lambda: 10.0, measured=lambda: (8.0, 12.0),
                  mistakes=[Mistake("other", lambda: (40.0, 60.0), "that is the other experiment."),
                            Mistake("fixed", lambda: 100.0, "that is 100.")])
    assert e.mistake_answer(e.mistakes[0]) == 50.0 and e.mistake_answer(e.mistakes[1]) == 100.0
    for x in (40.0, 60.0, 45.0):
        assert e.evaluate(x).message == "that is the other experiment."
    assert e.evaluate(100.0).message == "that is 100."
    assert e.evaluate(61.0).message.startswith("rate = 61 lies well above")
    f = _square_ex()
    assert f.mistake_answer(Mistake("m", _square, "d")) is _square


@pytest.mark.parametrize("kw, bound, line", [
    (dict(below=0.1), "< 0.1", "err 0.05, criterion < 0.1: passed"),
    (dict(above=2.0), "> 2", "err 0.05, criterion > 2: passed"),
    (dict(below=2.0, above=0.5, fmt="{:.2f}"), "between 0.50 and 2.00", "err 0.05, criterion between 0.50 and 2.00: passed"),
])
def test_a_criterion_states_its_bound_and_the_learners_number(kw, bound, line):
    c = Criterion("err", **kw)
    assert c.bound() == bound and c.report(0.05, PASSED) == line


def test_criterion_bounds_are_strict_on_both_sides():
    c = Criterion("x", below=2.0, above=0.5)
    assert [c.met(v) for v in (0.5, 0.51, 1.99, 2.0, np.nan, np.inf)] == [False, True, True, False, False, False]
    assert Criterion("x", above=2.0).met(2.1) and not Criterion("x", above=2.0).met(2.0)
    assert not Criterion("x", above=2.0).met(np.inf) and Criterion("x", below=2.0).met(-1e300)


@pytest.mark.parametrize("kw, message", [
    (dict(), "Criterion 'w': give a bound, below= and/or above="),
    (dict(below=1, above=1), r"Criterion 'w': above \(1\) must be less than below \(1\)"),
    (dict(below=1, above=2), r"Criterion 'w': above \(2\) must be less than below \(1\)"),
])
def test_a_criterion_without_a_sensible_bound_is_refused(kw, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        Criterion("w", **kw)
    Criterion("w", below=1)           # one bound alone is fine
    Criterion("w", above=1)


@pytest.mark.parametrize("value, status, message", [
    (1.0, NOT_YET, "rate 1, criterion > 2: not yet. Your measurement lies below the bound: check the experiment's "
                   "settings against the task."),
    (2.0, NOT_YET, "rate 2, criterion > 2: not yet. Your measurement lies below the bound: check the experiment's "
                   "settings against the task."),
    (3.0, PASSED, "rate 3, criterion > 2: passed"),
    (np.inf, NOT_YET, "rate inf, criterion > 2: not yet. An infinite measurement means the event never happened "
                      "within the run: change the experiment."),
    (-np.inf, NOT_YET, "rate -inf, criterion > 2: not yet. An infinite measurement means the event never happened "
                       "within the run: change the experiment."),
    (np.nan, NOT_YET, "e is NaN: a measurement must be a number. Look for a division by zero or an empty selection."),
])
def test_a_criterion_verdict_gives_the_number_and_the_bound(value, status, message):
    e = _value_ex(id="e", reference=lambda: 1.0, criterion=Criterion("rate", above=2.0))
    r = e.evaluate(value)
    assert (r.status, r.message) == (status, message)
    head = {PASSED: "\u2714", NOT_YET: "\u2718"}[status] + " e: "
    assert str(r) == head + (message if value == value else "not yet. " + message)


def test_a_criterion_below_a_two_sided_bound_says_which_side_and_names_the_mistake():
    e = _value_ex(id="e", reference=lambda: 1.0, criterion=Criterion("rate", below=2.0, above=1.0), hints=["h"],
                  mistakes=[Mistake("ms", lambda: 1500.0, "milliseconds?")])
    side = lambda v: e.evaluate(v).message.split("lies ")[1].split(" the bound")[0]  # noqa: E731
    assert side(0.5) == "below" and side(1.0) == "below" and side(2.0) == "above" and side(3.0) == "above"
    assert e.evaluate(3.0).message.endswith('the task. Run ex.hint("e") for a hint.')
    assert e.evaluate(1500.0).message == "rate 1.5e+03, criterion between 1 and 2: not yet. milliseconds?"


@pytest.mark.parametrize("kw, message", [
    (dict(points=0), "Exercise 'sq': points must be a positive whole number, got 0"),
    (dict(points=True), "Exercise 'sq': points must be a positive whole number, got True"),
    (dict(points=1.0), "Exercise 'sq': points must be a positive whole number, got 1.0"),
    (dict(kind="x"), "Exercise 'sq': kind must be 'function' or 'value', got 'x'"),
    (dict(id="1a"), "Exercise id must be a Python identifier, got '1a'"),
    (dict(measured=lambda: (0, 1)), "Exercise 'sq': a measured range needs kind='value'"),
    (dict(kind="value", reference=lambda: 1.0, criterion=Criterion("a", below=1), measured=lambda: (0, 1)),
     "Exercise 'sq': a rubric criterion needs kind='value' and no measured range"),
    (dict(criterion=Criterion("a", below=1)), "Exercise 'sq': a rubric criterion needs kind='value' and no measured range"),
    (dict(dt="tau"), r"Exercise 'sq': params/steps/dt name \['tau'\], which are not parameters of its reference \['x'\]"),
    (dict(steps=("x",)), r"Exercise 'sq': steps \('x',\) need dt \(the time-step parameter\)"),
])
def test_a_badly_declared_exercise_is_refused_with_a_message_naming_it(kw, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        Exercise(**{**dict(id="sq", title="", prompt="", reference=_square), **kw})
    Exercise(id="sq", title="", prompt="", reference=_square, points=3)  # a whole number of points is fine


@pytest.mark.parametrize("status, message, text", [
    (PASSED, "", "\u2714 ex: passed."),
    (NOT_YET, "your answer is about 30 % too high.", "\u2718 ex: not yet. your answer is about 30 % too high."),
    (NOT_YET, "not yet solved: write the body", "\u2718 ex: not yet solved: write the body"),
    (ERROR, "line 3: boom", "\u26a0 ex: error. line 3: boom"),
    (NOT_YET, "a, criterion < 1: not yet", "\u2718 ex: a, criterion < 1: not yet"),
    (NOT_YET, "a, criterion < 1: passed", "\u2718 ex: not yet. a, criterion < 1: passed"),
    (NOT_YET, "a: not yet", "\u2718 ex: not yet. a: not yet"),
])
def test_a_check_result_prints_its_status_once(status, message, text):
    assert str(CheckResult("ex", status, message)) == text


def test_an_unseeded_function_is_told_with_the_case_it_was_called_with():
    e = _square_ex(cases=[(np.array([1.0, 2.0]),), (np.array([5.0]),), (np.array([1.0, 2.0]),)], hints=[])
    rng = np.random.default_rng(1)
    r = e.evaluate(lambda x: x ** 2 + rng.random())
    assert r.message == ("your function gave two different results for x=[1, 2], called twice with the same "
                         "arguments: something random is not seeded. Pass the seed on, e.g. "
                         "snn.Network(seed=seed) or np.random.default_rng(seed).")
    # a tiny wobble (1e-13 relative, float summation order) is not called unseeded
    wobble = iter([1.0, 1.0, 1.0 + 1e-13])
    r = e.evaluate(lambda x: x ** 2 * 1.3 * next(wobble))
    assert "not seeded" not in r.message
    # equal cases with different arguments are not compared
    d = _square_ex(cases=[(np.array([1.0, 2.0]),), (np.array([1.0, 3.0]),)])
    assert "not seeded" not in d.evaluate(lambda x: x ** 2 + rng.random()).message


def _rate(t, tau_ref):
    return 1.0 / (tau_ref + t)


@pytest.mark.parametrize("answer, message", [
    (lambda t, tau_ref: 1 / t, "your answer is what you get with tau_ref = 0: is the refractory period in your "
                               "calculation?"),
    (lambda t, tau_ref: 1 / (1000 * tau_ref + t), "your answer is what you get with tau_ref 1000 times larger: is the "
                                                  "refractory period converted to the wrong unit (e.g. ms where the "
                                                  "task uses s)?"),
    (lambda t, tau_ref: 1 / (tau_ref / 1000 + t), "your answer is what you get with tau_ref 1000 times smaller: is the "
                                                  "refractory period converted to the wrong unit (e.g. s where the "
                                                  "task uses ms)?"),
    (lambda t, tau_ref: 1 / (t / 1000 + tau_ref), "your answer is what you get with t 1000 times smaller: is the "
                                                  "interval converted to the wrong unit (e.g. s where the task uses ms)?"),
    (lambda t, tau_ref: 1 / tau_ref, "your answer is what you get with t = 0: is the interval in your calculation?"),
])
def test_another_value_of_a_declared_parameter_is_named_exactly(answer, message):
    e = Exercise(id="rate", title="", prompt="", reference=_rate, cases=[(0.01, 0.002), (0.05, 0.003)],
                 params={"tau_ref": "the refractory period", "t": "the interval"})
    r = e.evaluate(answer)
    assert (r.status, r.message) == (NOT_YET, message)


def _rate_keyword(t, *, tau_ref=0.002):
    return 1.0 / (tau_ref + t)


@pytest.mark.parametrize("answer, message", [
    (lambda t: 1 / t, "your answer is what you get with tau_ref = 0: is the refractory period in your calculation?"),
    (lambda t: 1 / (2.0 + t), "your answer is what you get with tau_ref 1000 times larger: is the refractory period "
                              "converted to the wrong unit (e.g. ms where the task uses s)?"),
])
def test_a_keyword_only_parameter_is_diagnosed_too(answer, message):
    # a reference's keyword-only parameter keeps its default in the cases; the diagnoses try other values of it
    # by keyword (they were silently skipped while the evaluation took no keyword arguments)
    e = Exercise(id="rate", title="", prompt="", reference=_rate_keyword, cases=[(0.01,), (0.05,)],
                 params={"tau_ref": "the refractory period"})
    r = e.evaluate(answer)
    assert (r.status, r.message) == (NOT_YET, message)


def test_swapped_parameters_steps_and_terms_are_named_exactly():
    sw = Exercise(id="ratio", title="", prompt="", reference=lambda a, b: a / b ** 2, cases=[(2.0, 3.0), (5.0, 0.5)],
                  params={"a": "the first", "b": "the second"})
    assert sw.evaluate(lambda a, b: b / a ** 2).message == (
        "your answer is what you get with a and b swapped: the first and the second play different parts in the formula.")

    def steps_to_rate(t_hold, dt):
        return 1.0 / (round(t_hold / dt) * dt + 0.01)
    h = Exercise(id="hold", title="", prompt="", reference=steps_to_rate, cases=[(0.002, 1e-4), (0.005, 1e-3)],
                 dt="dt", steps=("t_hold",))
    assert h.evaluate(lambda t_hold, dt: 1.0 / ((round(t_hold / dt) + 1) * dt + 0.01)).message == (
        "your t_hold lasts one time step too long: a simulation counts it in whole steps of dt, round(t_hold / dt) of "
        "them; check where your counter starts and stops (and that subtracting dt repeatedly from a float does not "
        "leave a tiny remainder).")
    te = Exercise(id="rate", title="", prompt="", reference=_rate, cases=[(0.01, 0.002)],
                  terms={"the refractory part": lambda t, tau_ref: 0.5 / (tau_ref + t)})
    assert te.evaluate(lambda t, tau_ref: 0.5 / (tau_ref + t)).message == (
        "your answer lacks the refractory part: everything else looks right.")
    assert te.evaluate(lambda t, tau_ref: 1.5 / (tau_ref + t)).message == (
        "your answer counts the refractory part twice (or adds it where it does not belong).")


def test_arrays_and_flags_are_never_rescaled_as_parameters():
    # x is an array of drives: "x 1000 times larger" is never tried, so the gain k gets the diagnosis
    e = Exercise(id="total", title="", prompt="", reference=lambda x, k: k * np.sum(x),
                 cases=[(np.array([1.0, 2.0]), 3.0)], params={"x": "the drive", "k": "the gain"})
    assert e.evaluate(lambda x, k: 1000 * k * np.sum(x)).message.startswith(
        "your answer is what you get with k 1000 times larger")
    # a True/False flag is not a number to set to 0: the answer that ignores it is "exactly half"
    f = Exercise(id="gain", title="", prompt="", reference=lambda flag, k: k * (2.0 if flag else 1.0),
                 cases=[(True, 3.0), (True, 5.0)], params={"flag": "the doubling", "k": "the gain"})
    assert "flag" not in f.evaluate(lambda flag, k: k).message
    assert "exactly half the right one" in f.evaluate(lambda flag, k: k).message


def test_a_parameter_value_outside_the_references_domain_is_skipped_not_an_error():
    def blocks(n, w):  # n must stay a whole number: n * 1000.0 is fine, n / 1000 is not
        return float(np.ones(int(n) if float(n).is_integer() else np.ones(n)).sum() * w)
    e = Exercise(id="blocks", title="", prompt="", reference=blocks, cases=[(3, 2.0), (4, 0.5)],
                 params={"n": "the count", "w": "the width"})
    r = e.evaluate(lambda n, w: n * w * 1.3)
    assert (r.status, r.message) == (NOT_YET, "your answer is about 30 % too high.")
    s = Exercise(id="blocks", title="", prompt="", reference=blocks, cases=[(3, 2.0), (4, 0.5)],
                 params={"w": "the width", "n": "the count"})
    assert s.evaluate(lambda n, w: n * w * 1.3).status == NOT_YET


def test_checking_against_mistakes_that_produce_nan_prints_no_numpy_warning():
    e = _square_ex(mistakes=[Mistake("log", lambda x: np.log(np.asarray(x) - 2.0), "a log?")])
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a RuntimeWarning would raise here (and become an internal error)
        assert e.expected()[0].tolist() == [1.0, 4.0, 9.0]
        out = e.mistake_outputs(e.mistakes[0])[0]
        assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 0.0
        r = e.evaluate(lambda x: x ** 2 * 1.3)
    assert r.message == 'your answer is about 30 % too high. Run ex.hint("square") for a hint.'


REDUCED = " Your array has the shape of the input {} reduced over axis {}: sum or average over the other axis."
SAME_SIZE = " Same number of values, different shape: reshaped or flattened?"


@pytest.mark.parametrize("got, exp, case, tip", [
    ((2,), (3,), (np.zeros((2, 3)),), REDUCED.format((2, 3), 1)),
    ((3,), (2,), (np.zeros((2, 3)).tolist(),), REDUCED.format((2, 3), 0)),   # a list input counts too
    ((3,), (4,), (np.zeros((3, 3)),), REDUCED.format((3, 3), 0)),            # either axis fits: the first is named
    ((2,), (3,), (np.zeros(3),), ""),                                        # a 1-d input is not reduced
    ((2,), (3,), (((1, 2, 3), (4, 5, 6)),), ""),                             # a tuple is not an array input
    ((2, 2), (2, 2, 2), (np.zeros((2, 2, 2)),), ""),                         # the answer must be 1 dim short of it
    ((3, 2), (2, 3), (), " Rows and columns are swapped: transposed?"),
    ((3, 2, 1), (2, 3, 1), (), SAME_SIZE),                                   # 3-d: not called a transpose
    ((2, 3), (2, 3, 1), (), SAME_SIZE),
    ((4,), (2, 2), (), SAME_SIZE),
    ((2,), (2, 2), (), ""),
    ((2,), (2, 2), (np.zeros((2, 3)),), ""),                                 # the expected value is not reduced
    ((), (3,), (), " It must work element-wise on an array input: use numpy operations (np.exp, np.where) rather "
                   "than math.exp or `if`."),
])
def test_a_wrong_shape_gets_the_tip_for_its_likely_cause(got, exp, case, tip):
    from course.exercise import _shape_tip
    assert _shape_tip(np.zeros(got), np.zeros(exp), case) == tip


def test_one_element_answers_and_numbers_stand_for_each_other_and_float32_keeps_its_precision():
    one = Exercise(id="one", title="", prompt="", reference=lambda x: np.asarray([x * 2.0]), cases=[(1.5,)])
    assert one.evaluate(lambda x: x * 2.0).status == PASSED and one.evaluate(lambda x: [[x * 2.0]]).status == PASSED
    assert one.evaluate(lambda x: [x * 2.0, 0.0]).message == (
        "your function returned an array of 2 values for x=1.5, expected an array of 1 value.")
    # float64 answers get the exercise's rtol even where float32 rounding would pass
    e = Exercise(id="tight", kind="value", title="", prompt="", reference=lambda: 1.0 / 3.0, rtol=1e-9, atol=0.0)
    assert e.evaluate(np.float32(1.0 / 3.0)).status == PASSED
    assert e.evaluate(np.float64(np.float32(1.0 / 3.0))).status == NOT_YET
    assert e.evaluate(np.float16(1.0 / 3.0)).status == NOT_YET          # float16: not float32's precision
    assert e.evaluate(np.array([np.float32(1.0 / 3.0)])).status == PASSED


def test_a_mistake_matches_only_with_the_same_shape_and_a_timeout_is_an_error():
    e = Exercise(id="twos", title="", prompt="", reference=lambda x: np.asarray(x) * 0 + 2.0,
                 cases=[(np.array([1.0, 2.0, 3.0]),)], mistakes=[Mistake("one", lambda x: np.array([1.0]), "a one?")])
    assert e.evaluate(lambda x: np.ones(3)).message == (
        "your answer is exactly half the right one: is a factor of 2 missing, or something counted once that "
        "happens twice?")

    def forever(x):
        while True:
            pass
    r = Exercise(id="same", title="", prompt="", reference=lambda x: x, cases=[(1.0,)], timeout=0.3).evaluate(forever)
    assert r.status == ERROR and r.message.startswith("your function did not return within 0.3 s (called with x=1).")


def test_well_outside_is_judged_by_ratio_also_for_small_and_non_positive_ranges():
    small = _value_ex(id="p", reference=lambda: 0.1, measured=lambda: (0.08, 0.12))
    assert small.evaluate(0.3).message.startswith("p = 0.3 lies well above the range")
    assert small.evaluate(0.2).message.startswith("p = 0.2 lies above the range")
    assert small.evaluate(0.03).message.startswith("p = 0.03 lies well below the range")
    negative = _value_ex(id="v", reference=lambda: -1.0, measured=lambda: (-2.0, 0.0))
    assert negative.evaluate(5.0).message.startswith("v = 5 lies above the range")  # no ratio to a range ending at 0


def test_a_pair_is_a_mistakes_range_only_for_an_open_question():
    e = _value_ex(id="pair", reference=lambda: np.array([1.0, 2.0]))
    assert e.mistake_answer(Mistake("m", lambda: np.array([1.0, 3.0]), "d")).tolist() == [1.0, 3.0]


def test_every_pair_of_three_parameters_is_tried_swapped():
    e = Exercise(id="f", title="", prompt="", reference=lambda a, b, c: a / b ** 2 + c ** 3,
                 cases=[(2.0, 3.0, 5.0), (7.0, 0.5, 11.0)], params={"a": "the first", "b": "the second", "c": "the third"})
    for (x, y), answer in ((("a", "b"), lambda a, b, c: b / a ** 2 + c ** 3),
                           (("a", "c"), lambda a, b, c: c / b ** 2 + a ** 3),
                           (("b", "c"), lambda a, b, c: a / c ** 2 + b ** 3)):
        assert e.evaluate(answer).message.startswith(f"your answer is what you get with {x} and {y} swapped"), x + y


def test_a_mistake_is_matched_within_the_exercises_own_tolerance():
    e = Exercise(id="tight", title="", prompt="", reference=lambda x: np.asarray(x) * 3.0, rtol=1e-9, atol=0.0,
                 cases=[(np.array([1.0, 2.0]),)], mistakes=[Mistake("double", lambda x: np.asarray(x) * 2.0, "doubled.")])
    assert e.evaluate(lambda x: x * 2.0).message == "doubled."
    assert e.evaluate(lambda x: x * 2.0 * (1 + 1e-7)).message != "doubled."        # outside rtol 1e-9
    z = Exercise(id="zero", title="", prompt="", reference=lambda x: np.asarray(x) + 1.0, rtol=1e-9, atol=0.0,
                 cases=[(np.array([1.0, 2.0]),)], mistakes=[Mistake("none", lambda x: np.asarray(x) * 0.0, "zeros.")])
    assert z.evaluate(lambda x: x * 0.0).message == "zeros."
    assert z.evaluate(lambda x: x * 0.0 + 1e-9).message != "zeros."                 # outside atol 0


def test_the_unseeded_message_names_the_first_case_called_twice():
    e = _square_ex(cases=[(np.array([1.0, 2.0]),), (np.array([5.0]),), (np.array([5.0]),), (np.array([1.0, 2.0]),)])
    rng = np.random.default_rng(2)
    assert e.evaluate(lambda x: x ** 2 + rng.random()).message.startswith(
        "your function gave two different results for x=[1, 2], called twice")


def test_a_reference_of_small_integers_is_compared_as_floats_without_overflow():
    e = _value_ex(id="n", reference=lambda: np.uint8(200))
    assert e.evaluate(200.0).status == PASSED
    assert e.evaluate(400.0).message == ("your answer is exactly twice the right one: is something counted twice, "
                                         "or a factor 1/2 missing?")
    assert e.evaluate(-200.0).message.startswith("your answer has the right size but the wrong sign")
    assert e.expected()[0].dtype == np.float64


def test_identical_cases_are_compared_for_seeding_exactly_nan_included():
    e = _square_ex(cases=[(np.array([1.0, 2.0]),), (np.array([1.0, 2.0]),)], hints=[])
    r = e.evaluate(lambda x: x * np.nan)                         # NaN twice: stable, so the NaN message
    assert "which contains NaN or inf" in r.message and "not seeded" not in r.message
    wobble = iter([1.0, 1.0 + 1e-8])                             # a 1e-8 relative change: not the same result
    assert "not seeded" in e.evaluate(lambda x: x ** 2 * 1.3 * next(wobble)).message
    tiny = iter([0.0, 1e-10])                                    # near zero, no absolute slack either
    assert "not seeded" in e.evaluate(lambda x: x * 0 + next(tiny)).message


def test_a_criterion_verdict_names_its_exercise():
    e = _value_ex(id="e", reference=lambda: 1.0, criterion=Criterion("rate", above=2.0),
                  mistakes=[Mistake("s", lambda: 0.0015, "seconds?")])
    assert e.evaluate(0.0015).message == "rate 0.0015, criterion > 2: not yet. seconds?"
    for v in (0.0015, 1.0, 3.0, np.inf, np.nan):
        assert e.evaluate(v).exercise == "e"


class _Unconvertible:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __repr__(self):
        return "<unconvertible>"


def test_verdicts_name_their_exercise_and_cases_are_described_argument_by_argument():
    e = Exercise(id="rate", title="", prompt="", reference=_rate, cases=[(0.01, 0.002)], timeout=1.0)
    r = e.evaluate(lambda t, tau_ref: _Unconvertible())
    assert (r.exercise, r.message) == ("rate", "your function returned a _Unconvertible (<unconvertible>) for "
                                               "t=0.01, tau_ref=0.002; expected a number.")
    assert e.evaluate(...).exercise == "rate" and e.evaluate(3.0).exercise == "rate"


def test_a_bug_in_the_check_is_an_error_naming_the_exception_never_the_learners_fault():
    def broken(x):
        return 1 / 0
    r = Exercise(id="broken", title="", prompt="", reference=broken, cases=[(1.0,)], timeout=1.0).evaluate(lambda x: x)
    assert (r.exercise, r.status) == ("broken", ERROR)
    assert r.message == ("internal error in the check (ZeroDivisionError: division by zero); please report it to the "
                         "course maintainers.")


def test_an_untouched_function_stub_is_marked_unsolved():
    def square(x):
        ...
    r = _square_ex().evaluate(square)
    assert (r.status, r.unsolved) == (NOT_YET, True)
    assert r.message == "not yet solved: write the body of square (replace the `...`), then run the cells again."
    assert _square_ex().evaluate(lambda x: x * 3).unsolved is False


class _ArrayRaises:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __repr__(self):
        return "ArrayRaises()"


def test_coerce_describes_an_object_numpy_cannot_convert():
    """evaluate() hands _coerce plain values (course.safe_call.plain_value converts learner objects first), so
    its own fallback for an object whose conversion raises is reached only when _coerce is called directly:
    it still describes the object, and raises nothing."""
    got = _ArrayRaises()
    assert _value_ex()._coerce(got, np.zeros(()), "") == (
        None, "J_100Hz is a _ArrayRaises (ArrayRaises()); expected a number.")
    assert _square_ex()._coerce(got, np.zeros(3), "for x=1") == (
        None, "your function returned a _ArrayRaises (ArrayRaises()) for x=1; expected a numpy array of numbers.")
