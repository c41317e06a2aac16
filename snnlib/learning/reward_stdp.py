"""Three-factor (reward-modulated) STDP: pair-STDP feeds a per-synapse eligibility trace, a modulator turns it
into weight change (Izhikevich 2007).

    dc/dt = -c / tau_c + STDP(pairing)        c jumps by  a_plus x_pre   at a postsynaptic spike,
                                                      by -a_minus y_post  at a presynaptic spike
    dw/dt = c d(t)                            d: a modulator (dopamine), w kept in [w_min, w_max]

x and y are the pair-STDP traces of `snnlib.STDP` (jump 1 at a spike, decay tau_plus / tau_minus), so one
pairing with post - pre = dt > 0 gives c = a_plus exp(-dt / tau_plus), and dt < 0 gives
c = -a_minus exp(dt / tau_minus). Discretisation: each step, before its spikes, w += d c tau_c (1 - exp(-dt/tau_c))
then c *= exp(-dt/tau_c): the exact integral of c d over the step for d held constant in it, so a pairing
followed by a modulator pulse of height D from t1 to t2 (on the step grid) changes w by exactly
c0 D tau_c (exp(-(t1 - t0)/tau_c) - exp(-(t2 - t0)/tau_c)), t0 the end of the step that made c = c0.

Reference: E. M. Izhikevich, "Solving the distal reward problem through linkage of STDP and dopamine
signaling", Cerebral Cortex 17, 2443-2452 (2007): tau_c = 1 s, A+ = 1, A- = 1.5, tau+- = 20 ms,
weights in [0, 4] mV.
"""

import math

from snnlib import _validate as check
from snnlib.learning.stdp import (stdp_decay_post, stdp_decay_pre, stdp_post_spike, stdp_pre_spike)
from snnlib.model.plugin import LearningRule, register


def tf_on_pre(w, c, y, a_minus):
    """A presynaptic spike: the eligibility trace drops by a_minus times the postsynaptic trace."""
    return w, c - a_minus * y


def tf_on_post(w, c, x, a_plus):
    """A postsynaptic spike: the eligibility trace grows by a_plus times the presynaptic trace."""
    return w, c + a_plus * x


def tf_step(w, c, modulator, decay_c, c_area, w_min, w_max):
    """One step: w += modulator x the integral of c over the step; c decays. Returns (w, c)."""
    if modulator != 0.0:
        w = min(max(w + modulator * c * c_area, w_min), w_max)
    return w, c * decay_c


@register
class ThreeFactorSTDP(LearningRule):
    """Reward-modulated STDP with eligibility traces (Izhikevich 2007); see the module docstring.

    Parameters
    ----------
    modulator : a `Network.modulator` of the same network: the third factor d(t) (e.g. dopamine).
    a_plus, a_minus : float, >= 0
        Jumps of the eligibility trace for a causal (pre then post) and an anti-causal pairing at zero delay
        (units of weight / (modulator x s)). Default 1.0 and 1.5 (Izhikevich 2007).
    tau_plus, tau_minus : float
        STDP trace time constants (s), > 0. Default 20 ms.
    tau_c : float
        Eligibility trace time constant (s), > 0. Default 1 s.
    w_min, w_max : float
        Weight bounds, w_min < w_max. Default 0 and 1.
    """

    kind = "three_factor_stdp"
    params = ("a_plus", "a_minus", "tau_plus", "tau_minus", "tau_c", "w_min", "w_max")
    pre_state = ("x",)
    post_state = ("y",)
    syn_state = ("c",)
    modulated = True
    functions = {"decay_pre": stdp_decay_pre, "decay_post": stdp_decay_post, "on_pre": tf_on_pre,
                 "on_post": tf_on_post, "pre_spike": stdp_pre_spike, "post_spike": stdp_post_spike,
                 "step": tf_step}

    def __init__(self, modulator, a_plus=1.0, a_minus=1.5, tau_plus=0.02, tau_minus=0.02, tau_c=1.0, w_min=0.0,
                 w_max=1.0):
        from snnlib.model.modulators import Modulator

        if not isinstance(modulator, Modulator):
            raise TypeError(f"modulator must be a Modulator (from Network.modulator), got {modulator!r}")
        self.modulator = modulator
        self.a_plus = check.nonnegative("a_plus", a_plus)
        self.a_minus = check.nonnegative("a_minus", a_minus)
        self.tau_plus = check.positive("tau_plus", tau_plus)
        self.tau_minus = check.positive("tau_minus", tau_minus)
        self.tau_c = check.positive("tau_c", tau_c)
        self.w_min = check.real("w_min", w_min)
        self.w_max = check.real("w_max", w_max)
        if self.w_min >= self.w_max:
            raise ValueError(f"w_min ({self.w_min}) must be below w_max ({self.w_max})")

    def derived(self, dt):
        decay_c = math.exp(-dt / self.tau_c)
        return {"decay_plus": math.exp(-dt / self.tau_plus), "decay_minus": math.exp(-dt / self.tau_minus),
                "decay_c": decay_c, "c_area": -self.tau_c * math.expm1(-dt / self.tau_c)}

    @property
    def time_constants(self):
        return {"tau_plus": self.tau_plus, "tau_minus": self.tau_minus, "tau_c": self.tau_c}

    def check_weights(self, w):
        """Initial weights (array) must lie within [w_min, w_max]."""
        if w.min() < self.w_min or w.max() > self.w_max:
            raise ValueError(f"initial weights must lie in the bounds [w_min, w_max] = [{self.w_min}, {self.w_max}]")

    def check_network(self, net):
        """The modulator must belong to `net` (called by Network.connect)."""
        if not any(self.modulator is s for s in net.signals):
            raise ValueError(f"modulator {self.modulator.label!r} belongs to another network: create it with this "
                             "network's modulator()")

    def eligibility(self, dt):
        """Eligibility c right after one pairing, dt = t_post - t_pre (s, array-like): the STDP window."""
        import numpy as np

        dt = np.asarray(dt, dtype=float)
        return np.where(dt > 0, self.a_plus * np.exp(-dt / self.tau_plus),
                        np.where(dt < 0, -self.a_minus * np.exp(dt / self.tau_minus), 0.0))

    def __repr__(self):
        return (f"ThreeFactorSTDP(modulator={self.modulator.label!r}, a_plus={self.a_plus!r}, "
                f"a_minus={self.a_minus!r}, tau_plus={self.tau_plus!r}, tau_minus={self.tau_minus!r}, "
                f"tau_c={self.tau_c!r}, w_min={self.w_min!r}, w_max={self.w_max!r})")
