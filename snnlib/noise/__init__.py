"""Noise sources: one file per model (a `snnlib.model.plugin.NoiseModel`), attached with `Network.noise`."""

from snnlib.noise.white import WhiteNoise
from snnlib.noise.ornstein_uhlenbeck import OUNoise

__all__ = ["WhiteNoise", "OUNoise"]
