"""Reference solutions for exercises/05_noise.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these
(signature and docstring kept, body replaced). Times in seconds, normalised LIF units.
"""
import numpy as np

import snnlib as snn
from snnlib.noise import OUNoise

# %% cv_and_fano
def cv_and_fano(spike_times, t_stop, window):
    """CV of the inter-spike intervals and Fano factor of the spike counts of one train.

    spike_times: sorted 1-D array (s); t_stop: the end of the recording (s); window: the counting window (s).
    Returns np.array([cv, fano]): std(ISI) / mean(ISI), and var(counts) / mean(counts) over the
    round(t_stop / window) consecutive windows starting at 0.
    """
    intervals = np.diff(spike_times)
    cv = intervals.std() / intervals.mean()
    n_windows = int(round(t_stop / window))
    counts, _ = np.histogram(spike_times, bins=n_windows, range=(0.0, n_windows * window))
    fano = counts.var() / counts.mean()
    return np.array([cv, fano])

# %% averaging_error
def averaging_error(sigma, n, bias):
    """RMS error of the average of N estimates x + bias + eps_i (eps_i independent, mean 0, std sigma).

    sigma: noise std of one estimate; n: array of population sizes N; bias: the error all estimates share.
    Returns an array like n: the root-mean-square error of the average for each N.
    """
    noise_variance = sigma**2 / np.asarray(n, dtype=float)     # variance of a mean of N independent terms
    return np.sqrt(bias**2 + noise_variance)

# %% release_stats
def release_stats(p, w, n_synapses):
    """Mean and variance of the weight one spike delivers through n_synapses independent unreliable synapses.

    p: array of release probabilities; w: the weight a release delivers; n_synapses: the number of synapses.
    Returns an array of shape (len(p), 2): one row [mean, variance] per p.
    """
    p = np.asarray(p, dtype=float)
    mean = n_synapses * p * w                      # each synapse: w with probability p
    variance = n_synapses * p * (1 - p) * w**2     # Bernoulli variance p(1 - p), scaled by w^2, summed
    return np.stack([mean, variance], axis=-1)

# %% best_noise
levels = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8]
net = snn.Network(seed=0)
probes = []
for s in levels:
    pop = net.population(20, snn.LIF(), bias=0.85, v_init=snn.Uniform(0, 1))
    net.input(pop, snn.TimeFunction(lambda t: 0.1 * np.sin(2 * np.pi * 5 * t), vectorized=True))
    if s > 0:
        net.noise(pop, OUNoise(sigma=s, tau=0.01))
    probes.append(net.probe(pop, "spikes"))
sim = snn.Simulator(net, dt=0.001)
sim.run(10.0)
centres = np.arange(1000) * 0.01 + 0.005
signal = np.sin(2 * np.pi * 5 * centres)
detection = []
for probe in probes:
    corrs = []
    for train in sim.data[probe].trains():
        counts, _ = np.histogram(train, bins=1000, range=(0.0, 10.0))
        corrs.append(np.corrcoef(counts, signal)[0, 1] if counts.std() > 0 else 0.0)
    detection.append(np.mean(corrs))
best_noise = levels[int(np.argmax(detection))]
