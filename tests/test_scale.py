"""Large networks: the compact synapse layout, the compiled random draw, and the two memory guards (issue 22,
issue 18's memory items). Sizes here are small; benchmarks/scaling.py measures the large ones."""

import time
import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sparse

import snnlib as snn
from snnlib.sim import builder, memory
from snnlib.units import GiB, MiB, ms


def _mixed(seed=3):
    """Dense (array and scalar), sparse and random connections, a source, two synaptic kinds."""
    net = snn.Network(seed=seed)
    a = net.population(60, bias=1.2, label="a")
    b = net.population(45, bias=0.8, label="b")
    src = net.poisson(30, rate=40.0, label="src")
    rng = np.random.default_rng(0)
    net.connect_random(a, a, p=0.2, weight=-0.05, autapses=False)
    net.connect_random(src, b, p=0.3, weight=0.4, synapse=snn.ExpSynapse(3 * ms))
    net.connect(a, b, weights=rng.normal(0, 0.1, (45, 60)), synapse=snn.ExpSynapse(3 * ms))
    net.connect(b, a, weights=0.02)
    net.connect(src, a, weights=sparse.random(60, 30, density=0.25, random_state=1, format="csr"))
    net.connect_random(b, b, p=0.1, weight=0.03, synapse=snn.ExpSynapse(8 * ms))
    return net, a, b


def _edges(net, precision):
    m = builder.build(net, 1e-3, precision)
    return m.pre_ptr, m.edge_slot, m.edge_weff, [d.tolist() for d in m.conn_outdeg]


@pytest.mark.parametrize("precision", ["float64", "float32"])
@pytest.mark.parametrize("legacy_pairs", [memory.LEGACY_DRAW_PAIRS, 0])
def test_compiled_layout_equals_the_sorted_numpy_layout(monkeypatch, precision, legacy_pairs):
    """The compiled two-pass layout writes every edge where a stable sort by presynaptic index puts it, with
    the same weight x gain in the state's precision (also for the compiled random draw, legacy_pairs=0)."""
    monkeypatch.setattr(memory, "LEGACY_DRAW_PAIRS", legacy_pairs)
    net, _, _ = _mixed()
    monkeypatch.setattr(memory, "NUMPY_SORT_EDGES", 1 << 40)
    ref = _edges(net, precision)
    monkeypatch.setattr(memory, "NUMPY_SORT_EDGES", 0)
    got = _edges(net, precision)
    for r, g in zip(ref, got):
        if isinstance(r, list):
            assert r == g
        else:
            assert r.dtype == g.dtype and np.array_equal(r, g)
    assert got[1].dtype == np.int32 and got[2].dtype == np.dtype(precision)


def test_static_network_keeps_no_per_edge_arrays_only_plasticity_needs():
    net, a, b = _mixed()
    m = builder.build(net, 1e-3, "float32")
    assert m.edge_slot.dtype == np.int32 and m.edge_weff.dtype == np.float32
    for name in ("edge_w", "edge_gain", "edge_conn", "edge_pre", "edge_post", "edge_origin", "edge_rule", "edge_pm"):
        assert getattr(m, name).size == 0, name
    net.connect_random(a, b, p=0.1, weight=0.01, plasticity=snn.STDP())
    m = builder.build(net, 1e-3, "float32")
    assert m.edge_w.size == m.n_edges == m.edge_pre.size


def test_compiled_draw_is_independent_bernoulli_and_seeded(monkeypatch):
    monkeypatch.setattr(memory, "LEGACY_DRAW_PAIRS", 0)
    n, p = 1500, 0.04

    def draw(seed, autapses=True, prob=p):
        net = snn.Network(seed=seed)
        pop = net.population(n)
        return net.connect_random(pop, pop, p=prob, weight=1.0, autapses=autapses).weights

    W = draw(1)
    k, pairs = W.nnz, n * n
    assert abs(k - p * pairs) < 5 * np.sqrt(pairs * p * (1 - p))
    deg = np.diff(W.tocsc().indptr)                   # out-degree of each presynaptic neuron: Binomial(n, p)
    assert abs(deg.mean() - n * p) < 5 * np.sqrt(n * p * (1 - p) / n)
    assert deg.var() == pytest.approx(n * p * (1 - p), rel=0.15)
    rows = np.diff(W.indptr)                          # in-degrees: Binomial too (no bias across targets)
    assert rows.var() == pytest.approx(n * p * (1 - p), rel=0.15)
    assert (draw(1) != W).nnz == 0
    assert (draw(2) != W).nnz > 0
    assert draw(1, autapses=False).diagonal().sum() == 0
    assert draw(1, prob=1.0).nnz == pairs and draw(1, prob=0.0).nnz == 0


def test_small_random_connections_keep_numpy_draw():
    """Every lesson and test network is below LEGACY_DRAW_PAIRS: the draw they were made with."""
    from snnlib.model.connectivity import random_csr

    net = snn.Network(seed=4)
    pop = net.population(500)
    conn = net.connect_random(pop, pop, p=0.05, weight=0.5)
    ref = random_csr(500, 500, 0.05, 0.5, np.random.default_rng([4, 7919, 0]))
    assert (conn.weights != ref).nnz == 0


# -- the model-size guard -------------------------------------------------------------------------------------
def test_a_model_too_big_is_refused_at_build_with_its_estimate_and_what_to_do():
    net = snn.Network(seed=1)
    pop = net.population(100_000)
    t0 = time.perf_counter()
    net.connect_random(pop, pop, p=0.9, weight=0.1)      # 9e9 synapses (36 GB as 32-bit codes): nothing drawn yet
    with pytest.raises(snn.ModelMemoryError) as info:
        snn.Simulator(net)
    assert time.perf_counter() - t0 < 5                  # refused from the estimate, nothing allocated
    msg = str(info.value)
    assert "9,000,000,000 synapses" in msg and "GiB" in msg
    assert "memory_limit" in msg and "fewer neurons" in msg


def test_dense_scalar_connection_allocates_nothing_and_limit_is_enforced():
    net = snn.Network(seed=1)
    a, b = net.population(20_000), net.population(20_000)
    net.connect(a, b, weights=0.01)                      # 4e8 synapses, 3.2 GB as a dense array
    assert net.connections[0].spec.is_scalar
    # one weight: 16-bit codes (sim/edge_codes), 2 bytes per synapse, 0.8 GB
    assert memory.network_estimate(net)["synapses"] >= 400_000_000 * 2
    with pytest.raises(snn.ModelMemoryError, match=r"400,000,000 synapses.*over the limit of 512 MiB"):
        snn.Simulator(net, memory_limit=GiB // 2)


def test_memory_limit_refuses_just_above_the_estimate_and_accepts_at_it():
    net = snn.Network(seed=1)
    pop = net.population(400)
    conn = net.connect_random(pop, pop, p=0.1, weight=0.01)
    expected = memory.network_estimate(net, "float64")
    assert expected["synapse_count"] == 400 * 400 * 0.1              # before the draw: p x pairs
    conn.n_synapses                                                  # drawn: the estimate uses the count
    est = memory.network_estimate(net, "float64")["total"]
    snn.Simulator(net, memory_limit=est)
    with pytest.raises(snn.ModelMemoryError):
        snn.Simulator(net, memory_limit=est - 1)
    with pytest.raises(TypeError, match="memory_limit"):
        snn.Simulator(net, memory_limit="lots")


def test_a_billion_neurons_are_refused_before_allocating():
    net = snn.Network(seed=1)
    with pytest.raises(snn.ModelMemoryError, match="population.*fewer neurons"):
        net.population(10**9)


# -- the probe guard ------------------------------------------------------------------------------------------
def test_network_without_probes_never_meets_the_probe_budget():
    net = snn.Network(seed=2)
    pop = net.population(3000, bias=1.5)
    net.connect_random(pop, pop, p=0.01, weight=0.01)
    sim = snn.Simulator(net, probe_memory_limit=1)       # one byte: any probe memory would be refused
    sim.run(0.05)
    assert sim.counts["spikes"] > 0
    assert sum(sim.probe_memory(10**6)[0].values()) == 0


def test_probe_budget_bounds_the_real_peak_of_growing_probes():
    """The budget is checked against what the probes hold at their peak (old and new buffer while growing);
    the memory traced during runs stays within 20 % of that figure."""
    net = snn.Network(seed=2)
    pop = net.population(500, bias=1.5)
    vp = net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=100000)
    sim.run(0.2)
    est = sum(sim.probe_memory(2000)[0].values())
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    sim.run(2.0)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    assert 0.8 * est <= peak <= 1.2 * est, (peak, est)
    assert sim.data[vp].shape == (2200, 500)
    tight = snn.Simulator(net, dt=1e-3, probe_memory_limit=int(0.9 * est))
    tight.run(0.2)
    with pytest.raises(snn.ProbeMemoryError, match=r"dense probes .* MiB.*voltage of 500 neurons"):
        tight.run(2.0)


def test_probe_data_reads_only_the_probe_asked_for():
    net = snn.Network(seed=2)
    pop = net.population(50, bias=1.5)
    sp, vp = net.probe(pop), net.probe(pop, "voltage")
    sim = snn.Simulator(net)
    sim.run(0.1)
    assert set(sim.data) == {sp, vp} and len(sim.data) == 2
    assert sim.data[vp].shape == (100, 50) and len(sim.data[sp]) > 0
    assert dict(sim.data.items()).keys() == {sp, vp}
