"""Lesson 07 exercises (solutions passing, each mistake diagnosed, no diagnosis giving the expected
value away, bad answers: tests/test_exercises_all.py): the checks' references agree with snnlib (the Izhikevich and adaptive LIF step functions, firing_patterns.bursts) and with
simulations (the measured range of the chatter experiment)."""
from __future__ import annotations

import numpy as np
import pytest

import snnlib as snn
from course.exercise import NOT_YET, PASSED
from course.exercises import lesson07 as ex
from snnlib.analysis import firing_patterns as fp
from snnlib.neurons.adaptive_lif import adaptive_lif_step
from snnlib.neurons.izhikevich import izhikevich_step

EXERCISES = ex.EXERCISES.exercises


def test_there_are_at_least_four_exercises_and_one_runs_snnlib():
    assert len(EXERCISES) >= 4
    assert any(e.kind == "value" for e in EXERCISES)          # the experiment, accepted within a range


# -- the references agree with snnlib and with simulations ------------------------------------------------------
def test_izhikevich_euler_agrees_with_snnlib_step_at_small_dt():
    """snnlib integrates v in two half steps (the paper's code); at dt = 0.001 ms both are the same ODE step to
    O(dt^2), so they agree far below the size of one Euler step's change."""
    v, u = -60.0, -12.0
    v_e, u_e = ex._izh(np.array([v]), np.array([u]), 10.0, 0.001, 0.02, 0.2, -65.0, 8.0)
    v_s, u_s, spiked = izhikevich_step(v * 1e-3, u, 10.0, 1e-6, 0.02, 0.2, -65.0, 8.0, 30.0)
    assert not spiked
    dv = abs(v_e[0] - v)
    assert abs(v_s * 1e3 - v_e[0]) < 1e-4 * dv and abs(u_s - u_e[0]) < 1e-6


def test_burst_reference_matches_snnlib_on_every_case_and_on_simulated_trains():
    for (train,) in ex._BURST_CASES:
        assert ex._bursts(train) == len(fp.bursts(train))
    net = snn.Network(seed=0)
    names = ["RS", "IB", "CH", "FS", "LTS"]
    probes = [net.probe(net.population(1, snn.Izhikevich(preset=n), bias=10.0), "spikes") for n in names]
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(1.0)
    counts = {n: ex._bursts(sim.data[p].times) for n, p in zip(names, probes)}
    assert all(counts[n] == len(fp.bursts(sim.data[p].times)) for n, p in zip(names, probes))
    assert counts["CH"] >= 2 and counts["IB"] == 1 and counts["RS"] == counts["FS"] == 0


def test_adaptation_reference_matches_the_adaptive_lif_step():
    """Run snnlib's adaptive LIF step function for one neuron; n after the run equals the reference's sum over
    the spikes it fired (n decays exactly and jumps by inc_n / tau_n)."""
    m = snn.AdaptiveLIF(tau_n=0.1, inc_n=0.02)
    dt, d = 1e-4, m.derived(1e-4)
    v, ref, n, spikes = 0.0, 0.0, 0.0, []
    for k in range(3000):
        J = 2.0 if k < 2000 else 0.0
        v, ref, n, s = adaptive_lif_step(v, ref, n, J, dt, m.tau_rc, m.tau_ref, m.v_th, m.v_reset, m.v_rest,
                                         d["n_decay"], d["n_jump"])
        if s:
            spikes.append((k + 1) * dt)          # n has jumped at the end of step k
    assert len(spikes) > 5
    t_end = 3000 * dt
    assert ex._adapt(np.array(spikes), np.array([t_end]), m.tau_n, m.inc_n)[0] == pytest.approx(n, rel=1e-9)


@pytest.mark.parametrize("dt", [1e-4, 2.5e-4])
def test_the_chatter_range_is_what_snnlib_measures(dt):
    """Lowest reset c (1 mV grid) named "CH" at a = 0.02, b = 0.2, d = 2, I = 10, 1 s: inside CHATTER_RANGE,
    and the neuron 1 mV below it does not chatter."""
    resets = np.arange(-65.0, -39.0, 1.0)
    net = snn.Network(seed=0)
    probes = [net.probe(net.population(1, snn.Izhikevich(a=0.02, b=0.2, c=c, d=2.0), bias=10.0), "spikes")
              for c in resets]
    sim = snn.Simulator(net, dt=dt)
    sim.run(1.0)
    patterns = [fp.classify(sim.data[p].times) for p in probes]
    lowest = resets[patterns.index("CH")]
    assert ex.CHATTER_RANGE[0] <= lowest <= ex.CHATTER_RANGE[1]
    assert all(p != "CH" for p in patterns[:patterns.index("CH")])
    passed = ex.CHATTER.evaluate(float(lowest))
    assert passed.status == PASSED
    assert ex.CHATTER.evaluate(float(lowest) - 2.0).status == NOT_YET
