"""The regular rate code (snnlib.experiments.codes) against the Poisson rate code and the latency code."""

import numpy as np
import pytest

from snnlib.experiments.codes import code_errors, regular_counts, regular_rate_errors


def test_regular_count_is_unbiased_and_off_by_less_than_one_spike():
    f_T = 0.37 * 100 * 0.05          # x * max_rate * window = 1.85 spikes expected
    counts = regular_counts(np.full(200_000, 0.37), 100.0, 0.05, seed=1)
    assert set(np.unique(counts)) == {1, 2}                      # floor or ceil of 1.85
    assert counts.mean() == pytest.approx(f_T, abs=0.005)        # unbiased: P(ceil) = frac(f T)
    # variance of a count that is floor(f T + u): frac (1 - frac) = 0.85 * 0.15, far below Poisson's 1.85
    assert counts.var() == pytest.approx(0.85 * 0.15, rel=0.02)


def test_regular_code_error_falls_as_one_over_T_and_beats_poisson():
    windows = np.array([0.02, 0.2])
    poisson, regular, latency = code_errors(windows, n_trials=2000, seed=0)
    assert regular[1] / regular[0] == pytest.approx(0.1, rel=0.25)          # 1/T: ten times the window, a tenth
    assert poisson[1] / poisson[0] == pytest.approx(np.sqrt(0.1), rel=0.15)  # 1/sqrt(T)
    assert np.all(regular < poisson)
    # the review's point: at 100 ms the regular rate code matches the (2 ms jitter) latency code
    p100, r100, l100 = code_errors([0.1], n_trials=3000, seed=2)
    assert r100[0] <= 1.3 * l100[0]


def test_same_seed_same_errors_and_bad_input():
    assert np.array_equal(regular_rate_errors([0.01, 0.1], seed=4), regular_rate_errors([0.01, 0.1], seed=4))
    with pytest.raises(ValueError, match="values"):
        regular_counts([1.5], 100.0, 0.1)
    with pytest.raises(ValueError, match="windows"):
        regular_rate_errors([0.0])
