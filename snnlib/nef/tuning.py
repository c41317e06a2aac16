"""Gain and bias of LIF neurons from intercepts and maximum rates, and the rate (tuning) curves.

Normalised LIF units (threshold 1, reset 0, rest 0; `snnlib.LIF()` defaults): the drive of neuron i at the
represented value x is J_i(x) = gain_i * (e_i . x / radius) + bias_i, and its steady firing rate is
a(J) = 1 / (tau_ref + tau_rc * ln(1 + 1 / (J - 1))) for J > 1, else 0.

`gain_bias` solves the two conditions "J = 1 at e.x = intercept" and "a(J) = max_rate at e.x = 1":
    z = 1 / (1 - exp((tau_ref - 1 / max_rate) / tau_rc))      (the drive giving max_rate)
    gain = (1 - z) / (intercept - 1),   bias = 1 - gain * intercept
exactly nengo.neurons.LIFRate.gain_bias (nengo/neurons.py); `max_rates_intercepts` is its inverse
(LIFRate.max_rates_intercepts).
"""

import numpy as np

from snnlib import _validate as check

__all__ = ["gain_bias", "max_rates_intercepts", "lif_rates", "check_normalised"]


def check_normalised(neuron):
    """Raise unless `neuron` is a snnlib LIF in normalised units (the NEF formulas assume threshold 1)."""
    from snnlib.neurons.lif import LIF

    if not isinstance(neuron, LIF):
        raise TypeError(f"neuron must be a snnlib.LIF, got {neuron!r}")
    if (neuron.v_th, neuron.v_reset, neuron.v_rest) != (1.0, 0.0, 0.0):
        raise ValueError("the NEF layer uses normalised LIF units (v_th=1, v_reset=0, v_rest=0, as LIF() "
                         f"defaults); got v_th={neuron.v_th}, v_reset={neuron.v_reset}, v_rest={neuron.v_rest}")
    return neuron


def gain_bias(max_rates, intercepts, tau_rc=0.02, tau_ref=0.002):
    """Gain and bias (dimensionless drive) of LIF neurons with the given max rates (Hz) and intercepts.

    max_rates must lie in (0, 1/tau_ref); intercepts below 1 (at intercept 1 the neuron would need an
    infinite gain to reach max_rate at the edge of the range). Returns (gain, bias) arrays.
    """
    max_rates = np.atleast_1d(check.finite_array("max_rates", max_rates))
    intercepts = np.atleast_1d(check.finite_array("intercepts", intercepts))
    tau_rc = check.positive("tau_rc", tau_rc)
    tau_ref = check.nonnegative("tau_ref", tau_ref, "s")
    limit = 1.0 / tau_ref if tau_ref > 0 else np.inf
    if np.any(max_rates <= 0) or np.any(max_rates >= limit):
        raise ValueError(f"max_rates must lie in (0, 1/tau_ref) = (0, {limit:.4g}) Hz, got values from "
                         f"{max_rates.min():.4g} to {max_rates.max():.4g}")
    if np.any(intercepts >= 1):
        raise ValueError(f"intercepts must be below 1 (the edge of the represented range), got up to "
                         f"{intercepts.max():.4g}")
    z = 1.0 / (1.0 - np.exp((tau_ref - 1.0 / max_rates) / tau_rc))
    gain = (1.0 - z) / (intercepts - 1.0)
    bias = 1.0 - gain * intercepts
    return gain, bias


def max_rates_intercepts(gain, bias, tau_rc=0.02, tau_ref=0.002):
    """Inverse of `gain_bias`: (max_rates in Hz, intercepts) of LIF neurons with this gain and bias.

    A neuron whose drive at x = 1 (gain + bias) does not exceed 1 never fires in the range: its max rate is 0.
    """
    gain = np.atleast_1d(check.finite_array("gain", gain))
    bias = np.atleast_1d(check.finite_array("bias", bias))
    if np.any(gain <= 0):
        raise ValueError("gain must be > 0")
    tau_rc, tau_ref = check.positive("tau_rc", tau_rc), check.nonnegative("tau_ref", tau_ref, "s")
    intercepts = (1.0 - bias) / gain
    return lif_rates(gain + bias, tau_rc, tau_ref), intercepts


def lif_rates(J, tau_rc=0.02, tau_ref=0.002):
    """Steady LIF rate (Hz) for drive J (normalised units, array): 0 at or below 1 (1/tau_ref at J = inf)."""
    J = check.numeric_array("J", J)
    if np.any(np.isnan(J)):
        raise ValueError("J contains NaN: the drive must be a number (inf is allowed: the rate saturates)")
    tau_rc, tau_ref = check.positive("tau_rc", tau_rc), check.nonnegative("tau_ref", tau_ref, "s")
    out = np.zeros(J.shape)
    above = J > 1.0
    out[above] = 1.0 / (tau_ref + tau_rc * np.log1p(1.0 / (J[above] - 1.0)))
    return out
