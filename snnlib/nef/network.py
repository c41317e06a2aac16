"""An NEF model description: ensembles, nodes (inputs), decoded connections and decoded probes.

Written like a Nengo model, so a learner can move on to Nengo:

    model = nef.Network(seed=0)
    stim = model.node(lambda t: np.sin(2 * np.pi * t))          # a value over time (nengo.Node)
    a = model.ensemble(100, dimensions=1)                       # nengo.Ensemble
    b = model.ensemble(100, dimensions=1)
    model.connect(stim, a)                                      # input: drive gain * e.x(t) / radius
    model.connect(a, b, function=np.square, synapse=0.005)      # decoded: x^2 through a 5 ms synapse
    p = model.probe(b, synapse=0.01)                            # decoded value of b, filtered
    sim = nef.Simulator(model, dt=0.001); sim.run(1.0); sim.data[p]

Principle 2 (transformation): a connection decodes f(x) from `pre` (decoders by LstsqL2), multiplies by
`transform`, filters by the synapse and encodes into `post`. Principle 3 (dynamics): a recurrent connection
(pre is post) through a synapse of time constant tau makes dx/dt = (f(x) - x) / tau + input / tau.
Nothing is simulated here: `nef.Simulator` realises the description as spiking neurons (`nef.realise`).
"""

import numbers

import numpy as np

from snnlib import _validate as check
from snnlib.nef.ensemble import Ensemble
from snnlib.nef.filters import check_synapse

__all__ = ["Network", "Node", "Connection", "Probe"]

DEFAULT_SYNAPSE = 0.005          # s: Nengo's default connection synapse, Lowpass(0.005)


class Node:
    """A value over time fed into the model (nengo.Node): `output(t)` (t in s) or a constant vector."""

    def __init__(self, output, dimensions, label):
        self.output = output
        self.dimensions = dimensions
        self.label = label

    def values(self, t):
        """Node output at the times t (s): array (len(t), dimensions)."""
        t = np.asarray(t, dtype=float)
        if not callable(self.output):
            return np.broadcast_to(self.output, (len(t), self.dimensions)).copy()
        out = np.empty((len(t), self.dimensions))
        for k, tk in enumerate(t):
            v = np.atleast_1d(check.numeric_array(f"node {self.label!r}: output(t)", self.output(float(tk))))
            if v.shape != (self.dimensions,):
                raise ValueError(f"node {self.label!r}: output(t) returned shape {v.shape} at t = {tk:.6g} s, "
                                 f"expected ({self.dimensions},)")
            out[k] = v
        if not np.all(np.isfinite(out)):
            raise ValueError(f"node {self.label!r}: output(t) returned NaN or inf")
        return out

    def __repr__(self):
        return f"<Node {self.label!r}: {self.dimensions}-D>"


class Connection:
    """pre (Node or Ensemble) -> post (Ensemble): value = transform @ f(pre's value), through `synapse`.

    Attributes: `decoders` (pre.n_neurons, d_out) for an ensemble pre (None for a node), `transform`
    (post.dimensions, d_out), `synapse` (tau in s, or None), `function`, `learning_rule` (None or PES;
    `decoders` are then the initial ones)."""

    def __init__(self, pre, post, function, transform, synapse, decoders, label, learning_rule=None):
        self.pre, self.post = pre, post
        self.function = function
        self.transform = transform
        self.synapse = synapse
        self.decoders = decoders
        self.label = label
        self.learning_rule = learning_rule

    @property
    def recurrent(self):
        return self.pre is self.post

    def __repr__(self):
        return f"<Connection {self.label!r}: {self.pre.label} -> {self.post.label}>"


class Probe:
    """What to record: an ensemble's decoded value ("decoded", decoders in `decoders`) or its "spikes", a
    node's "output", or a learning connection's "error" (decoded output - target, unfiltered); filtered by
    `synapse` (s, None: unfiltered, as Nengo's default)."""

    def __init__(self, target, attr, synapse, decoders, label):
        self.target, self.attr = target, attr
        self.synapse = synapse
        self.decoders = decoders
        self.label = label

    def __repr__(self):
        return f"<Probe {self.label!r}: {self.attr} of {self.target.label}>"


class Network:
    """A container for an NEF model (nengo.Network). `seed` seeds every ensemble (None: a fresh seed)."""

    def __init__(self, seed=None):
        if seed is not None:
            seed = check.count("seed", seed, minimum=0)
        self.seed = seed if seed is not None else int(np.random.SeedSequence().entropy % (2**32))
        self.ensembles, self.nodes, self.connections, self.probes = [], [], [], []

    def ensemble(self, n_neurons, dimensions=1, label=None, **params):
        """Add an `Ensemble` (see its parameters); its seed is derived from the network's unless given."""
        if "seed" not in params or params["seed"] is None:
            params["seed"] = int(np.random.default_rng([self.seed, 31, len(self.ensembles)]).integers(2**31))
        label = label if label is not None else f"ensemble{len(self.ensembles)}"
        ens = Ensemble(n_neurons, dimensions, label=label, **params)
        self.ensembles.append(ens)
        return ens

    def add(self, ens):
        """Add an Ensemble made outside the network (e.g. to reuse the one whose tuning curves you plotted)."""
        if not isinstance(ens, Ensemble):
            raise TypeError(f"ens must be a snnlib.nef.Ensemble, got {check._show(ens)}")
        if any(e is ens for e in self.ensembles):
            raise ValueError(f"{ens!r} is already in this network")
        self.ensembles.append(ens)
        return ens

    def node(self, output, dimensions=None, label=None):
        """Add a Node: `output` is a function of t (s) returning a number or vector, or a constant value."""
        label = label if label is not None else f"node{len(self.nodes)}"
        if callable(output):
            first = np.atleast_1d(check.finite_array("output(0.0)", output(0.0)))   # fail now, not in the run
            if first.ndim != 1:
                raise ValueError(f"output(t) must return a number or a 1-D vector, got shape {first.shape} at t = 0")
            if dimensions is None:
                dimensions = first.size
        else:
            output = np.atleast_1d(check.finite_array("output", output))
            if output.ndim != 1:
                raise ValueError(f"a constant node output must be a number or a 1-D vector, got shape {output.shape}")
            dimensions = output.size if dimensions is None else dimensions
        node = Node(output, check.count("dimensions", dimensions), label)
        self.nodes.append(node)
        return node

    def connect(self, pre, post, function=None, transform=1.0, synapse=DEFAULT_SYNAPSE, solver=None,
                eval_points=None, learning_rule=None, label=None):
        """Connect pre (Node or Ensemble of this network) to post (Ensemble): post gets transform @ f(pre).

        function : callable f(x) -> number or vector, or None (identity). Only for an ensemble pre (Nengo
            decodes it); for a node, compute it in the node's output.
        transform : number (times the identity) or array (post.dimensions, d_out).
        synapse : time constant (s) of the lowpass synapse (default 5 ms, Nengo's); None only from a node.
        solver : decoder solver (default LstsqL2()); eval_points : where to solve (default the pre's own).
        learning_rule : None or `nef.PES`: the decoders (solved for `function` first) then learn online.
        """
        self._member(pre, "pre", nodes=True)
        self._member(post, "post", nodes=False)
        label = label if label is not None else f"connection{len(self.connections)}"
        decoders = None
        if isinstance(pre, Node):
            if function is not None:
                raise ValueError("function is decoded from an ensemble; for a node, put it in the node's output")
            d_out = pre.dimensions
            synapse = check_synapse("synapse", synapse, allow_none=True)
        else:
            decoders = pre.decoders(function, solver=solver, eval_points=eval_points)
            d_out = decoders.shape[1]
            synapse = check_synapse("synapse", synapse, allow_none=False)
        T = _transform(transform, post.dimensions, d_out)
        if learning_rule is not None:
            from snnlib.nef.learning import PES

            if not isinstance(learning_rule, PES):
                raise TypeError(f"learning_rule must be None or nef.PES, got {learning_rule!r}")
            if decoders is None:
                raise ValueError("a learning rule needs decoders to learn: connect from an ensemble, not a node")
        conn = Connection(pre, post, function, T, synapse, decoders, label, learning_rule)
        self.connections.append(conn)
        return conn

    def probe(self, target, attr=None, synapse=None, function=None, label=None):
        """Record an ensemble's decoded value (attr "decoded", default; `function` decodes f(x) instead of x)
        or its "spikes", or a node's "output". `synapse`: lowpass filter time constant (s) or None."""
        if isinstance(target, Connection):
            if not any(target is c for c in self.connections) or target.learning_rule is None:
                raise ValueError(f"only a learning connection of this network can be probed, got {target!r}")
            if attr not in (None, "error") or function is not None:
                raise ValueError(f"a learning connection records its 'error', got attr={attr!r}")
            probe = Probe(target, "error", check_synapse("synapse", synapse), None,
                          label if label is not None else f"probe{len(self.probes)}")
            self.probes.append(probe)
            return probe
        self._member(target, "target", nodes=True)
        is_node = isinstance(target, Node)
        allowed = ("output",) if is_node else ("decoded", "spikes")
        attr = allowed[0] if attr is None else attr
        if attr not in allowed:
            raise ValueError(f"attr must be one of {allowed} for {target!r}, got {attr!r}")
        synapse = check_synapse("synapse", synapse, allow_none=True)
        decoders = None
        if attr == "decoded":
            decoders = target.decoders(function)
        elif function is not None:
            raise ValueError("function applies only to decoded probes")
        probe = Probe(target, attr, synapse, decoders, label if label is not None else f"probe{len(self.probes)}")
        self.probes.append(probe)
        return probe

    def _member(self, obj, name, nodes):
        pool = self.ensembles + (self.nodes if nodes else [])
        if not any(obj is o for o in pool):
            kinds = "an Ensemble or Node" if nodes else "an Ensemble"
            raise ValueError(f"{name} must be {kinds} of this network, got {obj!r}")

    def __repr__(self):
        return (f"<nef.Network seed={self.seed}: {len(self.ensembles)} ensembles, {len(self.nodes)} nodes, "
                f"{len(self.connections)} connections, {len(self.probes)} probes>")


def _transform(transform, d_post, d_out):
    """The transform as a (d_post, d_out) matrix; a number means that number times the identity."""
    if isinstance(transform, numbers.Real) and not isinstance(transform, (bool, np.bool_)):
        transform = check.real("transform", transform)
        if d_post != d_out:
            raise ValueError(f"a scalar transform needs matching sizes, but post has {d_post} dimensions and the "
                             f"decoded value {d_out}: give a ({d_post}, {d_out}) matrix")
        return float(transform) * np.eye(d_post)
    T = check.finite_array("transform", transform)
    if T.ndim == 1 and d_out == 1 and T.shape == (d_post,):
        T = T[:, None]
    if T.shape != (d_post, d_out):
        raise ValueError(f"transform must be a number or a ({d_post}, {d_out}) matrix (post dimensions, decoded "
                         f"dimensions), got shape {T.shape}")
    return T
