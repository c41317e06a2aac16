"""The Izhikevich (2003) neuron: two variables, four parameters, twenty firing patterns.

    dv/dt = 0.04 v^2 + 5 v + 140 - u + I        (v in mV, t in ms, as in the paper)
    du/dt = a (b v - u)
    if v >= v_peak (30 mV): v <- c, u <- u + d

The model is a fitted normal form, written in the paper's units: v in mV, time in ms, and the input I
in the same "current" units as the paper (I = 10 gives the figures' tonic spiking). snnlib keeps to its
SI conventions at the edges: dt is given in seconds, the state `v` is stored and probed in volts, and
the drive J that the network adds to these neurons *is* the paper's I. `u` is in the paper's units (mV).
The integration follows the paper's own code: v in two half steps, then u with the new v.

Reference: E. M. Izhikevich, "Simple model of spiking neurons", IEEE Trans. Neural Networks 14(6),
1569-1572 (2003); the parameter sets are those of its Fig. 2.
"""

import math

from snnlib.model import checks as check
from snnlib.model.plugin import NeuronModel, register

#: (a, b, c, d) of Izhikevich (2003), Fig. 2: c in mV, the rest in the paper's units.
PRESETS = {
    "RS": (0.02, 0.2, -65.0, 8.0),     # regular spiking (excitatory cortex, most common)
    "IB": (0.02, 0.2, -55.0, 4.0),     # intrinsically bursting
    "CH": (0.02, 0.2, -50.0, 2.0),     # chattering (fast rhythmic bursting)
    "FS": (0.1, 0.2, -65.0, 2.0),      # fast spiking (inhibitory interneurons)
    "LTS": (0.02, 0.25, -65.0, 2.0),   # low-threshold spiking (inhibitory interneurons)
}
PATTERN_NAMES = {"RS": "regular spiking", "IB": "intrinsically bursting", "CH": "chattering",
                 "FS": "fast spiking", "LTS": "low-threshold spiking"}


def izhikevich_step(v, u, J, dt, a, b, c, d, v_peak):
    """One step of dt seconds with input J (the paper's I) held constant; v in volts, u in mV.

    Returns (v, u, spiked). A spike resets v to c and increments u by d, as in the paper."""
    h = dt * 500.0                               # half a step, in ms
    vm = v * 1000.0
    vm = vm + h * (0.04 * vm * vm + 5.0 * vm + 140.0 - u + J)
    if vm < v_peak:                              # the second half step only below the peak (no overflow)
        vm = vm + h * (0.04 * vm * vm + 5.0 * vm + 140.0 - u + J)
    u = u + 2.0 * h * a * (b * min(vm, v_peak) - u)
    if vm >= v_peak:
        return c * 0.001, u + d, True
    return vm * 0.001, u, False


@register
class Izhikevich(NeuronModel):
    """Izhikevich (2003) neuron (see the module docstring for the equations and units).

    Parameters
    ----------
    a : float
        Recovery rate of u (1/ms), > 0. Smaller is slower recovery.
    b : float
        Sensitivity of u to v (dimensionless, the paper's units).
    c : float
        After-spike reset of v (mV), below v_peak.
    d : float
        After-spike jump of u (the paper's units, mV), >= 0.
    v_peak : float
        Spike cut-off (mV), default 30.
    preset : str or None
        One of "RS", "IB", "CH", "FS", "LTS" (Fig. 2 of the paper): fills a, b, c, d; passing a, b, c or d
        as well overrides that one.

    The initial state is v = c (in volts), u = b * c.
    """

    kind = "izhikevich"
    params = ("a", "b", "c", "d", "v_peak")
    state = ("v", "u")
    functions = {"step": izhikevich_step}

    def __init__(self, a=None, b=None, c=None, d=None, v_peak=30.0, preset="RS"):
        if preset is not None and (not isinstance(preset, str) or preset not in PRESETS):
            raise ValueError(f"preset must be one of {sorted(PRESETS)} or None, got {preset!r}")
        base = PRESETS[preset] if preset is not None else (None, None, None, None)
        values = [x if x is not None else y for x, y in zip((a, b, c, d), base)]
        for name, value in zip("abcd", values):
            if value is None:
                raise ValueError(f"{name} is needed when preset is None")
        self.preset = preset if (a, b, c, d) == (None, None, None, None) else None
        self.a = check.positive("a", values[0], "1/ms")
        self.b = check.real("b", values[1])
        self.c = check.real("c", values[2])
        self.d = check.nonnegative("d", values[3])
        self.v_peak = check.real("v_peak", v_peak)
        if self.c >= self.v_peak:
            raise ValueError(f"c (reset, {self.c} mV) must be below v_peak ({self.v_peak} mV)")

    @property
    def initial(self):
        return {"v": self.c * 0.001, "u": self.b * self.c}

    @property
    def time_constants(self):
        # the recovery variable's time constant 1/a (ms -> s); the spike upstroke needs dt <= ~0.5 ms too
        return {"1/a": 0.001 / self.a}

    def __repr__(self):
        if self.preset is not None:
            return f"Izhikevich(preset={self.preset!r})"
        return (f"Izhikevich(a={self.a!r}, b={self.b!r}, c={self.c!r}, d={self.d!r}, "
                f"v_peak={self.v_peak!r}, preset=None)")

