"""Gaussian white noise current: an independent N(0, sigma^2) current per neuron and step."""

from snnlib import _validate as check
from snnlib.model.plugin import NoiseModel, register


def white_sample(xi, sigma):
    """The current for this step: sigma times a standard normal deviate (no state)."""
    return sigma * xi


@register
class WhiteNoise(NoiseModel):
    """J_n = sigma * xi_n, independent per neuron and step, held for the step (units of v, like J).

    Through the LIF's exact update v <- a v + (1 - a) J (a = exp(-dt/tau_rc)) the membrane variance is
    sigma^2 (1 - a) / (1 + a) below threshold. sigma >= 0. Note the dependence on dt: a white current held
    for one step is a different process at another dt (use OUNoise for a dt-independent process).
    """

    kind = "white_noise"
    params = ("sigma",)
    state = ()
    functions = {"sample": white_sample}

    def __init__(self, sigma=0.1):
        self.sigma = check.nonnegative("sigma", sigma)
