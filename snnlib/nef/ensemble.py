"""An NEF ensemble: a population of LIF neurons representing a vector x in d dimensions.

Principle 1 (representation): neuron i has an encoder e_i (a unit vector, its preferred direction), a gain
and a bias, and fires at a_i(x) = G(gain_i * e_i . x / radius + bias_i), G the LIF rate curve. Gains and
biases are set so that each neuron starts firing at its intercept (e_i . x / radius = intercept_i) and fires
at max_rate_i at the edge of the range (e_i . x = radius). A value is read out linearly: x_hat = sum_i a_i D_i
with decoders D found by least squares over sample ("evaluation") points. Any function f(x) is decoded the
same way, with f(x) as the target (principle 2).

This follows nengo.Ensemble and its builder (nengo/ensemble.py, nengo/builder/ensemble.py): the same defaults
(intercepts Uniform(-1, 0.9), max rates Uniform(200, 400) Hz, encoders on the unit sphere, evaluation points in
the ball scaled by the radius, max(clip(500 d, 750, 2500), 2 n) of them), the same order of draws, the same
drive J = gain * (x . e) / radius + bias. Parameters are drawn when the ensemble is made (Nengo draws them
when the model is built): `ens.gain`, `ens.bias`, `ens.encoders` are there to look at. Units: normalised LIF
(threshold 1), rates in Hz, x in the units of the represented value.
"""

import numpy as np

from snnlib import _validate as check
from snnlib.nef import dists
from snnlib.nef.solvers import LstsqL2
from snnlib.nef.tuning import check_normalised, gain_bias, lif_rates

__all__ = ["Ensemble", "default_n_eval_points"]


def default_n_eval_points(n_neurons, dimensions):
    """Nengo's heuristic (nengo/utils/builder.py): max(clip(500 d, 750, 2500), 2 n)."""
    n_neurons, dimensions = check.count("n_neurons", n_neurons), check.count("dimensions", dimensions)
    return max(int(np.clip(500 * dimensions, 750, 2500)), 2 * n_neurons)


class Ensemble:
    """n_neurons LIF neurons representing a `dimensions`-dimensional value within `radius`.

    Parameters
    ----------
    n_neurons : int
    dimensions : int
    radius : float
        The represented range: the neurons' tuning spans |x| <= radius (default 1).
    intercepts, max_rates : Distribution, number or array of n_neurons
        Where each neuron starts firing (in units of the radius, along its encoder; must be < 1) and its
        rate (Hz) at the edge of the range. Defaults Uniform(-1, 0.9) and Uniform(200, 400) Hz, as Nengo.
    encoders : Distribution or array (n_neurons, dimensions)
        Preferred directions; normalised to unit length. Default uniform on the unit sphere.
    eval_points : Distribution or array (m, dimensions)
        Sample points for solving decoders (a distribution is drawn in the unit ball and scaled by radius;
        an array is used as given). n_eval_points: how many to draw (default: Nengo's heuristic).
    neuron : snnlib.LIF in normalised units (default LIF(): tau_rc 20 ms, tau_ref 2 ms).
    seed : int or None
        Seed of every draw above. label : str.
    """

    def __init__(self, n_neurons, dimensions=1, radius=1.0, intercepts=None, max_rates=None, encoders=None,
                 eval_points=None, n_eval_points=None, neuron=None, seed=None, label=None):
        from snnlib.neurons.lif import LIF

        self.n_neurons = check.count("n_neurons", n_neurons)
        self.dimensions = check.count("dimensions", dimensions)
        self.radius = check.positive("radius", radius, "")
        self.neuron = check_normalised(LIF() if neuron is None else neuron)
        if seed is not None:
            seed = check.count("seed", seed, minimum=0)
        self.seed = seed
        self.label = label if label is not None else f"ensemble({self.n_neurons}x{self.dimensions}D)"
        rng = np.random.default_rng(seed)
        n, d = self.n_neurons, self.dimensions

        eval_points = dists.UniformHypersphere() if eval_points is None else eval_points
        if isinstance(eval_points, dists.Distribution):
            m = default_n_eval_points(n, d) if n_eval_points is None else check.count("n_eval_points", n_eval_points)
            self.eval_points = eval_points.sample(m, d, rng) * self.radius
        else:
            self.eval_points = self._points("eval_points", eval_points)

        encoders = dists.UniformHypersphere(surface=True) if encoders is None else encoders
        enc = dists.samples("encoders", encoders, n, d, rng)
        norms = np.linalg.norm(enc, axis=1, keepdims=True)
        if np.any(norms == 0):
            raise ValueError("encoders must be non-zero vectors (each is normalised to length 1)")
        self.encoders = enc / norms

        self.max_rates = dists.samples("max_rates", dists.Uniform(200, 400) if max_rates is None else max_rates,
                                       n, None, rng)
        self.intercepts = dists.samples("intercepts", dists.Uniform(-1.0, 0.9) if intercepts is None else intercepts,
                                        n, None, rng)
        self.gain, self.bias = gain_bias(self.max_rates, self.intercepts, self.neuron.tau_rc, self.neuron.tau_ref)

    # -- representation ---------------------------------------------------------------------------------
    def _points(self, name, x):
        """x as an (m, dimensions) float array (a 1-D array is m points when dimensions is 1)."""
        x = check.finite_array(name, x)
        if x.ndim == 0 and self.dimensions == 1:
            x = x.reshape(1, 1)
        elif x.ndim == 1:
            x = x[:, None] if self.dimensions == 1 else x[None, :]
        if x.ndim != 2 or x.shape[1] != self.dimensions:
            raise ValueError(f"{name} must have shape (points, {self.dimensions}), got {x.shape}")
        return x

    @property
    def scaled_encoders(self):
        """gain_i * e_i / radius (n, d): the drive per unit of x (Nengo's `scaled_encoders`)."""
        return self.encoders * (self.gain / self.radius)[:, None]

    def drive(self, x):
        """Input drive J (points, n_neurons) at values x (points, d): gain * (x . e) / radius + bias."""
        return self._points("x", x) @ self.scaled_encoders.T + self.bias

    def rates(self, x):
        """Steady firing rates (Hz), shape (points, n_neurons): the tuning curves evaluated at x."""
        return lif_rates(self.drive(x), self.neuron.tau_rc, self.neuron.tau_ref)

    # -- decoding ---------------------------------------------------------------------------------------
    def targets(self, function, x):
        """f evaluated at every point of x (points, d), as (points, d_out); None means f(x) = x.

        Like Nengo, f is called once per point with a vector of length d and returns a number or a vector."""
        x = self._points("x", x)
        if function is None:
            return x.copy()
        if not callable(function):
            raise TypeError(f"function must be callable f(x) or None, got {function!r}")
        rows = []
        for p in x:
            out = np.atleast_1d(check.numeric_array("the value of function(x)", function(p.copy())))
            if out.ndim != 1 or (rows and out.shape != rows[0].shape):
                raise ValueError(f"function must return a number or a 1-D vector of fixed length; got shape "
                                 f"{out.shape} at x = {p}")
            rows.append(out)
        Y = np.array(rows)
        if not np.all(np.isfinite(Y)):
            raise ValueError("function returned NaN or inf at some evaluation point")
        return Y

    def decoders(self, function=None, solver=None, eval_points=None):
        """Decoders D (n_neurons, d_out) of `function` (None: x itself) by `solver` (default LstsqL2()).

        Solved at `eval_points` (default the ensemble's own). The decoded estimate is rates(x) @ D.
        (Nengo stores the transpose, (d_out, n_neurons), in `sim.data[conn].weights`.)"""
        solver = LstsqL2() if solver is None else solver
        if not callable(solver):
            raise TypeError(f"solver must be a decoder solver such as nef.LstsqL2(), got {check._show(solver)}")
        x = self.eval_points if eval_points is None else self._points("eval_points", eval_points)
        Y = self.targets(function, x)
        try:
            D, _ = solver(self.rates(x), Y)
            D = check.finite_array("the solver's decoders", D)
        except Exception as err:          # a learner's solver: say which call failed, and how it is called
            raise TypeError(f"solver {check._show(solver)} failed: it is called as solver(A, Y) with the rates A "
                            f"(points, neurons) and targets Y (points, d) and must return (decoders, info); "
                            f"{type(err).__name__}: {err}") from None
        D = D[:, None] if D.ndim == 1 else D
        if D.shape != (self.n_neurons, Y.shape[1]):
            raise ValueError(f"solver returned decoders of shape {D.shape}, expected ({self.n_neurons}, {Y.shape[1]})")
        return D

    def decode(self, x, decoders):
        """The static decoded estimate rates(x) @ decoders, shape (points, d_out)."""
        return self.rates(x) @ np.asarray(decoders, dtype=float).reshape(self.n_neurons, -1)

    def __repr__(self):
        return (f"<Ensemble {self.label!r}: {self.n_neurons} neurons, {self.dimensions}-D, "
                f"radius {self.radius:g}>")
