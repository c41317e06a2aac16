"""The numpy ANN: gradients against finite differences, learning the digits, determinism."""

import numpy as np
import pytest

from snnlib.ml.ann import DenseNet, load_digits_split, train_digits_net


def test_digits_split_shapes_and_scaling():
    Xtr, ytr, Xte, yte = load_digits_split(test_fraction=0.25, seed=0)
    assert Xtr.shape[1] == 64 and Xtr.shape[0] + Xte.shape[0] == 1797
    assert Xte.shape[0] == 449
    assert Xtr.min() >= 0 and Xtr.max() <= 1
    assert set(np.unique(ytr)) == set(range(10))


def test_backprop_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    net = DenseNet([5, 4, 3, 2], seed=1)
    X = rng.uniform(0, 1, (6, 5))
    T = np.eye(2)[rng.integers(0, 2, 6)]
    grads, _ = net._gradients(X, T, 0.0, rng)
    params = [p for pair in zip(net.weights, net.biases) for p in pair]

    def loss():
        return net._gradients(X, T, 0.0, rng)[1]

    h = 1e-6
    for p, g in zip(params, grads):
        for idx in list(np.ndindex(p.shape))[:6]:
            old = p[idx]
            p[idx] = old + h
            lp = loss()
            p[idx] = old - h
            lm = loss()
            p[idx] = old
            assert g[idx] == pytest.approx((lp - lm) / (2 * h), rel=1e-3, abs=1e-8)


def test_trains_on_digits_well_above_chance_and_deterministic():
    net, (Xtr, ytr, Xte, yte) = train_digits_net(hidden=(32,), epochs=15, seed=0)
    acc = net.accuracy(Xte, yte)
    assert acc > 0.9  # chance is 0.1; a linear classifier reaches ~0.95 on this split
    net2, _ = train_digits_net(hidden=(32,), epochs=15, seed=0)
    np.testing.assert_array_equal(net.weights[0], net2.weights[0])
    rates = net.hidden_rates(Xte)[0]
    assert rates.max() < 1 / net.nonlinearity.tau_ref  # bounded by the refractory period


def test_mac_count():
    assert DenseNet([64, 32, 10]).n_macs() == 64 * 32 + 32 * 10


def test_bad_input_shape():
    net = DenseNet([4, 3, 2])
    with pytest.raises(ValueError, match=r"\(n_samples, 4\)"):
        net.predict(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="label"):
        net.train(np.zeros((2, 4)), [0, 7], epochs=1)


def test_quantized_activities_are_multiples_of_the_step_and_cost_accuracy_only_when_coarse():
    net = DenseNet([64, 20, 10], seed=1)
    X = np.random.default_rng(0).random((50, 64))
    step = net.nonlinearity.amplitude / 0.02          # what a spike count in 20 ms can say
    _, _, acts = net.forward(X, quantize=step)
    q = acts[1] / step
    assert np.allclose(q, np.round(q)) and np.any(q > 0)
    _, _, full = net.forward(X)
    assert np.max(np.abs(acts[1] - full[1])) <= step / 2 + 1e-12     # rounding, never more
    y = net.predict(X)
    assert net.accuracy(X, y, quantize=1e-9) == 1.0                  # a fine step changes nothing
    coarse = net.forward(X, quantize=1e3)[0]                         # every activity rounds to 0
    assert np.allclose(coarse, net.biases[-1])
    with pytest.raises(ValueError, match="quantize"):
        net.forward(X, quantize=-0.1)
    with pytest.raises(TypeError, match="quantize"):
        net.forward(X, quantize="fine")
