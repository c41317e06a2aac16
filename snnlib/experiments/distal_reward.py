"""The distal reward problem solved by dopamine-modulated STDP: a scaled-down version of Izhikevich (2007), Fig. 1.

A recurrent network of LIF neurons (excitatory and inhibitory, random sparse connections, background noise)
fires irregularly. Every excitatory-to-excitatory synapse learns with `snnlib.ThreeFactorSTDP`: pairings
only mark a synapse as eligible (trace c, tau_c = 1 s), and its weight changes only while dopamine d(t) is
present. One synapse i -> j is chosen; each time neuron j fires within `window` after neuron i, a reward
(dopamine jump) is delivered after a random delay of 1-3 s, long after the pairing, while hundreds of other
synapses are paired at random meanwhile. The rewarded synapse still wins: its eligibility at reward time is
positive more often than chance, the others' average out. With `contingent=False` the same number of rewards
comes at random times (the control): then the chosen synapse stays with the others.

Rewards are scheduled between chunks of `chunk` seconds in Python (the delay exceeds a chunk, so a reward is
never due before the chunk that follows its pairing); dopamine is a function of time evaluated by numpy per
chunk: d(t) = tonic + sum_k jump exp(-(t - r_k) / tau_d) over rewards r_k <= t (Izhikevich 2007: jump 0.5,
tau_d = 0.2 s, tonic 0.01).

Scaled down from the paper (1000 Izhikevich neurons, 100 synapses each, an hour of simulated time) to
250 LIF neurons with about 20 excitatory synapses each and a few hundred simulated seconds; the eligibility
amplitudes are larger to compensate (an estimate chosen so the effect shows in minutes, not the paper's values).

Reference: E. M. Izhikevich, "Solving the distal reward problem through linkage of STDP and dopamine
signaling", Cerebral Cortex 17, 2443-2452 (2007).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DistalRewardResult", "simulate_distal_reward"]


@dataclass
class DistalRewardResult:
    """Result of :func:`simulate_distal_reward`.

    t: chunk end times (s); w_rewarded: the chosen synapse's weight at each; w_others_median, w_others_p99:
    the other plastic synapses' median and 99th percentile at each; w_others: their final weights;
    pre, post: the chosen synapse's neurons (excitatory indices); pairings, rewards: times (s);
    rate: the neurons' mean rate (Hz); w_max: the weight bound.
    """

    t: np.ndarray
    w_rewarded: np.ndarray
    w_others_median: np.ndarray
    w_others_p99: np.ndarray
    w_others: np.ndarray
    pre: int
    post: int
    pairings: np.ndarray
    rewards: np.ndarray
    rate: float
    w_max: float

    @property
    def rank(self) -> float:
        """Fraction of the other synapses whose final weight is below the chosen one's (1.0: above all)."""
        return float(np.mean(self.w_others < self.w_rewarded[-1]))


def simulate_distal_reward(t_stop: float = 300.0, n_inputs: int = 100, n_neurons: int = 10,
                           input_rate: float = 2.0, w_init: float = 0.1, w_max: float = 1.0, bias: float = 0.8,
                           noise: float = 0.5, a_plus: float = 1.0, a_minus: float = 1.5, tau_c: float = 1.0,
                           window: float = 0.01, delay: tuple = (1.0, 3.0), jump: float = 0.5,
                           tau_d: float = 0.2, tonic: float = 0.01, contingent: bool = True,
                           chunk: float = 1.0, dt: float = 1e-3, seed: int = 1) -> DistalRewardResult:
    """Run the distal reward experiment for ``t_stop`` seconds; see the module docstring.

    ``n_inputs`` Poisson inputs at ``input_rate`` (Hz) reach ``n_neurons`` LIF neurons through all-to-all
    plastic synapses; weights are in normalised LIF input units per spike (ExpSynapse, 5 ms, peak), starting
    at ``w_init``, bounded by [0, ``w_max``]. ``noise`` is the sigma of the white-noise current on every
    neuron, ``bias`` its constant drive (rheobase 1). ``delay`` = (min, max) reward delay (s), drawn
    uniformly; it must be at least ``chunk``.
    """
    from snnlib import _validate as check
    from snnlib.learning.reward_stdp import ThreeFactorSTDP
    from snnlib.model.inputs import Uniform
    from snnlib.model.network import Network
    from snnlib.neurons.lif import LIF
    from snnlib.noise import WhiteNoise
    from snnlib.sim.simulator import Simulator
    from snnlib.synapses.exponential import ExpSynapse

    t_stop, chunk = check.positive("t_stop", t_stop), check.positive("chunk", chunk)
    lo, hi = (check.positive("delay[0]", delay[0]), check.positive("delay[1]", delay[1]))
    if hi < lo or lo < chunk:
        raise ValueError(f"delay must be (min, max) with chunk ({chunk} s) <= min <= max, got {delay}")
    rng = np.random.default_rng([seed, 2007])
    rewards = []

    def dopamine(t):
        d = np.full(len(t), tonic)
        for r in rewards:
            if r > t[-1] or r < t[0] - 20 * tau_d:       # not yet due, or decayed below 2e-9 of the jump
                continue
            after = t >= r
            d[after] += jump * np.exp(-(t[after] - r) / tau_d)
        return d

    net = Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate, in_loop=True, label="inputs")
    neurons = net.population(n_neurons, LIF(), bias=bias, v_init=Uniform(0.0, 1.0), label="neurons")
    net.noise(neurons, WhiteNoise(noise))
    d = net.modulator(dopamine, label="dopamine")
    rule = ThreeFactorSTDP(d, a_plus=a_plus, a_minus=a_minus, tau_c=tau_c, w_max=w_max)
    ee = net.connect(inputs, neurons, w_init, synapse=ExpSynapse(0.005), plasticity=rule)
    n_syn = n_inputs * n_neurons
    k = int(rng.integers(n_syn))                     # the chosen synapse: entry k of the (post, pre) matrix
    post, pre = divmod(k, n_inputs)
    p_pre, p_post = net.probe(inputs, indices=[pre]), net.probe(neurons, indices=[post])
    sim = Simulator(net, dt=dt, chunk_steps=max(1, int(round(chunk / dt))))

    n_chunks = int(np.ceil(t_stop / chunk - 1e-9))
    t, w_r, med, p99, pairings = [], [], [], [], []
    seen = 0
    for _ in range(n_chunks):
        sim.run(chunk)
        tp, tq = sim.data[p_pre].times, sim.data[p_post].times
        for t_post in tq[seen:]:
            before = tp[tp < t_post]
            if len(before) and t_post - before[-1] <= window:
                pairings.append(t_post)
                if contingent:
                    rewards.append(t_post + rng.uniform(lo, hi))
        seen = len(tq)
        if not contingent:     # the control: as many rewards as pairings so far, at times unrelated to them
            while len(rewards) < len(pairings):
                rewards.append(sim.t + rng.uniform(lo, hi))
        W = sim.weights(ee).ravel()
        others = np.delete(W, k)
        t.append(sim.t)
        w_r.append(W[k])
        med.append(np.median(others))
        p99.append(np.percentile(others, 99))
    rate = sim.counts["spikes"] / (n_neurons * sim.t)
    return DistalRewardResult(np.array(t), np.array(w_r), np.array(med), np.array(p99), others, pre, post,
                              np.array(pairings), np.array(sorted(rewards)), rate, w_max)
