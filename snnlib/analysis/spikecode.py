"""Spike encoders and their decoders: Poisson rate code and time-to-first-spike (latency) code.

Stimulus values are dimensionless in ``[0, 1]``. Times are in seconds, rates in hertz.

* Rate code: each neuron fires a homogeneous Poisson train at ``value * max_rate``; the value is
  read back as ``count / (max_rate * window)``. Its error shrinks only as ``1/sqrt(spikes)``.
* Latency code: each neuron fires once, at ``t_min + (1 - value) * (t_max - t_min)`` (strong stimuli
  fire first), optionally with Gaussian timing jitter; the value is read back from the first spike.
  A single spike carries the value, but only once it has arrived.

Every random draw uses a ``numpy.random.Generator`` made from ``seed`` (an int, or a Generator that is
used as is), so the same seed gives the same spikes.
"""

from __future__ import annotations

import numpy as np

from snnlib import _validate as check

__all__ = [
    "make_rng",
    "poisson_spikes",
    "poisson_raster",
    "rate_encode",
    "decode_rate",
    "latency_encode",
    "decode_latency",
    "decoding_errors",
    "decoding_protocol",
]


def make_rng(seed) -> np.random.Generator:
    """Return a Generator: a new one from an int seed (or None), or ``seed`` itself if it is one."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (not isinstance(seed, (int, np.integer)) or isinstance(seed, (bool, np.bool_))):
        raise TypeError(f"seed must be an int, None or a numpy Generator, got {type(seed).__name__}")
    if seed is not None and seed < 0:
        raise ValueError(f"seed must be an int >= 0, None or a numpy Generator, got {seed}")
    return np.random.default_rng(seed)


def _rates(rates) -> np.ndarray:
    r = np.atleast_1d(check.numeric_array("rates", rates))
    if r.ndim != 1:
        raise ValueError(f"rates must be a scalar or 1-D array (one rate per neuron, Hz), got shape {r.shape}")
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise ValueError("rates must be finite and >= 0 Hz")
    return r


def _values(values) -> np.ndarray:
    x = np.atleast_1d(check.numeric_array("values", values))
    if not np.all(np.isfinite(x)) or np.any(x < 0) or np.any(x > 1):
        raise ValueError("stimulus values must be finite and lie in [0, 1]")
    return x


def _positive(value, name: str) -> float:
    value = check.real(name, value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return value


def poisson_spikes(rates, duration: float, seed=None):
    """Homogeneous Poisson spike trains in continuous time.

    ``rates``: scalar or array, one rate (Hz) per neuron. ``duration``: seconds.
    Returns ``(times, neurons)``: spike times (s) sorted in time and the neuron index of each.
    The count of each neuron is Poisson(rate * duration) and, given the count, the times are
    uniform, which is exactly a Poisson process (exponential inter-spike intervals).
    """
    r = _rates(rates)
    duration = _positive(duration, "duration (s)")
    rng = make_rng(seed)
    counts = rng.poisson(r * duration)
    neurons = np.repeat(np.arange(r.size), counts)
    times = rng.uniform(0.0, duration, size=neurons.size)
    order = np.argsort(times, kind="stable")
    return times[order], neurons[order]


def poisson_raster(rates, duration: float, dt: float, seed=None) -> np.ndarray:
    """Discrete-time Poisson (Bernoulli) spikes: a bool array ``(n_steps, n_neurons)``.

    In each step of ``dt`` seconds a neuron spikes with probability ``rate * dt`` (rate in Hz),
    which approximates a Poisson process when ``rate * dt << 1``. ``rate * dt > 1`` is refused:
    that usually means a rate given per step or in kHz rather than in Hz.
    """
    r = _rates(rates)
    dt = _positive(dt, "dt (s)")
    duration = _positive(duration, "duration (s)")
    p = r * dt
    if np.any(p > 1):
        raise ValueError(
            f"rate * dt = {p.max():g} > 1: a spike probability per step cannot exceed 1. "
            "Rates are in Hz (spikes per second) and dt in seconds; use a smaller dt or lower rates."
        )
    n_steps = int(round(duration / dt))
    rng = make_rng(seed)
    return rng.random((n_steps, r.size)) < p


def rate_encode(values, max_rate: float, duration: float, seed=None):
    """Rate code: Poisson trains at ``values * max_rate`` (Hz) for ``duration`` (s). Returns ``(times, neurons)``."""
    x = _values(values)
    return poisson_spikes(x * _positive(max_rate, "max_rate (Hz)"), duration, seed)


def decode_rate(counts, window: float, max_rate: float) -> float:
    """Decode a rate-coded value from the spike ``counts`` of neurons coding the same value.

    Returns ``mean(counts) / (max_rate * window)`` clipped to [0, 1] (window in s, max_rate in Hz).
    """
    c = np.atleast_1d(check.numeric_array("counts", counts))
    if c.size == 0 or not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ValueError("counts must be a non-empty array of non-negative spike counts")
    est = c.mean() / (_positive(max_rate, "max_rate (Hz)") * _positive(window, "window (s)"))
    return float(min(est, 1.0))


def latency_encode(values, t_max: float, t_min: float = 0.0, jitter: float = 0.0, seed=None) -> np.ndarray:
    """Latency code: one spike per value at ``t_min + (1 - value) * (t_max - t_min)`` seconds.

    Value 1 fires at ``t_min``, value 0 at ``t_max``. ``jitter`` (s) adds Gaussian timing noise
    (times are clipped at 0). Returns an array of spike times (s), one per value.
    """
    x = _values(values)
    t_max = _positive(t_max, "t_max (s)")
    t_min, jitter = check.real("t_min", t_min), check.real("jitter", jitter)
    if not 0 <= t_min < t_max:
        raise ValueError(f"need 0 <= t_min < t_max, got t_min={t_min!r}, t_max={t_max!r}")
    if jitter < 0 or not np.isfinite(jitter):
        raise ValueError(f"jitter must be >= 0 s, got {jitter!r}")
    t = t_min + (1.0 - x) * (t_max - t_min)
    if jitter > 0:
        t = np.maximum(t + make_rng(seed).normal(0.0, jitter, size=t.shape), 0.0)
    return t


def decode_latency(first_times, window: float, t_max: float, t_min: float = 0.0) -> float:
    """Decode a latency-coded value from the first-spike times (s) of neurons coding the same value.

    Only spikes before ``window`` (s) count (``np.inf`` means no spike). With spikes, the estimate
    is the mean of ``1 - (t - t_min) / (t_max - t_min)`` clipped to [0, 1]. With none, all we know is
    that the value is below the one that would have fired at ``window``; the estimate is the middle of
    that unresolved interval.
    """
    t = np.atleast_1d(check.numeric_array("first_times", first_times))
    if t.size == 0 or np.any(np.isnan(t)):
        raise ValueError("first_times must be a non-empty array of times (s); use np.inf for no spike")
    window = _positive(window, "window (s)")
    t_max, t_min = check.real("t_max", t_max), check.nonnegative("t_min", t_min, "s")
    if t_max <= t_min:
        raise ValueError(f"t_max ({t_max:g} s) must be later than t_min ({t_min:g} s)")
    span = t_max - t_min
    seen = t[t < window]
    if seen.size:
        return float(np.clip(1.0 - (seen - t_min) / span, 0.0, 1.0).mean())
    upper = float(np.clip(1.0 - (window - t_min) / span, 0.0, 1.0))
    return upper / 2.0


def decoding_protocol(windows, n_neurons, n_trials):
    """Checked arguments of a decoding-error experiment: ``(windows as a 1-D float array in s, n_neurons,
    n_trials)``; ValueError for non-positive windows or counts below 1."""
    w = np.atleast_1d(check.finite_array("windows", windows))
    if w.ndim != 1 or w.size == 0 or np.any(w <= 0):
        raise ValueError("windows must be positive durations in seconds (a number or a 1-D array)")
    return w, check.count("n_neurons", n_neurons), check.count("n_trials", n_trials)


def decoding_errors(windows, n_neurons: int = 10, max_rate: float = 100.0, t_max: float = 0.05,
                    jitter: float = 0.002, n_trials: int = 200, seed=0):
    """RMS decoding error of the rate and the latency code against the readout window.

    For each window (s) and trial, a stimulus value is drawn uniformly in [0, 1], encoded by
    ``n_neurons`` neurons with each code (rate: Poisson at ``value * max_rate`` Hz; latency: first
    spike in ``[0, t_max]`` s with ``jitter`` s of Gaussian noise), and decoded from the spikes seen
    within the window. Returns ``(rate_rmse, latency_rmse)``, arrays with one entry per window.
    """
    w, n_neurons, n_trials = decoding_protocol(windows, n_neurons, n_trials)
    max_rate, t_max = _positive(max_rate, "max_rate (Hz)"), _positive(t_max, "t_max (s)")
    jitter = check.nonnegative("jitter", jitter, "s")
    rng = make_rng(seed)
    rate_err = np.empty(w.size)
    lat_err = np.empty(w.size)
    for k, window in enumerate(w):
        x = rng.uniform(size=n_trials)
        # the rate encoder's spike count in the window is Poisson(x * max_rate * window) per neuron;
        # drawing the counts directly is the same distribution without materialising spike times
        counts = rng.poisson(np.repeat(x[:, None] * max_rate * window, n_neurons, axis=1))
        rate_est = np.array([decode_rate(c, window, max_rate) for c in counts])
        first = latency_encode(np.repeat(x, n_neurons), t_max, jitter=jitter, seed=rng).reshape(n_trials, n_neurons)
        lat_est = np.array([decode_latency(f, window, t_max) for f in first])
        rate_err[k] = np.sqrt(np.mean((rate_est - x) ** 2))
        lat_err[k] = np.sqrt(np.mean((lat_est - x) ** 2))
    return rate_err, lat_err
