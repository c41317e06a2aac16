"""Diagnose a wrong numeric answer from its relation to the expected one, never printing the expected value.

An exercise's own :class:`~course.exercise.Mistake` list names the typical slips of that exercise. When no
listed mistake matches, :func:`diagnose` looks for a relation between the learner's outputs ``got`` and the
expected outputs ``exp`` (one array per case) that holds in every case:

* a power of ten (1000: ms against s, mV against V, Hz against kHz; 1e6, 1e9, 1e12: micro, nano, pico) or
  100 (a percentage against a fraction), a factor 2, a sign flip, the reciprocal (a period instead of a rate);
* a missing or doubled additive term (the exercise declares its ``terms``);
* the answer for other parameter values (the exercise declares its ``params``: each is tried at 0, 1000x
  and 1/1000x, and swapped with another declared parameter) or one time step off (``steps`` and ``dt``);
* answers rounded or truncated to whole numbers; zero where a nonzero value is expected, or the other way.

Arrays: a relation may hold for some entries only; the message then says for which. Where nothing applies,
the message says in which direction and roughly how far off the answer is ("about 30 % too high") and points
to the hints. Every message describes the learner's answer relative to the expected one: the expected
value itself is never printed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

__all__ = ["Candidate", "diagnose", "how_far", "scale_candidates"]


@dataclass(frozen=True)
class Candidate:
    """A way to be wrong: ``outputs`` (one array per case, like ``exp``) and the message if they match."""

    outputs: list
    message: str


_UNIT_WORDS = {
    1e3: "a factor of 1000 looks like a unit slip: milliseconds against seconds, mV against V, "
         "Hz against kHz, mJ against J",
    1e6: "a factor of a million looks like a unit slip (micro against unit, e.g. uJ against J)",
    1e9: "a factor of 1e9 looks like a unit slip (nano against unit, e.g. nJ against J)",
    1e12: "a factor of 1e12 looks like a unit slip (pico against unit, e.g. pJ against J)",
    1e2: "a factor of 100 looks like a percentage against a fraction",
}


def scale_candidates(exp: list) -> list[Candidate]:
    """Answers that are the expected ones times a constant: powers of ten, 2 and 1/2, and -1."""
    with np.errstate(all="ignore"):  # e * 1e12 of a huge expected value overflows to inf: no warning
        out = []
        for factor, why in _UNIT_WORDS.items():
            n = f"{factor:.0e}".replace("e+0", "e").replace("e+", "e") if factor > 1e3 else f"{factor:g}"
            out.append(Candidate([e * factor for e in exp],
                                 f"your answer is {n} times too large: {why}. Check the units of the inputs and "
                                 "of the answer the task asks for."))
            out.append(Candidate([e / factor for e in exp],
                                 f"your answer is {n} times too small: {why}. Check the units of the inputs and "
                                 "of the answer the task asks for."))
        out.append(Candidate([2 * e for e in exp], "your answer is exactly twice the right one: is something "
                                                   "counted twice, or a factor 1/2 missing?"))
        out.append(Candidate([e / 2 for e in exp], "your answer is exactly half the right one: is a factor of 2 "
                                                   "missing, or something counted once that happens twice?"))
        out.append(Candidate([-e for e in exp], "your answer has the right size but the wrong sign: look for "
                                                "a subtraction the wrong way round (b - a instead of a - b) or a "
                                                "minus sign too many."))
        out.append(Candidate([np.where(e != 0, 1.0 / np.where(e != 0, e, 1.0), np.nan) for e in exp],
                             "your answer is the reciprocal (1/x) of the right one: a period (seconds per "
                             "spike) instead of a rate (spikes per second), or a ratio upside down?"))
        return out


def _close(a, b, rtol, atol):
    return np.isclose(a, b, rtol=rtol, atol=atol)     # called under diagnose's / how_far's errstate


def _relevant(e, atol):
    """Entries where a relation can be told apart from equality (a scaled 0 is still 0)."""
    return np.isfinite(e) & (np.abs(e) > max(atol, 1e-300))


def _holds(got, exp, cand, rtol, atol):
    """(holds everywhere it matters, number of wrong entries it explains, number of wrong entries)."""
    everywhere, explained, wrong_total = True, 0, 0
    for g, e, c in zip(got, exp, cand.outputs):
        c = np.broadcast_to(np.asarray(c, dtype=float), e.shape)
        wrong = ~_close(g, e, rtol, atol)
        matches = _close(g, c, rtol, atol)
        near_zero = _close(c, 0.0, rtol, atol) | ~_relevant(c, atol)
        # a match at ~0 proves nothing (0 is also 1e-9 times anything small) but does not refute either
        wrong_total += int(wrong.sum())
        explained += int((wrong & matches & ~near_zero).sum())
        if np.any(wrong & ~matches):
            everywhere = False
    return everywhere and explained > 0, explained, wrong_total


def how_far(got: list, exp: list, rtol: float, atol: float) -> str:
    """Direction and rough size of the error over all wrong entries, e.g. "about 30 % too high"."""
    with np.errstate(all="ignore"):  # a huge or tiny answer overflows a ratio: no numpy warning under the verdict
        logs, flipped, zeros_missing, zeros_extra, negative_expected = [], 0, 0, 0, False
        for g, e in zip(got, exp):
            wrong = ~_close(g, e, rtol, atol) & np.isfinite(g) & np.isfinite(e)
            zeros_missing += int((wrong & (g == 0) & (e != 0)).sum())
            zeros_extra += int((wrong & (e == 0) & (g != 0)).sum())
            both = wrong & (e != 0) & (g != 0)
            same = both & (np.sign(g) == np.sign(e))
            flipped += int((both & ~same).sum())
            # log |g/e| as a difference of logs: the ratio itself overflows to inf (1e300 / 1e-10) or underflows to 0
            logs.extend((np.log(np.abs(g[same])) - np.log(np.abs(e[same]))).ravel().tolist())
            negative_expected |= bool(np.any(e[both] < 0))
        parts = []
        if zeros_missing:
            parts.append(f"{zeros_missing} of your values {'is' if zeros_missing == 1 else 'are'} 0 where a nonzero "
                         "value is expected")
        if zeros_extra:
            parts.append(f"{zeros_extra} {'is' if zeros_extra == 1 else 'are'} nonzero where 0 is expected")
        if flipped:
            parts.append(f"{flipped} of your values {'has' if flipped == 1 else 'have'} the wrong sign")
        if logs:
            lr = np.asarray(logs)
            lead = "the others are" if flipped or zeros_missing or zeros_extra else "your answer is"
            if (lr > 0).any() and (lr < 0).any():
                dev = float(np.median(np.abs(lr)))
                amount = (f"off by about {_round1(100 * (np.exp(dev) - 1))} %" if dev < np.log(2)
                          else f"off by a factor of about {_round1(np.exp(dev))}" if dev < _FAR
                          else f"off by about {_orders(dev)} orders of magnitude")
                parts.append(f"{lead} {amount}: too {'large' if negative_expected else 'high'} for some inputs and "
                             f"too {'small' if negative_expected else 'low'} for others")
            else:
                log_size = float(np.median(lr))
                if abs(log_size) >= _FAR:
                    amount = (f"far too {'large' if log_size > 0 else 'small'} (off by about "
                              f"{_orders(abs(log_size))} orders of magnitude)")
                elif abs(log_size) >= np.log(2):
                    size = np.exp(abs(log_size))
                    amount = f"about {_round1(size)} times too {'large' if log_size > 0 else 'small'}"
                else:
                    size = np.exp(log_size)
                    pct = abs(size - 1) * 100
                    amount = ("less than 1 % too " if pct < 1 else f"about {_round1(pct)} % too ") + \
                             (("large" if size > 1 else "small") + " in size" if negative_expected
                              else ("high" if size > 1 else "low"))
                    if pct < 1:
                        amount += " (close: a rounding or discretisation detail, or a slightly different formula?)"
                spread = "" if lr.size == 1 or np.ptp(lr) < 0.1 else ", by different amounts for different inputs"
                parts.append(f"{lead} {amount}{spread}")
        return "; ".join(parts) if parts else "your answer differs from the expected one"


_FAR = np.log(1e4)   # from a factor of 10,000 on, the size of an error is told in orders of magnitude


def _orders(log_size: float) -> str:
    """Orders of magnitude (powers of 10) of a natural-log size, e.g. 27.6 -> "12"."""
    return f"{log_size / np.log(10):.0f}"


def _round1(x: float) -> str:
    """One significant figure (two below 20 % so 15 % does not read as 20 %)."""
    if x < 20:
        return f"{x:.2g}" if x >= 1 else f"{x:.1g}"
    return f"{float(f'{x:.1g}'):g}"


def diagnose(got: list, exp: list, candidates: Sequence[Candidate], rtol: float, atol: float,
             describe: Callable[[int], str] = lambda i: "", hint: str = "") -> str:
    """The best description of how ``got`` relates to ``exp``; never contains ``exp``'s values.

    ``candidates`` are tried in order (declared terms and parameters first, then :func:`scale_candidates`);
    the first that explains every wrong entry wins. Otherwise a candidate explaining some of the wrong
    entries of an array is named with "for some entries", and the rest is described by :func:`how_far`.
    """
    with np.errstate(all="ignore"):  # candidates and comparisons: the learner reads the message, never warnings
        partial = None
        right_nonzero = sum(int((_close(g, e, rtol, atol) & _relevant(e, atol) & ~_close(e, 0.0, rtol, atol)).sum())
                            for g, e in zip(got, exp))
        for cand in candidates:
            everywhere, explained, total = _holds(got, exp, cand, rtol, atol)
            if everywhere:
                if right_nonzero:  # e.g. one entry of an array doubled: the relation is local
                    return f"{total} of your values {'is' if total == 1 else 'are'} wrong (the others are right): " \
                           + cand.message.replace("your answer is", "there it is", 1) + hint
                return cand.message + hint
            if partial is None and explained >= 2 and 2 * explained > total:
                partial = (cand, explained, total)
        rounding = _rounding(got, exp, rtol, atol) or _offset(got, exp, rtol, atol)
        if rounding:
            return rounding + hint
        where = ""
        bad_cases = [i for i, (g, e) in enumerate(zip(got, exp)) if not np.all(_close(g, e, rtol, atol))]
        if len(bad_cases) < len(exp) and describe(bad_cases[0]):
            others = f" and {len(bad_cases) - 1} other case(s)" if len(bad_cases) > 1 else ""
            where = f" (wrong {describe(bad_cases[0])}{others}; right for the others)"
        text = how_far(got, exp, rtol, atol) + where + "."
        if partial:
            cand, explained, total = partial
            text = f"For {explained} of the {total} wrong values: {cand.message} For the others: {text}"
        return text + hint


def _offset(got, exp, rtol, atol) -> str:
    """The same difference for every wrong value (at least two): a constant added or left out.

    "The same" within atol plus the rounding of the wrong values themselves (1e-9 of the largest of them):
    an expected value that the answer gets right, however large, widens nothing, and differences of
    opposite signs are never the same amount."""
    wrong = [~_close(g, e, rtol, atol) for g, e in zip(got, exp)]
    diffs = np.concatenate([(g - e)[w].ravel() for g, e, w in zip(got, exp, wrong)])
    if diffs.size < 2 or not np.all(np.isfinite(diffs)):
        return ""
    high, low = diffs.min() > 0, diffs.max() < 0
    scale = np.max(np.concatenate([np.maximum(np.abs(g), np.abs(e))[w].ravel() for g, e, w in zip(got, exp, wrong)]))
    if (high or low) and np.ptp(diffs) <= 1e-9 * scale + atol:
        return (f"your answer is {'too high' if high else 'too low'} by the same amount for every input: a constant "
                f"term is {'added' if high else 'missing'} (or a fixed value used where an input belongs).")
    return ""


def _rounding(got, exp, rtol, atol) -> str:
    """Whole numbers where fractions are expected: int(), // or round() too early."""
    frac = any(np.any(np.abs(e - np.round(e)) > 1e-9) for e in exp if e.size)
    if not frac:
        return ""
    if all(np.all(_close(g, np.floor(e), rtol, atol) | _close(g, e, rtol, atol)) for g, e in zip(got, exp)):
        return ("your answer is the right one truncated to a whole number: look for int(), // (integer "
                "division) or an integer array that drops the fraction.")
    if all(np.all(_close(g, np.round(e), rtol, atol) | _close(g, e, rtol, atol)) for g, e in zip(got, exp)):
        return "your answer is the right one rounded to a whole number: do not round before returning."
    return ""
