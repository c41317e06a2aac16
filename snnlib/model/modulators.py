"""Modulators: slow, low-dimensional signals (dopamine-like) inside the simulation loop, and what they modulate.

A modulator is one number per time step, m(t), from either
- a function of time (or a number, or a snnlib `Signal` such as `Step`): evaluated by numpy on each chunk's
  step times, outside the loop (never Python per step); with `tau`, the loop low-pass filters it with unit
  DC gain: m <- a m + (1 - a) f(t_s), a = exp(-dt/tau); without, m = f(t_s) during step s (t_s its start);
- activity: the spikes of a population or a spike source, weighted and low-pass filtered with unit area
  (as `Network.decoded`, Nengo's Lowpass on spikes of height 1/dt): after each step's spikes,
  m <- a m + (1 - a) / dt * sum_i w_i s_i, so its mean is sum_i w_i r_i (r_i the rates, Hz); the default
  weights 1/n make m the population's mean rate (Hz). Spikes of step s act from step s + 1 on.

`Network.modulate(pop, parameter, m, scale)` makes a modulator act on every neuron of `pop`, without
changing any weight (k = scale, one value per neuron or a scalar):
- "gain":      the neuron's whole input J (bias, inputs, synapses, noise) is multiplied by 1 + k m;
- "bias":      k m is added to J (units of J);
- "threshold": the model's threshold parameter (LIF: v_th, AdEx: V_T; `NeuronModel.threshold`) is shifted
  by k m; models without one (Izhikevich) refuse it.
Several modulations of one parameter add up (gain 1 + k1 m1 + k2 m2). Modulators are read by learning rules
(`snnlib.ThreeFactorSTDP`) and recorded by `net.probe(m)`. Kernel side: `snnlib/sim/modulators.py`.
Parameter values (scale, tau, weights, the function) are data, not structure: changing them never recompiles.
"""

import numbers

import numpy as np

from snnlib import _validate as check

PARAMETERS = ("gain", "bias", "threshold")


class Modulator:
    """A scalar signal m(t) computed in the loop. Create with `Network.modulator`.

    kind : "time" (from a function of time) or "activity" (from spikes of `source`).
    """

    is_source = False
    probe_targets = ("value",)
    n = dimensions = 1

    def __init__(self, kind, function, source, weights, tau, label):
        self.kind, self.function, self.source, self.weights = kind, function, source, weights
        self.tau, self.label = tau, label

    def evaluate(self, t):
        """Values of a time modulator's function at the times t (s): array (len(t),) of finite floats."""
        return _evaluate(self.function, np.asarray(t, dtype=float), self.label)

    @property
    def time_constants(self):
        return {} if self.tau is None else {"tau": self.tau}

    def __repr__(self):
        what = f"activity of {self.source.label}" if self.kind == "activity" else "a function of time"
        tau = "" if self.tau is None else f", tau={self.tau:g} s"
        return f"<Modulator {self.label!r}: {what}{tau}>"


class Modulation:
    """Modulator `modulator` acting on `parameter` of every neuron of `pop` with sensitivity `scale` (n,)."""

    def __init__(self, pop, parameter, modulator, scale):
        self.pop, self.parameter, self.modulator, self.scale = pop, parameter, modulator, scale

    def __repr__(self):
        return f"<Modulation: {self.modulator.label} -> {self.parameter} of {self.pop.label}>"


def make_modulator(net, source, tau, weights, label):
    """`Network.modulator`: see the module docstring."""
    from snnlib.model.inputs import Constant, Signal

    label = net._label(label, "modulator", net.signals)
    tau = None if tau is None else check.positive("tau", tau)
    is_member = any(source is a for a in net.populations + net.sources)
    if is_member:
        if tau is None:
            raise ValueError("tau (s) is needed for a modulator from activity: the time constant of the "
                             "low-pass filter of the spikes, e.g. tau=0.2")
        w = np.full(source.n, 1.0 / source.n) if weights is None else \
            check.finite_array("weights", weights, shape=(source.n,))
        mod = Modulator("activity", None, source, w, tau, label)
    else:
        if weights is not None:
            raise ValueError("weights is only for a modulator from activity (a population or spike source)")
        if hasattr(source, "is_source") and not is_member:
            raise ValueError(f"{source!r} is not a population or source of this network")
        if isinstance(source, numbers.Real) and not isinstance(source, bool):
            source = Constant(check.real("source", source))
        if isinstance(source, Signal):
            signal = source
            function = (lambda t: signal.evaluate(t, 1)[:, 0])     # noqa: E731
        elif callable(source):
            function = source
        else:
            raise TypeError("source must be a function of time f(t) (numpy array of times in s -> array of "
                            "values), a number, a snnlib Signal, or a population / spike source of this network "
                            f"(a modulator from activity), got {source!r}")
        _evaluate(function, np.array([0.0, 1e-3, 2e-3]), label)     # fail now, not in the first run
        mod = Modulator("time", function, None, None, tau, label)
    net.signals.append(mod)
    return mod


def make_modulation(net, pop, parameter, modulator, scale):
    """`Network.modulate`: see the module docstring."""
    from snnlib.model.plugin import threshold_param

    net._check_member(pop, "pop", sources=False)
    if not isinstance(modulator, Modulator) or not any(modulator is s for s in net.signals):
        raise TypeError(f"modulator must be a Modulator of this network (from Network.modulator), got {modulator!r}")
    if parameter not in PARAMETERS:
        raise ValueError(f"parameter must be one of {', '.join(repr(p) for p in PARAMETERS)}, got {parameter!r}")
    if parameter == "threshold" and threshold_param(type(pop.neuron)) is None:
        raise ValueError(f"parameter 'threshold': {type(pop.neuron).__name__} has no threshold parameter to "
                         "modulate (its NeuronModel.threshold is None); modulate 'gain' or 'bias' instead")
    scale = check.finite_array("scale", scale, shape=(pop.n,))
    mod = Modulation(pop, parameter, modulator, scale)
    net.signals.append(mod)
    return mod


def _evaluate(function, t, label):
    """function(t) for an array of times, as a float array of len(t), with errors that say what to write."""
    try:
        out = function(t)
    except Exception as err:          # a scalar-only function (e.g. `if t > 1:`) fails on an array
        raise TypeError(f"modulator {label!r}: its source function is called with a numpy array of times (s) and "
                        f"must return a number or an array of that length; it raised {type(err).__name__}: "
                        f"{err}. Write it with numpy, e.g. np.where(t > 1.0, 0.5, 0.0)") from None
    out = check.numeric_array(f"modulator {label!r}: the value of its source function", out)
    if out.ndim == 0:
        out = np.full(len(t), float(out))
    if out.shape != (len(t),):
        raise ValueError(f"modulator {label!r}: its source function returned shape {out.shape} for {len(t)} times; "
                         f"a modulator is one number per time: return shape ({len(t)},) or a number")
    if not np.all(np.isfinite(out)):
        bad = int(np.argmax(~np.isfinite(out)))
        raise ValueError(f"modulator {label!r}: its source function returned a non-finite value (NaN or inf) at "
                         f"t = {t[bad]:.6g} s")
    return out
