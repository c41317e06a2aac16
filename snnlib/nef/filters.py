"""The NEF's synapse as a discrete filter: Nengo's `Lowpass(tau)` discretised by zero-order hold.

h(t) = exp(-t / tau) / tau (unit area). Per step of dt: y[k] = a y[k-1] + (1 - a) u[k], a = exp(-dt / tau)
(nengo/synapses.py: LinearFilter with method="zoh", step `OneX`). A spike is u = 1/dt in its step, so it adds
(1 - a)/dt to y and the train's discrete area is exactly 1, as in continuous time.
`tau=None` means no filter (y = u), as Nengo's `synapse=None`.
"""

import numpy as np

from snnlib import _validate as check

__all__ = ["check_synapse", "lowpass"]


def check_synapse(name, tau, allow_none=True):
    """A synapse time constant in s (> 0), or None when allowed."""
    if tau is None:
        if not allow_none:
            raise ValueError(f"{name} must be a time constant in s (> 0) here, not None: a connection between "
                             "ensembles is realised through a synapse")
        return None
    return check.positive(name, tau)


def lowpass(u, tau, dt, zi=None):
    """Filter u (steps, ...) along axis 0; returns (y, last) where `last` continues the filter later.

    zi: the filter state (the last output) of an earlier chunk, or None to start from 0."""
    u = check.finite_array("u", u)
    if u.ndim == 0:
        raise ValueError("u must be an array of values per step (steps, ...), got a single number")
    tau, dt = check_synapse("tau", tau), check.positive("dt", dt)
    if zi is not None:
        zi = check.finite_array("zi", zi)
        if zi.shape != u.shape[1:]:
            raise ValueError(f"zi (the filter's last output) must have shape {u.shape[1:]}, got {zi.shape}")
    if tau is None:
        return u.copy(), (u[-1] if len(u) else zi)
    from scipy.signal import lfilter

    a = np.exp(-dt / tau)
    state = np.zeros((1,) + u.shape[1:]) if zi is None else a * zi[None]
    y, _ = lfilter([1.0 - a], [1.0, -a], u, axis=0, zi=state)
    return y, (y[-1] if len(y) else zi)
