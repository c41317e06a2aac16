"""Deep learning's on-the-fly modulation: a small MLP whose hidden units a gating input scales and shifts (FiLM).

Feature-wise linear modulation (Perez, Strub, de Vries, Dumoulin & Courville 2018, "FiLM: Visual reasoning
with a general conditioning layer", AAAI) conditions a network on a context c by a per-unit gain and shift of
its hidden units: h = relu(W x + b),  h' = gamma(c) * h + beta(c),  y = v . h' + b_out, with gamma and beta
linear in c here. Trained on both tasks (c = 0: f0, c = 1: f1), the same weights compute either function,
picked at run time by c alone: no weight changes, as with lesson 04's neuromodulated spiking population.

For comparison, ``gating="input"`` feeds c as a second ordinary input (y = MLP([x, c])) and ``gating="none"``
gives the network no context at all (it can only learn the average of the two targets where they disagree).

Plain numpy, full-batch Adam on the mean squared error; seeded. Inputs and outputs are dimensionless.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["GatedMLP", "train_gated_mlp"]

_GATINGS = ("film", "input", "none")


@dataclass
class GatedMLP:
    """A trained network of :func:`train_gated_mlp`: ``params`` (dict of arrays), ``gating`` and the final
    training loss ``loss`` (mean squared error)."""

    params: dict
    gating: str
    loss: float

    @property
    def n_params(self):
        """Number of trained numbers (weights, biases and the FiLM generator's)."""
        return int(sum(p.size for p in self.params.values()))

    def predict(self, x, c):
        """Outputs for inputs x (1-D) under context level c (a number: 0 is task f0, 1 is task f1)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return _forward(self.params, self.gating, x, np.full(x.shape, float(c)))[0]


def _forward(p, gating, x, c):
    inp = np.stack([x, c], axis=1) if gating == "input" else x[:, None]
    pre = inp @ p["W"] + p["b"]
    h = np.maximum(pre, 0.0)
    if gating == "film":
        gamma = 1.0 + c[:, None] * p["g_w"] + p["g_b"]
        beta = c[:, None] * p["s_w"] + p["s_b"]
        hm = gamma * h + beta
    else:
        gamma, hm = None, h
    y = hm @ p["v"] + p["b_out"]
    return y, (inp, pre, h, gamma, hm)


def _grads(p, gating, x, c, y_target):
    y, (inp, pre, h, gamma, hm) = _forward(p, gating, x, c)
    n = x.size
    e = 2.0 * (y - y_target) / n                         # d loss / d y
    g = {"v": hm.T @ e, "b_out": np.array(e.sum())}
    d_hm = np.outer(e, p["v"])
    if gating == "film":
        g["g_w"] = (d_hm * h * c[:, None]).sum(axis=0)
        g["g_b"] = (d_hm * h).sum(axis=0)
        g["s_w"] = (d_hm * c[:, None]).sum(axis=0)
        g["s_b"] = d_hm.sum(axis=0)
        d_h = d_hm * gamma
    else:
        d_h = d_hm
    d_pre = d_h * (pre > 0)
    g["W"] = inp.T @ d_pre
    g["b"] = d_pre.sum(axis=0)
    return float(np.mean((y - y_target) ** 2)), g


def train_gated_mlp(x, c, y, gating="film", hidden=16, steps=3000, lr=0.01, seed=0):
    """Train a one-hidden-layer ReLU network on (x, c) -> y; returns :class:`GatedMLP`.

    x, c, y : 1-D arrays of the same length (inputs, context levels, targets).
    gating : "film" (c scales and shifts the hidden units), "input" (c is a second input) or "none".
    hidden : hidden units; steps : full-batch Adam steps at learning rate lr; seed : initial weights.
    """
    from snnlib import _validate as check

    if not isinstance(gating, str) or gating not in _GATINGS:
        raise ValueError(f"gating must be one of {_GATINGS}, got {check._show(gating)}")
    x, c, y = (check.finite_array(name, a).ravel() for name, a in (("x", x), ("c", c), ("y", y)))
    if not (x.size == c.size == y.size) or x.size == 0:
        raise ValueError(f"x, c and y must be 1-D arrays of one common, non-zero length, got {x.size}, {c.size}, "
                         f"{y.size}")
    hidden, steps = check.count("hidden", hidden), check.count("steps", steps)
    lr, seed = check.positive("lr", lr, ""), check.count("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    n_in = 2 if gating == "input" else 1
    p = {"W": rng.normal(0.0, 1.0, (n_in, hidden)), "b": rng.uniform(-1.0, 1.0, hidden),
         "v": rng.normal(0.0, 1.0 / np.sqrt(hidden), hidden), "b_out": np.zeros(())}
    if gating == "film":
        p.update(g_w=np.zeros(hidden), g_b=np.zeros(hidden), s_w=np.zeros(hidden), s_b=np.zeros(hidden))
    m = {k: np.zeros_like(v) for k, v in p.items()}
    s = {k: np.zeros_like(v) for k, v in p.items()}
    b1, b2, eps = 0.9, 0.999, 1e-8
    loss = float("nan")
    for t in range(1, int(steps) + 1):
        loss, g = _grads(p, gating, x, c, y)
        for k in p:
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            s[k] = b2 * s[k] + (1 - b2) * g[k] ** 2
            p[k] = p[k] - lr * (m[k] / (1 - b1 ** t)) / (np.sqrt(s[k] / (1 - b2 ** t)) + eps)
    loss, _ = _grads(p, gating, x, c, y)
    return GatedMLP(params=p, gating=gating, loss=loss)
