"""Lesson 02 exercises: references pass, every listed mistake gets its diagnosis, the checks never crash, and
the checks' references agree with snnlib.energy and with a simulated STDP run."""
from __future__ import annotations

import numpy as np
import pytest

import snnlib as snn
from course.exercise import ERROR, NOT_YET, PASSED
from course.exercises import lesson02 as ex
from course.exercises import lesson02_solutions as sol
from snnlib.energy import OpCounts, break_even_rate, count_macs, estimate, get_device
from snnlib.units import Hz, ms

EXERCISES = ex.EXERCISES.exercises
MISTAKES = [(e, m) for e in EXERCISES for m in e.mistakes]





@pytest.mark.parametrize("e", EXERCISES, ids=lambda e: e.id)
def test_reference_solution_passes(e):
    r = e.evaluate(getattr(sol, e.id))
    assert r.status == PASSED, r.message


@pytest.mark.parametrize("e, m", MISTAKES, ids=[f"{e.id}-{m.name}" for e, m in MISTAKES])
def test_each_listed_mistake_gets_its_diagnosis(e, m):
    r = e.evaluate(e.mistake_answer(m))
    assert r.status == NOT_YET
    assert r.message == m.diagnosis


def test_the_three_classic_slips_are_diagnosed():
    # units (pJ vs J), per second vs per inference, forgetting the time window
    texts = {f"{e.id}-{m.name}": m.diagnosis for e, m in MISTAKES}
    assert "picojoules" in texts["energy_per_event-picojoules"]
    assert "per second" in texts["stdp_run_energy-per_second"] or "power" in texts["stdp_run_energy-per_second"]
    assert "joules per second" in texts["gpu_j_per_image-per_second"]
    assert "presentation time" in texts["break_even-no_window"]


@pytest.mark.parametrize("e", EXERCISES, ids=lambda e: e.id)
def test_each_exercise_has_diagnosed_mistakes_and_hints(e):
    assert len(e.mistakes) >= 2 and len(e.hints) >= 2
    assert len({m.diagnosis for m in e.mistakes}) == len(e.mistakes)


@pytest.mark.parametrize("e", [e for e in EXERCISES if e.kind == "function"], ids=lambda e: e.id)
def test_checks_never_crash(e):
    def raises(*args):
        raise ZeroDivisionError("division by zero")

    cases = {
        "stub": (lambda *a: ..., NOT_YET),
        "none": (lambda *a: None, NOT_YET),
        "nan": (lambda *a: float("nan"), NOT_YET),
        "text": (lambda *a: "1 pJ", NOT_YET),
        "raises": (raises, ERROR),
        "not a function": (3.0, NOT_YET),
    }
    for name, (answer, status) in cases.items():
        r = e.evaluate(answer)
        assert r.status == status, (name, r)
        assert r.message, name


def test_per_event_reference_matches_the_brain_profile():
    e = ex.EXERCISES.get("energy_per_event")
    assert e.reference(20.0, 1e14, 0.16) == pytest.approx(get_device("brain").energy_per_synop)


def test_macs_reference_matches_snnlib():
    e = ex.EXERCISES.get("mlp_macs")
    for (sizes,) in e.cases:
        assert e.reference(sizes) == count_macs(sizes)


def test_break_even_reference_matches_snnlib():
    e = ex.EXERCISES.get("break_even")
    devices = {ex.LOIHI: "loihi", ex.GPU: "gpu", ex.CPU: "cpu", ex.SPINNAKER2: "spinnaker2"}
    for connections, neurons, t_present, dt, spiking, dense in e.cases:
        steps = round(t_present / dt)
        ops = OpCounts(connections=connections, neurons=neurons, synaptic_events=0.0,
                       neuron_updates=neurons * steps, timesteps=steps, dt=dt)
        expected = break_even_rate(ops, devices[spiking], devices[dense])
        assert e.reference(connections, neurons, t_present, dt, spiking, dense) == pytest.approx(expected, rel=1e-9)


def test_stdp_reference_matches_a_simulated_run():
    # 40 Poisson inputs onto 5 LIF neurons with STDP for 2 s: price the simulator's counts on Loihi
    n_pre, n_post, duration, dt = 40, 5, 2.0, 1 * ms
    net = snn.Network(seed=11)
    inp = net.poisson(n_pre, rate=15 * Hz)
    out = net.population(n_post, bias=0.9, v_init=snn.Uniform(0.0, 1.0))
    net.connect(inp, out, weights=0.1, plasticity=snn.STDP(a_plus=0.005, a_minus=0.00525, w_max=0.3))
    sim = snn.Simulator(net, dt=dt)
    sim.run(duration)
    c = sim.counts
    assert c["spikes"] > 0 and c["plasticity_updates"] > 0
    rate_pre = c["source_spikes"] / (n_pre * duration)
    rate_post = c["spikes"] / (n_post * duration)
    simulated = estimate(OpCounts.from_run(sim), "loihi")["loihi"].total
    formula = ex.EXERCISES.get("stdp_run_energy").reference(n_pre, n_post, rate_pre, rate_post, duration, dt)
    assert formula == pytest.approx(simulated, rel=1e-9)
