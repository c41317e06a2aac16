"""Encoders: Poisson statistics, seeding, latency code encode/decode, decoding error vs window."""

import numpy as np
import pytest

from snnlib.analysis import spikecode as enc
from snnlib.analysis.spiketrains import split_trains, cv_isi


def test_poisson_spikes_seeded_and_rates():
    t1, n1 = enc.poisson_spikes([10.0, 100.0], 50.0, seed=7)
    t2, n2 = enc.poisson_spikes([10.0, 100.0], 50.0, seed=7)
    np.testing.assert_array_equal(t1, t2)
    np.testing.assert_array_equal(n1, n2)
    assert np.all(np.diff(t1) >= 0)
    counts = np.bincount(n1, minlength=2)
    expected = np.array([500.0, 5000.0])
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))
    trains = split_trains(t1, n1, 2)
    assert abs(cv_isi(trains[1]) - 1.0) < 5 / np.sqrt(counts[1])


def test_poisson_raster_probability_and_units_error():
    r = enc.poisson_raster(np.full(200, 20.0), 10.0, 1e-3, seed=1)
    assert r.shape == (10000, 200)
    p = r.mean()
    assert abs(p - 0.02) < 5 * np.sqrt(0.02 * 0.98 / r.size)
    with pytest.raises(ValueError, match="Hz"):
        enc.poisson_raster(2000.0, 1.0, 1e-3)


def test_latency_code_exact_roundtrip():
    values = np.array([0.0, 0.25, 0.5, 1.0])
    t = enc.latency_encode(values, t_max=0.05, t_min=0.01)
    np.testing.assert_allclose(t, [0.05, 0.04, 0.03, 0.01])
    for v, ti in zip(values, t):
        assert enc.decode_latency([ti], window=0.06, t_max=0.05, t_min=0.01) == pytest.approx(v)


def test_latency_decode_without_spike_uses_unresolved_interval():
    # value 0.2 fires at 40 ms; a 20 ms window only tells us value < 0.6
    t = enc.latency_encode([0.2], t_max=0.05)
    assert enc.decode_latency(t, window=0.02, t_max=0.05) == pytest.approx(0.3)


def test_latency_jitter_seeded_and_averaged():
    a = enc.latency_encode(np.full(1000, 0.5), 0.05, jitter=0.002, seed=4)
    b = enc.latency_encode(np.full(1000, 0.5), 0.05, jitter=0.002, seed=4)
    np.testing.assert_array_equal(a, b)
    est = enc.decode_latency(a, window=1.0, t_max=0.05)
    # jitter 2 ms over a 50 ms range is 0.04 in value; mean of 1000: SE 0.0013
    assert abs(est - 0.5) < 5 * 0.04 / np.sqrt(1000)


def test_rate_decode_unbiased():
    times, neurons = enc.rate_encode(np.full(100, 0.3), max_rate=100.0, duration=1.0, seed=2)
    counts = np.bincount(neurons, minlength=100)
    # total count Poisson(3000): relative SE 1/sqrt(3000)
    assert abs(enc.decode_rate(counts, 1.0, 100.0) - 0.3) < 5 * 0.3 / np.sqrt(3000)


def test_decoding_errors_follow_theory():
    windows = np.array([0.01, 0.04, 0.1, 0.4])
    rate_err, lat_err = enc.decoding_errors(windows, n_neurons=10, max_rate=100.0, t_max=0.05,
                                            jitter=0.002, n_trials=300, seed=0)
    # rate code: error falls with the window; for a uniform value the Poisson variance of the estimate is
    # E[x]/(n r T) = 1/(2 n r T) at long windows (clipping at 1 only lowers it)
    assert np.all(np.diff(rate_err) < 0)
    expected_long = np.sqrt(0.5 / (10 * 100.0 * 0.4))
    assert rate_err[-1] == pytest.approx(expected_long, rel=0.2)
    # latency code: once the window exceeds t_max, error = jitter/t_max/sqrt(n) = 0.0126
    assert lat_err[2] == pytest.approx(0.002 / 0.05 / np.sqrt(10), rel=0.25)
    # latency beats rate once every first spike has arrived
    assert lat_err[2] < rate_err[2] / 3
    # with a 10 ms window, most latency-coded values are not yet resolved
    assert lat_err[0] > lat_err[2] * 5


@pytest.mark.parametrize("call, error, match", [
    (lambda: enc.rate_encode([1.5], 100.0, 1.0), ValueError, r"stimulus values must be finite and lie in \[0, 1\]"),
    (lambda: enc.latency_encode([np.nan], 0.05), ValueError, r"stimulus values must be finite and lie in \[0, 1\]"),
    (lambda: enc.poisson_spikes(-1.0, 1.0), ValueError, "rates must be finite and >= 0 Hz"),
    (lambda: enc.poisson_spikes(1.0, 0.0), ValueError, r"duration \(s\) must be positive"),
    (lambda: enc.latency_encode([0.5], 0.05, t_min=0.06), ValueError, "need 0 <= t_min < t_max"),
    (lambda: enc.poisson_spikes(1.0, 1.0, seed="x"), TypeError, "seed must be an int"),
])
def test_bad_input_raises(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: enc.decode_rate("3", window=0.1, max_rate=100.0), "^counts must be a number or an array of numbers"),
    (lambda: enc.latency_encode([0.5], t_max=0.05, t_min="0"), "^t_min must be a real number, got '0'"),
    (lambda: enc.decode_latency("0.01", window=0.1, t_max=0.05), "^first_times must be a number or an array"),
])
def test_text_instead_of_numbers_is_refused_naming_the_parameter(call, match):
    with pytest.raises(TypeError, match=match):
        call()


@pytest.mark.parametrize("kwargs, message", [
    (dict(max_rate=-1.0), "max_rate (Hz) must be positive and finite, got -1.0"),
    (dict(t_max=0.0), "t_max (s) must be positive and finite, got 0.0"),
    (dict(jitter=-0.001), "jitter must be >= 0 s, got -0.001"),
])
def test_decoding_errors_names_a_bad_parameter_with_its_unit(kwargs, message):
    with pytest.raises(ValueError) as err:
        enc.decoding_errors([0.05], **kwargs)
    assert str(err.value) == message


@pytest.mark.parametrize("call, error, message", [
    (lambda: enc.make_rng(-1), ValueError, "seed must be an int >= 0, None or a numpy Generator, got -1"),
    (lambda: enc.decode_latency([0.01], 0.05, "x"), TypeError, "t_max must be a real number, got 'x' of type str"),
    (lambda: enc.decode_latency([0.01], 0.05, 0.05, -0.01), ValueError, "t_min must be >= 0 s, got -0.01"),
    # an empty coding interval (t_max == t_min) would divide by zero: refused
    (lambda: enc.decode_latency([0.01], 0.05, 0.02, 0.02), ValueError, "t_max (0.02 s) must be later than t_min (0.02 s)"),
])
def test_make_rng_and_decode_latency_name_a_bad_argument(call, error, message):
    with pytest.raises(error) as err:
        call()
    assert str(err.value) == message
