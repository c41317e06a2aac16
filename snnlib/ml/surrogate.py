"""A small spiking network trained with surrogate gradients (SuperSpike-style), backprop through time in numpy.

The network: each image (64 pixels in [0, 1]) is a constant drive ``J = W1 x + b1`` (normalised LIF units,
threshold 1) to ``n_hidden`` discrete-time LIF neurons for ``steps`` steps of ``dt``; a linear readout of
their spike rates gives the 10 class scores:

    U_t = beta * U_{t-1} * (1 - S_{t-1}) + (1 - beta) * J,     beta = exp(-dt / tau_rc)
    S_t = H(U_t - 1)                                            (a spike; the reset is the factor 1 - S)
    logits = W2 @ mean_t(S_t) + b2,  loss = softmax cross-entropy

The Heaviside step H has derivative zero almost everywhere, so gradient descent would never move. The
surrogate-gradient trick keeps H in the forward pass and uses a smooth stand-in in the backward pass,
SuperSpike's fast sigmoid derivative ``sigma'(U) = 1 / (1 + beta_s |U - 1|)^2`` (Zenke & Ganguli 2018;
Neftci, Mostafa & Zenke 2019). The backward pass runs through time over the *stored* history of every
U_t and S_t (BPTT); as is common (Zenke & Vogels 2021), the reset is treated as a constant there.
With ``spike="sigmoid"`` the forward pass uses a smooth sigmoid instead of H and the backward pass its
exact derivative, reset included: then the computed gradient must equal the finite-difference gradient,
which is how the tests check the BPTT code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from snnlib._validate import count, finite_array, positive, real, sample_matrix

__all__ = ["SurrogateSNN", "SurrogateRun", "superspike_surrogate", "train_surrogate"]


def superspike_surrogate(u, threshold=1.0, beta=10.0):
    """SuperSpike's surrogate derivative of a spike with respect to the membrane: 1 / (1 + beta |u - threshold|)^2.

    Dimensionless, 1 at the threshold, falling off over about 1/beta (normalised voltage units)."""
    u = finite_array("u", u)
    return _superspike(u, real("threshold", threshold), positive("beta", beta, unit="(per voltage unit)"))


def _superspike(u, threshold, beta):
    return 1.0 / (1.0 + beta * np.abs(u - threshold)) ** 2


class SurrogateSNN:
    """64 -> ``n_hidden`` LIF -> 10 linear readout of spike rates, trained with surrogate gradients.

    Parameters
    ----------
    n_in, n_hidden, n_out : int
    steps : int, time steps per image; dt : s; tau_rc : s (membrane time constant)
    beta_surrogate : steepness of the surrogate (per normalised voltage unit)
    spike : "heaviside" (a spiking network; surrogate in the backward pass) or "sigmoid" (smooth, exact
        gradient; for testing the BPTT code)
    seed : int (initial weights)
    """

    def __init__(self, n_in=64, n_hidden=100, n_out=10, steps=25, dt=1e-3, tau_rc=20e-3, beta_surrogate=10.0,
                 spike="heaviside", seed=0):
        self.n_in, self.n_hidden, self.n_out = count("n_in", n_in), count("n_hidden", n_hidden), count("n_out", n_out)
        self.steps = count("steps", steps)
        self.dt, self.tau_rc = positive("dt", dt), positive("tau_rc", tau_rc)
        self.beta_surrogate = positive("beta_surrogate", beta_surrogate, unit="(per voltage unit)")
        if spike not in ("heaviside", "sigmoid"):
            raise ValueError(f"spike must be 'heaviside' or 'sigmoid', got {spike!r}")
        self.spike = spike
        self.beta = float(np.exp(-self.dt / self.tau_rc))
        rng = np.random.default_rng(count("seed", seed, minimum=0))
        # drives of a few units: about half the neurons fire at the start (threshold 1)
        self.W1 = rng.normal(0.0, 4.0 / np.sqrt(n_in), size=(n_hidden, n_in))
        self.b1 = np.full(n_hidden, 0.5)
        self.W2 = rng.normal(0.0, 1.0 / np.sqrt(n_hidden), size=(n_out, n_hidden))
        self.b2 = np.zeros(n_out)

    @property
    def params(self) -> list:
        return [self.W1, self.b1, self.W2, self.b2]

    def _spike(self, u):
        if self.spike == "heaviside":
            return (u >= 1.0).astype(float)
        return 1.0 / (1.0 + np.exp(-self.beta_surrogate * (u - 1.0)))

    def _spike_slope(self, u, s):
        if self.spike == "heaviside":
            return _superspike(u, 1.0, self.beta_surrogate)
        return self.beta_surrogate * s * (1.0 - s)

    def _check_X(self, X) -> np.ndarray:
        return sample_matrix("X", X, self.n_in)

    def run(self, X):
        """Simulate every image in parallel; returns ``(logits, U, S)`` with U and S of shape
        ``(steps, n_samples, n_hidden)`` (the history BPTT must keep)."""
        X = self._check_X(X)
        drive = (1.0 - self.beta) * (X @ self.W1.T + self.b1)
        U = np.empty((self.steps, len(X), self.n_hidden))
        S = np.empty_like(U)
        u, s = np.zeros((len(X), self.n_hidden)), np.zeros((len(X), self.n_hidden))
        for t in range(self.steps):
            u = self.beta * u * (1.0 - s) + drive
            s = self._spike(u)
            U[t], S[t] = u, s
        return S.mean(axis=0) @ self.W2.T + self.b2, U, S

    def predict(self, X) -> np.ndarray:
        return np.argmax(self.run(X)[0], axis=1)

    def accuracy(self, X, y) -> float:
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def loss_and_gradients(self, X, y):
        """Mean cross-entropy and its (surrogate) gradients ``[dW1, db1, dW2, db2]`` by BPTT."""
        X = self._check_X(X)
        y = np.asarray(y)
        if y.shape != (len(X),) or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= self.n_out:
            raise ValueError(f"y must hold one integer label in [0, {self.n_out}) per sample")
        logits, U, S = self.run(X)
        z = logits - logits.max(axis=1, keepdims=True)
        P = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        loss = float(np.mean(-np.log(P[np.arange(len(y)), y] + 1e-300)))
        g = P
        g[np.arange(len(y)), y] -= 1.0
        g /= len(y)
        rates = S.mean(axis=0)
        dW2, db2 = g.T @ rates, g.sum(axis=0)
        dS = (g @ self.W2) / self.steps          # the same for every step: the readout averages over time
        gU_next = np.zeros_like(dS)              # dL/dU_{t+1}
        g_drive = np.zeros_like(dS)
        for t in range(self.steps - 1, -1, -1):  # backwards through the stored history
            slope = self._spike_slope(U[t], S[t])
            gU = dS * slope
            if t + 1 < self.steps:
                gU += gU_next * self.beta * (1.0 - S[t])
                if self.spike == "sigmoid":      # the reset's own dependence on U (kept only in the exact mode)
                    gU -= gU_next * self.beta * U[t] * slope
            g_drive += gU
            gU_next = gU
        g_drive *= 1.0 - self.beta
        return loss, [g_drive.T @ X, g_drive.sum(axis=0), dW2, db2]

    def train(self, X, y, epochs=10, batch_size=64, lr=5e-3, seed=0, X_test=None, y_test=None):
        """Minibatch Adam; returns ``(train_loss, test_accuracy)`` lists, one entry per epoch plus the
        start (test accuracy only if ``X_test, y_test`` are given)."""
        rng = np.random.default_rng(seed)
        m = [np.zeros_like(p) for p in self.params]
        v = [np.zeros_like(p) for p in self.params]
        step, losses, accs = 0, [], []
        X, y = self._check_X(X), np.asarray(y)
        for epoch in range(epochs + 1):
            if epoch > 0:
                total = 0.0
                order = rng.permutation(len(y))
                for start in range(0, len(y), batch_size):
                    idx = order[start:start + batch_size]
                    loss, grads = self.loss_and_gradients(X[idx], y[idx])
                    total += loss * len(idx)
                    step += 1
                    for i, (p, gr) in enumerate(zip(self.params, grads)):
                        m[i] = 0.9 * m[i] + 0.1 * gr
                        v[i] = 0.999 * v[i] + 0.001 * gr * gr
                        p -= lr * (m[i] / (1 - 0.9 ** step)) / (np.sqrt(v[i] / (1 - 0.999 ** step)) + 1e-8)
                losses.append(total / len(y))
            else:
                losses.append(self.loss_and_gradients(X[:256], y[:256])[0])
            if X_test is not None:
                accs.append(self.accuracy(X_test, y_test))
        return losses, accs


@dataclass
class SurrogateRun:
    """A trained :class:`SurrogateSNN` and its curves (entry 0: before training)."""

    net: SurrogateSNN = field(repr=False)
    train_loss: list
    test_accuracy: list
    mean_rate: float           # Hz, hidden neurons on the test set after training
    stored_floats: int         # floats BPTT keeps per image (U and S at every step)


def train_surrogate(n_hidden=100, steps=25, epochs=10, batch_size=64, lr=5e-3, seed=0, data=None) -> SurrogateRun:
    """Train a :class:`SurrogateSNN` on the digits split of :func:`snnlib.ml.credit.digits_data` (seeded)."""
    from snnlib.ml.credit import digits_data, one_blas_thread

    epochs, batch_size = count("epochs", epochs, minimum=0), count("batch_size", batch_size)
    lr = positive("lr", lr, unit="(learning rate)")

    X_tr, y_tr, X_te, y_te = digits_data(0) if data is None else data
    net = SurrogateSNN(n_in=X_tr.shape[1], n_hidden=n_hidden, steps=steps, seed=seed)
    with one_blas_thread():
        losses, accs = net.train(X_tr, y_tr, epochs=count("epochs", epochs, minimum=0),
                                 batch_size=count("batch_size", batch_size),
                                 lr=positive("lr", lr, unit="(learning rate)"), seed=seed, X_test=X_te, y_test=y_te)
        _, _, S = net.run(X_te)
    return SurrogateRun(net, losses, accs, float(S.mean() / net.dt), 2 * steps * n_hidden)
