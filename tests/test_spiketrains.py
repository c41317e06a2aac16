"""Spike-train statistics against exact values and Poisson theory (CV = 1, Fano = 1)."""

import numpy as np
import pytest

from snnlib.analysis import spiketrains as st
from snnlib.analysis.spikecode import poisson_spikes


def test_regular_train_exact_values():
    times = np.arange(10) * 0.01  # 100 Hz, perfectly regular
    assert st.firing_rate(times, 0.1) == pytest.approx(100.0)
    np.testing.assert_allclose(st.isi(times), 0.01)
    assert st.cv_isi(times) == pytest.approx(0.0, abs=1e-9)


def test_cv_of_known_intervals():
    intervals = np.array([1.0, 3.0, 1.0, 3.0])  # mean 2, std 1
    times = np.concatenate([[0.0], np.cumsum(intervals)])
    assert st.cv_isi(times[::-1]) == pytest.approx(0.5)  # order of input does not matter


def test_bin_spikes_edges_and_counts():
    times = [0.0, 0.05, 0.099999, 0.1, 0.25, 0.3, 1.5]
    counts = st.bin_spikes(times, t_stop=0.3, bin_width=0.1)
    # [0,0.1): 3, [0.1,0.2): 1, [0.2,0.3): 1; 0.3 and 1.5 are outside
    np.testing.assert_array_equal(counts, [3, 1, 1])
    assert st.bin_spikes([], 1.0, 0.1).shape == (10,)


def test_split_trains_and_window_counts():
    times = np.array([0.3, 0.1, 0.2, 0.05])
    neurons = np.array([1, 0, 1, 2])
    trains = st.split_trains(times, neurons, 4)
    assert [t.tolist() for t in trains] == [[0.1], [0.2, 0.3], [0.05], []]
    np.testing.assert_array_equal(st.window_counts(trains, 0.1, 0.3), [1, 1, 0, 0])


def test_poisson_cv_and_fano_within_statistical_bounds():
    rate, duration = 50.0, 200.0  # 10000 spikes expected
    times, _ = poisson_spikes(rate, duration, seed=3)
    n = times.size
    assert abs(n - rate * duration) < 5 * np.sqrt(rate * duration)
    # CV of exponential ISIs: standard error ~ 1/sqrt(n) for large n; allow 5 SE
    assert abs(st.cv_isi(times) - 1.0) < 5 / np.sqrt(n)
    counts = st.bin_spikes(times, duration, 0.1)  # 2000 windows of mean 5
    # var/mean of Poisson counts: SE ~ sqrt(2/(k-1)) for k windows
    assert abs(st.fano_factor(counts) - 1.0) < 5 * np.sqrt(2 / (counts.size - 1))


def test_regular_train_has_zero_fano():
    times = np.arange(0, 10, 0.01) + 0.005
    assert st.fano_factor(st.bin_spikes(times, 10.0, 0.1)) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("bad, error, match", [
    ([0.1, np.nan], ValueError, "NaN or infinite spike times"),
    ([[0.1, 0.2]], ValueError, "must be 1-D"),
    (None, TypeError, r"times must be a number or an array of numbers, got None \(a 1-D array of spike times"),
    ("abc", TypeError, "times must be a number or an array of numbers, got the text .abc."),
])
def test_bad_trains_raise(bad, error, match):
    with pytest.raises(error, match=match):
        st.cv_isi(bad)


def test_undefined_statistics_raise_not_nan():
    with pytest.raises(ValueError, match="at least 3 spikes"):
        st.cv_isi([0.1, 0.2])
    with pytest.raises(ValueError, match="no spikes"):
        st.fano_factor([0, 0, 0])
    with pytest.raises(ValueError, match="positive"):
        st.firing_rate([0.1], 0.0)
    with pytest.raises(ValueError, match="no complete bin"):
        st.bin_spikes([0.1], 0.5, 1.0)
    with pytest.raises(ValueError, match=r"\[0, n_neurons = 2\)"):
        st.split_trains([0.1], [2], 2)


@pytest.mark.parametrize("call, match", [
    (lambda: st.bin_spikes([0.1], t_stop="1", bin_width=0.1), "^t_stop must be a real number, got '1'"),
    (lambda: st.bin_spikes([0.1], t_stop=1.0, bin_width=0.1, t_start="0"), "^t_start must be a real number, got '0'"),
    (lambda: st.fano_factor("3"), "^counts must be a number or an array of numbers"),
])
def test_text_instead_of_numbers_is_refused_naming_the_parameter(call, match):
    with pytest.raises(TypeError, match=match):
        call()


@pytest.mark.parametrize("call, error, message", [
    (lambda: st.split_trains([0.1, 0.2], [0, 1.5], 2), TypeError, "neurons must be integer neuron indices, got [0, 1.5]"),
    (lambda: st.split_trains(["a"], [0], 1), TypeError,
     "times must be a number or an array of numbers, got ['a'] containing 'a' of type str"),
    (lambda: st.split_trains([0.1], ["x"], 1), TypeError,
     "neurons must be a number or an array of numbers, got ['x'] containing 'x' of type str"),
    (lambda: st.window_counts({0: [0.1]}, 0, 1), TypeError,
     "trains must be a list of spike trains (one array of times per neuron), got {0: [0.1]}"),
    (lambda: st.window_counts([[0.1]], "a", 1), TypeError, "t_start must be a real number, got 'a' of type str"),
    (lambda: st.window_counts([[0.1]], 0, "b"), TypeError, "t_stop must be a real number, got 'b' of type str"),
])
def test_split_trains_and_window_counts_name_the_bad_argument_exactly(call, error, message):
    """A fractional neuron index is refused (not truncated to a neuron); each message names the argument."""
    with pytest.raises(error) as err:
        call()
    assert str(err.value) == message
