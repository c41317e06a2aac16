"""Reference solutions for exercises/03_backprop.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these (signature and
docstring kept, body replaced). Weights follow snnlib's convention: ``W`` of shape (n_out, n_in).
"""
import numpy as np

from snnlib.ml.credit import angle_between, train_credit

# %% fa_hidden_delta
def fa_hidden_delta(delta_out, W, B, slope):
    """The error of a hidden layer under feedback alignment, for one sample (column vectors).

    delta_out: error of the layer above, shape (n_out,); W: the forward weights from this hidden layer to the
    layer above, shape (n_out, n_hidden) (backprop would use W.T); B: the fixed random feedback matrix, shape
    (n_hidden, n_out); slope: f'(a) of the hidden units, shape (n_hidden,).
    Returns the hidden layer's delta, shape (n_hidden,).
    """
    return (B @ delta_out) * slope      # B takes the place of W.T: no weight transport

# %% alignment_angle
def alignment_angle(u, v):
    """Angle in degrees between two weight updates u and v (arrays of the same shape, taken as flat vectors)."""
    u, v = np.ravel(u), np.ravel(v)
    cosine = u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
    return np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))

# %% pes_delta
def pes_delta(activities, error, kappa, dt):
    """One step of the PES rule (Nengo's convention) for decoders of shape (n_dims, n_neurons).

    activities: filtered presynaptic activities a (Hz), shape (n_neurons,); error: e = actual - target,
    shape (n_dims,); kappa: learning rate; dt: time step (s).
    Returns the decoder change, shape (n_dims, n_neurons): -kappa * dt / n_neurons * outer(e, a).
    """
    n_neurons = len(activities)
    return -kappa * dt / n_neurons * np.outer(error, activities)

# %% superspike
def superspike(u, threshold, beta):
    """SuperSpike's surrogate derivative of a spike with respect to the membrane voltage u (array).

    threshold: firing threshold (same units as u); beta: steepness (per unit of u).
    Returns 1 / (1 + beta * |u - threshold|)^2, element-wise.
    """
    return 1.0 / (1.0 + beta * np.abs(u - threshold)) ** 2

# %% layer_angle
def layer_angle(net, X, y):
    """Alignment angle (degrees) of the first hidden layer of an snnlib CreditMLP on the batch (X, y).

    net: a snnlib.ml.credit.CreditMLP (its rule: FA or DFA); X: images (n, n_inputs); y: labels (n,).
    Returns the angle between the rule's update of net.weights[0] and the true gradient (backprop's).
    """
    mine, _ = net.gradients(X, y)                      # the rule's update directions, one per layer
    true, _ = net.gradients(X, y, rule="backprop")     # the exact gradients
    return angle_between(mine[0], true[0])

# %% fa_lr_drop
def fa_lr_drop(seeds):
    """Feedback alignment with a 10x larger learning rate: how much accuracy is lost, on average?

    For each seed, train FA (snnlib.ml.credit.train_credit, hidden=64, epochs=12) at lr=0.1 and at lr=1.0.
    Returns the mean final test accuracy at lr=0.1 minus the mean final test accuracy at lr=1.0.
    """
    def final_accuracy(lr, seed):
        run = train_credit("feedback_alignment", hidden=64, lr=lr, epochs=12, seed=seed)
        return run.test_accuracy[-1]

    return (np.mean([final_accuracy(0.1, s) for s in seeds])
            - np.mean([final_accuracy(1.0, s) for s in seeds]))
