"""Lesson 01 exercises (solutions passing, each mistake diagnosed, bad answers: tests/test_exercises_all.py): the
checks' references agree with snnlib (encoders, spike-train statistics, the simulator's STDP)."""
from __future__ import annotations

import numpy as np
import pytest

import snnlib as snn
from course.exercises import lesson01 as ex
from course.exercises import lesson01_solutions as sol
from snnlib.analysis import spikecode as enc
from snnlib.analysis import spiketrains as st
from snnlib.experiments.stdp import measure_stdp_window

EXERCISES = ex.EXERCISES.exercises



def test_there_are_at_least_four_exercises():
    assert len(EXERCISES) >= 4


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


def test_an_accuracy_table_reads_prints_and_refuses_an_unmeasured_time():
    """The stand-in experiment of the t90 exercise (its cases are built when the module is imported, so this
    builds one here): a measured time gives its accuracy, an unmeasured one a KeyError naming the measured ones."""
    table = ex.AccuracyTable({5: 0.5, 10: 0.875})
    assert table(10) == 0.875 and table(5) == 0.5
    assert repr(table) == "AccuracyTable(5 ms: 0.5, 10 ms: 0.875)"
    with pytest.raises(KeyError) as err:
        table(7)
    assert err.value.args == ("no accuracy measured for 7 ms; measured times: [5, 10]",)


def test_spiking_accuracy_takes_one_millisecond_and_its_rate_scale():
    """1 ms is the shortest presentation allowed; the rate scale reaches the classifier (1 by default)."""
    assert 0.0 <= ex.spiking_accuracy(1) <= 1.0
    assert ex.spiking_accuracy(20) == ex.spiking_accuracy(20, rate_scale=1.0) != ex.spiking_accuracy(20, rate_scale=0.2)


def test_the_stdp_reference_depresses_at_zero_delay():
    """At dt = 0 (no case asks it) the reference follows the prompt's rule, np.where(dt > 0, potentiation,
    depression): the depression value, not the potentiation one."""
    assert ex._stdp(np.array([0.0]), 0.01, 0.012, 0.02, 0.02).tolist() == [-0.012]


def test_a_population_without_enough_spikes_has_no_cv():
    """No neuron with 3 spikes (weight 0: the inputs never reach them): the mean CV is NaN, not an error."""
    assert np.isnan(ex._population_cv(9.0, 200, 0.0, 0.5, 0))
