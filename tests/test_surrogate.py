"""snnlib.ml.surrogate: the discrete LIF fires at the period its recurrence predicts, BPTT is exact when the
spike is smooth (finite differences), the SuperSpike surrogate has its published shape, training on the digits
works and is seeded, and bad input is refused."""
import numpy as np
import pytest

from snnlib.ml.credit import digits_data
from snnlib.ml.surrogate import SurrogateSNN, superspike_surrogate, train_surrogate


def test_discrete_lif_period_matches_its_recurrence():
    """U_t = J (1 - beta^(t+1)) from rest, and the reset restarts the same climb: period m = ceil(ln(1 - 1/J) / ln beta)."""
    J = np.array([0.5, 0.99, 1.2, 1.5, 2.0, 3.0, 5.0])
    steps = 400
    net = SurrogateSNN(n_in=1, n_hidden=J.size, steps=steps, seed=0)
    net.W1[:] = 0.0
    net.b1[:] = J
    _, U, S = net.run(np.zeros((1, 1)))
    assert set(np.unique(S)) <= {0.0, 1.0}
    counts = S[:, 0, :].sum(axis=0)
    beta = np.exp(-1e-3 / 20e-3)
    for j, n in zip(J, counts):
        if j <= 1:
            assert n == 0
        else:
            m = int(np.ceil(np.log(1 - 1 / j) / np.log(beta)))
            assert n == steps // m, (j, n, m)


def test_superspike_surrogate_shape():
    assert superspike_surrogate(1.0) == 1.0
    assert superspike_surrogate(1.1, 1.0, 10.0) == pytest.approx(0.25)
    assert superspike_surrogate(0.9, 1.0, 10.0) == pytest.approx(0.25)       # symmetric
    u = np.linspace(1, 3, 50)
    assert np.all(np.diff(superspike_surrogate(u)) < 0)


@pytest.mark.parametrize("seed", [1, 2])
def test_bptt_equals_finite_differences_with_smooth_spikes(seed):
    X, y = digits_data(0)[0][:12], digits_data(0)[1][:12]
    net = SurrogateSNN(n_hidden=15, steps=12, spike="sigmoid", seed=seed)
    _, grads = net.loss_and_gradients(X, y)
    eps = 1e-6
    for p, g in zip(net.params, grads):
        assert g.shape == p.shape
        for flat in np.argsort(-np.abs(g).ravel())[:4]:
            i = np.unravel_index(flat, p.shape)
            old = p[i]
            p[i] = old + eps
            up = net.loss_and_gradients(X, y)[0]
            p[i] = old - eps
            down = net.loss_and_gradients(X, y)[0]
            p[i] = old
            assert g[i] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-9)


def test_surrogate_gradient_descends_the_spiking_loss():
    """With Heaviside spikes the surrogate is not the true derivative, but a small step along it lowers the loss."""
    X, y = digits_data(0)[0][:200], digits_data(0)[1][:200]
    net = SurrogateSNN(n_hidden=60, steps=20, seed=0)
    loss, grads = net.loss_and_gradients(X, y)
    for p, g in zip(net.params, grads):
        p -= 5.0 * g
    assert net.loss_and_gradients(X, y)[0] < loss - 0.01      # measured: 2.310 -> 2.290


def test_training_on_digits_is_seeded_and_learns():
    a = train_surrogate(n_hidden=40, steps=15, epochs=3, seed=3)
    b = train_surrogate(n_hidden=40, steps=15, epochs=3, seed=3)
    assert a.test_accuracy == b.test_accuracy and a.train_loss == b.train_loss
    np.testing.assert_array_equal(a.net.W1, b.net.W1)
    assert a.test_accuracy[-1] > 0.7 > a.test_accuracy[0]
    assert a.stored_floats == 2 * 15 * 40 and 0 < a.mean_rate < 1000


@pytest.mark.parametrize("call, error, message", [
    (lambda: SurrogateSNN(spike="relu"), ValueError, "spike must be"),
    (lambda: SurrogateSNN(n_hidden=0), ValueError, "n_hidden must be >= 1"),
    (lambda: SurrogateSNN(dt=0.0), ValueError, "dt must be > 0"),
    (lambda: SurrogateSNN(steps=2.5), TypeError, "steps must be an integer"),
    (lambda: SurrogateSNN().run(np.zeros((2, 3))), ValueError, "X must have shape"),
    (lambda: SurrogateSNN().loss_and_gradients(np.zeros((2, 64)), np.array([0, 12])), ValueError, "label"),
    (lambda: train_surrogate(epochs=1, lr=-1.0), ValueError, "lr must be > 0"),
])
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()
