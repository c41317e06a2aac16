"""The serial loop's spike delivery requests the cache lines of a spike's edges AHEAD spikes early.

`jit.prefetch` is a hint (no value changes: the pinned CUBA digests of test_generated_kernel.py hold with it),
so what is checked here is that the generated loop asks for the right lines: those of the edge slots and
weights of the spike AHEAD places on in the step's spike list (with a learning rule also each edge's rule,
plastic weight and postsynaptic index: session 9, STDP), and, in the scan, every line of a neuron's edges as
soon as it fires (with a rule also the lists of its incoming plastic edges that potentiation walks); a
presynaptic model's delivery is left as it was."""

import re

import numpy as np
import pytest

import snnlib as snn
from snnlib.sim import codegen
from snnlib.units import ms


def _net(plastic=False):
    net = snn.Network(seed=3)
    src = net.poisson(50, rate=40.0)
    pop = net.population(30, snn.LIF())
    extra = {"plasticity": snn.STDP()} if plastic else {}
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
    ahead = codegen.AHEAD
    assert ahead >= 1
    m = re.search(rf"if z \+ {ahead} < n_spk:\n\s+b_ = g_pre_ptr\[st_spk_list\[z \+ {ahead}\]\]", body)
    assert m, body
    asked = re.findall(r"prefetch\((\w+), (b_(?: \+ \d+)?)\)", body)
    # the first two cache lines (64 bytes = 16 int32 slots, 8 float64 or 16 float32 weights) of both edge arrays
    assert sorted(asked) == sorted([("g_edge_slot", "b_"), ("st_weff", "b_"),
                                    ("g_edge_slot", "b_ + 16"), ("st_weff", f"b_ + {weights_per_line}")])
    sim.run(0.05)
    assert int(np.sum(sim._spike_count)) > 0      # the loop with the hints compiles and runs


@pytest.mark.parametrize("precision, weights_per_line", [("float64", 8), ("float32", 16)])
def test_a_learning_rule_delivery_requests_its_edge_arrays_of_the_spike_ahead(precision, weights_per_line):
    sim = snn.Simulator(_net(plastic=True), dt=0.1 * ms, precision=precision)
    body = _delivery(sim)
    assert re.search(rf"if z \+ {codegen.AHEAD} < n_spk:\n\s+b_ = g_pre_ptr\[st_spk_list\[z \+ {codegen.AHEAD}\]\]", body)
    asked = re.findall(r"prefetch\((\w+), (b_(?: \+ \d+)?)\)", body)
    # every per-edge array the plastic delivery reads: slot, rule, postsynaptic index (int32); weights, plastic
    # weights (the state's precision)
    want = [(a, "b_") for a in ("g_edge_slot", "g_edge_rule", "g_edge_post", "st_weff", "st_w")]
    want += [(a, "b_ + 16") for a in ("g_edge_slot", "g_edge_rule", "g_edge_post")]
    want += [(a, f"b_ + {weights_per_line}") for a in ("st_weff", "st_w")]
    assert sorted(asked) == sorted(want)
    for arr, _ in want:         # the arrays asked for are those the delivery reads per edge
        assert f"{arr}[e]" in body
    sim.run(0.05)
    assert int(np.sum(sim._spike_count)) > 0      # the loop with the hints compiles and runs


def _scan_on_fire(sim):
    """The generated lines run in the scan when neuron i fires (after it joins the spike list)."""
    source = codegen.generate(sim._layout)
    start = source.index("n_spk += 1", source.index("if fired:"))
    return source[start:source.index("words[w8] = 0", start)]


def test_a_firing_neuron_requests_every_line_of_its_edges():
    plain = _scan_on_fire(snn.Simulator(_net(), dt=0.1 * ms))
    assert re.findall(r"prefetch\((\w+), q_\)", plain) == ["g_edge_slot", "st_weff"]
    assert "for q_ in range(b_, g_pre_ptr[i + 1], 16):" in plain


def test_a_firing_neuron_with_plasticity_also_requests_its_incoming_plastic_edges():
    body = _scan_on_fire(snn.Simulator(_net(plastic=True), dt=0.1 * ms, precision="float32"))
    assert sorted(re.findall(r"prefetch\((\w+), q_\)", body)) == sorted(
        ["g_edge_slot", "st_weff", "g_edge_rule", "st_w", "g_edge_post"])
    # potentiation's lists for neuron i (the rule row's incoming edges prow_ptr[pr_]:prow_ptr[pr_ + 1]), a line
    # (16 int32) at a time, found as the potentiation finds them: prow = prow_off[row] + j - post_start[row]
    assert re.search(r"pr_ = L0_it\[rw_, (\d+)\] \+ i - L0_it\[rw_, (\d+)\]\n\s+for y_ in range\("
                     r"L0_prow_ptr\[pr_\], L0_prow_ptr\[pr_ \+ 1\], 16\):\n\s+prefetch\(L0_prow_edges, y_\)\n\s+"
                     r"prefetch\(L0_prow_pre, y_\)", body), body
    source = codegen.generate(snn.Simulator(_net(plastic=True), dt=0.1 * ms)._layout)
    m = re.search(r"prow = L0_it\[row, (\d+)\] \+ j - L0_it\[row, (\d+)\]", source)
    n = re.search(r"pr_ = L0_it\[rw_, (\d+)\] \+ i - L0_it\[rw_, (\d+)\]", body)
    assert m and n and m.groups() == n.groups()

