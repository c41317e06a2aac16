"""Neuron models: one file per model, each with its description class and plain scalar step function."""

from snnlib.neurons.adaptive_lif import AdaptiveLIF
from snnlib.neurons.adex import AdEx
from snnlib.neurons.izhikevich import Izhikevich
from snnlib.neurons.lif import LIF
from snnlib.neurons.two_compartment import TwoCompartmentLIF

__all__ = ["LIF", "AdaptiveLIF", "Izhikevich", "AdEx", "TwoCompartmentLIF"]
