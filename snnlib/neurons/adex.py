"""The adaptive exponential integrate-and-fire neuron (AdEx; Brette & Gerstner 2005).

    C dv/dt = -g_L (v - E_L) + g_L Delta_T exp((v - V_T) / Delta_T) - w + g_L J
    tau_w dw/dt = a (v - E_L) - w
    if v >= v_peak: v <- v_reset, w <- w + b

SI units throughout: volts, seconds, farads, siemens, amperes. As for snnlib's LIF, the drive J that the
network adds is in volts (J = R I with R = 1 / g_L), so an input current I enters as J = I / g_L.
Integration: forward Euler (the exponential term has no closed form); the exponent is capped so that a
large dt cannot overflow, and the spike is detected at v_peak. Use dt <= 0.1 ms.

References: R. Brette & W. Gerstner, "Adaptive exponential integrate-and-fire model as an effective
description of neuronal activity", J. Neurophysiol. 94, 3637-3642 (2005) (default parameters);
R. Naud, N. Marcille, C. Clopath & W. Gerstner, "Firing patterns in the adaptive exponential
integrate-and-fire model", Biol. Cybern. 99, 335-347 (2008), Table 1 (the pattern presets).
"""

import math

from snnlib.model import checks as check
from snnlib.model.plugin import NeuronModel, register

pF, nS, mV, ms, pA = 1e-12, 1e-9, 1e-3, 1e-3, 1e-12

#: Naud et al. (2008), Table 1: (C, g_L, E_L, V_T, Delta_T, a, tau_w, b, v_reset) and the step current
#: I (A) that shows the pattern.
PRESETS = {
    "tonic": (200 * pF, 10 * nS, -70 * mV, -50 * mV, 2 * mV, 2 * nS, 30 * ms, 0 * pA, -58 * mV, 500 * pA),
    "adapting": (200 * pF, 12 * nS, -70 * mV, -50 * mV, 2 * mV, 2 * nS, 300 * ms, 60 * pA, -58 * mV, 500 * pA),
    "initial_burst": (130 * pF, 18 * nS, -58 * mV, -50 * mV, 2 * mV, 4 * nS, 150 * ms, 120 * pA, -50 * mV,
                      400 * pA),
    "bursting": (200 * pF, 10 * nS, -58 * mV, -50 * mV, 2 * mV, 2 * nS, 120 * ms, 100 * pA, -46 * mV, 210 * pA),
}
_NAMES = ("C", "g_L", "E_L", "V_T", "delta_T", "a", "tau_w", "b", "v_reset")
_EXP_CAP = 20.0        # exp(20) ~ 5e8: far above any v_peak crossing, far below overflow


def adex_step(v, w, J, dt, C, g_L, E_L, V_T, delta_T, a, tau_w, b, v_reset, v_peak):
    """One forward-Euler step of dt (s); v (V), w (A), J (V). Returns (v, w, spiked)."""
    x = (v - V_T) / delta_T
    if x > _EXP_CAP:
        x = _EXP_CAP
    dv = (-g_L * (v - E_L) + g_L * delta_T * math.exp(x) - w + g_L * J) / C
    dw = (a * (v - E_L) - w) / tau_w
    v = v + dt * dv
    w = w + dt * dw
    if v >= v_peak:
        return v_reset, w + b, True
    return v, w, False


@register
class AdEx(NeuronModel):
    """Adaptive exponential integrate-and-fire neuron (see the module docstring; SI units).

    Parameters (defaults: Brette & Gerstner 2005)
    ----------
    C : capacitance (F), > 0; default 281 pF.
    g_L : leak conductance (S), > 0; default 30 nS.
    E_L : leak reversal (V); default -70.6 mV.
    V_T : threshold slope point (V); default -50.4 mV.
    delta_T : slope factor (V), > 0; default 2 mV.
    a : subthreshold adaptation (S); default 4 nS.
    tau_w : adaptation time constant (s), > 0; default 144 ms.
    b : spike-triggered adaptation (A), >= 0; default 80.5 pA.
    v_reset : reset (V), below v_peak; default E_L.
    v_peak : spike detection (V), above V_T; default 0 mV.
    preset : None or one of "tonic", "adapting", "initial_burst", "bursting" (Naud et al. 2008, Table 1);
        named parameters passed as well override the preset's. `AdEx.preset_current(name)` gives the
        step current (A) that shows the pattern.

    Initial state: v = E_L, w = 0.
    """

    kind = "adex"
    params = _NAMES + ("v_peak",)
    state = ("v", "w")
    functions = {"step": adex_step}
    threshold = "V_T"      # what Network.modulate(pop, "threshold", m) shifts: the soft threshold

    def __init__(self, C=None, g_L=None, E_L=None, V_T=None, delta_T=None, a=None, tau_w=None, b=None,
                 v_reset=None, v_peak=0.0, preset=None):
        given = dict(C=C, g_L=g_L, E_L=E_L, V_T=V_T, delta_T=delta_T, a=a, tau_w=tau_w, b=b, v_reset=v_reset)
        if preset is not None and (not isinstance(preset, str) or preset not in PRESETS):
            raise ValueError(f"preset must be one of {sorted(PRESETS)} or None, got {preset!r}")
        base = dict(zip(_NAMES, PRESETS[preset][:9])) if preset is not None else dict(
            C=281 * pF, g_L=30 * nS, E_L=-70.6 * mV, V_T=-50.4 * mV, delta_T=2 * mV, a=4 * nS, tau_w=144 * ms,
            b=80.5 * pA, v_reset=None)
        vals = {k: (given[k] if given[k] is not None else base[k]) for k in _NAMES}
        if vals["v_reset"] is None:
            vals["v_reset"] = vals["E_L"]
        self.preset = preset
        self.C = check.positive("C", vals["C"], "F")
        self.g_L = check.positive("g_L", vals["g_L"], "S")
        self.E_L = check.real("E_L", vals["E_L"])
        self.V_T = check.real("V_T", vals["V_T"])
        self.delta_T = check.positive("delta_T", vals["delta_T"], "V")
        self.a = check.real("a", vals["a"])
        self.tau_w = check.positive("tau_w", vals["tau_w"])
        self.b = check.nonnegative("b", vals["b"], "A")
        self.v_reset = check.real("v_reset", vals["v_reset"])
        self.v_peak = check.real("v_peak", v_peak)
        if self.v_peak <= self.V_T:
            raise ValueError(f"v_peak ({self.v_peak} V) must be above V_T ({self.V_T} V)")
        if self.v_reset >= self.v_peak:
            raise ValueError(f"v_reset ({self.v_reset} V) must be below v_peak ({self.v_peak} V)")

    @staticmethod
    def preset_current(name):
        """The step current (A) of Naud et al. (2008), Table 1, that shows preset `name`'s pattern."""
        if name not in PRESETS:
            raise ValueError(f"name must be one of {sorted(PRESETS)}, got {name!r}")
        return PRESETS[name][9]

    @property
    def tau_m(self):
        """Membrane time constant C / g_L (s)."""
        return self.C / self.g_L

    @property
    def initial(self):
        return {"v": self.E_L, "w": 0.0}

    @property
    def time_constants(self):
        return {"tau_m": self.tau_m, "tau_w": self.tau_w}
