"""snnlib.ml.credit against theory: backprop's gradient is the finite-difference gradient, FA and DFA use the
feedback they are defined with, FA's updates come to align with the gradient (Lillicrap et al. 2016), seeded
runs repeat exactly, and bad input is refused with a clear error."""
import numpy as np
import pytest

from snnlib.ml.credit import (RULES, CreditMLP, angle_between, digits_data, gradient_check, sweep_credit,
                              train_credit)


@pytest.fixture(scope="module")
def data():
    return digits_data(0)


@pytest.fixture(scope="module")
def fa_run():
    return train_credit("feedback_alignment", hidden=64, lr=0.1, epochs=12, seed=0)


def _numeric_gradient(net, X, y, param, index, eps=1e-6):
    old = param[index]
    param[index] = old + eps
    up = net.loss(X, y)
    param[index] = old - eps
    down = net.loss(X, y)
    param[index] = old
    return (up - down) / (2 * eps)


@pytest.mark.parametrize("sizes", [[64, 32, 32, 10], [64, 16, 10], [64, 20, 12, 8, 10]])
def test_backprop_gradient_equals_finite_differences(data, sizes):
    X, y = data[0][:60], data[1][:60]
    net = CreditMLP(sizes, rule="backprop", seed=3)
    dWs, dbs = net.gradients(X, y)
    rng = np.random.default_rng(0)
    for params, grads in ((net.weights, dWs), (net.biases, dbs)):
        for p, g in zip(params, grads):
            assert g.shape == p.shape
            for flat in rng.choice(p.size, size=min(8, p.size), replace=False):
                i = np.unravel_index(flat, p.shape)
                numeric = _numeric_gradient(net, X, y, p, i)
                assert g[i] == pytest.approx(numeric, rel=1e-4, abs=1e-8)


def test_gradient_check_is_small_for_backprop_and_large_for_a_wrong_gradient(data, monkeypatch):
    X, y = data[0][:60], data[1][:60]
    net = CreditMLP([64, 24, 24, 10], seed=1)
    assert gradient_check(net, X, y).max() < 1e-4
    original = CreditMLP.gradients

    def doubled(self, X, y, rule=None):            # a gradient off by a factor of 2 must be caught
        dWs, dbs = original(self, X, y, rule)
        return [2 * g for g in dWs], dbs

    monkeypatch.setattr(CreditMLP, "gradients", doubled)
    assert gradient_check(net, X, y).min() > 0.2


def test_fa_and_dfa_hidden_deltas_follow_their_definitions(data):
    """One sample, written out as column vectors: FA uses B where backprop uses W^T, DFA sends e through D."""
    x, label = data[0][:1], data[1][:1]
    for rule in ("feedback_alignment", "direct_feedback_alignment"):
        net = CreditMLP([64, 7, 5, 10], rule=rule, seed=2)
        _, acts = net.forward(x)
        z = acts[2] @ net.weights[2].T + net.biases[2]
        e = np.exp(z[0] - z.max()) / np.exp(z[0] - z.max()).sum()
        e[label[0]] -= 1.0
        slope2, slope1 = 1 - acts[2][0] ** 2, 1 - acts[1][0] ** 2
        if rule == "feedback_alignment":
            delta2 = (net.feedback[1] @ e) * slope2
            delta1 = (net.feedback[0] @ delta2) * slope1
        else:
            delta2 = (net.feedback[1] @ e) * slope2
            delta1 = (net.feedback[0] @ e) * slope1
        dWs, _ = net.gradients(x, label)
        np.testing.assert_allclose(dWs[1], np.outer(delta2, acts[1][0]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(dWs[0], np.outer(delta1, x[0]), rtol=1e-12, atol=1e-15)
        assert net.feedback[1].shape == ((5, 10) if rule == "feedback_alignment" else (5, 10))
        assert net.feedback[0].shape == ((7, 5) if rule == "feedback_alignment" else (7, 10))


def test_output_layer_update_is_the_same_for_every_rule(data):
    X, y = data[0][:50], data[1][:50]
    nets = [CreditMLP([64, 16, 16, 10], rule=r, seed=4) for r in RULES]
    outs = [net.gradients(X, y)[0][-1] for net in nets]
    for other in outs[1:]:
        np.testing.assert_array_equal(other, outs[0])      # same seed: same forward weights
    assert angle_between(outs[0], outs[1]) == pytest.approx(0.0, abs=1e-5)


def test_backprop_angle_is_zero_and_random_feedback_starts_near_90(data):
    X, y = data[0][:256], data[1][:256]
    assert np.allclose(CreditMLP([64, 64, 64, 10], "backprop", seed=0).alignment_angles(X, y), 0.0, atol=1e-4)
    starts = np.concatenate([CreditMLP([64, 64, 64, 10], rule, seed=s).alignment_angles(X, y)
                             for rule in RULES[1:] for s in range(3)])
    assert np.all(np.abs(starts - 90) < 15), starts   # a random direction in thousands of dimensions


def test_fa_angle_ends_below_90_and_falls(fa_run):
    """Lillicrap et al. 2016: the angle between FA's hidden update and backprop's drops below 90 degrees."""
    start, end = fa_run.angles[0], fa_run.angles[-1]
    assert np.all(end < 75), end
    assert np.all(start - end > 15), (start, end)
    assert fa_run.test_accuracy[-1] > 0.9


def test_fa_forward_weights_come_to_align_with_the_feedback(fa_run):
    """The mechanism: W3^T, at first unrelated to the fixed B2, turns towards it."""
    net = fa_run.net
    untrained = CreditMLP(net.sizes, rule="feedback_alignment", seed=0)
    np.testing.assert_array_equal(untrained.feedback[1], net.feedback[1])     # B never learns
    before = angle_between(untrained.weights[2].T, untrained.feedback[1])
    after = angle_between(net.weights[2].T, net.feedback[1])
    assert abs(before - 90) < 10 and after < 70, (before, after)


def test_seeded_runs_are_identical_and_seeds_differ():
    a = train_credit("direct_feedback_alignment", hidden=16, lr=0.3, epochs=3, seed=5)
    b = train_credit("direct_feedback_alignment", hidden=16, lr=0.3, epochs=3, seed=5)
    c = train_credit("direct_feedback_alignment", hidden=16, lr=0.3, epochs=3, seed=6)
    for name in ("train_loss", "test_accuracy", "angles"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for wa, wb in zip(a.net.weights, b.net.weights):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.train_loss, c.train_loss)
    assert a.angles.shape == (4, 2) and list(a.epochs) == [0, 1, 2, 3]


def test_sweep_holds_the_same_runs_as_single_calls():
    runs = sweep_credit(("backprop", "feedback_alignment"), (8,), (0.1, 0.3), epochs=2)
    assert set(runs) == {(r, 8, lr) for r in ("backprop", "feedback_alignment") for lr in (0.1, 0.3)}
    single = train_credit("feedback_alignment", hidden=8, lr=0.3, epochs=2)
    np.testing.assert_array_equal(runs[("feedback_alignment", 8, 0.3)].test_accuracy, single.test_accuracy)


def test_angle_between_known_angles():
    assert angle_between([1, 0], [0, 2]) == pytest.approx(90.0)
    assert angle_between([1, 1], [3, 0]) == pytest.approx(45.0)
    assert angle_between(np.eye(2), -np.eye(2)) == pytest.approx(180.0)
    assert angle_between([1e-3, 2e-3], [2e5, 4e5]) == pytest.approx(0.0, abs=1e-5)


@pytest.mark.parametrize("call, message", [
    (lambda: CreditMLP([64, 10]), "at least 3"),
    (lambda: CreditMLP([64, 0, 10]), "positive integer"),
    (lambda: CreditMLP([64, 8, 10], rule="hebb"), "rule must be one of"),
    (lambda: train_credit("backprop", hidden=0, epochs=1), "hidden must be >= 1"),
    (lambda: train_credit("backprop", lr=-0.1, epochs=1), "lr must be > 0"),
    (lambda: train_credit("backprop", lr=float("nan"), epochs=1), "lr must be finite"),
    (lambda: CreditMLP([64, 8, 10]).forward(np.zeros((3, 5))), "X must have shape"),
    (lambda: CreditMLP([64, 8, 10]).forward(np.full((2, 64), np.nan)), "NaN"),
    (lambda: CreditMLP([64, 8, 10]).gradients(np.zeros((2, 64)), np.array([0, 10])), "label"),
    (lambda: CreditMLP([64, 8, 10]).gradients(np.zeros((2, 64)), np.array([0, 1]), rule="feedback_alignment"),
     "feedback matrices"),
    (lambda: angle_between([0, 0], [1, 2]), "non-zero"),
    (lambda: angle_between([1, 2, 3], [1, 2]), "same shape"),
    (lambda: angle_between([[1, 2]], [1, 2]), "same shape"),
])
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_type_errors_and_divergence_are_reported():
    with pytest.raises(TypeError, match="hidden must be an integer"):
        train_credit("backprop", hidden=8.5, epochs=1)
    with pytest.raises(FloatingPointError, match="learning rate is too large"):
        train_credit("backprop", hidden=8, lr=1e300, epochs=2)
