"""The current-based exponential synapse: description and plain scalar functions (a `snnlib.model.plugin`)."""

import numpy as np  # np.exp, as the builder always used (bit-identical decay factors)

from snnlib import _validate as check
from snnlib.model.plugin import SynapseModel, register


def exp_advance(I, decay):
    """I over one step: I * exp(-dt / tau) (exact for a current that only decays)."""
    return I * decay


def exp_current(I):
    """Current-based input law: the synapse adds I to the neuron's drive J, whatever v."""
    return I


@register
class ExpSynapse(SynapseModel):
    """Current-based exponential synapse: dI/dt = -I / tau, and each presynaptic spike adds to I.

    Parameters
    ----------
    tau : float
        Decay time constant (s), > 0.
    normalize : {"peak", "area"}
        "peak": a spike through weight w adds w to I (CUBA convention; the PSC peaks at w and has area
        w * tau). "area": a spike adds w / tau, so the PSC has unit area times w and a train of rate r
        gives a mean current w * r (Nengo's and the NEF's convention).
    scale : float, >= 0
        Multiplies the jump per unit weight (default 1). scale=0 makes a connection that learns (its
        plasticity rule sees the spikes) but does not drive its targets: used where the question is which
        synapse learns, not what the learnt weights do (`snnlib.experiments.distal_reward`).
    """

    kind = "exp"
    params = ("tau",)
    state = ("I",)
    functions = {"advance": exp_advance, "current": exp_current}

    def __init__(self, tau=0.005, normalize="peak", scale=1.0):
        self.tau = check.positive("tau", tau)
        self.scale = check.nonnegative("scale", scale)
        if normalize not in ("peak", "area"):
            raise ValueError(f"normalize must be 'peak' or 'area', got {normalize!r}")
        self.normalize = normalize

    def derived(self, dt):
        return {"decay": float(np.exp(-dt / self.tau)), "gain": self.gain}

    @property
    def gain(self):
        """Jump in I per unit weight per spike."""
        return self.scale * (1.0 if self.normalize == "peak" else 1.0 / self.tau)

    @property
    def time_constants(self):
        return {"tau": self.tau}

    def key(self):
        """Synapses with equal keys onto the same population share one state variable."""
        return (self.kind, self.tau, self.normalize)

    def __repr__(self):
        extra = "" if self.scale == 1.0 else f", scale={self.scale!r}"
        return f"ExpSynapse(tau={self.tau!r}, normalize={self.normalize!r}{extra})"
