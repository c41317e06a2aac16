"""Synapse models (postsynaptic filters and input laws): one file per model."""

from snnlib.synapses.conductance import ConductanceSynapse, NMDASynapse
from snnlib.synapses.double_exponential import AlphaSynapse, DoubleExpSynapse
from snnlib.synapses.exponential import ExpSynapse

__all__ = ["ExpSynapse", "AlphaSynapse", "DoubleExpSynapse", "ConductanceSynapse", "NMDASynapse"]
