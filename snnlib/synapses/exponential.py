"""Synapse model descriptions."""

from snnlib import _validate as check


class ExpSynapse:
    """Current-based exponential synapse: dI/dt = -I / tau, and each presynaptic spike adds to I.

    Parameters
    ----------
    tau : float
        Decay time constant (s), > 0.
    normalize : {"peak", "area"}
        "peak": a spike through weight w adds w to I (CUBA convention; the PSC peaks at w and has area
        w * tau). "area": a spike adds w / tau, so the PSC has unit area times w and a train of rate r
        gives a mean current w * r (Nengo's and the NEF's convention).
    """

    def __init__(self, tau=0.005, normalize="peak"):
        self.tau = check.positive("tau", tau)
        if normalize not in ("peak", "area"):
            raise ValueError(f"normalize must be 'peak' or 'area', got {normalize!r}")
        self.normalize = normalize

    @property
    def gain(self):
        """Jump in I per unit weight per spike."""
        return 1.0 if self.normalize == "peak" else 1.0 / self.tau

    @property
    def time_constants(self):
        return {"tau": self.tau}

    def key(self):
        """Synapses with equal keys onto the same population share one state variable."""
        return (self.tau, self.normalize)

    def __repr__(self):
        return f"ExpSynapse(tau={self.tau!r}, normalize={self.normalize!r})"
