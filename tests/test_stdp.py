"""STDP on the simulator: window from simulated spike pairs = exponential window; learning correlated inputs."""

import numpy as np
import pytest

import snnlib as snn
from snnlib.experiments.stdp import correlated_spike_trains, learn_correlated_inputs, measure_stdp_window


def expected_window(dt, a_plus, a_minus, tau_plus, tau_minus):
    """Song, Miller & Abbott 2000: A+ exp(-dt/tau+) for t_post > t_pre, -A- exp(dt/tau-) otherwise."""
    return np.where(dt > 0, a_plus * np.exp(-dt / tau_plus), -a_minus * np.exp(dt / tau_minus))


def test_window_from_spike_pairs_matches_exponentials():
    # asymmetric time constants (Bi & Poo 1998 fits: ~17 ms and ~34 ms) so a swap would be caught
    rule = snn.STDP(a_plus=0.01, a_minus=0.006, tau_plus=0.017, tau_minus=0.034, w_min=0.0, w_max=1.0)
    offsets = np.concatenate([np.linspace(-0.1, -0.002, 25), np.linspace(0.002, 0.1, 25)])
    m = measure_stdp_window(rule, offsets)
    assert m.post_spikes == 1
    # measured offsets are the requested ones up to the step grid (0.1 ms)
    np.testing.assert_allclose(m.dt, offsets, atol=2.5e-4)
    np.testing.assert_allclose(m.dw, expected_window(m.dt, 0.01, 0.006, 0.017, 0.034), rtol=1e-9, atol=1e-15)
    assert np.all(m.dw[m.dt > 0] > 0) and np.all(m.dw[m.dt < 0] < 0)  # pre-before-post potentiates
    # one depression per presynaptic spike, one potentiation per synapse at the post spike
    assert m.plasticity_updates == 2 * offsets.size


def test_window_respects_weight_bounds():
    rule = snn.STDP(a_plus=0.1, a_minus=0.1, w_min=0.0, w_max=1.0)
    m = measure_stdp_window(rule, [-0.005, 0.005], w_init=0.95)
    # potentiation clipped at w_max: only 0.05 room; depression unclipped
    assert m.dw[1] == pytest.approx(0.05, abs=1e-12)
    assert m.dw[0] == pytest.approx(-0.1 * np.exp(m.dt[0] / 0.02), rel=1e-9)


def test_correlated_trains_rate_and_correlation():
    rate, c, T = 20.0, 0.3, 200.0
    times, idx = correlated_spike_trains(20, rate, c, T, seed=5)
    counts = np.bincount(idx, minlength=20)
    assert np.all(np.abs(counts - rate * T) < 5 * np.sqrt(rate * T))
    # spike-count correlation in 100 ms bins equals c for this construction (no jitter)
    bins = np.zeros((20, int(T / 0.1)))
    np.add.at(bins, (idx, (times / 0.1).astype(int)), 1)
    r = np.corrcoef(bins)[np.triu_indices(20, 1)].mean()
    assert r == pytest.approx(c, abs=0.03)


def test_stdp_picks_out_correlated_inputs():
    w_max = 0.15
    rule = snn.STDP(a_plus=0.01 * w_max, a_minus=0.012 * w_max, w_min=0.0, w_max=w_max)
    r = learn_correlated_inputs(rule, n_correlated=100, n_independent=100, correlation=0.2, duration=60.0)
    c, u = r.w_end[:100] / w_max, r.w_end[100:] / w_max
    assert c.mean() > 0.8 and u.mean() < 0.4          # started at 0.5 each
    assert np.median(c) > np.percentile(u, 90)
    assert np.all(r.w_end >= 0) and np.all(r.w_end <= w_max)
    assert r.counts["plasticity_updates"] > 0


def test_without_correlation_no_group_is_preferred():
    w_max = 0.15
    rule = snn.STDP(a_plus=0.01 * w_max, a_minus=0.012 * w_max, w_min=0.0, w_max=w_max)
    r = learn_correlated_inputs(rule, n_correlated=100, n_independent=100, correlation=0.0, duration=60.0)
    assert abs(r.selectivity) < 0.1 * w_max


def test_bad_arguments():
    rule = snn.STDP()
    with pytest.raises(ValueError, match="offsets must be a non-empty"):
        measure_stdp_window(rule, [])
    with pytest.raises(ValueError, match="correlation"):
        correlated_spike_trains(3, 10.0, 1.5, 1.0)
