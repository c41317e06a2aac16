"""Synapse models (postsynaptic filters and input laws): one file per model."""

from snnlib.synapses.exponential import ExpSynapse

__all__ = ["ExpSynapse"]
