"""The generated kernel gives bit-identical float64 results to the two hand-written kernels it replaced
(snnlib.sim.fast_kernel and generic_kernel, removed 2026-11-29), with and without the JIT.

The reference is a SHA-256 of the JSON of each result, recorded with the old kernels (x86-64, glibc libm:
another libm may round expm1/log1p differently, and then these hashes, not the model, differ)."""

import hashlib
import json
import os
import sys

import numpy as np
import pytest

from nojit import run_without_jit

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import snnlib as snn
from snnlib.units import mV, ms


def mixed_model(seed=5, inputs=True):
    """Everything the fast kernel handles: several populations with different LIF parameters (one with
    no refractory period), Poisson and spike-time sources, constant and time-varying inputs, dense and
    random connections onto shared and separate synaptic currents, "peak" and "area" synapses, probes of
    every kind (subsets, every > 1). inputs=False leaves out the time-varying inputs, so the kernel never
    rewrites the drive (until 2026-11-29, populations whose bias is one number then took a separate
    scalar-drive copy of the pass; e, with a bias per neuron, did not: the pins below still hold for both)."""
    net = snn.Network(seed=seed)
    a = net.population(37, snn.LIF(), bias=0.9, v_init=snn.Uniform(0, 1), label="a")
    b = net.population(13, snn.LIF(tau_rc=10 * ms, tau_ref=0.0), label="b")
    c = net.population(20, snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV,
                                   v_rest=-49 * mV), v_init=snn.Uniform(-60 * mV, -50 * mV), label="c")
    src = net.poisson(25, rate=lambda t: 30.0 + 20.0 * np.sin(15 * t), label="src")
    kick = net.spike_times(3, [0.011, 0.0235, 0.05, 0.05], [0, 2, 1, 0], label="kick")
    if inputs:
        net.input(a, snn.Step(0.03, 0.4, t_off=0.12))
        net.input(b, lambda t: 1.5 + 0.5 * np.cos(40 * t))
    net.connect_random(src, a, p=0.3, weight=0.25, synapse=snn.ExpSynapse(5 * ms))
    net.connect_random(a, a, p=0.2, weight=-0.1, synapse=snn.ExpSynapse(5 * ms))       # shares src's current
    net.connect(a, b, weights=np.linspace(-0.02, 0.05, 13 * 37).reshape(13, 37),
                synapse=snn.ExpSynapse(3 * ms, normalize="area"))
    net.connect(kick, b, weights=np.ones((13, 3)) * 0.3, synapse=snn.ExpSynapse(8 * ms))
    net.connect_random(b, c, p=0.5, weight=4 * mV, synapse=snn.ExpSynapse(5 * ms))
    net.connect_random(c, c, p=0.1, weight=1.6 * mV, synapse=snn.ExpSynapse(5 * ms), autapses=False)
    net.connect_random(c, a, p=0.1, weight=-0.05, synapse=snn.ExpSynapse(10 * ms))
    # d: three synaptic currents (the kernel's general path); e: none at all (bias only)
    d = net.population(9, snn.LIF(tau_ref=1 * ms), bias=0.9, label="d")
    e = net.population(5, snn.LIF(), bias=np.linspace(1.1, 3.0, 5), label="e")
    for tau, w in ((2 * ms, 0.6), (6 * ms, 0.3), (12 * ms, -0.1)):
        net.connect_random(a, d, p=0.4, weight=w, synapse=snn.ExpSynapse(tau))
    probes = [net.probe(a, "spikes"), net.probe(b, "spikes"), net.probe(c, "spikes", indices=[1, 3, 5]),
              net.probe(kick, "spikes"), net.probe(a, "voltage", indices=[0, 4, 9]),
              net.probe(b, "current", every=3), net.probe(c, "drive", indices=[2, 7], every=2),
              net.probe(c, "voltage"), net.probe(d, "spikes"), net.probe(d, "current", every=2),
              net.probe(e, "spikes")]
    return net, probes


def receptor_state(sim):
    """The first synaptic state variable of every receptor block, blocks in slot order: the whole array when
    the blocks lie side by side, without the unused slots that `builder.receptor_slots` leaves between blocks
    it moves apart (so the digests pinned before that hold)."""
    m = sim._layout.model
    blocks = sorted((r.slot_offset, pop.n) for pop, rs in zip(m.populations, m.receptors) for r in rs)
    return np.concatenate([sim._I[a:a + n] for a, n in blocks] + [sim._I[:0]])


def run_model(chunk_steps=170, dt=0.2 * ms, t=0.25, inputs=True):
    net, probes = mixed_model(inputs=inputs)
    sim = snn.Simulator(net, dt=dt, chunk_steps=chunk_steps)
    sim.run(t / 2)
    sim.run(t / 2)                                   # two runs: state carried between calls
    out = {}
    for p in probes:
        d = sim.data[p]
        out[p.label] = ([d.times.tolist(), d.neurons.tolist()] if p.target == "spikes" else d.ravel().tolist())
    out["counts"] = {k: v for k, v in sim.counts.items()}
    out["state"] = [sim._v.tolist(), sim._ref.tolist(), receptor_state(sim).tolist()]
    return out


def digest(result):
    return hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()


# recorded with the hand-written kernels (fast_kernel.py for these networks), before they were replaced
OLD_KERNELS = {
    "mixed": "51b1cd44bbe672873dc0527a2d78adfa1a1461cde7753edaef742c1e830ff636",
    "mixed_noinputs": "27ade425ea09b14c458e29cfd08c9d328664ca8e5f0f994c21dd9df777abf68b",
    "cuba_0.3s": "1333bde3974a468a9b9cf6b88d04261d7209d6d9aea5cbd5c16d5a52d46bc18b",
}


def test_mixed_model_bit_identical_to_the_old_kernels():
    out = run_model()
    assert out["counts"]["spikes"] > 200 and out["counts"]["source_spikes"] > 50   # a busy network
    assert len(out["probe2"][0]) > 10                                                 # c spikes too
    assert len(out["probe8"][0]) > 10 and len(out["probe10"][0]) > 10                 # so do d and e
    assert digest(out) == OLD_KERNELS["mixed"]


def test_mixed_model_without_inputs_scalar_drive_path_bit_identical():
    out = run_model(inputs=False)
    assert len(out["probe0"][0]) > 10 and len(out["probe10"][0]) > 10      # a (scalar drive) and e (per neuron)
    assert digest(out) == OLD_KERNELS["mixed_noinputs"]


def test_scalar_drive_path_same_results_without_jit():
    plain = run_without_jit("test_generated_kernel", "run_model(t=0.1, inputs=False)")
    assert plain == run_model(t=0.1, inputs=False)
    assert plain["counts"]["spikes"] > 50


def cuba_small(chunk_steps, t=0.2):
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV, v_rest=-49 * mV)
    net = snn.Network(seed=3)
    e = net.population(800, lif, v_init=snn.Uniform(-60 * mV, -50 * mV))
    i = net.population(200, lif, v_init=snn.Uniform(-60 * mV, -50 * mV))
    for post in (e, i):
        net.connect_random(e, post, p=0.08, weight=1.62 * mV, synapse=snn.ExpSynapse(5 * ms))
        net.connect_random(i, post, p=0.08, weight=-9 * mV, synapse=snn.ExpSynapse(10 * ms))
    pe = net.probe(e, "spikes")
    sim = snn.Simulator(net, dt=0.1 * ms, chunk_steps=chunk_steps)
    sim.run(t)
    return sim.data[pe].times, sim.data[pe].neurons, sim._v.copy(), sim.counts["synaptic_events"]


def test_cuba_sized_network_same_with_a_small_event_buffer():
    """A tiny chunk makes the kernel stop and resume for buffer growth; results must not change."""
    (t1, n1, v1, e1), (t2, n2, v2, e2) = cuba_small(333), cuba_small(2000)
    assert len(t1) > 100
    assert np.array_equal(t1, t2) and np.array_equal(n1, n2) and np.array_equal(v1, v2) and e1 == e2


def test_cuba_float64_bit_identical_to_the_old_kernels():
    import cuba

    net, pe, pi = cuba.build_cuba(seed=1)
    sim = snn.Simulator(net, dt=cuba.DT)
    sim.run(0.3)
    out = [sim.data[pe].times.tolist(), sim.data[pe].neurons.tolist(), sim.data[pi].neurons.tolist(), sim._v.tolist()]
    assert len(out[0]) > 1000
    assert digest(out) == OLD_KERNELS["cuba_0.3s"]


def test_generated_kernel_same_results_without_jit():
    jitted = run_model()
    plain = run_without_jit("test_generated_kernel", "run_model(t=0.1)")
    assert plain == run_model(t=0.1)
    assert plain["counts"]["spikes"] > 50 and jitted["counts"]["spikes"] > plain["counts"]["spikes"]


def test_old_kernel_names_are_deprecated_and_run_the_same_kernel():
    net, _ = mixed_model()
    with pytest.warns(DeprecationWarning, match="one kernel"):
        sim = snn.Simulator(net, kernel="generic")
    sim.run(0.01)
    ref = snn.Simulator(net)
    ref.run(0.01)
    assert np.array_equal(sim._v, ref._v)


def test_bad_kernel_name_is_refused():
    net, _ = mixed_model()
    with pytest.raises(ValueError, match="'auto', 'fast' or 'generic'"):
        snn.Simulator(net, kernel="turbo")


def test_refractory_period_ending_inside_a_step_keeps_analytic_rate():
    """tau_ref not a multiple of dt exercises the partial-step path; the rate must equal LIF.rates."""
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=2.35 * ms)
    J = np.array([1.5, 2.0, 5.0])
    net = snn.Network(seed=0)
    pop = net.population(3, lif, bias=J)
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(5.0)
    assert np.allclose(sim.data[sp].rates(), lif.rates(J), rtol=0.01)


# -- float32 state --------------------------------------------------------------------------------------

def run_model_f32(t=0.1):
    """The mixed model in float32 (JSON-friendly results)."""
    net, probes = mixed_model()
    sim = snn.Simulator(net, dt=0.2 * ms, chunk_steps=170, precision="float32")
    sim.run(t)
    out = {p.label: ([sim.data[p].times.tolist(), sim.data[p].neurons.tolist()] if p.target == "spikes"
                     else sim.data[p].ravel().tolist()) for p in probes}
    out["state"] = [sim._v.tolist(), sim._ref.tolist(), receptor_state(sim).tolist()]
    return out


def test_float32_same_results_without_jit():
    jitted = run_model_f32()
    assert np.asarray(jitted["state"][0]).size == 84
    assert run_without_jit("test_generated_kernel", "run_model_f32()") == jitted


def test_float32_state_is_float32_and_close_to_float64_over_a_short_run():
    net, probes = mixed_model()
    s32 = snn.Simulator(net, dt=0.2 * ms, precision="float32")
    s64 = snn.Simulator(net, dt=0.2 * ms)
    assert s32._v.dtype == np.float32 and s32._I.dtype == np.float32 and s64._v.dtype == np.float64
    s32.run(0.02)
    s64.run(0.02)            # before chaos amplifies rounding: voltages agree to float32 resolution
    vp = probes[4]
    assert np.allclose(s32.data[vp], s64.data[vp], rtol=0, atol=1e-5)


def test_float32_lif_rate_equals_analytic_rate():
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=2 * ms)
    J = np.array([1.05, 1.5, 2.0, 5.0, 10.0])
    net = snn.Network(seed=0)
    pop = net.population(len(J), lif, bias=J)
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=0.1 * ms, precision="float32")
    T = 4.0
    sim.run(T)
    # within 0.5 % of the analytic rate, give or take the one spike a finite window may cut off
    assert np.all(np.abs(sim.data[sp].rates() - lif.rates(J)) <= 0.005 * lif.rates(J) + 1 / T)


def test_float32_cuba_statistics_match_float64():
    """The benchmark network: mean rate and mean ISI CV in float32 within 5 % of float64."""
    import cuba
    import stats

    results = {}
    for precision in ("float64", "float32"):
        net, pe, pi = cuba.build_cuba(seed=1)
        sim = snn.Simulator(net, dt=cuba.DT, precision=precision)
        sim.run(cuba.DURATION)
        neurons = np.concatenate([sim.data[pe].neurons, cuba.N_E + sim.data[pi].neurons])
        times = np.concatenate([sim.data[pe].times, sim.data[pi].times])
        results[precision] = (stats.mean_rate(neurons, times, cuba.N_E + cuba.N_I, cuba.DURATION),
                              stats.mean_cv_isi(neurons, times, cuba.N_E + cuba.N_I))
    (r64, cv64), (r32, cv32) = results["float64"], results["float32"]
    assert 4.0 < r64 < 8.0 and 0.4 < cv64 < 0.7          # the CUBA regime (Brian2: about 5.7 Hz, CV 0.53)
    assert r32 == pytest.approx(r64, rel=0.05) and cv32 == pytest.approx(cv64, rel=0.05)


def test_float32_flushes_decayed_currents_to_zero_instead_of_denormals():
    results = {}
    for precision in ("float64", "float32"):
        net = snn.Network(seed=0)
        kick = net.spike_times(1, [0.001])
        pop = net.population(4, snn.LIF())
        net.connect(kick, pop, weights=0.5, synapse=snn.ExpSynapse(5 * ms))
        sim = snn.Simulator(net, dt=0.1 * ms, precision=precision)
        sim.run(0.5)                 # 5000 steps: 0.5 * exp(-100) is 2e-44, below float32's normal range
        results[precision] = sim._I.copy()
    assert np.all(results["float32"] == 0.0)
    assert np.all(results["float64"] > 0.0) and np.all(results["float64"] < 1e-40)


def test_bad_precision_is_refused():
    net, _ = mixed_model()
    with pytest.raises(ValueError, match="'float64' or 'float32'"):
        snn.Simulator(net, precision="float16")


# -- pins of the generated kernel's own results (recorded before the speed work of 2026-11-29) -----------

def cuba_result(stdp=False, precision="float64", t=0.1):
    """CUBA (with STDP on the excitatory synapses if `stdp`) for `t` s: spikes, voltages, weights, counts."""
    import cuba

    net, pe, pi = cuba.build_cuba(seed=1, stdp=stdp)
    sim = snn.Simulator(net, dt=cuba.DT, precision=precision)
    sim.run(t)
    return [sim.data[pe].times.tolist(), sim.data[pe].neurons.tolist(), sim.data[pi].neurons.tolist(),
            sim._v.astype(float).tolist(), sim._w.tolist(), sim.counts["plasticity_updates"]]


# recorded with the generated kernel at b92324b (a call per spike, tuple fields read in the loops, no shared
# traces): the restructured delivery and the hoisted fields must not change one bit, in either precision
GENERATED_KERNEL = {
    "cuba_stdp_0.1s": "0f9568fc6c3fa53e761d435ed3b12a3dd54f8c79b62962fc3d4e5008e9e068c7",
    "cuba_f32_0.3s": "e80b46065ea07701bc477b2a994ea1ebd1e1ab97ab0eede7ae04b159582f8ee9",
}


def test_cuba_stdp_float64_bit_identical_to_the_first_generated_kernel():
    out = cuba_result(stdp=True)
    assert len(out[0]) > 300 and out[-1] > 100_000           # spikes and many weight updates
    assert digest(out) == GENERATED_KERNEL["cuba_stdp_0.1s"]


def test_cuba_float32_identical_to_the_first_generated_kernel():
    out = cuba_result(precision="float32", t=0.3)
    assert len(out[0]) > 1000
    assert digest(out) == GENERATED_KERNEL["cuba_f32_0.3s"]
