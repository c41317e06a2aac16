"""Invalid parameters raise ValueError/TypeError with a message, never a numba error or a NaN."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import snnlib as snn

bad_time = st.one_of(st.floats(max_value=0.0, allow_nan=False), st.just(math.nan), st.just(math.inf),
                     st.just(-math.inf))
settings.register_profile("course", max_examples=40, deadline=None)
settings.load_profile("course")


@given(bad_time)
def test_bad_membrane_time_constant(tau):
    with pytest.raises(ValueError, match="tau_rc"):
        snn.LIF(tau_rc=tau)


@given(st.one_of(st.floats(max_value=-1e-12, allow_nan=False), st.just(math.nan)))
def test_bad_refractory_period(tau_ref):
    with pytest.raises(ValueError, match="tau_ref"):
        snn.LIF(tau_ref=tau_ref)


@given(bad_time)
def test_bad_synapse_tau(tau):
    with pytest.raises(ValueError, match="tau"):
        snn.ExpSynapse(tau)


@given(bad_time)
def test_bad_stdp_tau(tau):
    with pytest.raises(ValueError, match="tau_plus"):
        snn.STDP(tau_plus=tau)


@given(st.one_of(st.floats(min_value=1.0000001, allow_nan=False), st.floats(max_value=-1e-9, allow_nan=False),
                 st.just(math.nan)))
def test_connection_probability_outside_unit_interval(p):
    net = snn.Network(seed=0)
    a = net.population(5)
    with pytest.raises(ValueError, match="^p must"):
        net.connect_random(a, a, p=p, weight=0.1)


@given(st.one_of(st.floats(max_value=0.0, allow_nan=False), st.just(math.nan)))
def test_bad_dt_or_run_time(dt):
    net = snn.Network(seed=0)
    net.population(2)
    with pytest.raises(ValueError, match="dt"):
        snn.Simulator(net, dt=dt)
    sim = snn.Simulator(net, dt=1e-3)
    with pytest.raises(ValueError, match="t must"):
        sim.run(dt if dt < 0 or math.isnan(dt) else -1.0)


@given(st.floats(min_value=0.02, max_value=1.0))
def test_dt_not_below_time_constants(dt):
    net = snn.Network(seed=0)
    net.population(2, snn.LIF(tau_rc=0.02))
    with pytest.raises(ValueError, match="tau_rc"):
        snn.Simulator(net, dt=dt)


@given(st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=6))
def test_weight_shape_mismatch(rows, cols):
    net = snn.Network(seed=0)
    a, b = net.population(3), net.population(4)
    if (rows, cols) == (4, 3):
        return
    with pytest.raises(ValueError, match=r"expected \(post.n, pre.n\) = \(4, 3\)"):
        net.connect(a, b, weights=np.ones((rows, cols)))


def test_wrong_types_and_values_name_the_parameter():
    net = snn.Network(seed=0)
    pop = net.population(3)
    cases = [
        (lambda: snn.LIF(tau_rc="20ms"), TypeError, "tau_rc must be a real number"),
        (lambda: snn.LIF(v_reset=1.0, v_th=1.0), ValueError, "v_reset"),
        (lambda: net.population(0), ValueError, "n must be >= 1"),
        (lambda: net.population(2.5), TypeError, "n must be an integer"),
        (lambda: net.population(3, bias=[1, 2]), ValueError, r"bias has shape \(2,\)"),
        (lambda: net.population(3, bias=[1, np.nan, 2]), ValueError, "finite"),
        (lambda: net.probe(pop, "potential"), ValueError, "unknown probe target 'potential'"),
        (lambda: net.probe(pop, "voltage", indices=[5]), ValueError, r"indices must be indices in \[0, 3\)"),
        (lambda: net.probe(pop, "voltage", every=0), ValueError, "every must be >= 1"),
        (lambda: net.poisson(3, rate=-1.0), ValueError, "rate must be >= 0"),
        (lambda: net.connect(pop, snn.Network().population(3), weights=1.0), ValueError, "post must be a population"),
        (lambda: net.connect(pop, pop, weights=1.0, synapse=5.0), TypeError, "synapse must be an ExpSynapse"),
        (lambda: net.input(pop, "loud"), TypeError, "signal must be"),
        (lambda: snn.ExpSynapse(0.005, normalize="height"), ValueError, "normalize"),
        (lambda: snn.STDP(w_min=1.0, w_max=0.5), ValueError, "w_min"),
        (lambda: snn.Network(seed=-1), ValueError, "seed"),
    ]
    for make, error, message in cases:
        with pytest.raises(error, match=message):
            make()


def test_time_function_returning_nan_or_wrong_shape():
    for function, message in [(lambda t: math.nan, "non-finite"), (lambda t: np.ones(5), "shape")]:
        net = snn.Network(seed=0)
        pop = net.population(3)
        net.input(pop, function)
        sim = snn.Simulator(net, dt=1e-3)
        with pytest.raises(ValueError, match=message):
            sim.run(0.01)


def test_poisson_rate_too_high_for_dt():
    net = snn.Network(seed=0)
    net.poisson(2, rate=2000.0)
    sim = snn.Simulator(net, dt=1e-3)
    with pytest.raises(ValueError, match="at most one spike per step"):
        sim.run(0.01)


def test_unknown_probe_or_connection_lookup():
    net = snn.Network(seed=0)
    pop = net.population(2)
    other = snn.Network(seed=0)
    p_other = other.probe(other.population(2), "spikes")
    c_other = other.connect(other.populations[0], other.populations[0], weights=1.0)
    sim = snn.Simulator(net)
    with pytest.raises(KeyError, match="not a probe"):
        sim._probe_data(p_other)
    with pytest.raises(ValueError, match="not a connection"):
        sim.weights(c_other)
    assert pop.n == 2
