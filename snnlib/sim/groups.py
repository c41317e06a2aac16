"""Kernel arguments: a built network reduced to groups of arrays (one named tuple each) and a structure key.

Populations of one neuron kind with the same receptor kinds form one group (GeNN's merged groups): the
generated loop makes one pass per group over its populations, reading each population's parameters from
a row of the group's parameter matrix. The structure key holds only what changes the generated code
(kinds, receptor lists, rule kinds, state counts, precision), never sizes, parameters or weights, so a new
parameter value or a new network of the same shape reuses the compiled kernel.

State variables are positional: neuron state k of every model lives in `State.ns[k]` (an array over all
N neurons; `ns[0]` is the voltage "v"), synaptic state k in `State.ss[k]` (over all slots; `ss[0]` gets
the spikes). Models with fewer variables leave the rest unused. Every array over neurons or slots has one
element per *position* (`snnlib.sim.positions`: the index itself, except in a threaded network, whose shares
lie apart); spike counts and lists are over indices.
"""

from collections import namedtuple

import numpy as np

PRECISIONS = {"float64": np.float64, "float32": np.float32}

#: small per-row integer fields, also packed into one int64 matrix per table by `with_packed` (columns in this
#: order; a 2-d field's columns last): the generated loop reads them from that one array (see `codegen._hoist`),
#: because numba's wrapper unboxes every array argument separately, about 5 ms of a first compile per array (the
#: CUBA+STDP loop took 58 arrays, 17 of them these small tables). The fields stay for any other reader.
PACKED = {
    "G": (("it", ("off", "n", "stream", "rslot")),),
    "L": (("it", ("pre_start", "pre_n", "post_start", "post_n", "pre_off", "post_off", "prow_off", "pre_own",
                  "post_own", "mod")),),
    "P": (("it", ("pre_start", "pre_n", "off", "stream")),),
    "g": (("pop_t", ("pop_end", "pop_group", "pop_row")), ("rule_t", ("rule_kind", "rule_row")),
          ("pm_t", ("pm_kind", "pm_row"))),
}


def pack(*arrays):
    """The int64 matrix of PACKED: 1-d arrays as columns, a 2-d array's columns after them (rows x k)."""
    return np.ascontiguousarray(np.column_stack([np.asarray(a, np.int64) for a in arrays]).astype(np.int64))


def with_packed(root, table):
    """The named tuple `table` (root "G", "L", "P" or "g" of PACKED) with its packed matrices made from its own
    fields, in PACKED's column order."""
    return table._replace(**{name: pack(*(getattr(table, f) for f in fields)) for name, fields in PACKED[root]})


State = namedtuple("State", "ns ss nz jn w weff jsyn drive flags spike_count counters spk_list")
Graph = namedtuple("Graph", "seed bias pre_ptr edge_slot edge_gain edge_pre edge_post edge_rule pop_end pop_group pop_row "
                            "rule_kind rule_row post_rules_ptr post_rules_idx pre_rules_ptr pre_rules_idx "
                            "edge_pm pm_kind pm_row pop_t rule_t pm_t run_ptr run_edge run_rule wtab code_bits code_mask npos")
NeuronGroup = namedtuple("NeuronGroup", "off n par rslot rpar zpar stream it")
#: per rule instance (row): parameters, pre/post spans and trace offsets, the synapse gain of its connection;
#: per (instance, post neuron) `prow`: its incoming plastic edges prow_edges[prow_ptr[prow]:prow_ptr[prow + 1]]
#: and, beside each, the index of that edge's presynaptic trace (prow_pre: read in order, not through the edge);
#: both int32 like the other per-edge indices (half the bytes the potentiation streams through: float32
#: CUBA+STDP loop 0.92-0.98x of int64 in three alternated runs of 11-15 rounds, float64 1.01x)
#: pre_own/post_own[row] = 0 when the row's traces are another row's (equal by construction: `_shared_traces`)
RuleGroup = namedtuple("RuleGroup", "par pre_start pre_n post_start post_n pre_off post_off prow_ptr prow_edges "
                                    "prow_off pre_tr post_tr gain prow_pre pre_own post_own syn mod it")
#: one per presynaptic-model kind: parameter rows and, per instance (row), its presynaptic neurons' state at
#: offset off[row] (state variables, step of the last spike, step and scale of the last on_spike call)
PreGroup = namedtuple("PreGroup", "par pre_start pre_n off stream st last stamp scale it")
IO = namedtuple("IO", "ext_idx ext_vals tgt src_spk record_flag ev_step ev_idx pr_kind pr_every pr_idx_ptr pr_idx "
                      "pr_out_off pr_rows pr_out")


def columns(model, dt):
    """Parameter-matrix columns of a model: its `params`, then its `derived` constants."""
    return list(model.params) + list(model.derived(dt))


def _row(model, dt):
    return model.param_values() + [float(x) for x in model.derived(dt).values()]


def page_zeros(n, dtype, offset=0):
    """A zeroed array of n elements that starts `offset` bytes after a 4096-byte boundary (a view into a slightly
    larger buffer; `offset` a multiple of 64 below 4096).

    The pass over the neurons streams several state arrays at once, element k of each in the same iteration.
    Where they start within a page decides two things:
    - a load from one array at element k + d waits for a pending store to another at element k when the two
      addresses agree in their low 12 bits ("4K aliasing", Intel's optimization manual; session 8). Arrays whose
      starts are D bytes apart within a page agree only at d = D / itemsize elements, far ahead when D is large.
    - element k of arrays that start at the same place in a page falls into the same L1 set. On this AMD machine
      the float32 CUBA loop then took 1x, 1.5x or 2x its time depending on where the pages happened to lie in the
      address space (sampled anew by every allocation, so by every `reset`; 16 / 25 / 33 ms, session 13), which
      looks like the L1's way predictor, whose tags hash the upper address bits, mistaking two such lines for one.
    `stagger` spreads a state's pass arrays evenly over the page: no two share a set, none is near another."""
    dtype = np.dtype(dtype)
    if offset % 64 or not 0 <= offset < 4096:
        raise ValueError(f"offset must be a multiple of 64 in [0, 4096), got {offset}")
    size = n * dtype.itemsize
    buf = np.zeros(size + 8192, np.uint8)
    start = -buf.ctypes.data % 4096 + offset
    return buf[start:start + size].view(dtype)


def stagger(count):
    """Offsets within a page (bytes, multiples of 64) for `count` arrays streamed together: evenly spread."""
    return [i * 4096 // count // 64 * 64 for i in range(count)]


class Layout:
    """Everything the Simulator needs to call the kernel of a built network (`model`, a builder.Built)."""

    def __init__(self, model, precision, signals=None, seed=0, mods=None, loop_poisson=False, current_probes=False,
                 dense_probes=True):
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be 'float64' or 'float32', got {precision!r}")
        self.model, self.precision, self.ftype = model, precision, PRECISIONS[precision]
        self.seed = seed
        dt = model.dt
        # neuron groups, in order of first appearance
        gkeys, members = [], {}
        for p, pop in enumerate(model.populations):
            k = (type(pop.neuron), tuple(type(r.synapse) for r in model.receptors[p]),
                 None if pop.noise is None else type(pop.noise), mods.kinds_of(pop) if mods is not None else ())
            if k not in members:
                gkeys.append(k)
                members[k] = []
            members[k].append(p)
        self.neuron_groups = []          # (neuron class, receptor classes, population indices)
        self.noise_kinds = []            # per group: its NoiseModel class or None
        self.mod_kinds = []              # per group: the parameters modulators act on ("gain", "bias", ...)
        P = len(model.populations)
        pop_group, pop_row = np.zeros(P, np.int64), np.zeros(P, np.int64)
        for g, k in enumerate(gkeys):
            self.neuron_groups.append((k[0], k[1], members[k]))
            self.noise_kinds.append(k[2])
            self.mod_kinds.append(k[3])
            for row, p in enumerate(members[k]):
                pop_group[p], pop_row[p] = g, row
        # learning-rule kinds, in order of first appearance
        rkinds = []
        for r in model.rules:
            if type(r["rule"]) not in rkinds:
                rkinds.append(type(r["rule"]))
        self.rule_kinds = rkinds
        self.pre_kinds = []              # presynaptic-model kinds, in order of first appearance
        for q in model.presyn:
            if type(q["model"]) not in self.pre_kinds:
                self.pre_kinds.append(type(q["model"]))
        self.n_ns = max([len(c.state) for c, _, _ in self.neuron_groups] + [2])
        self.n_ss = max([len(s.state) for _, rs, _ in self.neuron_groups for s in rs] + [1])
        self.n_nz = max([len(z.state) for z in self.noise_kinds if z is not None] + [1])
        self.has_signals = bool(signals is not None and signals.present)
        self.key = (precision, self.n_ns, self.n_ss, self.has_signals,
                    tuple((c.kind, tuple(s.kind for s in rs), z and z.kind)
                          for (c, rs, _), z in zip(self.neuron_groups, self.noise_kinds)),
                    tuple(c.kind for c in rkinds), tuple(c.kind for c in self.pre_kinds))
        self._pop_group, self._pop_row = pop_group, pop_row
        self._mods = mods
        self.has_mods = bool(mods is not None and mods.present)
        self.mod_activity = bool(self.has_mods and mods.activity)
        if self.has_mods:        # only then, so that the key (and kernel) of every other network is unchanged
            self.key += (("modulators", tuple(self.mod_kinds), self.mod_activity),)
        self.loop_poisson = bool(loop_poisson)
        if self.loop_poisson:
            self.key += (("loop_poisson",),)
        # a probe of "current" or "drive" reads every probed neuron's synaptic current after each step: only
        # then does the pass store it for every neuron (otherwise only for the flagged ones, which the exact
        # step needs: about 15 % of the float32 CUBA loop was that store)
        self.current_probes = bool(current_probes)
        if self.current_probes:
            self.key += (("current_probes",),)
        # without probes of values (voltage, current, ...) the kernel has no probe loop (15 % of its compile time)
        self.dense_probes = bool(dense_probes or current_probes)
        if not self.dense_probes:
            self.key += (("no_dense_probes",),)
        # edges as codes (slot + index into a table of weights, `edge_codes`): delivery reads one integer per
        # synapse instead of a slot and a weight
        self.coded = model.edge_wtab is not None
        if self.coded:
            self.key += (("coded",),)

    # -- fixed arrays ---------------------------------------------------------------------------------
    def groups(self):
        """One NeuronGroup per neuron group (parameters as float64 rows; the kernel casts where it needs)."""
        m, dt = self.model, self.model.dt
        out = []
        for cls, rcls, pops in self.neuron_groups:
            off = np.array([m.pop_offsets[p] for p in pops], np.int64)
            n = np.array([m.populations[p].n for p in pops], np.int64)
            par = np.array([_row(m.populations[p].neuron, dt) for p in pops], dtype=float)
            rslot = np.array([[r.slot_offset for r in m.receptors[p]] for p in pops], np.int64).reshape(len(pops), len(rcls))
            rpar = tuple(np.array([_row(m.receptors[p][r].synapse, dt) for p in pops], dtype=float)
                         for r in range(len(rcls)))
            noise = [m.populations[p].noise for p in pops]
            ncol = 0 if noise[0] is None else len(columns(noise[0], dt))
            zpar = np.array([_row(z, dt) if z is not None else [] for z in noise], dtype=float).reshape(len(pops), ncol)
            stream = 1000 + np.array(pops, np.int64)
            out.append(with_packed("G", NeuronGroup(off, n, par, rslot, rpar, zpar, stream, None)))
        return tuple(out)

    def graph(self):
        m = self.model
        N, M = m.n_neurons, m.n_sources
        ends = np.array([o + p.n for o, p in zip(m.pop_offsets, m.populations)], np.int64)
        kinds = [self.rule_kinds.index(type(r["rule"])) for r in m.rules]
        rows, seen = [], {}
        for k in kinds:
            rows.append(seen.get(k, 0))
            seen[k] = rows[-1] + 1
        post_ptr, post_idx = _incidence(N, [(r["post_start"], r["post_n"]) for r in m.rules])
        pre_ptr, pre_idx = _incidence(N + M, [(r["pre_start"], r["pre_n"]) for r in m.rules])
        pm_kind = [self.pre_kinds.index(type(q["model"])) for q in m.presyn]
        pm_row = [pm_kind[:k].count(pm_kind[k]) for k in range(len(pm_kind))]
        kinds, rows = np.array(kinds, np.int64), np.array(rows, np.int64)
        pm_kind, pm_row = np.array(pm_kind, np.int64), np.array(pm_row, np.int64)
        return with_packed("g", Graph(int(self.seed) & 0xFFFFFFFF, self.at_positions(m.bias, self.ftype), m.pre_ptr, m.edge_slot, m.edge_gain, m.edge_pre, m.edge_post,
                     m.edge_rule, ends, self._pop_group, self._pop_row, kinds, rows, post_ptr, post_idx, pre_ptr, pre_idx,
                     m.edge_pm, pm_kind, pm_row, None, None, None,
                     # only the serial delivery of a rule without a presynaptic model reads the runs
                     *rule_runs(m.pre_ptr, m.edge_rule if self.rule_kinds and not self.pre_kinds else None),
                     m.edge_wtab if self.coded else np.zeros(0, self.ftype), int(m.code_bits), m.code_mask,
                     self.positions.neuron))

    @property
    def positions(self):
        """Where each neuron's and slot's state lies in the state arrays (`snnlib.sim.positions`)."""
        return self.model.positions

    def at_positions(self, values, dtype):
        """A neuron array (index order) laid out at the neurons' positions (zeros in the gaps)."""
        pos = self.positions
        if not pos.gapped:
            return np.asarray(values).astype(dtype)
        out = np.zeros(pos.n_neuron_pos, dtype)
        out[pos.neuron] = values
        return out

    # -- state ----------------------------------------------------------------------------------------
    def initial_state(self):
        m, ft, pos = self.model, self.ftype, self.positions
        # every array over neurons or slots has an element per position (`snnlib.sim.positions`)
        N, S = pos.n_neuron_pos, pos.n_slot_pos
        off = iter(stagger(self.n_ns + self.n_ss + 3))      # the pass's arrays: ns, ss, drive, jsyn, flags
        ns = [page_zeros(N, ft, next(off)) for _ in range(self.n_ns)]
        ns[0][pos.neuron] = m.v0
        for p, pop in enumerate(m.populations):
            a = m.pop_offsets[p]
            for k, name in enumerate(pop.neuron.state):
                if k and name in pop.neuron.initial:
                    ns[k][pos.neuron[a:a + pop.n]] = pop.neuron.initial[name]
        ss = tuple(page_zeros(S, ft, next(off)) for _ in range(self.n_ss))
        # a learning rule writes the weights: it gets its own copy; the kernel never writes st.weff (a plastic
        # edge delivers weight x gain computed at delivery), so the built arrays are used in place otherwise
        # (float32 plastic weights in float32 runs were tried: no faster, 1.005x, ab.py 9 rounds)
        w, weff = (m.edge_w.copy(), m.edge_weff) if m.plastic else (m.edge_w, m.edge_weff)
        nz = tuple(np.zeros(N) for _ in range(self.n_nz))
        drive = page_zeros(N, ft, next(off))
        drive[pos.neuron] = m.bias
        # spike counts and the spike list are over neuron (and source) indices
        n_pre = m.n_neurons + m.n_sources
        return State(tuple(ns), ss, nz, np.zeros(N), w, weff, page_zeros(N, ft, next(off)), drive,
                     page_zeros(64 * ((N + 63) // 64), np.uint8, next(off)), np.zeros(n_pre, np.int64),
                     np.zeros(3, np.int64), np.zeros(n_pre, np.int64))

    def rule_groups(self):
        """One RuleGroup per learning-rule kind, with zeroed traces."""
        m, dt = self.model, self.model.dt
        out = []
        for cls in self.rule_kinds:
            inst = [r for r in m.rules if type(r["rule"]) is cls]
            par = np.array([_row(r["rule"], dt) for r in inst], dtype=float)
            pre_n = np.array([r["pre_n"] for r in inst], np.int64)
            post_n = np.array([r["post_n"] for r in inst], np.int64)
            pre_off, pre_own, n_pre = _shared_traces(cls, "pre", inst, par, dt)
            post_off, post_own, n_post = _shared_traces(cls, "post", inst, par, dt)
            # a population's postsynaptic trace block equal to its presynaptic one is that block (one array then)
            post_off, post_own, n_post, one = _cross_shared(cls, inst, par, dt, pre_off, pre_own, n_pre, post_off,
                                                            post_own, n_post)
            pre_tr = tuple(np.zeros(n_pre + (n_post if one else 0), self.ftype) for _ in cls.pre_state)
            prow_off = np.concatenate([[0], np.cumsum(post_n)[:-1]]).astype(np.int64)
            parts, counts, pre_idx, gain = [], [], [], []
            for r, o in zip(inst, pre_off):     # for each (instance, post neuron): its incoming plastic edges
                edges = np.flatnonzero(m.edge_conn == r["conn"])
                local = m.edge_post[edges] - r["post_start"]
                parts.append(edges[np.argsort(local, kind="stable")])
                counts.append(np.bincount(local, minlength=r["post_n"]))
                pre_idx.append(o + m.edge_pre[parts[-1]] - r["pre_start"])
                gain.append(m.edge_gain[edges[0]] if len(edges) else 1.0)    # one synapse, one gain per connection
            prow_ptr = np.concatenate([[0], np.cumsum(np.concatenate(counts))]).astype(np.int64)
            pre_start = np.array([r["pre_start"] for r in inst], np.int64)
            post_start = np.array([r["post_start"] for r in inst], np.int64)
            mod = np.array([self._mods.modulator_index(r["rule"].modulator) if cls.modulated else -1 for r in inst],
                           np.int64)
            out.append(with_packed("L", RuleGroup(par, pre_start, pre_n, post_start, post_n, pre_off, post_off,
                                 prow_ptr, np.concatenate(parts).astype(np.int32), prow_off,
                                 pre_tr, pre_tr if one else tuple(np.zeros(n_post, self.ftype) for _ in cls.post_state),
                                 np.array(gain, dtype=float), np.concatenate(pre_idx).astype(np.int32),
                                 pre_own, post_own,
                                 # per-edge state (e.g. eligibility traces) and the modulator a rule reads
                                 tuple(np.full(len(m.edge_w), float(cls.initial.get(v, 0.0))) for v in cls.syn_state),
                                 mod, None)))
        return tuple(out)


def rule_runs(pre_ptr, edge_rule):
    """(run_ptr, run_edge, run_rule): each presynaptic neuron's edges as runs of one learning-rule instance
    (edge_rule, -1: static), for the serial delivery of a network with a rule (`codegen_delivery._deliver_runs`):
    neuron j's runs are q in [run_ptr[j], run_ptr[j + 1]), run q its edges [run_edge[q], run_edge[q + 1]) of rule
    instance run_rule[q]. Empty (run_ptr all zero) without a rule."""
    pre_ptr = np.asarray(pre_ptr, np.int64)
    if edge_rule is None or len(edge_rule) == 0:
        return np.zeros(len(pre_ptr), np.int64), np.zeros(1, np.int64), np.zeros(0, np.int64)
    edge_rule = np.asarray(edge_rule)
    new = np.zeros(len(edge_rule), bool)
    new[pre_ptr[:-1][pre_ptr[:-1] < pre_ptr[1:]]] = True       # each neuron's first edge starts a run
    new[1:] |= edge_rule[1:] != edge_rule[:-1]                  # and so does every change of rule
    starts = np.flatnonzero(new)
    return (np.searchsorted(starts, pre_ptr).astype(np.int64), np.append(starts, len(edge_rule)).astype(np.int64),
            edge_rule[starts].astype(np.int64))


def _shared_traces(cls, side, inst, par, dt):
    """Offsets of the `side` ("pre" or "post") traces of rule instances `inst` (parameter rows `par`), with
    one trace block for instances whose traces are bound to be equal: the same neurons (start, n) and the
    same values of every parameter the trace functions (decay_<side>, <side>_spike; the only ones that change
    a trace) read. CUBA's E->E and E->I rules thus keep one presynaptic trace per excitatory neuron, decayed
    once per step, not two identical copies. Returns (offsets, owns, total size): owns[row] = 1 for the row
    that decays and jumps its block, 0 for rows reading another row's block."""
    import inspect

    cols = columns(inst[0]["rule"], dt)
    used = {p for role in (f"decay_{side}", f"{side}_spike") if role in cls.functions
            for p in inspect.signature(cls.functions[role]).parameters}
    picked = [c for c, name in enumerate(cols) if name in used]
    offsets, owns, first, total = [], [], {}, 0
    for row, r in enumerate(inst):
        key = (r[f"{side}_start"], r[f"{side}_n"], tuple(par[row, picked].tolist()))
        if key in first:
            offsets.append(offsets[first[key]])
            owns.append(0)
        else:
            first[key] = row
            offsets.append(total)
            owns.append(1)
            total += r[f"{side}_n"]
    return np.array(offsets, np.int64), np.array(owns, np.int64), int(total)


def _cross_shared(cls, inst, par, dt, pre_off, pre_own, n_pre, post_off, post_own, n_post):
    """Postsynaptic trace blocks that are a presynaptic block of the same rule kind: the same neurons, and
    decay and jump written out (`codegen_compact.inline`) with this row's parameter values to the same
    expressions on both sides, so the two traces hold the same bits every step (STDP with tau_plus = tau_minus:
    x * decay_plus and y * decay_minus, x + 1.0 and y + 1.0, both starting at zero). CUBA+STDP's excitatory
    neurons then keep one trace, decayed once a step, not two (7,200 traces decayed a step become 4,000: the
    decays, a seventh of the CUBA+STDP loop, became memory traffic once the neuron pass had evicted them from
    L1; session 10, benchmarks/README.md).

    Such a block is read through `post_off` at its presynaptic offset and left to the presynaptic side, which
    decays it and makes it jump after every potentiation of the step: delivery's depression reads the
    postsynaptic traces before any jump and potentiation reads only presynaptic ones, so the values read are
    those of two separate traces. Returns (post_off, post_own, n_post, one): with one = True the rule's post_tr
    is its pre_tr array, the remaining postsynaptic blocks after the presynaptic ones (n_post of them);
    otherwise everything as given."""
    if not _same_sides(cls):
        return post_off, post_own, n_post, False
    cols = columns(inst[0]["rule"], dt)
    pre_of = {}
    for q, r in enumerate(inst):
        if pre_own[q]:
            pre_of.setdefault((r["pre_start"], r["pre_n"]), []).append(q)
    new_off, moved, size = {}, {}, n_pre
    for r, rule in enumerate(inst):
        if not post_own[r]:
            continue
        match = next((q for q in pre_of.get((rule["post_start"], rule["post_n"]), ())
                      if _same_dynamics(cls, cols, par[q], par[r], dt)), None)
        if match is not None:
            moved[int(post_off[r])] = int(pre_off[match])
        else:
            new_off[int(post_off[r])] = size
            size += rule["post_n"]
    if not moved:
        return post_off, post_own, n_post, False
    off = np.array([moved.get(int(o), new_off.get(int(o))) for o in post_off], np.int64)
    own = np.array([0 if int(o) in moved else w for o, w in zip(post_off, post_own)], np.int64)
    return off, own, size - n_pre, True


def _same_sides(cls):
    """Whether rule kind `cls` has as many post- as presynaptic trace variables and every function that changes
    them on both sides (a trace shared across sides needs both decays and both jumps)."""
    return (len(cls.pre_state) == len(cls.post_state) > 0
            and all(role in cls.functions for role in ("decay_pre", "decay_post", "pre_spike", "post_spike")))


def _same_dynamics(cls, cols, pre_row, post_row, dt):
    """Whether `cls`'s presynaptic trace functions with parameter row `pre_row` and its postsynaptic ones with
    `post_row` (columns `cols`) are the same one-line expressions once every parameter is replaced by its value
    and the t-th trace variable of each side by one name: then they compute the same bits from the same trace
    values. A function that is not one line (`codegen_compact.inline` gives None) is never taken as equal."""
    pairs = (("decay_pre", "decay_post"), ("pre_spike", "post_spike"))
    texts = [(_written(cls, a, cls.pre_state, cols, pre_row, dt), _written(cls, b, cls.post_state, cols, post_row, dt))
             for a, b in pairs]
    return all(x is not None and x == y for x, y in texts)


def _written(cls, role, tvars, cols, row, dt):
    """`cls.functions[role]` written out with its parameters' values from `row` and trace variable t as `T<t>_`
    (None: not a one-line function, or an argument that is none of those)."""
    import inspect

    from snnlib.sim.codegen_compact import inline

    names = {col: repr(float(v)) for col, v in zip(cols, row)}
    names.update({var: f"T{t}_" for t, var in enumerate(tvars)}, dt=repr(float(dt)), zero="0.0")
    fn = cls.functions[role]
    args = [names.get(p) for p in inspect.signature(fn).parameters]
    return None if None in args else inline(fn, args)


def pre_groups(layout):
    """One PreGroup per presynaptic-model kind of `layout`, in its initial state (no spike seen yet)."""
    m, dt = layout.model, layout.model.dt
    out = []
    for k, cls in enumerate(layout.pre_kinds):
        inst = [(i, q) for i, q in enumerate(m.presyn) if type(q["model"]) is cls]
        pre_n = np.array([q["pre_n"] for _, q in inst], np.int64)
        off = np.concatenate([[0], np.cumsum(pre_n)[:-1]]).astype(np.int64)
        total = int(pre_n.sum())
        st = tuple(np.zeros(total) for _ in cls.state)
        for name_k, name in enumerate(cls.state):         # per instance: its model's initial value
            for (_, q), o, n in zip(inst, off, pre_n):
                st[name_k][o:o + n] = float(q["model"].initial.get(name, 0.0))
        par = np.array([_row(q["model"], dt) for _, q in inst], dtype=float)
        pre_start, stream = np.array([q["pre_start"] for _, q in inst], np.int64), 5000 + np.array([i for i, _ in inst], np.int64)
        out.append(with_packed("P", PreGroup(par.reshape(len(inst), par.size // len(inst)), pre_start, pre_n, off,
                                             stream, st, np.full(total, -(2 ** 40), np.int64),
                                             np.full(total, -1, np.int64), np.ones(total), None)))
    return tuple(out)


def _incidence(n, spans):
    """CSR from index j in [0, n) to the rule instances r whose span (start, size) contains j."""
    counts = np.zeros(n + 1, np.int64)
    for start, size in spans:
        counts[start + 1:start + size + 1] += 1
    ptr = np.cumsum(counts)
    idx = np.zeros(ptr[-1], np.int64)
    fill = ptr[:-1].copy()
    for r, (start, size) in enumerate(spans):
        j = np.arange(start, start + size)
        idx[fill[j]] = r
        fill[j] += 1
    return ptr, idx
