"""Lesson 03 exercises (solutions passing, each mistake diagnosed, feedback never showing the expected value,
bad answers: tests/test_exercises_all.py): the checks' references agree with snnlib and with Nengo's documented PES operator."""
from __future__ import annotations

import numpy as np
import pytest

from course.exercises import lesson03 as ex
from course.exercises import lesson03_solutions as sol
from snnlib.ml.credit import CreditMLP, angle_between, train_credit
from snnlib.ml.surrogate import superspike_surrogate

EXERCISES = ex.EXERCISES.exercises


def test_there_are_at_least_four_exercises_and_one_runs_an_snnlib_network():
    assert len(EXERCISES) >= 4
    assert {"layer_angle", "fa_lr_drop"} <= {e.id for e in EXERCISES}


# (tests/test_exercises_all.py runs every reference solution and every mistake through its check)
# -- the references agree with snnlib and with Nengo ---------------------------------------------------------
def test_fa_delta_reference_is_what_an_fa_network_computes():
    net = CreditMLP([6, 5, 4, 3], rule="feedback_alignment", seed=1)
    x, label = np.random.default_rng(0).random((1, 6)), np.array([2])
    _, acts = net.forward(x)
    dWs, _ = net.gradients(x, label)
    z = acts[2] @ net.weights[2].T + net.biases[2]
    e = np.exp(z[0]) / np.exp(z[0]).sum()
    e[2] -= 1
    delta2 = ex._fa_delta(e, net.weights[2], net.feedback[1], 1 - acts[2][0] ** 2)
    np.testing.assert_allclose(dWs[1], np.outer(delta2, acts[1][0]), rtol=1e-12)


def test_angle_reference_matches_snnlib():
    for u, v in ex._ANGLE_CASES:
        assert ex._angle(u, v) == pytest.approx(angle_between(u, v), abs=1e-6)


def test_pes_reference_matches_nengos_operator_as_documented():
    """nengo.builder.learning_rules.SimPES: alpha = -learning_rate * dt / n_neurons; delta = outer(alpha * error, pre)."""
    for a, e, kappa, dt in ex._PES_CASES:
        nengo_delta = np.outer(-kappa * dt / a.shape[0] * e, a)
        np.testing.assert_allclose(ex._pes(a, e, kappa, dt), nengo_delta, rtol=1e-12)


def test_pes_step_reduces_the_decoding_error():
    """Sign check by behaviour: one PES step moves the decoded value towards the target."""
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 100, size=40)
    D = rng.normal(0, 1e-3, size=(1, 40))
    target = np.array([0.5])
    error = D @ a - target
    D_new = D + sol.pes_delta(a, error, kappa=1e-2, dt=1e-3)
    assert abs(D_new @ a - target) < abs(error)


def test_superspike_reference_matches_snnlib():
    for u, th, beta in ex._SUPERSPIKE_CASES:
        np.testing.assert_allclose(ex._superspike(u, th, beta), superspike_surrogate(u, th, beta), rtol=1e-12)


def test_layer_angle_cases_are_informative():
    """The networks are partly aligned (not ~90), and layers 0 and 1 differ, so each mistake is distinguishable."""
    for net, X, y in ex._LAYER_CASES:
        first, second = ex._true_layer_angle(net, X, y, 0), ex._true_layer_angle(net, X, y, 1)
        assert 5 < first < 85 and abs(first - second) > 1


def test_fa_lr_constants_are_what_snnlib_measures():
    acc = {(lr, s): train_credit("feedback_alignment", hidden=64, lr=lr, epochs=12, seed=s).test_accuracy[-1]
           for lr in (0.1, 1.0) for s in ex.FA_LR_SEEDS}
    drop = np.mean([acc[0.1, s] for s in ex.FA_LR_SEEDS]) - np.mean([acc[1.0, s] for s in ex.FA_LR_SEEDS])
    assert drop == pytest.approx(ex.FA_LR_DROP, abs=1e-6)
    assert acc[0.1, 0] - acc[1.0, 0] == pytest.approx(ex.FA_LR_DROP_SEED0, abs=1e-6)
    # the answer ranges of the right answer and of each mistake do not overlap
    values = [ex.FA_LR_DROP] + [m.impl(ex.FA_LR_SEEDS) for m in ex.FA_LR.mistakes]
    gaps = np.abs(np.subtract.outer(values, values))[np.triu_indices(len(values), 1)]
    assert gaps.min() > 2 * ex.FA_LR_TOLERANCE     # (test_exercises_all runs the reference through the check)
