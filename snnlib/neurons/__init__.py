"""Neuron models: one file per model, each with its description class and plain scalar step function."""

from snnlib.neurons.lif import LIF

__all__ = ["LIF"]
