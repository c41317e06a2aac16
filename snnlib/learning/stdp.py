"""Plasticity rule descriptions, attached to a connection with `Network.connect(..., plasticity=...)`."""

import numpy as np  # np.exp, as the builder always used (bit-identical decay factors)

from snnlib import _validate as check
from snnlib.model.plugin import LearningRule, register


def stdp_decay_pre(x, decay_plus):
    return x * decay_plus


def stdp_decay_post(y, decay_minus):
    return y * decay_minus


def stdp_on_pre(w, y, a_minus, w_min, w_max):
    """A presynaptic spike depresses the synapse by a_minus times the postsynaptic trace, within the bounds."""
    return min(max(w - a_minus * y, w_min), w_max)


def stdp_on_post(w, x, a_plus, w_min, w_max):
    """A postsynaptic spike potentiates the synapse by a_plus times the presynaptic trace, within the bounds."""
    return min(max(w + a_plus * x, w_min), w_max)


def stdp_pre_spike(x):
    return x + 1.0


def stdp_post_spike(y):
    return y + 1.0


@register
class STDP(LearningRule):
    """Pair-based spike-timing-dependent plasticity in trace form (Song, Miller & Abbott 2000).

    Each presynaptic neuron keeps a trace x that jumps by 1 at its spikes and decays with tau_plus;
    each postsynaptic neuron a trace y with tau_minus. At a postsynaptic spike every incoming weight grows
    by a_plus * x_pre; at a presynaptic spike every outgoing weight shrinks by a_minus * y_post. Weights
    stay in [w_min, w_max]. For one pair with dt = t_post - t_pre this gives
    dw = a_plus * exp(-dt / tau_plus) for dt > 0 and -a_minus * exp(dt / tau_minus) for dt < 0.

    Parameters
    ----------
    a_plus, a_minus : float
        Potentiation and depression amplitudes (units of the weight), >= 0.
    tau_plus, tau_minus : float
        Trace time constants (s), > 0. Default 20 ms.
    w_min, w_max : float
        Weight bounds, w_min < w_max.
    """

    kind = "stdp"
    params = ("a_plus", "a_minus", "tau_plus", "tau_minus", "w_min", "w_max")
    pre_state = ("x",)
    post_state = ("y",)
    functions = {"decay_pre": stdp_decay_pre, "decay_post": stdp_decay_post, "on_pre": stdp_on_pre,
                 "on_post": stdp_on_post, "pre_spike": stdp_pre_spike, "post_spike": stdp_post_spike}

    def __init__(self, a_plus=0.01, a_minus=0.0105, tau_plus=0.02, tau_minus=0.02, w_min=0.0, w_max=1.0):
        self.a_plus = check.nonnegative("a_plus", a_plus)
        self.a_minus = check.nonnegative("a_minus", a_minus)
        self.tau_plus = check.positive("tau_plus", tau_plus)
        self.tau_minus = check.positive("tau_minus", tau_minus)
        self.w_min = check.real("w_min", w_min)
        self.w_max = check.real("w_max", w_max)
        if self.w_min >= self.w_max:
            raise ValueError(f"w_min ({self.w_min}) must be below w_max ({self.w_max})")

    def derived(self, dt):
        return {"decay_plus": float(np.exp(-dt / self.tau_plus)), "decay_minus": float(np.exp(-dt / self.tau_minus))}

    @property
    def time_constants(self):
        return {"tau_plus": self.tau_plus, "tau_minus": self.tau_minus}

    def check_weights(self, w):
        """Initial weights (array) must lie within [w_min, w_max]."""
        if w.min() < self.w_min or w.max() > self.w_max:
            raise ValueError(f"initial weights must lie in the STDP bounds [{self.w_min}, {self.w_max}]")

    def window(self, dt):
        """Analytic weight change for one pre/post pair, dt = t_post - t_pre (s, array-like)."""
        import numpy as np

        dt = np.asarray(dt, dtype=float)
        return np.where(dt > 0, self.a_plus * np.exp(-dt / self.tau_plus),
                        np.where(dt < 0, -self.a_minus * np.exp(dt / self.tau_minus), 0.0))

    def __repr__(self):
        return (f"STDP(a_plus={self.a_plus!r}, a_minus={self.a_minus!r}, tau_plus={self.tau_plus!r}, "
                f"tau_minus={self.tau_minus!r}, w_min={self.w_min!r}, w_max={self.w_max!r})")
