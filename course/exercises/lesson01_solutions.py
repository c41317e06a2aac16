"""Reference solutions for exercises/01_spikes.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these
(signature and docstring kept, body replaced). Times in seconds, rates in hertz.
"""
import numpy as np
import snnlib as snn

# %% poisson_counts
def poisson_counts(u, rate, dt):
    """Spike counts of a discrete-time Poisson generator, driven by given uniform random numbers.

    u: array (n_steps, n_neurons) of uniform random numbers in [0, 1), one per step and neuron;
    rate: firing rate of each neuron in Hz (scalar or array of n_neurons); dt: time step in seconds.
    In each step a neuron spikes when its random number is below its spike probability per step.
    Returns the number of spikes of each neuron (array of n_neurons).
    """
    p = rate * dt                    # spike probability per step: Hz x s, dimensionless
    return np.sum(u < p, axis=0)

# %% cv_isi
def cv_isi(spike_times):
    """Coefficient of variation of the inter-spike intervals of one spike train.

    spike_times: sorted 1-D array of spike times in seconds.
    Returns std(ISI) / mean(ISI) (dimensionless): about 1 for a Poisson train, 0 for a regular one.
    """
    intervals = np.diff(spike_times)
    return np.std(intervals) / np.mean(intervals)

# %% latency_encode
def latency_encode(x, t_max):
    """Time-to-first-spike code: the spike time (s) of each value x in [0, 1].

    x: array of stimulus values; t_max: latency of the weakest stimulus (x = 0), in seconds.
    The strongest stimulus (x = 1) fires at once (t = 0); latency falls linearly with x.
    """
    return (1.0 - x) * t_max

# %% stdp_dw
def stdp_dw(dt, a_plus, a_minus, tau_plus, tau_minus):
    """Weight change of pair-based STDP for one pre/post spike pair.

    dt: array of t_post - t_pre in seconds (never exactly 0 here); a_plus, a_minus: amplitudes (> 0);
    tau_plus, tau_minus: time constants in seconds.
    Returns dw: a_plus * exp(-dt / tau_plus) where dt > 0 (pre before post: potentiation),
    -a_minus * exp(dt / tau_minus) where dt < 0 (post before pre: depression).
    """
    return np.where(dt > 0, a_plus * np.exp(-dt / tau_plus), -a_minus * np.exp(dt / tau_minus))

# %% shortest_time
def shortest_time(accuracy_of, times_ms, target):
    """The shortest presentation time that reaches a target accuracy.

    accuracy_of: function t_ms -> accuracy (fraction of images correct) of the spiking network when each
    image is presented for t_ms milliseconds; times_ms: increasing candidate times (ms); target: the
    accuracy to reach (fraction, e.g. 0.9). At least one candidate reaches it.
    Returns the first time in times_ms whose accuracy is >= target, in ms.
    """
    for t_ms in times_ms:
        if accuracy_of(t_ms) >= target:
            return t_ms
    raise ValueError(f"no presentation time in {list(times_ms)} reaches accuracy {target}")

# %% population_cv
def population_cv(input_rate, n_inputs, weight, t_end, seed):
    """Mean CV of the inter-spike intervals of 20 LIF neurons driven by Poisson sources (connection probability 0.5).

    input_rate: rate of each of the n_inputs sources (Hz); weight: synaptic weight (area-normalised 5 ms
    exponential synapses, mean drive weight x 0.5 x n_inputs x input_rate); t_end: run time (s); seed: the
    network's seed. Neurons with fewer than 3 spikes are left out.
    """
    net = snn.Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate)
    neurons = net.population(20)
    net.connect_random(inputs, neurons, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize="area"))
    probe = net.probe(neurons, "spikes")                # before the Simulator is built
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    cvs = []
    for train in sim.data[probe].trains():              # one array of spike times (s) per neuron
        if len(train) >= 3:
            intervals = np.diff(train)
            cvs.append(np.std(intervals) / np.mean(intervals))
    return np.mean(cvs)

# %% cv_below_rheobase
# mean drive 0.5 x 200 x 0.001 x 9 Hz = 0.9, below the rheobase of 1: fluctuation-driven firing
cv_below_rheobase = population_cv(9.0, 200, 0.001, 10.0, seed=2)
