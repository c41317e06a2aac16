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


@pytest.fixture
def release():
    """An event set after the test: the test's endless learner loops read it and end then.  A loop the check
    cannot stop (numpy swallows the stop raised inside ``__len__`` and asks again) would otherwise spin for the
    rest of the process, sharing the GIL with every later test (it stalled mutmut's mapping run, session 9)."""
    event = threading.Event()
    yield event
    event.set()
    for t in threading.enumerate():
        if t.name.startswith("course-check-"):
            t.join(1)


def _forever(self, *args):
    while not self.release.is_set():  # without end during the test (see ``release``)
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
def test_conversions_of_a_returned_object_run_under_the_time_limit(method, release):
    loops = type("Loops", (), {method: _forever, "release": release})
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


def test_a_value_answer_whose_conversion_never_ends_is_stopped(capsys, release):
    class Loops:
        def __array__(self, *a, **k):
            while not release.is_set():
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


def _describe(src: str, call: str, ns: dict | None = None) -> str:
    """describe_exception of what ``call`` raises after ``src`` ran in ``ns`` (a notebook's namespace: code
    without a library file, like a learner's cell)."""
    from course.safe_call import describe_exception

    ns = {} if ns is None else ns
    exec(compile(src, "<learner cell>", "exec"), ns)
    with pytest.raises(Exception) as err:
        eval(call, ns)
    return describe_exception(err.value, "for x=1")


NOT_IN = "and not a name defined in the notebook."


@pytest.mark.parametrize("src, call, ns, text", [
    ("def rate(J, tau_ref):\n    return J / tau_rf\n", "rate(1.0, 2.0)", {},
     "at line 2 in rate\n  Tip: `tau_rf` is used but never defined: it is not an argument of rate (those are J, "
     f"tau_ref) {NOT_IN} Did you mean `tau_ref`?"),
    ("def g(x):\n    return np.exp(x)\n", "g(1.0)", {},
     f"at line 2 in g\n  Tip: `np` is used but never defined: it is not an argument of g (those are x) {NOT_IN} "
     "Run the setup cell at the top of the notebook (it imports numpy as np and snnlib as snn)."),
    ("def g():\n    return snn.LIF()\n", "g()", {},
     f"at line 2 in g\n  Tip: `snn` is used but never defined: it is not an argument of g {NOT_IN} "
     "Run the setup cell at the top of the notebook (it imports numpy as np and snnlib as snn)."),
    ("f = lambda: zzzqqq\n", "f()", {},
     f"at line 1 in <lambda>\n  Tip: `zzzqqq` is used but never defined: it is not an argument {NOT_IN} "
     "Define it before this line, or if it comes from another cell, run that cell first."),
    ("def h(a, *, b):\n    return a + rat\n", "h(1, b=2)", {"rate": 1, "rates": 2, "_rat": 3},
     f"at line 2 in h\n  Tip: `rat` is used but never defined: it is not an argument of h (those are a, b) {NOT_IN} "
     "Did you mean `rate` or `rates`?"),
    ("def k(x):\n    total = 1\n    return totl\n", "k(1)", {},
     f"at line 3 in k\n  Tip: `totl` is used but never defined: it is not an argument of k (those are x) {NOT_IN} "
     "Did you mean `total`?"),
    # the innermost of the learner's own frames: the helper where the name is missing, not its caller
    ("def helper(y):\n    return y * gain\ndef outer(x):\n    return helper(x)\n", "outer(1)", {},
     f"at line 2 in helper\n  Tip: `gain` is used but never defined: it is not an argument of helper (those are "
     f"y) {NOT_IN} Define it before this line, or if it comes from another cell, run that cell first."),
])
def test_a_name_error_points_at_the_name_the_arguments_and_the_nearest_names(src, call, ns, text):
    name = text.split("`")[1]
    assert _describe(src, call, ns) == f"your code raised NameError: name '{name}' is not defined for x=1.\n  {text}"


def test_a_name_error_without_a_traceback_gets_the_plain_tip():
    from course.safe_call import describe_exception

    assert describe_exception(NameError("name 'q' is not defined")) == (
        "your code raised NameError: name 'q' is not defined.\n  Tip: a name used in your code is not defined; "
        "check its spelling.")


def test_the_line_shown_is_the_learners_not_the_librarys():
    """An error raised inside snnlib from a learner's call: the learner's line is named."""
    from snnlib.ml.softlif import lif_rate

    text = _describe("def f(x):\n    return lif_rate(x, tau_rc=-1.0)\n", "f(2.0)", {"lif_rate": lif_rate})
    assert text == ("your code raised ValueError: tau_rc must be a positive time in seconds, got -1.0 for x=1.\n"
                    "  at line 2 in f")


class _NoClass:
    """A learner object whose __class__ raises: isinstance() on it runs learner code and raises."""

    @property
    def __class__(self):
        raise RuntimeError("no class")

    def __call__(self, *args):
        return 1.0


NO_CLASS_LINE = '  at line {} in __class__: raise RuntimeError("no class")'


def _line_of_no_class() -> int:
    import inspect

    lines, start = inspect.getsourcelines(_NoClass.__dict__["__class__"].fget)
    return start + next(i for i, text in enumerate(lines) if "raise" in text)


def test_convert_safely_reports_each_outcome_exactly(release):
    """convert_safely never raises: ok, a conversion raising, one without end, one that starts a check."""
    out = convert_safely([1.0, 2.0])
    assert out.status == "ok" and out.message == "" and [v.tolist() for v in out.values] == [[1.0, 2.0]]

    class Loops:
        def __array__(self, *a, **k):
            while not release.is_set():
                pass

    out, _ = _within(20, lambda: convert_safely(Loops(), timeout=0.5))
    assert (out.status, out.message) == ("timeout", (
        "turning your value into numbers did not finish within 0.5 s (its __array__, __float__, __len__ or "
        "__repr__ runs without end?). Return a float or a numpy array.\n  It was stopped."))

    class Again:
        def __array__(self, *a, **k):
            convert_safely(2.0)
            return np.ones(2)

    out = convert_safely(Again(), timeout=5)
    assert (out.status, out.message) == ("error", (
        "your value's conversion starts a check (an ex.check_... call) while it is being checked: the check "
        "calls your value's conversion, which calls the check again, without end. Remove the check call from "
        "inside your value's conversion; call it in the check cell below the function instead."))


def test_an_object_whose_class_attribute_raises_is_the_learners_error_not_an_internal_one():
    """isinstance(value, Recorded) ran the learner's __class__ outside the worker: the value exercise said
    "internal error in the check ... please report it", and convert_safely raised."""
    line = NO_CLASS_LINE.format(_line_of_no_class())
    out = convert_safely(_NoClass(), timeout=5)
    assert (out.status, out.message) == (
        "error", f"your code raised RuntimeError: no class while turning your value into numbers.\n{line}")
    r = ex.EXERCISES.get("J_100Hz").evaluate(_NoClass())
    assert (r.status, r.message) == (
        ERROR, f"your code raised RuntimeError: no class while turning your value into numbers.\n{line}")
    # as a function answer: is_stub read its source (inspect reads __class__) and only caught OSError/TypeError
    out = call_safely(_NoClass(), CASES, NAMES, timeout=5)
    assert out.status == "ok" and float(out.values[0]) == 1.0
    r = ex.EXERCISES.get("euler_step").evaluate(_NoClass())
    assert r.status == NOT_YET and r.message.startswith("your function returned a single number (a scalar) for ")


@pytest.mark.parametrize("src, stub", [
    ("def f(v, J, dt, tau_rc):\n    ...\n    ...", True),           # two lines of ... compile to a NOP first
    ("def f(v, J, dt, tau_rc):\n    pass\n    pass", True),
    ("def f(v, J, dt, tau_rc):\n    y = None\n    return y", False),  # returns None, but does something first
    ("def f(v, J, dt, tau_rc):\n    return v", False),
])
def test_a_function_without_source_is_a_stub_only_if_it_does_nothing(src, stub):
    assert is_stub(_exec_function(src)) is stub


@pytest.mark.parametrize("src, call, ns, text", [
    ("undefined_thing + 1\n", None, {},
     f"at line 1\n  Tip: `undefined_thing` is used but never defined: it is not an argument {NOT_IN} "
     "Define it before this line, or if it comes from another cell, run that cell first."),
    ("def f(x):\n    return numpy.exp(x)\n", "f(1)", {},
     f"at line 2 in f\n  Tip: `numpy` is used but never defined: it is not an argument of f (those are x) {NOT_IN} "
     "Run the setup cell at the top of the notebook (it imports numpy as np and snnlib as snn)."),
    ("def f(x):\n    return snnlib.LIF()\n", "f(1)", {},
     f"at line 2 in f\n  Tip: `snnlib` is used but never defined: it is not an argument of f (those are x) {NOT_IN} "
     "Run the setup cell at the top of the notebook (it imports numpy as np and snnlib as snn)."),
    ("def f(x):\n    return lenn(x)\n", "f([1])", {},                  # the nearest names include Python's own
     f"at line 2 in f\n  Tip: `lenn` is used but never defined: it is not an argument of f (those are x) {NOT_IN} "
     "Did you mean `len`?"),
])
def test_a_name_error_in_a_cell_or_with_a_module_name(src, call, ns, text):
    from course.safe_call import describe_exception

    if call is None:   # the cell itself (module level): no function name in "at line 1"
        with pytest.raises(NameError) as err:
            exec(compile(src, "<learner cell>", "exec"), ns)
        got = describe_exception(err.value)
        assert got == f"your code raised NameError: name 'undefined_thing' is not defined.\n  {text}"
        return
    name = text.split("`")[1]
    assert _describe(src, call, ns) == f"your code raised NameError: name '{name}' is not defined for x=1.\n  {text}"


def test_a_name_error_raised_by_hand_gets_the_plain_tip():
    assert _describe("def f(x):\n    raise NameError('my own message')\n", "f(1)") == (
        "your code raised NameError: my own message for x=1.\n  at line 2 in f\n"
        "  Tip: a name used in your code is not defined; check its spelling.")


@pytest.mark.parametrize("src, text", [
    ("def f(x):\n    raise ValueError()\n", "your code raised ValueError for x=1.\n  at line 2 in f"),
    ("def f(x):\n    raise ValueError('index X')\n", "your code raised ValueError: index X for x=1.\n  at line 2 in f"),
    ("def f(x):\n    if np.array([1.0, 2.0]) > 0:\n        return 1\n",
     "your code raised ValueError: The truth value of an array with more than one element is ambiguous. Use a.any() "
     "or a.all() for x=1.\n  at line 2 in f\n  Tip: `if` cannot test a whole array at once; use np.where(cond, a, b) "
     "or a boolean mask such as rates[J > 1] = ..."),
    ("def f(x):\n    return [1.0] + 2.0\n",
     "your code raised TypeError: can only concatenate list (not \"float\") to list for x=1.\n  at line 2 in f"),
    ("def f(x):\n    return [1.0] - 2.0\n",
     "your code raised TypeError: unsupported operand type(s) for -: 'list' and 'float' for x=1.\n  at line 2 in f\n"
     "  Tip: check the types you combine (a list is not an array: use np.asarray)."),
])
def test_an_exception_is_described_with_its_message_line_and_tip(src, text):
    assert _describe(src, "f(1)", {"np": np}) == text


def _library_code(src: str):
    """Code whose file lies in snnlib/ (a library directory for describe_exception), without writing a file."""
    import os

    import snnlib

    ns: dict = {}
    exec(compile(src, os.path.join(os.path.dirname(snnlib.__file__), "_not_a_file.py"), "exec"), ns)
    return ns


def test_without_a_learner_frame_the_innermost_frame_is_named():
    ns = _library_code("def inner():\n    raise ValueError('deep')\ndef middle():\n    inner()\n"
                       "def outer():\n    try:\n        middle()\n    except ValueError as e:\n        return e\n")
    from course.safe_call import describe_exception

    assert describe_exception(ns["outer"]()) == "your code raised ValueError: deep.\n  at line 2 in inner"
    ns = _library_code("def inner(a):\n    return a + missing_name\ndef middle():\n    inner(1)\n"
                       "def outer():\n    try:\n        middle()\n    except NameError as e:\n        return e\n")
    assert describe_exception(ns["outer"]()).endswith(
        "\n  at line 2 in inner\n  Tip: `missing_name` is used but never defined: it is not an argument of inner "
        f"(those are a) {NOT_IN} Define it before this line, or if it comes from another cell, run that cell first.")


def test_a_name_error_inside_a_library_names_the_learners_function():
    lib = _library_code("def lib_helper(a):\n    return a + missing_name\n")
    text = _describe("def f(x):\n    return lib_helper(x)\n", "f(1)", {"lib_helper": lib["lib_helper"]})
    assert text.endswith("\n  at line 2 in f\n  Tip: `missing_name` is used but never defined: it is not an argument "
                         f"of f (those are x) {NOT_IN} Define it before this line, or if it comes from another cell, "
                         "run that cell first.")


def test_recorded_results_are_returned_as_recorded():
    from course.safe_call import Outcome, Recorded

    outcome = Outcome("ok", values=[2.0])
    assert convert_safely(Recorded(outcome, "J_100Hz")) is outcome
    assert call_safely(Recorded(outcome, "rate"), CASES, NAMES) is outcome


def _returns_text(v, J, dt, tau_rc):
    return "not a docstring"


def _doc_then_value(v, J, dt, tau_rc):
    """A docstring, then one statement that does something."""
    return 5.0


def _raises_value_error(v, J, dt, tau_rc):
    raise ValueError("not finished")


def _raises_from_a_module(v, J, dt, tau_rc):
    raise np.linalg.LinAlgError("singular")


def _doc_then_not_implemented(v, J, dt, tau_rc):
    """Stub."""
    raise NotImplementedError


@pytest.mark.parametrize("func, stub", [(_returns_text, False), (_doc_then_value, False),
                                        (_raises_value_error, False), (_raises_from_a_module, False),
                                        (_doc_then_not_implemented, True)])
def test_a_function_with_source_is_a_stub_only_for_an_empty_body_after_its_docstring(func, stub):
    """Only a first statement that is a string expression is a docstring (a returned string is not), only one
    statement is skipped for it, and only NotImplementedError marks a stub."""
    assert is_stub(func) is stub


def _catches_everything(release):
    """A learner's loop that swallows every Exception (not BaseException): the check's stop still ends it (and,
    should a mutant's stop not, the test's ``release`` after the test)."""
    def catches_everything(*args):
        while not release.is_set():
            try:
                time.sleep(0.001)
            except Exception:  # noqa: BLE001 - what a learner may write
                pass
    return catches_everything


def test_a_timeout_names_the_arguments_and_stops_a_loop_that_catches_exceptions(release):
    """The timeout message quotes every argument of the case (joined by ", "), and the stop is an exception a
    learner's ``except Exception`` does not catch, so such a loop is stopped, not left running."""
    out, _ = _within(20, lambda: call_safely(_catches_everything(release), [(1.0, 2.5)], ["a", "b"], timeout=0.3))
    assert (out.status, out.case, out.message) == ("timeout", 0, (
        "your function did not return within 0.3 s (called with a=1, b=2.5). Look for a loop that never ends "
        "or a step so small that it takes millions of iterations.\n  It was stopped."))
    out, _ = _within(20, lambda: call_safely(_catches_everything(release), [(1.0,)], timeout=0.3))
    assert out.message.startswith("your function did not return within 0.3 s. Look for a loop"), out.message


def test_input_is_named_with_the_whole_advice():
    def ask(x):
        return float(input("x? "))

    out = call_safely(ask, [(1.0,)], ["x"])
    assert (out.status, out.message) == ("error", (
        "ask calls input(): a check calls your function with fixed arguments and cannot type answers for you. "
        "Take the value as a parameter (or a variable set in the notebook) instead."))


def test_a_callable_object_without_a_name_is_called_function_in_messages():
    class Asks:
        def __call__(self, x):
            return float(input("x? "))

    out = call_safely(Asks(), [(1.0,)], ["x"])
    assert out.status == "error" and out.message.startswith("function calls input(): "), out.message


def test_a_callable_object_raising_not_implemented_is_an_error_not_a_stub():
    """Only the learner function's own ``raise NotImplementedError`` marks a stub; a callable object has no
    ``__code__``, and its NotImplementedError is reported (call_safely never raises)."""
    class Unfinished:
        def __call__(self, x):
            raise NotImplementedError("later")

    out = call_safely(Unfinished(), [(1.0,)], ["x"])
    assert (out.status, out.case) == ("error", 0) and "NotImplementedError: later" in out.message, out


def test_opaque_stand_ins_keep_a_type_name_that_can_be_printed():
    """A learner type whose name is not an identifier is shown as "object"; a callable object becomes a
    stand-in that refuses to be called; a recorded outcome has the exercise's name and cannot be called."""
    from course.safe_call import Outcome, Recorded, _opaque_function, plain_value

    odd = type("not a name", (), {"__repr__": lambda self: "<odd>"})()
    v = plain_value(odd)
    assert (type(v).__name__, repr(v)) == ("object", "<odd>")
    assert type(plain_value(type("Odd", (), {})())).__name__ == "Odd"
    func = plain_value(type("Callable", (), {"__call__": lambda self: 1.0})())
    assert func is _opaque_function
    with pytest.raises(TypeError, match="^a stand-in for a callable answer$"):
        func(1.0, x=2)
    rec = Recorded(Outcome("ok", values=[1.0]), "rate")
    assert rec.__name__ == "rate" and Recorded(Outcome("stub")).__name__ == "function"
    with pytest.raises(TypeError, match="^Recorded results cannot be called$"):
        rec(1.0)


def test_a_function_that_cannot_be_stopped_is_said_to_run_on():
    """A thread blocked in C (time.sleep) cannot be stopped: the message says it runs on, and what to do."""
    def slow(x):
        time.sleep(2)
        return x

    out, _ = _within(20, lambda: call_safely(slow, [(1.0,)], ["x"], timeout=0.2))
    assert (out.status, out.message) == ("timeout", (
        "your function did not return within 0.2 s (called with x=1). Look for a loop that never ends or a step "
        "so small that it takes millions of iterations.\n  It is still running in the background (Python cannot "
        "kill a thread); if the notebook stays busy, restart the kernel."))


def test_plain_value_keeps_numpy_data_and_converts_subclasses_and_object_arrays():
    """numpy's own scalars and numeric arrays are kept as they are (the same object); a learner's subclass of a
    numpy scalar is converted to a plain array (it may override anything), and an object array, which holds
    learner objects, becomes an opaque stand-in."""
    from course.safe_call import Opaque, plain_value

    x, a = np.float64(2.5), np.arange(3.0)
    assert plain_value(x) is x and plain_value(a) is a
    lying = type("Lying", (np.float64,), {"__repr__": lambda self: "3.0"})(2.0)
    v = plain_value(lying)
    assert type(v) is np.ndarray and v.dtype == np.float64 and v.item() == 2.0
    objects = np.array([type("Thing", (), {"__repr__": lambda self: "<thing>"})()], dtype=object)
    v = plain_value(objects)
    assert isinstance(v, Opaque) and type(v).__name__ == "ndarray" and repr(v) == "array([<thing>], dtype=object)"


def test_short_repr_elides_long_arrays_to_three_items_each_side():
    from course.safe_call import short_repr

    assert short_repr(np.arange(20.0)) == "[0, 1, 2, ..., 17, 18, 19]"
    assert short_repr(np.arange(8.0)) == "[0, 1, 2, 3, 4, 5, 6, 7]"  # up to 8 items, all are shown
    assert short_repr(np.arange(9.0)) == "[0, 1, 2, ..., 6, 7, 8]"
    assert short_repr("a" * 78) == "'" + "a" * 78 + "'"  # 80 characters: kept whole
    assert short_repr("a" * 79) == "'" + "a" * 76 + "..."  # 81: cut to 80 with the ellipsis


def test_a_later_case_that_fails_in_the_call_is_not_blamed_on_the_conversion():
    """Each case starts in the call phase again: after the first case's result was converted, an error or a loop
    in the second call is the function's, not "while turning its result into numbers"."""
    def f(x):
        if x > 1:
            raise ValueError("too big")
        return x

    out = call_safely(f, [(1.0,), (2.0,)], ["x"])
    assert (out.status, out.case) == ("error", 1) and "when called with x=2" in out.message, out
    assert "turning its result into numbers" not in out.message, out.message

    def g(x):
        time.sleep(0.001 if x < 2 else 2)
        return x

    out, _ = _within(20, lambda: call_safely(g, [(1.0,), (2.0,)], ["x"], timeout=0.5))
    assert (out.status, out.case) == ("timeout", 1) and out.message.startswith(
        "your function did not return within 0.5 s (called with x=2)"), out.message


class _ClassRaises:
    """A returned object whose __class__ raises: its conversion (isinstance) fails in the worker."""

    @property
    def __class__(self):
        raise ValueError("no class")


def test_each_error_of_call_safely_names_its_case_and_where_it_happened(release):
    """The exact message and case of each error: a conversion that raises (with and without argument names), a
    function that starts its own check or calls input() in its second case, a conversion without end."""
    def returns_odd(x):
        return _ClassRaises()

    at = "  at line {} in __class__: raise ValueError(\"no class\")".format(
        _ClassRaises.__dict__["__class__"].fget.__code__.co_firstlineno + 2)
    out = call_safely(returns_odd, [(1.0,)], ["x"])
    assert (out.status, out.case, out.message) == (
        "error", 0, f"your code raised ValueError: no class when called with x=1 while turning its result into numbers.\n{at}")
    out = call_safely(returns_odd, [(1.0,)])
    assert (out.status, out.case, out.message) == (
        "error", 0, f"your code raised ValueError: no class while turning its result into numbers.\n{at}")

    def fails(x):
        return 1 / 0

    out = call_safely(fails, [(1.0,)])
    assert out.message.startswith("your code raised ZeroDivisionError: division by zero.\n"), out.message

    def again(x):
        return call_safely(again, [(x,)])

    out = call_safely(again, [(1.0,), (2.0,)], ["x"])
    assert (out.status, out.case) == ("error", 0) and out.message.startswith("again starts a check (an ex.check_"), out

    def ask(x):
        return float(input("x? ")) if x > 1 else x

    out = call_safely(ask, [(1.0,), (2.0,)], ["x"])
    assert (out.status, out.case) == ("error", 1) and out.message.startswith("ask calls input(): "), out

    loops = type("Loops", (), {"__array__": _forever, "release": release})
    out, _ = _within(20, lambda: call_safely(lambda x: loops(), [(1.0,)], ["x"], timeout=0.5))
    assert (out.status, out.case) == ("timeout", 0) and out.message.startswith(
        "turning what it returned into numbers did not finish within 0.5 s (its __array__"), out.message


def test_input_outside_the_checked_code_still_works_during_a_check(monkeypatch):
    """While a check runs, input() is guarded; another thread's input() (not under the check) reaches the real one."""
    import builtins

    monkeypatch.setattr(builtins, "input", lambda prompt="": "typed")
    seen = {}

    def slow(x):
        time.sleep(1.0)
        return x

    t = threading.Thread(target=lambda: seen.setdefault("out", call_safely(slow, [(1.0,)], ["x"], timeout=10)), daemon=True)
    t.start()
    deadline = time.monotonic() + 5
    while not getattr(builtins.input, "_course_guard", False) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert getattr(builtins.input, "_course_guard", False), "the check never guarded input()"
    seen["typed"] = builtins.input("x? ")  # this thread is not under the check
    t.join(20)
    assert seen["typed"] == "typed" and seen["out"].status == "ok"


def test_a_check_thread_left_running_is_a_daemon_so_python_can_exit():
    """A function that cannot be stopped runs on in a daemon thread: the kernel (here a Python process) can
    still exit at once, instead of waiting for the learner's function to end."""
    import subprocess
    import sys

    def sleeps():
        time.sleep(3)

    before = set(threading.enumerate())
    assert call_safely(sleeps, [()], timeout=0.2).status == "timeout"
    left = [t for t in set(threading.enumerate()) - before if t.name == "course-check-sleeps"]
    assert left and all(t.daemon for t in left)  # in this process: the thread left running is a daemon
    # and in a fresh process, which then exits at once
    code = ("import time\nfrom course.safe_call import call_safely\n"
            "def slow():\n    time.sleep(120)\n"
            "print(call_safely(slow, [()], timeout=0.2).status)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=90)
    assert r.stdout.strip() == "timeout", r.stderr
