"""Ornstein-Uhlenbeck noise current: coloured Gaussian noise with time constant tau and stationary std sigma."""

import numpy as np

from snnlib import _validate as check
from snnlib.model.plugin import NoiseModel, register


def ou_sample(eta, xi, b, s):
    """Exact OU update over one step: eta <- b eta + s xi (b = exp(-dt/tau), s = sigma sqrt(1 - b^2));
    the current for this step is the value at its start."""
    return b * eta + s * xi, eta


@register
class OUNoise(NoiseModel):
    """d eta = -eta / tau dt + sigma sqrt(2 / tau) dW, started at 0, sampled exactly at the step grid; the
    current eta is held over each step. Stationary variance sigma^2 (tau in s, > 0; sigma >= 0)."""

    kind = "ou_noise"
    params = ("sigma", "tau")
    state = ("eta",)
    functions = {"sample": ou_sample}

    def __init__(self, sigma=0.1, tau=0.005):
        self.sigma = check.nonnegative("sigma", sigma)
        self.tau = check.positive("tau", tau)

    def derived(self, dt):
        b = float(np.exp(-dt / self.tau))
        return {"b": b, "s": self.sigma * float(np.sqrt(1.0 - b * b))}

    @property
    def time_constants(self):
        return {"tau": self.tau}
