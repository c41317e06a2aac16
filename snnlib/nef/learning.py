"""PES learning on a decoded connection (MacNeil & Eliasmith 2011), run by the engine's PES rule.

Each step the connection's decoders change by dD_i = -(learning_rate * dt / n) * a_i * e, with a_i neuron i's
activity filtered by `pre_tau` and e = f_hat(t) - target(t), the connection's decoded output (before its
transform) minus the target: Nengo's `nengo.PES` convention and sign (nengo/learning_rules.py,
nengo/builder/learning_rules.py: SimPES). Here the target is a function of time (s) given with the rule; in
Nengo it usually arrives as a decoded error connection from other ensembles.
"""

from snnlib import _validate as check

__all__ = ["PES"]


class PES:
    """Learn a connection's decoders online so that its decoded output follows `target(t)`.

    Parameters
    ----------
    target : callable t (s) -> number or vector (the connection's decoded dimensions)
    learning_rate : float
        kappa (1/s), >= 0; Nengo's default 1e-4.
    pre_tau : float
        Time constant (s) of the filter on the presynaptic activities (Nengo's default 5 ms).
    """

    def __init__(self, target, learning_rate=1e-4, pre_tau=0.005):
        if not callable(target):
            raise TypeError(f"target must be a function of time t (s), got {target!r}")
        self.target = target
        self.learning_rate = check.nonnegative("learning_rate", learning_rate, "1/s")
        self.pre_tau = check.positive("pre_tau", pre_tau)

    def __repr__(self):
        return f"PES(learning_rate={self.learning_rate!r}, pre_tau={self.pre_tau!r})"
