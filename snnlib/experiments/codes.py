"""The rate code without Poisson noise: a *regular* rate code, next to `snnlib.analysis.spikecode`'s
Poisson rate code and latency code.

A Poisson rate code is the worst case of rate coding: its spike count in a window has variance equal to its
mean. A neuron that fires regularly (as a LIF neuron with constant drive does, CV = 0) at ``f = x * max_rate``
with a random phase emits ``floor(f T + u)`` spikes in a window T (u uniform in [0, 1)), so its count is off
by less than one spike, and the error of the decoded value falls as ``1/T`` rather than ``1/sqrt(T)``.
Values are dimensionless in [0, 1], times in seconds, rates in hertz.
"""

from __future__ import annotations

import numpy as np

from snnlib import _validate as check

from snnlib.analysis.spikecode import decoding_errors, decoding_protocol, make_rng

__all__ = ["regular_counts", "regular_rate_errors", "code_errors"]


def regular_counts(values, max_rate: float, window: float, seed=None) -> np.ndarray:
    """Spike counts in ``[0, window)`` of neurons firing regularly at ``values * max_rate`` Hz.

    Each neuron's first spike falls at a uniformly random phase of its period: spike k at ``(k + 1 - u) / f``
    with u uniform in [0, 1), so the count is ``floor(f * window + u)`` and its mean is exactly
    ``f * window``. Returns an int array shaped like ``values``.
    """
    x = check.numeric_array("values", values)
    if not np.all(np.isfinite(x)) or np.any(x < 0) or np.any(x > 1):
        raise ValueError("values must lie in [0, 1]")
    max_rate, window = check.positive("max_rate", max_rate, "Hz"), check.positive("window", window)
    u = make_rng(seed).uniform(size=x.shape)
    return np.floor(x * max_rate * window + u).astype(np.int64)


def regular_rate_errors(windows, n_neurons: int = 10, max_rate: float = 100.0, n_trials: int = 200, seed=0):
    """RMS decoding error of the regular rate code against the readout window (s).

    Same protocol as `snnlib.analysis.spikecode.decoding_errors`: per window, ``n_trials`` values uniform in
    [0, 1], ``n_neurons`` neurons each, decoded as ``count / (n_neurons * max_rate * window)``.
    Returns an array with one RMS error per window.
    """
    w, n_neurons, n_trials = decoding_protocol(windows, n_neurons, n_trials)
    from snnlib import _validate as check

    max_rate = check.positive("max_rate", max_rate, "Hz")
    rng = make_rng(seed)
    out = np.empty(w.size)
    for k, window in enumerate(w):
        x = rng.uniform(size=n_trials)
        counts = regular_counts(np.repeat(x[:, None], n_neurons, axis=1), max_rate, window, seed=rng)
        estimate = counts.sum(axis=1) / (n_neurons * max_rate * window)
        out[k] = np.sqrt(np.mean((estimate - x) ** 2))
    return out


def code_errors(windows, n_neurons: int = 10, max_rate: float = 100.0, t_max: float = 0.05,
                jitter: float = 0.002, n_trials: int = 200, seed=0):
    """RMS decoding errors of three codes against the window: ``(poisson_rate, regular_rate, latency)``.

    The Poisson rate and latency columns are `snnlib.analysis.spikecode.decoding_errors` with this seed; the
    regular rate column uses its own generator derived from the seed (seed + 1 for an int seed).
    """
    poisson, latency = decoding_errors(windows, n_neurons=n_neurons, max_rate=max_rate, t_max=t_max,
                                       jitter=jitter, n_trials=n_trials, seed=seed)
    regular_seed = seed + 1 if isinstance(seed, (int, np.integer)) else seed
    regular = regular_rate_errors(windows, n_neurons=n_neurons, max_rate=max_rate, n_trials=n_trials,
                                  seed=regular_seed)
    return poisson, regular, latency
