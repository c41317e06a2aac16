"""Lesson 01 exercises: reference solutions pass, every listed mistake gets its diagnosis, and the checks'
references agree with snnlib (encoders, spike-train statistics, the simulator's STDP)."""
from __future__ import annotations

import ast

import numpy as np
import pytest

import snnlib as snn
from course.exercise import ERROR, NOT_YET, PASSED
from course.exercises import lesson01 as ex
from course.exercises import lesson01_solutions as sol
from snnlib.analysis import spikecode as enc
from snnlib.analysis import spiketrains as st
from snnlib.experiments.stdp import measure_stdp_window

EXERCISES = ex.EXERCISES.exercises
MISTAKES = [(e, m) for e in EXERCISES for m in e.mistakes]



def test_there_are_at_least_four_exercises():
    assert len(EXERCISES) >= 4


@pytest.mark.parametrize("e", EXERCISES, ids=lambda e: e.id)
def test_reference_solution_passes(e):
    r = e.evaluate(getattr(sol, e.id))
    assert r.status == PASSED, r.message


@pytest.mark.parametrize("e, m", MISTAKES, ids=[f"{e.id}-{m.name}" for e, m in MISTAKES])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_each_listed_mistake_gets_its_diagnosis(e, m):
    r = e.evaluate(e.mistake_answer(m))
    assert r.status == NOT_YET
    assert r.message == m.diagnosis


@pytest.mark.parametrize("e", EXERCISES, ids=lambda e: e.id)
def test_each_exercise_has_diagnosed_mistakes_and_hints(e):
    assert len(e.mistakes) >= 2 and len(e.hints) >= 2
    assert len({m.diagnosis for m in e.mistakes}) == len(e.mistakes)


@pytest.mark.parametrize("e", [e for e in EXERCISES if e.kind == "function"], ids=lambda e: e.id)
def test_stub_keeps_signature_and_docstring_but_not_the_solution(e):
    ns: dict = {"np": np}
    exec(e.stub, ns)
    stub = ns[e.id]
    assert stub.__doc__ == getattr(sol, e.id).__doc__
    assert not any(isinstance(n, ast.Return) for n in ast.walk(ast.parse(e.stub))) and "# TODO" in e.stub
    assert e.evaluate(stub).message.startswith("not yet solved")


@pytest.mark.parametrize("answer", [None, 3.0, "abc", lambda *a: None, lambda *a: np.nan])
def test_checks_never_crash_and_diagnose_bad_answers(answer):
    for e in EXERCISES:
        r = e.evaluate(answer)
        assert r.status == NOT_YET and r.message and "internal error" not in r.message, (e.id, r)


def test_an_exception_in_the_learners_code_is_an_error_not_a_diagnosis():
    for e in EXERCISES:
        if e.kind == "function":
            r = e.evaluate(lambda *a: 1 / 0)
            assert r.status == ERROR and "ZeroDivisionError" in r.message and "internal error" not in r.message


# -- the references agree with snnlib and with theory ---------------------------------------------------
def test_poisson_reference_counts_match_rate_times_duration():
    u = np.random.default_rng(1).random((20000, 4))
    rates = np.array([2.0, 10.0, 40.0, 100.0])
    counts = sol.poisson_counts(u, rates, 1e-3)  # 20 s
    assert np.all(np.abs(counts - 20 * rates) < 5 * np.sqrt(20 * rates))


def test_cv_reference_matches_snnlib_and_poisson_theory():
    times, _ = enc.poisson_spikes(20.0, 100.0, seed=4)
    assert ex._cv(times) == pytest.approx(st.cv_isi(times), rel=1e-12)
    assert abs(ex._cv(times) - 1.0) < 5 / np.sqrt(times.size)
    assert ex._cv(ex._BURSTY) > 1.0 > ex._cv(ex._REGULAR)


def test_latency_reference_matches_snnlib_encoder():
    np.testing.assert_allclose(ex._latency(ex._X, 0.05), enc.latency_encode(ex._X, 0.05))


def test_stdp_reference_matches_the_simulated_window():
    rule = snn.STDP(a_plus=0.005, a_minus=0.003, tau_plus=0.017, tau_minus=0.034)
    m = measure_stdp_window(rule, ex._DT)
    np.testing.assert_allclose(ex._stdp(m.dt, 0.005, 0.003, 0.017, 0.034), m.dw, rtol=1e-9, atol=1e-15)


def test_spiking_accuracy_experiment_is_real_and_deterministic():
    t90 = sol.shortest_time(ex.spiking_accuracy, ex.PRESENTATION_TIMES_MS, 0.9)
    assert t90 in ex.PRESENTATION_TIMES_MS and t90 > ex.PRESENTATION_TIMES_MS[0]
    accs = [ex.spiking_accuracy(t) for t in (5, t90, 200)]
    assert accs[0] < 0.9 <= accs[1] and accs[2] > 0.9
    assert ex.spiking_accuracy(t90) == accs[1]
    with pytest.raises(ValueError, match="presentation time of at least 1 ms"):
        ex.spiking_accuracy(0)
