"""Format numbers exactly as an ipywidgets slider readout shows them.

ipywidgets draws slider readouts in the browser with d3-format (its default locale) and the
control's ``readout_format`` (``".2f"`` for FloatSlider, ``".3g"`` for FloatLogSlider, ``"d"`` for
IntSlider).  d3 differs from Python's ``format`` in ways a learner would see and a browser test
would trip over: ``".3g"`` keeps trailing zeros (1 -> ``"1.00"``), exponents have no zero padding
(``"1.00e-7"``), halves round up and negative numbers use the minus sign U+2212 (``"−0.50"``).
:func:`d3_format` reproduces the d3 rules for the types sliders use (``f e g d % r``, sign, comma,
``~`` trim); anything else falls back to Python's ``format``.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["d3_format"]

MINUS = "\u2212"  # d3-format's default locale writes negatives with the real minus sign
_SPEC = re.compile(
    r"^(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[+\-( ])?(?P<symbol>[$#])?(?P<zero>0)?"
    r"(?P<width>\d+)?(?P<comma>,)?(?:\.(?P<precision>\d+))?(?P<trim>~)?(?P<type>[a-z%])?$"
)


def _fixed(x: float, digits: int) -> str:
    """JavaScript ``Number.prototype.toFixed``: exact value, ties rounded away from zero."""
    q = Decimal(1).scaleb(-digits)
    return f"{Decimal(x).quantize(q, rounding=ROUND_HALF_UP):f}"


def _round_sig(x: float, sig: int) -> tuple[Decimal, int]:
    """Round |x| to ``sig`` significant digits (ties up); return the value and its exponent."""
    d = Decimal(abs(x))
    if d == 0:
        return Decimal(0), 0
    exp = d.adjusted()
    r = d.quantize(Decimal(1).scaleb(exp - sig + 1), rounding=ROUND_HALF_UP)
    if r.adjusted() > exp:  # 9.99 -> 10.0 moved the exponent
        exp = r.adjusted()
        r = d.quantize(Decimal(1).scaleb(exp - sig + 1), rounding=ROUND_HALF_UP)
    return r, exp


def _exponential(x: float, digits: int) -> str:
    """JavaScript ``toExponential(digits)``: ``1.50e+3``, ``2.0e-7`` (no exponent padding)."""
    r, exp = _round_sig(x, digits + 1)
    mantissa = _fixed(float(r.scaleb(-exp)), digits) if r != 0 else _fixed(0.0, digits)
    return f"{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp)}"


def _precision(x: float, sig: int) -> str:
    """JavaScript ``toPrecision(sig)``: exponential when exponent < -6 or >= sig."""
    r, exp = _round_sig(x, sig)
    if exp < -6 or exp >= sig:
        return _exponential(x, sig - 1)
    return f"{r.quantize(Decimal(1).scaleb(exp - sig + 1)):f}" if r != 0 else _fixed(0.0, sig - 1)


def _trim(s: str) -> str:
    """d3's ``~``: drop insignificant trailing zeros (and a bare decimal point) of the mantissa."""
    mant, sep, exp = s.partition("e")
    if "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return mant + sep + exp


def _group(digits: str) -> str:
    """Insert thousands separators into the integer part of a plain number string."""
    head, dot, tail = digits.partition(".")
    if not head.isdigit():
        return digits
    return f"{int(head):,}" + dot + tail


def d3_format(value, spec: str) -> str:
    """Format ``value`` like d3-format's ``format(spec)(value)`` in its default locale.

    Parameters
    ----------
    value : int or float
        The number to format (any unit; formatting is unit-free).
    spec : str
        A d3 format specifier such as ``".2f"``, ``".3g"``, ``"d"``, ``".1%"``, ``",.0f"``.

    Returns
    -------
    str
        The text the browser readout shows, including U+2212 for negative numbers.
    """
    m = _SPEC.match(spec or "")
    x = float(value)
    if m is None or m["type"] not in (None, "f", "e", "g", "d", "%", "r"):
        return format(value, spec)
    kind, trim = m["type"], bool(m["trim"])
    if kind is None:  # d3: no type means ~g with 12 significant digits by default
        kind, trim = "g", True
        precision = int(m["precision"]) if m["precision"] is not None else 12
    else:
        precision = int(m["precision"]) if m["precision"] is not None else 6
    if math.isnan(x):
        return "NaN"
    negative = x < 0 or (x == 0 and math.copysign(1.0, x) < 0)
    a = abs(x)
    if math.isinf(a):
        body = "Infinity"
    elif kind == "f":
        body = _fixed(a, precision)
    elif kind == "%":
        body = _fixed(100 * a, precision)
    elif kind == "e":
        body = _exponential(a, precision)
    elif kind == "d":
        body = str(math.floor(a + 0.5))  # d3 rounds |x| with Math.round, then adds the sign
    else:  # g and r (r: toPrecision without exponent in d3; sliders never use it)
        body = _precision(a, max(1, min(21, precision)))
    if trim:
        body = _trim(body)
    if m["comma"]:
        body = _group(body)
    if negative and float(body.rstrip("%").replace(",", "").replace("Infinity", "inf") or 0) == 0:
        negative = False  # d3 prints "0.00", not "−0.00", when the rounded value is zero
    sign = MINUS if negative else ("+" if m["sign"] == "+" else (" " if m["sign"] == " " else ""))
    return sign + body + ("%" if kind == "%" else "")
