"""LIF neuron: simulated rates against the analytic formula, and the exact step function."""

import math

import numpy as np
import pytest

import snnlib as snn
from snnlib.neurons.lif import lif_step
from snnlib.units import mV, ms


def simulate_rates(neuron, J, dt, t=2.0):
    net = snn.Network(seed=0)
    pop = net.population(len(J), neuron)
    net.input(pop, snn.Constant(J))
    probe = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=dt)
    sim.run(t)
    return sim.data[probe].rates()


@pytest.mark.parametrize("J, expected", [(1.5, 41.7149), (2.0, 63.0400), (5.0, 154.7300)])
def test_known_rates(J, expected):
    assert snn.LIF().rates(J) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize("dt", [1e-3, 1e-4, 2e-3])  # a neuron spikes at most once per step: rate < 1/dt
def test_simulated_rate_equals_analytic_within_1_percent(dt):
    lif = snn.LIF()
    J = np.array([1.05, 1.2, 1.5, 2.0, 3.0, 5.0, 10.0, 50.0])
    simulated = simulate_rates(lif, J, dt, t=4.0)
    analytic = lif.rates(J)
    # a rate is measured as a spike count over 4 s: allow one spike of quantisation on top of 1 %
    assert np.all(np.abs(simulated - analytic) <= 0.01 * analytic + 1 / 4.0)


def test_si_units_rate_matches_formula():
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV, v_rest=-70 * mV)
    J = np.array([21, 25, 30, 40]) * mV       # rheobase is 20 mV
    analytic = 1 / (5 * ms + 20 * ms * np.log((-70 * mV + J + 60 * mV) / (-70 * mV + J + 50 * mV)))
    assert np.allclose(lif.rates(J), analytic)
    assert np.allclose(simulate_rates(lif, J, 1e-4, t=4.0), analytic, rtol=0.01, atol=0.25)


def test_no_spikes_at_or_below_rheobase_and_saturation():
    lif = snn.LIF()
    rates = simulate_rates(lif, np.array([0.0, 0.5, 1.0, 1e6]), 1e-3, t=1.0)
    assert list(rates[:3]) == [0, 0, 0]
    assert lif.rates(1e6) == pytest.approx(1 / lif.tau_ref, rel=1e-3)
    assert rates[3] == pytest.approx(1 / lif.tau_ref, rel=0.01)


def test_step_function_exact_integration():
    # below threshold the step is the exact exponential relaxation
    v, ref, spiked = lif_step(0.2, 0.0, 0.8, 1e-3, 0.02, 0.002, 1.0, 0.0, 0.0)
    assert not spiked and ref == 0.0
    assert v == pytest.approx(0.8 + (0.2 - 0.8) * math.exp(-1e-3 / 0.02), rel=1e-12)
    # fully refractory: voltage held
    v, ref, spiked = lif_step(0.0, 0.0015, 5.0, 1e-3, 0.02, 0.002, 1.0, 0.0, 0.0)
    assert (v, spiked) == (0.0, False) and ref == pytest.approx(0.0005)


def test_spike_crossing_time_carries_into_refractory_period():
    # from v just below threshold with large drive, the crossing happens early in the step
    tau, dt, J = 0.02, 1e-3, 2.0
    v0 = 0.99
    t_cross = tau * math.log((J - v0) / (J - 1.0))
    v, ref, spiked = lif_step(v0, 0.0, J, dt, tau, 0.002, 1.0, 0.0, 0.0)
    assert spiked and v == 0.0
    assert ref == pytest.approx(0.002 - (dt - t_cross), rel=1e-9)


def test_simulate_lif_entry_point():
    result = snn.simulate_lif(2.0, t_stop=1.0)
    assert result.rate == pytest.approx(63.04, abs=1.0)
    assert result.v.shape == result.t.shape == (1000,)
    assert np.all(result.v < 1.0)
