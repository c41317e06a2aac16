"""Networks with modulators and three-factor STDP, shared by tests/test_modulators.py and tests/test_reward_stdp.py
and run both in the test process and without the JIT (tests/nojit.py), so each returns plain JSON data."""

import copy

import numpy as np

import snnlib as snn
from snnlib.model.plugin import threshold_param

J_LIF = np.array([1.2, 1.5, 2.0, 3.0])         # LIF drives (normalised units: rheobase 1)
LEVELS = (0.5, 1.5)                             # the time modulator's value in [0, T) and [T, 2T)
SCALE = {"gain": 0.4, "bias": 0.3, "threshold": 0.25}


def level(t, T):
    """The step modulator: LEVELS[0] before T (s), LEVELS[1] from T on (a numpy function of t)."""
    return np.where(np.asarray(t) < T, LEVELS[0], LEVELS[1])


def lif_modulated(T=1.0, dt=1e-4, chunk_steps=2000, precision="float64"):
    """Three LIF populations driven by J_LIF, one per modulated parameter, a step modulator m(t); a fourth
    population (the same drives) feeds an activity modulator through weights. Returns spikes and probes."""
    net = snn.Network(seed=3)
    m = net.modulator(lambda t: level(t, T), label="m")
    pops = {}
    for par in ("gain", "bias", "threshold"):
        pops[par] = net.population(len(J_LIF), snn.LIF(), bias=J_LIF, label=par)
        net.modulate(pops[par], par, m, scale=SCALE[par])
    src = net.population(len(J_LIF), snn.LIF(), bias=J_LIF + 1.0, label="src")
    act = net.modulator(src, tau=0.05, weights=[0.5, -1.0, 0.25, 2.0], label="act")
    filt = net.modulator(lambda t: np.sin(2 * np.pi * 3.0 * t), tau=0.02, label="filt")
    src_p, pf = net.probe(src), net.probe(filt)
    probes = {par: net.probe(p) for par, p in pops.items()}
    pm, pa = net.probe(m), net.probe(act)
    sim = snn.Simulator(net, dt=dt, chunk_steps=chunk_steps, precision=precision)
    sim.run(2 * T)
    out = {par: _spikes(sim.data[p]) for par, p in probes.items()}
    out["src"] = _spikes(sim.data[src_p])
    out["m"] = sim.data[pm][:, 0].tolist()
    out["act"] = sim.data[pa][:, 0].tolist()
    out["filt"] = sim.data[pf][:, 0].tolist()
    return out


def catalogue_modulated(parameter, chunk_steps=500):
    """Every catalogue neuron model twice: modulated (parameter by a constant-level modulator) and a reference
    with the same effect put into its parameters by hand. Returns {model: (spikes modulated, spikes ref)}."""
    net = snn.Network(seed=5)
    m = net.modulator(0.5, label="m")
    k, mv = SCALE[parameter], 0.5
    pairs = {}
    for name, neuron, J in catalogue(threshold_only=parameter == "threshold"):
        k = SCALE[parameter] * (0.01 if name == "adex" else 1.0)      # AdEx works in volts: a 1.25 mV shift
        a = net.population(2, neuron, bias=J, label=f"{name}_mod")
        net.modulate(a, parameter, m, scale=k)
        if parameter == "gain":
            b = net.population(2, neuron, bias=J * (1.0 + k * mv), label=f"{name}_ref")
        elif parameter == "bias":
            b = net.population(2, neuron, bias=J + (0.0 + k * mv), label=f"{name}_ref")
        else:
            th = threshold_param(type(neuron))
            shifted = copy.copy(neuron)
            setattr(shifted, th, getattr(neuron, th) + (0.0 + k * mv))
            b = net.population(2, shifted, bias=J, label=f"{name}_ref")
        pairs[name] = (net.probe(a), net.probe(b))
    sim = snn.Simulator(net, dt=5e-5, chunk_steps=chunk_steps)
    sim.run(0.3)
    return {name: (_spikes(sim.data[pa]), _spikes(sim.data[pb])) for name, (pa, pb) in pairs.items()}


def catalogue(threshold_only=False):
    """(name, neuron, drives) for each neuron model of the catalogue (drives that make it fire)."""
    out = [("lif", snn.LIF(), np.array([1.5, 3.0])),
           ("adaptive_lif", snn.AdaptiveLIF(), np.array([1.5, 3.0])),
           ("two_compartment", snn.TwoCompartmentLIF(), np.array([1.0, 1.1])),
           ("adex", snn.AdEx(), np.array([0.03, 0.05]))]
    if not threshold_only:
        out.append(("izhikevich", snn.Izhikevich(), np.array([10.0, 15.0])))
    return out


def pairing(t_pre, t_post, reward=(1.0, 1.2, 0.5), dt=1e-3, w0=0.5, chunk_steps=2000, **rule_kw):
    """One plastic synapse: its presynaptic source fires at t_pre, the postsynaptic LIF neuron is made to fire
    once near t_post (a strong kick one step before), and the modulator is `reward` = (t1, t2, height): a
    rectangular pulse. Returns the recorded pre and post spike times and the final weight."""
    net = snn.Network(seed=0)
    pre = net.spike_times(1, [t_pre])
    kick = net.spike_times(1, [t_post - dt])
    post = net.population(1, snn.LIF(tau_ref=0.02))
    t1, t2, height = reward
    d = net.modulator(lambda t: np.where((t >= t1) & (t < t2), height, 0.0), label="dopamine")
    rule = snn.ThreeFactorSTDP(d, w_max=10.0, **rule_kw)
    conn = net.connect(pre, post, w0, plasticity=rule)
    net.connect(kick, post, 100.0, synapse=snn.ExpSynapse(0.002))
    sp, spre = net.probe(post), net.probe(pre)
    sim = snn.Simulator(net, dt=dt, chunk_steps=chunk_steps)
    sim.run(max(t2, t_pre, t_post) + 0.5)
    return {"pre": sim.data[spre].times.tolist(), "post": sim.data[sp].times.tolist(),
            "w": float(sim.weights(conn)[0, 0])}


def reward_network(chunk_steps=2000, d_level=None, T=1.0):
    """Poisson inputs onto LIF neurons through ThreeFactorSTDP, the modulator the filtered activity of the
    postsynaptic population minus its mean (or a constant d_level). Returns spikes, weights, modulator."""
    net = snn.Network(seed=11)
    inp = net.poisson(40, rate=20.0, label="inp")
    post = net.population(10, snn.LIF(), bias=0.8, label="post")
    if d_level is None:
        d = net.modulator(post, tau=0.1, weights=np.full(10, 0.01), label="d")
    else:
        d = net.modulator(d_level, label="d")
    rule = snn.ThreeFactorSTDP(d, a_plus=0.1, a_minus=0.12, tau_c=0.5, w_max=1.0)
    rng = np.random.default_rng(0)
    conn = net.connect(inp, post, rng.uniform(0.05, 0.3, (10, 40)), plasticity=rule)
    sp, pd = net.probe(post), net.probe(d)
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=chunk_steps)
    sim.run(T)
    return {"post": _spikes(sim.data[sp]), "w": np.asarray(sim.weights(conn)).ravel().tolist(),
            "d": sim.data[pd][:, 0].tolist()}


def _spikes(rec):
    return [rec.times.tolist(), rec.neurons.tolist()]


def loop_poisson_run(n=20, rate=30.0, T=0.5, chunk_steps=2000, dt=1e-3):
    """In-loop Poisson sources (and a numpy-drawn one) driving a LIF population. Returns the spikes."""
    net = snn.Network(seed=4)
    numpy_src = net.poisson(5, rate=rate, label="numpy")
    src = net.poisson(n, rate=np.linspace(0.5, 1.5, n) * rate, in_loop=True, label="loop")
    post = net.population(3, snn.LIF(), bias=0.5)
    net.connect(src, post, 0.2)
    net.connect(numpy_src, post, 0.1)
    ps, pn, pp = net.probe(src), net.probe(numpy_src), net.probe(post)
    sim = snn.Simulator(net, dt=dt, chunk_steps=chunk_steps)
    sim.run(T)
    return {"loop": _spikes(sim.data[ps]), "numpy": _spikes(sim.data[pn]), "post": _spikes(sim.data[pp]),
            "events": sim.counts["synaptic_events"]}
