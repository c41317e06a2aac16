"""A postsynaptic trace block equal to a presynaptic one is that block (groups._cross_shared, session 10).

STDP with tau_plus = tau_minus (the default) decays and jumps its presynaptic trace x and its postsynaptic trace
y of the same neurons by the same operations (x * decay_plus, y * decay_minus; x + 1.0, y + 1.0; both from
zero), so a population that is both the source and the target of plastic connections (CUBA's excitatory
neurons) keeps one trace for both: decayed once a step, jumped once after every potentiation. The results must
be the bits of two separate traces: checked against the same network with the sharing switched off, in float64
and float32, on one thread and two, and without the JIT."""

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

import snnlib as snn
from snnlib.sim import groups
from snnlib.units import ms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _net(tau_minus=20 * ms):
    """Poisson drive onto an excitatory population with plastic recurrence and plastic connections to an
    inhibitory one (the CUBA+STDP pattern), strong enough that connected neurons fire in the same step."""
    net = snn.Network(seed=11)
    src = net.poisson(60, rate=80.0)
    exc = net.population(60, snn.LIF(), label="exc")
    inh = net.population(20, snn.LIF(), label="inh")
    rule = snn.STDP(a_plus=0.02, a_minus=0.021, tau_minus=tau_minus, w_max=0.4)
    syn = snn.ExpSynapse(5 * ms)
    net.connect_random(src, exc, p=0.3, weight=0.12, synapse=syn)
    net.connect_random(exc, exc, p=0.2, weight=0.08, synapse=syn, plasticity=rule)
    net.connect_random(exc, inh, p=0.2, weight=0.08, synapse=syn, plasticity=rule)
    net.connect_random(inh, exc, p=0.2, weight=-0.1, synapse=snn.ExpSynapse(10 * ms))
    return net


def _digest(sim):
    """Hash of the weights, every row's trace blocks (read through its own offsets), v and spike counts."""
    L = sim._rules[0]
    parts = [sim._state.w.tobytes(), sim._state.ns[0].tobytes(), np.asarray(sim._spike_count).tobytes()]
    for row in range(len(L.pre_off)):
        parts.append(L.pre_tr[0][L.pre_off[row]:L.pre_off[row] + L.pre_n[row]].tobytes())
        parts.append(L.post_tr[0][L.post_off[row]:L.post_off[row] + L.post_n[row]].tobytes())
    return hashlib.sha1(b"".join(parts)).hexdigest()


def _run(precision="float64", threads=None, share=True, monkeypatch=None, tau_minus=20 * ms):
    if not share:
        monkeypatch.setattr(groups, "_cross_shared", lambda cls, inst, par, dt, po, pw, npre, qo, qw, nq: (qo, qw, nq, False))
    sim = snn.Simulator(_net(tau_minus), dt=0.1 * ms, precision=precision, threads=threads)
    sim.run(0.3)
    return sim


def test_the_excitatory_postsynaptic_block_is_the_presynaptic_one():
    L = _run()._rules[0]
    # rows: exc->exc, exc->inh; one presynaptic block (exc), shared by both rows
    assert L.pre_off.tolist() == [0, 0] and L.pre_own.tolist() == [1, 0]
    # exc->exc's postsynaptic block is exc's presynaptic block, left to the presynaptic side; inh's after it
    assert L.post_off.tolist() == [0, 60] and L.post_own.tolist() == [0, 1]
    assert L.post_tr[0] is L.pre_tr[0] and L.pre_tr[0].size == 60 + 20


def test_other_postsynaptic_time_constant_keeps_separate_traces():
    L = _run(tau_minus=25 * ms)._rules[0]
    assert L.post_tr[0] is not L.pre_tr[0]
    assert L.pre_tr[0].size == 60 and L.post_tr[0].size == 60 + 20
    assert L.post_off.tolist() == [0, 60] and L.post_own.tolist() == [1, 1]


@pytest.mark.parametrize("precision", ["float64", "float32"])
@pytest.mark.parametrize("threads", [1, 2])
def test_shared_traces_give_the_bits_of_separate_ones(precision, threads, monkeypatch):
    shared = _run(precision, threads)
    assert shared._rules[0].post_tr[0] is shared._rules[0].pre_tr[0]
    assert int(np.sum(shared._spike_count)) > 500 and shared.counts["plasticity_updates"] > 2_000
    separate = _run(precision, threads, share=False, monkeypatch=monkeypatch)
    assert separate._rules[0].post_tr[0] is not separate._rules[0].pre_tr[0]
    assert _digest(shared) == _digest(separate)


_CHILD = """
import sys
sys.path.insert(0, {tests!r})
import test_cross_shared_traces as t
from snnlib.sim import groups
share = sys.argv[1] == "1"
if not share:
    groups._cross_shared = lambda cls, inst, par, dt, po, pw, npre, qo, qw, nq: (qo, qw, nq, False)
import snnlib as snn
from snnlib.units import ms
sim = snn.Simulator(t._net(), dt=0.1 * ms)
sim.run(0.1)
print(t._digest(sim))
"""


def test_shared_traces_without_the_jit_give_the_same_bits():
    """Plain Python (NUMBA_DISABLE_JIT=1), shared against separate traces, and against the compiled loop."""
    env = dict(os.environ, NUMBA_DISABLE_JIT="1", PYTHONPATH=ROOT)
    code = _CHILD.format(tests=os.path.join(ROOT, "tests"))
    out = [subprocess.run([sys.executable, "-c", code, flag], env=env, capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.strip() for flag in ("1", "0")]
    assert out[0] == out[1]
    sim = snn.Simulator(_net(), dt=0.1 * ms)
    sim.run(0.1)
    assert _digest(sim) == out[0]
