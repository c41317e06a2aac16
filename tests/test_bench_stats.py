"""benchmarks/stats.py: the spike statistics every simulator in the benchmark suite is scored with."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import stats  # noqa: E402


def test_regular_trains_have_zero_cv_and_exact_rate():
    # neuron k fires every (k + 1) * 10 ms over 1 s
    neurons, times = [], []
    for k in range(5):
        t = np.arange(0.01, 1.0 + 1e-9, 0.01 * (k + 1))
        neurons += [k] * len(t)
        times += list(t)
    n = len(neurons)
    assert stats.mean_rate(neurons, times, 10, 1.0) == pytest.approx(n / 10.0)
    assert stats.mean_cv_isi(neurons, times, 10) == pytest.approx(0.0, abs=1e-9)


def test_poisson_trains_have_cv_one():
    rng = np.random.default_rng(0)
    neurons, times = [], []
    for k in range(200):
        t = np.cumsum(rng.exponential(1 / 20.0, size=400))      # 20 Hz Poisson, about 20 s
        neurons += [k] * len(t)
        times += list(t)
    order = rng.permutation(len(times))                          # order of the record must not matter
    cv = stats.mean_cv_isi(np.array(neurons)[order], np.array(times)[order], 200)
    assert cv == pytest.approx(1.0, abs=0.03)


def test_cv_uses_only_neurons_with_three_spikes_and_population_std():
    # neuron 0: ISIs 0.1, 0.3 -> mean 0.2, std (ddof=0) 0.1, CV 0.5; neuron 1 has 2 spikes: excluded
    neurons = [0, 0, 0, 1, 1]
    times = [0.1, 0.2, 0.5, 0.3, 0.9]
    assert stats.mean_cv_isi(neurons, times, 3) == pytest.approx(0.5)


def test_synaptic_events_count_fan_out_per_spike():
    out_degree = np.array([3, 0, 5])
    assert stats.synaptic_events([0, 2, 2, 1], out_degree) == 3 + 5 + 5 + 0


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="same length"):
        stats.mean_rate([0, 1], [0.1], 2, 1.0)
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        stats.mean_rate([0, 5], [0.1, 0.2], 2, 1.0)
    with pytest.raises(ValueError, match="duration"):
        stats.mean_rate([0], [0.1], 2, 0.0)
    with pytest.raises(ValueError, match="finite"):
        stats.mean_rate([0], [np.nan], 2, 1.0)
    with pytest.raises(ValueError, match="no neuron has 3"):
        stats.mean_cv_isi([0, 0], [0.1, 0.2], 2)
