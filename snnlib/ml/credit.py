"""Credit assignment in a small numpy MLP: backprop, feedback alignment and direct feedback alignment.

A fully connected network ``64 -> h -> ... -> 10`` with tanh hidden units and a softmax cross-entropy
output, trained by plain minibatch SGD on scikit-learn's bundled 8x8 digits
(:func:`snnlib.ml.ann.load_digits_split`). What differs between the rules is only how the output
error ``e = softmax(z) - target`` reaches a hidden layer ``k`` (weights in snnlib's convention,
``W[k]`` of shape ``(n_out, n_in)``, so a layer computes ``a @ W[k].T + b[k]`` on a batch of rows):

- ``"backprop"`` (BP): ``delta_k = (delta_{k+1} @ W[k+1]) * f'(a_k)``; written for one sample as a column
  vector, ``delta_k = (W[k+1]^T delta_{k+1}) * f'(a_k)``: the error travels back through the *transposed
  forward weights* (weight transport).
- ``"feedback_alignment"`` (FA; Lillicrap et al. 2016, Nat Commun 7:13276): the same, with a fixed random
  matrix ``B[k]`` of the shape of ``W[k+1]^T`` instead: ``delta_k = (B[k] delta_{k+1}) * f'(a_k)``.
- ``"direct_feedback_alignment"`` (DFA; Nokland 2016, NeurIPS): every hidden layer gets the output error
  directly through its own fixed random ``D[k]`` of shape ``(n_hidden_k, n_classes)``:
  ``delta_k = (D[k] e) * f'(a_k)``.

Every layer then changes by ``dW[k] = -lr * delta_k^T a_{k-1}`` (the usual outer product of the local
error and the presynaptic activity). The *alignment angle* of a hidden layer is the angle between the
rule's update of that layer's weights and the true gradient step (backprop's) at the same weights and
batch: 0 degrees for BP, about 90 degrees for a random direction, below 90 when the rule descends.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from snnlib import _validate as check
from snnlib._validate import count, positive

__all__ = ["RULES", "RULE_LABELS", "CreditMLP", "CreditRun", "angle_between", "train_credit", "sweep_credit",
           "digits_data", "one_blas_thread", "gradient_check"]

RULES = ("backprop", "feedback_alignment", "direct_feedback_alignment")
RULE_LABELS = {"backprop": "backprop (BP)", "feedback_alignment": "feedback alignment (FA)",
               "direct_feedback_alignment": "direct feedback alignment (DFA)"}


def check_rule(rule) -> str:
    """``rule`` if it is one of :data:`RULES`; ValueError naming the choices otherwise."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(repr(r) for r in RULES)}, got {rule!r}")
    return rule


def angle_between(u, v) -> float:
    """Angle in degrees (0..180) between two arrays of the same shape, taken as flat vectors.

    ``arccos(u . v / (|u| |v|))``; ValueError if the shapes differ or either is all zeros (no direction).
    """
    u, v = check.numeric_array("u", u), check.numeric_array("v", v)
    if u.shape != v.shape:
        raise ValueError(f"u and v must have the same shape, got {u.shape} and {v.shape}")
    u, v = u.ravel(), v.ravel()
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0 or not (np.isfinite(nu) and np.isfinite(nv)):
        raise ValueError("u and v must be finite and non-zero: an angle needs two directions")
    return float(np.degrees(np.arccos(np.clip(u @ v / (nu * nv), -1.0, 1.0))))


class CreditMLP:
    """A tanh MLP ``sizes[0] -> ... -> sizes[-1]`` whose hidden errors come from a chosen credit rule.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first; at least one hidden layer (length >= 3).
    rule : str
        One of :data:`RULES`.
    seed : int
        Seeds the initial weights and the fixed random feedback matrices.

    Attributes
    ----------
    weights, biases : lists of arrays, ``weights[k]`` of shape ``(sizes[k+1], sizes[k])``
    feedback : list of arrays or None per hidden layer: FA ``B[k]`` (shape of ``weights[k+1].T``), DFA
        ``D[k]`` (``(sizes[k+1], sizes[-1])``), None for backprop. Never changed by learning.
    """

    def __init__(self, sizes=(64, 64, 64, 10), rule="backprop", seed=0):
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple, np.ndarray)):
            raise TypeError(f"sizes must be a list of layer widths like [64, 64, 10], got {check._show(sizes)}")
        sizes = list(sizes)
        if len(sizes) < 3 or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1
                                     for s in sizes):
            raise ValueError(f"sizes must list at least 3 positive integer widths (input, hidden..., output), "
                             f"got {sizes}")
        self.sizes, self.rule = [int(s) for s in sizes], check_rule(rule)
        rng = np.random.default_rng(count("seed", seed, minimum=0))
        self.weights = [rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n) for n in sizes[1:]]
        n_hidden = len(sizes) - 2
        if rule == "feedback_alignment":     # same shape and scale as the W^T it replaces
            self.feedback = [rng.normal(0.0, 1.0 / np.sqrt(sizes[k + 2]), size=(sizes[k + 1], sizes[k + 2]))
                             for k in range(n_hidden)]
        elif rule == "direct_feedback_alignment":
            self.feedback = [rng.normal(0.0, 1.0 / np.sqrt(sizes[-1]), size=(sizes[k + 1], sizes[-1]))
                             for k in range(n_hidden)]
        else:
            self.feedback = [None] * n_hidden

    # -- forward ---------------------------------------------------------------------------------
    def _check_X(self, X) -> np.ndarray:
        return check.sample_matrix("X", X, self.sizes[0])

    def _check_y(self, y, n) -> np.ndarray:
        y = check.numeric_array("y", y, dtype=None)
        if y.shape != (n,) or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= self.sizes[-1]:
            raise ValueError(f"y must hold one integer label in [0, {self.sizes[-1]}) per sample ({n})")
        return y

    def forward(self, X):
        """``(logits, activities)``: activities[0] is X, activities[k+1] hidden layer k's tanh output."""
        return self._forward(self._check_X(X))

    def _forward(self, X):
        acts = [X]
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            acts.append(np.tanh(acts[-1] @ W.T + b))
        return acts[-1] @ self.weights[-1].T + self.biases[-1], acts

    def predict(self, X) -> np.ndarray:
        """Predicted class per sample."""
        return np.argmax(self.forward(X)[0], axis=1)

    def accuracy(self, X, y) -> float:
        """Fraction of samples classified correctly."""
        return float(np.mean(self.predict(X) == self._check_y(y, len(X))))

    def loss(self, X, y) -> float:
        """Mean softmax cross-entropy (nats)."""
        logits, _ = self.forward(X)
        y = self._check_y(y, len(logits))
        z = logits - logits.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]))

    # -- credit assignment -----------------------------------------------------------------------
    def gradients(self, X, y, rule=None):
        """The rule's update direction for every layer: lists ``(dW, db)`` such that learning does
        ``W -= lr * dW``. For ``rule="backprop"`` these are the exact gradients of :meth:`loss`.

        ``rule`` defaults to the network's own; "backprop" is always available (for the angle)."""
        dWs, dbs, _ = self._backward(X, y, rule)
        return dWs, dbs

    def _backward(self, X, y, rule=None, checked=False):
        """``(dWs, dbs, batch loss)``: :meth:`gradients` plus the mean cross-entropy of the batch (nats).
        ``checked=True`` skips the input checks (the training loop checked the whole data set once)."""
        rule = self.rule if rule is None else check_rule(rule)
        if rule != "backprop" and rule != self.rule:
            raise ValueError(f"this network's feedback matrices are for {self.rule!r}; it can compute "
                             f"'backprop' or {self.rule!r}, not {rule!r}")
        if not checked:
            X = self._check_X(X)
            y = self._check_y(y, len(X))
        logits, acts = self._forward(X)
        shifted = logits - logits.max(axis=1, keepdims=True)
        z = np.exp(shifted)
        total = z.sum(axis=1, keepdims=True)
        rows = np.arange(len(y))
        loss = float((np.log(total[:, 0]) - shifted[rows, y]).sum()) / len(y)
        error = z / total
        error[rows, y] -= 1.0
        error /= len(y)                                   # d loss / d logits of the batch mean
        delta, dWs, dbs = error, [], []
        for k in range(len(self.weights) - 1, -1, -1):
            dWs.append(delta.T @ acts[k])
            dbs.append(delta.sum(axis=0))
            if k == 0:
                break
            slope = 1.0 - acts[k] ** 2                     # tanh'(a) from its output
            if rule == "backprop":
                back = delta @ self.weights[k]             # W^T delta: needs the forward weights
            elif rule == "feedback_alignment":
                back = delta @ self.feedback[k - 1].T      # B delta: fixed random, same shape as W^T
            else:
                back = error @ self.feedback[k - 1].T      # D e: the output error, straight
            delta = back * slope
        return dWs[::-1], dbs[::-1], loss

    def alignment_angles(self, X, y) -> np.ndarray:
        """Angle (degrees) between the rule's update and the true gradient for each hidden layer's
        incoming weights (``weights[0..n_hidden-1]``), on the batch ``(X, y)``."""
        mine, _ = self.gradients(X, y)
        true, _ = self.gradients(X, y, rule="backprop")
        return np.array([angle_between(a, b) for a, b in zip(mine[:-1], true[:-1])])

    def sgd_step(self, X, y, lr, checked=False) -> float:
        """One plain SGD step on the batch with learning rate ``lr``; returns the batch's loss before the step."""
        dWs, dbs, loss = self._backward(X, y, checked=checked)
        for W, b, dW, db in zip(self.weights, self.biases, dWs, dbs):
            W -= lr * dW
            b -= lr * db
        return loss


def digits_data(seed: int = 0):
    """The digits split of :func:`snnlib.ml.ann.load_digits_split` (cached; arrays are read-only)."""
    return _digits_data(count("seed", seed, minimum=0))


@functools.lru_cache(maxsize=4)
def _digits_data(seed):
    from snnlib.ml.ann import load_digits_split

    arrays = load_digits_split(seed=seed)
    for a in arrays:
        a.setflags(write=False)
    return arrays


@dataclass
class CreditRun:
    """One training run. Per-epoch arrays have ``epochs + 1`` entries (entry 0: before training).

    Attributes
    ----------
    rule, hidden, lr, seed : the settings
    train_loss : training cross-entropy (nats): on the whole training set before training (entry 0), then the
        mean over each epoch's minibatches, each measured just before its step (the usual running loss; free)
    test_accuracy : fraction of test images correct
    angles : array ``(epochs + 1, n_hidden)``, degrees: alignment angle of each hidden layer, measured on
        a fixed batch of training images; 0 for backprop by construction
    net : the trained :class:`CreditMLP`
    """

    rule: str
    hidden: int
    lr: float
    seed: int
    train_loss: np.ndarray
    test_accuracy: np.ndarray
    angles: np.ndarray
    net: CreditMLP = field(repr=False)

    @property
    def epochs(self) -> np.ndarray:
        """0, 1, ..., epochs (the x axis of the curves)."""
        return np.arange(len(self.test_accuracy))


def one_blas_thread():
    """A context in which numpy's BLAS uses one thread.

    Why: these matrices are tiny, and on a busy 2-core machine a multi-threaded BLAS made the same 20-epoch
    run 10-50x slower (measured: 0.2 s against 2-17 s)."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    return threadpool_limits(limits=1, user_api="blas")


def train_credit(rule="backprop", hidden=64, lr=0.1, epochs=20, batch_size=32, n_hidden_layers=2, seed=0,
                 align_samples=256, data=None) -> CreditRun:
    """Train ``64 -> hidden x n_hidden_layers -> 10`` on the digits with ``rule`` and plain SGD.

    Deterministic for a given seed (initial weights, feedback matrices, minibatch order); the data split
    is :func:`digits_data` (seed 0) unless ``data = (X_train, y_train, X_test, y_test)`` is given.
    Raises ValueError for an unknown rule or non-positive sizes, rates or counts; FloatingPointError if
    the weights stop being finite (the learning rate is far too large).
    """
    check_rule(rule)
    hidden, epochs = count("hidden", hidden), count("epochs", epochs, minimum=0)
    batch_size, n_hidden_layers = count("batch_size", batch_size), count("n_hidden_layers", n_hidden_layers)
    lr = positive("lr", lr, unit="(learning rate)")
    seed, align_samples = count("seed", seed, minimum=0), count("align_samples", align_samples)
    X_tr, y_tr, X_te, y_te = digits_data(0) if data is None else data
    net = CreditMLP([X_tr.shape[1], *[hidden] * n_hidden_layers, 10], rule=rule, seed=seed)
    X_tr, y_tr = net._check_X(X_tr), net._check_y(y_tr, len(X_tr))     # once, not in every step
    rng = np.random.default_rng(seed + 1)
    X_align, y_align = X_tr[:align_samples], y_tr[:align_samples]
    losses, accs, angles = [], [], []

    def record(loss):
        losses.append(loss)
        accs.append(net.accuracy(X_te, y_te))
        try:
            angles.append(net.alignment_angles(X_align, y_align))
        except ValueError:     # every hidden unit saturated: no gradient left to measure an angle against
            raise FloatingPointError(f"the hidden units saturated at lr = {lr} (no gradient left): the learning "
                                     "rate is too large") from None
        if not np.isfinite(losses[-1]):
            raise FloatingPointError(f"the loss stopped being finite at lr = {lr}: the learning rate is too large")

    with one_blas_thread():
        record(net.loss(X_tr, y_tr))
        for _ in range(epochs):
            order = rng.permutation(len(y_tr))
            total = 0.0
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]
                total += net.sgd_step(X_tr[idx], y_tr[idx], lr, checked=True) * len(idx)
            if not all(np.all(np.isfinite(W)) for W in net.weights):
                raise FloatingPointError(f"the weights stopped being finite at lr = {lr}: "
                                         "the learning rate is too large")
            record(total / len(order))
    return CreditRun(rule, hidden, lr, seed, np.array(losses), np.array(accs), np.array(angles), net)


def sweep_credit(rules=RULES, hiddens=(64,), lrs=(0.1,), **kwargs) -> dict:
    """``{(rule, hidden, lr): CreditRun}`` for every combination (same seed and budget for all)."""
    for name, values in (("rules", rules), ("hiddens", hiddens), ("lrs", lrs)):
        if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, np.ndarray)):
            raise TypeError(f"{name} must be a list or tuple, got {check._show(values)}")
    for k, r in enumerate(rules):
        if not isinstance(r, str) or r not in RULES:
            raise ValueError(f"rules[{k}] must be one of {', '.join(repr(x) for x in RULES)}, got {check._show(r)}")
    hiddens = [count(f"hiddens[{k}]", h) for k, h in enumerate(hiddens)]
    lrs = [positive(f"lrs[{k}]", lr, unit="(learning rate)") for k, lr in enumerate(lrs)]
    return {(r, h, lr): train_credit(r, hidden=h, lr=lr, **kwargs) for r in rules for h in hiddens for lr in lrs}


def gradient_check(net: CreditMLP, X, y, n_per_layer=10, eps=1e-6, seed=0) -> np.ndarray:
    """Largest relative difference, per layer, between backprop's gradient and a central finite difference
    ``(L(w + eps) - L(w - eps)) / (2 eps)`` of :meth:`CreditMLP.loss`, at ``n_per_layer`` random weights of
    each layer (seeded). Of the order of 1e-7 or less when backprop is right."""
    if not isinstance(net, CreditMLP):
        raise TypeError(f"net must be a CreditMLP, got {check._show(net)}")
    n_per_layer, eps = count("n_per_layer", n_per_layer), positive("eps", eps, "")
    seed = count("seed", seed, minimum=0)
    grads, _ = net.gradients(X, y, rule="backprop")
    rng = np.random.default_rng(seed)
    worst = []
    for W, G in zip(net.weights, grads):
        errors = []
        for flat in rng.choice(W.size, size=min(n_per_layer, W.size), replace=False):
            i = np.unravel_index(flat, W.shape)
            old = W[i]
            W[i] = old + eps
            up = net.loss(X, y)
            W[i] = old - eps
            down = net.loss(X, y)
            W[i] = old
            numeric = (up - down) / (2 * eps)
            errors.append(abs(numeric - G[i]) / max(abs(numeric) + abs(G[i]), 1e-12))
        worst.append(max(errors))
    return np.array(worst)
