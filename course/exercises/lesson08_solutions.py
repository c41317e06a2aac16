"""Reference solutions for exercises/08_capstone.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these (signature and
docstring kept, body replaced). The project: lesson 08's measurements on a second task, the saddle
y = x1^2 - x2^2, reversed half-way. Energies in J, errors in units of y.
"""
import numpy as np

from snnlib.energy import get_device
from snnlib.experiments import capstone

# %% saddle
def saddle(X):
    """The project's task: y = x1**2 - x2**2 for each row (x1, x2) of X, an array of shape (n, 2).
    Returns an array of n values."""
    return X[:, 0] ** 2 - X[:, 1] ** 2

# %% recovery
def recovery(errors, switch_at, level=0.15, window=100):
    """Samples a learner needs to recover after the task changed at sample `switch_at`.

    errors: 1-D array of per-sample errors over the whole run; level: the RMS error that counts as recovered;
    window: samples per moving window. Returns the smallest k (counted from the switch) such that the RMS of
    the errors of samples switch_at + k - window ... switch_at + k - 1 (a full window, all after the switch) is
    <= level; None if no window after the switch gets there.
    """
    after = np.asarray(errors, dtype=float)[switch_at:]
    for k in range(window, len(after) + 1):
        if np.sqrt(np.mean(after[k - window:k] ** 2)) <= level:
            return k
    return None                    # never recovered within the run

# %% inference_energy
def inference_energy(spikes, n_neurons, steps):
    """Energy (J) of one inference of the spiking learner on Loihi.

    spikes: spikes of the whole population during the inference; n_neurons: neurons; steps: time steps of the
    inference. The 2-D input enters as currents (2 synaptic ops per neuron, once), each spike costs one
    synaptic op (its decoder onto the 1-D output), every neuron is updated every step.
    """
    loihi = get_device("loihi")
    synops = 2 * n_neurons + spikes
    return synops * loihi.energy_per_synop + n_neurons * steps * loihi.energy_per_neuron

# %% pes_error
kappa = 2e-3                   # 1e-3 never recovers within the run; 3e-3 recovers sooner but jitters more
project = capstone.measure_capstone(saddle, seed=0, learning_rate=kappa)      # both learners, same samples
print(capstone.verdict_table(project))
pes_error = project.pes.test_error

# %% ablated_error
ablated_error = project.pes.ablated_error

# %% recover_samples
recover_samples = recovery(project.pes.errors, project.pes.switch_at)
if recover_samples is None:    # never recovered within the run
    recover_samples = float("inf")
