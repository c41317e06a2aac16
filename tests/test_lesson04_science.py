"""The science of lesson 04, checked on the experiments it runs: the NMDA coincidence ratio against the
fixed-voltage closed form, the Tsodyks-Markram release of every spike against an independent recursion and its
steady state against the closed form, the neuromodulated population's switch, and the FiLM network's gradients
and fits."""
from __future__ import annotations

import math

import numpy as np
import pytest

import snnlib as snn
from snnlib.experiments import synapse_demos as syn
from snnlib.experiments.switching import F0, F1, SwitchingPopulation, rms
from snnlib.ml import gating


# -- NMDA: a coincidence detector ------------------------------------------------------------------------------------
@pytest.mark.parametrize("v_post", [-0.055, -0.040, -0.020])
def test_nmda_coincidence_ratio_matches_the_fixed_voltage_closed_form(v_post):
    """A weak synapse barely moves the membrane, so the charge ratio (release onto a depolarised membrane / at rest)
    equals B(v)(E - v) / (B(v_rest)(E - v_rest)) to within 2 %; AMPA's ratio is the driving-force ratio."""
    r = syn.nmda_coincidence(v_post=v_post, weight=0.002)
    assert r.nmda["post alone"] == 0.0
    assert r.nmda_ratio == pytest.approx(syn.nmda_ratio_theory(v_post), rel=0.02)
    assert r.ampa_ratio == pytest.approx(v_post / syn.V_REST, rel=0.02)


def test_nmda_ratio_grows_with_depolarisation_and_mg_makes_the_difference():
    ratios = [syn.nmda_coincidence(v_post=v).nmda_ratio for v in (-0.060, -0.040, -0.020)]
    assert ratios[0] < ratios[1] < ratios[2] and ratios[1] > 2.5
    no_mg = syn.nmda_coincidence(v_post=-0.040, mg=0.0)
    assert no_mg.nmda_ratio == pytest.approx(no_mg.ampa_ratio, rel=0.02) and no_mg.nmda_ratio < 1.0


def test_nmda_theory_by_hand():
    # Jahr & Stevens at -70 mV and 1 mM: 1 / (1 + exp(4.34) / 3.57) = 0.0437
    assert snn.NMDASynapse.block(-0.070) == pytest.approx(1 / (1 + math.exp(4.34) / 3.57), rel=1e-12)
    b40, b70 = 1 / (1 + math.exp(0.062 * 40) / 3.57), 1 / (1 + math.exp(0.062 * 70) / 3.57)
    assert syn.nmda_ratio_theory(-0.040) == pytest.approx(b40 * 40 / (b70 * 70), rel=1e-12)


def test_nmda_coincidence_refuses_a_voltage_in_millivolts():
    with pytest.raises(ValueError, match="v_post"):
        syn.nmda_coincidence(v_post=-40.0)


# -- Tsodyks-Markram: every spike and the steady state ------------------------------------------------------------
def _tm_recursion(times, U, tau_D, tau_F):
    """NEST tsodyks2 written out independently: recovery since the last spike, facilitation, release."""
    u, x, last, out = 0.0, 1.0, None, []
    for t in times:
        if last is not None:
            h = t - last
            x = 1 - (1 - x) * math.exp(-h / tau_D)
            u = u * math.exp(-h / tau_F) if tau_F > 0 else 0.0
        u = u + U * (1 - u)
        out.append(u * x)
        x -= u * x
        last = t
    return np.array(out)


@pytest.mark.parametrize("U, tau_D, tau_F", [(0.5, 0.8, 0.0), (0.03, 0.13, 0.53), (0.2, 0.05, 0.3)])
def test_stp_release_of_every_spike_of_an_irregular_train_matches_the_recursion(U, tau_D, tau_F):
    times = 0.01 + np.cumsum(np.random.default_rng(0).integers(20, 800, 40)) * 1e-4      # on the 0.1 ms grid
    run = syn.stp_response(times, snn.TsodyksMarkram(U=U, tau_D=tau_D, tau_F=tau_F))
    assert run.release.size == times.size
    assert np.allclose(run.release, _tm_recursion(times, U, tau_D, tau_F), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("rate", [5.0, 20.0, 80.0])
def test_stp_steady_state_of_a_regular_train_is_the_closed_form(rate):
    for model in (snn.TsodyksMarkram(U=0.5, tau_D=0.8), snn.TsodyksMarkram(U=0.03, tau_D=0.13, tau_F=0.53)):
        run = syn.stp_response(syn.regular_train(rate, 0.01 + 150 / rate, start=0.01), model)
        assert run.release[-1] == pytest.approx(model.steady_state(rate)[2], rel=1e-4)


def test_depressing_synapse_transmits_about_one_over_tau_D_at_high_rates():
    dep = snn.TsodyksMarkram(U=0.5, tau_D=0.8)
    transmitted = [f * dep.steady_state(f)[2] for f in (20.0, 40.0, 80.0)]
    assert all(abs(t * dep.tau_D - 1) < 0.1 for t in transmitted)        # within 10 % of 1/tau_D from 20 Hz up


def test_regular_train_counts_and_rejects_a_bad_rate():
    assert syn.regular_train(20.0, 1.0).size == 20
    assert syn.regular_train(50.0, 2.0, start=0.01).size == 100
    with pytest.raises(ValueError, match="rate"):
        syn.regular_train(0.0, 1.0)


# -- neuromodulation: the same decoders, another function ---------------------------------------------------------
@pytest.fixture(scope="module")
def population():
    return SwitchingPopulation(n=100, seed=0)


def test_fixed_decoders_compute_x_without_and_x_squared_with_the_modulator(population):
    x = population.x_train
    at0, at1 = population.decode(x, 0.0), population.decode(x, 1.0)
    assert rms(at0, F0(x)) < 0.15 and rms(at1, F1(x)) < 0.15
    assert rms(at0, F1(x)) > 0.5 and rms(at1, F0(x)) > 0.5


def test_spiking_simulation_gives_the_analytic_decoded_output(population):
    x = population.x_train[::4]
    for m in (0.0, 0.5, 1.0):
        out, rates = population.simulate(x, m, t_stop=1.0, dt=1e-4)
        assert np.abs(rates - population.rates(x, m)).max() <= 1.5          # whole spikes in 1 s (+ phase)
        assert rms(out, population.decode(x, m)) < 0.02


def test_the_modulator_acts_only_through_receptors():
    pop = SwitchingPopulation(n=50, seed=1, sensitive=0.0)
    assert np.all(pop.k == 0)
    x = pop.x_train[::5]
    assert np.array_equal(pop.simulate(x, 0.0)[1], pop.simulate(x, 1.0)[1])


def test_a_readout_never_fitted_under_the_modulator_keeps_the_old_function(population):
    f0_only = SwitchingPopulation(n=100, seed=0, train_levels=(0.0,))
    x = f0_only.x_train
    out = f0_only.decode(x, 1.0)
    assert rms(out, F0(x)) < rms(out, F1(x))
    assert np.array_equal(f0_only.k, population.k)                      # the same neurons and receptors


def test_switching_population_rejects_bad_parameters():
    with pytest.raises(ValueError, match="sensitive"):
        SwitchingPopulation(sensitive=1.5)
    with pytest.raises(ValueError, match="train_levels"):
        SwitchingPopulation(train_levels=(0.5,))
    with pytest.raises(ValueError, match="modulator"):
        SwitchingPopulation(n=10).simulate([0.0], -1.0)


# -- deep learning's side: FiLM ---------------------------------------------------------------------------------------
def _task():
    x = np.linspace(-1, 1, 41)
    return np.concatenate([x, x]), np.repeat([0.0, 1.0], x.size), np.concatenate([F0(x), F1(x)])


@pytest.mark.parametrize("kind", ["film", "input", "none"])
def test_gated_mlp_gradients_match_finite_differences(kind):
    X, C, Y = _task()
    net = gating.train_gated_mlp(X, C, Y, kind, steps=5, seed=2)
    loss, grads = gating._grads(net.params, kind, X, C, Y)
    for name, p in net.params.items():
        for idx in list(np.ndindex(p.shape))[:3]:
            q = {k: np.array(v, dtype=float, copy=True) for k, v in net.params.items()}
            q[name][idx] += 1e-6
            numeric = (gating._grads(q, kind, X, C, Y)[0] - loss) / 1e-6
            assert numeric == pytest.approx(float(np.asarray(grads[name])[idx]), abs=1e-4, rel=1e-3), (name, idx)


def test_film_learns_both_functions_and_a_network_without_context_cannot():
    X, C, Y = _task()
    x = X[:41]
    film = gating.train_gated_mlp(X, C, Y, "film", steps=3000, seed=0)
    none = gating.train_gated_mlp(X, C, Y, "none", steps=3000, seed=0)
    assert rms(film.predict(x, 0.0), F0(x)) < 0.05 and rms(film.predict(x, 1.0), F1(x)) < 0.05
    # without c the best any function of x can do is the mean of the two targets: RMS = rms(x - x^2) / 2
    floor = rms(F0(x), F1(x)) / 2
    assert rms(none.predict(x, 0.0), F0(x)) >= floor - 1e-3 and rms(none.predict(x, 1.0), F1(x)) >= floor - 1e-3
    assert film.n_params == 16 * (1 + 1 + 1 + 4) + 1


def test_gated_mlp_rejects_bad_input():
    with pytest.raises(ValueError, match="gating"):
        gating.train_gated_mlp([0.0], [0.0], [0.0], "attention")
    with pytest.raises(ValueError, match="length"):
        gating.train_gated_mlp([0.0, 1.0], [0.0], [0.0])
