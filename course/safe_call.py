"""Run a learner's function so that nothing it does can crash or hang a check.

Choice: a daemon worker thread with a timeout, not a subprocess.  A learner's function is defined in
a notebook cell (``__main__``), often as a closure over notebook variables; a spawned subprocess
cannot receive it (not picklable) and a forked one is unsafe in a kernel that already runs threads.
A thread sees the function as it is.  Its limit: Python cannot kill a thread.  On timeout we
raise an exception inside the worker (``PyThreadState_SetAsyncExc``), which stops a pure-Python
loop at its next bytecode; a single long call into C (``time.sleep``, a huge numpy operation)
finishes first.  The check returns at the timeout either way and the message says whether the
function was stopped or is still running in the background (then: restart the kernel).

Everything that runs learner code happens in that worker, under the limit: the calls, and turning
what they return into plain data (``__array__``, ``__repr__``, ``__float__``, ``__len__`` of a
learner's object run there, see :func:`plain_value`), so the check itself only ever sees numbers,
numpy arrays of numbers, None, bools, strings, functions, or an :class:`Opaque` stand-in.  A check
called from inside the function it checks (directly or through a conversion) is detected and
reported instead of recursing through new threads; ``input()`` inside a checked function is
reported as such (a check cannot type for the learner).
"""
from __future__ import annotations

import ast
import builtins
import copy
import ctypes
import dis
import inspect
import linecache
import os
import sysconfig
import textwrap
import threading
import traceback
import types
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Outcome", "call_safely", "convert_safely", "plain_value", "Opaque", "Recorded", "is_stub",
           "describe_exception", "short_repr", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 5.0  # seconds for all test cases of one check together

_COURSE_DIR = os.path.dirname(os.path.abspath(__file__))
_LIBRARY_DIRS = tuple(
    os.path.abspath(p) + os.sep
    for p in {sysconfig.get_path("stdlib"), sysconfig.get_path("purelib"), sysconfig.get_path("platlib"),
              _COURSE_DIR, os.path.join(os.path.dirname(_COURSE_DIR), "snnlib")}
    if p
)


class _CheckTimeout(BaseException):
    """Raised inside a runaway learner function to stop it (BaseException: not caught by
    a learner's ``except Exception``)."""


class _ReEntry(BaseException):
    """Raised when a check is started from inside the learner code it is checking."""


class _InputInCheck(BaseException):
    """Raised by ``input()`` called from learner code under a check."""


# Worker threads currently running learner code: thread ident -> that call's result box.
_ACTIVE: dict[int, dict] = {}


@dataclass
class Outcome:
    """Result of running the learner's code.

    status: "ok" (``values`` holds one result per call), "stub" (body still ``...`` or
    ``raise NotImplementedError``), "error" (the code raised; ``message`` says what and where) or
    "timeout".  ``case`` is the index of the call that failed, if any.
    """

    status: str
    values: list | None = None
    message: str = ""
    case: int | None = None


def _does_nothing(func: Callable) -> bool:
    """True if ``func``'s bytecode only returns None (a body of ``...``/``pass``/docstring).

    ``return 5`` compiles to the same two instructions with another constant: only the constant
    None (what a body of ``...`` returns) counts as doing nothing."""
    try:
        ins = [i for i in dis.get_instructions(func) if i.opname not in ("RESUME", "NOP", "CACHE")]
    except Exception:  # noqa: BLE001 - not a function (dis reads a learner object's attributes, which may raise)
        return False
    ops = [i.opname for i in ins]
    if ops == ["RETURN_CONST"]:
        return ins[0].argval is None
    return ops == ["LOAD_CONST", "RETURN_VALUE"] and ins[0].argval is None


def is_stub(func: Callable) -> bool:
    """True if ``func``'s body (after its docstring) is only ``...``, ``pass`` or
    ``raise NotImplementedError``.  Without source (e.g. ``exec``-ed code) only a body that does
    nothing is recognised; a ``raise NotImplementedError`` is caught when it runs."""
    try:
        src = textwrap.dedent(inspect.getsource(func))
        tree = ast.parse(src)
    except Exception:  # noqa: BLE001 - no source (OSError, TypeError), or a learner object whose attributes raise
        return _does_nothing(func)
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not defs:
        return False
    body = list(defs[0].body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]  # docstring

    def empty(stmt) -> bool:
        if isinstance(stmt, ast.Pass):
            return True
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is Ellipsis:
            return True
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
        return False

    return all(empty(s) for s in body)


def _learner_frame(tb) -> traceback.FrameSummary | None:
    """The innermost traceback frame in the learner's own code (not stdlib, site-packages,
    course or snnlib): the line the learner can fix."""
    frames = traceback.extract_tb(tb)
    mine = [f for f in frames if not os.path.abspath(f.filename).startswith(_LIBRARY_DIRS)]
    return mine[-1] if mine else (frames[-1] if frames else None)


_TIPS = {
    "truth value of an array": "Tip: `if` cannot test a whole array at once; use np.where(cond, a, b) "
                               "or a boolean mask such as rates[J > 1] = ...",
    "arrays can be converted to Python scalars": "Tip: math.exp and math.log take one number; use np.exp "
                                                 "and np.log, which work element-wise on arrays.",
    "unsupported operand type(s) for": "Tip: check the types you combine (a list is not an array: "
                                       "use np.asarray).",
}


def _learner_tb_frame(tb):
    """The frame object of the innermost traceback entry in the learner's code (see _learner_frame)."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    mine = [f for f in frames if not os.path.abspath(f.f_code.co_filename).startswith(_LIBRARY_DIRS)]
    return mine[-1] if mine else (frames[-1] if frames else None)


def _name_error_tip(exc: NameError) -> str:
    """Point at the undefined name: not an argument, not defined in the notebook; the nearest names."""
    import builtins
    import difflib

    name = getattr(exc, "name", None)
    frame = _learner_tb_frame(exc.__traceback__)
    if not name or frame is None:
        return "Tip: a name used in your code is not defined; check its spelling."
    code = frame.f_code
    args = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    known = set(args) | set(frame.f_locals) | {k for k in frame.f_globals if not k.startswith("_")} | set(dir(builtins))
    close = difflib.get_close_matches(name, sorted(known), n=2, cutoff=0.6)
    where = f" of {code.co_name}" if code.co_name not in ("<module>", "<lambda>") else ""
    text = f"Tip: `{name}` is used but never defined: it is not an argument{where}"
    text += f" (those are {', '.join(args)})" if args else ""
    text += " and not a name defined in the notebook."
    if name in ("np", "numpy", "snn", "snnlib"):
        text += " Run the setup cell at the top of the notebook (it imports numpy as np and snnlib as snn)."
    elif close:
        text += " Did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
    else:
        text += " Define it before this line, or if it comes from another cell, run that cell first."
    return text


def describe_exception(exc: BaseException, where: str = "") -> str:
    """A readable one-paragraph description of ``exc``: type, message, the learner's line, a tip."""
    frame = _learner_frame(exc.__traceback__)
    text = f"{type(exc).__name__}: {exc}".rstrip(": ")
    lines = [f"your code raised {text}" + (f" {where}" if where else "") + "."]
    if frame is not None:
        code = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
        loc = f"line {frame.lineno}" + (f" in {frame.name}" if frame.name != "<module>" else "")
        lines.append(f"  at {loc}: {code}" if code else f"  at {loc}")
    if isinstance(exc, NameError):
        lines.append("  " + _name_error_tip(exc))
    for key, tip in _TIPS.items():
        if key in str(exc):
            lines.append("  " + tip)
    return "\n".join(lines)


def _stop_thread(thread: threading.Thread) -> bool:
    """Ask ``thread`` to raise _CheckTimeout; wait briefly; True if it has stopped."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_CheckTimeout))
    thread.join(0.5)
    return not thread.is_alive()


def short_repr(x) -> str:
    """Compact repr for messages: numbers to 6 significant digits, long arrays elided, one line."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    if isinstance(x, np.ndarray) and x.dtype.kind in "iuf":
        r = np.array2string(x, threshold=8, edgeitems=3, separator=", ", max_line_width=10_000,
                            formatter={"float_kind": lambda v: f"{v:.6g}"})
    else:
        r = repr(x)
    r = " ".join(r.split())
    return r if len(r) <= 80 else r[:77] + "..."


def _fmt_args(names: Sequence[str], args: Sequence[Any]) -> str:
    return ", ".join(f"{n}={short_repr(a)}" for n, a in zip(names, args))


class Opaque:
    """Stand-in for a learner's object that is not plain numbers: its type name and repr were taken
    in the worker (under the time limit), so messages about it never run learner code again.
    ``type(x).__name__`` of an instance is the learner's type name (see :func:`_opaque`)."""

    __slots__ = ("_text",)

    def __init__(self, text: str):
        self._text = text

    def __repr__(self) -> str:
        return self._text


def _opaque(type_name: str, text: str) -> Opaque:
    cls = type(type_name if type_name.isidentifier() else "object", (Opaque,), {"__slots__": ()})
    return cls(text)


def _opaque_function(*args, **kwargs):  # stands in for a callable learner object
    raise TypeError("a stand-in for a callable answer")


_PLAIN_TYPES = (type(None), bool, int, float, complex, str, type(Ellipsis))
_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, np.ufunc)


def plain_value(value):
    """``value`` as plain data that can be inspected without running learner code: numbers, None,
    bools, strings and numpy arrays of a non-object dtype are returned as they are (exact types
    only: a subclass may override anything); functions too (never converted); anything else is
    converted with ``np.asarray`` now (a numeric result is kept), else replaced by an
    :class:`Opaque` carrying its type name and short repr.  Meant to run in the worker thread."""
    t = type(value)
    if t in _PLAIN_TYPES or (isinstance(value, np.generic) and t.__module__ == "numpy"):
        return value
    if t is np.ndarray and value.dtype != object:
        return value
    if t in _FUNCTION_TYPES:
        return value
    if callable(value):
        return _opaque_function
    try:
        arr = np.asarray(value)
        if type(arr) is np.ndarray and arr.dtype != object:
            return np.array(arr)  # a plain copy, detached from the learner's object
    except Exception:  # noqa: BLE001 - any conversion may fail; then the object is described
        pass
    try:
        text = short_repr(value)
    except Exception:  # noqa: BLE001 - a learner's __repr__ may raise
        text = f"<{t.__name__} object>"
    return _opaque(t.__name__, text)


class Recorded:
    """A learner's results obtained elsewhere (in the notebook's kernel, by ``course check``):
    :func:`call_safely` returns ``outcome`` as it is instead of calling anything."""

    def __init__(self, outcome: Outcome, name: str = "function"):
        self.outcome = outcome
        self.__name__ = name

    def __call__(self, *args):
        raise TypeError("Recorded results cannot be called")


def _guarded_input(original):
    def input(*args, **kwargs):  # noqa: A001 - replaces the builtin while a check runs
        if threading.get_ident() in _ACTIVE:
            raise _InputInCheck()
        return original(*args, **kwargs)
    input._course_guard = True
    return input


def _raised_by(exc: BaseException, func: Callable) -> bool:
    """True if ``exc`` was raised directly in ``func``'s own body (its last traceback frame)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code is getattr(func, "__code__", None)


def _run_in_worker(name: str, job: Callable[[dict], None], timeout: float) -> tuple[dict, bool, bool]:
    """Run ``job(box)`` in a daemon thread for at most ``timeout`` s.  Returns (box, timed_out,
    stopped).  Learner code started by ``job`` is marked as running under a check (re-entry and
    ``input()`` detection)."""
    here = threading.get_ident()
    if here in _ACTIVE:  # a check started from inside the learner code it is checking
        _ACTIVE[here]["reentered"] = True
        raise _ReEntry()
    box: dict[str, Any] = {"values": [], "case": None, "phase": "call"}

    def work():
        _ACTIVE[threading.get_ident()] = box
        try:
            job(box)
        except (_CheckTimeout, _ReEntry):
            pass
        except _InputInCheck:
            box["input"] = True
        except BaseException as exc:  # noqa: BLE001 - anything the learner raises is reported
            box["exc"] = exc
        finally:
            _ACTIVE.pop(threading.get_ident(), None)

    original_input = builtins.input
    guard = _guarded_input(original_input)
    builtins.input = guard
    try:
        worker = threading.Thread(target=work, name=f"course-check-{name}", daemon=True)
        worker.start()
        worker.join(timeout)
        if not worker.is_alive():
            return box, False, True
        return box, True, _stop_thread(worker)
    finally:
        if builtins.input is guard:
            builtins.input = original_input


def _reentry_message(name: str) -> str:
    return (f"{name} starts a check (an ex.check_... call) while it is being checked: the check calls "
            f"{name}, which calls the check again, without end. Remove the check call from inside "
            f"{name}; call it in the check cell below the function instead.")


def _input_message(name: str) -> str:
    return (f"{name} calls input(): a check calls your function with fixed arguments and cannot type "
            "answers for you. Take the value as a parameter (or a variable set in the notebook) instead.")


def _timeout_message(box: dict, timeout: float, args: str, stopped: bool, subject: str) -> str:
    if box["phase"] == "convert":
        what = (f"turning {subject} into numbers did not finish within {timeout:g} s (its __array__, "
                "__float__, __len__ or __repr__ runs without end?). Return a float or a numpy array.")
    else:
        what = (f"your function did not return within {timeout:g} s" + (f" (called with {args})" if args else "")
                + ". Look for a loop that never ends or a step so small that it takes millions of iterations.")
    return what + ("\n  It was stopped." if stopped else
                   "\n  It is still running in the background (Python cannot kill a thread); "
                   "if the notebook stays busy, restart the kernel.")


def call_safely(func: Callable, cases: Sequence[Sequence[Any]], arg_names: Sequence[str] = (),
                timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """Call ``func(*args)`` for each ``args`` in ``cases`` in one worker thread, at most ``timeout``
    seconds in total, and turn each result into plain data there (:func:`plain_value`), so no
    learner code runs outside the limit.  Arguments are deep-copied so the learner's code cannot
    alter the cases.  A :class:`Recorded` ``func`` gives its recorded outcome.

    Returns an :class:`Outcome`; never raises (except KeyboardInterrupt from the learner, and
    inside learner code that starts a check: that check is stopped and the outer one reports it).
    """
    if type(func) is Recorded:  # exact type: isinstance reads a learner object's __class__, which may raise
        return func.outcome
    if is_stub(func):
        return Outcome("stub")
    name = getattr(func, "__name__", "function")

    def job(box):
        for i, args in enumerate(cases):
            box["case"], box["phase"] = i, "call"
            value = func(*copy.deepcopy(tuple(args)))
            box["phase"] = "convert"
            box["values"].append(plain_value(value))
        box["case"] = None

    box, timed_out, stopped = _run_in_worker(name, job, timeout)
    i = box["case"]
    if box.get("reentered"):
        return Outcome("error", message=_reentry_message(name), case=i)
    if timed_out:
        args = _fmt_args(arg_names, cases[i]) if i is not None else ""
        return Outcome("timeout", message=_timeout_message(box, timeout, args, stopped, "what it returned"), case=i)
    if box.get("input"):
        return Outcome("error", message=_input_message(name), case=i)
    if "exc" in box:
        exc = box["exc"]
        if type(exc) is NotImplementedError and _raised_by(exc, func):  # the stub's own `raise`
            return Outcome("stub")
        where = f"when called with {_fmt_args(arg_names, cases[i])}" if i is not None and arg_names else ""
        if box["phase"] == "convert":
            where = (where + " " if where else "") + "while turning its result into numbers"
        return Outcome("error", message=describe_exception(exc, where), case=i)
    return Outcome("ok", values=box["values"])


def convert_safely(value: Any, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """:func:`plain_value` of a learner's value, in a worker under ``timeout`` (a value answer
    can be an object whose conversion never ends).  Outcome "ok" with ``values=[plain]``, or
    "timeout"/"error" with a message; never raises (as :func:`call_safely`).  A :class:`Recorded`
    value gives its recorded outcome."""
    if type(value) is Recorded:  # exact type: isinstance reads a learner object's __class__, which may raise
        return value.outcome

    def job(box):
        box["phase"] = "convert"
        box["values"].append(plain_value(value))

    box, timed_out, stopped = _run_in_worker("value", job, timeout)
    if box.get("reentered"):
        return Outcome("error", message=_reentry_message("your value's conversion"))
    if timed_out:
        return Outcome("timeout", message=_timeout_message(box, timeout, "", stopped, "your value"))
    if "exc" in box:
        return Outcome("error", message=describe_exception(box["exc"], "while turning your value into numbers"))
    return Outcome("ok", values=box["values"])
