"""A population whose computed function is switched by a neuromodulator, with no weight change (lesson 04).

N LIF neurons in the NEF's normalised units represent x in [-1, 1] (encoders +-1, gains and biases from
intercepts U(-1, 1) and maximum rates U(100, 200) Hz, Nengo's formulas in `snnlib.nef.tuning`). A
neuromodulator of level m (0 = absent, 1 = full) reaches every neuron as one broadcast signal; neuron i has
its own receptor density and sign k_i (half of the neurons have none, the others k_i ~ U(-1, 1): receptors that
excite and receptors that inhibit, as dopamine's D1 and D2 receptors do), so its drive is

    J_i(x, m) = gain_i (e_i x + k_i m) + bias_i

an excitability shift in units of the neuron's own input range (as neuromodulators act: they raise or lower
excitability and gain, Marder 2012). The tuning curves a_i(x, m) shift with m. One fixed set of linear
decoders d (least squares, `LstsqL2`) is solved once from the tuning curves at m = 0 with target f0(x) = x
and at m = 1 with target f1(x) = x^2. Afterwards nothing is learnt: moving m alone switches the decoded
output d . a(x, m) from f0 to f1. In the spiking network (`simulate`) the modulator is a `Network.modulator`
of constant level m acting on the excitability of every neuron with scale gain_i k_i
(`Network.modulate(pop, "bias", m, scale=...)`): one signal, many receptors, no weight touched.

Rates in hertz, times in seconds, drives in normalised units (threshold 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["F0", "F1", "SwitchingPopulation", "rms"]


def F0(x):
    """The function computed without modulator: the identity."""
    return np.asarray(x, dtype=float)


def F1(x):
    """The function computed under full modulation: the square."""
    return np.asarray(x, dtype=float) ** 2


def rms(a, b):
    """Root-mean-square difference of two arrays (of the same shape, or one a single number)."""
    from snnlib import _validate as check

    a, b = check.finite_array("a", a), check.finite_array("b", b)
    if a.shape != b.shape and a.ndim and b.ndim:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0 or b.size == 0:
        raise ValueError("a and b must not be empty")
    return float(np.sqrt(np.mean((a - b) ** 2)))


@dataclass
class SwitchingPopulation:
    """The modulated population of the module docstring, drawn from `seed` when made.

    Parameters
    ----------
    n : number of neurons (>= 2). seed : seed of its random parameters.
    sensitive : fraction of neurons with modulator receptors, in [0, 1].
    reg : regularisation of the decoders (fraction of the largest rate, Nengo's LstsqL2).
    train_levels : modulator levels whose targets the decoders are solved for (default both, 0 and 1);
        ``(0.0,)`` solves for f0 at m = 0 only (what a readout never trained under the modulator gives).
    """

    n: int = 100
    seed: int = 0
    sensitive: float = 0.5
    reg: float = 0.01
    train_levels: tuple = (0.0, 1.0)

    def __post_init__(self):
        from snnlib.nef.solvers import LstsqL2
        from snnlib.nef.tuning import gain_bias

        from snnlib import _validate as check

        self.n = check.count("n", self.n, minimum=2)
        self.seed = check.count("seed", self.seed, minimum=0)
        self.sensitive = check.probability("sensitive", self.sensitive)
        self.reg = check.nonnegative("reg", self.reg)
        if isinstance(self.train_levels, (str, bytes)) or not isinstance(self.train_levels, (tuple, list)):
            raise TypeError(f"train_levels must be a tuple of modulator levels, got {check._show(self.train_levels)}")
        levels = tuple(check.real("train_levels", m) for m in self.train_levels)
        if not levels or any(m not in (0.0, 1.0) for m in levels):
            raise ValueError(f"train_levels must be (0.0, 1.0) or one of them, got {self.train_levels!r}")
        rng = np.random.default_rng(self.seed)
        n = int(self.n)
        self.encoders = rng.choice([-1.0, 1.0], n)
        intercepts, max_rates = rng.uniform(-1.0, 1.0, n), rng.uniform(100.0, 200.0, n)
        self.gain, self.bias = gain_bias(max_rates, intercepts)
        self.k = rng.uniform(-1.0, 1.0, n) * (rng.random(n) < self.sensitive)
        self.x_train = np.linspace(-1.0, 1.0, 41)
        A = np.vstack([self.rates(self.x_train, m) for m in levels])
        Y = np.concatenate([(F0 if m == 0.0 else F1)(self.x_train) for m in levels])
        self.decoders, _ = LstsqL2(self.reg)(A, Y)

    def drives(self, x, m):
        """J (len(x), n) at inputs x and modulator level m."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return self.gain * (self.encoders * x[:, None] + self.k * float(m)) + self.bias

    def rates(self, x, m):
        """Tuning curves: the analytic LIF rates (Hz), shape (len(x), n)."""
        from snnlib.nef.tuning import lif_rates

        return lif_rates(self.drives(x, m))

    def decode(self, x, m):
        """The decoded output d . a(x, m) from the analytic rates, one value per x."""
        return self.rates(x, m) @ self.decoders

    def simulate(self, x, m, t_stop=0.5, dt=1e-3, seed=1):
        """The decoded output from spikes: one copy of the population per x (constant input), modulator m a
        `Network.modulator` acting on each neuron's bias with its receptor density; rates = spike counts / t_stop
        (initial voltages U(0, 1), seeded).
        Returns (decoded output per x, rates (len(x), n))."""
        import snnlib as snn

        x = np.atleast_1d(np.asarray(x, dtype=float))
        m = float(m)
        if not np.isfinite(m) or m < 0:
            raise ValueError(f"the modulator level m must be >= 0, got {m!r}")
        n = int(self.n)
        net = snn.Network(seed=seed)
        pop = net.population(n * x.size, snn.LIF(), bias=(self.gain * self.encoders * x[:, None] + self.bias).ravel(),
                             v_init=snn.Uniform(0.0, 1.0))
        modulator = net.modulator(m, label="modulator")                         # one broadcast level m
        net.modulate(pop, "bias", modulator, scale=np.tile(self.gain * self.k, x.size))   # J + gain_i k_i m
        probe = net.probe(pop, "spikes")
        sim = snn.Simulator(net, dt=dt)
        sim.run(t_stop)
        rates = sim.data[probe].counts().reshape(x.size, n) / t_stop
        return rates @ self.decoders, rates
