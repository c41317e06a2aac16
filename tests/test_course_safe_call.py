"""A check survives whatever a learner's code does (issue 18): objects whose conversion never ends,
a function that calls its own check, input() in a checked function, and functions without source."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from course import progress
from course.exercise import ERROR, NOT_YET, PASSED
from course.exercises import lesson00 as ex
from course.safe_call import call_safely, convert_safely, is_stub

CASES = [(0.5, 1.5, 0.001, 0.02)]
NAMES = ["v", "J", "dt", "tau_rc"]


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.HOME_ENV, str(tmp_path / "home"))
    monkeypatch.delenv(progress.RESULTS_ENV, raising=False)


def _forever(self, *args):
    while True:
        pass


def _within(seconds, fn):
    """Run ``fn`` in a thread; fail (instead of hanging the suite) if it takes longer."""
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("r", fn()), daemon=True)
    start = time.monotonic()
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"did not return within {seconds} s: learner code ran outside the time limit"
    return box["r"], time.monotonic() - start


@pytest.mark.parametrize("method", ["__array__", "__repr__", "__float__", "__len__"])
def test_conversions_of_a_returned_object_run_under_the_time_limit(method):
    loops = type("Loops", (), {method: _forever})
    if method == "__len__":  # a sequence to numpy: np.asarray asks its length
        loops.__getitem__ = lambda self, i: 1.0
    elif method != "__array__":  # make np.asarray fail, so the check falls back to the object's repr
        loops.__array__ = lambda self, *a, **k: (_ for _ in ()).throw(TypeError("no"))
    out, took = _within(20, lambda: call_safely(lambda *a: loops(), CASES, NAMES, timeout=0.5))
    assert out.status in ("timeout", "ok")
    if out.status == "timeout":
        assert "did not finish" in out.message and took < 5
    # whatever the status, the check itself can now look at the value without running learner code
    result, took = _within(20, lambda: ex.EXERCISES.get("euler_step").evaluate(lambda *a: loops()))
    assert result.status in (ERROR, NOT_YET) and took < 15


def test_a_value_answer_whose_conversion_never_ends_is_stopped(capsys):
    class Loops:
        def __array__(self, *a, **k):
            while True:
                pass

    e = ex.EXERCISES.get("J_100Hz")
    e_timeout, e.timeout = e.timeout, 0.5
    try:
        result, took = _within(20, lambda: e.evaluate(Loops()))
    finally:
        e.timeout = e_timeout
    assert result.status == ERROR and "did not finish" in result.message and took < 5


def test_a_function_that_calls_its_own_check_is_reported_not_recursed(capsys):
    threads_before = threading.active_count()

    def euler_step(v, J, dt, tau_rc):
        ex.check_euler_step(euler_step)
        return v + dt * (J - v) / tau_rc

    result, took = _within(30, lambda: ex.EXERCISES.check("euler_step", euler_step))
    assert result.status == ERROR and "starts a check" in result.message, result
    assert took < 10
    time.sleep(0.2)
    assert threading.active_count() <= threads_before + 1  # no pile of threads left behind


def test_input_in_a_checked_function_is_named(monkeypatch):
    """In a kernel without stdin (course check), input() raises IPython's StdinNotImplementedError,
    a NotImplementedError: it used to read as 'not yet solved'."""
    from IPython.core.error import StdinNotImplementedError

    def no_stdin(*args, **kwargs):
        raise StdinNotImplementedError("raw_input was called, but this frontend does not support input requests.")

    monkeypatch.setattr("builtins.input", no_stdin)

    def rheobase(v_th, v_rest, v_reset):
        return float(input("threshold? "))

    result = ex.EXERCISES.get("rheobase").evaluate(rheobase)
    assert result.status == ERROR and "input()" in result.message and not result.unsolved, result
    import builtins
    assert builtins.input is no_stdin  # the guard is removed after the check


def _exec_function(src: str):
    ns = {}
    exec(src, ns)  # defined without source: inspect.getsource fails
    return next(v for k, v in ns.items() if k != "__builtins__")


@pytest.mark.parametrize("src, stub", [
    ("def f(v, J, dt, tau_rc):\n    return 5", False),
    ("def f(v, J, dt, tau_rc):\n    'doc'\n    return 5.0", False),
    ("def f(v, J, dt, tau_rc):\n    return None", True),
    ("def f(v, J, dt, tau_rc):\n    ...", True),
    ("def f(v, J, dt, tau_rc):\n    'doc'\n    pass", True),
])
def test_functions_without_source_are_judged_by_what_they_do(src, stub):
    f = _exec_function(src)
    assert is_stub(f) is stub
    if not stub:
        out = call_safely(f, CASES, NAMES)
        assert out.status == "ok" and float(out.values[0]) == 5.0
        assert ex.EXERCISES.get("euler_step").evaluate(f).status == NOT_YET


def test_not_implemented_is_a_stub_only_when_the_function_itself_raises_it():
    stub = _exec_function("def f(v, J, dt, tau_rc):\n    raise NotImplementedError")
    assert call_safely(stub, CASES, NAMES).status == "stub"

    deep = _exec_function("def g():\n    raise NotImplementedError('deep inside a library')")

    def calls_deep(v, J, dt, tau_rc):
        return deep()

    out = call_safely(calls_deep, CASES, NAMES)
    assert out.status == "error" and "deep inside a library" in out.message


def test_plain_values_pass_through_and_objects_become_opaque():
    out = convert_safely(np.float64(2.5))
    assert out.status == "ok" and out.values[0] == 2.5
    weird = type("Weird", (), {"__repr__": lambda self: "<weird thing>"})()
    v = convert_safely(weird).values[0]
    assert type(v).__name__ == "Weird" and repr(v) == "<weird thing>"
    assert ex.EXERCISES.get("J_100Hz").evaluate(weird).message.count("Weird") == 1
    assert ex.EXERCISES.get("J_100Hz").evaluate([1.0, 2.0]).status == NOT_YET
    good = ex.EXERCISES.get("J_100Hz")
    assert good.evaluate(good.reference()).status == PASSED
