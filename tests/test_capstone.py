"""snnlib.experiments.capstone (lesson 08): the two learners and the four measurements, against invariants and
theory: PES's error falls from the untrained baseline; losing 0 % of the units changes nothing and losing all of
them leaves the output's constant; the energy per inference is the accounting module's formula; backprop's
gradients are the finite-difference ones; the adaptation measure counts what it says; the same seed gives the
same table. Small runs (fewer samples and neurons than the lesson's) keep it quick."""
from __future__ import annotations

import numpy as np
import pytest

from snnlib.energy import OpCounts, estimate
from snnlib.experiments import capstone

SMALL = dict(n_neurons=100, n_train=400, learning_rate=3e-3)     # fewer samples: learn faster


@pytest.fixture(scope="module")
def small_pes():
    return capstone.simulate_pes("product", seed=3, **SMALL)


@pytest.fixture(scope="module")
def small_ann():
    return capstone.simulate_ann("product", n_train=400, seed=3)


def test_pes_error_falls_from_the_untrained_baseline(small_pes):
    e = small_pes.errors
    first, last = np.sqrt(np.mean(e[:50] ** 2)), np.sqrt(np.mean(e[300:400] ** 2))
    # zero decoders at the start: the error is the target itself, RMS 1/3 over the square (less as learning starts)
    assert 0.2 < first < 0.4
    assert last < 0.6 * first
    assert small_pes.test_error < 0.6 / 3
    assert small_pes.recover is not None and small_pes.recover < 400      # and it learns the reversed target too


def test_pes_output_is_the_decoders_times_the_test_rates(small_pes):
    """The test error is the RMS of rates @ decoders - f(x) on the held-out samples (no hidden fitting)."""
    X_test = capstone.make_samples(capstone.N_TEST, 3 + 10_000)
    pred = small_pes.extra["rates"] @ small_pes.extra["decoders"][:, 0]
    assert small_pes.test_error == pytest.approx(np.sqrt(np.mean((pred - X_test[:, 0] * X_test[:, 1]) ** 2)))


@pytest.mark.parametrize("which", ["pes", "ann"])
def test_losing_no_units_changes_nothing_and_losing_all_leaves_the_constant(which, small_pes, small_ann):
    learner = small_pes if which == "pes" else small_ann
    y = learner.extra["y_test"]
    for seed in range(3):
        assert capstone.error_after_loss(learner, 0.0, seed) == learner.test_error
    constant = 0.0 if which == "pes" else float(learner.extra["weights"][3])    # the ANN keeps its output bias
    assert capstone.error_after_loss(learner, 1.0) == pytest.approx(np.sqrt(np.mean((y - constant) ** 2)))
    curve = capstone.loss_curve(learner, [0.0, 0.5, 1.0], repeats=3)
    assert curve[0] == learner.test_error and curve[0] < curve[1]


def test_ablation_zero_in_the_run_gives_the_intact_error():
    r = capstone.simulate_ann("product", n_train=200, ablation=0.0, seed=1)
    assert r.ablated_error == r.test_error


def test_energy_per_inference_is_the_accounting_formula(small_pes):
    c = small_pes.counts
    steps = int(round(capstone.SAMPLE_TIME / capstone.DT))
    assert c.timesteps == steps and c.neurons == 100 and c.analog_synops == 200
    # keras-spiking's formula (OpCounts.spiking) at the measured mean rate gives the same energy on every device
    formula = OpCounts.spiking([2, 100, 1], rates=small_pes.extra["mean_rate"], timesteps=steps, dt=capstone.DT,
                               analog_input=True, linear_output=True)
    for device, joules in small_pes.energy.items():
        assert joules == pytest.approx(estimate(formula, [device])[device].total, rel=1e-9), device
    # and by hand on Loihi: (2 n + spikes) x 27.1 pJ + n x steps x 81 pJ
    assert small_pes.energy["loihi"] == pytest.approx((200 + c.spikes) * 27.1e-12 + 100 * steps * 81e-12)


def test_ann_energy_is_one_dense_pass():
    ann = estimate(capstone.ann_energy_counts(32), ["cpu", "loihi"])
    assert ann["cpu"].total == pytest.approx((2 * 32 + 32 + 32) * 8.6e-9)       # 96 MACs + 32 unit updates
    assert ann["loihi"].total == pytest.approx(96 * 27.1e-12 + 32 * 81e-12)    # one event per connection


def test_backprop_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    params = (rng.normal(size=(5, 2)), rng.normal(size=5), rng.normal(size=5), np.array(0.3))
    x, target = np.array([0.4, -0.7]), 0.25
    for keep in (1.0, np.array([1.25, 0.0, 1.25, 1.25, 0.0])):
        grads = capstone.ann_gradients(params, x, target, keep)
        for p, g in zip(params, grads):
            numeric = np.zeros_like(p, dtype=float)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + 1e-6
                up = 0.5 * (capstone.ann_output(params, x, keep) - target) ** 2
                p[idx] = old - 1e-6
                down = 0.5 * (capstone.ann_output(params, x, keep) - target) ** 2
                p[idx] = old
                numeric[idx] = (up - down) / 2e-6
            np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-9)


def test_ann_learns_and_dropout_trades_accuracy_for_robustness(small_ann):
    assert small_ann.test_error < 0.6 / 3
    plain = capstone.simulate_ann("product", seed=0)
    dropped = capstone.simulate_ann("product", dropout=0.2, learning_rate=0.01, seed=0)
    assert dropped.ablated_error / dropped.test_error < plain.ablated_error / plain.test_error
    with pytest.raises(ValueError, match="dropout"):
        capstone.simulate_ann("product", dropout=1.0)


def test_samples_to_recover_counts_full_windows_after_the_switch():
    errors = np.concatenate([np.zeros(100), np.ones(300), np.zeros(500)])      # switch at 100, bad for 300
    # the first window of 50 after the switch with RMS <= 0.1 holds at most 0.5 bad samples: ends at 100 + 300 + 50
    assert capstone.samples_to_recover(errors, 100, level=0.1, window=50) == 350
    # level 0.5: RMS over 50 samples <= 0.5 with up to 12 bad ones: the window ending 38 samples after them
    assert capstone.samples_to_recover(errors, 100, level=0.5, window=50) == 300 + 38
    assert capstone.samples_to_recover(np.ones(900), 100, level=0.1, window=50) is None
    assert capstone.samples_to_recover(np.zeros(120), 100, window=50) is None        # not one full window


def test_tasks_and_bad_input():
    X = np.array([[0.5, -1.0], [0.2, 0.3]])
    np.testing.assert_allclose(capstone.task_function("product")(X), [-0.5, 0.06])
    np.testing.assert_allclose(capstone.task_function("-saddle")(X), [0.75, 0.05])
    with pytest.raises(ValueError, match="task must be"):
        capstone.task_function("cube")
    with pytest.raises(ValueError, match="one finite number per sample"):
        capstone.simulate_ann(lambda X: X, n_train=10)
    with pytest.raises(ValueError, match="fraction"):
        capstone.error_after_loss(capstone.simulate_ann("product", n_train=50), 1.5)


def test_same_seed_same_table_another_seed_another():
    small = dict(n_neurons=60, n_train=200)
    a = capstone.verdict_table(capstone.measure_capstone("product", seed=5, **small))
    b = capstone.verdict_table(capstone.measure_capstone("product", seed=5, **small))
    c = capstone.verdict_table(capstone.measure_capstone("product", seed=6, **small))
    assert a == b and a != c
    assert "1. test error after 200 samples" in a and "4. samples to recover" in a
