"""Signals: low-dimensional values computed inside the simulation loop from activity (the NEF's decoded values),
errors against a target, and PES learning of decoders (Nengo's conventions).

- `DecodedValue`: x_hat(t) = sum over spikes of neuron i of decoders[i] * h(t - t_spike), with h the
  exponential filter of time constant tau and unit area (Nengo's Lowpass on spikes of height 1/dt, the
  same discretisation: x_hat <- a x_hat + (1 - a) * spikes/dt @ decoders, a = exp(-dt/tau)).
- `ErrorSignal`: e(t) = x_hat(t) - target(t), Nengo's sign (actual minus target), with target a function of
  time evaluated on the step grid.
- `PES`: each step, decoders[i] += -learning_rate * dt / n * e * a_i, with a_i neuron i's activity filtered
  by pre_tau (spikes of height 1/dt, as Nengo's `PES(pre_synapse=Lowpass(pre_tau))`); `SimPES` in
  nengo/builder/learning_rules.py computes the same outer product with alpha = -learning_rate * dt / n.
- `DecodedInput`: adds encoders @ x_hat (one row of `encoders` per neuron, units of J) to a population's
  drive, from the next step on (a decoded connection; gains go into the encoders).
Probe any of the three values with `net.probe(signal, "value")`.
"""

import numpy as np

from snnlib import _validate as check


class DecodedValue:
    """x_hat = filtered spikes of `pop` times `decoders` (n, d). Create with `Network.decoded`."""

    is_source = False
    probe_targets = ("value",)

    def __init__(self, pop, decoders, tau, label):
        self.pop, self.decoders, self.tau, self.label = pop, decoders, tau, label
        self.n = self.dimensions = decoders.shape[1]

    @property
    def time_constants(self):
        return {"tau": self.tau}

    def __repr__(self):
        return f"<DecodedValue {self.label!r}: {self.dimensions}-D from {self.pop.label}>"


class ErrorSignal:
    """e = decoded - target(t). Create with `Network.error`."""

    is_source = False
    probe_targets = ("value",)

    def __init__(self, decoded, target, label):
        self.decoded, self.target, self.label = decoded, target, label
        self.n = self.dimensions = decoded.dimensions

    def __repr__(self):
        return f"<ErrorSignal {self.label!r}: {self.decoded.label} - target>"


class PES:
    """Prescribed Error Sensitivity on the decoders of `decoded`, driven by `error`. Create with `Network.pes`."""

    def __init__(self, decoded, error, learning_rate, pre_tau):
        self.decoded, self.error, self.learning_rate, self.pre_tau = decoded, error, learning_rate, pre_tau

    @property
    def time_constants(self):
        return {"pre_tau": self.pre_tau}

    def __repr__(self):
        return f"PES(learning_rate={self.learning_rate!r}, pre_tau={self.pre_tau!r})"


class DecodedInput:
    """Drive encoders @ x_hat into `post`. Create with `Network.decoded_input`."""

    def __init__(self, post, decoded, encoders):
        self.post, self.decoded, self.encoders = post, decoded, encoders


def make_decoded(net, pop, decoders, tau, label):
    net._check_member(pop, "pop", sources=False)
    decoders = check.finite_array("decoders", decoders)
    if decoders.ndim == 1:
        decoders = decoders[:, None]
    if decoders.ndim != 2 or decoders.shape[0] != pop.n:
        raise ValueError(f"decoders must have shape (pop.n, dimensions) = ({pop.n}, d), got {decoders.shape}")
    tau = check.positive("tau", tau)
    sig = DecodedValue(pop, decoders.copy(), tau, net._label(label, "decoded", net.signals))
    net.signals.append(sig)
    return sig


def make_error(net, decoded, target, label):
    _check_signal(net, decoded, "decoded", DecodedValue)
    from snnlib.model.inputs import Constant, Signal, TimeFunction

    if callable(target) and not isinstance(target, Signal):
        target = TimeFunction(target)
    elif not isinstance(target, Signal):
        target = Constant(check.finite_array("target", target, shape=(decoded.dimensions,)))
    err = ErrorSignal(decoded, target, net._label(label, "error", net.signals))
    net.signals.append(err)
    return err


def make_pes(net, decoded, error, learning_rate, pre_tau):
    _check_signal(net, decoded, "decoded", DecodedValue)
    _check_signal(net, error, "error", ErrorSignal)
    if error.dimensions != decoded.dimensions:
        raise ValueError(f"error has {error.dimensions} dimensions, decoded has {decoded.dimensions}")
    rule = PES(decoded, error, check.nonnegative("learning_rate", learning_rate),
               check.positive("pre_tau", pre_tau))
    if any(isinstance(s, PES) and s.decoded is decoded for s in net.signals):
        raise ValueError(f"{decoded.label} already learns with PES: one PES rule per decoded value")
    net.signals.append(rule)
    return rule


def make_decoded_input(net, post, decoded, encoders):
    net._check_member(post, "post", sources=False)
    _check_signal(net, decoded, "decoded", DecodedValue)
    encoders = check.finite_array("encoders", encoders)
    if encoders.ndim == 1 and decoded.dimensions == 1:
        encoders = encoders[:, None]
    if encoders.shape != (post.n, decoded.dimensions):
        raise ValueError(f"encoders must have shape (post.n, dimensions) = ({post.n}, {decoded.dimensions}), "
                         f"got {encoders.shape}")
    inp = DecodedInput(post, decoded, encoders.copy())
    net.signals.append(inp)
    return inp


def _check_signal(net, obj, name, cls):
    if not isinstance(obj, cls) or not any(obj is s for s in net.signals):
        raise TypeError(f"{name} must be a {cls.__name__} of this network (from Network."
                        f"{'decoded' if cls is DecodedValue else 'error'}), got {obj!r}")


def values_at(signals, t):
    """Targets of the error signals evaluated at times t: array (len(t), total dimensions)."""
    cols = [e.target.evaluate(t, e.dimensions) for e in signals]
    return np.ascontiguousarray(np.concatenate(cols, axis=1), dtype=float) if cols else np.zeros((len(t), 0))
