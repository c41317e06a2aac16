"""The serial loop's spike delivery requests the cache lines of a spike's edges AHEAD spikes early.

`jit.prefetch` is a hint (no value changes: the pinned CUBA digests of test_generated_kernel.py hold with it),
so what is checked here is that the generated loop asks for the right lines: those of the edge slots and
weights of the spike AHEAD places on in the step's spike list, and, in the scan, every line of a neuron's edges
as soon as it fires; only in the plain delivery (a learning rule's or presynaptic model's delivery is left as
it was). With a learning rule the scan asks for the plastic edges' lines and potentiation's lists instead."""

import re

import numpy as np
import pytest
import scipy.sparse as sparse

import snnlib as snn
from snnlib.sim import codegen, codegen_delivery
from snnlib.units import ms


def _net(plastic=False, varied=True):
    """Poisson sources onto LIF neurons; varied: the weights differ (a weight per synapse is kept), else one
    weight for all (the edges are codes: `snnlib.sim.edge_codes`)."""
    net = snn.Network(seed=3)
    src = net.poisson(50, rate=40.0)
    pop = net.population(30, snn.LIF())
    extra = {"plasticity": snn.STDP()} if plastic else {}
    if varied and not plastic:
        W = np.random.default_rng(3).uniform(0.03, 0.07, (30, 50)) * (np.random.default_rng(4).random((30, 50)) < 0.3)
        net.connect(src, pop, weights=sparse.csr_matrix(W), synapse=snn.ExpSynapse(5 * ms))
    else:
        net.connect_random(src, pop, p=0.3, weight=0.05, synapse=snn.ExpSynapse(5 * ms), **extra)
    return net


def _delivery(sim):
    source = codegen.generate(sim._layout)
    start = source.index("for z in range(n_spk):")
    return source[start:source.index("st_counters[2] = n_spk", start)]


@pytest.mark.parametrize("precision, weights_per_line", [("float64", 8), ("float32", 16)])
def test_plain_delivery_requests_the_edges_of_the_spike_ahead(precision, weights_per_line):
    sim = snn.Simulator(_net(), dt=0.1 * ms, precision=precision)
    body = _delivery(sim)
    ahead = codegen_delivery.AHEAD
    assert ahead >= 1
    m = re.search(rf"if z \+ {ahead} < n_spk:\n\s+b_ = g_pre_ptr\[st_spk_list\[z \+ {ahead}\]\]", body)
    assert m, body
    asked = re.findall(r"prefetch\((\w+), (b_(?: \+ \d+)?)\)", body)
    # the first two cache lines (64 bytes = 16 int32 slots, 8 float64 or 16 float32 weights) of both edge arrays
    assert sorted(asked) == sorted([("g_edge_slot", "b_"), ("st_weff", "b_"),
                                    ("g_edge_slot", "b_ + 16"), ("st_weff", f"b_ + {weights_per_line}")])
    sim.run(0.05)
    assert int(np.sum(sim._spike_count)) > 0      # the loop with the hints compiles and runs


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_coded_delivery_requests_the_first_two_lines_of_codes(precision):
    """With codes (one integer per synapse, no weight array) the spike AHEAD places on asks for the first two
    cache lines of its codes: 64 bytes hold 64 // itemsize of them (32 16-bit codes here)."""
    sim = snn.Simulator(_net(varied=False), dt=0.1 * ms, precision=precision)
    assert sim.model.edge_slot.dtype == np.uint16
    body = _delivery(sim)
    asked = re.findall(r"prefetch\((\w+), (b_(?: \+ [^)]+)?)\)", body)
    assert asked == [("g_edge_slot", "b_"), ("g_edge_slot", "b_ + 64 // g_edge_slot.itemsize")]
    sim.run(0.05)
    assert int(np.sum(sim._spike_count)) > 0


def test_a_learning_rule_keeps_its_own_delivery():
    sim = snn.Simulator(_net(plastic=True), dt=0.1 * ms)
    assert "prefetch(" not in _delivery(sim)


def _scan_on_fire(sim):
    """The generated lines run in the scan when neuron i fires (after it joins the spike list)."""
    source = codegen.generate(sim._layout)
    start = source.index("n_spk += 1", source.index("if fired:"))
    return source[start:source.index("words[w8] = 0", start)]


def test_a_firing_neuron_requests_every_line_of_its_edges():
    plain = _scan_on_fire(snn.Simulator(_net(), dt=0.1 * ms))
    assert re.findall(r"prefetch\((\w+), q_\)", plain) == ["g_edge_slot", "st_weff"]
    assert "for q_ in range(b_, g_pre_ptr[i + 1], 16):" in plain
    coded = _scan_on_fire(snn.Simulator(_net(varied=False), dt=0.1 * ms))
    assert re.findall(r"prefetch\((\w+), q_\)", coded) == ["g_edge_slot"]
    assert "for q_ in range(b_, g_pre_ptr[i + 1], 64 // g_edge_slot.itemsize):" in coded


def _two_rules():
    """Two connections with STDP onto the same population (two rule rows: potentiation's lists differ per row),
    and a static one."""
    net = snn.Network(seed=5)
    src = net.poisson(40, rate=60.0)
    pre = net.population(20, snn.LIF(), label="pre")
    post = net.population(20, snn.LIF(), label="post")
    syn = snn.ExpSynapse(5 * ms)
    net.connect_random(src, pre, p=0.5, weight=0.08, synapse=syn)
    net.connect_random(pre, post, p=0.5, weight=0.05, synapse=syn, plasticity=snn.STDP())
    net.connect_random(pre, pre, p=0.2, weight=0.03, synapse=syn, plasticity=snn.STDP(a_plus=0.02))
    net.connect_random(post, pre, p=0.2, weight=-0.02, synapse=snn.ExpSynapse(10 * ms))
    return net


def test_a_firing_neuron_with_a_rule_requests_its_plastic_edges_and_incoming_lists():
    """Session 10: with a learning rule the scan requests every line of what delivery and depression read for a
    plastic edge (slot, the float64 weight: two lines per 16 edges, postsynaptic index; no rule index since
    session 11: the serial delivery goes by runs) and the first line
    of each list of the neuron's incoming plastic edges that potentiation walks."""
    body = _scan_on_fire(snn.Simulator(_two_rules(), dt=0.1 * ms))
    assert "for q_ in range(b_, g_pre_ptr[i + 1], 16):" in body
    asked = re.findall(r"prefetch\((\w+), (q_(?: \+ \d+)?)\)", body)
    assert sorted(asked) == sorted([("g_edge_slot", "q_"), ("st_w", "q_"),
                                    ("st_w", "q_ + 8"), ("g_edge_post", "q_")])
    # potentiation's lists: the row of neuron i in the rule instance (the same expression potentiation uses)
    assert "for tq_ in range(g_post_rules_ptr[i], g_post_rules_ptr[i + 1]):" in body
    m = re.search(r"yq_ = L0_prow_ptr\[L0_it\[wq_, (\d+)\] \+ i - L0_it\[wq_, (\d+)\]\]", body)
    assert m, body
    source = codegen.generate(snn.Simulator(_two_rules(), dt=0.1 * ms)._layout)
    assert f"prow = L0_it[row, {m.group(1)}] + j - L0_it[row, {m.group(2)}]" in source
    assert sorted(re.findall(r"prefetch\((\w+), yq_\)", body)) == ["L0_prow_edges", "L0_prow_pre"]


def test_the_rule_prefetches_ask_for_lines_inside_the_lists():
    """Each index the scan's prefetches use for a rule's network points into the array it is used with (a hint
    outside an array would be harmless to the CPU but means the wrong lines are asked for): the prow index is
    recomputed here in numpy from the built tables for every neuron and rule row, and checked against potentiation's
    own range."""
    sim = snn.Simulator(_two_rules(), dt=0.1 * ms)
    L = sim._rules[0]
    g = sim._graph
    seen = 0
    for i in range(sim._layout.model.n_neurons):
        for t in range(g.post_rules_ptr[i], g.post_rules_ptr[i + 1]):
            row = int(g.rule_row[g.post_rules_idx[t]])
            prow = int(L.prow_off[row] + i - L.post_start[row])
            assert 0 <= prow < len(L.prow_ptr) - 1
            y = int(L.prow_ptr[prow])
            if L.prow_ptr[prow + 1] > y:        # a neuron with incoming plastic edges: y is its first
                assert 0 <= y < len(L.prow_edges)
                assert int(sim._layout.model.edge_post[L.prow_edges[y]]) == i
                seen += 1
    assert seen > 20
    sim.run(0.2)
    assert int(np.sum(sim._spike_count)) > 0      # the loop with the hints compiles and runs
