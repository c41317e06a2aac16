"""Learning-rule instances whose traces are bound to be equal share one trace block (groups._shared_traces)."""

import numpy as np

import snnlib as snn
from snnlib.sim.builder import build
from snnlib.sim.groups import Layout
from snnlib.units import ms


def rule_group(tau_plus_second):
    """Two STDP connections from one source population (and a third from another) onto two targets."""
    net = snn.Network(seed=0)
    a = net.population(30, snn.LIF(), label="a")
    b = net.population(20, snn.LIF(), label="b")
    c = net.population(10, snn.LIF(), label="c")
    first = snn.STDP(tau_plus=20 * ms, w_max=2.0)
    second = snn.STDP(a_plus=0.02, tau_plus=tau_plus_second, w_max=2.0)     # a_plus: not a trace parameter
    net.connect_random(a, b, p=0.3, weight=0.5, synapse=snn.ExpSynapse(5 * ms), plasticity=first)
    net.connect_random(a, c, p=0.3, weight=0.5, synapse=snn.ExpSynapse(5 * ms), plasticity=second)
    net.connect_random(b, c, p=0.3, weight=0.5, synapse=snn.ExpSynapse(5 * ms), plasticity=first)
    (L,) = Layout(build(net, 1e-4), "float64").rule_groups()
    return L


def test_equal_presynaptic_traces_share_one_block():
    L = rule_group(20 * ms)
    # a's trace once for the first two rules (same neurons, same decay), b's for the third (the array also
    # holds c's postsynaptic block, below)
    assert L.pre_off.tolist() == [0, 0, 30] and L.pre_own.tolist() == [1, 0, 1]
    # postsynaptic traces: b, c, c; the last two are equal (same neurons, same tau_minus); b's is b's presynaptic
    # block (tau_minus = tau_plus: test_cross_shared_traces.py), c's follows the presynaptic blocks in one array
    assert L.post_tr[0] is L.pre_tr[0] and L.pre_tr[0].size == 30 + 20 + 10
    assert L.post_off.tolist() == [30, 50, 50] and L.post_own.tolist() == [0, 1, 0]
    # each (instance, post neuron) keeps its own row of incoming edges whatever the traces share
    assert L.prow_off.tolist() == [0, 20, 30]
    # the presynaptic trace index beside each incoming edge points into the shared block of its neuron
    assert np.all((L.prow_pre >= 0) & (L.prow_pre < 50))


def test_different_trace_parameters_keep_separate_traces():
    L = rule_group(10 * ms)             # another tau_plus: a's trace decays differently for the second rule
    assert L.pre_tr[0].size == 30 + 30 + 20 + 10        # b's postsynaptic block is still its presynaptic one
    assert L.pre_own.tolist() == [1, 1, 1]
