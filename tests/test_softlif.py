"""Soft-LIF: hard-LIF check values, gamma -> 0 limit, derivative vs finite differences, no NaN."""

import numpy as np
import pytest

from snnlib.ml.softlif import lif_rate, soft_lif_rate, soft_lif_derivative, SoftLIF


def test_lif_rate_check_values_from_science_reference():
    r = lif_rate([1.5, 2.0, 5.0], tau_rc=0.02, tau_ref=0.002)
    np.testing.assert_allclose(r, [41.7149, 63.0400, 154.7300], atol=1e-4)
    assert lif_rate(1.0)[()] == 0.0 and lif_rate(-3.0)[()] == 0.0


def test_lif_rate_saturates_at_one_over_tau_ref():
    assert lif_rate(1e9, tau_ref=0.002)[()] == pytest.approx(500.0, rel=1e-6)


def test_soft_lif_tends_to_hard_lif_as_gamma_vanishes():
    j = np.linspace(-1, 6, 141)
    hard = lif_rate(j, 0.05, 0.001)
    errs = [np.max(np.abs(soft_lif_rate(j, 0.05, 0.001, g) - hard)) for g in (0.1, 0.01, 0.001)]
    assert errs[0] > errs[1] > errs[2]
    # away from threshold the curves agree closely already at gamma 0.02
    above = j > 1.5
    np.testing.assert_allclose(soft_lif_rate(j[above]), hard[above], rtol=1e-3)
    # below threshold the soft curve is small but not zero (it decays only logarithmically)
    below = j < 0.5
    assert np.all(soft_lif_rate(j[below]) < 1.0)  # < 1 Hz where the hard LIF is silent


def test_derivative_matches_finite_differences():
    j = np.linspace(-0.5, 4, 91)
    h = 1e-6
    fd = (soft_lif_rate(j + h) - soft_lif_rate(j - h)) / (2 * h)
    np.testing.assert_allclose(soft_lif_derivative(j), fd, rtol=1e-4, atol=1e-6)


def test_finite_everywhere_even_far_below_threshold():
    j = np.array([-1e6, -50.0, 0.0, 1.0, 1e6])
    assert np.all(np.isfinite(soft_lif_rate(j)))
    d = soft_lif_derivative(j)
    assert np.all(np.isfinite(d)) and np.all(d >= 0)


def test_softlif_object_amplitude():
    f = SoftLIF(amplitude=0.01)
    np.testing.assert_allclose(f(2.0), 0.01 * soft_lif_rate(2.0))
    np.testing.assert_allclose(f.derivative(2.0), 0.01 * soft_lif_derivative(2.0))


@pytest.mark.parametrize("kwargs, match", [(dict(tau_rc=0.0), "tau_rc must be a positive time"),
                                           (dict(tau_ref=-1.0), "tau_ref must be a non-negative time"),
                                           (dict(gamma=0.0), "gamma must be > 0")])
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        soft_lif_rate(1.5, **kwargs)


def test_nan_input_rejected():
    with pytest.raises(ValueError, match="NaN"):
        soft_lif_rate([np.nan])


def test_softlif_object_passes_all_its_parameters():
    """A SoftLIF with non-default parameters: rate, derivative and value_and_derivative (what training calls at
    every step) use its own tau_rc, tau_ref and gamma, scaled by its amplitude."""
    from snnlib.ml.softlif import soft_lif_rate_and_derivative

    f = SoftLIF(tau_rc=0.03, tau_ref=0.004, gamma=0.3, amplitude=0.02)
    j = np.array([-0.5, 0.9, 1.0, 1.7, 4.0])
    r = soft_lif_rate(j, 0.03, 0.004, 0.3)
    d = soft_lif_derivative(j, 0.03, 0.004, 0.3)
    assert not np.allclose(r, soft_lif_rate(j, 0.03, 0.004))          # gamma matters at these inputs
    np.testing.assert_allclose(f.rate(j), r, rtol=1e-14)
    np.testing.assert_allclose(f(j), 0.02 * r, rtol=1e-14)
    np.testing.assert_allclose(f.derivative(j), 0.02 * d, rtol=1e-14)
    value, slope = f.value_and_derivative(j)
    np.testing.assert_allclose(value, 0.02 * r, rtol=1e-14)
    np.testing.assert_allclose(slope, 0.02 * d, rtol=1e-14)
    both = soft_lif_rate_and_derivative(j, 0.03, 0.004, 0.3)
    np.testing.assert_allclose(both[0], r, rtol=1e-14)
    np.testing.assert_allclose(both[1], d, rtol=1e-14)
    assert repr(f) == "SoftLIF(tau_rc=0.03, tau_ref=0.004, gamma=0.3, amplitude=0.02)"


@pytest.mark.parametrize("make, error, match", [
    (lambda: SoftLIF(gamma=0.0), ValueError, r"^gamma must be > 0, got 0.0$"),
    (lambda: SoftLIF(amplitude=0.0), ValueError, r"^amplitude must be > 0 \(seconds per spike\), got 0.0$"),
    (lambda: SoftLIF(gamma="x"), TypeError, "gamma"),
    (lambda: SoftLIF(amplitude="x"), TypeError, "amplitude"),
    (lambda: SoftLIF(tau_rc=-1.0), ValueError, "^tau_rc must be a positive time in seconds, got -1.0$"),
    (lambda: soft_lif_derivative(1.5, gamma=0.0), ValueError, r"^gamma must be > 0, got 0.0$"),
    (lambda: soft_lif_derivative(1.5, gamma="x"), TypeError, "gamma"),
    (lambda: soft_lif_derivative(1.5, tau_ref=-1.0), ValueError, "^tau_ref must be a non-negative time in seconds"),
    (lambda: soft_lif_derivative([np.nan]), ValueError, "^input j contains NaN$"),
    (lambda: soft_lif_rate(1.5, gamma="x"), TypeError, "gamma"),
    (lambda: lif_rate(1.5, tau_rc="x"), TypeError, "tau_rc"),
    (lambda: lif_rate(1.5, tau_ref="x"), TypeError, "tau_ref"),
])
def test_bad_parameters_of_the_object_and_the_derivative_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_far_below_threshold_the_derivative_takes_its_analytic_limit_without_warnings():
    """Where rho underflows below 1e-300 the derivative uses rho'/rho -> 1/gamma: it still equals finite
    differences there; and no input, however far below or above threshold, prints a numpy warning."""
    import warnings

    from snnlib.ml.softlif import soft_lif_rate_and_derivative

    j = 1 + 0.02 * np.array([-695.0, -700.0, -705.0])        # rho = 3e-304, 2e-306, 1e-308
    r, d = soft_lif_rate_and_derivative(j)
    assert np.all(r > 0.02)
    np.testing.assert_allclose(d, r * r * 0.05 / 0.02, rtol=1e-9)
    h = 1e-4
    np.testing.assert_allclose(d, (soft_lif_rate(j + h) - soft_lif_rate(j - h)) / (2 * h), rtol=1e-6)
    grid = np.concatenate([np.linspace(-20.0, -10.0, 2001), [-1e6, -50.0, 1.0, 1e6]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")                        # divide, overflow and invalid all occur in this grid
        soft_lif_rate(grid)
        soft_lif_rate_and_derivative(grid)
        soft_lif_derivative(grid)


@pytest.mark.parametrize("make, error, match", [
    (lambda: SoftLIF(gamma="x"), TypeError, "^gamma must be a real number"),
    (lambda: SoftLIF(amplitude="x"), TypeError, "^amplitude must be a real number"),
    (lambda: soft_lif_rate(1.5, gamma="x"), TypeError, "^gamma must be a real number"),
    (lambda: soft_lif_derivative(1.5, gamma="x"), TypeError, "^gamma must be a real number"),
    (lambda: lif_rate(1.5, tau_rc="x"), TypeError, "^tau_rc must be a real number"),
    (lambda: lif_rate(1.5, tau_ref="x"), TypeError, "^tau_ref must be a real number"),
    (lambda: lif_rate("abc"), TypeError, "^j must be a number or an array of numbers"),
])
def test_each_parameter_error_starts_with_the_parameters_name(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_no_refractory_period_and_the_threshold_itself():
    """tau_ref = 0 is allowed (the rate is 1 / (tau_rc ln 2) at j = 2), and j = 1 gives 0 Hz without a numpy
    warning (the log term is infinite there)."""
    import warnings

    assert lif_rate(2.0, tau_rc=0.02, tau_ref=0.0)[()] == pytest.approx(1 / (0.02 * np.log(2.0)), rel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lif_rate(np.array([1.0, 0.5]))[0] == 0.0


def test_lif_rate_defaults_are_20_ms_and_2_ms():
    assert lif_rate(2.0)[()] == lif_rate(2.0, tau_rc=0.02, tau_ref=0.002)[()]
