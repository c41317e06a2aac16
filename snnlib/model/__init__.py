"""Model description: plain objects that say what a network is (Nengo's Network/Ensemble/Connection/Probe
idea). Nothing here computes dynamics; `snnlib.sim` builds and runs a description."""

from snnlib.model.inputs import Constant, Signal, Step, TimeFunction, Uniform
from snnlib.model.network import Connection, Input, Network, PoissonSource, Population, Probe, SpikeTimes

__all__ = ["Network", "Population", "PoissonSource", "SpikeTimes", "Input", "Connection", "Probe",
           "Signal", "Constant", "Step", "TimeFunction", "Uniform"]
