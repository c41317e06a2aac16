"""LIF rate curves for training spiking-convertible networks (Hunsberger & Eliasmith 2015).

Normalised LIF units (threshold 1, reset 0, input ``j`` dimensionless). The steady-state rate of a
LIF neuron with constant input ``j`` is

    r(j) = 1 / (tau_ref + tau_rc * ln(1 + 1 / (j - 1)))   for j > 1, else 0      (Hz)

Its derivative is infinite at j = 1, which breaks gradient descent. The soft LIF replaces
``j - 1`` by ``rho(j - 1)`` with ``rho(x) = gamma * ln(1 + exp(x / gamma))`` (a smoothed
``max(x, 0)``); as gamma -> 0 it becomes the hard LIF curve. Hunsberger & Eliasmith 2015,
"Spiking deep networks with LIF neurons", arXiv:1510.08829.
"""

from __future__ import annotations

import numpy as np

from snnlib import _validate as check

__all__ = ["lif_rate", "soft_lif_rate", "soft_lif_derivative", "soft_lif_rate_and_derivative", "SoftLIF"]


def _check_taus(tau_rc: float, tau_ref: float) -> None:
    tau_rc, tau_ref = check.real("tau_rc", tau_rc), check.real("tau_ref", tau_ref)
    if not (np.isfinite(tau_rc) and tau_rc > 0):
        raise ValueError(f"tau_rc must be a positive time in seconds, got {tau_rc!r}")
    if not (np.isfinite(tau_ref) and tau_ref >= 0):
        raise ValueError(f"tau_ref must be a non-negative time in seconds, got {tau_ref!r}")


def _as_input(j) -> np.ndarray:
    arr = check.numeric_array("j", j)
    if np.any(np.isnan(arr)):
        raise ValueError("input j contains NaN")
    return arr


def lif_rate(j, tau_rc: float = 0.02, tau_ref: float = 0.002) -> np.ndarray:
    """Steady-state LIF firing rate (Hz) for constant normalised input ``j`` (threshold 1).

    ``tau_rc``, ``tau_ref`` in seconds. Zero for ``j <= 1``. Check values (tau_rc 20 ms, tau_ref 2 ms):
    j = 1.5 -> 41.7149 Hz, j = 2 -> 63.0400 Hz, j = 5 -> 154.7300 Hz.
    """
    _check_taus(tau_rc, tau_ref)
    arr = _as_input(j)
    out = np.zeros_like(arr)
    above = arr > 1
    out[above] = 1.0 / (tau_ref + tau_rc * np.log1p(1.0 / (arr[above] - 1.0)))
    return out


def _rho(x: np.ndarray, gamma: float) -> np.ndarray:
    # gamma * softplus(x / gamma), computed without overflow for large |x|
    return gamma * np.logaddexp(0.0, x / gamma)


def soft_lif_rate(j, tau_rc: float = 0.05, tau_ref: float = 0.001, gamma: float = 0.02) -> np.ndarray:
    """Soft-LIF rate (Hz): ``1 / (tau_ref + tau_rc * ln(1 + 1/rho(j - 1)))``, ``rho`` a softplus of width gamma.

    Defaults are the paper's (tau_rc 50 ms, tau_ref 1 ms, gamma 0.02). Smooth everywhere, positive
    everywhere (tiny below threshold), and equal to :func:`lif_rate` as gamma -> 0.
    """
    _check_taus(tau_rc, tau_ref)
    gamma = check.real("gamma", gamma)
    if not (np.isfinite(gamma) and gamma > 0):
        raise ValueError(f"gamma must be > 0 (use lif_rate for the hard curve), got {gamma!r}")
    p = _rho(_as_input(j) - 1.0, gamma)
    with np.errstate(divide="ignore", over="ignore"):
        # p == 0 (deep below threshold, underflow) gives log1p(inf) = inf and a rate of exactly 0
        return 1.0 / (tau_ref + tau_rc * np.log1p(1.0 / p))


def soft_lif_rate_and_derivative(j, tau_rc: float = 0.05, tau_ref: float = 0.001, gamma: float = 0.02):
    """Both :func:`soft_lif_rate` (Hz) and its derivative d r / d j (Hz per unit input), sharing the work.

    ``dr/dj = r^2 * tau_rc * rho'(x) / (rho(x) * (1 + rho(x)))`` with ``x = j - 1`` and
    ``rho'(x) = sigmoid(x / gamma)``. Far below threshold ``rho'/rho -> 1/gamma``; that limit is used
    where rho underflows, so the result is finite everywhere. Returns ``(rate, derivative)``.
    """
    _check_taus(tau_rc, tau_ref)
    gamma = check.real("gamma", gamma)
    if not (np.isfinite(gamma) and gamma > 0):
        raise ValueError(f"gamma must be > 0, got {gamma!r}")
    z = (_as_input(j) - 1.0) / gamma
    softplus = np.logaddexp(0.0, z)
    p = gamma * softplus
    sig = np.exp(-np.logaddexp(0.0, -z))  # logistic sigmoid(z), accurate in both tails
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(p > 1e-300, sig / p, 1.0 / gamma)
        r = 1.0 / (tau_ref + tau_rc * np.log1p(1.0 / p))
    return r, r * r * tau_rc * ratio / (1.0 + p)


def soft_lif_derivative(j, tau_rc: float = 0.05, tau_ref: float = 0.001, gamma: float = 0.02) -> np.ndarray:
    """Derivative d r / d j of :func:`soft_lif_rate` (Hz per unit input); see :func:`soft_lif_rate_and_derivative`."""
    return soft_lif_rate_and_derivative(j, tau_rc, tau_ref, gamma)[1]


class SoftLIF:
    """The soft-LIF non-linearity with an output ``amplitude`` (s), for training a rate network.

    ``__call__(j)`` returns ``amplitude * soft_lif_rate(j)`` (dimensionless when amplitude is in
    seconds: the rate times the weight each spike will carry in the converted network), and
    ``derivative(j)`` its derivative. ``tau_rc``, ``tau_ref`` in seconds; ``gamma`` dimensionless.
    """

    def __init__(self, tau_rc: float = 0.05, tau_ref: float = 0.001, gamma: float = 0.02, amplitude: float = 0.01):
        _check_taus(tau_rc, tau_ref)
        gamma, amplitude = check.real("gamma", gamma), check.real("amplitude", amplitude)
        if not (np.isfinite(gamma) and gamma > 0):
            raise ValueError(f"gamma must be > 0, got {gamma!r}")
        if not (np.isfinite(amplitude) and amplitude > 0):
            raise ValueError(f"amplitude must be > 0 (seconds per spike), got {amplitude!r}")
        self.tau_rc, self.tau_ref, self.gamma, self.amplitude = float(tau_rc), float(tau_ref), float(gamma), float(amplitude)

    def rate(self, j) -> np.ndarray:
        """Firing rate (Hz) the spiking LIF neuron is trained to have."""
        return soft_lif_rate(j, self.tau_rc, self.tau_ref, self.gamma)

    def __call__(self, j) -> np.ndarray:
        return self.amplitude * self.rate(j)

    def derivative(self, j) -> np.ndarray:
        return self.amplitude * soft_lif_derivative(j, self.tau_rc, self.tau_ref, self.gamma)

    def value_and_derivative(self, j):
        """``(self(j), self.derivative(j))`` computed together (what training needs at every step)."""
        r, d = soft_lif_rate_and_derivative(j, self.tau_rc, self.tau_ref, self.gamma)
        return self.amplitude * r, self.amplitude * d

    def __repr__(self) -> str:
        return (f"SoftLIF(tau_rc={self.tau_rc}, tau_ref={self.tau_ref}, gamma={self.gamma}, "
                f"amplitude={self.amplitude})")
