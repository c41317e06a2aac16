"""Run a learner's function so that nothing it does can crash or hang a check.

Choice: a daemon worker thread with a timeout, not a subprocess.  A learner's function is defined in
a notebook cell (``__main__``), often as a closure over notebook variables; a spawned subprocess
cannot receive it (not picklable) and a forked one is unsafe in a kernel that already runs threads.
A thread sees the function as it is.  Its limit: Python cannot kill a thread.  On timeout we
raise an exception inside the worker (``PyThreadState_SetAsyncExc``), which stops a pure-Python
loop at its next bytecode; a single long call into C (``time.sleep``, a huge numpy operation)
finishes first.  The check returns at the timeout either way and the message says whether the
function was stopped or is still running in the background (then: restart the kernel).
"""
from __future__ import annotations

import ast
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
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Outcome", "call_safely", "is_stub", "describe_exception", "short_repr", "DEFAULT_TIMEOUT"]

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
    """True if ``func``'s bytecode only returns None (a body of ``...``/``pass``/docstring)."""
    try:
        ops = [i.opname for i in dis.get_instructions(func) if i.opname not in ("RESUME", "NOP", "CACHE")]
        consts = func.__code__.co_consts
    except (TypeError, AttributeError):
        return False
    return ops == ["RETURN_CONST"] or (ops == ["LOAD_CONST", "RETURN_VALUE"] and None in consts)


def is_stub(func: Callable) -> bool:
    """True if ``func``'s body (after its docstring) is only ``...``, ``pass`` or
    ``raise NotImplementedError``.  Without source (e.g. ``exec``-ed code) only a body that does
    nothing is recognised; a ``raise NotImplementedError`` is caught when it runs."""
    try:
        src = textwrap.dedent(inspect.getsource(func))
        tree = ast.parse(src)
    except (OSError, TypeError, SyntaxError, IndentationError):
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


def call_safely(func: Callable, cases: Sequence[Sequence[Any]], arg_names: Sequence[str] = (),
                timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """Call ``func(*args)`` for each ``args`` in ``cases`` in one worker thread, at most ``timeout``
    seconds in total.  Arguments are deep-copied so the learner's code cannot alter the cases.

    Returns an :class:`Outcome`; never raises (except KeyboardInterrupt from the learner).
    """
    if is_stub(func):
        return Outcome("stub")
    box: dict[str, Any] = {"values": [], "case": None}

    def work():
        try:
            for i, args in enumerate(cases):
                box["case"] = i
                box["values"].append(func(*copy.deepcopy(tuple(args))))
            box["case"] = None
        except _CheckTimeout:
            pass
        except BaseException as exc:  # noqa: BLE001 - anything the learner raises is reported
            box["exc"] = exc

    name = getattr(func, "__name__", "function")
    worker = threading.Thread(target=work, name=f"course-check-{name}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        i = box["case"]
        args = _fmt_args(arg_names, cases[i]) if i is not None else ""
        stopped = _stop_thread(worker)
        what = (f"your function did not return within {timeout:g} s" + (f" (called with {args})" if args else "")
                + ". Look for a loop that never ends or a step so small that it takes millions of iterations.")
        what += ("\n  It was stopped." if stopped else
                 "\n  It is still running in the background (Python cannot kill a thread); "
                 "if the notebook stays busy, restart the kernel.")
        return Outcome("timeout", message=what, case=i)
    if "exc" in box:
        exc = box["exc"]
        i = box["case"]
        if isinstance(exc, NotImplementedError):
            return Outcome("stub")
        where = f"when called with {_fmt_args(arg_names, cases[i])}" if i is not None and arg_names else ""
        return Outcome("error", message=describe_exception(exc, where), case=i)
    return Outcome("ok", values=box["values"])
