"""Spike-train statistics: rates, inter-spike intervals, CV, Fano factor, binning.

A *spike train* here is a 1-D array of spike times in seconds. A population's spikes are two
parallel arrays, ``times`` (s) and ``neurons`` (index), which is also what a simulator
``SpikeRecord`` holds; :func:`split_trains` turns those into one train per neuron.

Reference values for a homogeneous Poisson process: inter-spike intervals are exponential,
so CV = 1, and spike counts in any window are Poisson, so the Fano factor = 1 (science
reference, section 5).
"""

from __future__ import annotations

import numpy as np

from snnlib import _validate as check

__all__ = [
    "as_train",
    "split_trains",
    "firing_rate",
    "isi",
    "cv_isi",
    "bin_spikes",
    "window_counts",
    "fano_factor",
]


def as_train(times, name: str = "times") -> np.ndarray:
    """Validate and return one spike train as a sorted float64 array of times (s).

    Raises TypeError for non-numeric input and ValueError for NaN/inf times or a
    non-1-D array, so that no statistic silently returns NaN.
    """
    try:
        arr = check.numeric_array(name, times)
    except TypeError as exc:
        raise TypeError(f"{exc} (a 1-D array of spike times in seconds)") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one spike train), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite spike times; only finite times (s) are allowed")
    return np.sort(arr)


def _check_positive(value, name: str) -> float:
    value = check.real(name, value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return value


def split_trains(times, neurons, n_neurons: int) -> list[np.ndarray]:
    """Split population spikes into one sorted train (s) per neuron.

    ``times`` (s) and ``neurons`` (int index in ``[0, n_neurons)``) are parallel arrays, as in a
    ``SpikeRecord``. Returns a list of ``n_neurons`` arrays.
    """
    t = check.finite_array("times", times)
    idx = check.numeric_array("neurons", neurons)
    if idx.size and not np.all(np.isfinite(idx) & (idx == np.round(idx))):
        raise TypeError(f"neurons must be integer neuron indices, got {check._show(neurons)}")
    idx = idx.astype(np.int64)
    if t.shape != idx.shape or t.ndim != 1:
        raise ValueError(f"times and neurons must be 1-D arrays of equal length, got {t.shape} and {idx.shape}")
    n_neurons = check.count("n_neurons", n_neurons, minimum=0)
    if idx.size and (idx.min() < 0 or idx.max() >= n_neurons):
        raise ValueError(f"neurons (indices) must lie in [0, n_neurons = {n_neurons}), got [{idx.min()}, {idx.max()}]")
    order = np.lexsort((t, idx))
    t, idx = t[order], idx[order]
    bounds = np.searchsorted(idx, np.arange(n_neurons + 1))
    return [t[bounds[i]:bounds[i + 1]] for i in range(n_neurons)]


def firing_rate(times, duration: float) -> float:
    """Mean firing rate (Hz) of one train: number of spikes / ``duration`` (s)."""
    train = as_train(times)
    return train.size / _check_positive(duration, "duration")


def isi(times) -> np.ndarray:
    """Inter-spike intervals (s) of one train: differences of consecutive sorted spike times."""
    return np.diff(as_train(times))


def cv_isi(times) -> float:
    """Coefficient of variation of the inter-spike intervals: std(ISI) / mean(ISI) (dimensionless).

    Uses the population standard deviation (ddof=0). 1 for a Poisson process, 0 for a regular
    train. Needs at least 3 spikes (2 intervals); fewer raises ValueError instead of returning NaN.
    """
    train = as_train(times)
    if train.size < 3:
        raise ValueError(f"cv_isi needs at least 3 spikes (2 intervals), got {train.size} spikes")
    intervals = np.diff(train)
    mean = intervals.mean()
    if mean <= 0:
        raise ValueError("cv_isi: all spikes are at the same time, the mean interval is 0")
    return float(intervals.std() / mean)


def bin_spikes(times, t_stop: float, bin_width: float, t_start: float = 0.0) -> np.ndarray:
    """Spike counts of one train in consecutive bins of ``bin_width`` (s) from ``t_start`` to ``t_stop`` (s).

    Bins are half-open ``[t_start + k*w, t_start + (k+1)*w)``; the number of bins is
    ``floor((t_stop - t_start) / bin_width)`` (a partial last bin is dropped, so every bin has the
    same width). Spikes outside the binned span are ignored. Returns an int64 array.
    """
    train = as_train(times)
    width = _check_positive(bin_width, "bin_width")
    span = check.real("t_stop", t_stop) - check.real("t_start", t_start)
    if not np.isfinite(span) or span <= 0:
        raise ValueError(f"t_stop must be after t_start, got t_start={t_start!r}, t_stop={t_stop!r}")
    # the small tolerance keeps e.g. 1.0 / 0.1 from giving 9 bins through rounding
    n_bins = int(np.floor(span / width + 1e-9))
    if n_bins < 1:
        raise ValueError(f"bin_width {width} s is longer than the span {span} s: no complete bin")
    end = float(t_start) + n_bins * width
    if abs(end - float(t_stop)) <= 1e-9 * span:
        end = float(t_stop)  # exact edge: a spike at t_stop is outside the half-open last bin
    train = train[(train >= float(t_start)) & (train < end)]
    k = np.minimum(np.floor((train - float(t_start)) / width).astype(np.int64), n_bins - 1)
    return np.bincount(k, minlength=n_bins).astype(np.int64)


def window_counts(trains, t_start: float, t_stop: float) -> np.ndarray:
    """Number of spikes of each train in ``[t_start, t_stop)`` (s); ``trains`` is a list of trains."""
    t_start, t_stop = check.real("t_start", t_start), check.real("t_stop", t_stop)
    if isinstance(trains, (str, bytes, np.ndarray)) or not isinstance(trains, (list, tuple)):
        raise TypeError(f"trains must be a list of spike trains (one array of times per neuron), got "
                        f"{check._show(trains)}")
    if t_stop <= t_start:
        raise ValueError(f"t_stop must be after t_start, got t_start={t_start!r}, t_stop={t_stop!r}")
    out = np.empty(len(trains), dtype=np.int64)
    for i, tr in enumerate(trains):
        train = as_train(tr, name=f"trains[{i}]")
        out[i] = np.searchsorted(train, t_stop, "left") - np.searchsorted(train, t_start, "left")
    return out


def fano_factor(counts) -> float:
    """Fano factor of spike counts: var(counts) / mean(counts) (dimensionless).

    ``counts`` are spike counts in equal windows (e.g. :func:`bin_spikes` of one long train, or
    :func:`window_counts` over repeated trials). Uses the unbiased variance (ddof=1); 1 for Poisson
    counts. Raises ValueError for fewer than 2 counts or a zero mean (no spikes).
    """
    c = check.numeric_array("counts", counts)
    if c.ndim != 1 or c.size < 2:
        raise ValueError(f"fano_factor needs a 1-D array of at least 2 counts, got shape {c.shape}")
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ValueError("counts must be finite and non-negative")
    mean = c.mean()
    if mean == 0:
        raise ValueError("fano_factor is undefined when there are no spikes (mean count 0)")
    return float(c.var(ddof=1) / mean)
