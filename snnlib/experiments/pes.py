"""PES learning a function online in a spiking population (lesson 03): the error against time, and the check
that the learnt decoders are exactly the sum of local updates ``-kappa * dt / n * e(t) * a_i(t)``.

A population of LIF neurons represents x(t) = sin(pi t) (random encoders +-1, intercepts and maximum rates
drawn as in Nengo, gain and bias from them); its decoded value x_hat starts from zero decoders and PES
(`Network.pes`) learns decoders for f(x) from the error e = x_hat - f(x(t)) (Nengo's sign).
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["PESRun", "learn_function_pes", "ensemble"]


def ensemble(net, n, rng, label="ensemble"):
    """n LIF neurons representing a scalar in [-1, 1]; returns (population, gain * encoder per neuron).

    Nengo's defaults: encoders +-1, intercepts U(-0.9, 0.9), max rates U(100, 200) Hz here; J(x) = gain e x + bias
    with J = 1 at the intercept and the max rate at e x = 1 (normalised LIF units)."""
    import snnlib as snn
    from snnlib import _validate as check

    if not isinstance(net, snn.Network):
        raise TypeError(f"net must be a snnlib.Network, got {check._show(net)}")
    n = check.count("n", n)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {check._show(rng)}")
    enc = rng.choice([-1.0, 1.0], size=n)
    intercepts, max_rates = rng.uniform(-0.9, 0.9, n), rng.uniform(100, 200, n)
    lif = snn.LIF()
    j_max = 1.0 / (1.0 - np.exp((lif.tau_ref - 1.0 / max_rates) / lif.tau_rc))
    gain = (j_max - 1.0) / (1.0 - intercepts)
    return net.population(n, lif, bias=1.0 - gain * intercepts, label=label), gain * enc


@dataclass
class PESRun:
    """t (s, one entry per step), x (represented value), target f(x), error e = x_hat - target, decoders
    (n, 1) at the end, ``local_sum``: the same decoders rebuilt from the spikes and the error alone."""

    t: np.ndarray
    x: np.ndarray
    target: np.ndarray
    error: np.ndarray
    decoders: np.ndarray
    local_sum: np.ndarray
    spikes: int

    def rms(self, start, stop):
        """RMS error (units of x) over start <= t < stop (s); the window must hold at least one step."""
        from snnlib import _validate as check

        start, stop = check.real("start", start), check.real("stop", stop)
        sel = (self.t >= start) & (self.t < stop)
        if not sel.any():       # an empty window: say so rather than return NaN with a numpy warning
            if self.t.size < 2:
                raise ValueError(f"no step lies in start <= t < stop (start={start:g}, stop={stop:g})")
            raise ValueError(f"no step lies in start <= t < stop with start={start:g} s, stop={stop:g} s: the run "
                             f"covers t = {self.t[0]:g} to {self.t[-1]:g} s in steps of {self.t[1] - self.t[0]:g} s")
        return float(np.sqrt(np.mean(self.error[sel] ** 2)))


def learn_function_pes(function=np.square, n_neurons=80, learning_rate=1e-3, duration=8.0, dt=1e-3, pre_tau=5e-3,
                       tau=10e-3, seed=2):
    """Run PES for ``duration`` s learning ``function`` of x(t) = sin(pi t) from zero decoders (seeded)."""
    import snnlib as snn
    from snnlib import _validate as check

    if not callable(function):
        raise TypeError(f"function must be a function of x such as np.square, got {check._show(function)}")
    n_neurons, learning_rate = check.count("n_neurons", n_neurons), check.nonnegative("learning_rate", learning_rate)
    duration, dt = check.positive("duration", duration), check.positive("dt", dt)
    pre_tau, tau = check.positive("pre_tau", pre_tau), check.positive("tau", tau)
    seed = check.count("seed", seed, minimum=0)
    rng = np.random.default_rng(seed + 1)
    net = snn.Network(seed=seed)
    pop, gain_enc = ensemble(net, n_neurons, rng, "pre")
    net.input(pop, lambda t: gain_enc * np.sin(np.pi * t))
    x_hat = net.decoded(pop, np.zeros((n_neurons, 1)), tau=tau)
    error = net.error(x_hat, lambda t: function(np.sin(np.pi * t)))
    net.pes(x_hat, error, learning_rate=learning_rate, pre_tau=pre_tau)
    p_err, p_spk = net.probe(error), net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=dt)
    sim.run(duration)
    e = sim.data[p_err][:, 0]
    t = np.arange(len(e)) * dt                       # the error of step s uses the target at the step's start
    # rebuild the decoders from local quantities only: each neuron's own filtered spikes and the error
    rec = sim.data[p_spk]
    spikes = np.zeros((len(e), n_neurons))
    np.add.at(spikes, (np.ceil(rec.times / dt - 1e-9).astype(int) - 1, rec.neurons), 1.0)
    decay, a, local = np.exp(-dt / pre_tau), np.zeros(n_neurons), np.zeros(n_neurons)
    for s in range(len(e)):
        a = decay * a + (1 - decay) / dt * spikes[s]
        local += -learning_rate * dt / n_neurons * e[s] * a
    x = np.sin(np.pi * t)
    return PESRun(t, x, function(x), e, sim.decoders(x_hat), local[:, None], int(rec.times.size))
