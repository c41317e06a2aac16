"""snnlib.nef, principle 1: gain and bias, tuning curves, LstsqL2 decoders, decoding error against N."""

import numpy as np
import pytest

import snnlib as snn
from snnlib import nef
from snnlib.nef.tuning import gain_bias, max_rates_intercepts

X = np.linspace(-1, 1, 401)


def test_gain_bias_hand_computed_case():
    # intercept 0, max rate 100 Hz, tau_rc 20 ms, tau_ref 2 ms: the drive reaching 100 Hz is
    # z = 1 / (1 - exp((0.002 - 0.01) / 0.02)) = 1 / (1 - e^-0.4); gain = z - 1 (intercept 0), bias = 1
    z = 1.0 / (1.0 - np.exp(-0.4))
    gain, bias = gain_bias(100.0, 0.0)
    assert gain[0] == pytest.approx(z - 1.0, rel=1e-12)
    assert bias[0] == pytest.approx(1.0, rel=1e-12)


def test_gain_bias_reproduce_intercepts_and_max_rates_through_the_lif_curve():
    ens = nef.Ensemble(200, dimensions=1, seed=3)
    lif = snn.LIF()                                           # snnlib's own rate formula, not the NEF code's
    edge = lif.rates(ens.gain * 1.0 + ens.bias)               # e . x = radius (x = e for a unit encoder)
    assert np.allclose(edge, ens.max_rates, rtol=1e-10)
    at_intercept = ens.gain * ens.intercepts + ens.bias
    assert np.allclose(at_intercept, 1.0, atol=1e-12)         # the threshold drive exactly at the intercept
    assert np.all(lif.rates(at_intercept + 1e-6) > 0) and np.all(lif.rates(at_intercept - 1e-6) == 0)
    assert ens.max_rates.min() >= 200 and ens.max_rates.max() <= 400                  # Nengo's defaults
    assert ens.intercepts.min() >= -1 and ens.intercepts.max() <= 0.9


def test_simulated_rates_at_the_edge_equal_the_requested_max_rates():
    ens = nef.Ensemble(20, dimensions=2, radius=2.0, seed=1, max_rates=nef.Uniform(50, 150))
    net = snn.Network(seed=0)
    pop = net.population(ens.n_neurons, bias=ens.drive(2.0 * ens.encoders).diagonal())   # each at its edge
    probe = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(4.0)
    # a rate measured as a count over 4 s: one spike of quantisation on top of 1 %
    assert np.all(np.abs(sim.data[probe].rates() - ens.max_rates) <= 0.01 * ens.max_rates + 0.25)


def test_max_rates_intercepts_inverts_gain_bias():
    rng = np.random.default_rng(0)
    rates, icpt = rng.uniform(10, 450, 50), rng.uniform(-2, 0.95, 50)
    gain, bias = gain_bias(rates, icpt, tau_rc=0.03, tau_ref=0.002)
    back_rates, back_icpt = max_rates_intercepts(gain, bias, tau_rc=0.03, tau_ref=0.002)
    assert np.allclose(back_rates, rates, rtol=1e-9) and np.allclose(back_icpt, icpt, atol=1e-12)


@pytest.mark.parametrize("kwargs, name", [
    (dict(max_rates=600.0), "max_rates"),            # above 1/tau_ref = 500 Hz
    (dict(max_rates=0.0), "max_rates"),
    (dict(intercepts=1.0), "intercepts"),
    (dict(intercepts=np.nan), "intercepts"),
])
def test_bad_tuning_parameters_are_named(kwargs, name):
    with pytest.raises(ValueError, match=name):
        nef.Ensemble(10, seed=0, **kwargs)


def test_bad_ensemble_arguments():
    with pytest.raises(TypeError, match="n_neurons"):
        nef.Ensemble(10.5)
    with pytest.raises(ValueError, match="radius"):
        nef.Ensemble(10, radius=0)
    with pytest.raises(ValueError, match="normalised"):
        nef.Ensemble(10, neuron=snn.LIF(v_th=-0.05, v_reset=-0.06, v_rest=-0.07))
    with pytest.raises(ValueError, match="encoders"):
        nef.Ensemble(2, dimensions=2, encoders=[[1.0, 0.0], [0.0, 0.0]])
    ens = nef.Ensemble(10, dimensions=2, seed=0)
    with pytest.raises(ValueError, match=r"shape \(points, 2\)"):
        ens.rates(np.zeros((5, 3)))


def test_encoders_are_unit_vectors_and_eval_points_in_the_ball():
    ens = nef.Ensemble(300, dimensions=3, radius=1.5, seed=2)
    assert np.allclose(np.linalg.norm(ens.encoders, axis=1), 1.0)
    assert ens.eval_points.shape == (max(1500, 600), 3)                   # Nengo's heuristic, 500 d
    assert np.linalg.norm(ens.eval_points, axis=1).max() <= 1.5 + 1e-12
    # uniform in the ball: the fraction inside half the radius is (1/2)^3
    assert np.mean(np.linalg.norm(ens.eval_points, axis=1) < 0.75) == pytest.approx(0.125, abs=0.03)


def test_same_seed_same_ensemble():
    a, b = nef.Ensemble(50, seed=7), nef.Ensemble(50, seed=7)
    assert np.array_equal(a.gain, b.gain) and np.array_equal(a.encoders, b.encoders)
    assert not np.array_equal(a.gain, nef.Ensemble(50, seed=8).gain)


def test_lstsql2_solves_the_regularised_normal_equations():
    rng = np.random.default_rng(1)
    for m, n in [(200, 30), (20, 60)]:                   # both of Cholesky's branches (m >= n and m < n)
        A = rng.uniform(0, 300, (m, n))
        Y = rng.normal(size=(m, 2))
        D, info = nef.LstsqL2(reg=0.1)(A, Y)
        sigma = 0.1 * A.max()
        expected = np.linalg.solve(A.T @ A + m * sigma ** 2 * np.eye(n), A.T @ Y)
        assert np.allclose(D, expected, rtol=1e-7, atol=1e-12)
        assert np.allclose(info["rmses"], np.sqrt(np.mean((A @ D - Y) ** 2, axis=0)))
    A = rng.uniform(0, 1, (100, 5))
    assert np.allclose(nef.LstsqL2(reg=0)(A, A @ np.arange(5.0))[0], np.arange(5.0))   # exact data, no reg


def test_lstsql2_rejects_all_zero_activities():
    with pytest.raises(ValueError, match="all zero"):
        nef.LstsqL2()(np.zeros((10, 3)), np.ones(10))


def test_decoders_of_a_function_and_of_identity():
    ens = nef.Ensemble(200, seed=0)
    D = ens.decoders()
    assert D.shape == (200, 1)
    assert np.sqrt(np.mean((ens.decode(X, D)[:, 0] - X) ** 2)) < 0.02
    D2 = ens.decoders(np.square)
    assert np.sqrt(np.mean((ens.decode(X, D2)[:, 0] - X ** 2) ** 2)) < 0.03
    D3 = ens.decoders(lambda x: [x[0], -x[0]])
    assert D3.shape == (200, 2) and np.allclose(D3[:, 1], -D3[:, 0])
    with pytest.raises(ValueError, match="NaN"):
        with np.errstate(invalid="ignore"):
            ens.decoders(lambda x: np.log(x))


def _static_errors(n, seeds=range(5)):
    """(distortion RMS, noise RMS) of the identity decoder, averaged over seeds.

    Noise: spikes make each rate a_i fluctuate; LstsqL2 models it as independent noise of s.d. sigma =
    0.1 max(A) per neuron, which reaches the estimate as sigma * |D| (Eliasmith & Anderson 2003, ch. 2)."""
    dist, noise = [], []
    for seed in seeds:
        ens = nef.Ensemble(n, seed=seed)
        A, D = ens.rates(X), ens.decoders()
        dist.append(np.sqrt(np.mean((A @ D - X[:, None]) ** 2)))
        noise.append(0.1 * A.max() * np.linalg.norm(D))
    return np.mean(dist), np.mean(noise)


def test_static_decoding_error_falls_with_n_and_noise_as_one_over_sqrt_n():
    ns = np.array([25, 50, 100, 200, 400, 800])
    dist, noise = np.array([_static_errors(n) for n in ns]).T
    assert np.all(np.diff(dist) < 0) and np.all(np.diff(noise) < 0)
    slope = np.polyfit(np.log(ns), np.log(noise), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.06)              # measured -0.52
    assert np.all(dist < noise)                                # with reg 0.1 the noise term dominates


def _simulated_error(n, seed, T=2.0):
    model = nef.Network(seed=seed)
    stim = model.node(lambda t: -1 + 2 * t / T)                # a slow ramp through the whole range
    ens = model.ensemble(n)
    model.connect(stim, ens, synapse=None)
    p, p_in = model.probe(ens, synapse=0.01), model.probe(stim, synapse=0.01)
    sim = nef.Simulator(model)
    sim.run(T)
    err = sim.data[p][50:, 0] - sim.data[p_in][50:, 0]
    return np.sqrt(np.mean(err ** 2))


def test_simulated_decoding_error_falls_as_one_over_sqrt_n():
    ns = np.array([25, 100, 400])
    errs = np.array([np.mean([_simulated_error(n, s) for s in range(3)]) for n in ns])
    slope = np.polyfit(np.log(ns), np.log(errs), 1)[0]
    assert -0.7 < slope < -0.4                                 # measured about -0.55 (25..800 neurons)
