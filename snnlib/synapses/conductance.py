"""Conductance-based synapses: the input depends on the membrane voltage through a reversal potential.

    exponential conductance:  dg/dt = -g / tau,  g jumps by w at a spike;  J_syn = g (E_rev - v)
    NMDA:                     g as a double exponential (rise 2 ms, decay 100 ms by default), and
                              J_syn = g B(v) (E_rev - v),  B(v) = 1 / (1 + [Mg2+]/3.57 mM exp(-0.062 v/mV))

g is dimensionless: the conductance relative to the neuron's leak conductance (g_syn / g_L), so that
J_syn, like every drive in snnlib, is in volts (R I). These synapses need a neuron in SI volts (e.g.
`LIF(v_th=-50e-3, v_reset=-60e-3, v_rest=-70e-3)`), not the NEF's normalised units: the reversal
potentials and the Mg2+ block are physical voltages.

B(v) is the magnesium block of Jahr & Stevens (1990), "Voltage dependence of NMDA-activated macroscopic
conductances predicted by single-channel kinetics", J. Neurosci. 10(9):3178-3182: near rest (-70 mV) only
a few % of the NMDA conductance passes, at 0 mV most of it, which makes the NMDA receptor a detector of
coincident presynaptic release and postsynaptic depolarisation. Time constants: e.g. Dayan & Abbott (2001)
section 5.8; reversal 0 mV for AMPA and NMDA, -70 to -80 mV for GABA_A, about -90 mV for GABA_B.
"""

import math

from snnlib.model import checks as check
from snnlib.model.plugin import SynapseModel, register
from snnlib.synapses.double_exponential import double_exp_peak, two_stage_advance, two_stage_constants


def conductance_advance(g, decay):
    """g over one step: exact exponential decay."""
    return g * decay


def conductance_current(g, v, E_rev):
    """Drive (V) from a relative conductance g at voltage v (V): g (E_rev - v)."""
    return g * (E_rev - v)


def mg_block(v, mg):
    """Jahr & Stevens (1990) fraction of NMDA channels not blocked by Mg2+ at v (V), [Mg2+] = mg (mM)."""
    return 1.0 / (1.0 + mg / 3.57 * math.exp(-62.0 * v))


def nmda_advance(x, g, decay_rise, decay_decay, cross):
    """The conductance's two-stage filter over one step (as the double-exponential synapse's current)."""
    return two_stage_advance(x, g, decay_rise, decay_decay, cross)


def nmda_current(x, g, v, E_rev, mg):
    """Drive (V) through the NMDA conductance g at voltage v (V), with the Mg2+ block."""
    return g * mg_block(v, mg) * (E_rev - v)


@register
class ConductanceSynapse(SynapseModel):
    """Exponential conductance synapse (see the module docstring).

    Parameters
    ----------
    tau : decay time constant (s), > 0. Default 5 ms (AMPA-like).
    E_rev : reversal potential (V). Default 0 V (excitatory: AMPA); about -0.075 V for GABA_A.
    Weights are peak relative conductances (g_syn / g_L per spike), >= 0 in practice.
    """

    kind = "conductance"
    params = ("tau", "E_rev")
    state = ("g",)
    functions = {"advance": conductance_advance, "current": conductance_current}

    def __init__(self, tau=0.005, E_rev=0.0):
        self.tau = check.positive("tau", tau)
        self.E_rev = check.real("E_rev", E_rev)
        if not -0.2 <= self.E_rev <= 0.2:
            raise ValueError(f"E_rev must be a reversal potential in volts (between -0.2 and 0.2 V), got "
                             f"{self.E_rev!r}: did you give millivolts?")

    def derived(self, dt):
        return {"decay": math.exp(-dt / self.tau), "gain": 1.0}

    @property
    def time_constants(self):
        return {"tau": self.tau}


@register
class NMDASynapse(SynapseModel):
    """NMDA receptor synapse: double-exponential conductance with the Mg2+ block (module docstring).

    Parameters
    ----------
    tau_rise, tau_decay : s, 0 < tau_rise < tau_decay. Defaults 2 ms and 100 ms.
    E_rev : reversal potential (V), default 0.
    mg : extracellular [Mg2+] (mM), >= 0, default 1 mM (0 removes the block).
    Weights are the peak relative conductance of one release (g_NMDA / g_L).
    """

    kind = "nmda"
    params = ("tau_rise", "tau_decay", "E_rev", "mg")
    state = ("x", "g")
    functions = {"advance": nmda_advance, "current": nmda_current}

    def __init__(self, tau_rise=0.002, tau_decay=0.1, E_rev=0.0, mg=1.0):
        self.tau_rise = check.positive("tau_rise", tau_rise)
        self.tau_decay = check.positive("tau_decay", tau_decay)
        if self.tau_rise >= self.tau_decay:
            raise ValueError(f"tau_rise ({self.tau_rise} s) must be shorter than tau_decay ({self.tau_decay} s)")
        self.E_rev = check.real("E_rev", E_rev)
        self.mg = check.nonnegative("mg", mg, "mM")

    @staticmethod
    def block(v, mg=1.0):
        """The unblocked fraction B(v) (array) at voltages v (V) and [Mg2+] mg (mM)."""
        import numpy as np

        return 1.0 / (1.0 + mg / 3.57 * np.exp(-62.0 * np.asarray(v, dtype=float)))

    def derived(self, dt):
        """Two-stage filter factors; gain makes the conductance of one release peak at its weight."""
        return dict(two_stage_constants(self.tau_rise, self.tau_decay, dt),
                    gain=1.0 / double_exp_peak(self.tau_rise, self.tau_decay)[1])

    @property
    def time_constants(self):
        return {"tau_rise": self.tau_rise, "tau_decay": self.tau_decay}
