"""The exercise framework never crashes, classifies answers and keeps hints/solutions on request.

Uses a small self-contained exercise (square a number element-wise) so the framework is tested
independently of any lesson.
"""
from __future__ import annotations

import json
import re
import threading
import time

import numpy as np
import pytest

from course import progress
from course.exercise import ERROR, NOT_YET, PASSED, CheckResult, Exercise, Mistake
from course.safe_call import call_safely, is_stub



def _square(x):
    return np.asarray(x, dtype=float) ** 2


def make_exercise(**kw) -> Exercise:
    args = dict(id="square", title="Square", prompt="Square x element-wise.", reference=_square,
                cases=[(np.array([1.0, -2.0, 3.0]),), (np.array([[0.5]]),)],
                mistakes=[Mistake("double", lambda x: 2 * np.asarray(x), "you doubled x instead of squaring it."),
                          Mistake("sqrt", lambda x: np.sqrt(np.asarray(x, dtype=float)), "that is the square root.")],
                hints=["x times x", "x ** 2"], timeout=1.0)
    args.update(kw)
    return Exercise(**args)


def test_correct_answer_passes():
    r = make_exercise().evaluate(lambda x: x * x)
    assert r.status == PASSED and r.passed
    assert str(r) == "\u2714 square: passed."


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the learner's sqrt(-2), in the worker thread
def test_mistake_gets_its_diagnosis():
    ex = make_exercise()
    assert ex.evaluate(lambda x: x + x).message == "you doubled x instead of squaring it."
    # sqrt of a negative gives NaN: the mistake still matches (NaN compared equal to NaN)
    r = ex.evaluate(lambda x: np.sqrt(x))
    assert r.status == NOT_YET and r.message == "that is the square root."


def test_unknown_wrong_answer_says_how_far_off_without_the_expected_value():
    r = make_exercise().evaluate(lambda x: x ** 2 * 1.3)
    assert r.status == NOT_YET
    assert r.message == 'your answer is about 30 % too high. Run ex.hint("square") for a hint.'
    r = make_exercise().evaluate(lambda x: x ** 3)
    assert "1 of your values has the wrong sign" in r.message
    numbers = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", r.message)}
    assert not numbers & {4.0, 9.0, 0.25}, r.message  # the expected outputs of the cases


@pytest.mark.parametrize("stub_src", [
    "def square(x):\n    '''doc'''\n    ...\n",
    "def square(x):\n    # TODO\n    pass\n",
    "def square(x):\n    raise NotImplementedError\n",
    "def square(x):\n    \"\"\"doc\"\"\"\n    raise NotImplementedError('write me')\n",
])
def test_stubs_are_not_yet_solved_without_traceback(tmp_path, stub_src):
    path = tmp_path / "stub_mod.py"  # a real file, so inspect.getsource finds the stub's source
    path.write_text(stub_src)
    ns: dict = {}
    exec(compile(stub_src, str(path), "exec"), ns)
    assert is_stub(ns["square"])
    r = make_exercise().evaluate(ns["square"])
    assert r.status == NOT_YET and r.message.startswith("not yet solved")
    assert str(r).startswith("\u2718 square: not yet solved")
    assert "Traceback" not in str(r)


def test_stub_without_source_is_recognised_from_its_bytecode():
    ns: dict = {}
    exec("def square(x):\n    'doc'\n    ...\n", ns)  # no file: inspect.getsource fails
    assert is_stub(ns["square"])
    exec("def square(x):\n    return None\n", ns)  # does nothing either: treated the same
    assert is_stub(ns["square"])
    exec("def square(x):\n    y = x\n", ns)  # forgot return: not a stub, gets "returned None"
    assert not is_stub(ns["square"])
    assert "did you forget `return`" in make_exercise().evaluate(ns["square"]).message


def test_ellipsis_value_is_not_yet_solved():
    r = make_exercise(kind="value", reference=lambda: 2.0, cases=[()], mistakes=[]).evaluate(...)
    assert r.status == NOT_YET and "not yet solved" in r.message


@pytest.mark.parametrize("answer, fragment", [
    (None, "expected your function square, got None"),
    (3.0, "Pass the function itself, without parentheses"),
    (lambda x: None, "returned None"),
    (lambda x: "nine", "returned a str"),
    (lambda x: True, "a bool"),
    (lambda x: x * 1j, "complex"),
    (lambda x: [[1, 2], [3]], "expected a numpy array of numbers"),
    (lambda x: 1.0, "returned a single number (a scalar)"),
    (lambda x: np.ones(7), "returned an array of 7 values"),
    (lambda x: x * np.nan, "NaN or inf"),
    (lambda x: x / 0.0, "NaN or inf"),
])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # x / 0.0 in the learner's code
def test_bad_answers_give_readable_messages(answer, fragment):
    r = make_exercise().evaluate(answer)
    assert r.status == NOT_YET
    assert fragment in r.message


def test_exception_in_learner_code_names_the_line():
    def square(x):
        y = x * x
        return y / undefined_name  # noqa: F821 - the learner's bug
    r = make_exercise().evaluate(square)
    assert r.status == ERROR
    assert "NameError" in r.message and "undefined_name" in r.message
    assert "in square: return y / undefined_name" in r.message
    assert "when called with x=[1, -2, 3]" in r.message


def test_ambiguous_truth_value_gets_a_numpy_tip():
    def square(x):
        if x > 0:
            return x * x
        return x * x
    r = make_exercise().evaluate(square)
    assert r.status == ERROR and "np.where" in r.message


def test_math_functions_on_arrays_get_a_numpy_tip():
    import math

    def square(x):
        return math.exp(2 * math.log(x))
    r = make_exercise().evaluate(square)
    assert r.status == ERROR and "TypeError" in r.message and "use np.exp" in r.message


def test_busy_loop_is_stopped_at_the_time_limit():
    def square(x):
        while True:
            pass
    before = set(threading.enumerate())  # (another test's sleeping check thread may still run: not this one's)
    start = time.perf_counter()
    box = {}  # the check runs in a thread of its own: a check without a time limit fails here after 30 s, not hangs
    guard = threading.Thread(target=lambda: box.setdefault("r", make_exercise(timeout=0.5).evaluate(square)), daemon=True)
    guard.start()
    guard.join(30)
    assert not guard.is_alive(), "the check did not return: the busy loop was never stopped"
    r = box["r"]
    assert r.status == ERROR
    assert "did not return within 0.5 s" in r.message and "It was stopped." in r.message
    assert time.perf_counter() - start < 5  # returned at the limit (+0.5 s grace), not never
    assert not any(t.name == "course-check-square" and t.is_alive() for t in set(threading.enumerate()) - before - {guard})


def test_sleeping_function_returns_at_the_time_limit_and_says_it_still_runs():
    def square(x):
        time.sleep(3)
        return x * x
    r = make_exercise(timeout=0.3).evaluate(square)
    assert r.status == ERROR
    assert "did not return within 0.3 s" in r.message and "still running in the background" in r.message


def test_learner_cannot_modify_the_cases():
    ex = make_exercise()

    def square(x):
        out = x * x
        x[...] = 0  # mutating the input must not alter later cases or the expected values
        return out
    assert ex.evaluate(square).status == PASSED
    assert ex.cases[0][0].tolist() == [1.0, -2.0, 3.0]


def test_bug_inside_a_check_is_reported_not_raised():
    def broken_reference(x):
        raise RuntimeError("reference bug")
    r = make_exercise(reference=broken_reference).evaluate(lambda x: x * x)
    assert r.status == ERROR and "internal error in the check" in r.message


def test_exercise_validates_its_definition():
    with pytest.raises(ValueError, match="kind must be"):
        make_exercise(kind="essay")
    with pytest.raises(ValueError, match="identifier"):
        make_exercise(id="not an id")


def test_call_safely_returns_values_in_order():
    out = call_safely(lambda a, b: a + b, [(1, 2), (3, 4)], ["a", "b"], timeout=2)
    assert out.status == "ok" and out.values == [3, 7]


def test_check_result_formats_each_status():
    assert str(CheckResult("e", NOT_YET, "wrong sign.")) == "\u2718 e: not yet. wrong sign."
    assert str(CheckResult("e", ERROR, "boom")) == "\u26a0 e: error. boom"


def test_progress_is_recorded_in_course_home(course_home, monkeypatch, tmp_path):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(progress.RESULTS_ENV, str(results))
    progress.record("00_welcome", "square", PASSED)
    progress.record("00_welcome", "cube", NOT_YET, "too big")
    progress.record("00_welcome", "square", ERROR, "boom")  # the latest verdict wins
    progress.record("00_welcome", "square", NOT_YET, "not yet solved", unsolved=True)  # a fresh notebook
    progress.record("00_welcome", "stub_only", NOT_YET, "not yet solved", unsolved=True)
    data = json.loads((course_home / "progress.json").read_text())["00_welcome"]
    assert data["square"]["status"] == ERROR and data["square"]["passed_once"] is True
    assert data["cube"]["status"] == NOT_YET and data["cube"]["passed_once"] is False
    assert "stub_only" not in data  # an untouched stub says nothing about the learner
    lines = [json.loads(x) for x in results.read_text().splitlines()]
    assert [x["status"] for x in lines] == [PASSED, NOT_YET, ERROR, NOT_YET, NOT_YET]
    assert lines[1]["message"] == "too big"


def _record_many(prefix: str) -> None:
    for i in range(25):
        progress.record("00_welcome", f"{prefix}{i}", PASSED)


def test_concurrent_kernels_do_not_lose_progress(course_home):
    """Two processes (two notebooks' kernels) record at the same time: every entry survives."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_record_many, args=(p,)) for p in ("a", "b")]
    for p in procs:
        p.start()
    _record_many("c")
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    assert len(progress.load()["00_welcome"]) == 75


def test_corrupt_progress_file_reads_as_empty(course_home):
    course_home.mkdir(parents=True)
    (course_home / "progress.json").write_text("{not json")
    assert progress.load() == {}
    progress.record("00_welcome", "x", PASSED)  # and is replaced by a valid one
    assert progress.load()["00_welcome"]["x"]["status"] == PASSED


def test_unwritable_course_home_is_reported_every_time_and_does_not_raise(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(progress.HOME_ENV, str(blocker / "home"))  # a folder under a file: cannot exist
    for _ in range(2):  # a lost save is never silent, not even the second time
        problem = progress.record("00_welcome", "x", PASSED)
        assert problem and "your progress was not saved" in problem
    assert capsys.readouterr().err.count("your progress was not saved") == 2


# -- property: no answer at all makes a check raise --------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402 - grouped with the property test
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

_ANSWERS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.complex_numbers() | st.text(max_size=5) | st.just(Ellipsis)
    | hnp.arrays(st.sampled_from([np.float64, np.int32, np.bool_, np.complex128, object]),
                 hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner, max_size=2),
    max_leaves=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=_ANSWERS)
def test_any_returned_object_gets_a_verdict_never_an_exception(answer):
    ex = make_exercise()
    for r in (ex.evaluate(lambda x: answer), make_exercise(kind="value", reference=lambda: 2.0, cases=[()],
                                                           mistakes=[]).evaluate(answer)):
        assert isinstance(r, CheckResult) and r.status in (PASSED, NOT_YET, ERROR)
        assert "internal error" not in r.message  # every answer is understood, not crashed on
        assert r.message or r.status == PASSED


# -- diagnosis from the relation between the answer and the expected one -------------------------------------
def _rate_exercise(**kw) -> Exercise:
    """rate = 1 / (tau_ref + t), all in seconds: declares its parameters and one additive term."""
    args = dict(id="rate", title="Rate", prompt="1 / (tau_ref + t)", reference=lambda t, tau_ref: 1.0 / (tau_ref + t),
                cases=[(0.01, 0.002), (0.004, 0.001), (0.05, 0.003)], hints=["h1", "h2"],
                params={"tau_ref": "the refractory period", "t": "the time to threshold"})
    args.update(kw)
    return Exercise(**args)


@pytest.mark.parametrize("answer, fragment", [
    (lambda t, tau_ref: 1000.0 / (tau_ref + t), "1000 times too large: a factor of 1000 looks like a unit slip"),
    (lambda t, tau_ref: 0.001 / (tau_ref + t), "1000 times too small"),
    (lambda t, tau_ref: 1e-12 / (tau_ref + t), "1e12 times too small: a factor of 1e12 looks like a unit slip (pico"),
    (lambda t, tau_ref: -1.0 / (tau_ref + t), "the wrong sign"),
    (lambda t, tau_ref: 2.0 / (tau_ref + t), "exactly twice the right one"),
    (lambda t, tau_ref: 0.5 / (tau_ref + t), "exactly half the right one"),
    (lambda t, tau_ref: tau_ref + t, "the reciprocal (1/x) of the right one: a period"),
    (lambda t, tau_ref: 1.0 / t, "what you get with tau_ref = 0: is the refractory period in your calculation?"),
    (lambda t, tau_ref: 1.0 / (1000 * tau_ref + t), "with tau_ref 1000 times larger"),
    (lambda t, tau_ref: 1.0 / (tau_ref + t) * 1.3, "your answer is about 30 % too high."),
    (lambda t, tau_ref: 1.0 / (tau_ref + t) * 0.999, "less than 1 % too low (close"),
    (lambda t, tau_ref: 1.0 / (tau_ref + t) * 5.2, "about 5.2 times too large"),
    (lambda t, tau_ref: 1.0 / (tau_ref + t) + 7.0, "too high by the same amount for every input"),
    (lambda t, tau_ref: float(int(1.0 / (tau_ref + t))), "truncated to a whole number"),
])
def test_relations_are_diagnosed_without_the_expected_value(answer, fragment):
    e = _rate_exercise()
    r = e.evaluate(answer)
    assert r.status == NOT_YET and fragment in r.message, r.message
    assert r.message.endswith('Run ex.hint("rate") for a hint.')
    for value in (83.3333, 200, 18.8679):  # 1/(0.012), 1/(0.005), 1/(0.053): never shown
        assert f"{value:g}" not in r.message


def test_swapped_parameters_and_missing_or_doubled_terms_are_named():
    e = _rate_exercise(terms={"the refractory part": lambda t, tau_ref: 0.5 / (tau_ref + t)})
    r = e.evaluate(lambda t, tau_ref: 0.5 / (tau_ref + t))
    assert r.message.startswith("your answer lacks the refractory part"), r.message
    r = e.evaluate(lambda t, tau_ref: 1.5 / (tau_ref + t))
    assert r.message.startswith("your answer counts the refractory part twice"), r.message
    swap = Exercise(id="ratio", title="", prompt="", reference=lambda a, b: a / b ** 2, cases=[(2.0, 3.0), (5.0, 0.5)],
                    params={"a": "the first", "b": "the second"})
    assert "with a and b swapped" in swap.evaluate(lambda a, b: b / a ** 2).message


def test_one_step_off_is_diagnosed_where_dt_and_steps_are_declared():
    def steps_to_rate(t_hold, dt):  # a rate from a hold counted in whole steps
        return 1.0 / (round(t_hold / dt) * dt + 0.01)
    e = Exercise(id="hold", title="", prompt="", reference=steps_to_rate, cases=[(0.002, 1e-4), (0.005, 1e-3)],
                 dt="dt", steps=("t_hold",))
    r = e.evaluate(lambda t_hold, dt: 1.0 / ((round(t_hold / dt) + 1) * dt + 0.01))
    assert "your t_hold lasts one time step too long" in r.message
    r = e.evaluate(lambda t_hold, dt: 1.0 / ((round(t_hold / dt) - 1) * dt + 0.01))
    assert "your t_hold lasts one time step too short" in r.message
    with pytest.raises(ValueError, match="steps .* need dt"):
        Exercise(id="x", title="", prompt="", reference=steps_to_rate, steps=("t_hold",))
    with pytest.raises(ValueError, match=r"params/steps/dt name \['tau'\]"):
        Exercise(id="x", title="", prompt="", reference=steps_to_rate, params={"tau": "no such argument"})


def test_a_relation_holding_for_some_entries_of_an_array_is_reported_for_those():
    e = make_exercise(cases=[(np.array([1.0, -2.0, 3.0, 4.0]),)])
    r = e.evaluate(lambda x: x ** 2 * np.array([1, 1, 1000.0, 1000.0]))
    assert r.message.startswith("2 of your values are wrong (the others are right): there it is 1000 times too large")


@pytest.mark.parametrize("answer", [
    lambda x: np.asarray(x, dtype=np.float32) ** 2,           # float32
    lambda x: (np.asarray(x) ** 2).tolist(),                   # a list for an array
    lambda x: tuple((np.asarray(x) ** 2).ravel()) if np.size(x) > 1 else [float(np.asarray(x).ravel()[0] ** 2)],
])
def test_equivalent_forms_of_an_array_answer_pass(answer):
    assert make_exercise(cases=[(np.array([1.0, -2.0, 3.0]),)]).evaluate(answer).status == PASSED


@pytest.mark.parametrize("value", [2.0, np.float64(2.0), np.float32(2.0), np.array(2.0), np.array([2.0]), [2.0],
                                   np.array([[2.0]]), 2, np.int64(2)])
def test_equivalent_forms_of_a_number_pass(value):
    e = make_exercise(kind="value", reference=lambda: 2.0, cases=[()], mistakes=[])
    assert e.evaluate(value).status == PASSED


@pytest.mark.parametrize("answer, fragment", [
    (lambda x: np.asarray(x) > 0, "an array of True/False values"),
    (lambda x: (np.asarray(x) ** 2).reshape(-1, 1) if np.size(x) == 3 else np.asarray(x) ** 2,
     "Same number of values, different shape"),
])
def test_shape_and_dtype_problems_are_named(answer, fragment):
    r = make_exercise().evaluate(answer)
    assert r.status == NOT_YET and fragment in r.message, r.message


def test_shape_problems_name_a_transpose_and_a_reduction_over_the_wrong_axis():
    e = Exercise(id="colsum", title="", prompt="", reference=lambda m: np.asarray(m).sum(axis=0),
                 cases=[(np.arange(6.0).reshape(2, 3),)])
    assert "reduced over axis 1" in e.evaluate(lambda m: m.sum(axis=1)).message
    t = Exercise(id="tr", title="", prompt="", reference=lambda m: np.asarray(m) * 2, cases=[(np.ones((2, 3)),)])
    assert "transposed?" in t.evaluate(lambda m: (m * 2).T).message


def test_alternatives_pass_at_the_default_tolerance_and_nothing_in_between():
    e = Exercise(id="sd", title="", prompt="", reference=lambda x: np.std(x), cases=[(np.arange(10.0),)],
                 alternatives=[lambda x: np.std(x, ddof=1)])
    assert e.evaluate(lambda x: np.std(x, ddof=1)).status == PASSED and e.evaluate(np.std).status == PASSED
    assert e.evaluate(lambda x: np.std(x) * 1.02).status == NOT_YET  # between the two: neither


def test_measured_range_accepts_inside_and_diagnoses_outside():
    calls = []

    def experiment(seed):
        calls.append(seed)
        return 10.0 + np.random.default_rng(seed).normal(0, 1)
    low, high = _range = __import__("course.exercise", fromlist=["measured_range"]).measured_range(experiment)
    assert calls == list(range(24)) and 10 - 7 < low < 10 - 3 and 10 + 3 < high < 10 + 7
    e = Exercise(id="open", kind="value", title="", prompt="", reference=lambda: 10.0, measured=lambda: _range,
                 mistakes=[Mistake("other", lambda: (40.0, 60.0), "that is the other experiment.")], hints=["h"])
    assert e.evaluate(10.0 + 0.9 * (high - 10)).status == PASSED and e.evaluate([low + 0.01]).status == PASSED
    assert e.evaluate(50.0).message == "that is the other experiment."
    assert "about 1000 times larger than the experiment gives" in e.evaluate(10_000.0).message
    r = e.evaluate(high + 1.0)
    assert r.status == NOT_YET and "lies above the range" in r.message and f"{high:.3g}" not in r.message
    assert r.exercise == "open"
    assert "lies well below the range" in e.evaluate(0.1).message
    assert e.mistake_answer(e.mistakes[0]) == 50.0
    with pytest.raises(ValueError, match="measured range needs kind='value'"):
        Exercise(id="x", title="", prompt="", reference=lambda: 1.0, measured=lambda: (0, 1))


def test_a_result_that_changes_between_identical_calls_is_called_unseeded():
    e = make_exercise(cases=[(np.array([1.0, 2.0]),), (np.array([1.0, 2.0]),)])
    rng = np.random.default_rng()
    r = e.evaluate(lambda x: x ** 2 + rng.random())
    assert r.status == NOT_YET and "something random is not seeded" in r.message


def test_name_error_points_at_the_name_and_suggests_the_argument():
    def square(x_values):
        return x_value ** 2  # noqa: F821 - the learner's typo
    r = make_exercise().evaluate(square)
    assert r.status == ERROR
    assert ("`x_value` is used but never defined: it is not an argument of square (those are x_values) and not a "
            "name defined in the notebook. Did you mean `x_values`?") in r.message
    assert "run the cells above" not in r.message

    def square2(x):
        return numpy_thing.square(x)  # noqa: F821
    assert "Define it before this line, or if it comes from another cell, run that cell first" in \
        make_exercise().evaluate(square2).message


def test_a_float32_answer_is_judged_within_float32_precision_even_under_a_tight_tolerance():
    e = Exercise(id="tight", title="", prompt="", reference=lambda x: np.asarray(x) / 3.0, rtol=1e-9, atol=0.0,
                 cases=[(np.array([1.0, 2.0, 1e-3]),)])
    assert e.evaluate(lambda x: (np.asarray(x) / 3.0).astype(np.float32)).status == PASSED
    assert e.evaluate(lambda x: np.asarray(x) / 3.0 * (1 + 1e-7)).status == NOT_YET  # float64: the tight rtol
    assert e.evaluate(lambda x: (np.asarray(x) / 3.0 * (1 + 1e-5)).astype(np.float32)).status == NOT_YET


def test_a_value_whose_conversion_never_ends_is_stopped_at_the_exercises_time_limit():
    """A value answer is converted under the exercise's own time limit (not the 5 s default, not without one),
    and the verdict, an error, is the exercise's."""
    class Loops:
        def __array__(self, *a, **k):
            while True:
                pass

    box = {}
    t = threading.Thread(target=lambda: box.setdefault("r", make_exercise(
        kind="value", reference=lambda: 2.0, cases=[()], mistakes=[], timeout=0.2).evaluate(Loops())), daemon=True)
    t.start()
    t.join(30)
    assert not t.is_alive(), "the conversion was not stopped"
    r = box["r"]
    assert (r.exercise, r.status) == ("square", ERROR)
    assert r.message.startswith("turning your value into numbers did not finish within 0.2 s"), r.message
    r = make_exercise().evaluate(lambda x: 1 / 0)  # a function answer's error: the exercise's verdict too
    assert (r.exercise, r.status) == ("square", ERROR) and "ZeroDivisionError" in r.message, r


def test_every_verdict_names_its_exercise_and_a_value_with_nan_is_quoted_plainly():
    """Each "not yet" verdict (unseeded, a listed mistake, NaN where numbers are expected) belongs to the
    exercise checked: its id is what the progress file and the printed line record."""
    rng = np.random.default_rng(1)
    twice = make_exercise(cases=[(np.array([1.0, 2.0]),), (np.array([1.0, 2.0]),)])
    verdicts = [twice.evaluate(lambda x: x ** 2 + rng.random()), make_exercise().evaluate(lambda x: 2 * np.asarray(x)),
                make_exercise().evaluate(lambda x: x * np.nan), make_exercise().evaluate(lambda x: 5 * x * x)]
    assert [(r.exercise, r.status) for r in verdicts] == [("square", NOT_YET)] * 4
    assert "something random is not seeded" in verdicts[0].message and "times too large" in verdicts[3].message
    assert str(verdicts[1]) == "\u2718 square: not yet. you doubled x instead of squaring it."
    r = make_exercise(kind="value", reference=lambda: 2.0, cases=[()], mistakes=[]).evaluate(float("nan"))
    assert (r.exercise, r.status, r.message) == ("square", NOT_YET, (
        "square is nan, which contains NaN or inf where finite numbers are expected. Look for a division by "
        "zero or a log of a negative number."))
