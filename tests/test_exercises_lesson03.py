"""Lesson 03 exercises (solutions passing, each mistake diagnosed, feedback never showing the expected value,
bad answers: tests/test_exercises_all.py): the checks' references agree with snnlib and with Nengo's documented PES operator."""
from __future__ import annotations

import numpy as np
import pytest

from course.exercises import lesson03 as ex
from course.exercises import lesson03_solutions as sol
from snnlib.ml.credit import CreditMLP, angle_between, train_credit
from snnlib.ml.surrogate import superspike_surrogate
from tests.learner_mistakes import diagnosis_test

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


# each listed mistake as a learner would write it (not the lesson's own mistake function, which is built on the
# check's references): the diagnosis must still be found, so a reference or mistake function that drifted from
# the formula in the prompt (which the listed-mistake test would submit to itself) fails here
def _cos(u, v):
    u, v = np.ravel(u), np.ravel(v)
    return np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1.0, 1.0)


def _first_updates(net, X, y, layer=0):
    return net.gradients(X, y)[0][layer], net.gradients(X, y, rule="backprop")[0][layer]


LEARNER_MISTAKES = {
    ("fa_hidden_delta", "weight_transport"): lambda d, W, B, s: np.dot(d, W) * s,
    ("fa_hidden_delta", "no_slope"): lambda d, W, B, s: np.dot(B, d),
    ("fa_hidden_delta", "sign"): lambda d, W, B, s: s * (B @ -d),
    ("alignment_angle", "radians"): lambda u, v: np.arccos(_cos(u, v)),
    ("alignment_angle", "cosine"): _cos,
    ("alignment_angle", "not_normalised"): lambda u, v: np.degrees(np.arccos(np.sum(np.ravel(u) * np.ravel(v)))),
    ("pes_delta", "sign"): lambda a, e, k, dt: k * dt / len(a) * np.outer(e, a),
    ("pes_delta", "no_n"): lambda a, e, k, dt: -k * dt * np.outer(e, a),
    ("pes_delta", "no_dt"): lambda a, e, k, dt: -k / len(a) * np.outer(e, a),
    ("superspike", "no_square"): lambda u, th, b: 1.0 / (1.0 + b * np.abs(u - th)),
    ("superspike", "no_threshold"): lambda u, th, b: 1.0 / (1.0 + b * np.abs(u)) ** 2,
    ("superspike", "no_abs"): lambda u, th, b: (1.0 + b * (u - th)) ** -2,
    ("layer_angle", "output_layer"): lambda net, X, y: angle_between(*_first_updates(net, X, y, -1)),
    ("layer_angle", "second_layer"): lambda net, X, y: angle_between(*_first_updates(net, X, y, 1)),
    ("layer_angle", "radians"): lambda net, X, y: np.radians(angle_between(*_first_updates(net, X, y))),
    ("layer_angle", "weights"): lambda net, X, y: angle_between(net.weights[0], _first_updates(net, X, y)[1]),
}


# arccos of an unnormalised dot product: NaN on purpose
test_a_mistake_written_by_a_learner_gets_its_diagnosis = pytest.mark.filterwarnings(
    "ignore::RuntimeWarning")(diagnosis_test(ex.EXERCISES, LEARNER_MISTAKES))


def test_the_case_builders_give_the_documented_shapes_and_ranges():
    """The checks' cases are built when the module is imported (before a mutant could be active), so the builders
    are called here: the same cases at every call (seeded); one FA sample has the shapes of the prompt and slopes f'(a) in [0.1, 1); the snnlib networks
    are one DFA and two FA networks on 40 samples of 12 inputs and 4 classes, partly aligned after training."""
    d, W, B, slope = ex._fa_case(300, 200)
    assert (d.shape, W.shape, B.shape, slope.shape) == ((200,), (200, 300), (300, 200), (300,))
    assert 0.1 <= slope.min() < 0.15 and 0.95 < slope.max() < 1.0
    for a in (d, W, B):                                   # standard normal entries
        assert abs(a.mean()) < 0.2 and 0.9 < a.std() < 1.1
    cases, again = ex._layer_angle_cases(), ex._layer_angle_cases()
    for (net, X, y), (net2, X2, y2) in zip(cases, again, strict=True):    # seeded: every learner, the same cases
        assert np.array_equal(X, X2) and np.array_equal(y, y2)
        assert all(np.array_equal(w, w2) for w, w2 in zip(net.weights + net.feedback[:1], net2.weights + net2.feedback[:1]))
    assert sorted(net.rule for net, _, _ in cases) == ["direct_feedback_alignment"] + ["feedback_alignment"] * 2
    for net, X, y in cases:
        assert X.shape == (40, 12) and net.sizes[0] == 12 and net.sizes[-1] == 4 and set(y) == {0, 1, 2, 3}
        first, second = ex._true_layer_angle(net, X, y, 0), ex._true_layer_angle(net, X, y, 1)
        assert 5 < first < 85 and abs(first - second) > 1
