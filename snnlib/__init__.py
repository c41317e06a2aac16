"""snnlib: a small, fast spiking neural network library for the course "Deep Learning Isn't the Brain".

Describe a model with `Network` (populations, sources, inputs, connections, probes), run it with
`Simulator`. Units are SI floats (see `snnlib.units`); `LIF()` defaults to the NEF's normalised units.
numba and matplotlib are imported only when first needed, so `import snnlib` is quick.
"""

from .inputs import Constant, Step, TimeFunction, Uniform
from .lif import simulate_lif
from .network import Network
from .neurons import LIF
from .plasticity import STDP
from .simulator import ProbeMemoryError, Simulator
from .synapses import ExpSynapse

__all__ = ["Network", "Simulator", "LIF", "ExpSynapse", "STDP", "Constant", "Step", "TimeFunction", "Uniform",
           "ProbeMemoryError", "simulate_lif"]
__version__ = "0.1.0"
