"""Operations per neuron update, counted by running a neuron model's own step function.

Lesson 02 prices a network by counting its events (synaptic events, neuron updates). Richer neuron models make
each *neuron update* dearer; this module measures by how much. `count_update_ops(model, J)` runs the model's
plain-Python `step` (the function the generated kernel compiles) for one neuron under a constant drive, with every
number wrapped in a float that counts the arithmetic done on it, and `math` functions counted as transcendental
calls. The counts are of the code as written (a compiler may hoist constants such as dt * 500), averaged over the
steps, so rare branches (a spike, the exact threshold crossing) count by how often they run.

`OpsPerUpdate.energy_pj()` prices the counts with Horowitz's 45 nm fp32 figures (add 0.9 pJ, multiply 3.7 pJ;
Horowitz, ISSCC 2014); a division and each of an assumed 10 flops of a transcendental function are priced as
multiplies: an estimate of the arithmetic alone, without memory access (which dominates on real hardware).
"""

import math
import types
from dataclasses import dataclass

ADD_PJ, MUL_PJ = 0.9, 3.7          # Horowitz (2014), 45 nm, fp32
FLOPS_PER_TRANSCENDENTAL = 10      # exp/log by a polynomial approximation (est.)


class _Counter:
    def __init__(self):
        self.add = self.mul = self.div = self.cmp = self.special = 0


_COUNT = _Counter()


def _wrap(x):
    return _Num(x) if isinstance(x, float) and not isinstance(x, _Num) else x


class _Num(float):
    """A float that counts the arithmetic done on it (and returns counting floats)."""

    def _op(kind):
        def method(self, other):
            setattr(_COUNT, kind[0], getattr(_COUNT, kind[0]) + 1)
            return _Num(getattr(float, kind[1])(self, float(other)))
        return method

    __add__, __radd__ = _op(("add", "__add__")), _op(("add", "__radd__"))
    __sub__, __rsub__ = _op(("add", "__sub__")), _op(("add", "__rsub__"))
    __mul__, __rmul__ = _op(("mul", "__mul__")), _op(("mul", "__rmul__"))
    __truediv__, __rtruediv__ = _op(("div", "__truediv__")), _op(("div", "__rtruediv__"))
    __lt__, __le__ = _op(("cmp", "__lt__")), _op(("cmp", "__le__"))
    __gt__, __ge__ = _op(("cmp", "__gt__")), _op(("cmp", "__ge__"))
    del _op

    def __neg__(self):
        return _Num(-float(self))


class _CountingMath:
    """Stands in for `math` inside a counted step function: each call is one transcendental."""

    def __getattr__(self, name):
        fn = getattr(math, name)

        def call(*args):
            _COUNT.special += 1
            return _wrap(float(fn(*[float(a) for a in args])))
        return call


def _counted(fn, seen=None):
    """A copy of `fn` whose `math` is the counting one and whose helper functions are counted copies too."""
    seen = {} if seen is None else seen
    if fn in seen:
        return seen[fn]
    glb = dict(fn.__globals__)
    copy = types.FunctionType(fn.__code__, glb, fn.__name__, fn.__defaults__, fn.__closure__)
    seen[fn] = copy
    glb["math"] = _CountingMath()
    for name in fn.__code__.co_names:
        obj = fn.__globals__.get(name)
        if isinstance(obj, types.FunctionType):
            glb[name] = _counted(obj, seen)
    return copy


@dataclass
class OpsPerUpdate:
    """Mean operations per neuron update: adds (incl. subtractions), multiplies, divisions, comparisons and
    transcendental calls (exp, log, ...); `state` = number of state variables; `rate` = spikes / s in the run."""

    model: str
    state: int
    add: float
    mul: float
    div: float
    cmp: float
    special: float
    rate: float

    @property
    def flops(self):
        """Arithmetic per update, a transcendental counted as FLOPS_PER_TRANSCENDENTAL flops (est.)."""
        return self.add + self.mul + self.div + self.cmp + FLOPS_PER_TRANSCENDENTAL * self.special

    def energy_pj(self):
        """Arithmetic energy per update (pJ, est.): adds and comparisons at 0.9 pJ, multiplies, divisions and
        transcendental flops at 3.7 pJ (Horowitz 2014, 45 nm fp32). No memory access included."""
        return (ADD_PJ * (self.add + self.cmp)
                + MUL_PJ * (self.mul + self.div + FLOPS_PER_TRANSCENDENTAL * self.special))


def count_update_ops(model, J, dt=1e-4, steps=5000):
    """Run one neuron of `model` (a NeuronModel) for `steps` steps of `dt` (s) under constant drive `J` (the
    model's units) through its plain-Python `step` function, counting operations; returns `OpsPerUpdate`."""
    from snnlib import _validate as check
    from snnlib.model.plugin import NeuronModel

    if not isinstance(model, NeuronModel):
        raise TypeError(f"model must be a neuron model such as snnlib.LIF(), got {check._show(model)}")
    steps, dt, J = check.count("steps", steps), check.positive("dt", dt), check.real("J", J)
    step = _counted(model.functions["step"])
    names = step.__code__.co_varnames[:step.__code__.co_argcount]
    derived = model.derived(dt) if hasattr(model, "derived") else {}
    initial = getattr(model, "initial", {}) or {}
    state = {s: float(initial.get(s, 0.0)) for s in model.state}
    fixed = {"J": float(J), "dt": float(dt), "zero": 0.0}
    fixed.update({p: float(getattr(model, p)) for p in model.params})
    fixed.update({k: float(v) for k, v in derived.items()})
    global _COUNT
    _COUNT = _Counter()
    spikes = 0
    for _ in range(steps):
        args = [_wrap(state[n]) if n in state else _wrap(fixed[n]) for n in names]
        out = step(*args)
        for s, value in zip(model.state, out[:-1]):
            state[s] = float(value)
        spikes += bool(out[-1])
    c = _COUNT
    return OpsPerUpdate(type(model).__name__, len(model.state), c.add / steps, c.mul / steps, c.div / steps,
                        c.cmp / steps, c.special / steps, spikes / (steps * dt))
