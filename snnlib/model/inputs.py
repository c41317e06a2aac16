"""Input signals: functions of time giving the drive J (units of v) added to a population's neurons.

Signals are evaluated on the simulation's time grid by the simulator, outside the kernels, in chunks.
`evaluate(t, n)` returns an array of shape (len(t), n) or broadcastable to it.
"""

import numpy as np

from snnlib import _validate as check


class Signal:
    """Base class: a time-dependent drive."""

    constant = False

    def evaluate(self, t, n):  # pragma: no cover - abstract
        raise NotImplementedError

    def widths(self):
        """Lengths of this signal's per-neuron values ({} if every value is a scalar), name -> length:
        `Network.input` checks them against the target's size before anything runs."""
        return {}


class Constant(Signal):
    """A constant drive `value` (scalar or one value per neuron)."""

    constant = True

    def __init__(self, value):
        self.value = check.finite_array("value", value)
        if self.value.ndim > 1:
            raise ValueError(f"Constant value must be a scalar or 1-D array, got shape {self.value.shape}")

    def evaluate(self, t, n):
        return np.broadcast_to(self.value, (len(t), n))

    def widths(self):
        return {"value": self.value.size} if self.value.ndim else {}

    def __repr__(self):
        return f"Constant({self.value.tolist()!r})"


class Step(Signal):
    """A step: `before` until t_on, then `after` (until t_off, if given, then `before` again)."""

    def __init__(self, t_on, after, before=0.0, t_off=None):
        self.t_on = check.nonnegative("t_on", t_on, "s")
        self.after = check.finite_array("after", after)
        self.before = check.finite_array("before", before)
        self.t_off = None if t_off is None else check.nonnegative("t_off", t_off, "s")
        if self.t_off is not None and self.t_off <= self.t_on:
            raise ValueError(f"t_off ({self.t_off}) must be after t_on ({self.t_on})")
        for name, arr in (("after", self.after), ("before", self.before)):
            if arr.ndim > 1:
                raise ValueError(f"Step {name} must be a scalar or 1-D array (one value per neuron), "
                                 f"got shape {arr.shape}")
        if self.after.ndim and self.before.ndim and self.after.size != self.before.size:
            raise ValueError(f"Step after has {self.after.size} values but before has {self.before.size}: give "
                             "both one value per neuron, or one of them as a scalar")

    def widths(self):
        return {name: arr.size for name, arr in (("after", self.after), ("before", self.before)) if arr.ndim}

    def evaluate(self, t, n):
        t = np.asarray(t)[:, None]
        on = t >= self.t_on
        if self.t_off is not None:
            on &= t < self.t_off
        return np.where(on, self.after, self.before) * np.ones((1, n))

    def __repr__(self):
        return f"Step(t_on={self.t_on}, after={self.after.tolist()}, before={self.before.tolist()}, t_off={self.t_off})"


class TimeFunction(Signal):
    """An arbitrary function of time: f(t) -> scalar or array of n values (t in seconds).

    f is called once per time step with a float; if it accepts a numpy array of times and returns
    an array of the same length (or shape (len(t), n)), pass vectorized=True for speed.
    """

    #: what the function is, in error messages ("rate of poisson0" when Network.poisson made it)
    role = "TimeFunction"

    def __init__(self, function, vectorized=False):
        if not callable(function):
            raise TypeError(f"function must be callable f(t), got {check._show(function)}")
        self.function = function
        self.vectorized = bool(vectorized)

    def _values(self, value, t):
        """What the function returned at time(s) t, as floats; a clear TypeError for text, None, booleans..."""
        try:
            return check.numeric_array("value", value)
        except TypeError as err:
            at = f"t = {t:.6g} s" if np.ndim(t) == 0 else "the times passed in"
            reason = str(err).removeprefix("value must be a number or an array of numbers, got ")
            raise TypeError(f"{self.role} must return a number or an array of numbers, but at {at} "
                            f"it returned {reason}") from None

    def evaluate(self, t, n):
        if self.vectorized:
            out = self._values(self.function(np.asarray(t)), t)
            if out.ndim == 1:
                out = out[:, None]
        else:
            out = self._loop(t, n)
        try:
            out = np.broadcast_to(out, (len(t), n))
        except ValueError:
            raise ValueError(f"{self.role} returned shape {out.shape[1:]} per step, but the target has {n} "
                             "neurons: return a scalar or an array of that length") from None
        if not np.all(np.isfinite(out)):
            bad = int(np.argmax(~np.isfinite(out).all(axis=1)))
            raise ValueError(f"{self.role} returned a non-finite value (NaN or inf) at t = {t[bad]:.6g} s")
        return out

    def _loop(self, t, n):
        rows = []
        for ti in t:
            value = self._values(self.function(float(ti)), ti)
            if value.ndim > 1 or (value.ndim == 1 and value.shape[0] not in (1, n)):
                raise ValueError(f"{self.role} returned shape {value.shape} at t = {ti:.6g} s, but the "
                                 f"target has {n} neurons: return a scalar or an array of that length")
            rows.append(np.broadcast_to(value, (n,)))
        return np.array(rows) if rows else np.zeros((0, n))

    def __repr__(self):
        return f"TimeFunction({getattr(self.function, '__name__', self.function)!r})"


class Uniform:
    """A uniform distribution U(low, high), e.g. for random initial voltages."""

    def __init__(self, low, high):
        self.low = check.real("low", low)
        self.high = check.real("high", high)
        if self.high < self.low:
            raise ValueError(f"Uniform needs low <= high, got low={self.low}, high={self.high}")

    def sample(self, n, rng):
        return rng.uniform(self.low, self.high, size=n)

    def __repr__(self):
        return f"Uniform({self.low}, {self.high})"
