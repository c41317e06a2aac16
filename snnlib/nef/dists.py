"""Distributions for NEF parameters (intercepts, max rates, encoders, evaluation points).

Same names and formulas as `nengo.dists` (nengo/dists.py), drawn from a `numpy.random.Generator` instead
of Nengo's `RandomState`, so the numbers differ from Nengo's for the same seed but have the same law.
`sample(n, d, rng)` returns an array of shape (n,) when d is None, else (n, d).

Nengo 3.1+ defaults to `ScatteredHypersphere` (quasi-random points) for encoders and evaluation points;
snnlib uses `UniformHypersphere` (Nengo's default before 3.1): same distribution, random rather than
evenly scattered points, so decoders here are slightly noisier than Nengo's for small sample counts.
"""

import numpy as np

from snnlib import _validate as check

__all__ = ["Distribution", "Uniform", "UniformHypersphere", "samples"]


class Distribution:
    """Base class: `sample(n, d=None, rng)`."""

    def sample(self, n, d=None, rng=None):  # pragma: no cover - abstract
        raise NotImplementedError


class Uniform(Distribution):
    """Uniform on [low, high) (nengo.dists.Uniform; `integer` draws are not supported)."""

    def __init__(self, low, high):
        self.low = check.real("low", low)
        self.high = check.real("high", high)
        if self.high < self.low:
            raise ValueError(f"Uniform needs low <= high, got low={self.low}, high={self.high}")

    def sample(self, n, d=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        shape = (n,) if d is None else (n, d)
        return rng.uniform(self.low, self.high, size=shape)

    def __repr__(self):
        return f"Uniform(low={self.low!r}, high={self.high!r})"


class UniformHypersphere(Distribution):
    """Uniform on the surface (surface=True) or in the volume of the d-dimensional unit ball.

    nengo.dists.UniformHypersphere: normalised Gaussian vectors; for the volume, radii u**(1/d) with u uniform
    on [min_magnitude**d, 1), which makes the density uniform in d-space instead of bunched at the centre.
    """

    def __init__(self, surface=False, min_magnitude=0.0):
        self.surface = bool(surface)
        self.min_magnitude = check.real("min_magnitude", min_magnitude)
        if not 0.0 <= self.min_magnitude < 1.0:
            raise ValueError(f"min_magnitude must be in [0, 1), got {self.min_magnitude}")

    def sample(self, n, d=None, rng=None):
        if d is None or d < 1:
            raise ValueError(f"UniformHypersphere needs dimensions d >= 1, got {d!r}")
        rng = np.random.default_rng() if rng is None else rng
        x = rng.standard_normal((n, d))
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        if self.surface:
            return x
        return x * rng.uniform(self.min_magnitude ** d, 1.0, size=(n, 1)) ** (1.0 / d)

    def __repr__(self):
        return f"UniformHypersphere(surface={self.surface!r}, min_magnitude={self.min_magnitude!r})"


def samples(name, value, n, d, rng):
    """`value` drawn (a Distribution) or taken as given (a number or array), as shape (n,) or (n, d)."""
    shape = (n,) if d is None else (n, d)
    if isinstance(value, Distribution):
        return value.sample(n, d, rng)
    arr = check.finite_array(name, value)
    if d is not None and arr.ndim == 1 and d == 1 and arr.shape == (n,):
        arr = arr[:, None]
    try:
        return np.broadcast_to(arr, shape).astype(float)
    except ValueError:
        raise ValueError(f"{name} has shape {arr.shape}; expected a distribution, a scalar or shape {shape}") from None
