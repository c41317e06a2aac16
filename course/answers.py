"""Carry a learner's answers out of the notebook's kernel as plain data, so ``course check`` can
judge them in its own process.

The kernel runs the learner's code; anything in it can be patched by that code (a check's
reference, ``np.allclose``, ``Exercise.evaluate``, the progress file's writer).  So ``course check``
does not trust a verdict from the kernel: a small *collector* cell, added to the copy of the
notebook it executes, calls each learner function on the exercise's cases (sent by the checker,
under the usual time limit of :func:`course.safe_call.call_safely`) and writes what came back as
JSON (numbers, shapes, type names; never pickle: the checker never unpickles the kernel's data).
The checker decodes it (:func:`decode`) and compares with references computed in its own process.
The only way to "pass" from the notebook is then to produce the right numbers.
"""
from __future__ import annotations

import base64
import json
import pickle
from typing import Any

import numpy as np

from course.safe_call import Opaque, Outcome, _opaque, _opaque_function, convert_safely, call_safely

__all__ = ["collector_source", "collect", "decode", "MAX_ELEMENTS"]

MAX_ELEMENTS = 1_000_000  # larger arrays travel as a shape only (never the right answer here)


def _encode(v: Any) -> dict:
    """JSON-able description of a plain value (see :func:`course.safe_call.plain_value`)."""
    if v is None:
        return {"t": "none"}
    if v is Ellipsis:
        return {"t": "ellipsis"}
    if isinstance(v, (bool, np.bool_)):
        return {"t": "bool", "v": bool(v)}
    if isinstance(v, str):
        return {"t": "str", "v": v[:200]}
    if isinstance(v, Opaque):
        return {"t": "opaque", "type": type(v).__name__, "repr": repr(v)}
    if callable(v):
        return {"t": "function"}
    arr = np.asarray(v)
    if arr.dtype.kind not in "iufc":
        return {"t": "opaque", "type": type(v).__name__, "repr": repr(v)[:200]}
    head = {"shape": list(arr.shape), "scalar": not isinstance(v, np.ndarray)}
    if arr.size > MAX_ELEMENTS:
        return {"t": "big", **head}
    if arr.dtype.kind == "c":
        return {"t": "complex", **head, "re": arr.real.ravel().tolist(), "im": arr.imag.ravel().tolist()}
    return {"t": "array", **head, "kind": arr.dtype.kind, "data": arr.astype(float).ravel().tolist()}


def _outcome_record(outcome: Outcome) -> dict:
    rec = {"status": outcome.status, "message": outcome.message, "case": outcome.case}
    if outcome.status == "ok":
        rec["values"] = [_encode(v) for v in outcome.values]
    return rec


def collect(spec: list[dict], namespace: dict, out_path: str) -> None:
    """In the kernel: for each exercise of ``spec`` (``id, kind, cases, arg_names, timeout``),
    append one JSON line with what the learner's answer gives, or that it is missing."""
    with open(out_path, "a", encoding="utf-8") as fh:
        for e in spec:
            rec: dict[str, Any] = {"exercise": e["id"]}
            if e["id"] not in namespace:
                rec["missing"] = True
            else:
                answer = namespace[e["id"]]
                if e["kind"] == "function" and callable(answer):
                    rec["call"] = _outcome_record(call_safely(answer, e["cases"], e["arg_names"], e["timeout"]))
                else:
                    rec["value"] = _outcome_record(convert_safely(answer, e["timeout"]))
            fh.write(json.dumps(rec) + "\n")


def collector_source(spec: list[dict], out_path: str) -> str:
    """Source of the collector cell for ``spec`` (cases sent as base64 pickle: checker -> kernel)."""
    blob = base64.b64encode(pickle.dumps(spec)).decode("ascii")
    return ("import base64 as _cb, pickle as _cp\n"
            "from course.answers import collect as _course_collect\n"
            f"_course_collect(_cp.loads(_cb.b64decode({blob!r})), globals(), {out_path!r})")


def _decode_value(d: dict) -> Any:
    if not isinstance(d, dict):
        raise ValueError("malformed answer record")  # a notebook can write anything to the answers file
    t = d.get("t")
    if t == "none":
        return None
    if t == "ellipsis":
        return Ellipsis
    if t == "bool":
        return bool(d["v"])
    if t == "str":
        return str(d["v"])
    if t == "function":
        return _opaque_function
    if t == "opaque":
        return _opaque(str(d.get("type", "object")), str(d.get("repr", "?"))[:200])
    shape = tuple(int(n) for n in d["shape"])
    if t == "big":
        return _opaque("ndarray", f"<an array of shape {shape}>")
    if t == "complex":
        arr = (np.array(d["re"], dtype=float) + 1j * np.array(d["im"], dtype=float)).reshape(shape)
    elif t == "array":
        arr = np.array(d["data"], dtype=float).reshape(shape)
        if d.get("kind") in ("i", "u") and np.all(np.isfinite(arr)):
            arr = arr.astype(np.int64)
    else:
        raise ValueError(f"unknown value record {t!r}")
    return arr[()] if d.get("scalar") and arr.ndim == 0 else arr


def decode(rec: dict) -> Outcome:
    """An :class:`Outcome` from one record's ``call`` or ``value`` part (ValueError if malformed)."""
    part = rec.get("call") or rec.get("value")
    if not isinstance(part, dict) or part.get("status") not in ("ok", "stub", "error", "timeout"):
        raise ValueError("malformed answer record")
    values = [_decode_value(v) for v in part.get("values", [])] if part["status"] == "ok" else None
    case = part.get("case")
    return Outcome(part["status"], values=values, message=str(part.get("message", "")),
                   case=case if isinstance(case, int) else None)
