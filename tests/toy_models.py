"""Two models added from outside snnlib, exactly as docs/architecture.md ("Adding a model") says: proof that a
model is one file plus registration, with no edit to the Simulator, the builder or any loop.

- ToyPIF: a perfect (non-leaky) integrate-and-fire neuron, dv/dt = J / tau, spike and reset at v_th.
- ToyAlpha: a current-based alpha synapse, I(t) = w * (t / tau) * exp(-t / tau) after a spike at t = 0,
  advanced exactly over a step: x(t+dt) = x d, I(t+dt) = (I + x dt / tau) d with d = exp(-dt / tau).
"""

import math

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
