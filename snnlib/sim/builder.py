"""Builder: turns a Network description into flat arrays that one kernel can run.

Index spaces
- neurons: all populations concatenated, population k at [offset_k, offset_k + n_k).
- presynaptic: neurons first, then all sources: [0, N) neurons, [N, N + M) sources.
- synaptic slots: one current per (post population, synapse key, post neuron); connections with the same
  synapse onto the same population share a current, as Brian2's ge/gi do.
- edges: every synapse of every connection, sorted by presynaptic index (a global CSR), so a spike
  visits its outgoing synapses in one contiguous run.
"""

from dataclasses import dataclass, field

import numpy as np

from snnlib import _validate as check


@dataclass
class Built:
    """Flat arrays for the kernel plus the maps back to the description objects."""

    dt: float
    n_neurons: int
    n_sources: int
    # neurons
    v0: np.ndarray
    bias: np.ndarray
    tau_rc: np.ndarray
    tau_ref: np.ndarray
    v_th: np.ndarray
    v_reset: np.ndarray
    v_rest: np.ndarray
    # synaptic slots
    slot_decay: np.ndarray
    slot_gain: np.ndarray
    nslot_ptr: np.ndarray
    nslot_idx: np.ndarray
    # edges (global CSR over presynaptic index)
    pre_ptr: np.ndarray
    edge_slot: np.ndarray
    edge_w: np.ndarray
    edge_conn: np.ndarray
    edge_pre: np.ndarray
    edge_post: np.ndarray
    edge_origin: np.ndarray          # position of each edge in its connection's CSR data
    # plasticity (per plastic rule k)
    conn_plastic: np.ndarray          # connection id -> plastic rule index or -1
    stdp_params: np.ndarray           # (K, 6): a_plus, a_minus, decay_plus, decay_minus, w_min, w_max
    pre_start: np.ndarray             # (K,) first presynaptic index of the rule's pre object
    post_start: np.ndarray            # (K,) first neuron index of the rule's post population
    xpre_off: np.ndarray              # (K,) offsets into the pre-trace array
    ypost_off: np.ndarray             # (K,) offsets into the post-trace array
    n_xpre: int
    n_ypost: int
    prow_ptr: np.ndarray              # rows (k, post neuron) -> incoming plastic edge positions
    prow_edges: np.ndarray
    prow_off: np.ndarray              # (K,) row offset for rule k
    post_n: np.ndarray                # (K,) size of post population of rule k
    pre_n: np.ndarray                 # (K,) size of pre object of rule k
    # bookkeeping
    pop_offset: dict = field(default_factory=dict)
    src_offset: dict = field(default_factory=dict)
    slot_offset: dict = field(default_factory=dict)
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

    pop_offset, n = {}, 0
    for pop in net.populations:
        pop_offset[id(pop)] = n
        n += pop.n
    src_offset, m = {}, 0
    for src in net.sources:
        src_offset[id(src)] = m
        m += src.n

    def per_neuron(attr):
        return np.concatenate([np.full(p.n, getattr(p.neuron, attr)) for p in net.populations]) \
            if net.populations else np.zeros(0)

    v0 = np.concatenate([_initial_voltage(p, rng) for p in net.populations]) if net.populations else np.zeros(0)
    bias = np.concatenate([p.bias for p in net.populations]) if net.populations else np.zeros(0)
    time_inputs = []
    for inp in net.inputs:
        idx = pop_offset[id(inp.target)] + np.arange(inp.target.n)
        if inp.signal.constant:
            bias[idx] += inp.signal.evaluate(np.zeros(1), inp.target.n)[0] * inp.gain
        else:
            time_inputs.append((idx, inp.signal, inp.gain))

    # synaptic slots: one group per (post population, synapse key)
    groups, slot_decay, slot_gain, s = {}, [], [], 0
    for conn in net.connections:
        key = (id(conn.post), conn.synapse.key())
        if key not in groups:
            groups[key] = s
            slot_decay.append(np.full(conn.post.n, np.exp(-dt / conn.synapse.tau)))
            slot_gain.append(np.full(conn.post.n, conn.synapse.gain))
            s += conn.post.n
    sizes = {id(p): p.n for p in net.populations}
    neuron_of = [pop_offset[pid] + np.arange(sizes[pid]) for (pid, _) in groups]
    slot_of = [off + np.arange(sizes[pid]) for (pid, _), off in groups.items()]
    neuron_of = np.concatenate(neuron_of) if neuron_of else np.zeros(0, np.int64)
    order = np.argsort(neuron_of, kind="stable")
    nslot_idx = (np.concatenate(slot_of) if slot_of else np.zeros(0, np.int64))[order].astype(np.int64)
    nslot_ptr = np.concatenate([[0], np.cumsum(np.bincount(neuron_of, minlength=n))]).astype(np.int64)

    # edges
    pres, slots, ws, conns, posts, origins = [], [], [], [], [], []
    plastic_rules, conn_plastic = [], np.full(len(net.connections), -1, dtype=np.int64)
    pre_offsets = {}
    for c, conn in enumerate(net.connections):
        W = conn.weights.tocsr()
        rows = np.repeat(np.arange(W.shape[0]), np.diff(W.indptr))      # post local index per entry
        pre0 = pop_offset[id(conn.pre)] if not conn.pre.is_source else n + src_offset[id(conn.pre)]
        pre_offsets[c] = pre0
        pres.append(pre0 + W.indices.astype(np.int64))
        slots.append(groups[(id(conn.post), conn.synapse.key())] + rows)
        posts.append(pop_offset[id(conn.post)] + rows)
        ws.append(W.data.astype(float))
        conns.append(np.full(W.nnz, c, dtype=np.int64))
        origins.append(np.arange(W.nnz, dtype=np.int64))
        if conn.plasticity is not None:
            conn_plastic[c] = len(plastic_rules)
            plastic_rules.append(c)
    cat = (lambda xs, dtype: np.concatenate(xs).astype(dtype) if xs else np.zeros(0, dtype=dtype))
    edge_pre = cat(pres, np.int64)
    order = np.argsort(edge_pre, kind="stable")
    edge_pre = edge_pre[order]
    edge_slot, edge_w = cat(slots, np.int64)[order], cat(ws, float)[order]
    edge_conn, edge_post = cat(conns, np.int64)[order], cat(posts, np.int64)[order]
    edge_origin = cat(origins, np.int64)[order]
    pre_ptr = np.zeros(n + m + 1, dtype=np.int64)
    np.add.at(pre_ptr, edge_pre + 1, 1)
    pre_ptr = np.cumsum(pre_ptr)

    # plasticity: parameters, trace layout, and for each (rule, post neuron) its incoming plastic edges
    K = len(plastic_rules)
    stdp_params = np.zeros((K, 6))
    pre_start, post_start = np.zeros(K, np.int64), np.zeros(K, np.int64)
    xpre_off, ypost_off, prow_off, post_n, pre_n = (np.zeros(K, np.int64) for _ in range(5))
    nx = ny = nrows = 0
    row_parts, row_counts = [], []
    for k, c in enumerate(plastic_rules):
        conn, rule = net.connections[c], net.connections[c].plasticity
        stdp_params[k] = (rule.a_plus, rule.a_minus, np.exp(-dt / rule.tau_plus), np.exp(-dt / rule.tau_minus),
                          rule.w_min, rule.w_max)
        pre_start[k], post_start[k] = pre_offsets[c], pop_offset[id(conn.post)]
        xpre_off[k], ypost_off[k], prow_off[k], post_n[k], pre_n[k] = nx, ny, nrows, conn.post.n, conn.pre.n
        nx += conn.pre.n
        ny += conn.post.n
        edges_k = np.flatnonzero(edge_conn == c)
        local_post = edge_post[edges_k] - post_start[k]
        row_parts.append(edges_k[np.argsort(local_post, kind="stable")])
        row_counts.append(np.bincount(local_post, minlength=conn.post.n))
        nrows += conn.post.n
    prow_ptr = np.concatenate([[0], np.cumsum(np.concatenate(row_counts))]).astype(np.int64) \
        if row_counts else np.zeros(1, np.int64)
    prow_edges = np.concatenate(row_parts).astype(np.int64) if row_parts else np.zeros(0, np.int64)

    time_constants = {}
    for pop in net.populations:
        time_constants[f"{pop.label}.tau_rc"] = pop.neuron.tau_rc

    return Built(
        dt=dt, n_neurons=n, n_sources=m, v0=v0, bias=bias,
        tau_rc=per_neuron("tau_rc"), tau_ref=per_neuron("tau_ref"), v_th=per_neuron("v_th"),
        v_reset=per_neuron("v_reset"), v_rest=per_neuron("v_rest"),
        slot_decay=np.concatenate(slot_decay) if slot_decay else np.zeros(0),
        slot_gain=np.concatenate(slot_gain) if slot_gain else np.zeros(0),
        nslot_ptr=nslot_ptr, nslot_idx=nslot_idx,
        pre_ptr=pre_ptr, edge_slot=edge_slot, edge_w=edge_w, edge_conn=edge_conn, edge_pre=edge_pre,
        edge_post=edge_post, edge_origin=edge_origin,
        conn_plastic=conn_plastic, stdp_params=stdp_params, pre_start=pre_start, post_start=post_start,
        xpre_off=xpre_off, ypost_off=ypost_off, n_xpre=nx, n_ypost=ny, prow_ptr=prow_ptr,
        prow_edges=prow_edges, prow_off=prow_off, post_n=post_n, pre_n=pre_n,
        pop_offset=pop_offset, src_offset=src_offset, slot_offset=groups,
        conn_index={id(c): i for i, c in enumerate(net.connections)},
        time_inputs=time_inputs, time_constants=time_constants,
    )


def _initial_voltage(pop, rng):
    if pop.v_init is None:
        return np.full(pop.n, pop.neuron.v_reset)
    if hasattr(pop.v_init, "sample"):
        return pop.v_init.sample(pop.n, rng)
    return np.array(pop.v_init, dtype=float)


def _check_dt(net, dt):
    """dt must be smaller than every time constant the model integrates, or the dynamics are lost."""
    for pop in net.populations:
        for name, tau in pop.neuron.time_constants.items():
            _require_dt_below(dt, tau, f"{pop.label}: {name}")
    for conn in net.connections:
        for name, tau in conn.synapse.time_constants.items():
            _require_dt_below(dt, tau, f"{conn.label}: synapse {name}")
        if conn.plasticity is not None:
            for name, tau in conn.plasticity.time_constants.items():
                _require_dt_below(dt, tau, f"{conn.label}: STDP {name}")


def _require_dt_below(dt, tau, what):
    if dt >= tau:
        raise ValueError(f"dt = {dt:g} s is not smaller than {what} = {tau:g} s; use a dt well below "
                         f"the smallest time constant (e.g. dt <= {tau / 10:g} s)")
