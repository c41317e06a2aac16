"""A small dense rate network in numpy, trained on scikit-learn's bundled 8x8 digits.

The hidden layers use a rate non-linearity (by default the soft LIF, :class:`snnlib.ml.softlif.SoftLIF`)
so the trained network can be run with spiking LIF neurons (:mod:`snnlib.ml.conversion`); the output
layer is linear, trained with softmax cross-entropy. Weights follow snnlib's convention: shape
``(n_out, n_in)``, so a layer computes ``j = W @ x + b`` (normalised LIF input units).

No deep-learning framework and no download: ``sklearn.datasets.load_digits`` ships with scikit-learn
(1797 images of 8x8 pixels, values 0..16, 10 classes; scaled here to [0, 1]).
"""

from __future__ import annotations

import numpy as np

from snnlib import _validate as check
from snnlib.ml.softlif import SoftLIF

__all__ = ["load_digits_split", "DenseNet", "train_digits_net"]


def load_digits_split(test_fraction: float = 0.25, seed: int = 0):
    """The 8x8 digits, pixels scaled to [0, 1], split at random (seeded) into train and test.

    Returns ``(X_train, y_train, X_test, y_test)``; X arrays are ``(n, 64)`` float64, y are int labels 0..9.
    """
    test_fraction = check.real("test_fraction", test_fraction)
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    seed = check.count("seed", seed, minimum=0)
    from sklearn.datasets import load_digits  # deferred: sklearn import costs ~1 s

    data = load_digits()
    X = data.data.astype(np.float64) / 16.0
    y = data.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class DenseNet:
    """A fully connected network ``sizes[0] -> ... -> sizes[-1]``.

    Hidden layers apply ``nonlinearity`` (default :class:`SoftLIF` with the paper's constants and
    amplitude 0.01 s, so a 100 Hz neuron outputs 1.0); the last layer is linear (logits).
    ``weights[i]`` has shape ``(sizes[i+1], sizes[i])``; ``biases[i]`` shape ``(sizes[i+1],)``.
    Initialisation is seeded; hidden biases start at the LIF threshold (1) so units begin near
    their operating point.
    """

    def __init__(self, sizes, nonlinearity=None, seed: int = 0):
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple, np.ndarray)):
            raise TypeError(f"sizes must be a list of layer sizes like [64, 32, 10], got {check._show(sizes)}")
        sizes = [check.count(f"sizes[{k}]", s) for k, s in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least 2 positive layer sizes, got {sizes}")
        self.sizes = sizes
        if nonlinearity is not None and not (callable(nonlinearity) and hasattr(nonlinearity, "derivative")):
            raise TypeError(f"nonlinearity must be None (SoftLIF()) or a rate curve with a derivative, such as "
                            f"snnlib.ml.softlif.SoftLIF(), got {check._show(nonlinearity)}")
        self.nonlinearity = nonlinearity if nonlinearity is not None else SoftLIF()
        rng = np.random.default_rng(check.count("seed", seed, minimum=0))
        self.weights, self.biases = [], []
        for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            hidden = k < len(sizes) - 2
            self.weights.append(rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in)))
            self.biases.append(np.ones(n_out) if hidden else np.zeros(n_out))

    # ------------------------------------------------------------------ inference
    def _check_input(self, X) -> np.ndarray:
        return check.sample_matrix("X", X, self.sizes[0])

    def forward(self, X, noise: float = 0.0, rng=None, derivatives: list | None = None, dropout: float = 0.0,
                quantize: float = 0.0):
        """Run the network; returns ``(logits, currents, activities)``.

        ``currents[i]`` is the input ``j`` to hidden layer i, ``activities[i]`` its output (activities[0]
        is X). ``noise`` (same units as the activities) adds Gaussian noise to hidden outputs, as in
        training for robustness to spike noise. ``dropout`` (a probability in [0, 1)) silences each hidden
        output independently with that probability and scales the kept ones by 1 / (1 - dropout)
        ("inverted" dropout, Srivastava et al. 2014), so the expected activity is unchanged and inference
        needs no rescaling; it needs ``rng``. If ``derivatives`` is a list, the slope of the non-linearity at
        each hidden layer's input is appended to it (for backprop; with dropout, times the layer's mask).
        ``quantize`` > 0 rounds every hidden output to a multiple of it (low-precision activations; with the
        soft-LIF's amplitude A, ``quantize = A / T`` keeps what a spike count in a window of T seconds can say).
        """
        X = self._check_input(X)
        dropout = _check_dropout(dropout)
        quantize = check.real("quantize", quantize)
        if not (np.isfinite(quantize) and quantize >= 0):
            raise ValueError(f"quantize must be a finite step >= 0 (0: full precision), got {quantize}")
        noise = check.nonnegative("noise", noise)
        if (noise > 0 or dropout > 0) and not isinstance(rng, np.random.Generator):
            raise ValueError(f"noise or dropout during forward() needs rng (a numpy Generator), got {check._show(rng)}")
        currents, activities = [], [X]
        a = X
        fused = derivatives is not None and hasattr(self.nonlinearity, "value_and_derivative")
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            j = a @ W.T + b
            if fused:
                a, slope = self.nonlinearity.value_and_derivative(j)
                derivatives.append(slope)
            else:
                a = self.nonlinearity(j)
                if derivatives is not None:
                    derivatives.append(self.nonlinearity.derivative(j))
            if noise > 0:
                a = a + rng.normal(0.0, noise, size=a.shape)
            if quantize > 0:
                a = np.round(a / quantize) * quantize
            if dropout > 0:
                mask = (rng.random(a.shape) >= dropout) / (1.0 - dropout)
                a = a * mask
                if derivatives is not None:
                    derivatives[-1] = derivatives[-1] * mask
            currents.append(j)
            activities.append(a)
        logits = a @ self.weights[-1].T + self.biases[-1]
        return logits, currents, activities

    def predict(self, X, quantize: float = 0.0) -> np.ndarray:
        """Predicted class (int) per sample (``quantize``: see :meth:`forward`)."""
        return np.argmax(self.forward(X, quantize=quantize)[0], axis=1)

    def accuracy(self, X, y, quantize: float = 0.0) -> float:
        """Fraction of samples classified correctly (``quantize``: see :meth:`forward`)."""
        predicted = self.predict(X, quantize=quantize)
        return float(np.mean(predicted == self._check_labels(y, len(predicted))))

    def _check_labels(self, y, n) -> np.ndarray:
        """y as integer class labels in [0, n_classes), one per sample (n)."""
        y = check.numeric_array("y", y, dtype=None)
        if y.shape != (n,) or y.dtype.kind not in "iu" or (n and (y.min() < 0 or y.max() >= self.sizes[-1])):
            raise ValueError(f"y must hold one integer label in [0, {self.sizes[-1]}) per sample ({n}), got "
                             f"{check._show(y)}")
        return y

    def hidden_rates(self, X) -> list[np.ndarray]:
        """Firing rates (Hz) of each hidden layer for inputs X (activities / amplitude)."""
        _, currents, _ = self.forward(X)
        return [self.nonlinearity.rate(j) for j in currents]

    def n_macs(self) -> int:
        """Multiply-accumulates per inference: sum of n_in * n_out over layers."""
        return int(sum(W.size for W in self.weights))

    # ------------------------------------------------------------------ training
    def train(self, X, y, epochs: int = 30, batch_size: int = 32, lr: float = 3e-3, noise: float = 0.0,
              weight_decay: float = 1e-4, seed: int = 0, dropout: float = 0.0) -> list[float]:
        """Minibatch Adam on softmax cross-entropy; returns the mean training loss of each epoch.

        ``noise``: std of Gaussian noise added to hidden outputs during training (Hunsberger &
        Eliasmith 2015 train with noise so the spiking version, whose rates fluctuate, does better).
        ``dropout``: probability in [0, 1) of silencing each hidden output in each training example
        (inverted dropout; Srivastava et al. 2014); inference (``forward``, ``predict``) uses every unit.
        """
        X = self._check_input(X)
        dropout = _check_dropout(dropout)
        y = self._check_labels(y, X.shape[0])
        epochs, batch_size = check.count("epochs", epochs, minimum=0), check.count("batch_size", batch_size)
        lr, noise = check.positive("lr", lr, ""), check.nonnegative("noise", noise)
        weight_decay = check.nonnegative("weight_decay", weight_decay)
        rng = np.random.default_rng(check.count("seed", seed, minimum=0))
        params = [p for pair in zip(self.weights, self.biases) for p in pair]
        m = [np.zeros_like(p) for p in params]
        v = [np.zeros_like(p) for p in params]
        beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
        losses = []
        onehot = np.eye(self.sizes[-1])
        for _ in range(int(epochs)):
            order = rng.permutation(X.shape[0])
            total = 0.0
            for start in range(0, X.shape[0], batch_size):
                idx = order[start:start + batch_size]
                grads, loss = self._gradients(X[idx], onehot[y[idx]], noise, rng, dropout)
                total += loss * idx.size
                step += 1
                for i, (p, g) in enumerate(zip(params, grads)):
                    if p.ndim == 2:
                        g = g + weight_decay * p
                    m[i] = beta1 * m[i] + (1 - beta1) * g
                    v[i] = beta2 * v[i] + (1 - beta2) * g * g
                    mhat = m[i] / (1 - beta1**step)
                    vhat = v[i] / (1 - beta2**step)
                    p -= lr * mhat / (np.sqrt(vhat) + eps)  # in place: params alias weights/biases
            losses.append(total / X.shape[0])
        return losses

    def _gradients(self, X, T, noise, rng, dropout=0.0):
        slopes: list = []
        logits, currents, activities = self.forward(X, noise=noise, rng=rng, derivatives=slopes, dropout=dropout)
        P = _softmax(logits)
        n = X.shape[0]
        loss = float(-np.mean(np.sum(T * np.log(P + 1e-12), axis=1)))
        delta = (P - T) / n  # d loss / d logits
        grads = []
        for layer in range(len(self.weights) - 1, -1, -1):
            grads.append(delta.sum(axis=0))  # bias
            grads.append(delta.T @ activities[layer])  # weight
            if layer > 0:
                delta = (delta @ self.weights[layer]) * slopes[layer - 1]
        grads.reverse()  # now [W0, b0, W1, b1, ...]
        return grads, loss


def train_digits_net(hidden=(64,), epochs: int = 30, noise: float = 0.01, seed: int = 0, nonlinearity=None,
                     batch_size: int = 32, lr: float = 3e-3, dropout: float = 0.0):
    """Train a soft-LIF network 64 -> hidden -> 10 on the digits; returns ``(net, (X_tr, y_tr, X_te, y_te))``.

    Deterministic for a given seed (data split, initialisation, minibatch order and dropout masks).
    ``dropout``: see :meth:`DenseNet.train`.
    """
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, (list, tuple)):
        raise TypeError(f"hidden must be a tuple of hidden-layer sizes like (64,), got {check._show(hidden)}")
    hidden = [check.count(f"hidden[{k}]", n) for k, n in enumerate(hidden)]
    epochs = check.count("epochs", epochs, minimum=0)
    check.count("batch_size", batch_size), check.positive("lr", lr, ""), check.nonnegative("noise", noise)
    check.count("seed", seed, minimum=0), _check_dropout(dropout)      # before loading and training
    data = load_digits_split(seed=seed)
    net = DenseNet([64, *hidden, 10], nonlinearity=nonlinearity, seed=seed)
    net.train(data[0], data[1], epochs=epochs, batch_size=batch_size, lr=lr, noise=noise, seed=seed,
              dropout=dropout)
    return net, data


def _check_dropout(dropout) -> float:
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float, np.integer, np.floating)):
        raise TypeError(f"dropout must be a number in [0, 1), got {dropout!r}")
    dropout = float(dropout)
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}")
    return dropout
