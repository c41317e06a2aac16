"""Edge codes (`snnlib.sim.edge_codes`): a static network whose connections each have one weight keeps one
integer per synapse (slot in the low bits, index into a table of weight x gain above them) instead of a slot
and a weight. Checked: which networks get codes and of what width; that a code decodes to the slot and the
bits of the weight the uncoded layout holds; that a run with codes gives the same spikes, voltages and
synaptic state as the same network without them (float32 and float64, one and two threads, both builder
paths), with and without the JIT; and that the memory model counts the codes' bytes."""

import json

import numpy as np
import pytest
import scipy.sparse as sparse

import snnlib as snn
from snnlib.sim import builder, codegen, edge_codes, memory
from snnlib.units import ms


def cuba_like(n_e=80, n_i=20, p=0.1, w_e=0.06, w_i=-0.3, seed=2):
    """Two populations, excitatory and inhibitory random connections of one weight each (CUBA's shape),
    driven to fire by their bias."""
    net = snn.Network(seed=seed)
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=2 * ms)
    rng = np.random.default_rng(seed)
    exc = net.population(n_e, lif, bias=rng.uniform(0.9, 1.3, n_e), label="exc")
    inh = net.population(n_i, lif, bias=rng.uniform(0.9, 1.3, n_i), label="inh")
    ge, gi = snn.ExpSynapse(5 * ms), snn.ExpSynapse(10 * ms)
    for post in (exc, inh):
        net.connect_random(exc, post, p=p, weight=w_e, synapse=ge)
        net.connect_random(inh, post, p=p, weight=w_i, synapse=gi)
    return net


def many_weights():
    """Every kind of one-weight connection: random, dense with one weight, a sparse matrix of equal entries,
    a Poisson source; four distinct weight x gain values (two index bits above the slots)."""
    net = cuba_like()
    exc, inh = net.populations
    src = net.poisson(30, rate=50.0, label="src")
    net.connect(exc, inh, weights=0.004, synapse=snn.ExpSynapse(3 * ms))
    W = sparse.random(80, 30, density=0.2, random_state=3, format="csr")
    W.data[:] = 0.07 * 3 * ms          # an area-normalised synapse: its gain 1 / tau (not 1) is in the table
    net.connect(src, exc, weights=W, synapse=snn.ExpSynapse(3 * ms, normalize="area"))
    return net


def _run(net_fn, precision, threads, monkeypatch=None, coded=True, duration=0.2):
    """(spike steps and neurons, final voltages, synaptic state, the built model) of a fresh network."""
    if not coded:
        monkeypatch.setattr(edge_codes, "plan", lambda *a: None)
    net = net_fn()
    probes = [net.probe(p, "spikes") for p in net.populations]
    sim = snn.Simulator(net, dt=0.1 * ms, precision=precision, threads=threads)
    sim.run(duration)
    spikes = [(sim.data[p].times.tolist(), sim.data[p].neurons.tolist()) for p in probes]
    if not coded:
        monkeypatch.undo()
    return spikes, sim._state.ns[0].copy(), sim._state.ss[0].copy(), sim.model


def test_cuba_like_network_gets_16_bit_codes_and_no_weights():
    m = builder.build(cuba_like(), 1e-4, "float32")
    assert m.edge_slot.dtype == np.uint16 and m.edge_weff.size == 0
    assert m.code_bits == int(m.n_slots - 1).bit_length()
    assert m.edge_wtab.dtype == np.float32 and len(m.edge_wtab) == 2     # w_e x gain_e, w_i x gain_i
    assert int(m.edge_slot.max()) >> m.code_bits == 1


@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_codes_decode_to_the_uncoded_slots_and_weights(monkeypatch, precision):
    m = builder.build(many_weights(), 1e-4, precision)
    assert m.edge_slot.dtype == np.uint16 and len(m.edge_wtab) == 4
    ft = np.dtype(precision).type
    assert ft(0.07 * 3 * ms * (1 / (3 * ms))) in m.edge_wtab and ft(-0.3) in m.edge_wtab
    monkeypatch.setattr(edge_codes, "plan", lambda *a: None)
    ref = builder.build(many_weights(), 1e-4, precision)
    assert ref.edge_wtab is None and ref.edge_slot.dtype == np.int32 and ref.edge_weff.size == ref.n_edges
    codes = m.edge_slot.astype(np.int64)
    assert np.array_equal(codes & ((1 << m.code_bits) - 1), ref.edge_slot)
    w = m.edge_wtab[codes >> m.code_bits]
    assert w.dtype == ref.edge_weff.dtype and np.array_equal(w.view(np.uint8), ref.edge_weff.view(np.uint8))
    assert np.array_equal(m.pre_ptr, ref.pre_ptr)


def test_codes_beyond_16_bits_are_int32():
    net = snn.Network(seed=1)
    big = net.population(70_000, snn.LIF(), label="big")
    net.connect_random(big, big, p=2e-5, weight=0.01)
    m = builder.build(net, 1e-4, "float32")
    assert m.edge_slot.dtype == np.int32 and m.edge_weff.size == 0 and m.code_bits == 17
    assert edge_codes.code_bytes(net, m.n_slots) == 4


@pytest.mark.parametrize("case", ["plastic", "presynaptic", "varied", "signed_zero"])
def test_networks_that_need_a_weight_per_synapse_keep_it(case):
    net = cuba_like()
    exc, inh = net.populations
    if case == "plastic":
        net.connect_random(exc, exc, p=0.05, weight=0.01, plasticity=snn.STDP())
    elif case == "presynaptic":
        net.connect_random(exc, inh, p=0.05, weight=0.01, presynaptic=snn.TsodyksMarkram())
    elif case == "varied":
        net.connect(exc, inh, weights=np.random.default_rng(0).normal(0, 0.01, (20, 80)))
    else:       # equal values of different sign bits would round to different bits
        W = sparse.csr_matrix((np.array([0.0, -0.0]), np.array([0, 1]), np.array([0, 1, 2])), shape=(2, 2))
        a, b = net.population(2, label="a"), net.population(2, label="b")
        net.connect(a, b, weights=W)
    m = builder.build(net, 1e-4, "float32")
    assert m.edge_wtab is None and m.edge_slot.dtype == np.int32 and m.edge_weff.size == m.n_edges
    assert edge_codes.code_bytes(net, m.n_slots) is None


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("precision", ["float32", "float64"])
@pytest.mark.parametrize("net_fn", [cuba_like, many_weights])
def test_a_run_with_codes_is_bit_identical_to_one_without(monkeypatch, net_fn, precision, threads):
    ref = _run(net_fn, precision, threads, monkeypatch, coded=False)
    got = _run(net_fn, precision, threads)
    assert got[3].edge_wtab is not None and ref[3].edge_wtab is None
    assert sum(len(t) for t, _ in got[0]) > 100               # the network is active
    assert got[0] == ref[0]
    assert np.array_equal(got[1].view(np.uint8), ref[1].view(np.uint8))
    assert np.array_equal(got[2].view(np.uint8), ref[2].view(np.uint8))


def test_the_compiled_builder_writes_the_same_codes(monkeypatch):
    """Above memory.NUMPY_SORT_EDGES edges the builder writes codes in compiled code, straight in their type."""
    monkeypatch.setattr(memory, "LEGACY_DRAW_PAIRS", 0)
    monkeypatch.setattr(memory, "NUMPY_SORT_EDGES", 1 << 40)
    ref = builder.build(many_weights(), 1e-4, "float32")
    monkeypatch.setattr(memory, "NUMPY_SORT_EDGES", 0)
    got = builder.build(many_weights(), 1e-4, "float32")
    assert got.edge_slot.dtype == ref.edge_slot.dtype == np.uint16
    assert np.array_equal(got.edge_slot, ref.edge_slot) and np.array_equal(got.pre_ptr, ref.pre_ptr)
    assert got.edge_weff.size == 0 and np.array_equal(got.edge_wtab, ref.edge_wtab)


def test_the_coded_loop_reads_no_weight_per_synapse():
    sim = snn.Simulator(cuba_like(), dt=0.1 * ms, precision="float32")
    source = codegen.generate(sim._layout)
    assert "st_weff" not in source and "g_wtab[g_edge_slot[e] >> g_code_bits]" in source
    assert "coded" in repr(sim._layout.key)


def test_the_memory_model_counts_two_bytes_per_coded_synapse(monkeypatch):
    net = cuba_like(n_e=400, n_i=100)
    m = builder.build(net, 1e-4, "float32")             # drawn: the estimate counts the synapses
    est = memory.network_estimate(net, "float32")
    assert edge_codes.code_bytes(net, m.n_slots) == m.edge_slot.itemsize == 2
    E, N = est["synapse_count"], 500
    assert E == m.n_edges
    assert est["synapses"] == E * 2 + (N + 1) * 8
    monkeypatch.setattr(edge_codes, "code_bytes", lambda *a: None)
    assert memory.network_estimate(net, "float32")["synapses"] == E * 8 + (N + 1) * 8


def run_for_jit_check(precision):
    """Spike counts and final voltages of `many_weights` (codes), as JSON data."""
    net = many_weights()
    sim = snn.Simulator(net, dt=0.1 * ms, precision=precision)
    sim.run(0.1)
    assert sim.model.edge_wtab is not None
    return {"counts": np.asarray(sim._spike_count).tolist(), "v": sim._state.ns[0].astype(float).tolist()}


@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_codes_give_the_same_results_without_the_jit(precision):
    from nojit import run_without_jit

    assert run_without_jit("test_edge_codes", f"run_for_jit_check({precision!r})") == \
        json.loads(json.dumps(run_for_jit_check(precision)))


def _net_with(weights, n=6):
    """One population onto itself, a random connection per weight (one receptor: n slots)."""
    net = snn.Network(seed=1)
    a = net.population(n, label="a")
    for w in weights:
        net.connect_random(a, a, p=0.5, weight=w)
    return net


# (slots, distinct weights) -> (slot bits, code type or None): the narrowest codes at each boundary
WIDTHS = [(1, 1, 1, np.uint16), (2, 1, 1, np.uint16), (3, 1, 2, np.uint16), (256, 1, 8, np.uint16),
          (257, 1, 9, np.uint16), (2**15, 2, 15, np.uint16), (2**15, 3, 15, np.int32), (2**16, 1, 16, np.uint16),
          (2**16, 2, 16, np.int32), (2**16 + 1, 1, 17, np.int32), (2**30, 2, 30, np.int32), (2**30, 3, 30, None),
          (2**31, 1, 31, np.int32)]


@pytest.mark.parametrize("n_slots, n_values, bits, dtype", WIDTHS)
def test_codes_are_as_narrow_as_the_slots_and_weights_allow(n_slots, n_values, bits, dtype):
    """Slot bits = bit length of the largest slot (at least 1), index bits = that of the largest weight index;
    16 bits or fewer: uint16, up to 31: int32, more: no codes. The memory model agrees (2, 4 bytes or None)."""
    net = _net_with([0.01 * (k + 1) for k in range(n_values)])
    got = edge_codes.plan(net, [1.0] * n_values, np.float32, n_slots)
    if dtype is None:
        assert got is None
    else:
        assert (got.bits, got.dtype, len(got.wtab)) == (bits, dtype, n_values)
        assert got.wid == list(range(n_values))
    assert edge_codes.code_bytes(net, n_slots) == {None: None, np.uint16: 2, np.int32: 4}[dtype]


def test_a_connection_of_one_synapse_is_coded_and_an_empty_one_keeps_weights():
    net = _net_with([0.01])
    a = net.populations[0]
    net.connect(a, a, weights=sparse.csr_matrix(([0.5], ([2], [3])), shape=(6, 6)))
    m = builder.build(net, 1e-4, "float64")
    assert m.edge_wtab is not None and 0.5 in m.edge_wtab and len(m.edge_wtab) == 2
    net.connect(a, a, weights=sparse.csr_matrix((6, 6)))                 # no synapse: nothing to share
    assert edge_codes.one_weight(net.connections[-1]) is None
    assert builder.build(net, 1e-4, "float64").edge_wtab is None


def test_a_weight_beyond_float32_is_coded_quietly_and_refused_plainly():
    """The table entry overflows to inf without a numpy warning; the Simulator's finite check then refuses the
    network with its own message (snnlib.sim.finite)."""
    import warnings

    net = _net_with([1e39])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = builder.build(net, 1e-4, "float32")
    assert np.isinf(m.edge_wtab[0])
    with pytest.raises(snn.NonFiniteError, match="weight"):
        snn.Simulator(net, dt=1e-4, precision="float32")


def test_one_slot_bit_and_two_to_the_fifteen_weights_fill_sixteen_bits():
    """The index bits count as well when the slots need only one bit (a stand-in network: 32,768 connections
    of one synapse, each with its own weight, are all `plan` and `code_bytes` read)."""
    from types import SimpleNamespace as Fake

    def conn(w):        # a random connection's spec as RandomWeights has it: its weight, and values() = [weight]
        spec = Fake(kind="random", weight=w, values=lambda: np.array([w]))
        return Fake(plasticity=None, presynaptic=None, synapse=syn, spec=spec)

    syn = snn.ExpSynapse(5 * ms)
    conns = [conn(float(k)) for k in range(2**15)]
    net = Fake(connections=conns)
    got = edge_codes.plan(net, [1.0] * len(conns), np.float32, 2)
    assert (got.bits, got.dtype) == (1, np.uint16) and edge_codes.code_bytes(net, 2) == 2
    conns.append(conn(-1.0))
    assert edge_codes.plan(net, [1.0] * len(conns), np.float32, 2).dtype == np.int32
    assert edge_codes.code_bytes(net, 2) == 4


def test_the_size_guard_suggests_float32_only_where_it_would_shrink_the_synapses():
    """A float64 synapse of slot and weight takes 12 bytes, 8 in float32: the refusal says so. A code (2 or 4
    bytes) is the same in both precisions: no such hint."""
    coded, varied = cuba_like(), cuba_like()
    varied.connect(*varied.populations, weights=np.random.default_rng(0).normal(0, 0.01, (20, 80)))
    hint = "precision='float32' stores a synapse in 8 bytes instead of 12"
    with pytest.raises(snn.ModelMemoryError) as info:
        snn.Simulator(coded, memory_limit=10_000)
    assert hint not in str(info.value) and memory.network_estimate(coded)["synapse_bytes"] == 2
    with pytest.raises(snn.ModelMemoryError, match=r"precision='float32' stores a synapse in 8 bytes instead"):
        snn.Simulator(varied, memory_limit=10_000)
    assert memory.network_estimate(varied)["synapse_bytes"] == 12
