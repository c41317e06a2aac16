"""The adaptive LIF neuron: a LIF whose own spikes build up an adaptation current (Nengo's AdaptiveLIF).

    dv/dt = (v_rest + J - n - v) / tau_rc          (the LIF, driven by J minus the adaptation n)
    dn/dt = -n / tau_n,   and n jumps by inc_n / tau_n at every spike

so that during regular firing at rate r the adaptation settles near n = inc_n * r (Nengo's convention:
`nengo.AdaptiveLIF(tau_n, inc_n)`). The voltage step is the LIF's exact step with J - n held over the
step; n decays exactly. Units as for `snnlib.LIF` (J, v and n in the units of v).

Reference: Nengo's `AdaptiveLIF` (nengo/neurons.py); the adaptation current model is the one of
e.g. Benda & Herz, "A universal model for spike-frequency adaptation", Neural Comput. 15 (2003).
"""

import math

from snnlib.model import checks as check
from snnlib.model.plugin import NeuronModel, register
from snnlib.neurons.lif import LIF, lif_step


def adaptive_lif_step(v, ref, n, J, dt, tau_rc, tau_ref, v_th, v_reset, v_rest, n_decay, n_jump):
    """One step of dt (s): the LIF's exact step with drive J - n, then n decays and jumps at a spike."""
    v, ref, spiked = lif_step(v, ref, J - n, dt, tau_rc, tau_ref, v_th, v_reset, v_rest)
    n = n * n_decay
    if spiked:
        n = n + n_jump
    return v, ref, n, spiked


@register
class AdaptiveLIF(NeuronModel):
    """LIF with spike-frequency adaptation (see the module docstring).

    Parameters
    ----------
    tau_n : float
        Adaptation time constant (s), > 0. Default 1 s (Nengo's default).
    inc_n : float
        Adaptation increment (units of v x s), >= 0: n rises by inc_n / tau_n per spike. Default 0.01.
    tau_rc, tau_ref, v_th, v_reset, v_rest : as for `snnlib.LIF` (default: normalised units).
    """

    kind = "adaptive_lif"
    params = ("tau_rc", "tau_ref", "v_th", "v_reset", "v_rest", "tau_n", "inc_n")
    state = ("v", "ref", "n")
    functions = {"step": adaptive_lif_step}

    def __init__(self, tau_n=1.0, inc_n=0.01, tau_rc=0.02, tau_ref=0.002, v_th=1.0, v_reset=0.0, v_rest=0.0):
        self._lif = LIF(tau_rc=tau_rc, tau_ref=tau_ref, v_th=v_th, v_reset=v_reset, v_rest=v_rest)
        self.tau_rc, self.tau_ref = self._lif.tau_rc, self._lif.tau_ref
        self.v_th, self.v_reset, self.v_rest = self._lif.v_th, self._lif.v_reset, self._lif.v_rest
        self.tau_n = check.positive("tau_n", tau_n)
        self.inc_n = check.nonnegative("inc_n", inc_n)

    def derived(self, dt):
        return {"n_decay": math.exp(-dt / self.tau_n), "n_jump": self.inc_n / self.tau_n}

    @property
    def initial(self):
        return {"v": self.v_reset, "ref": 0.0, "n": 0.0}

    @property
    def time_constants(self):
        return {"tau_rc": self.tau_rc, "tau_n": self.tau_n}

    def rates(self, J):
        """Analytic rate (Hz) of the unadapted neuron (onset): the LIF's rate for drive J."""
        return self._lif.rates(J)

    def adapted_rates(self, J, iterations=200):
        """Steady-state rate (Hz) under constant J, in the mean-adaptation approximation n = inc_n * r.

        Solves r = LIF.rates(J - inc_n * r) by bisection (the right side falls as r rises); exact when
        tau_n is much longer than the inter-spike interval."""
        import numpy as np

        J = np.atleast_1d(np.asarray(J, dtype=float))
        lo, hi = np.zeros_like(J), np.asarray(self._lif.rates(J), dtype=float)
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            above = np.asarray(self._lif.rates(J - self.inc_n * mid)) > mid
            lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
        return 0.5 * (lo + hi)
