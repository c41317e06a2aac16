"""STDP experiments run on the simulator's own plasticity (``snnlib.STDP`` on a connection).

* :func:`measure_stdp_window`: the STDP window measured from simulated spike pairs (Bi & Poo 1998;
  Song, Miller & Abbott 2000). One postsynaptic neuron is made to fire exactly once (a strong "teacher"
  synapse; a large negative bias keeps it silent otherwise); each of many presynaptic sources fires
  once at a chosen offset; each synapse's weight change is then the rule's response to one pair.
* :func:`learn_correlated_inputs`: a LIF neuron with plastic synapses from a group of correlated inputs
  and a group of independent ones, all at the same rate: STDP strengthens the correlated group and
  weakens the rest (Song, Miller & Abbott 2000; scaled down).

Times in seconds, rates in hertz, weights in normalised LIF input units per spike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snnlib import _validate as check
from snnlib.analysis.spikecode import make_rng

__all__ = ["WindowMeasurement", "measure_stdp_window", "correlated_spike_trains", "CorrelationLearning",
           "learn_correlated_inputs"]


@dataclass
class WindowMeasurement:
    """Result of :func:`measure_stdp_window`.

    ``dt`` (s): measured ``t_post - t_pre`` of each pair, from the recorded spikes; ``dw``: the measured
    weight change of each pair's synapse; ``post_spikes``: how many times the postsynaptic neuron fired
    (1 when the protocol worked); ``plasticity_updates`` from ``sim.counts``.
    """

    dt: np.ndarray
    dw: np.ndarray
    post_spikes: int
    plasticity_updates: int


def _check_rule(rule):
    from snnlib.learning.stdp import STDP

    if not isinstance(rule, STDP):
        raise TypeError(f"rule must be a snnlib.STDP, got {check._show(rule)}")


def measure_stdp_window(rule, offsets, dt: float = 1e-4, w_init: float | None = None) -> WindowMeasurement:
    """Measure the weight change of one pre/post pair at each offset ``t_post - t_pre`` (s).

    ``rule`` is a :class:`snnlib.STDP`. All pairs share one postsynaptic spike, so the pairs are
    measured in one run; each presynaptic source fires once. ``w_init`` (default: middle of the bounds)
    must leave room for the largest change, or clipping at the bounds shows up in the result.
    """
    from snnlib.model.network import Network
    from snnlib.neurons.lif import LIF
    from snnlib.sim.simulator import Simulator
    from snnlib.synapses.exponential import ExpSynapse

    _check_rule(rule)
    offsets = check.finite_array("offsets", offsets)
    if offsets.ndim != 1 or offsets.size == 0:
        raise ValueError("offsets must be a non-empty 1-D array of finite times (s)")
    dt = check.positive("dt", dt)
    w_init = None if w_init is None else check.real("w_init", w_init)
    if w_init is None:
        w_init = 0.5 * (rule.w_min + rule.w_max)
    lead = max(offsets.max(), 0.0) + 0.01           # room before the postsynaptic spike
    t_teacher = lead - dt                           # teacher spike in the step before the post spike
    t_post_planned = lead
    pre_times = t_post_planned - offsets
    t_stop = max(pre_times.max(), t_post_planned) + 0.02

    net = Network(seed=0)
    # bias -50: no input the plastic synapses can give (at most n * w_max) makes it fire on its own
    post = net.population(1, LIF(), bias=-50.0, label="post")
    pre = net.spike_times(offsets.size, pre_times, np.arange(offsets.size), label="pre")
    teacher = net.spike_times(1, [t_teacher], label="teacher")
    # a huge, brief current: the post neuron crosses threshold in the very next step, then the current
    # has decayed (exp(-tau_ref / tau)) far below the bias long before the refractory period ends
    net.connect(teacher, post, weights=1e4, synapse=ExpSynapse(2 * dt), label="teacher->post")
    conn = net.connect(pre, post, weights=np.full((1, offsets.size), w_init), synapse=ExpSynapse(5e-3),
                       plasticity=rule, label="pre->post")
    p_post, p_pre = net.probe(post, "spikes"), net.probe(pre, "spikes")
    sim = Simulator(net, dt=dt)
    before = sim.weights(conn)[0].copy()
    sim.run(t_stop)
    after = sim.weights(conn)[0]
    post_rec, pre_rec = sim.data[p_post], sim.data[p_pre]
    t_pre = np.full(offsets.size, np.nan)
    t_pre[pre_rec.neurons] = pre_rec.times
    t_post = post_rec.times[0] if len(post_rec) else np.nan
    return WindowMeasurement(dt=t_post - t_pre, dw=after - before, post_spikes=len(post_rec),
                             plasticity_updates=sim.counts["plasticity_updates"])


def correlated_spike_trains(n: int, rate: float, correlation: float, duration: float, jitter: float = 0.0,
                            seed=None):
    """``n`` Poisson trains at ``rate`` (Hz) whose pairwise spike-count correlation is ``correlation``.

    The "mother process" construction (Kuhn, Aertsen & Rotter 2003): a shared Poisson train at
    ``rate / correlation``, from which each train keeps every spike independently with probability
    ``correlation`` (shifted by Gaussian ``jitter``, s). Each train is then Poisson at ``rate``, and two
    trains share a fraction ``correlation`` of their spikes, giving a count correlation of
    ``correlation``. ``correlation = 0`` gives independent trains. Returns ``(times, indices)`` sorted by
    time, within ``[0, duration)``.
    """
    n, correlation = check.count("n", n), check.probability("correlation", correlation)
    rate, duration = check.nonnegative("rate", rate, "Hz"), check.positive("duration", duration)
    jitter = check.nonnegative("jitter", jitter, "s")
    rng = make_rng(seed)
    if correlation == 0:
        own = rng.poisson(rate * duration, n)
        idx = np.repeat(np.arange(n), own)
        times = rng.uniform(0, duration, idx.size)
        order = np.argsort(times, kind="stable")
        return times[order], idx[order]
    mother = rng.uniform(0, duration, rng.poisson(rate / correlation * duration))
    copy = rng.random((n, mother.size)) < correlation
    idx = np.nonzero(copy)[0]
    times = np.broadcast_to(mother, copy.shape)[copy]
    if jitter > 0:
        times = times + rng.normal(0, jitter, idx.size)
    keep = (times >= 0) & (times < duration)
    times, idx = times[keep], idx[keep]
    order = np.argsort(times, kind="stable")
    return times[order], idx[order]


@dataclass
class CorrelationLearning:
    """Result of :func:`learn_correlated_inputs`.

    ``w_start`` and ``w_end``: weights of every input before and after (first ``n_correlated`` are the
    correlated group); ``t`` (s) and ``w_mean``: mean weight of the correlated and the independent group
    at each checkpoint, shape ``(len(t), 2)``; ``post_rate_start``, ``post_rate_end``: output rate (Hz) in
    the first and last checkpoint interval; ``counts``: the simulator's operation counts.
    """

    w_start: np.ndarray
    w_end: np.ndarray
    n_correlated: int
    t: np.ndarray
    w_mean: np.ndarray
    post_rate_start: float
    post_rate_end: float
    counts: dict

    @property
    def selectivity(self) -> float:
        """Mean weight of the correlated group minus that of the independent group, over w at the end."""
        c, u = self.w_end[:self.n_correlated].mean(), self.w_end[self.n_correlated:].mean()
        return float(c - u)


def learn_correlated_inputs(rule, n_correlated: int = 50, n_independent: int = 50, rate: float = 10.0,
                            correlation: float = 0.2, duration: float = 60.0, w_init: float | None = None,
                            tau_syn: float = 0.005, n_checkpoints: int = 12, dt: float = 0.001,
                            seed: int = 0) -> CorrelationLearning:
    """Train one LIF neuron (normalised units, tau_rc 20 ms) with STDP on correlated plus independent inputs.

    All inputs fire at ``rate`` (Hz); the first ``n_correlated`` share spikes with pairwise correlation
    ``correlation``. Synapses: ``ExpSynapse(tau_syn, "peak")`` with the plastic weights of ``rule``.
    Runs ``duration`` seconds in ``n_checkpoints`` pieces, reading the weights after each.
    """
    from snnlib.model.network import Network
    from snnlib.sim.simulator import Simulator
    from snnlib.synapses.exponential import ExpSynapse

    _check_rule(rule)
    n_correlated, n_independent = check.count("n_correlated", n_correlated), check.count("n_independent", n_independent)
    n_checkpoints = check.count("n_checkpoints", n_checkpoints, minimum=2)
    rate, correlation = check.positive("rate", rate, "Hz"), check.probability("correlation", correlation)
    duration, tau_syn, dt = check.positive("duration", duration), check.positive("tau_syn", tau_syn), check.positive("dt", dt)
    w_init = None if w_init is None else check.real("w_init", w_init)
    rng = make_rng(check.count("seed", seed, minimum=0))
    t_c, i_c = correlated_spike_trains(n_correlated, rate, correlation, duration, jitter=0.001, seed=rng)
    t_u, i_u = correlated_spike_trains(n_independent, rate, 0.0, duration, seed=rng)
    times = np.concatenate([t_c, t_u])
    idx = np.concatenate([i_c, i_u + n_correlated])
    n = n_correlated + n_independent
    if w_init is None:
        w_init = 0.5 * (rule.w_min + rule.w_max)

    net = Network(seed=seed)
    post = net.population(1, label="post")
    src = net.spike_times(n, times, idx, label="inputs")
    conn = net.connect(src, post, weights=np.full((1, n), float(w_init)), synapse=ExpSynapse(tau_syn),
                       plasticity=rule, label="inputs->post")
    probe = net.probe(post, "spikes")
    sim = Simulator(net, dt=dt)
    w_start = sim.weights(conn)[0].copy()
    piece = duration / n_checkpoints
    t_marks, w_mean, post_counts = [0.0], [[w_start[:n_correlated].mean(), w_start[n_correlated:].mean()]], []
    last = 0
    for _ in range(n_checkpoints):
        sim.run(piece)
        w = sim.weights(conn)[0]
        t_marks.append(sim.t)
        w_mean.append([w[:n_correlated].mean(), w[n_correlated:].mean()])
        total = len(sim.data[probe])
        post_counts.append(total - last)
        last = total
    w_end = sim.weights(conn)[0].copy()
    return CorrelationLearning(w_start=w_start, w_end=w_end, n_correlated=n_correlated, t=np.array(t_marks),
                               w_mean=np.array(w_mean), post_rate_start=post_counts[0] / piece,
                               post_rate_end=post_counts[-1] / piece, counts=sim.counts)
