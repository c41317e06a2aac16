"""Two models added from outside snnlib, exactly as docs/architecture.md ("Adding a model") says: proof that a
model is one file plus registration, with no edit to the Simulator, the builder or any loop.

- ToyPIF: a perfect (non-leaky) integrate-and-fire neuron, dv/dt = J / tau, spike and reset at v_th.
- ToyAlpha: a current-based alpha synapse, I(t) = w * (t / tau) * exp(-t / tau) after a spike at t = 0,
  advanced exactly over a step: x(t+dt) = x d, I(t+dt) = (I + x dt / tau) d with d = exp(-dt / tau).
- raising_pif(v_above): a ToyPIF whose step raises (the loops' failure paths: tests and
  tools/stress_thread_failure.py).
- RaisingSTDP: STDP whose presynaptic update (on_pre) raises at a synapse of positive weight (the failure path
  of the threaded spike delivery of plastic networks).
"""

import math

from snnlib.learning.stdp import STDP, stdp_on_pre
from snnlib.model import checks
from snnlib.model.plugin import NeuronModel, SynapseModel, register


def pif_step(v, J, dt, tau, v_th, v_reset):
    """One exact step of dv/dt = J / tau; (v, spiked)."""
    v = v + J * dt / tau
    if v > v_th:
        return v_reset, True
    return v, False


@register
class ToyPIF(NeuronModel):
    """Perfect integrate-and-fire neuron: dv/dt = J / tau (tau in s, > 0); at v > v_th, v = v_reset."""

    kind = "toy_pif"
    params = ("tau", "v_th", "v_reset")
    state = ("v",)
    functions = {"step": pif_step}

    def __init__(self, tau=0.01, v_th=1.0, v_reset=0.0):
        self.tau = checks.positive("tau", tau)
        self.v_th = checks.real("v_th", v_th)
        self.v_reset = checks.real("v_reset", v_reset)
        if self.v_reset >= self.v_th:
            raise ValueError(f"v_reset ({self.v_reset}) must be below v_th ({self.v_th})")

    @property
    def time_constants(self):
        return {"tau": self.tau}


_RAISING = {}


def raising_pif(v_above=None):
    """A registered ToyPIF class whose step raises ValueError("raised by the plug-in") once a neuron's input J
    is above 0.85 and, when `v_above` is given, its voltage is above `v_above` too (None: at the first step
    with J > 0.85). Each condition is a model kind of its own ("toy_raising_pif_" + the threshold), so the
    kernels of two conditions never share a cache entry; the same condition gives the same class."""
    tag = "any" if v_above is None else format(float(v_above), "g").replace(".", "_").replace("-", "m")
    if tag not in _RAISING:
        low = -math.inf if v_above is None else float(v_above)

        def raising_step(v, J, dt, tau, v_th, v_reset):
            if v > low and J > 0.85:
                raise ValueError("raised by the plug-in")
            return pif_step(v, J, dt, tau, v_th, v_reset)

        _RAISING[tag] = register(type(f"RaisingPIF_{tag}", (ToyPIF,),
                                      {"kind": f"toy_raising_pif_{tag}", "functions": {"step": raising_step}}))
    return _RAISING[tag]


def raising_on_pre(w, y, a_minus, w_min, w_max):
    """STDP's on_pre, except that it raises ValueError at a synapse whose weight is positive."""
    if w > 0.0:
        raise ValueError("raised by the plug-in rule")
    return stdp_on_pre(w, y, a_minus, w_min, w_max)


@register
class RaisingSTDP(STDP):
    """STDP (same parameters) whose on_pre raises ValueError("raised by the plug-in rule") at every synapse of
    positive weight a presynaptic spike reaches; synapses of weight 0 learn as STDP's."""

    kind = "toy_raising_stdp"
    functions = dict(STDP.functions, on_pre=raising_on_pre)


def alpha_advance(x, I, dt, tau, decay):
    return x * decay, (I + x * dt / tau) * decay


def alpha_current(I):
    return I


@register
class ToyAlpha(SynapseModel):
    """Alpha-function synapse (tau in s, > 0): a spike through weight w gives I(t) = w (t/tau) exp(-t/tau)."""

    kind = "toy_alpha"
    params = ("tau",)
    state = ("x", "I")
    functions = {"advance": alpha_advance, "current": alpha_current}

    def __init__(self, tau=0.005):
        self.tau = checks.positive("tau", tau)

    def derived(self, dt):
        return {"decay": math.exp(-dt / self.tau), "gain": 1.0}

    @property
    def time_constants(self):
        return {"tau": self.tau}
