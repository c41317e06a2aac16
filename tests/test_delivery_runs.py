"""The serial delivery of a network with a learning rule takes each spike's edges in runs of one rule instance
(groups.rule_runs, codegen_delivery._deliver_runs, session 11): the edge loops read no per-edge rule index.

The results must be the bits of the per-edge delivery: checked against the threaded loop (which keeps the
per-edge delivery of codegen_delivery._deliver, partitioned between threads) on a network whose presynaptic
neurons have static and plastic runs in turn; tests/test_cuba_stdp_bits.py pins CUBA+STDP's bits as recorded with
main at 31e6cc3 (before the runs), in float32 and float64."""

import hashlib

import numpy as np
import pytest

import snnlib as snn
from snnlib.sim import codegen, groups
from snnlib.units import ms


def test_rule_runs_cover_each_neurons_edges_in_maximal_runs_of_one_rule():
    # neuron 0: static, static, rule 0, rule 0, static; neuron 1: no edge; neuron 2: rule 1, rule 0; neuron 3: static
    pre_ptr = np.array([0, 5, 5, 7, 8])
    edge_rule = np.array([-1, -1, 0, 0, -1, 1, 0, -1], np.int32)
    run_ptr, run_edge, run_rule = groups.rule_runs(pre_ptr, edge_rule)
    assert run_ptr.tolist() == [0, 3, 3, 5, 6]
    assert run_edge.tolist() == [0, 2, 4, 5, 6, 7, 8]
    assert run_rule.tolist() == [-1, 0, -1, 1, 0, -1]
    # a run never crosses a neuron's boundary, even where the rule does not change (neuron 3 after neuron 2's
    # last edge would continue a static run of neuron 0's kind): checked on random tables against the definition
    rng = np.random.default_rng(3)
    for _ in range(20):
        deg = rng.integers(0, 6, size=12)
        pre_ptr = np.concatenate([[0], np.cumsum(deg)])
        edge_rule = rng.choice([-1, -1, 0, 1], size=pre_ptr[-1]).astype(np.int32)
        run_ptr, run_edge, run_rule = groups.rule_runs(pre_ptr, edge_rule)
        for j in range(len(deg)):
            runs = range(run_ptr[j], run_ptr[j + 1])
            covered = [e for q in runs for e in range(run_edge[q], run_edge[q + 1])]
            assert covered == list(range(pre_ptr[j], pre_ptr[j + 1]))
            for q in runs:
                assert run_edge[q] < run_edge[q + 1]
                assert (edge_rule[run_edge[q]:run_edge[q + 1]] == run_rule[q]).all()
                if q > run_ptr[j]:
                    assert run_rule[q] != run_rule[q - 1]       # maximal


def test_no_rule_no_runs():
    run_ptr, run_edge, run_rule = groups.rule_runs(np.array([0, 3, 4]), np.zeros(0, np.int32))
    assert run_ptr.tolist() == [0, 0, 0] and len(run_rule) == 0


def _interleaved():
    """A presynaptic population with a static, a plastic, another static and another plastic connection (two
    rule rows), so that its neurons' edges alternate static and plastic runs."""
    net = snn.Network(seed=7)
    src = net.poisson(40, rate=70.0)
    pre = net.population(30, snn.LIF(), label="pre")
    a = net.population(20, snn.LIF(), label="a")
    b = net.population(20, snn.LIF(), label="b")
    syn = snn.ExpSynapse(5 * ms)
    net.connect_random(src, pre, p=0.4, weight=0.3, synapse=syn)
    net.connect_random(src, a, p=0.3, weight=0.25, synapse=syn)
    net.connect_random(src, b, p=0.3, weight=0.25, synapse=syn)
    net.connect_random(pre, a, p=0.3, weight=0.04, synapse=snn.ExpSynapse(10 * ms))
    net.connect_random(pre, a, p=0.4, weight=0.06, synapse=syn, plasticity=snn.STDP(a_plus=0.02, a_minus=0.021,
                                                                                       w_max=0.2))
    net.connect_random(pre, b, p=0.3, weight=-0.02, synapse=snn.ExpSynapse(10 * ms))
    net.connect_random(pre, b, p=0.4, weight=0.06, synapse=syn, plasticity=snn.STDP(a_plus=0.03, tau_minus=30 * ms,
                                                                                       w_max=0.2))
    net.connect_random(a, pre, p=0.2, weight=0.05, synapse=syn, plasticity=snn.STDP(w_max=0.2))
    return net


def _digest(sim):
    """Weights, v, spike counts and every trace block."""
    h = hashlib.sha256()
    for a in (sim._state.w, sim._state.ns[0], np.asarray(sim._spike_count)):
        h.update(np.ascontiguousarray(a).tobytes())
    for L in sim._rules:
        for tr in L.pre_tr + L.post_tr:
            h.update(tr.tobytes())
    return h.hexdigest()


def test_the_serial_loop_delivers_in_runs():
    sim = snn.Simulator(_interleaved(), dt=0.1 * ms)
    g = sim._graph
    assert len(g.run_rule) > 3 * 30          # pre's 30 neurons: four runs each, the sources one
    source = codegen.generate(sim._layout)
    deliver = source[source.index("for z in range(n_spk):"):source.index("st_counters[2] = n_spk")]
    assert "g_edge_rule" not in deliver and "for q in range(g_run_ptr[j], g_run_ptr[j + 1]):" in deliver


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_runs_give_the_bits_of_the_per_edge_delivery(precision):
    out = []
    for threads in (None, 2):        # 2 threads: codegen_delivery._deliver's per-edge lines, partitioned
        sim = snn.Simulator(_interleaved(), dt=0.1 * ms, precision=precision, threads=threads)
        sim.run(0.15)
        sim.run(0.1)
        out.append(_digest(sim))
        assert sim.counts["plasticity_updates"] > 5000 and int(np.asarray(sim._spike_count)[:30].sum()) > 200
    assert out[0] == out[1]
