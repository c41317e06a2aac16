"""Learning rules attached to connections: one file per rule."""

from snnlib.learning.reward_stdp import ThreeFactorSTDP
from snnlib.learning.stdp import STDP

__all__ = ["STDP", "ThreeFactorSTDP"]
