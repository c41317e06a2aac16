"""Short-term plasticity: the Tsodyks-Markram model of depressing and facilitating synapses.

Each presynaptic neuron of a connection keeps the fraction x of its transmitter resources that is ready
(1 at rest) and its utilisation u (the fraction of x that a spike releases). Between spikes, x recovers
towards 1 with tau_D and u relaxes towards 0 with tau_F; at a spike, u first facilitates, u <- u + U (1 - u),
then the spike releases r = u x, which scales the weight delivered, and x <- x - r:

    after h seconds without a spike:  x <- 1 - (1 - x) exp(-h / tau_D),   u <- u exp(-h / tau_F)
    at the spike:                     u <- u + U (1 - u),   scale = u x,   x <- x - u x

This is NEST's `tsodyks2_synapse` convention (one spike from rest releases U). Recovery is applied exactly at
the next spike from the time since the last one, so the model costs nothing between spikes. For a regular
train of rate f (period T) the steady state is (`steady_state`)

    u* = U / (1 - (1 - U) exp(-T / tau_F)),    x* = (1 - exp(-T / tau_D)) / (1 - (1 - u*) exp(-T / tau_D))

and the release per spike u* x*. With tau_F = 0 (pure depression) u* = U, and at rates well above 1/tau_D
the release per spike falls as u* x* ~ 1 / (f tau_D), so the transmitted rate f u* x* saturates near 1/tau_D:
a depressing synapse reports changes of the rate more than the rate itself (Tsodyks & Markram 1997; Abbott
et al. 1997).

References: M. V. Tsodyks & H. Markram, PNAS 94:719-723 (1997); M. Tsodyks, K. Pawelzik & H. Markram, Neural
Comput. 10:821-835 (1998); L. F. Abbott, J. A. Varela, K. Sen & S. B. Nelson, Science 275:221-224 (1997).
"""

import math

from snnlib.model import checks as check
from snnlib.model.plugin import PresynapticModel, register


def tm_on_spike(u, x, h, U, tau_D, tau_F):
    """A spike h seconds after the previous one: recovery, facilitation, release. Returns (u, x, scale)."""
    x = 1.0 - (1.0 - x) * math.exp(-h / tau_D)
    if tau_F > 0.0:
        u = u * math.exp(-h / tau_F)
    else:
        u = 0.0
    u = u + U * (1.0 - u)
    r = u * x
    return u, x - r, r


@register
class TsodyksMarkram(PresynapticModel):
    """Depressing / facilitating synapse (see the module docstring).

    Parameters
    ----------
    U : float
        Utilisation increment in (0, 1]: the release of a spike from rest. Default 0.5.
    tau_D : float
        Recovery time constant of the resources (s), > 0. Default 0.8 s (depressing, Tsodyks & Markram 1997).
    tau_F : float
        Facilitation time constant (s), >= 0; 0 means no facilitation. Default 0.

    The weight of a connection with this model is the PSC of a release of all resources (x = u = 1): a first
    spike from rest delivers weight x U.
    """

    kind = "tsodyks_markram"
    params = ("U", "tau_D", "tau_F")
    state = ("u", "x")
    initial = {"u": 0.0, "x": 1.0}
    functions = {"on_spike": tm_on_spike}

    def __init__(self, U=0.5, tau_D=0.8, tau_F=0.0):
        self.U = check.real("U", U)
        if not 0.0 < self.U <= 1.0:
            raise ValueError(f"U must be a fraction in (0, 1], got {self.U!r}")
        self.tau_D = check.positive("tau_D", tau_D)
        self.tau_F = check.nonnegative("tau_F", tau_F, "s")

    def steady_state(self, rate):
        """(u*, x*, u* x*) for a regular train of `rate` Hz (> 0): the closed form of the module docstring."""
        rate = check.positive("rate", rate, "Hz")
        T = 1.0 / rate
        e_f = math.exp(-T / self.tau_F) if self.tau_F > 0 else 0.0
        e_d = math.exp(-T / self.tau_D)
        u = self.U / (1.0 - (1.0 - self.U) * e_f)
        x = (1.0 - e_d) / (1.0 - (1.0 - u) * e_d)
        return u, x, u * x
