"""Simulator behaviour: inputs, synapses, sources, connections, probes, counts, seeds, memory guard."""

import numpy as np
import pytest

import snnlib as snn
from snnlib.units import ms


def test_exponential_synapse_impulse_response_peak_and_area():
    for normalize in ("peak", "area"):
        net = snn.Network(seed=0)
        src = net.spike_times(1, [0.010])
        pop = net.population(1, snn.LIF())
        tau, w = 5 * ms, 0.3
        net.connect(src, pop, weights=w, synapse=snn.ExpSynapse(tau, normalize=normalize))
        cp = net.probe(pop, "current")
        sim = snn.Simulator(net, dt=0.1 * ms)
        sim.run(0.05)
        t, I = sim.trange(cp), sim.data[cp][:, 0]
        jump = w if normalize == "peak" else w / tau
        # the spike stamped at 10 ms reaches the current at the end of its step: drive from the next step on
        expected = np.where(t > 0.0100001, jump * np.exp(-(t - 0.0101) / tau), 0.0)
        assert np.allclose(I, expected, rtol=1e-9, atol=1e-12)
        area = I.sum() * sim.dt
        assert area == pytest.approx(w * tau if normalize == "peak" else w, rel=0.02)


def test_step_and_time_function_inputs_reach_the_drive():
    net = snn.Network(seed=0)
    pop = net.population(2, snn.LIF(), bias=[0.1, 0.2])
    net.input(pop, snn.Step(t_on=0.005, after=0.5))
    net.input(pop, lambda t: np.sin(2 * np.pi * 10 * t) * 0.1, gain=[1.0, 2.0])
    dp = net.probe(pop, "drive")
    sim = snn.Simulator(net, dt=1e-3)
    sim.run(0.02)
    t_start = np.arange(20) * 1e-3            # inputs are evaluated at each step's start
    expected = np.array([0.1, 0.2]) + np.where(t_start >= 0.005, 0.5, 0.0)[:, None] \
        + np.sin(2 * np.pi * 10 * t_start)[:, None] * 0.1 * np.array([1.0, 2.0])
    assert np.allclose(sim.data[dp], expected)


def test_poisson_source_rate_cv_and_fano_within_statistical_bounds():
    n, rate, T, dt = 200, 20.0, 10.0, 1e-3
    net = snn.Network(seed=42)
    src = net.poisson(n, rate=rate)
    sp = net.probe(src, "spikes")
    sim = snn.Simulator(net, dt=dt)
    sim.run(T)
    rec = sim.data[sp]
    expected = n * rate * T
    assert abs(len(rec) - expected) < 4 * np.sqrt(expected)
    cvs = [np.std(np.diff(tr)) / np.mean(np.diff(tr)) for tr in rec.trains()]
    p = rate * dt          # Bernoulli per step: ISI is geometric, CV = sqrt(1 - p), Fano = 1 - p
    assert np.mean(cvs) == pytest.approx(np.sqrt(1 - p), abs=0.03)
    counts = np.array([np.histogram(tr, bins=np.arange(0, T + 1e-9, 0.5))[0] for tr in rec.trains()]).ravel()
    assert counts.var() / counts.mean() == pytest.approx(1 - p, abs=0.06)


def test_time_varying_poisson_rate():
    net = snn.Network(seed=1)
    src = net.poisson(500, rate=lambda t: 50.0 if t < 0.5 else 5.0)
    sp = net.probe(src, "spikes")
    sim = snn.Simulator(net, dt=1e-3)
    sim.run(1.0)
    times = sim.data[sp].times
    first, second = np.sum(times <= 0.5) / (500 * 0.5), np.sum(times > 0.5) / (500 * 0.5)
    assert first == pytest.approx(50, rel=0.05) and second == pytest.approx(5, rel=0.15)


def cuba_like(seed, n=400, T=0.2):
    net = snn.Network(seed=seed)
    pop = net.population(n, snn.LIF(), bias=1.1, v_init=snn.Uniform(0, 1))
    src = net.poisson(50, rate=30.0)
    net.connect_random(src, pop, p=0.1, weight=0.5)
    net.connect_random(pop, pop, p=0.05, weight=-0.05, synapse=snn.ExpSynapse(10 * ms))
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-3)
    sim.run(T)
    return sim, sim.data[sp]


def test_same_seed_same_spikes_other_seed_other_spikes():
    _, a = cuba_like(5)
    _, b = cuba_like(5)
    _, c = cuba_like(6)
    assert len(a) > 100
    assert np.array_equal(a.times, b.times) and np.array_equal(a.neurons, b.neurons)
    assert not (len(a) == len(c) and np.array_equal(a.neurons, c.neurons))


def test_run_in_pieces_equals_one_run_and_reset_repeats():
    sim1, rec1 = cuba_like(3, T=0.3)
    net_sim, _ = cuba_like(3, T=0.0)
    sp = net_sim.network.probes[0]
    for _ in range(3):
        net_sim.run(0.1)
    assert np.array_equal(net_sim.data[sp].times, rec1.times)
    net_sim.reset()
    net_sim.run(0.3)
    assert np.array_equal(net_sim.data[sp].neurons, rec1.neurons)


def test_chunking_does_not_change_results():
    net = snn.Network(seed=9)
    pop = net.population(50, snn.LIF(), bias=0.8)
    src = net.poisson(20, rate=40.0)
    net.connect_random(src, pop, p=0.3, weight=0.4)
    sp = net.probe(pop, "spikes")
    runs = []
    for chunk in (7, 2000):
        sim = snn.Simulator(net, dt=1e-3, chunk_steps=chunk)
        sim.run(0.5)
        runs.append(sim.data[sp].times)
    assert np.array_equal(*runs)


def test_random_connectivity_statistics_and_autapses():
    net = snn.Network(seed=2)
    pop = net.population(1000, snn.LIF())
    conn = net.connect_random(pop, pop, p=0.02, weight=0.1)
    expected = 0.02 * 1000 * 1000
    assert abs(conn.n_synapses - expected) < 4 * np.sqrt(expected)
    noself = net.connect_random(pop, pop, p=0.5, weight=0.1, autapses=False)
    assert noself.weights.diagonal().sum() == 0


def test_counts_equal_hand_counts():
    net = snn.Network(seed=0)
    src = net.spike_times(2, times=[0.0105, 0.0205, 0.0305], indices=[0, 1, 0])
    pop = net.population(3, snn.LIF())
    net.connect(src, pop, weights=np.zeros((3, 2)), label="dense")       # 2 x 3 = 6 synapses
    net.connect(src, pop, weights=__import__("scipy").sparse.csr_matrix(([1.0], ([2], [1])), shape=(3, 2)),
                label="sparse")                                          # source 1 -> neuron 2 only
    sim = snn.Simulator(net, dt=1e-3)
    sim.run(0.05)
    c = sim.counts
    assert c["neuron_updates"] == 3 * 50
    assert c["source_spikes"] == 3 and c["spikes"] == 0
    assert c["synaptic_events_by_connection"] == {"dense": 3 * 3, "sparse": 1}
    assert c["synaptic_events"] == 10 and c["synapses"] == 7


def test_weights_round_trip_dense_and_sparse():
    net = snn.Network(seed=0)
    a = net.population(3, snn.LIF())
    b = net.population(2, snn.LIF())
    W = np.arange(6.0).reshape(2, 3)
    dense = net.connect(a, b, weights=W)
    sparse = net.connect_random(b, a, p=0.5, weight=0.25)
    sim = snn.Simulator(net)
    assert np.array_equal(sim.weights(dense), W)
    assert np.array_equal(sim.weights(sparse).toarray(), sparse.weights.toarray())


def test_probe_subset_every_and_trange():
    net = snn.Network(seed=0)
    pop = net.population(10, snn.LIF(), bias=np.linspace(0, 3, 10))
    vp = net.probe(pop, "voltage", indices=[2, 7], every=5)
    sp = net.probe(pop, "spikes", indices=[9])
    sim = snn.Simulator(net, dt=1e-3)
    sim.run(0.1)
    assert sim.data[vp].shape == (20, 2)
    assert np.allclose(sim.trange(vp), np.arange(1, 21) * 5e-3)
    rec = sim.data[sp]
    assert set(rec.neurons) == {9} and rec.counts()[9] == len(rec)


def test_memory_guard_refuses_with_advice():
    net = snn.Network(seed=0)
    pop = net.population(1000, snn.LIF())
    net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=1e-3, probe_memory_limit=10 * 2**20)
    with pytest.raises(snn.ProbeMemoryError, match="indices=.*every="):
        sim.run(10.0)                          # 1000 neurons x 10000 samples x 8 B = 80 MB > 10 MiB
    sim.run(0.5)                               # 4 MB fits
    assert sim.data[net.probes[0]].shape == (500, 1000)


def test_spike_event_buffer_grows_and_guard_applies():
    net = snn.Network(seed=0)
    pop = net.population(200, snn.LIF(), bias=50.0)      # ~450 Hz each
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-3)
    sim.run(1.0)
    assert len(sim.data[sp]) == pytest.approx(200 * snn.LIF().rates(50.0), rel=0.01)
    small = snn.Simulator(net, dt=1e-3, probe_memory_limit=64 * 1024)
    with pytest.raises(snn.ProbeMemoryError, match="spike"):
        small.run(1.0)
