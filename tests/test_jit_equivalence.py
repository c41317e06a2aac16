"""The same seed gives the same spikes and weights with and without the JIT (NUMBA_DISABLE_JIT=1)."""

import numpy as np

from nojit import run_without_jit
import snnlib as snn
from snnlib.units import ms


def small_model():
    """A network using every kernel feature: Poisson, spike times, inputs, dense, sparse, STDP, probes."""
    net = snn.Network(seed=11)
    exc = net.population(30, snn.LIF(), bias=0.9, v_init=snn.Uniform(0, 1), label="exc")
    inh = net.population(10, snn.LIF(tau_rc=10 * ms), label="inh")
    src = net.poisson(20, rate=lambda t: 40.0 + 20.0 * np.sin(20 * t), label="src")
    kick = net.spike_times(2, [0.01, 0.02, 0.03], [0, 1, 0], label="kick")
    net.input(exc, snn.Step(0.05, 0.3))
    net.input(inh, lambda t: 0.5 * t)
    net.connect_random(src, exc, p=0.3, weight=0.3, plasticity=snn.STDP(a_plus=0.02, a_minus=0.021, w_max=0.6))
    net.connect(exc, inh, weights=np.full((10, 30), 0.05), synapse=snn.ExpSynapse(3 * ms, normalize="area"))
    net.connect_random(inh, exc, p=0.5, weight=-0.02, synapse=snn.ExpSynapse(8 * ms))
    net.connect(kick, exc, weights=np.ones((30, 2)) * 0.2)
    probes = [net.probe(exc, "spikes"), net.probe(inh, "spikes"), net.probe(exc, "voltage", indices=[0, 5])]
    return net, probes


def run_small_model():
    net, (pe, pi, pv) = small_model()
    sim = snn.Simulator(net, dt=0.5 * ms, chunk_steps=150)
    sim.run(0.4)
    W = sim.weights(net.connections[0])
    return {
        "exc_times": sim.data[pe].times.tolist(), "exc_neurons": sim.data[pe].neurons.tolist(),
        "inh_neurons": sim.data[pi].neurons.tolist(), "v": sim.data[pv].ravel().tolist(),
        "w": W.data.tolist(), "counts": {k: v for k, v in sim.counts.items() if k != "synaptic_events_by_connection"},
    }


def test_jit_and_plain_python_give_identical_results():
    jitted = run_small_model()
    assert len(jitted["exc_neurons"]) > 50 and jitted["counts"]["plasticity_updates"] > 0
    assert run_without_jit("test_jit_equivalence", "run_small_model()") == jitted


def every_model():
    """One network using every model and feature of the engine: LIF, ExpSynapse (peak and area), STDP,
    white and OU noise, Poisson and spike-time sources, inputs, decoded values, an error, PES, a decoded
    input, every probe kind."""
    from snnlib.noise import OUNoise, WhiteNoise

    net, (pe, pi, pv) = small_model()
    exc, inh = net.populations
    net.noise(exc, OUNoise(0.2, 4 * ms))
    net.noise(inh, WhiteNoise(0.1))
    xh = net.decoded(exc, np.linspace(-0.01, 0.01, 30), tau=10 * ms)
    err = net.error(xh, lambda t: np.sin(6 * t))
    net.pes(xh, err, learning_rate=1e-3)
    net.decoded_input(inh, xh, np.full((10, 1), 0.5))
    probes = [pe, pi, pv, net.probe(xh), net.probe(err, every=3), net.probe(inh, "current"),
              net.probe(inh, "drive", every=2)]
    sim = snn.Simulator(net, dt=0.5 * ms, chunk_steps=111)
    sim.run(0.3)
    out = {p.label: ([sim.data[p].times.tolist(), sim.data[p].neurons.tolist()] if p.target == "spikes"
                     else sim.data[p].ravel().tolist()) for p in probes}
    out["w"] = sim.weights(net.connections[0]).data.tolist()
    out["d"] = sim.decoders(xh).ravel().tolist()
    return out


def test_every_model_same_with_and_without_jit():
    jitted = every_model()
    assert len(jitted["probe0"][0]) > 50 and len(jitted["probe1"][0]) > 10
    assert run_without_jit("test_jit_equivalence", "every_model()") == jitted
