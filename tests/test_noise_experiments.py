"""snnlib.experiments.noise (lesson 05) against theory: CV and Fano factor near 1 under balanced fluctuating drive
and near 0 under constant drive, the noise part of a population's decoding error falling as 1/sqrt(N), release
with mean p and variance p(1 - p), stochastic resonance with an interior peak, graceful ablation; dropout in the
numpy ANN; the lesson's two kept views."""
from __future__ import annotations

import numpy as np
import pytest

from snnlib.experiments import noise as nz


def test_balanced_fluctuating_drive_fires_like_a_poisson_process():
    r = nz.simulate_irregular_firing(seed=0)
    assert nz.MEAN_BALANCED < 1.0                     # the mean alone never reaches threshold
    assert 0.85 < r.cv < 1.15 and 0.8 < r.fano < 1.2, (r.cv, r.fano)
    assert 3.0 < r.rate < 15.0                        # cortex-like rates, not a saturated neuron


def test_constant_drive_fires_like_a_clock():
    r = nz.simulate_irregular_firing(mean=nz.MEAN_CONSTANT, sigma=0.0, seed=0)
    assert r.cv < 0.01 and r.fano < 0.1, (r.cv, r.fano)
    # the rate is the LIF formula's (normalised LIF: tau_rc 20 ms, tau_ref 2 ms)
    assert r.rate == pytest.approx(1 / (0.002 + 0.02 * np.log(1.5 / 0.5)), rel=0.02)


def test_sub_threshold_constant_drive_is_silent_and_statistics_are_nan():
    r = nz.simulate_irregular_firing(mean=0.9, sigma=0.0, n_neurons=5, t_stop=1.0)
    assert r.rate == 0 and np.isnan(r.cv) and np.isnan(r.fano) and r.isis.size == 0


def test_same_seed_same_spikes_other_seed_other_spikes():
    a, b = (nz.simulate_irregular_firing(n_neurons=5, t_stop=1.0, seed=3) for _ in range(2))
    c = nz.simulate_irregular_firing(n_neurons=5, t_stop=1.0, seed=4)
    assert all(np.array_equal(x, y) for x, y in zip(a.trains, b.trains))
    assert not all(np.array_equal(x, y) for x, y in zip(a.trains, c.trains))


def test_noise_part_of_the_decoding_error_falls_as_one_over_sqrt_n():
    sizes = (8, 32, 128, 512)
    total, noise = nz.decoding_error_sweep(sizes, sigma=0.5)
    assert nz.log_log_slope(sizes, noise) == pytest.approx(-0.5, abs=0.08)
    assert np.all(np.diff(total) < 0) and total[-1] < 0.2 * total[0]


def test_log_log_slope_of_a_power_law():
    x = np.array([1.0, 10.0, 100.0])
    assert nz.log_log_slope(x, 3 * x**-0.5) == pytest.approx(-0.5)


def test_release_has_binomial_mean_and_variance():
    p, w = 0.3, 0.5
    got = nz.simulate_release(p, n_synapses=200, n_spikes=100, weight=w, seed=1)
    assert got.shape == (100, 200)
    assert set(np.round(np.unique(got) / w, 9)) <= {0.0, 1.0}
    n = got.size
    assert abs(got.mean() - p * w) < 4 * w * np.sqrt(p * (1 - p) / n)
    assert got.var() == pytest.approx(p * (1 - p) * w**2, rel=0.05)


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_release_extremes_are_deterministic(p):
    got = nz.simulate_release(p, n_synapses=10, n_spikes=20, weight=2.0)
    assert np.all(got == pytest.approx(2.0 * p))


def test_stochastic_resonance_has_an_interior_peak():
    r = nz.simulate_stochastic_resonance(seed=0)
    assert nz.SR_MEAN + nz.SR_AMPLITUDE < 1.0                 # the signal alone never reaches threshold
    k = int(np.argmax(r.detection))
    assert 0 < k < len(r.noise_levels) - 1, r.detection
    assert r.detection[0] == 0.0 and r.rates[0] == 0.0        # no noise: no spikes, nothing detected
    assert r.detection[k] > 2 * r.detection[-1] and r.detection[k] > 0.1
    assert np.all(np.diff(r.rates) >= 0)                      # the rate keeps rising: it is not the measure
    assert r.best == r.noise_levels[k]


def test_supra_threshold_signal_needs_no_noise():
    r = nz.simulate_stochastic_resonance(noise_levels=(0.0, 0.05, 0.1, 0.2, 0.5), mean=1.1, amplitude=0.2, seed=0)
    assert r.best == 0.0


def test_ablation_degrades_an_ensemble_gracefully():
    fractions = np.array([0.0, 0.1, 0.2, 0.3, 0.5])
    errs = nz.ablation_errors(fractions, n_neurons=100, n_draws=10)
    assert np.all(np.diff(errs) > 0)
    # no cliff: losing a tenth of the neurons costs about a tenth of the signal (the decoded value shrinks by the
    # lost share; RMS of x on [-1, 1] is 0.58), not the whole signal
    assert errs[1] < 0.15 and errs[-1] < 0.58


def test_ablate_hidden_silences_the_chosen_units_only():
    from snnlib.ml.ann import DenseNet

    net = DenseNet([4, 10, 6, 3], seed=0)
    cut = nz.ablate_hidden(net, 0.5, np.random.default_rng(0))
    assert [int((np.abs(W).sum(axis=0) == 0).sum()) for W in cut.weights[1:]] == [5, 3]
    assert np.array_equal(cut.weights[0], net.weights[0]) and not np.array_equal(cut.weights[1], net.weights[1])
    assert np.all(nz.ann_ablation_accuracy(net, np.ones((3, 4)), [0, 1, 2], [0.0, 1.0], n_draws=2) <= 1)


def test_noisy_inputs_stay_pixels_and_zero_noise_is_identity():
    X = np.random.default_rng(0).uniform(size=(5, 8))
    assert np.array_equal(nz.noisy_inputs(X, 0.0), X)
    Y = nz.noisy_inputs(X, 0.5, seed=1)
    assert Y.min() >= 0 and Y.max() <= 1 and not np.array_equal(Y, X)
    with pytest.raises(ValueError, match="noise"):
        nz.noisy_inputs(X, -0.1)


@pytest.mark.parametrize("kw, name", [(dict(sigma=-1.0), "sigma"), (dict(n_neurons=0), "n_neurons"),
                                      (dict(window=20.0), "window")])
def test_bad_arguments_are_named(kw, name):
    with pytest.raises(ValueError, match=name):
        nz.simulate_irregular_firing(**{"t_stop": 1.0, **kw})


# -- dropout in the numpy ANN --------------------------------------------------------------------------------------
def test_dropout_gradients_match_finite_differences_for_a_fixed_mask():
    from snnlib.ml.ann import DenseNet

    rng = np.random.default_rng(0)
    net = DenseNet([5, 6, 4, 2], seed=1)
    X, T = rng.uniform(0, 1, (6, 5)), np.eye(2)[rng.integers(0, 2, 6)]

    def run():                                        # the same seed: the same dropout masks every call
        return net._gradients(X, T, 0.0, np.random.default_rng(7), 0.5)

    grads, _ = run()
    params = [p for pair in zip(net.weights, net.biases) for p in pair]
    h = 1e-6
    for p, g in zip(params, grads):
        for idx in list(np.ndindex(p.shape))[:6]:
            old = p[idx]
            p[idx] = old + h
            lp = run()[1]
            p[idx] = old - h
            lm = run()[1]
            p[idx] = old
            assert g[idx] == pytest.approx((lp - lm) / (2 * h), rel=1e-3, abs=1e-8)


def test_dropout_silences_that_fraction_and_keeps_the_mean():
    from snnlib.ml.ann import DenseNet

    net = DenseNet([64, 200, 10], seed=0)
    X = np.random.default_rng(1).uniform(size=(300, 64))
    clean = net.forward(X)[2][1]
    dropped = net.forward(X, rng=np.random.default_rng(2), dropout=0.3)[2][1]
    assert np.mean(dropped == 0) == pytest.approx(0.3, abs=0.01)
    assert dropped.mean() == pytest.approx(clean.mean(), rel=0.02)
    assert np.allclose(dropped[dropped != 0], clean[dropped != 0] / 0.7)


def test_dropout_training_is_seeded_learns_and_is_off_at_inference():
    from snnlib.ml.ann import train_digits_net

    net, (_, _, Xte, yte) = train_digits_net(hidden=(32,), epochs=10, seed=0, dropout=0.3)
    again, _ = train_digits_net(hidden=(32,), epochs=10, seed=0, dropout=0.3)
    plain, _ = train_digits_net(hidden=(32,), epochs=10, seed=0)
    assert np.array_equal(net.weights[0], again.weights[0]) and not np.array_equal(net.weights[0], plain.weights[0])
    assert net.accuracy(Xte, yte) > 0.85
    assert np.array_equal(net.predict(Xte), net.predict(Xte))          # inference uses every unit


@pytest.mark.parametrize("bad, err", [(1.0, ValueError), (-0.1, ValueError), ("half", TypeError), (True, TypeError)])
def test_bad_dropout_is_named(bad, err):
    from snnlib.ml.ann import DenseNet

    net = DenseNet([4, 3, 2])
    with pytest.raises(err, match="dropout"):
        net.train(np.zeros((2, 4)), [0, 1], epochs=1, dropout=bad)


def test_dropout_without_a_generator_is_refused():
    from snnlib.ml.ann import DenseNet

    with pytest.raises(ValueError, match="rng"):
        DenseNet([4, 3, 2]).forward(np.zeros((2, 4)), dropout=0.5)


# -- the lesson's kept views ------------------------------------------------------------------------------------------
def test_views_update_the_same_figure_and_empty_what_is_gone():
    from snnlib.plots.noise import IrregularityView, PopulationDecodingView

    view = IrregularityView()
    t = np.arange(100) * 1e-3
    fig = view.update(t, np.sin(t), np.random.default_rng(0).exponential(0.1, 200), title="a title")
    assert view.hist_line.get_xdata().size == view.n_bins and view.axes[0].get_title() == "a title"
    assert view.update(t, np.sin(t), []) is fig and len(view.hist_line.get_xdata()) == 0
    fig.canvas.draw()
    with pytest.raises(ValueError, match="same length"):
        view.update(t, t[:5], [])
    with pytest.raises(ValueError, match="isis"):
        view.update(t, t, [np.nan])
    dec = PopulationDecodingView()
    assert dec.update(t, np.sin(t), np.cos(t)) is dec.update(t, np.cos(t), np.sin(t))
    assert np.array_equal(dec.decoded_line.get_ydata(), np.sin(t))
    with pytest.raises(ValueError, match="same length"):
        dec.update(t, t, t[:3])
