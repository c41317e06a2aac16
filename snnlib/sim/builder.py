"""Builder: turns a Network description into flat arrays plus a structure key (numpy only, no numba).

Index spaces
- neurons: all populations concatenated, population k at [offset_k, offset_k + n_k).
- presynaptic: neurons first, then all sources: [0, N) neurons, [N, N + M) sources.
- synaptic slots: one slot per (post population, synapse key, post neuron); connections with equal
  synapse keys onto the same population share a slot (as Brian2's ge/gi), so its state is one filter.
  A population's slots of one key are a "receptor" of that population, numbered in connection order; a
  receptor block may start a little after the previous one (`receptor_slots`: the slots between are unused).
- edges: every synapse of every connection, sorted by presynaptic index (a global CSR), so a spike
  visits its outgoing synapses in one contiguous run; each edge holds its slot's *position* (where the
  slot's state lies: the slot itself, except past the gaps of a threaded network, `snnlib.sim.positions`).
- learning-rule instances: one per plastic connection, with its pre/post traces at offsets into one array
  per trace variable.

How these become kernel arguments (groups merged by kind) is `snnlib.sim.groups`.
"""

from dataclasses import dataclass, field

import numpy as np

from snnlib import _validate as check
from snnlib.sim import edge_codes, memory, positions, wiring


@dataclass
class Receptor:
    """One synapse key onto one population: its model and the first of its n slots."""
    synapse: object
    slot_offset: int


@dataclass
class Built:
    """Flat arrays for the kernel plus the maps back to the description objects.

    Per edge the kernel has `edge_slot` (int32) and `edge_weff` (weight x gain in the state's precision), or,
    in a static network whose connections each have one weight, only `edge_slot` holding codes (uint16 or
    int32; `edge_codes`): the slot in the low `code_bits` bits, above them the index of the edge's weight x
    gain in `edge_wtab`; `edge_weff` is then empty. The other per-edge arrays exist only when something reads
    them (`plastic`: a learning rule changes weights, so the plain weights, gains, pre/post neurons, rule
    instances and each edge's connection and position in it; `edge_pm` with a presynaptic model); otherwise
    they are empty (size 0), so a static network costs 8 (float32) or 12 (float64) bytes per synapse, or 2 or
    4 with codes (`snnlib.sim.memory`)."""

    dt: float
    n_neurons: int
    n_sources: int
    n_slots: int
    n_edges: int
    populations: list                 # in index order
    pop_offsets: list                 # first neuron index of each population
    receptors: list                   # per population: list of Receptor, in slot order
    v0: np.ndarray
    bias: np.ndarray
    # edges (global CSR over presynaptic index)
    pre_ptr: np.ndarray
    edge_slot: np.ndarray             # int32 slot position, or a code (uint16 / int32) with edge_wtab
    edge_weff: np.ndarray             # weight x gain, state precision (empty with codes)
    conn_outdeg: list                 # per connection: out-degree of each of its presynaptic neurons (int64)
    plastic: bool = False
    edge_w: np.ndarray = None         # the rest: plastic networks only (edge_pm: presynaptic models only)
    edge_gain: np.ndarray = None      # weight -> jump of the slot's first state variable, per edge
    edge_conn: np.ndarray = None
    edge_pre: np.ndarray = None
    edge_post: np.ndarray = None
    edge_origin: np.ndarray = None    # position of each edge in its connection's CSR data
    edge_rule: np.ndarray = None      # learning-rule instance of each edge, -1 if not plastic
    edge_pm: np.ndarray = None        # presynaptic-model instance of each edge, -1 if none
    # learning-rule instances (one per plastic connection)
    rules: list = field(default_factory=list)   # dicts: rule, conn, pre_start, pre_n, post_start, post_n
    presyn: list = field(default_factory=list)  # dicts: model, conn, pre_start, pre_n
    edge_wtab: np.ndarray = None      # with codes: the distinct weight x gain values (state precision), else None
    code_bits: int = 0                # with codes: slot bits of a code
    pop_offset: dict = field(default_factory=dict)
    src_offset: dict = field(default_factory=dict)
    conn_index: dict = field(default_factory=dict)
    conn_pre0: list = field(default_factory=list)     # per connection: its pre's first presynaptic index
    time_inputs: list = field(default_factory=list)   # (neuron indices, Signal, gain)
    time_constants: dict = field(default_factory=dict)
    positions: object = None          # where each neuron's and slot's state lies (`snnlib.sim.positions`)

    @property
    def code_mask(self):
        """The slot bits of an edge_slot value: (1 << code_bits) - 1 with codes, -1 (every bit) without."""
        return (1 << int(self.code_bits)) - 1 if self.edge_wtab is not None else -1

    def presyn_index(self, obj):
        """Start of `obj` (population or source) in the presynaptic index space."""
        if obj.is_source:
            return self.n_neurons + self.src_offset[id(obj)]
        return self.pop_offset[id(obj)]


#: a population's receptor blocks start at least this many bytes apart around a 4096-byte page (`receptor_slots`)
RECEPTOR_GAP = 512


def receptor_slots(net, itemsize):
    """({(id(post population), synapse key): its first slot}, number of slots) for a state of `itemsize`-byte
    floats: one block of post.n slots per key, in connection order.

    The neuron pass streams every receptor block of a population beside the neuron state (`groups.page_zeros`).
    Blocks whose starts agree modulo 4096 bytes put element k of both in one L1 set, which slowed the pass of
    CUBA x 16 (51,200 excitatory neurons: 204,800 bytes per block, 50 pages) by about 10 % in one thread of two,
    depending on where its pages fell (session 13). So a block of a population that already has one starts
    RECEPTOR_GAP bytes (less with many receptors) around the page from the others, moved on by whole cache lines;
    the slots in between belong to no receptor."""
    n_keys = {}
    for conn in net.connections:
        n_keys.setdefault(id(conn.post), set()).add(conn.synapse.key())
    slot_of_key, s = {}, 0
    line = max(64 // itemsize, 1)
    for conn in net.connections:
        key = (id(conn.post), conn.synapse.key())
        if key in slot_of_key:
            continue
        gap = min(RECEPTOR_GAP, 4096 // (2 * len(n_keys[id(conn.post)]) + 2) // 64 * 64)
        firsts = [f for (post, _), f in slot_of_key.items() if post == id(conn.post)]
        for _ in range(4096 // 64):                 # a free place exists: the gaps cover less than the page
            if all(min((s - f) * itemsize % 4096, (f - s) * itemsize % 4096) >= gap for f in firsts):
                break
            s += line
        slot_of_key[key] = s
        s += conn.post.n
    return slot_of_key, s


def build(net, dt, precision="float64", memory_limit=None, chunk_steps=2000, threads=1):
    """Build `net` for time step `dt` (s) with state of `precision`. Raises ValueError for a dt that the model
    cannot use, `memory.ModelMemoryError` if the synapses would exceed `memory_limit` bytes (None: no check;
    the estimate is the Simulator's, `memory.network_estimate`, for its `chunk_steps` and `threads`)."""
    from snnlib.sim.groups import PRECISIONS

    dt = check.positive("dt", dt)
    _check_dt(net, dt)
    ftype = PRECISIONS[precision]
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
    slot_of_key, s = receptor_slots(net, np.dtype(ftype).itemsize)
    seen = set()
    for conn in net.connections:
        key = (id(conn.post), conn.synapse.key())
        if key not in seen:
            seen.add(key)
            receptors[pop_index[id(conn.post)]].append(Receptor(conn.synapse, slot_of_key[key]))

    pos = positions.for_network(net, slot_of_key, s, threads)
    pre0s = [pop_offset[id(c.pre)] if not c.pre.is_source else n + src_offset[id(c.pre)] for c in net.connections]
    slot0s = [slot_of_key[(id(c.post), c.synapse.key())] for c in net.connections]
    gains = [float(c.synapse.derived(dt)["gain"]) for c in net.connections]
    rules, presyn = [], []
    for c, conn in enumerate(net.connections):
        if conn.plasticity is not None:
            rules.append({"rule": conn.plasticity, "conn": c, "pre_start": pre0s[c], "pre_n": conn.pre.n,
                          "post_start": pop_offset[id(conn.post)], "post_n": conn.post.n})
        if conn.presynaptic is not None:
            presyn.append({"model": conn.presynaptic, "conn": c, "pre_start": pre0s[c], "pre_n": conn.pre.n})
    plastic = bool(rules)
    codes = edge_codes.plan(net, gains, ftype, pos.n_slot_pos)   # codes hold slot positions
    if codes is not None:                   # each connection's first code instead of its first slot
        slot0s = [codes.slot0(c, a) for c, a in enumerate(slot0s)]
    expected = sum(memory.connection_edges(c) for c in net.connections)
    guard = None if memory_limit is None else (memory_limit, chunk_steps, threads)
    if plastic or presyn or expected < memory.NUMPY_SORT_EDGES:
        edges = _edges_numpy(net, n, m, pre0s, slot0s, gains, pop_offset, ftype, plastic, bool(presyn),
                             guard, precision, codes is not None)
    else:
        edges = _edges_compiled(net, n + m, pre0s, slot0s, gains, ftype, guard, precision,
                                None if codes is None else codes.dtype)
    if codes is not None:
        edges["edge_slot"] = edges["edge_slot"].astype(codes.dtype, copy=False)
        edges.update(edge_wtab=codes.wtab, code_bits=codes.bits)
    if pos.n_slot_pos != pos.n_slots:       # edges address the slots' state: their positions, in place
        wiring.remap_slots(edges["edge_slot"], pos.slot_table, 0 if codes is None else codes.bits)

    time_constants = {f"{pop.label}.tau_rc": pop.neuron.tau_rc for pop in net.populations
                      if hasattr(pop.neuron, "tau_rc")}
    return Built(
        dt=dt, n_neurons=n, n_sources=m, n_slots=s, populations=list(net.populations), pop_offsets=offsets,
        receptors=receptors, v0=v0, bias=bias, rules=rules, presyn=presyn, plastic=plastic,
        pop_offset=pop_offset, src_offset=src_offset, conn_pre0=pre0s,
        conn_index={id(c): i for i, c in enumerate(net.connections)},
        time_inputs=time_inputs, time_constants=time_constants, positions=pos, **edges)


def _check_edges(net, precision, guard):
    """The model-size guard again, with the exact synapse counts (known now), before the edge arrays exist;
    guard: None (no check) or (limit in bytes, chunk_steps, threads), the Simulator's own memory model."""
    if guard is not None:
        limit, chunk_steps, threads = guard
        memory.check_model(net, precision, limit, chunk_steps, threads)


def _static_extras(has_presyn_edges=None):
    """Empty per-edge arrays of a network without learning rules (nothing reads them)."""
    none32 = np.zeros(0, np.int32)
    out = dict(edge_w=np.zeros(0), edge_gain=np.zeros(0), edge_conn=none32, edge_pre=none32, edge_post=none32,
               edge_origin=np.zeros(0, np.int64), edge_rule=none32)
    if has_presyn_edges is None:
        out["edge_pm"] = none32
    return out


def _edges_compiled(net, n_pre_total, pre0s, slot0s, gains, ftype, guard, precision, code_dtype=None):
    """Static networks: two passes in compiled code (out-degrees, then each edge written in place); with a
    code_dtype, slot0s are codes (`edge_codes`), written in that type, and no weights are written."""
    counts = np.zeros(n_pre_total, np.int64)
    outdeg = []
    legacy = {}
    for c, conn in enumerate(net.connections):
        spec, a = conn.spec, pre0s[c]
        before = counts[a:a + conn.pre.n].copy()
        if spec.kind == "random" and not spec.legacy:
            spec.nnz = int(wiring.count_random(spec, counts, a))
        elif spec.kind == "dense":
            counts[a:a + conn.pre.n] += conn.post.n
        else:
            W = spec.legacy_csr() if spec.kind == "random" else spec.W
            legacy[c] = W
            counts[a:a + conn.pre.n] += np.bincount(W.indices, minlength=conn.pre.n)
        outdeg.append(counts[a:a + conn.pre.n] - before)
    pre_ptr = np.zeros(n_pre_total + 1, np.int64)
    np.cumsum(counts, out=pre_ptr[1:])
    total = int(pre_ptr[-1])
    _check_edges(net, precision, guard)
    del counts
    edge_slot = np.empty(total, np.int32 if code_dtype is None else code_dtype)
    edge_weff = np.empty(total if code_dtype is None else 0, ftype)    # the wiring writes no weight into an empty one
    fill = pre_ptr[:-1].copy()
    for c, conn in enumerate(net.connections):
        spec = conn.spec
        if spec.kind == "random" and not spec.legacy:
            wiring.fill_random(spec, pre0s[c], slot0s[c], ftype(spec.weight * gains[c]), fill, edge_slot, edge_weff)
        elif spec.kind == "dense":
            wiring.scatter_dense(spec, gains[c], pre0s[c], slot0s[c], fill, edge_slot, edge_weff)
        else:
            wiring.scatter_csr(legacy.pop(c), gains[c], pre0s[c], slot0s[c], fill, edge_slot, edge_weff)
    return dict(n_edges=total, pre_ptr=pre_ptr, edge_slot=edge_slot, edge_weff=edge_weff, conn_outdeg=outdeg,
                **_static_extras())


def _edges_numpy(net, n, m, pre0s, slot0s, gains, pop_offset, ftype, plastic, has_presyn, guard, precision,
                 coded=False):
    """Small or plastic networks: every connection's CSR concatenated and stably sorted by presynaptic index
    (the original builder; the compiled path gives the same order, tests/test_scale.py); coded: slot0s are
    codes (`edge_codes`) and edge_weff is empty."""
    pres, slots, ws, gs, conns, posts, origins, rule_of, pm_of, outdeg = [], [], [], [], [], [], [], [], [], []
    r = q = 0
    for c, conn in enumerate(net.connections):
        W = conn.weights
        rows = np.repeat(np.arange(W.shape[0]), np.diff(W.indptr))      # post local index per entry
        pres.append(pre0s[c] + W.indices.astype(np.int64))
        slots.append(slot0s[c] + rows)
        posts.append(pop_offset[id(conn.post)] + rows)
        ws.append(W.data.astype(float))
        gs.append(np.full(W.nnz, gains[c]))
        conns.append(np.full(W.nnz, c, dtype=np.int64))
        origins.append(np.arange(W.nnz, dtype=np.int64))
        outdeg.append(np.bincount(W.indices, minlength=conn.pre.n).astype(np.int64))
        rule_of.append(np.full(W.nnz, r if conn.plasticity is not None else -1, dtype=np.int64))
        r += conn.plasticity is not None
        pm_of.append(np.full(W.nnz, q if conn.presynaptic is not None else -1, dtype=np.int64))
        q += conn.presynaptic is not None
    cat = (lambda xs, dtype: np.concatenate(xs).astype(dtype) if xs else np.zeros(0, dtype=dtype))
    edge_pre = cat(pres, np.int64)
    _check_edges(net, precision, guard)
    order = np.argsort(edge_pre, kind="stable")
    edge_pre = edge_pre[order]
    pre_ptr = np.zeros(n + m + 1, dtype=np.int64)
    np.add.at(pre_ptr, edge_pre + 1, 1)
    pre_ptr = np.cumsum(pre_ptr)
    edge_w, edge_gain = cat(ws, float)[order], cat(gs, float)[order]
    with np.errstate(over="ignore"):      # beyond float32: refused right after the build (finite.check_parameters)
        edge_weff = np.zeros(0, ftype) if coded else (edge_w * edge_gain).astype(ftype)
    out = dict(n_edges=len(edge_pre), pre_ptr=pre_ptr, edge_slot=cat(slots, np.int32)[order],
               edge_weff=edge_weff, conn_outdeg=outdeg,
               edge_pm=cat(pm_of, np.int32)[order] if has_presyn else np.zeros(0, np.int32))
    if plastic:
        out.update(edge_w=edge_w, edge_gain=edge_gain, edge_conn=cat(conns, np.int32)[order],
                   edge_pre=edge_pre.astype(np.int32), edge_post=cat(posts, np.int32)[order],
                   edge_origin=cat(origins, np.int64)[order], edge_rule=cat(rule_of, np.int32)[order])
    else:
        out.update(_static_extras(has_presyn_edges=True))
    return out


def plain_weights(net, model):
    """The weights (float64, before the synapse's gain) in edge order, rebuilt from the connections: a
    static network does not keep them (tests and benchmarks read them through `Simulator._w`)."""
    pres, ws = [], []
    for c, conn in enumerate(net.connections):
        W = conn.weights
        pres.append(model.conn_pre0[c] + W.indices.astype(np.int64))
        ws.append(W.data.astype(float))
    if not pres:
        return np.zeros(0)
    return np.concatenate(ws)[np.argsort(np.concatenate(pres), kind="stable")]


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
