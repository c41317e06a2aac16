"""How an NEF description becomes spiking neurons: the one module that decides it.

Realisation "full_weights" (Nengo's full-weights form, `nengo.solvers.LstsqL2(weights=True)` for a
compositional solver): each ensemble is a snnlib Population of LIF neurons with its bias and random initial
voltages in [0, 1) (Nengo's LIF initial state); a decoded connection pre -> post is the neuron-to-neuron
weight matrix
    W = (gain_post / radius_post) * E_post @ T @ D^T            (post.n x pre.n)
through `ExpSynapse(tau, normalize="area")`, so a pre spike adds W[:, j] / tau to the postsynaptic current.
That synapse has unit area in continuous time; over steps of dt its area is (dt / tau) / (1 - a), a =
exp(-dt / tau) (10 % too large at tau = 5 ms, dt = 1 ms). W is scaled by tau (1 - a) / dt so that a spike
adds (1 - a) / dt, exactly Nengo's zero-order-hold Lowpass (`snnlib.nef.filters`): a recurrent connection
then feeds back with gain exactly 1 and an integrator does not drift because of the discretisation.
A node's connection drives the post neurons directly: J = scaled_encoders @ T @ lowpass(node output), the
node's output evaluated at the start of each step.

A connection with a PES learning rule goes through the engine's signals instead (its decoders must change in the
loop): a decoded value (the pre's spikes x decoders, through the same zero-order-hold lowpass), a decoded
input scaled_encoders_post @ T into the post, an error signal (decoded value - target(t)) and the PES rule.

Decoded values are read from the spikes after a run: spikes / dt times decoders, filtered by the probe's
lowpass (the same as Nengo's decoded probes).

The engine may later realise decoded connections through low-dimensional signals (decoders then encoders,
n_pre*d + d*n_post multiplies instead of n_pre*n_post); that is another class here with the same `build`.
"""

import numpy as np

from snnlib import _validate as check
from snnlib.model.inputs import Signal, Uniform
from snnlib.nef.filters import lowpass

__all__ = ["REALISATIONS", "FullWeights", "Realised", "area_correction", "full_weights"]


def area_correction(tau, dt):
    """Factor that turns ExpSynapse(tau, "area")'s discrete area (dt/tau)/(1 - a) into exactly 1."""
    tau, dt = check.positive("tau", tau), check.positive("dt", dt)
    a = np.exp(-dt / tau)
    return tau * (1.0 - a) / dt


def full_weights(conn):
    """The (post.n, pre.n) weight matrix of a decoded connection (before the discrete-area correction)."""
    from snnlib.nef.network import Connection

    if not isinstance(conn, Connection) or conn.decoders is None:
        raise TypeError(f"conn must be a decoded connection (from an ensemble) made by nef.Network.connect, got "
                        f"{check._show(conn)}")
    return conn.post.scaled_encoders @ conn.transform @ conn.decoders.T


class NodeDrive(Signal):
    """The drive a node gives an ensemble: scaled_encoders @ T @ lowpass(node output), per step.

    The filtered node output is computed from step 0 and cached, so any chunk of steps can be asked for."""

    def __init__(self, node, transform, synapse, encoders, dt):
        self.node, self.transform, self.synapse, self.encoders, self.dt = node, transform, synapse, encoders, dt
        self._filtered = np.zeros((0, node.dimensions))
        self._state = None

    def filtered(self, n_steps):
        """Filtered node output for steps 0 .. n_steps - 1, shape (n_steps, node dimensions)."""
        have = len(self._filtered)
        if n_steps > have:
            raw = self.node.values(np.arange(have, n_steps) * self.dt)
            y, self._state = lowpass(raw, self.synapse, self.dt, self._state)
            self._filtered = np.concatenate([self._filtered, y])
        return self._filtered[:n_steps]

    def evaluate(self, t, n):
        steps = np.rint(np.asarray(t) / self.dt).astype(np.int64)
        if len(steps) == 0:
            return np.zeros((0, n))
        x = self.filtered(int(steps.max()) + 1)[steps]
        return x @ (self.encoders @ self.transform).T


class Realised:
    """A built NEF model: the snnlib Network, its populations and spike probes, and the node drives."""

    def __init__(self, network, populations, spike_probes, drives, learned=None):
        self.network = network
        self.populations = populations          # id(ensemble) -> Population
        self.spike_probes = spike_probes        # id(ensemble) -> snnlib spike Probe
        self.drives = drives                    # id(node) -> [NodeDrive]
        self.learned = learned or {}            # id(connection) -> (decoded value, error, error probe)


class FullWeights:
    """Realise decoded connections as neuron-to-neuron weights (see the module docstring)."""

    name = "full_weights"

    def build(self, model, dt):
        import snnlib as snn

        net = snn.Network(seed=model.seed)
        pops, probes, drives, learned = {}, {}, {}, {}
        for ens in model.ensembles:
            pops[id(ens)] = net.population(ens.n_neurons, ens.neuron, bias=ens.bias, v_init=Uniform(0.0, 1.0),
                                           label=ens.label)
        for conn in model.connections:
            post = pops[id(conn.post)]
            if conn.decoders is None:                       # node -> ensemble: a drive, no synapses
                drive = NodeDrive(conn.pre, conn.transform, conn.synapse, conn.post.scaled_encoders, dt)
                drives.setdefault(id(conn.pre), []).append(drive)
                net.input(post, drive)
            elif conn.learning_rule is not None:
                learned[id(conn)] = _learning_connection(net, pops[id(conn.pre)], post, conn)
            else:
                W = full_weights(conn) * area_correction(conn.synapse, dt)
                net.connect(pops[id(conn.pre)], post, W, synapse=snn.ExpSynapse(conn.synapse, normalize="area"),
                            label=conn.label)
        for probe in model.probes:
            if probe.attr in ("decoded", "spikes") and id(probe.target) not in probes:
                probes[id(probe.target)] = net.probe(pops[id(probe.target)], "spikes")
        return Realised(net, pops, probes, drives, learned)


def _learning_connection(net, pre_pop, post_pop, conn):
    """A PES connection through the engine's signals; returns (decoded value, error signal, error probe)."""
    rule = conn.learning_rule
    decoded = net.decoded(pre_pop, conn.decoders, tau=conn.synapse, label=conn.label)
    net.decoded_input(post_pop, decoded, conn.post.scaled_encoders @ conn.transform)
    error = net.error(decoded, rule.target, label=f"{conn.label}.error")
    net.pes(decoded, error, learning_rate=rule.learning_rate, pre_tau=rule.pre_tau)
    return decoded, error, net.probe(error, "value")


REALISATIONS = {FullWeights.name: FullWeights}
