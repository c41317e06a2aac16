"""snnlib: a small, fast spiking neural network library for the course "Deep Learning Isn't the Brain".

Describe a model with `Network` (populations, sources, inputs, connections, probes), run it with
`Simulator`. Units are SI floats (see `snnlib.units`); `LIF()` defaults to the NEF's normalised units.
numba and matplotlib are imported only when first needed, so `import snnlib` is quick.
"""

from snnlib.model.inputs import Constant, Step, TimeFunction, Uniform
from snnlib.experiments.single_neuron import simulate_lif
from snnlib.model.network import Network
from snnlib.model.plugin import LearningRule, NeuronModel, SynapseModel, register
from snnlib.neurons.lif import LIF
from snnlib.learning.stdp import STDP
from snnlib.sim.simulator import ProbeMemoryError, Simulator
from snnlib.synapses.exponential import ExpSynapse

__all__ = ["Network", "Simulator", "LIF", "ExpSynapse", "STDP", "Constant", "Step", "TimeFunction", "Uniform",
           "ProbeMemoryError", "simulate_lif", "register", "NeuronModel", "SynapseModel", "LearningRule"]
__version__ = "0.1.0"
