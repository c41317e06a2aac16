"""ANN-to-SNN conversion: run a trained :class:`snnlib.ml.ann.DenseNet` with spiking LIF neurons.

Following Hunsberger & Eliasmith (2015), the rate network was trained with the soft-LIF curve, so
each hidden unit becomes a LIF neuron with the same ``tau_rc``/``tau_ref`` (normalised units,
threshold 1):

* layer 1 receives the image as a constant input current ``j = W1 @ x + b1`` (the pixels are analog;
  this costs the same multiply-accumulates as in the ANN, once per image);
* every later hidden layer receives the spikes of the layer below through exponential synapses with
  ``normalize="area"`` and its bias as a constant drive. In continuous time such a synapse turns a spike
  of weight w into a current of area w; in discrete time (current held over each step, exact decay) the
  area is ``w * (dt/tau) / (1 - exp(-dt/tau))``, 10.3 % more at dt = 1 ms, tau = 5 ms. The weights are
  ``W * amplitude`` divided by that factor (``synapse_area``), so a train of rate r gives a mean current
  ``W @ (amplitude * r)``, the ANN's input, plus spike noise;
* the output layer is a linear readout of the last hidden layer's spike counts over the presentation
  window: ``logits = W_out @ (amplitude * counts / t_present) + b_out``; the class is the argmax.

Many images are simulated at once: each image gets its own copy of every hidden layer, and the
connections are block diagonal (one block per image, stored sparse), so copies never interact.

``rate_scale`` s multiplies every firing rate by s exactly: the neurons get ``tau_rc / s`` and
``tau_ref / s`` (the LIF rate curve scales by s) and the readout/synaptic amplitude ``amplitude / s``,
so the mean signals are unchanged and only the number of spikes per window changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snnlib import _validate as check

__all__ = ["ConversionResult", "SpikingClassifier"]


@dataclass
class ConversionResult:
    """Outcome of one spiking run over a batch of images.

    Attributes: ``predictions`` (class per image), ``accuracy`` (fraction correct, if labels were
    given, else None), ``t_present`` (s), ``rate_scale``, ``mean_rate`` (Hz, over all hidden neurons and
    images), ``spikes_per_inference`` (hidden-layer spikes per image), ``synaptic_events_per_inference``
    (spikes x fan-out per image, between hidden layers and into the readout), ``input_macs_per_inference``
    (the analog first layer, n_in x n_hidden1), ``counts`` (the simulator's operation counts of the run),
    ``records`` (one :class:`snnlib.sim.records.SpikeRecord` per hidden layer; image b's neurons of layer k are
    indices ``b * n_k ... (b + 1) * n_k - 1``).
    """

    predictions: np.ndarray
    accuracy: float | None
    t_present: float
    rate_scale: float
    mean_rate: float
    spikes_per_inference: float
    synaptic_events_per_inference: float
    input_macs_per_inference: int
    counts: dict
    records: list


class SpikingClassifier:
    """A trained DenseNet run as a spiking LIF network.

    Parameters
    ----------
    ann : snnlib.ml.ann.DenseNet
        Trained network whose hidden non-linearity has ``tau_rc``, ``tau_ref`` (s) and ``amplitude`` (s)
        (e.g. :class:`snnlib.ml.softlif.SoftLIF`). Its weights are copied, not referenced.
    tau_syn : float
        Time constant (s) of the exponential synapses between hidden layers (default 5 ms).
    dt : float
        Simulation step (s), default 1 ms. The LIF integration is exact at any dt.
    cache_size : int
        How many built simulators (per image batch, rate_scale and seed) to keep, so that an interactive
        demo changing only ``t_present`` does not rebuild the network. 0 disables the cache.

    Attribute ``synapse_area``: ``(dt/tau_syn) / (1 - exp(-dt/tau_syn))``, the area of the discrete
    exponential synapse per unit weight; the hidden-to-hidden weights are divided by it.
    """

    def __init__(self, ann, tau_syn: float = 0.005, dt: float = 0.001, cache_size: int = 4):
        from snnlib.ml.ann import DenseNet

        if not isinstance(ann, DenseNet):
            raise TypeError(f"ann must be a trained DenseNet (snnlib.ml.ann), got {check._show(ann)}")
        tau_syn, dt = check.positive("tau_syn", tau_syn), check.positive("dt", dt)
        cache_size = check.count("cache_size", cache_size, minimum=0)
        nl = ann.nonlinearity
        for attr in ("tau_rc", "tau_ref", "amplitude"):
            if not hasattr(nl, attr):
                raise TypeError(f"the network's non-linearity must be a LIF-rate curve with tau_rc, tau_ref and "
                                f"amplitude (e.g. snnlib.ml.softlif.SoftLIF), got {nl!r} without {attr!r}")
        if len(ann.sizes) < 3:
            raise ValueError("conversion needs at least one hidden layer of neurons")
        if not (np.isfinite(tau_syn) and tau_syn > 0) or not (np.isfinite(dt) and 0 < dt < tau_syn):
            raise ValueError(f"need 0 < dt < tau_syn (s), got dt={dt!r}, tau_syn={tau_syn!r}")
        self.weights = [W.copy() for W in ann.weights]
        self.biases = [b.copy() for b in ann.biases]
        self.sizes = list(ann.sizes)
        self.tau_rc, self.tau_ref, self.amplitude = float(nl.tau_rc), float(nl.tau_ref), float(nl.amplitude)
        self.tau_syn, self.dt = float(tau_syn), float(dt)
        # area of the discrete exponential synapse per unit weight (the drive is held over each step)
        x = self.dt / self.tau_syn
        self.synapse_area = float(x / -np.expm1(-x))
        self.cache_size = int(cache_size)
        self._cache: dict = {}

    @property
    def hidden_sizes(self) -> list[int]:
        return self.sizes[1:-1]

    def _check_X(self, X):
        return check.sample_matrix("X", X, self.sizes[0], rows="n_images", min_rows=1)

    def build(self, X, rate_scale: float = 1.0, seed: int = 0):
        """Describe the spiking network for images X; returns ``(network, spike_probes)``.

        One spike probe per hidden layer. The network is a plain :class:`snnlib.Network`, so it can be
        inspected, extended or simulated with any dt.
        """
        import scipy.sparse as sparse

        from snnlib.model.inputs import Uniform
        from snnlib.model.network import Network
        from snnlib.neurons.lif import LIF
        from snnlib.synapses.exponential import ExpSynapse

        X = self._check_X(X)
        s = check.positive("rate_scale", rate_scale, "")
        seed = check.count("seed", seed, minimum=0)
        if self.tau_rc / s <= self.dt:
            raise ValueError(f"rate_scale {s:g} makes tau_rc/rate_scale = {self.tau_rc / s:g} s, not above "
                             f"dt = {self.dt:g} s; use a smaller rate_scale or dt")
        B = X.shape[0]
        neuron = LIF(tau_rc=self.tau_rc / s, tau_ref=self.tau_ref / s)
        amp = self.amplitude / s
        net = Network(seed=seed)
        # random initial voltages below threshold: otherwise all copies start in lock-step at 0
        # and the first spike of every neuron is delayed by the same latency
        first_drive = (X @ self.weights[0].T + self.biases[0]).ravel()
        pops = [net.population(B * self.sizes[1], neuron, bias=first_drive, v_init=Uniform(0.0, 1.0),
                               label="hidden1")]
        synapse = ExpSynapse(self.tau_syn, normalize="area")
        for k in range(1, len(self.hidden_sizes)):
            W, b = self.weights[k], self.biases[k]
            pop = net.population(B * W.shape[0], neuron, bias=np.tile(b, B), v_init=Uniform(0.0, 1.0),
                                 label=f"hidden{k + 1}")
            block = sparse.kron(sparse.identity(B, format="csr"), sparse.csr_matrix(W * (amp / self.synapse_area)),
                                format="csr")
            net.connect(pops[-1], pop, weights=block, synapse=synapse, label=f"hidden{k}->hidden{k + 1}")
            pops.append(pop)
        probes = [net.probe(p, "spikes") for p in pops]
        return net, probes

    def run(self, X, y=None, t_present: float = 0.1, rate_scale: float = 1.0, seed: int = 0) -> ConversionResult:
        """Present every image of X for ``t_present`` seconds (all in parallel) and classify by spike counts.

        ``y`` (optional labels) gives the accuracy. Same seed, same spikes (the seed sets the initial
        voltages; the network itself is deterministic).
        """
        from snnlib.sim.simulator import Simulator

        t_present = check.positive("t_present", t_present)
        if t_present < self.dt:
            raise ValueError(f"t_present must be at least one step dt = {self.dt:g} s, got {t_present!r}")
        X = self._check_X(X)
        rate_scale, seed = check.positive("rate_scale", rate_scale, ""), check.count("seed", seed, minimum=0)
        B = X.shape[0]
        if y is not None:
            y = check.numeric_array("y", y, dtype=None)
            if y.shape != (B,) or y.dtype.kind not in "iu":
                raise ValueError(f"y must hold one integer label per image, shape ({B},), got {check._show(y)}")
        key = (X.tobytes(), float(rate_scale), int(seed))
        if key in self._cache:
            sim, probes = self._cache[key]
            sim.reset()  # same seed: the same initial state and so the same spikes as a fresh build
        else:
            net, probes = self.build(X, rate_scale, seed)
            sim = Simulator(net, dt=self.dt)
            if self.cache_size > 0:
                if len(self._cache) >= self.cache_size:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = (sim, probes)
        sim.run(t_present)
        data = sim.data
        last = data[probes[-1]].counts().reshape(B, self.sizes[-2])
        amp = self.amplitude / float(rate_scale)
        logits = (amp * last / sim.t) @ self.weights[-1].T + self.biases[-1]
        predictions = np.argmax(logits, axis=1)
        accuracy = None
        if y is not None:
            accuracy = float(np.mean(predictions == y))
        counts = sim.counts
        n_hidden = sum(self.hidden_sizes)
        readout_events = last.sum() * self.sizes[-1]  # each last-layer spike adds one column of W_out
        return ConversionResult(
            predictions=predictions,
            accuracy=accuracy,
            t_present=sim.t,
            rate_scale=float(rate_scale),
            mean_rate=counts["spikes"] / (B * n_hidden * sim.t),
            spikes_per_inference=counts["spikes"] / B,
            synaptic_events_per_inference=(counts["synaptic_events"] + readout_events) / B,
            input_macs_per_inference=int(self.weights[0].size),
            counts=counts,
            records=[data[p] for p in probes],
        )

    def rate_prediction(self, X) -> np.ndarray:
        """Classes predicted from the hard-LIF steady-state rates (the infinitely long window limit)."""
        from snnlib.ml.softlif import lif_rate

        a = np.asarray(X, dtype=np.float64)
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            a = self.amplitude * lif_rate(a @ W.T + b, self.tau_rc, self.tau_ref)
        return np.argmax(a @ self.weights[-1].T + self.biases[-1], axis=1)
