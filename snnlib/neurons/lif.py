"""The LIF neuron model: its description (parameters, analytic rate) and its plain scalar step functions.

A plug-in in the sense of `snnlib.model.plugin`: the code generator compiles `lif_step` (exact) and
`lif_update` (branch-free, vectorisable) into the simulation loop.

Units: seconds for time constants. The membrane voltage and the input drive J share one unit: volts for
SI models, dimensionless for the NEF's normalised units (threshold 1, reset 0, rest 0). J is R*I, the
voltage an input current would hold the membrane at, so dv/dt = (v_rest + J - v) / tau_rc.
"""

import math

import numpy as np

from snnlib import _validate as check
from snnlib.model.plugin import NeuronModel, register


class LIF(NeuronModel):
    """Leaky integrate-and-fire neuron.

    dv/dt = (v_rest + J - v) / tau_rc; when v crosses v_th the neuron spikes, v is set to v_reset and
    held there for tau_ref seconds.

    Parameters
    ----------
    tau_rc : float
        Membrane time constant (s), > 0. Default 20 ms (Nengo's default).
    tau_ref : float
        Absolute refractory period (s), >= 0. Default 2 ms.
    v_th, v_reset, v_rest : float
        Threshold, reset and resting voltages (V, or dimensionless in normalised units). Defaults are the
        normalised units 1, 0, 0. v_reset must be below v_th.
    """

    kind = "lif"
    params = ("tau_rc", "tau_ref", "v_th", "v_reset", "v_rest")
    state = ("v", "ref")
    quiet_state = ("ref",)          # 0 outside the refractory period: stored only where it changes

    def __init__(self, tau_rc=0.02, tau_ref=0.002, v_th=1.0, v_reset=0.0, v_rest=0.0):
        self.tau_rc = check.positive("tau_rc", tau_rc)
        self.tau_ref = check.nonnegative("tau_ref", tau_ref, "s")
        self.v_th = check.real("v_th", v_th)
        self.v_reset = check.real("v_reset", v_reset)
        self.v_rest = check.real("v_rest", v_rest)
        if self.v_reset >= self.v_th:
            raise ValueError(f"v_reset ({self.v_reset}) must be below v_th ({self.v_th})")

    @property
    def time_constants(self):
        """Time constants the simulator integrates (dt must be smaller than each)."""
        return {"tau_rc": self.tau_rc}

    def derived(self, dt):
        """a_rc = 1 - exp(-dt/tau_rc): the fraction of the way to v_rest + J covered in one full step."""
        return {"a_rc": -math.expm1(-dt / self.tau_rc)}

    @property
    def rheobase(self):
        """The smallest constant drive J that makes the neuron fire: v_th - v_rest."""
        return self.v_th - self.v_rest

    def rates(self, J):
        """Analytic firing rate (Hz) for constant drive J (array-like, units of v).

        a(J) = 1 / (tau_ref + tau_rc * ln((v_rest + J - v_reset) / (v_rest + J - v_th))) above the rheobase,
        0 at or below it. In normalised units this is 1 / (tau_ref + tau_rc * ln(1 + 1/(J - 1))).
        """
        J = check.finite_array("J", J)
        v_inf = self.v_rest + J
        out = np.zeros(np.shape(J))
        above = v_inf > self.v_th
        if np.any(above):
            ratio = (v_inf[above] - self.v_reset) / (v_inf[above] - self.v_th)
            out[above] = 1.0 / (self.tau_ref + self.tau_rc * np.log(ratio))
        return out if np.ndim(J) else float(out)

    def __repr__(self):
        return (f"LIF(tau_rc={self.tau_rc!r}, tau_ref={self.tau_ref!r}, v_th={self.v_th!r}, "
                f"v_reset={self.v_reset!r}, v_rest={self.v_rest!r})")


def lif_step(v, ref, J, dt, tau_rc, tau_ref, v_th, v_reset, v_rest):
    """Advance one LIF neuron by dt (s) with drive J held constant over the step.

    Exact exponential integration towards v_rest + J for the part of the step outside the refractory
    period; when v crosses v_th the crossing time inside the step is solved exactly and the remainder of
    the step counts towards the refractory period, so the rate equals the analytic rate at any dt
    for which the neuron fires at most once per step (rate < 1/dt).

    `ref` is the refractory time still to serve at the start of this step (s).
    Returns (v, ref, spiked): the new voltage, the refractory time still to serve at the start of the
    next step, and a bool.
    """
    active = dt - ref                      # time this step spends outside the refractory period
    if active > dt:
        active = dt
    elif active < 0.0:
        active = 0.0
    ref = ref - dt
    if ref < 0.0:
        ref = 0.0
    v_inf = v_rest + J
    v = v - (v_inf - v) * math.expm1(-active / tau_rc)
    if v > v_th:
        t_cross = dt                       # crossing time from the step's start
        if v_inf > v_th:
            t_cross = dt + tau_rc * math.log1p(-(v - v_th) / (v_inf - v_th))
            if t_cross < 0.0:
                t_cross = 0.0
        return v_reset, tau_ref - (dt - t_cross), True
    return v, ref, False


def lif_update(v, ref, J, dt, zero, v_th, v_rest, a_rc):
    """The common case of `lif_step`, branch-free so that a loop over neurons vectorises.

    A neuron out of its refractory period moves by a_rc (= 1 - exp(-dt/tau_rc)) towards v_rest + J, which
    is `lif_step`'s update bit for bit (v + x * (-expm1(.)) == v - x * expm1(.) in IEEE arithmetic); a
    refractory neuron keeps v and counts ref down. Returns (v, ref, needs_exact): needs_exact is true when
    v crossed v_th or the refractory period ends inside this step; the state is then returned unchanged
    and the kernel calls `lif_step` for the exact crossing time / partial step.
    """
    out = ref <= 0.0                       # out of the refractory period
    vn = v + (v_rest + J - v) * (a_rc if out else zero)
    # one compare of ref serves both tests: "ref < dt and not ref <= 0" is "0 < ref < dt" for every ref, NaN
    # included (false through ref < dt)
    partial = (ref < dt) & (not out)
    needs_exact = (vn > v_th) | partial
    rn = ref - dt
    # max(zero, rn) is `rn if rn > zero else zero` (numba's and Python's max keep the first argument unless
    # the second is greater: NaN and -0.0 give +0.0), which LLVM emits as one x86 max instruction; max(rn, zero)
    # would differ for NaN and -0.0 (tests/test_lif.py compares with the explicit select bit for bit)
    return (v if needs_exact else vn), (ref if needs_exact else max(zero, rn)), needs_exact


LIF.functions = {"step": lif_step, "update": lif_update}
register(LIF)
