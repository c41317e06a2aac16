"""Bad parameters of the modulator models (modulator, modulate, ThreeFactorSTDP, in-loop Poisson) raise a
ValueError/TypeError naming the parameter (hypothesis draws the bad values)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import snnlib as snn

#: not a finite number >= 0 (so bad for a time constant, an amplitude or a rate)
BAD_NONNEG = st.one_of(st.just(float("nan")), st.just(float("inf")), st.just("0.1"), st.just(None),
                       st.just(True), st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
#: not a finite number > 0
BAD_POSITIVE = st.one_of(BAD_NONNEG, st.just(0.0))
#: not a finite real number
BAD_REAL = st.one_of(st.just(float("nan")), st.just(float("-inf")), st.just("1"), st.just(None), st.just(True))


def _rule(**kw):
    return snn.ThreeFactorSTDP(snn.Network().modulator(0.0), **kw)


@settings(max_examples=80, deadline=None)
@given(name=st.sampled_from(["a_plus", "a_minus"]), value=BAD_NONNEG)
def test_three_factor_stdp_amplitudes(name, value):
    with pytest.raises((ValueError, TypeError), match=rf"^{name}\b"):
        _rule(**{name: value})


@settings(max_examples=80, deadline=None)
@given(name=st.sampled_from(["tau_plus", "tau_minus", "tau_c"]), value=BAD_POSITIVE)
def test_three_factor_stdp_time_constants(name, value):
    with pytest.raises((ValueError, TypeError), match=rf"^{name}\b"):
        _rule(**{name: value})


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(["w_min", "w_max"]), value=BAD_REAL)
def test_three_factor_stdp_bounds(name, value):
    with pytest.raises((ValueError, TypeError), match=rf"^{name}\b"):
        _rule(**{name: value})


@settings(max_examples=30, deadline=None)
@given(w_min=st.floats(-10, 10), gap=st.floats(0, 10))
def test_three_factor_stdp_needs_w_min_below_w_max(w_min, gap):
    with pytest.raises(ValueError, match="w_min .* must be below w_max"):
        _rule(w_min=w_min, w_max=w_min - gap)


@settings(max_examples=60, deadline=None)
@given(value=BAD_POSITIVE)
def test_modulator_tau(value):
    net = snn.Network(seed=0)
    pop = net.population(3)
    with pytest.raises((ValueError, TypeError), match=r"^tau\b"):
        net.modulator(pop, tau=value)


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.just(float("nan")), st.just(float("inf")), st.just([1.0, 2.0]), st.just("a"),
                       st.lists(st.floats(allow_nan=False), min_size=4, max_size=4)))
def test_modulator_weights(value):
    net = snn.Network(seed=0)
    pop = net.population(3)
    with pytest.raises((ValueError, TypeError), match=r"^weights\b"):
        net.modulator(pop, tau=0.1, weights=value)


@settings(max_examples=60, deadline=None)
@given(value=st.sampled_from([float("nan"), float("-inf"), "abc", None, np.ones(2), np.ones((3, 3))]))
def test_modulation_scale(value):
    net = snn.Network(seed=0)
    pop = net.population(3)
    m = net.modulator(0.5)
    with pytest.raises((ValueError, TypeError), match=r"^scale\b"):
        net.modulate(pop, "gain", m, scale=value)


@settings(max_examples=40, deadline=None)
@given(value=st.one_of(st.text(max_size=12).filter(lambda s: s not in ("gain", "bias", "threshold")),
                       st.integers(), st.none()))
def test_modulation_parameter_name(value):
    net = snn.Network(seed=0)
    pop = net.population(3)
    m = net.modulator(0.5)
    with pytest.raises(ValueError, match=r"^parameter must be one of"):
        net.modulate(pop, value, m)
