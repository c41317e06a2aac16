"""Synapse experiments for lesson 04: the NMDA receptor as a coincidence detector, and short-term plasticity.

* :func:`nmda_coincidence`: the same presynaptic burst through an NMDA synapse (Mg2+ block, Jahr & Stevens
  1990) and through an AMPA-like conductance, onto a passive membrane held at rest or depolarised by a
  constant drive. The NMDA charge is large only when release and depolarisation coincide; the AMPA charge
  is *smaller* when depolarised (less driving force). With small weights the membrane barely moves, so the
  ratios approach the closed form B(v) (E - v) / (B(v_rest) (E - v_rest)).
* :func:`stp_response`: a spike train through a `TsodyksMarkram` synapse (NEST's tsodyks2 convention) and an
  exponential current synapse; the release u x of every spike is read back from the jumps of the simulated
  current, so it can be compared with the model's closed-form steady state (`TsodyksMarkram.steady_state`).

Voltages in volts, times in seconds, rates in hertz. The membranes never spike here (their threshold is far
above any voltage they reach): these experiments measure synaptic currents, not firing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snnlib import _validate as check

__all__ = ["V_REST", "NMDACoincidence", "nmda_coincidence", "nmda_ratio_theory", "STPResponse",
           "stp_response", "regular_train"]

V_REST = -0.070          # V, resting potential of the passive membrane
_PASSIVE = dict(tau_rc=0.020, tau_ref=0.002, v_th=1.0, v_reset=-0.080, v_rest=V_REST)   # v_th = 1 V: never fires


@dataclass
class NMDACoincidence:
    """Result of :func:`nmda_coincidence`. Charges are time integrals of the synaptic drive (V s; drive = R I).

    ``nmda``: dict condition -> charge for "pre alone" (release at rest), "post alone" (depolarised, no
    release) and "pre and post" (release onto the depolarised membrane); ``ampa``: "pre alone" and
    "pre and post" for the AMPA-like conductance; ``t`` (s) and ``current`` (dict condition -> drive trace, V)
    for plotting; ``v_post`` (V) the depolarised membrane's voltage before the burst.
    """

    nmda: dict
    ampa: dict
    t: np.ndarray
    current: dict
    v_post: float

    @property
    def nmda_ratio(self):
        """NMDA charge with coincident depolarisation over the charge at rest."""
        return self.nmda["pre and post"] / self.nmda["pre alone"]

    @property
    def ampa_ratio(self):
        """The same ratio for the AMPA-like synapse (below 1: less driving force when depolarised)."""
        return self.ampa["pre and post"] / self.ampa["pre alone"]


def nmda_ratio_theory(v_post, mg=1.0, E_rev=0.0, v_rest=V_REST):
    """Closed-form coincidence ratio for a membrane held fixed: B(v_post)(E - v_post) / (B(v_rest)(E - v_rest))."""
    from snnlib.synapses.conductance import NMDASynapse

    v_post, mg = check.real("v_post", v_post), check.nonnegative("mg", mg)
    E_rev, v_rest = check.real("E_rev", E_rev), check.real("v_rest", v_rest)
    if E_rev == v_rest:
        raise ValueError(f"E_rev ({E_rev:g} V) must differ from v_rest: the ratio is taken against the drive at rest")
    block = NMDASynapse.block
    return float(block(v_post, mg) * (E_rev - v_post) / (block(v_rest, mg) * (E_rev - v_rest)))


def nmda_coincidence(v_post=-0.040, mg=1.0, weight=0.01, n_spikes=5, rate=100.0, t_stop=0.4, dt=1e-4):
    """Simulate the NMDA coincidence experiment (module docstring); returns :class:`NMDACoincidence`.

    v_post : voltage (V) the depolarising drive holds the membrane at, above V_REST (-70 mV).
    mg : [Mg2+] (mM); 0 removes the block. weight : peak relative conductance per release (g_syn / g_L).
    n_spikes, rate : the presynaptic burst (from t = 50 ms). t_stop, dt : run length and step (s).
    """
    import snnlib as snn

    v_post, mg, weight = check.real("v_post", v_post), check.nonnegative("mg", mg), check.nonnegative("weight", weight)
    n_spikes, rate = check.count("n_spikes", n_spikes), check.positive("rate", rate, "Hz")
    t_stop, dt = check.positive("t_stop", t_stop), check.positive("dt", dt)
    if not V_REST < v_post < 0.0:
        raise ValueError(f"v_post must be a depolarised voltage in volts between {V_REST} and 0, got {v_post!r}")
    conditions = ["pre alone", "post alone", "pre and post", "AMPA pre alone", "AMPA pre and post"]
    depolarised = np.array([0, 1, 1, 0, 1], dtype=bool)
    net = snn.Network(seed=0)
    post = net.population(len(conditions), snn.LIF(**_PASSIVE),
                          bias=np.where(depolarised, v_post - V_REST, 0.0),
                          v_init=np.where(depolarised, v_post, V_REST))
    burst = 0.05 + np.arange(int(n_spikes)) / float(rate)
    pre = net.spike_times(1, burst)
    gets = {"nmda": [0, 2], "ampa": [3, 4]}
    for kind, synapse in (("nmda", snn.NMDASynapse(mg=mg)), ("ampa", snn.ConductanceSynapse(tau=0.005))):
        w = np.zeros((len(conditions), 1))
        w[gets[kind], 0] = weight
        net.connect(pre, post, w, synapse=synapse)
    probe = net.probe(post, "current")
    sim = snn.Simulator(net, dt=dt)
    sim.run(t_stop)
    current = sim.data[probe]
    charge = current.sum(axis=0) * dt
    traces = dict(zip(conditions, current.T))
    return NMDACoincidence(nmda={c: float(q) for c, q in zip(conditions[:3], charge[:3])},
                           ampa={"pre alone": float(charge[3]), "pre and post": float(charge[4])},
                           t=sim.trange(probe), current=traces, v_post=v_post)


def regular_train(rate, t_stop, start=0.0):
    """Spike times (s) of a regular train of `rate` Hz from `start` up to (not including) `t_stop`."""
    rate = check.positive("rate", rate, "Hz")
    t_stop, start = check.positive("t_stop", t_stop), check.nonnegative("start", start, "s")
    return start + np.arange(int(np.ceil((t_stop - start) * rate - 1e-9))) / rate


@dataclass
class STPResponse:
    """Result of :func:`stp_response`: ``t`` (s) and ``current`` (drive, units of the weight) of the
    postsynaptic current; ``spike_times`` (s); ``release`` (the release u x of each spike, measured from the
    current's jumps, i.e. the delivered weight / the connection weight)."""

    t: np.ndarray
    current: np.ndarray
    spike_times: np.ndarray
    release: np.ndarray

    def transmitted_rate(self):
        """Release per spike times the instantaneous rate 1/ISI (Hz), from the second spike on."""
        return self.release[1:] / np.diff(self.spike_times)


def stp_response(spike_times, model, tau_syn=0.005, t_stop=None, dt=1e-4, weight=1.0):
    """Drive one postsynaptic current with `spike_times` (s) through `model` (a `TsodyksMarkram`) and an
    `ExpSynapse(tau_syn, "peak")` of `weight`; returns :class:`STPResponse`. Spike times should sit on the
    time grid (multiples of dt) and be at least one step apart."""
    import snnlib as snn

    spike_times = np.sort(check.finite_array("spike_times", spike_times))
    if spike_times.ndim != 1 or spike_times.size == 0 or spike_times[0] < 0:
        raise ValueError("spike_times must be a non-empty 1-D array of times (s) >= 0")
    if not isinstance(model, snn.TsodyksMarkram):
        raise TypeError(f"model must be a snnlib.TsodyksMarkram, got {check._show(model)}")
    tau_syn, dt, weight = check.positive("tau_syn", tau_syn), check.positive("dt", dt), check.real("weight", weight)
    if weight == 0:
        raise ValueError("weight must not be 0: the release is measured as the current's jumps / weight")
    t_stop = float(spike_times[-1] + 5 * tau_syn if t_stop is None else check.positive("t_stop", t_stop))
    net = snn.Network(seed=0)
    post = net.population(1, snn.LIF(**_PASSIVE), v_init=V_REST)
    src = net.spike_times(1, spike_times)
    syn = snn.ExpSynapse(tau_syn, normalize="peak")
    net.connect(src, post, weight, synapse=syn, presynaptic=model)
    probe = net.probe(post, "current")
    sim = snn.Simulator(net, dt=dt)
    sim.run(t_stop)
    current = sim.data[probe][:, 0]
    t = sim.trange(probe)
    # a spike at step n reaches the current at the end of step n: the jump is I[n] - decay I[n-1]
    decay = np.exp(-dt / tau_syn)
    before = np.concatenate([[0.0], current[:-1]])
    jumps = current - decay * before
    # each spike lands at the end of its step, sample round(t_spike / dt) or one later (a spike time that is a
    # multiple of dt may fall on either side of the step boundary in floating point): take the larger jump
    steps = np.rint(spike_times / dt).astype(np.int64)
    keep = steps + 1 < t.size
    steps = steps[keep]
    release = np.maximum(jumps[steps], jumps[steps + 1]) / weight
    return STPResponse(t=t, current=current, spike_times=spike_times[keep], release=release)
