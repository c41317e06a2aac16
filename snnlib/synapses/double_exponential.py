"""Synapses with a rise time: the double exponential and its equal-time-constant limit, the alpha synapse.

A presynaptic spike through weight w at t = 0 gives the postsynaptic current

    double exponential:  I(t) = w g (exp(-t/tau_decay) - exp(-t/tau_rise)) tau_decay / (tau_decay - tau_rise)
    alpha:               I(t) = w g (t / tau) exp(-t/tau)

both produced by two first-order filters in series: x jumps by w g at the spike and decays with tau_rise;
I follows dI/dt = (x - I) ... in the scaled form dI/dt = -I/tau_decay + x/tau_rise. The update below is the
exact solution over one step for x and I held to these linear equations (no integration error at any dt).

Normalisation (`normalize`): "peak" makes the PSC peak at w (g = 1 / peak of the unit response);
"area" makes its area w (g = 1 / area), so a train of rate r gives a mean current w r (the NEF convention).
  peak time  t_p = tau_r tau_d ln(tau_d / tau_r) / (tau_d - tau_r)   (alpha: t_p = tau)
  unit area  = tau_d (double exp.; alpha: tau)

Units: time constants in s; I in the units of the neuron's drive J. References: e.g. Dayan & Abbott,
Theoretical Neuroscience (2001), section 5.8; Roth & van Rossum, "Modeling synapses", in Computational
Modeling Methods for Neuroscientists (2009).
"""

import math

from snnlib.model import checks as check
from snnlib.model.plugin import SynapseModel, register


def two_stage_advance(x, I, decay_rise, decay_decay, cross):
    """Exact step of x' = -x/tau_r, I' = -I/tau_d + x/tau_r: x decays, I decays and is fed by x."""
    return x * decay_rise, I * decay_decay + x * cross


def two_stage_current(x, I):
    """Current-based input law: the drive J gets I, whatever the voltage."""
    return I


def two_stage_constants(tau_rise, tau_decay, dt):
    """Exact one-step factors of the two-stage filter: x decay, I decay and the x -> I transfer."""
    dr, dd = math.exp(-dt / tau_rise), math.exp(-dt / tau_decay)
    return {"decay_rise": dr, "decay_decay": dd, "cross": tau_decay / (tau_decay - tau_rise) * (dd - dr)}


def double_exp_peak(tau_rise, tau_decay):
    """(time (s), value) of the peak of the unit response (exp(-t/tau_d) - exp(-t/tau_r)) tau_d / (tau_d - tau_r)."""
    r, d = tau_rise, tau_decay
    t_peak = r * d * math.log(d / r) / (d - r)
    return t_peak, (math.exp(-t_peak / d) - math.exp(-t_peak / r)) * d / (d - r)


def _check_normalize(normalize):
    if normalize not in ("peak", "area"):
        raise ValueError(f"normalize must be 'peak' or 'area', got {normalize!r}")
    return normalize


@register
class DoubleExpSynapse(SynapseModel):
    """Current-based synapse with rise time tau_rise and decay time tau_decay (s), tau_rise < tau_decay.

    See the module docstring for the PSC, its peak time and area. `normalize`: "peak" (default) or "area".
    """

    kind = "double_exp"
    params = ("tau_rise", "tau_decay")
    state = ("x", "I")
    functions = {"advance": two_stage_advance, "current": two_stage_current}

    def __init__(self, tau_rise=0.001, tau_decay=0.005, normalize="peak"):
        self.tau_rise = check.positive("tau_rise", tau_rise)
        self.tau_decay = check.positive("tau_decay", tau_decay)
        if self.tau_rise >= self.tau_decay:
            raise ValueError(f"tau_rise ({self.tau_rise} s) must be shorter than tau_decay ({self.tau_decay} s); "
                             "for equal time constants use AlphaSynapse(tau)")
        self.normalize = _check_normalize(normalize)

    @property
    def peak_time(self):
        """Time (s) from the spike to the PSC's peak."""
        return double_exp_peak(self.tau_rise, self.tau_decay)[0]

    def unit_response(self, t):
        """PSC (array, per unit w and unit gain) at times t >= 0 (s) after a spike."""
        import numpy as np

        t = np.asarray(t, dtype=float)
        r, d = self.tau_rise, self.tau_decay
        return (np.exp(-t / d) - np.exp(-t / r)) * d / (d - r)

    @property
    def gain(self):
        """Jump of x per unit weight, making the peak (or the area) of the PSC equal w."""
        if self.normalize == "area":
            return 1.0 / self.tau_decay
        return 1.0 / double_exp_peak(self.tau_rise, self.tau_decay)[1]

    def derived(self, dt):
        return dict(two_stage_constants(self.tau_rise, self.tau_decay, dt), gain=self.gain)

    @property
    def time_constants(self):
        return {"tau_rise": self.tau_rise, "tau_decay": self.tau_decay}

    def key(self):
        return (self.kind, self.tau_rise, self.tau_decay, self.normalize)

    def __repr__(self):
        return f"DoubleExpSynapse(tau_rise={self.tau_rise!r}, tau_decay={self.tau_decay!r}, normalize={self.normalize!r})"


@register
class AlphaSynapse(SynapseModel):
    """Current-based alpha synapse: PSC w g (t/tau) exp(-t/tau), peak at t = tau (s).

    `normalize`: "peak" (default: peak w) or "area" (area w)."""

    kind = "alpha"
    params = ("tau",)
    state = ("x", "I")
    functions = {"advance": two_stage_advance, "current": two_stage_current}

    def __init__(self, tau=0.005, normalize="peak"):
        self.tau = check.positive("tau", tau)
        self.normalize = _check_normalize(normalize)

    peak_time = property(lambda self: self.tau, doc="Time (s) from the spike to the PSC's peak: tau.")

    def unit_response(self, t):
        """PSC (array, per unit w and unit gain) at times t >= 0 (s): (t / tau) exp(-t / tau)."""
        import numpy as np

        t = np.asarray(t, dtype=float)
        return t / self.tau * np.exp(-t / self.tau)

    @property
    def gain(self):
        return 1.0 / self.tau if self.normalize == "area" else math.e

    def derived(self, dt):
        d = math.exp(-dt / self.tau)
        return {"decay_rise": d, "decay_decay": d, "cross": dt / self.tau * d, "gain": self.gain}

    @property
    def time_constants(self):
        return {"tau": self.tau}

    def key(self):
        return (self.kind, self.tau, self.normalize)

    def __repr__(self):
        return f"AlphaSynapse(tau={self.tau!r}, normalize={self.normalize!r})"
