"""The serial loop's spike delivery requests the cache lines of a spike's edges AHEAD spikes early.

`jit.prefetch` is a hint (no value changes: the pinned CUBA digests of test_generated_kernel.py hold with it),
so what is checked here is that the generated loop asks for the right lines: those of the edge slots and
weights of the spike AHEAD places on in the step's spike list, and, in the scan, every line of a neuron's edges
as soon as it fires; only in the plain delivery (a learning rule's or presynaptic model's delivery is left as
it was)."""

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
    # with a learning rule the scan asks for nothing: measured in session 9, the rule's extra prefetches took
    # the CUBA+STDP loop to 0.91x but its first compile up by about 0.2 s (issue 10's compile target)
    assert "prefetch(" not in _scan_on_fire(snn.Simulator(_net(plastic=True), dt=0.1 * ms))
