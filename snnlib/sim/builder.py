"""Builder: turns a Network description into flat arrays plus a structure key (numpy only, no numba).

Index spaces
- neurons: all populations concatenated, population k at [offset_k, offset_k + n_k).
- presynaptic: neurons first, then all sources: [0, N) neurons, [N, N + M) sources.
- synaptic slots: one slot per (post population, synapse key, post neuron); connections with equal
  synapse keys onto the same population share a slot (as Brian2's ge/gi), so its state is one filter.
  A population's slots of one key are a "receptor" of that population, numbered in connection order.
- edges: every synapse of every connection, sorted by presynaptic index (a global CSR), so a spike
  visits its outgoing synapses in one contiguous run.
- learning-rule instances: one per plastic connection, with its pre/post traces at offsets into one array
  per trace variable.

How these become kernel arguments (groups merged by kind) is `snnlib.sim.groups`.
"""

from dataclasses import dataclass, field

import numpy as np

from snnlib import _validate as check


@dataclass
class Receptor:
    """One synapse key onto one population: its model and the first of its n slots."""
    synapse: object
    slot_offset: int


@dataclass
class Built:
    """Flat arrays for the kernel plus the maps back to the description objects."""

    dt: float
    n_neurons: int
    n_sources: int
    n_slots: int
    populations: list                 # in index order
    pop_offsets: list                 # first neuron index of each population
    receptors: list                   # per population: list of Receptor, in slot order
    v0: np.ndarray
    bias: np.ndarray
    # edges (global CSR over presynaptic index)
    pre_ptr: np.ndarray
    edge_slot: np.ndarray
    edge_w: np.ndarray
    edge_gain: np.ndarray             # weight -> jump of the slot's first state variable, per edge
    edge_conn: np.ndarray
    edge_pre: np.ndarray
    edge_post: np.ndarray
    edge_origin: np.ndarray           # position of each edge in its connection's CSR data
    edge_rule: np.ndarray             # learning-rule instance of each edge, -1 if not plastic
    edge_pm: np.ndarray               # presynaptic-model instance of each edge, -1 if none
    # learning-rule instances (one per plastic connection)
    rules: list = field(default_factory=list)   # dicts: rule, conn, pre_start, pre_n, post_start, post_n
    presyn: list = field(default_factory=list)  # dicts: model, conn, pre_start, pre_n
    pop_offset: dict = field(default_factory=dict)
    src_offset: dict = field(default_factory=dict)
    conn_index: dict = field(default_factory=dict)
    time_inputs: list = field(default_factory=list)   # (neuron indices, Signal, gain)
    time_constants: dict = field(default_factory=dict)

    def presyn_index(self, obj):
        """Start of `obj` (population or source) in the presynaptic index space."""
        if obj.is_source:
            return self.n_neurons + self.src_offset[id(obj)]
        return self.pop_offset[id(obj)]


def build(net, dt):
    """Build `net` for time step `dt` (s). Raises ValueError for a dt that the model cannot use."""
    dt = check.positive("dt", dt)
    _check_dt(net, dt)
    rng = np.random.default_rng([net.seed, 104729])

    pop_offset, offsets, n = {}, [], 0
    for pop in net.populations:
        pop_offset[id(pop)] = n
        offsets.append(n)
        n += pop.n
    src_offset, m = {}, 0
    for src in net.sources:
        src_offset[id(src)] = m
        m += src.n

    v0 = np.concatenate([_initial_voltage(p, rng) for p in net.populations]) if net.populations else np.zeros(0)
    bias = np.concatenate([p.bias for p in net.populations]) if net.populations else np.zeros(0)
    time_inputs = []
    for inp in net.inputs:
        idx = pop_offset[id(inp.target)] + np.arange(inp.target.n)
        if inp.signal.constant:
            bias[idx] += inp.signal.evaluate(np.zeros(1), inp.target.n)[0] * inp.gain
        else:
            time_inputs.append((idx, inp.signal, inp.gain))

    # receptors: one per (post population, synapse key), slots allocated in connection order
    pop_index = {id(p): k for k, p in enumerate(net.populations)}
    receptors = [[] for _ in net.populations]
    slot_of_key, s = {}, 0
    for conn in net.connections:
        key = (id(conn.post), conn.synapse.key())
        if key not in slot_of_key:
            slot_of_key[key] = s
            receptors[pop_index[id(conn.post)]].append(Receptor(conn.synapse, s))
            s += conn.post.n

    # edges
    pres, slots, ws, gains, conns, posts, origins, rule_of, pm_of = [], [], [], [], [], [], [], [], []
    rules, presyn = [], []
    for c, conn in enumerate(net.connections):
        W = conn.weights.tocsr()
        rows = np.repeat(np.arange(W.shape[0]), np.diff(W.indptr))      # post local index per entry
        pre0 = pop_offset[id(conn.pre)] if not conn.pre.is_source else n + src_offset[id(conn.pre)]
        pres.append(pre0 + W.indices.astype(np.int64))
        slots.append(slot_of_key[(id(conn.post), conn.synapse.key())] + rows)
        posts.append(pop_offset[id(conn.post)] + rows)
        ws.append(W.data.astype(float))
        gains.append(np.full(W.nnz, conn.synapse.derived(dt)["gain"]))
        conns.append(np.full(W.nnz, c, dtype=np.int64))
        origins.append(np.arange(W.nnz, dtype=np.int64))
        r = -1
        if conn.plasticity is not None:
            r = len(rules)
            rules.append({"rule": conn.plasticity, "conn": c, "pre_start": pre0, "pre_n": conn.pre.n,
                          "post_start": pop_offset[id(conn.post)], "post_n": conn.post.n})
        rule_of.append(np.full(W.nnz, r, dtype=np.int64))
        q = -1
        if conn.presynaptic is not None:
            q = len(presyn)
            presyn.append({"model": conn.presynaptic, "conn": c, "pre_start": pre0, "pre_n": conn.pre.n})
        pm_of.append(np.full(W.nnz, q, dtype=np.int64))
    cat = (lambda xs, dtype: np.concatenate(xs).astype(dtype) if xs else np.zeros(0, dtype=dtype))
    edge_pre = cat(pres, np.int64)
    order = np.argsort(edge_pre, kind="stable")
    edge_pre = edge_pre[order]
    pre_ptr = np.zeros(n + m + 1, dtype=np.int64)
    np.add.at(pre_ptr, edge_pre + 1, 1)
    pre_ptr = np.cumsum(pre_ptr)

    time_constants = {f"{pop.label}.tau_rc": pop.neuron.tau_rc for pop in net.populations
                      if hasattr(pop.neuron, "tau_rc")}
    return Built(
        dt=dt, n_neurons=n, n_sources=m, n_slots=s, populations=list(net.populations), pop_offsets=offsets,
        receptors=receptors, v0=v0, bias=bias, pre_ptr=pre_ptr,
        edge_slot=cat(slots, np.int64)[order], edge_w=cat(ws, float)[order], edge_gain=cat(gains, float)[order],
        edge_conn=cat(conns, np.int64)[order], edge_pre=edge_pre, edge_post=cat(posts, np.int64)[order],
        edge_origin=cat(origins, np.int64)[order], edge_rule=cat(rule_of, np.int64)[order], rules=rules,
        edge_pm=cat(pm_of, np.int64)[order], presyn=presyn,
        pop_offset=pop_offset, src_offset=src_offset,
        conn_index={id(c): i for i, c in enumerate(net.connections)},
        time_inputs=time_inputs, time_constants=time_constants,
    )


def _initial_voltage(pop, rng):
    if pop.v_init is None:      # the model's own initial voltage, else its reset
        return np.full(pop.n, float(pop.neuron.initial.get("v", getattr(pop.neuron, "v_reset", 0.0))))
    if hasattr(pop.v_init, "sample"):
        return pop.v_init.sample(pop.n, rng)
    return np.array(pop.v_init, dtype=float)


def _check_dt(net, dt):
    """dt must be smaller than every time constant the model integrates, or the dynamics are lost."""
    for pop in net.populations:
        for name, tau in pop.neuron.time_constants.items():
            _require_dt_below(dt, tau, f"{pop.label}: {name}")
        if pop.noise is not None:
            for name, tau in pop.noise.time_constants.items():
                _require_dt_below(dt, tau, f"{pop.label}: noise {name}")
    for conn in net.connections:
        for name, tau in conn.synapse.time_constants.items():
            _require_dt_below(dt, tau, f"{conn.label}: synapse {name}")
        if conn.plasticity is not None:
            for name, tau in conn.plasticity.time_constants.items():
                _require_dt_below(dt, tau, f"{conn.label}: {type(conn.plasticity).__name__} {name}")


def _require_dt_below(dt, tau, what):
    if dt >= tau:
        raise ValueError(f"dt = {dt:g} s is not smaller than {what} = {tau:g} s; use a dt well below "
                         f"the smallest time constant (e.g. dt <= {tau / 10:g} s)")
