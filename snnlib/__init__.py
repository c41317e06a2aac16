"""snnlib: a small, fast spiking neural network library for the course "Deep Learning Isn't the Brain".

Describe a model with `Network` (populations, sources, inputs, connections, probes), run it with
`Simulator`. Units are SI floats (see `snnlib.units`); `LIF()` defaults to the NEF's normalised units.
numba and matplotlib are imported only when first needed, so `import snnlib` is quick.
"""

from snnlib.model.inputs import Constant, Step, TimeFunction, Uniform
from snnlib.experiments.single_neuron import simulate_lif
from snnlib.model.network import Network
from snnlib.model.plugin import LearningRule, NeuronModel, SynapseModel, register
from snnlib.neurons import LIF, AdaptiveLIF, AdEx, Izhikevich, TwoCompartmentLIF
from snnlib.learning.stdp import STDP
from snnlib.learning.reward_stdp import ThreeFactorSTDP
from snnlib.presynaptic import Release, TsodyksMarkram
from snnlib.sim.finite import NonFiniteError
from snnlib.sim.memory import ModelMemoryError
from snnlib.sim.simulator import ProbeMemoryError, Simulator, UnknownProbeError
from snnlib.synapses import AlphaSynapse, ConductanceSynapse, DoubleExpSynapse, ExpSynapse, NMDASynapse

__all__ = ["Network", "Simulator", "LIF", "AdaptiveLIF", "Izhikevich", "AdEx", "TwoCompartmentLIF", "ExpSynapse", "AlphaSynapse",
           "DoubleExpSynapse", "ConductanceSynapse", "NMDASynapse", "STDP", "ThreeFactorSTDP", "TsodyksMarkram", "Release", "Constant",
           "Step", "TimeFunction", "Uniform",
           "ProbeMemoryError", "ModelMemoryError", "NonFiniteError", "UnknownProbeError", "simulate_lif", "register", "NeuronModel", "SynapseModel", "LearningRule"]
__version__ = "0.1.0"
