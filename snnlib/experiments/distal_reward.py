"""The distal reward problem solved by dopamine-modulated STDP: a scaled-down version of Izhikevich (2007), Fig. 1.

The question is credit assignment: which of many synapses made the pairings that predicted a reward that
comes 1-3 s later? Poisson inputs (drawn in the loop) and LIF neurons fire independently: the neurons from
their own constant drive and white noise, and the all-to-all plastic synapses between them learn with
`snnlib.ThreeFactorSTDP` but do not drive the neurons (ExpSynapse with scale 0). So every synapse is paired
by chance at a known rate, and the weights change nothing but themselves. Pairings only mark a synapse as
eligible (trace c, tau_c = 1 s); its weight changes only while dopamine d(t) is present. One synapse i -> j is
chosen; each time neuron j fires within `window` after input i, a reward (dopamine jump) is delivered after a
random delay of 1-3 s, while hundreds of other synapses are paired at random meanwhile. Because
a_minus tau_minus > a_plus tau_plus, a synapse whose pairings are chance has a negative mean eligibility
(-(a_minus tau_minus - a_plus tau_plus) r_pre r_post tau_c), so the others drift down with each reward;
the chosen one's own pairing adds about a_plus x 0.78 x exp(-delay / tau_c) to its eligibility at the reward,
more than that, so it rises. With `contingent=False` (the control) every pairing still schedules one
reward, but 20-40 tau_c later instead of 1-3 s, when its eligibility has decayed below exp(-20): as many
rewards, at times unrelated to the pairings that count; then the chosen synapse stays with the others.

Rewards are scheduled between chunks of `chunk` seconds in Python (the delay exceeds a chunk, so a reward is
never due before the chunk that follows its pairing); dopamine is a function of time evaluated by numpy per
chunk: d(t) = tonic + sum_k jump exp(-(t - r_k) / tau_d) over rewards r_k <= t (Izhikevich 2007: jump 0.5,
tau_d = 0.2 s, tonic 0.01; here jump 0.25 in weight units that act on nothing).

Measured (defaults, 1500 s, seeds 1-4, tests/test_distal_reward.py): the rewarded synapse ends at 0.50-0.68
while the 499 others' 99th percentile is 0.25-0.29 (median near 0); in the control it ends at 0.02-0.05,
with the others. About 5 s wall per run on a shared 2-core machine (noisy).

What the scaled-down version leaves out, compared with the paper (a recurrent net of 1000 Izhikevich
neurons with 100 synapses each, an hour of simulated time, reward delays up to 1 s): here a feed-forward
layer (50 Poisson inputs x 10 LIF neurons, 500 plastic synapses) for 25 simulated minutes, and the weights do
not drive the neurons, so it shows only the credit assignment. In the paper the weights drove the
neurons: the rewarded synapse grew strong and its postsynaptic neuron learnt to respond to the
presynaptic one (more pairings, more rewards), a loop left out here because, with strong plastic weights
driving the neurons, the unrewarded synapses ran away when dopamine came often (an earlier version of this
module). No tonic dopamine by default (the paper's 0.01 with a_minus > a_plus slowly depresses every synapse).

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
    pre, post: the chosen synapse's neurons (excitatory indices); pairings: times (s); rewards: delivery
    times (s) up to the run's end; rate: the neurons' mean rate (Hz); w_max: the weight bound.
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


def simulate_distal_reward(t_stop: float = 1500.0, n_inputs: int = 50, n_neurons: int = 10,
                           input_rate: float = 3.2, w_init: float = 0.3, w_max: float = 1.0, bias: float = 0.86,
                           noise: float = 0.5, a_plus: float = 1.0, a_minus: float = 1.3, tau_c: float = 1.0,
                           window: float = 0.01, delay: tuple = (1.0, 3.0), jump: float = 0.25,
                           tau_d: float = 0.2, tonic: float = 0.0, contingent: bool = True,
                           chunk: float = 1.0, dt: float = 1e-3, seed: int = 1) -> DistalRewardResult:
    """Run the distal reward experiment for ``t_stop`` seconds; see the module docstring.

    ``n_inputs`` Poisson inputs at ``input_rate`` (Hz) reach ``n_neurons`` LIF neurons through all-to-all
    plastic synapses that do not drive them (ExpSynapse with scale 0); the neurons fire from their own
    constant drive ``bias`` (rheobase 1) and white-noise current of sigma ``noise``. Weights start at
    ``w_init`` and stay in [0, ``w_max``] (arbitrary units: they act on nothing). ``delay`` = (min, max)
    reward delay (s), drawn uniformly; it must be at least ``chunk``.
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
    n_inputs, n_neurons = check.count("n_inputs", n_inputs), check.count("n_neurons", n_neurons)
    input_rate, w_max = check.positive("input_rate", input_rate, "Hz"), check.positive("w_max", w_max, "")
    w_init, bias, noise = check.nonnegative("w_init", w_init), check.real("bias", bias), check.nonnegative("noise", noise)
    a_plus, a_minus = check.nonnegative("a_plus", a_plus), check.nonnegative("a_minus", a_minus)
    tau_c, window, tau_d = check.positive("tau_c", tau_c), check.positive("window", window), check.positive("tau_d", tau_d)
    jump, tonic, dt = check.nonnegative("jump", jump), check.nonnegative("tonic", tonic), check.positive("dt", dt)
    seed = check.count("seed", seed, minimum=0)
    if not isinstance(contingent, (bool, np.bool_)):
        raise TypeError(f"contingent must be True or False, got {check._show(contingent)}")
    if isinstance(delay, (str, bytes)) or not isinstance(delay, (tuple, list)) or len(delay) != 2:
        raise TypeError(f"delay must be a pair (min, max) of delays in s, got {check._show(delay)}")
    lo, hi = (check.positive("delay[0]", delay[0]), check.positive("delay[1]", delay[1]))
    if hi < lo or lo < chunk:
        raise ValueError(f"delay must be (min, max) with chunk ({chunk} s) <= min <= max, got {delay}")
    rng = np.random.default_rng([seed, 2007])
    rewards = []

    def dopamine(t):
        """tonic + jumps decaying with tau_d; a reward counts for 20 tau_d (to 2e-9 of its jump) at every time t,
        added in reward order, so the value at t does not depend on how the run is cut into chunks."""
        d = np.full(len(t), tonic)
        r = np.asarray(rewards)
        for r_k in r[(r <= t[-1]) & (r >= t[0] - 20 * tau_d)]:
            lag = t - r_k
            d += np.where((lag >= 0) & (lag <= 20 * tau_d), jump * np.exp(-np.maximum(lag, 0.0) / tau_d), 0.0)
        return d

    net = Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate, in_loop=True, label="inputs")
    neurons = net.population(n_neurons, LIF(), bias=bias, v_init=Uniform(0.0, 1.0), label="neurons")
    net.noise(neurons, WhiteNoise(noise))
    d = net.modulator(dopamine, label="dopamine")
    rule = ThreeFactorSTDP(d, a_plus=a_plus, a_minus=a_minus, tau_c=tau_c, w_max=w_max)
    ee = net.connect(inputs, neurons, w_init, synapse=ExpSynapse(0.005, scale=0.0), plasticity=rule)
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
                # the control: the same reward for each pairing, but 20-40 tau_c later, when the pairing's
                # eligibility has decayed to below exp(-20): reward times unrelated to the pairings that matter
                late = 0.0 if contingent else rng.uniform(20 * tau_c, 40 * tau_c)
                rewards.append(t_post + rng.uniform(lo, hi) + late)
        seen = len(tq)
        W = sim.weights(ee).ravel()
        others = np.delete(W, k)
        t.append(sim.t)
        w_r.append(W[k])
        med.append(np.median(others))
        p99.append(np.percentile(others, 99))
    rate = sim.counts["spikes"] / (n_neurons * sim.t)
    delivered = np.array(sorted(r for r in rewards if r <= sim.t))      # the control's late ones may fall after
    return DistalRewardResult(np.array(t), np.array(w_r), np.array(med), np.array(p99), others, pre, post,
                              np.array(pairings), delivered, rate, w_max)
