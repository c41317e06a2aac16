"""Noise experiments (lesson 05), neurodynex style: named defaults and `simulate_*()` / `measure_*()` entry points.

* `simulate_irregular_firing`: LIF neurons under a constant drive plus an Ornstein-Uhlenbeck noise current
  (the summed effect of many balanced excitatory and inhibitory inputs): CV of the intervals and Fano factor of
  the counts. Near 1 when fluctuations carry a sub-threshold mean over threshold (Shadlen & Newsome 1998),
  near 0 for a constant supra-threshold drive.
* `simulate_population_decoding`: N noisy neurons encode one signal; a linear readout of their mean rate;
  the noise part of its error falls as 1/sqrt(N).
* `simulate_release`: what each synapse of a `Release(p)` connection delivers per presynaptic spike.
* `simulate_stochastic_resonance`: a sub-threshold sinusoid plus noise; how well the spikes follow the signal
  (correlation of binned counts with it) against the noise level.
* `ablation_errors` / `ann_ablation_accuracy`: remove a fraction of neurons from an NEF ensemble's readout or of
  hidden units from a trained ANN.

Normalised LIF units throughout (threshold 1, J dimensionless, tau_rc = 20 ms, tau_ref = 2 ms); times in s.
Every function takes a seed: the same seed gives the same spikes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snnlib.analysis import spiketrains as st
from snnlib._validate import _show
from snnlib.model import checks as check

__all__ = ["MEAN_BALANCED", "SIGMA_BALANCED", "MEAN_CONSTANT", "TAU_NOISE", "DT", "IrregularResult",
           "simulate_irregular_firing", "DecodingResult", "simulate_population_decoding", "decoding_error_sweep",
           "log_log_slope", "simulate_release", "SR_MEAN", "SR_AMPLITUDE", "SR_FREQ", "ResonanceResult",
           "simulate_stochastic_resonance", "ablation_errors", "ablate_hidden", "ann_ablation_accuracy",
           "noisy_inputs"]

# -- defaults ------------------------------------------------------------------------------------------------
TAU_NOISE = 0.01        # s, correlation time of the noise current (a synaptic time constant)
DT = 1e-4               # s
MEAN_BALANCED = 0.6     # mean drive below the threshold (1): only the fluctuations make spikes
SIGMA_BALANCED = 0.7    # std of the noise current (units of J)
MEAN_CONSTANT = 1.5     # a constant supra-threshold drive (about 47 Hz)
FANO_WINDOW = 0.1       # s, counting window of the Fano factor

SR_MEAN = 0.85          # stochastic resonance: mean drive ...
SR_AMPLITUDE = 0.1      # ... plus a sinusoid of this amplitude: peak 0.95, below the threshold 1
SR_FREQ = 5.0           # Hz
SR_BIN = 0.01           # s, bins of the spike counts correlated with the signal


def _lif():
    from snnlib.neurons.lif import LIF

    return LIF()          # normalised units: tau_rc 20 ms, tau_ref 2 ms, threshold 1


def _check_nonneg(name, x):
    return check.nonnegative(name, x)


def _check_count(name, n, minimum=1):
    return check.count(name, n, minimum)


def _fractions(fractions):
    """`fractions` as a 1-D array of numbers in [0, 1] (one or more)."""
    f = np.atleast_1d(check.finite_array("fractions", fractions))
    if f.ndim != 1 or f.size == 0 or np.any((f < 0) | (f > 1)):
        raise ValueError(f"fractions must lie in [0, 1] (a number or a 1-D array), got {f.tolist()}")
    return f


# -- 1. irregular firing ---------------------------------------------------------------------------------------
@dataclass
class IrregularResult:
    """Output of `simulate_irregular_firing`: voltage trace of neuron 0 (`t`, `v`, s and units of v), one
    spike train per neuron (`trains`, s), all intervals pooled (`isis`, s), the mean `cv` over neurons with at
    least 3 spikes (nan if none), the mean `fano` factor (`spiketrains.fano_factor`, ddof 1) of counts in
    `window`-long bins (nan if no spikes) and
    the mean `rate` (Hz)."""

    t: np.ndarray
    v: np.ndarray
    trains: list
    isis: np.ndarray
    cv: float
    fano: float
    rate: float
    window: float


def simulate_irregular_firing(mean=MEAN_BALANCED, sigma=SIGMA_BALANCED, n_neurons=50, t_stop=10.0,
                              tau_noise=TAU_NOISE, dt=DT, window=FANO_WINDOW, seed=0):
    """`n_neurons` LIF neurons with drive ``mean + eta(t)``, eta an OU current (std `sigma`, time constant
    `tau_noise` s) independent per neuron; sigma = 0 gives a constant drive. Initial voltages uniform in [0, 1).
    Returns an :class:`IrregularResult`; the statistics skip nothing (the noise is stationary from t = 0)."""
    from snnlib.model.inputs import Uniform
    from snnlib.model.network import Network
    from snnlib.noise import OUNoise
    from snnlib.sim.simulator import Simulator

    sigma, t_stop = _check_nonneg("sigma", sigma), check.positive("t_stop", t_stop)
    window = check.positive("window", window)
    n_neurons = _check_count("n_neurons", n_neurons)
    mean, tau_noise, dt = check.real("mean", mean), check.positive("tau_noise", tau_noise), check.positive("dt", dt)
    seed = _check_count("seed", seed, 0)
    if not window > 0 or window > t_stop:
        raise ValueError(f"window must be > 0 s and at most t_stop ({t_stop} s), got {window!r}")
    net = Network(seed=seed)
    pop = net.population(n_neurons, _lif(), bias=float(mean), v_init=Uniform(0.0, 1.0))
    if sigma > 0:
        net.noise(pop, OUNoise(sigma=sigma, tau=tau_noise))
    sp, vp = net.probe(pop, "spikes"), net.probe(pop, "voltage", indices=[0])
    sim = Simulator(net, dt=dt)
    sim.run(t_stop)
    trains = sim.data[sp].trains()
    cvs = [st.cv_isi(t) for t in trains if t.size >= 3]
    counts = [st.bin_spikes(t, t_stop, window) for t in trains]
    fanos = [st.fano_factor(c) for c in counts if c.sum() > 0]
    isis = np.concatenate([np.diff(t) for t in trains]) if trains else np.zeros(0)
    return IrregularResult(t=sim.trange(vp), v=sim.data[vp][:, 0], trains=trains, isis=isis,
                           cv=float(np.mean(cvs)) if cvs else float("nan"),
                           fano=float(np.mean(fanos)) if fanos else float("nan"),
                           rate=float(sum(t.size for t in trains) / (n_neurons * t_stop)), window=window)


# -- 2. population decoding -------------------------------------------------------------------------------------
@dataclass
class DecodingResult:
    """Output of `simulate_population_decoding`: sample times `t` (s), the `signal` x(t) filtered like the readout
    (the best any readout through that filter can do), the decoded estimate of trial 1 (`decoded`), its total RMS
    error against that target (`error`), its noise part (`noise_error`: RMS of the difference of two independent
    trials / sqrt 2, the part averaging over neurons removes) and the mean rate (Hz) of the trials."""

    t: np.ndarray
    signal: np.ndarray
    decoded: np.ndarray
    error: float
    noise_error: float
    rate: float


def _signal(t, freq):
    return np.sin(2 * np.pi * freq * np.asarray(t))


def simulate_population_decoding(n_neurons=100, sigma=0.5, t_stop=1.0, freq=2.0, offset=1.5, gain=0.5,
                                 tau_filter=0.02, tau_noise=TAU_NOISE, n_calibration=400, t_skip=0.1, dt=1e-3,
                                 seed=0):
    """N identical LIF neurons receive ``offset + gain * x(t)``, x = sin(2 pi freq t), plus independent OU noise
    (std `sigma`). The readout is the population's mean spike rate, low-pass filtered (`tau_filter` s), mapped
    linearly to x. The linear map is fitted once on a separate calibration population of `n_calibration`
    neurons (so it does not depend on N) against x filtered the same way. Two independent trials of N neurons
    run side by side in one network (the noise differs per neuron and initial voltages are random), so the error
    splits into a part common to both (distortion: the rate curve's bend) and the noise part
    ``RMS(x1 - x2) / sqrt(2)``. The first `t_skip` seconds (the filter starting from 0) are run but not
    scored: the result covers `t_stop` seconds after them. Returns a DecodingResult."""
    from scipy.signal import lfilter

    from snnlib.model.inputs import TimeFunction, Uniform
    from snnlib.model.network import Network
    from snnlib.noise import OUNoise
    from snnlib.sim.simulator import Simulator

    n_neurons, sigma = _check_count("n_neurons", n_neurons), _check_nonneg("sigma", sigma)
    n_calibration = _check_count("n_calibration", n_calibration)
    t_stop, freq, dt = check.positive("t_stop", t_stop), check.positive("freq", freq, "Hz"), check.positive("dt", dt)
    offset, gain = check.real("offset", offset), check.real("gain", gain)
    tau_filter, tau_noise = check.positive("tau_filter", tau_filter), check.positive("tau_noise", tau_noise)
    t_skip, seed = _check_nonneg("t_skip", t_skip), _check_count("seed", seed, 0)
    net = Network(seed=seed)
    probes = []
    for k, n in enumerate((n_neurons, n_neurons, n_calibration)):
        pop = net.population(n, _lif(), bias=float(offset), v_init=Uniform(0.0, 1.0), label=f"population{k}")
        net.input(pop, TimeFunction(lambda t: gain * _signal(t, freq), vectorized=True))
        if sigma > 0:
            net.noise(pop, OUNoise(sigma=sigma, tau=tau_noise))
        probes.append((net.probe(pop, "spikes"), n))
    sim = Simulator(net, dt=dt)
    sim.run(t_stop + t_skip)
    steps, skip = int(round((t_stop + t_skip) / dt)), int(round(t_skip / dt))
    t_all = (np.arange(steps) + 1) * dt
    a = np.exp(-dt / tau_filter)

    def smooth(y):
        return lfilter([1 - a], [1, -a], y)

    rates = []
    for p, n in probes:
        per_step = np.bincount(np.minimum((sim.data[p].times / dt).astype(int), steps - 1), minlength=steps)
        rates.append(smooth(per_step / (n * dt))[skip:])
    t = t_all[skip:]
    target = smooth(_signal(t_all, freq))[skip:]
    coef = np.linalg.lstsq(np.column_stack([rates[2], np.ones(t.size)]), target, rcond=None)[0]
    x1, x2 = (coef[0] * r + coef[1] for r in rates[:2])
    spikes = sum(np.count_nonzero(sim.data[p].times >= t_skip) for p, _ in probes[:2])
    return DecodingResult(t=t, signal=target, decoded=x1, error=float(np.sqrt(np.mean((x1 - target) ** 2))),
                          noise_error=float(np.sqrt(np.mean((x1 - x2) ** 2) / 2)),
                          rate=spikes / (2 * n_neurons * t_stop))


def decoding_error_sweep(sizes=(4, 8, 16, 32, 64, 128, 256, 512), sigma=0.5, seed=0, **kwargs):
    """`simulate_population_decoding` for each N in `sizes`; returns ``(total_errors, noise_errors)`` arrays."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple, np.ndarray)):
        raise TypeError(f"sizes must be a list of population sizes like (4, 8, 16), got {_show(sizes)}")
    sizes = [_check_count(f"sizes[{k}]", n) for k, n in enumerate(sizes)]
    sigma, seed = _check_nonneg("sigma", sigma), _check_count("seed", seed, 0)
    runs = [simulate_population_decoding(n, sigma=sigma, seed=seed, **kwargs) for n in sizes]
    return np.array([r.error for r in runs]), np.array([r.noise_error for r in runs])


def log_log_slope(x, y) -> float:
    """Least-squares slope of log(y) against log(x) (e.g. -0.5 for y ~ 1/sqrt(x))."""
    x, y = check.finite_array("x", x), check.finite_array("y", y)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-D arrays of the same length (at least 2 points), got shapes "
                         f"{x.shape} and {y.shape}")
    for name, arr in (("x", x), ("y", y)):
        if np.any(arr <= 0):
            raise ValueError(f"{name} must be > 0 everywhere (a logarithm is taken), got {arr.min():g}")
    if np.ptp(np.log(x)) == 0:
        raise ValueError("x must hold at least two different values (a slope needs a spread of x)")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


# -- probabilistic release ------------------------------------------------------------------------------------
def simulate_release(p=0.3, n_synapses=200, n_spikes=100, weight=1.0, rate=200.0, seed=0, dt=5e-4):
    """One presynaptic neuron fires `n_spikes` regular spikes (at `rate` Hz) onto `n_synapses` synapses of a
    ``Release(p)`` connection (each onto its own, never-firing post neuron). Returns the weight each synapse
    delivered at each spike, shape ``(n_spikes, n_synapses)``: `weight` or 0, read from the jumps of an
    exponential synaptic current."""
    from snnlib.model.network import Network
    from snnlib.neurons.lif import LIF
    from snnlib.presynaptic import Release
    from snnlib.sim.simulator import Simulator
    from snnlib.synapses import ExpSynapse

    n_spikes, n_synapses = _check_count("n_spikes", n_spikes), _check_count("n_synapses", n_synapses)
    p, weight = check.probability("p", p), check.real("weight", weight)
    rate, dt = check.positive("rate", rate, "Hz"), check.positive("dt", dt)
    seed = _check_count("seed", seed, 0)
    tau = 2e-3
    times = (np.arange(n_spikes) + 0.5) / rate
    net = Network(seed=seed)
    src = net.spike_times(1, times)
    pop = net.population(n_synapses, LIF(v_th=1e9))
    net.connect(src, pop, weights=float(weight), synapse=ExpSynapse(tau), presynaptic=Release(p))
    cp = net.probe(pop, "current")
    sim = Simulator(net, dt=dt)
    sim.run(times[-1] + 0.5 / rate)
    current = np.vstack([np.zeros((1, n_synapses)), sim.data[cp]])
    jumps = current[1:] - current[:-1] * np.exp(-dt / tau)
    rows = np.round(times / dt).astype(int)                    # the step each spike reaches the current
    at = [rows[k] - 1 + int(np.argmax(np.abs(jumps[rows[k] - 1:rows[k] + 2]).max(axis=1) > 1e-9 * abs(weight)))
          for k in range(n_spikes)]
    return jumps[at]


# -- 5. stochastic resonance ------------------------------------------------------------------------------------
@dataclass
class ResonanceResult:
    """Output of `simulate_stochastic_resonance`: the `noise_levels`, the `detection` at each (mean over neurons
    of the correlation coefficient between a neuron's spike counts in `bin_width` bins and the signal; 0 for a
    silent neuron) and the mean `rates` (Hz)."""

    noise_levels: np.ndarray
    detection: np.ndarray
    rates: np.ndarray
    bin_width: float

    @property
    def best(self) -> float:
        """The noise level with the highest detection."""
        return float(self.noise_levels[int(np.argmax(self.detection))])


def simulate_stochastic_resonance(noise_levels=(0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8, 1.2),
                                  mean=SR_MEAN, amplitude=SR_AMPLITUDE, freq=SR_FREQ, n_neurons=20, t_stop=10.0,
                                  tau_noise=TAU_NOISE, bin_width=SR_BIN, dt=1e-3, seed=0):
    """One population of `n_neurons` LIF neurons per noise level, driven by ``mean + amplitude sin(2 pi freq t)``
    (below threshold when mean + amplitude < 1) plus OU noise of that std. Returns a ResonanceResult."""
    from snnlib.model.inputs import TimeFunction, Uniform
    from snnlib.model.network import Network
    from snnlib.noise import OUNoise
    from snnlib.sim.simulator import Simulator

    levels = np.atleast_1d(check.finite_array("noise_levels", noise_levels))
    if levels.ndim != 1 or levels.size == 0 or np.any(levels < 0):
        raise ValueError(f"noise_levels must be noise amplitudes >= 0 (a number or a 1-D array), got {levels.tolist()}")
    mean, amplitude = check.real("mean", mean), _check_nonneg("amplitude", amplitude)
    freq, t_stop = check.positive("freq", freq, "Hz"), check.positive("t_stop", t_stop)
    n_neurons, tau_noise = _check_count("n_neurons", n_neurons), check.positive("tau_noise", tau_noise)
    bin_width, dt = check.positive("bin_width", bin_width), check.positive("dt", dt)
    seed = _check_count("seed", seed, 0)
    n_neurons = _check_count("n_neurons", n_neurons)
    net = Network(seed=seed)
    drive = TimeFunction(lambda t: amplitude * np.sin(2 * np.pi * freq * t), vectorized=True)
    probes = []
    for s in levels:
        pop = net.population(n_neurons, _lif(), bias=float(mean), v_init=Uniform(0.0, 1.0))
        net.input(pop, drive)
        if s > 0:
            net.noise(pop, OUNoise(sigma=float(s), tau=tau_noise))
        probes.append(net.probe(pop, "spikes"))
    sim = Simulator(net, dt=dt)
    sim.run(t_stop)
    n_bins = int(np.floor(t_stop / bin_width + 1e-9))
    centres = (np.arange(n_bins) + 0.5) * bin_width
    signal = np.sin(2 * np.pi * freq * centres)
    detection, rates = [], []
    for p in probes:
        corrs = []
        for train in sim.data[p].trains():
            counts = np.histogram(train, bins=n_bins, range=(0.0, n_bins * bin_width))[0]
            corrs.append(np.corrcoef(counts, signal)[0, 1] if counts.std() > 0 else 0.0)
        detection.append(float(np.mean(corrs)))
        rates.append(sim.data[p].times.size / (n_neurons * t_stop))
    return ResonanceResult(levels, np.array(detection), np.array(rates), bin_width)


# -- 3. redundancy: ablation -------------------------------------------------------------------------------------
def ablation_errors(fractions, n_neurons=100, n_draws=20, seed=0):
    """RMS error of an NEF ensemble's decoded x (1-D, x in [-1, 1], static rates) when a fraction of its neurons is
    removed and the decoders are *not* recomputed; mean over `n_draws` random choices of the removed neurons.
    Returns an array, one RMS error per fraction (fraction 0: the intact ensemble's distortion)."""
    from snnlib import nef

    fractions, n_draws = _fractions(fractions), _check_count("n_draws", n_draws)
    ens = nef.Ensemble(_check_count("n_neurons", n_neurons), seed=_check_count("seed", seed, 0))
    x = np.linspace(-1, 1, 201)
    A = ens.rates(x)
    D = ens.decoders()
    rng = np.random.default_rng(seed)
    out = []
    for f in fractions:
        k = int(round(f * n_neurons))
        errs = []
        for _ in range(n_draws):
            keep = np.ones(n_neurons)
            keep[rng.choice(n_neurons, k, replace=False)] = 0.0
            errs.append(np.sqrt(np.mean((((A * keep) @ D)[:, 0] - x) ** 2)))
        out.append(float(np.mean(errs)))
    return np.array(out)


def ablate_hidden(ann, fraction, rng):
    """A copy of a DenseNet with `fraction` of the units of every hidden layer removed (their outgoing weights set
    to 0, so they send nothing), chosen with the numpy Generator `rng`."""
    import copy

    from snnlib.ml.ann import DenseNet

    if not isinstance(ann, DenseNet):
        raise TypeError(f"ann must be a DenseNet, got {type(ann).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    fraction = check.probability("fraction", fraction)
    out = copy.deepcopy(ann)
    for layer, n in enumerate(ann.sizes[1:-1]):
        dead = rng.choice(n, int(round(fraction * n)), replace=False)
        out.weights[layer + 1][:, dead] = 0.0
    return out


def ann_ablation_accuracy(ann, X, y, fractions, n_draws=10, seed=0):
    """Test accuracy of `ann` with each fraction of hidden units removed (`ablate_hidden`), mean over `n_draws`
    random choices. Returns an array, one accuracy per fraction."""
    from snnlib.ml.ann import DenseNet

    if not isinstance(ann, DenseNet):
        raise TypeError(f"ann must be a DenseNet, got {_show(ann)}")
    fractions, n_draws = _fractions(fractions), _check_count("n_draws", n_draws)
    ann.accuracy(X, y)                  # X and y checked once, before the draws
    rng = np.random.default_rng(_check_count("seed", seed, 0))
    out = []
    for f in fractions:
        out.append(float(np.mean([ablate_hidden(ann, f, rng).accuracy(X, y) for _ in range(n_draws)])))
    return np.array(out)


# -- 4. noisy inputs ---------------------------------------------------------------------------------------------
def noisy_inputs(X, noise, seed=0):
    """Images `X` (pixels in [0, 1]) plus Gaussian pixel noise of std `noise`, clipped back to [0, 1]."""
    noise = _check_nonneg("noise", noise)
    X = check.finite_array("X", X)
    seed = check.count("seed", seed, minimum=0)
    return np.clip(X + np.random.default_rng(seed).normal(0.0, noise, X.shape), 0.0, 1.0)
