"""Operation counts of real runs (sim.counts) against hand counts, and the ANN/SNN crossover rate."""

import numpy as np
import pytest

import snnlib as snn
from snnlib.energy import OpCounts, break_even_rate, estimate, get_device
from snnlib.units import ms


def test_counts_equal_hand_counts_on_a_small_network():
    # 3 input sources fire 3 spikes in total; nothing else spikes (zero weights, no drive)
    net = snn.Network(seed=1)
    src = net.spike_times(3, times=[10.5 * ms, 30.5 * ms, 20.5 * ms], indices=[0, 0, 2])
    a = net.population(4, label="a")
    b = net.population(2, label="b")
    net.connect(src, a, weights=np.zeros((4, 3)), label="src->a")
    net.connect(src, b, weights=np.zeros((2, 3)), label="src->b")
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(50 * ms)
    c = sim.counts
    assert c["source_spikes"] == 3 and c["spikes"] == 0
    assert c["synaptic_events_by_connection"] == {"src->a": 3 * 4, "src->b": 3 * 2}
    assert c["synaptic_events"] == 18
    assert c["neuron_updates"] == 6 * 50
    ops = OpCounts.from_run(sim)
    assert (ops.connections, ops.neurons, ops.synaptic_events, ops.neuron_updates) == (12 + 6, 6, 18, 300)
    assert (ops.timesteps, ops.dt) == (50, pytest.approx(1e-3))
    loihi = estimate(ops, "loihi")["loihi"]
    assert loihi.total == pytest.approx(18 * 27.1e-12 + 300 * 81e-12)


def test_counts_of_spiking_neurons_follow_the_lif_rate():
    # 5 identical LIF neurons at J = 2 fire at 63.04 Hz (analytic); each spike reaches 3 targets
    net = snn.Network(seed=2)
    driven = net.population(5, bias=2.0, label="driven")
    targets = net.population(3, label="targets")
    net.connect(driven, targets, weights=0.0)
    sim = snn.Simulator(net, dt=0.1 * ms)
    sim.run(1.0)
    c = sim.counts
    rate = snn.LIF().rates(np.array([2.0]))[0]
    assert rate == pytest.approx(63.04, abs=0.01)
    assert abs(c["spikes"] - 5 * rate) <= 5  # each neuron within one spike of rate x T
    assert c["synaptic_events"] == 3 * c["spikes"]
    assert c["neuron_updates"] == 8 * 10000


def test_plasticity_updates_are_counted_per_pre_and_post_spike():
    # with STDP each presynaptic spike updates its out-degree of weights, each postsynaptic spike its in-degree
    net = snn.Network(seed=3)
    pre = net.spike_times(4, times=np.arange(1, 9) * 10 * ms, indices=np.arange(8) % 4)
    post = net.population(3, bias=1.5, label="post")
    conn = net.connect(pre, post, weights=0.1, plasticity=snn.STDP(w_max=1.0))
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(0.2)
    c = sim.counts
    assert c["source_spikes"] == 8 and c["spikes"] > 0
    assert c["plasticity_updates"] == c["source_spikes"] * 3 + c["spikes"] * 4
    assert not np.allclose(sim.weights(conn), 0.1)  # the rule really ran
    report = estimate(OpCounts.from_run(sim), ["loihi", "truenorth"])
    assert report["loihi"].plasticity_energy == pytest.approx(c["plasticity_updates"] * 120e-12)
    assert not report["truenorth"].feasible


def test_poisson_run_matches_the_keras_spiking_rate_convention():
    # 50 Poisson inputs at 20 Hz onto 10 neurons for 2 s: E[events] = 50 x 20 Hz x 2 s x 10
    n_in, n_out, rate, T = 50, 10, 20.0, 2.0
    net = snn.Network(seed=4)
    inp = net.poisson(n_in, rate=rate)
    out = net.population(n_out)
    net.connect(inp, out, weights=0.0)
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(T)
    measured = OpCounts.from_run(sim)
    expected = OpCounts.spiking([n_in, n_out], rate, timesteps=2000, dt=1e-3)
    sigma = np.sqrt(n_in * rate * T) * n_out  # Poisson count of input spikes, times the fan-out
    assert abs(measured.synaptic_events - expected.synaptic_events) < 5 * sigma
    assert measured.neuron_updates == expected.neuron_updates
    e_meas = estimate(measured, "loihi")["loihi"].total
    e_exp = estimate(expected, "loihi")["loihi"].total
    assert abs(e_meas - e_exp) < 5 * sigma * 27.1e-12
    assert measured.mean_rate == pytest.approx(rate, rel=5 * sigma / expected.synaptic_events)


def _snn_energy(rate_in, sizes, j_hidden, presentations, t_pres, seed):
    """Spiking version of an ANN [n_in, n_hid, n_out]: Poisson inputs at rate_in, hidden LIF at drive
    j_hidden (known analytic rate), zero-weight layers so the rates stay as set. Loihi J per inference."""
    n_in, n_hid, n_out = sizes
    net = snn.Network(seed=seed)
    inp = net.poisson(n_in, rate=rate_in)
    hid = net.population(n_hid, bias=j_hidden, v_init=snn.Uniform(0.0, 1.0))
    out = net.population(n_out)
    net.connect(inp, hid, weights=0.0)
    net.connect(hid, out, weights=0.0)
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(presentations * t_pres)
    ops = OpCounts.from_run(sim, n_inferences=presentations)
    return estimate(ops, "loihi")["loihi"].total, ops


def test_ann_and_spiking_version_cross_at_the_analytic_rate():
    sizes, j_hidden, t_pres, presentations = (64, 32, 10), 2.0, 0.1, 10
    c1, c2, n = 64 * 32, 32 * 10, 32 + 10
    steps = round(t_pres / 1e-3)
    r_hid = snn.LIF().rates(np.array([j_hidden]))[0]
    gpu, loihi = get_device("gpu"), get_device("loihi")
    e_ann = estimate(list(sizes), "gpu")["gpu"].total
    assert e_ann == pytest.approx(gpu.energy_per_synop * (c1 + c2) + gpu.energy_per_neuron * n)
    # analytic: e_syn (c1 r* + c2 r_hid) t_pres + e_neu n steps = E_ann
    r_star = ((e_ann - loihi.energy_per_neuron * n * steps) / (loihi.energy_per_synop * t_pres)
              - c2 * r_hid) / c1
    assert 20 < r_star < 150  # a plausible rate, so the test says something
    rates = np.array([0.5, 1.5]) * r_star
    energies = [_snn_energy(r, sizes, j_hidden, presentations, t_pres, seed=10 + k)[0]
                for k, r in enumerate(rates)]
    slope = (energies[1] - energies[0]) / (rates[1] - rates[0])
    r_measured = rates[0] + (e_ann - energies[0]) / slope
    # Poisson noise on ~1e5 input events per run: a few per cent
    assert r_measured == pytest.approx(r_star, rel=0.05)
    assert energies[0] < e_ann < energies[1]


def test_break_even_rate_of_a_uniform_run_matches_simulation():
    # all presynaptic neurons at the same rate: break_even_rate() is the crossover of the measured energy
    sizes, t_pres = (100, 20), 0.1
    probe_ops = OpCounts.spiking(list(sizes), 1.0, timesteps=100, dt=1e-3)
    r_star = break_even_rate(probe_ops, "loihi", "gpu")
    assert 20 < r_star < 200
    e_ann = estimate(list(sizes), "gpu")["gpu"].total
    below = _run_uniform(sizes, 0.7 * r_star, t_pres)
    above = _run_uniform(sizes, 1.3 * r_star, t_pres)
    assert below < e_ann < above


def _run_uniform(sizes, rate, t_pres):
    net = snn.Network(seed=5)
    inp = net.poisson(sizes[0], rate=rate)
    out = net.population(sizes[1])
    net.connect(inp, out, weights=0.0)
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(5 * t_pres)
    return estimate(OpCounts.from_run(sim, n_inferences=5), "loihi")["loihi"].total


def test_from_counts_refuses_bad_input():
    with pytest.raises(TypeError, match="sim.counts"):
        OpCounts.from_counts([1, 2, 3])
    with pytest.raises(ValueError, match="lacks"):
        OpCounts.from_counts({"steps": 3})
    net = snn.Network(seed=0)
    net.population(2)
    with pytest.raises(ValueError, match="has not run"):
        OpCounts.from_run(snn.Simulator(net))
    with pytest.raises(TypeError, match="Simulator"):
        OpCounts.from_run(object())


def test_timestepped_dense_pricing_and_per_inference_split():
    # a clock-driven simulation on a dense device computes every synapse and neuron every step
    net = snn.Network(seed=6)
    inp = net.poisson(8, rate=30.0)
    out = net.population(3)
    net.connect(inp, out, weights=0.0)
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(0.04)
    stepped = OpCounts.from_run(sim, timestepped=True)
    assert stepped.dense_passes == 40
    assert estimate(stepped, "cpu")["cpu"].total == pytest.approx(40 * 8.6e-9 * (8 * 3 + 3))
    once = OpCounts.from_run(sim, n_inferences=4)
    assert (once.dense_passes, once.timesteps) == (1, 10)
    assert once.synaptic_events == pytest.approx(sim.counts["synaptic_events"] / 4)
    assert estimate(once, "cpu")["cpu"].total == pytest.approx(8.6e-9 * (8 * 3 + 3))


def test_estimate_accepts_a_simulator_or_its_counts():
    net = snn.Network(seed=8)
    src = net.spike_times(2, times=[5 * ms, 6 * ms], indices=[0, 1])
    pop = net.population(3)
    net.connect(src, pop, weights=0.0)
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(0.01)
    expected = 2 * 3 * 27.1e-12 + 3 * 10 * 81e-12
    assert estimate(sim, "loihi")["loihi"].total == pytest.approx(expected)
    assert estimate(sim.counts, "loihi")["loihi"].total == pytest.approx(expected)
    with pytest.raises(TypeError, match="counts must be an OpCounts, sim.counts, a finished Simulator or a list of "
                                        "layer sizes"):
        estimate(3.5)


def test_connections_sharing_a_label_are_all_counted():
    # two connections with the same label: 2 spikes x (3 + 4) targets, none lost to the label clash
    net = snn.Network(seed=9)
    src = net.spike_times(2, times=[5 * ms, 6 * ms], indices=[0, 1])
    net.connect(src, net.population(3), weights=0.0, label="syn")
    net.connect(src, net.population(4), weights=0.0, label="syn")
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(0.01)
    assert sim.counts["synaptic_events"] == 2 * 3 + 2 * 4
    assert sim.counts["synaptic_events_by_connection"] == {"syn": 14}
