"""Spike-train statistics shared by every CUBA implementation in the suite.

Only numpy is used here, so the same functions run in the project's `.venv` (snnlib) and in the
peers environment `.venv-peers` (Brian2, Nengo); every simulator's numbers are therefore computed
by one piece of code from its raw spikes (neuron index, time in seconds).
"""

from __future__ import annotations

import numpy as np

#: Neurons need at least this many spikes (two intervals) to enter the mean CV of the
#: inter-spike intervals, as in Brette et al. 2007.
MIN_SPIKES_FOR_CV = 3


def _as_spikes(neurons, times, n_neurons: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate and return (neurons as int64, times as float64) of one spike record."""
    neurons = np.asarray(neurons)
    times = np.asarray(times, dtype=np.float64)
    if neurons.shape != times.shape or neurons.ndim != 1:
        raise ValueError(
            f"neurons and times must be 1-D arrays of the same length, got shapes "
            f"{neurons.shape} and {times.shape}"
        )
    if not isinstance(n_neurons, (int, np.integer)) or n_neurons <= 0:
        raise ValueError(f"n_neurons must be a positive integer, got {n_neurons!r}")
    neurons = neurons.astype(np.int64)
    if neurons.size and (neurons.min() < 0 or neurons.max() >= n_neurons):
        raise ValueError(f"neuron indices must lie in [0, {n_neurons}), got "
                         f"[{neurons.min()}, {neurons.max()}]")
    if not np.all(np.isfinite(times)):
        raise ValueError("spike times must be finite")
    return neurons, times


def mean_rate(neurons, times, n_neurons: int, duration: float) -> float:
    """Mean firing rate over all `n_neurons` in Hz: spike count / (n_neurons * duration in s)."""
    neurons, _ = _as_spikes(neurons, times, n_neurons)
    if not duration > 0:
        raise ValueError(f"duration must be a positive number of seconds, got {duration!r}")
    return float(neurons.size / (n_neurons * duration))


def mean_cv_isi(neurons, times, n_neurons: int, min_spikes: int = MIN_SPIKES_FOR_CV) -> float:
    """Mean over neurons of the coefficient of variation (std/mean) of their inter-spike intervals.

    Only neurons with at least `min_spikes` spikes enter the mean; the std is the population std
    (ddof=0). Raises ValueError when no neuron qualifies: a CV of nothing is no number to compare.
    """
    neurons, times = _as_spikes(neurons, times, n_neurons)
    if min_spikes < 2:
        raise ValueError(f"min_spikes must be at least 2 (one interval), got {min_spikes}")
    order = np.lexsort((times, neurons))            # by neuron, then by time
    neurons, times = neurons[order], times[order]
    counts = np.bincount(neurons, minlength=n_neurons)
    isi = np.diff(times)
    same = neurons[1:] == neurons[:-1]              # intervals inside one neuron's train
    owner = neurons[1:][same]
    isi = isi[same]
    ok = counts >= min_spikes
    if not ok.any():
        raise ValueError(f"no neuron has {min_spikes} or more spikes: the mean CV is undefined")
    n_isi = np.maximum(np.bincount(owner, minlength=n_neurons), 1).astype(np.float64)
    mean = np.bincount(owner, weights=isi, minlength=n_neurons) / n_isi
    dev = isi - mean[owner]                         # two passes: no cancellation in the variance
    var = np.bincount(owner, weights=dev * dev, minlength=n_neurons) / n_isi
    return float(np.mean(np.sqrt(var[ok]) / mean[ok]))


def synaptic_events(neurons, out_degree) -> int:
    """Number of synaptic events: for every spike, the number of synapses leaving its neuron."""
    neurons = np.asarray(neurons, dtype=np.int64)
    out_degree = np.asarray(out_degree, dtype=np.int64)
    if neurons.size and (neurons.min() < 0 or neurons.max() >= out_degree.size):
        raise ValueError("spike neuron indices must index out_degree")
    return int(out_degree[neurons].sum())


def summarise(neurons, times, n_neurons: int, duration: float, out_degree) -> dict:
    """The CUBA statistics every implementation reports: spikes, rate_hz, cv_isi, synaptic_events."""
    return {
        "spikes": int(np.asarray(neurons).size),
        "rate_hz": mean_rate(neurons, times, n_neurons, duration),
        "cv_isi": mean_cv_isi(neurons, times, n_neurons),
        "synaptic_events": synaptic_events(neurons, out_degree),
    }
