"""CUBA+STDP's state after 0.25 s, pinned: weights, v, spike counts and both trace blocks, bit for bit, in float32
and float64 (session 11). A reference for work on the STDP loop (delivery, depression, potentiation, traces),
which must not change one bit of them: recorded with main at 31e6cc3, independently of any later change. (The
older pins of tests/test_generated_kernel.py cover float64 CUBA+STDP's spikes and weights at 0.1 s; this one adds
float32 and the traces.)"""

import hashlib
import os
import sys

import numpy as np
import pytest

import snnlib as snn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# sha256 of weights, v, spike counts, presynaptic and postsynaptic traces of CUBA+STDP (benchmarks/cuba.py,
# seed 1) after 0.25 s (two chunks of the loop and a half), recorded with main at 31e6cc3
CUBA_STDP = {"float32": "df3e304d4e1f43e71c5890810d277d35f19420e9d0e669f777711f2fdb478208",
             "float64": "6a4de39326b07efa1933539bf6fd00e330be96d38b49cca89426b9863d96ba1f"}


@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_cuba_stdp_state_bits_as_pinned(precision):
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    import cuba

    net, _, _ = cuba.build_cuba(1, stdp=True)
    sim = snn.Simulator(net, dt=cuba.DT, precision=precision)
    sim.run(0.25)
    assert sim.counts["plasticity_updates"] > 500_000 and int(np.asarray(sim._spike_count).sum()) > 4000
    L = sim._rules[0]
    h = hashlib.sha256()
    for a in (sim._state.w, sim._state.ns[0], np.asarray(sim._spike_count), L.pre_tr[0], L.post_tr[0]):
        h.update(np.ascontiguousarray(a).tobytes())
    assert h.hexdigest() == CUBA_STDP[precision]
