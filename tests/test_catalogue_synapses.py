"""The synapse catalogue (alpha, double exponential, conductance, NMDA) in the generated kernel, against closed
forms: the PSC's shape, peak time and area, the reversal-potential law, and the Mg2+ block of Jahr & Stevens
(1990)."""

import math

import numpy as np
import pytest

import snnlib as snn

DT = 1e-4
T_SPIKE = 0.01


def impulse_current(synapse, w=0.7, t_stop=0.3, neuron=None, bias=0.0):
    """One spike at T_SPIKE through weight w onto a neuron that never fires; (time since the spike, current,
    voltage at the step's start)."""
    net = snn.Network(seed=0)
    kick = net.spike_times(1, [T_SPIKE])
    pop = net.population(1, neuron or snn.LIF(v_th=1e9), bias=bias)
    net.connect(kick, pop, weights=w, synapse=synapse)
    cp, vp = net.probe(pop, "current"), net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=DT)
    sim.run(t_stop)
    # the spike reaches state[0] at the end of the step ending at T_SPIKE; the current read at a step's start
    t = np.round((sim.trange(cp) - DT - T_SPIKE) / DT) * DT          # whole steps since the spike
    v_start = np.concatenate([[sim.data[vp][0, 0]], sim.data[vp][:-1, 0]])      # voltage at each step's start
    return t, sim.data[cp][:, 0], v_start


@pytest.mark.parametrize("synapse", [snn.AlphaSynapse(4e-3), snn.DoubleExpSynapse(1e-3, 6e-3),
                                     snn.AlphaSynapse(4e-3, normalize="area"),
                                     snn.DoubleExpSynapse(2e-3, 20e-3, normalize="area")])
def test_psc_is_the_closed_form_sampled_exactly(synapse):
    w = 0.7
    t, got, _ = impulse_current(synapse, w)
    expected = np.where(t >= 0, w * synapse.gain * synapse.unit_response(np.maximum(t, 0)), 0.0)
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-14)
    k = np.argmax(got)
    assert abs(t[k] - synapse.peak_time) <= DT                  # peak time
    if synapse.normalize == "peak":
        assert got.max() == pytest.approx(w, rel=2e-3)          # peak w (sampled within one step of the peak)
    else:
        assert got.sum() * DT == pytest.approx(w, rel=1e-2)      # area w (Riemann sum; tail past 0.3 s ~ 0)


def test_double_exponential_peak_time_formula():
    s = snn.DoubleExpSynapse(tau_rise=2e-3, tau_decay=10e-3)
    t = np.linspace(0, 0.05, 500001)
    assert t[np.argmax(s.unit_response(t))] == pytest.approx(s.peak_time, abs=1e-6)
    assert s.peak_time == pytest.approx(2e-3 * 10e-3 * math.log(5) / 8e-3)


def test_conductance_current_follows_the_reversal_potential():
    """J_syn = g (E_rev - v) with v the voltage at the step's start: inhibitory (E_rev below v) currents are
    negative, and the current vanishes at the reversal potential."""
    mV = 1e-3
    neuron = snn.LIF(tau_rc=0.02, v_th=-50 * mV, v_reset=-70 * mV, v_rest=-70 * mV)
    syn = snn.ConductanceSynapse(tau=5e-3, E_rev=-80 * mV)
    t, got, v = impulse_current(syn, w=0.5, neuron=neuron)
    g = np.where(t >= 0, 0.5 * np.exp(-np.maximum(t, 0) / 5e-3), 0.0)
    assert np.allclose(got, g * (-80 * mV - v), rtol=1e-9, atol=1e-15)
    assert got.min() < 0 and got.max() == 0.0
    t2, at_rev, _ = impulse_current(syn, w=0.5, neuron=snn.LIF(v_th=1.0, v_reset=-80 * mV, v_rest=-80 * mV))
    assert np.all(at_rev == 0.0)


def test_mg_block_is_jahr_and_stevens():
    """B(v) = 1 / (1 + [Mg]/3.57 exp(-0.062 v/mV)): about 4 % unblocked at -70 mV, 78 % at 0 mV (1 mM)."""
    B = snn.NMDASynapse.block
    assert B(-0.070) == pytest.approx(1 / (1 + math.exp(0.062 * 70) / 3.57))
    assert 0.04 < B(-0.070) < 0.05 and 0.77 < B(0.0) < 0.79
    assert B(-0.070, mg=0.0) == 1.0


def test_nmda_current_is_the_blocked_conductance_and_detects_coincidence():
    """The NMDA drive equals g(t) B(v) (E - v). The same release opens about 10x more unblocked conductance on a
    neuron depolarised to about -20 mV than at rest (-70 mV), B(-20 mV)/B(-70 mV) = 11.6; the charge grows
    about 3x only, because the driving force E - v shrinks from 70 to 20 mV."""
    mV = 1e-3
    syn = snn.NMDASynapse()
    rest = snn.LIF(tau_rc=0.02, v_th=1.0, v_reset=-70 * mV, v_rest=-70 * mV)      # never fires
    t, at_rest, v = impulse_current(syn, w=0.2, neuron=rest)
    g = np.where(t >= 0, 0.2 * syn.derived(DT)["gain"] * snn.DoubleExpSynapse(2e-3, 0.1).unit_response(
        np.maximum(t, 0)), 0.0)
    assert np.allclose(at_rest, g * syn.block(v) * (0.0 - v), rtol=1e-9, atol=1e-15)
    _, depolarised, v_dep = impulse_current(syn, w=0.2, neuron=rest, bias=50 * mV)    # held near -20 mV
    open_dep, open_rest = (depolarised / (0.0 - v_dep)).sum(), (at_rest / (0.0 - v)).sum()
    assert open_dep > 8 * open_rest > 0             # the release itself depolarises a little: not quite 11.6
    assert 2.5 < depolarised.sum() / at_rest.sum() < 4.0


@pytest.mark.parametrize("make, bad, name", [
    (lambda x: snn.AlphaSynapse(tau=x), 0.0, "tau"),
    (lambda x: snn.AlphaSynapse(normalize=x), "max", "normalize"),
    (lambda x: snn.DoubleExpSynapse(tau_rise=x), -1e-3, "tau_rise"),
    (lambda x: snn.DoubleExpSynapse(tau_rise=x, tau_decay=5e-3), 6e-3, "tau_rise"),
    (lambda x: snn.ConductanceSynapse(E_rev=x), -70.0, "E_rev"),
    (lambda x: snn.ConductanceSynapse(tau=x), float("inf"), "tau"),
    (lambda x: snn.NMDASynapse(mg=x), -1.0, "mg"),
    (lambda x: snn.NMDASynapse(tau_decay=x), "100 ms", "tau_decay"),
])
def test_bad_parameters_are_named(make, bad, name):
    with pytest.raises((ValueError, TypeError), match=rf"^{name}\b"):
        make(bad)
