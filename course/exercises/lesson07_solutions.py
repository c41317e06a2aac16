"""Reference solutions for exercises/07_beyond_lif.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these
(signature and docstring kept, body replaced). Izhikevich step in mV and ms; other times in seconds.
"""
import numpy as np

import snnlib as snn
from snnlib.analysis import firing_patterns

# %% izhikevich_euler
def izhikevich_euler(v, u, I, dt, a, b, c, d):
    """One forward-Euler step of the Izhikevich (2003) neuron, then the spike reset.

    v: membrane voltage (mV), u: recovery variable (paper's units), arrays of the same shape; I: input (paper's
    units); dt: time step in ms; a, b, c, d: the model's parameters (c in mV).
    Returns (v_new, u_new): both derivatives taken at the step's start; where v_new >= 30 mV,
    v_new = c and u_new = u_new + d.
    """
    dv = 0.04 * v**2 + 5.0 * v + 140.0 - u + I
    du = a * (b * v - u)                       # from the old v: forward Euler
    v_new, u_new = v + dt * dv, u + dt * du
    spiked = v_new >= 30.0
    return np.where(spiked, c, v_new), np.where(spiked, u_new + d, u_new)

# %% burst_count
def burst_count(spike_times, burst_isi=0.008):
    """Number of bursts in a spike train.

    spike_times: sorted 1-D array of spike times (s); burst_isi: the longest ISI inside a burst (s).
    A burst is a run of consecutive ISIs all shorter than burst_isi followed by a pause (an ISI at least
    3 times the run's longest ISI); a run at the end of the train, with no pause after it, does not count.
    Returns the count (an int).
    """
    isi = np.diff(spike_times)
    count, k = 0, 0
    while k < len(isi):
        if isi[k] >= burst_isi:
            k += 1
            continue
        j = k
        while j < len(isi) and isi[j] < burst_isi:   # the run of short ISIs isi[k:j]
            j += 1
        if j < len(isi) and isi[j] >= 3 * isi[k:j].max():
            count += 1
        k = j
    return count

# %% adaptation_after
def adaptation_after(spike_times, t, tau_n, inc_n):
    """The adaptive LIF's adaptation n at times t after a spike train.

    spike_times: 1-D array of spike times (s); t: 1-D array of times (s); tau_n: decay time constant (s);
    inc_n: adaptation increment (each spike adds inc_n / tau_n to n). n starts at 0.
    Returns n at each time in t: the sum over spikes with t_k <= t of (inc_n / tau_n) exp(-(t - t_k) / tau_n).
    """
    lag = t[:, None] - spike_times[None, :]                       # (times, spikes)
    contribution = (inc_n / tau_n) * np.exp(-np.where(lag >= 0, lag, 0.0) / tau_n)
    return np.where(lag >= 0, contribution, 0.0).sum(axis=1)

# %% chatter_reset
resets = np.arange(-65.0, -39.0, 1.0)          # mV
net = snn.Network(seed=0)
pops = [net.population(1, snn.Izhikevich(a=0.02, b=0.2, c=c, d=2.0), bias=10.0) for c in resets]
probes = [net.probe(p, "spikes") for p in pops]
sim = snn.Simulator(net, dt=0.1e-3)
sim.run(1.0)
patterns = [firing_patterns.classify(sim.data[p].times) for p in probes]
chatter_reset = float(resets[patterns.index("CH")])
