"""Probabilistic transmitter release: each synapse transmits a presynaptic spike with probability p.

Release at a single cortical synapse fails often: p of about 0.1 to 0.7 depending on the synapse (e.g.
Branco & Staras, Nat. Rev. Neurosci. 10:373-383, 2009; Dobrunz & Stevens, Neuron 18:995-1008, 1997). Each
synapse draws independently for each spike (a counter-based uniform deviate, the same with and without the
JIT); the weight is delivered whole or not at all, so the PSC of one synapse has mean p w and variance
p (1 - p) w^2.
"""

from snnlib.model import checks as check
from snnlib.model.plugin import PresynapticModel, register


def release_on_spike(u, p):
    """1.0 (released) with probability p, else 0.0 (failure); u is uniform in (0, 1)."""
    return 1.0 if u < p else 0.0


@register
class Release(PresynapticModel):
    """Each synapse releases with probability `p` (in [0, 1]) per presynaptic spike, independently."""

    kind = "release"
    params = ("p",)
    per_synapse = True
    functions = {"on_spike": release_on_spike}

    def __init__(self, p=0.5):
        self.p = check.probability("p", p)
