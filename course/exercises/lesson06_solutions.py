"""Reference solutions for exercises/06_nef.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these (signature and
docstring kept, body replaced). Normalised LIF units (threshold 1), rates in Hz, times in seconds.
"""
import numpy as np

from snnlib import nef

# %% gain_bias
def gain_bias(max_rate, intercept, tau_rc, tau_ref):
    """Gain and bias of a LIF neuron that starts firing at `intercept` and fires at `max_rate` (Hz) at e.x = 1.

    The drive is J = gain * (e.x) + bias; tau_rc, tau_ref in s. Works element-wise on arrays.
    """
    z = 1.0 / (1.0 - np.exp((tau_ref - 1.0 / max_rate) / tau_rc))   # the drive that gives max_rate
    gain = (z - 1.0) / (1.0 - intercept)                              # J = 1 at the intercept, z at e.x = 1
    bias = 1.0 - gain * intercept
    return gain, bias

# %% lstsq_decoders
def lstsq_decoders(A, Y, reg):
    """Decoders D (n_neurons, d) minimising |A D - Y|^2 + m sigma^2 |D|^2 with sigma = reg * max(A).

    A: activities (m points, n_neurons) in Hz; Y: targets (m, d); reg: regularisation, a fraction of the max rate.
    """
    m, n = A.shape
    sigma = reg * A.max()
    G = A.T @ A + m * sigma ** 2 * np.eye(n)
    return np.linalg.solve(G, A.T @ Y)

# %% recurrent_transform
def recurrent_transform(A, tau):
    """Feedback transform A' that makes an ensemble with a recurrent synapse of time constant tau (s) follow
    dx/dt = A x (A: d x d array)."""
    return tau * A + np.eye(len(A))

# %% decode_by_hand
def decode_by_hand(x, encoders, gain, bias, radius, decoders):
    """Decoded estimate (m, d_out) of an ensemble at points x (m, d).

    encoders (n, d) unit vectors; gain, bias (n,); radius; decoders (n, d_out). LIF: tau_rc 20 ms, tau_ref 2 ms.
    """
    J = gain * (x @ encoders.T) / radius + bias
    rates = np.zeros_like(J)
    on = J > 1
    rates[on] = 1.0 / (0.002 + 0.02 * np.log1p(1.0 / (J[on] - 1.0)))
    return rates @ decoders

# %% channel_error
def channel_error(n_neurons, seed):
    """RMS decoding error (after the first 50 ms) of a 1-D ensemble of n_neurons following a 2 s ramp from -1 to 1."""
    model = nef.Network(seed=seed)
    ramp = model.node(lambda t: -1 + t)                   # -1 to 1 over 2 s
    ens = model.ensemble(n_neurons)
    model.connect(ramp, ens, synapse=None)                # the ramp drives the neurons directly
    p_ens = model.probe(ens, synapse=0.01)                # decoded value, 10 ms lowpass
    p_ramp = model.probe(ramp, synapse=0.01)              # the ramp through the same filter
    sim = nef.Simulator(model)
    sim.run(2.0)
    error = sim.data[p_ens][50:, 0] - sim.data[p_ramp][50:, 0]
    return np.sqrt(np.mean(error ** 2))

# %% neurons_needed
def neurons_needed(target):
    """The smallest N in ex.CANDIDATES whose channel_error, averaged over seeds 0 and 1, is below target."""
    from course.exercises import lesson06 as ex

    errors = {n: np.mean([channel_error(n, seed) for seed in (0, 1)]) for n in ex.CANDIDATES}
    return min((n for n, e in errors.items() if e < target), default=max(ex.CANDIDATES))
