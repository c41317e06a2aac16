"""Code generation, spike delivery: the lines of the generated loop that deliver a step's spikes to their
synapses (through a connection's presynaptic model, if any; a plastic edge's depression right after its
delivery) and the prefetches that hide the misses of a spike's edges. Part of `snnlib.sim.codegen` (which
re-exports these names); `snnlib.sim.codegen_parallel` partitions the same lines between threads."""

import inspect

from snnlib.sim import codegen as cg
from snnlib.sim import codegen_learning as learn


def spike_head():
    """The spike loop's head, shared by every delivery: for each presynaptic index j in st.spk_list[:n_spk],
    count and record it (its body, the edge loop, follows at 4 spaces)."""
    return ["for z in range(n_spk):",
            "    j = st.spk_list[z]",
            "    st.spike_count[j] += 1",
            "    if io.record_flag[j]:",
            "        io.ev_step[st.counters[0]] = step",
            "        io.ev_idx[st.counters[0]] = j",
            "        st.counters[0] += 1"]


def _deliver(layout):
    """Lines (at the step loop's indentation) delivering this step's spikes: for each presynaptic index j in
    st.spk_list[:n_spk] (neurons in index order, then sources), count and record it and reach its synapses
    (through the connection's presynaptic model, if any). Written into the kernel, not called: a call per
    spike passed every named tuple (hundreds of values) and cost more than the delivery itself."""
    lines = spike_head() + ["    for e in range(g.pre_ptr[j], g.pre_ptr[j + 1]):"]
    # a plastic edge delivers its weight x the synapse gain, computed here (the same float64 product, rounded to
    # the state's precision, that st.weff held): the weight updates then store only the weight, so a
    # postsynaptic spike's potentiation writes one scattered cache line per synapse, not two
    if layout.rule_kinds and not layout.pre_kinds:
        # unsigned indices here too (see below), and in the plastic edges' lines and the potentiation: the float32
        # CUBA+STDP loop 0.90x (11 alternated rounds, 1.07-1.12x for the signed version), float64 0.97x
        lines[-1] = "    for e in range(np.uint64(g.pre_ptr[j]), np.uint64(g.pre_ptr[j + 1])):"
    if layout.pre_kinds:
        w_e = "st.weff[e]" if not layout.rule_kinds else "st.weff[e] if g.edge_rule[e] < 0 else FT(st.w[e] * g.edge_gain[e])"
        lines += cg._indent([f"w_e = {w_e}"] + _presynaptic(layout) + ["st.ss[0][g.edge_slot[e]] += w_e"], 8)
    elif not layout.rule_kinds:
        # unsigned indices: numba wraps a negative signed index around, a select per access in this hot loop
        lines[-1] = "    for e in range(np.uint64(g.pre_ptr[j]), np.uint64(g.pre_ptr[j + 1])):"
        lines += ["        " + static_edge(layout)]
    if layout.rule_kinds:
        # the rule's parameters, gain and trace offset are loaded when the rule changes (a presynaptic neuron's
        # edges come grouped by connection), not per synapse: LLVM reloads them after every weight store
        # (float64 weights and parameters might alias)
        init, hoist, body = ["rp_ = -1", "rk = -1", "rrow_ = 0"], [], []
        lines += ["        r = g.edge_rule[e]"]
        if layout.pre_kinds:
            lines += ["        if r >= 0:"]
        else:
            lines += ["        if r < 0:", "            " + static_edge(layout), "        else:"]
        # rp_ is int64 at each assignment (-1, then the int32 rule index widened): one type per name, see
        # jit.LoopCompiler (the comparison r != rp_ widens r to int64 either way)
        hoist = ["            if r != rp_:", "                rp_ = np.int64(r)", "                rk = g.rule_kind[r]",
                 "                rrow_ = g.rule_row[r]"]
        for head, load, pars, edge in _rule_parts(layout):
            hoist += cg._indent(head + cg._indent(load, 4), 16)
            init += pars
            body += cg._indent(head + cg._indent(edge, 4), 12)
        lines = init + lines + hoist + body
    return lines


def static_edge(layout):
    """The line (unindented) delivering static edge e, in every delivery that has static edges: its weight x gain
    (st.weff[e]) added to its slot, or, with codes (`edge_codes`: a static network of one weight per
    connection), the weight table's entry above the code's slot bits added to the slot in its low bits. The
    slot index is unsigned: numba wraps a negative signed index around, a select per access in this hot loop."""
    if layout.coded:
        return "st.ss[0][np.uint32(g.edge_slot[e] & g.code_mask)] += g.wtab[g.edge_slot[e] >> g.code_bits]"
    return "st.ss[0][np.uint32(g.edge_slot[e])] += st.weff[e]"


def _rule_parts(layout):
    """Per rule kind k: (head: the lines selecting kind k of rule instance row `rrow_`, load: its depression's
    parameters, gain and postsynaptic trace offset into locals, init: those locals' first values, edge: the
    lines delivering plastic edge e and depressing it, unindented)."""
    out = []
    for k, cls in enumerate(layout.rule_kinds):
        used = inspect.signature(cls.functions["on_pre"]).parameters
        names = {"w": "w0_", "zero": "0.0"}
        head = [f"{'if' if k == 0 else 'elif'} rk == {k}:", f"    L = rules[{k}]"]
        load = [f"pb{k}_ = L.post_off[rrow_] - L.post_start[rrow_]", f"dg{k}_ = L.gain[rrow_]"]
        init = [f"pb{k}_ = 0", f"dg{k}_ = 0.0"]
        for c, col in enumerate(learn._rule_columns(layout, cls)):
            if col in used:
                names[col] = f"dp{k}_{c}"
                load += [f"dp{k}_{c} = L.par[rrow_, {c}]"]
                init += [f"dp{k}_{c} = 0.0"]
        for t, var in enumerate(cls.post_state):
            names[var] = f"L.post_tr[{t}][pb{k}_ + np.uint32(g.edge_post[e])]"
        names.update(learn._syn_names(cls, "rrow_"))     # `row` is the presynaptic model's
        edge = ["w0_ = st.w[e]"]
        if not layout.pre_kinds:
            edge += [f"st.ss[0][np.uint32(g.edge_slot[e])] += FT(w0_ * dg{k}_)"]
        edge += learn._weight_update(cls, "on_pre", names, k)
        out.append((head, load, init, edge))
    return out


def _deliver_runs(layout):
    """The serial delivery of a network with a learning rule and no presynaptic model: `_deliver`'s values in
    its order, each spike's edges taken in runs of one rule instance (`groups.rule_runs`), so that the edge loops
    read no per-edge rule index and test no rule: a static run is the plain delivery's loop, a plastic run loads
    its rule's parameters once (codegen_parallel partitions `_deliver`'s own lines, which this leaves as they
    are)."""
    out = spike_head() + ["    for q in range(g.run_ptr[j], g.run_ptr[j + 1]):", "        r = g.run_rule[q]",
                 "        e0_ = np.uint64(g.run_edge[q])", "        e1_ = np.uint64(g.run_edge[q + 1])",
                 "        if r < 0:", "            for e in range(e0_, e1_):",
                 "                " + static_edge(layout), "        else:",
                 "            rk = g.rule_kind[r]", "            rrow_ = g.rule_row[r]"]
    for head, load, _, edge in _rule_parts(layout):
        out += cg._indent(head + cg._indent(load, 4) + ["    for e in range(e0_, e1_):"] + cg._indent(edge, 8), 12)
    return out


def serial(layout):
    """The serial loop's delivery lines (with their prefetches)."""
    if layout.rule_kinds and not layout.pre_kinds:
        return _deliver_runs(layout)
    return _prefetch_rows(layout, _deliver(layout))


#: how many spikes ahead a delivery requests the cache lines of a spike's edges (`_prefetch_rows` and the
#: threaded delivery's `codegen_parallel_delivery.prefetches`)
AHEAD = 4


def _prefetch_rows(layout, lines):
    """The serial delivery `lines` (`_deliver`'s) with a head in the spike loop requesting the first two cache
    lines (64 bytes each) of edge slots (int32) and weights (the state's precision) of the spike AHEAD places on
    (`jit.prefetch`, a hint: no value changes), so that the misses of a spike's row overlap the delivery of the
    spikes before it instead of following them. Only for the plain delivery (no rule, no presynaptic model);
    codegen_parallel reads `_deliver`'s own lines."""
    if layout.rule_kinds or layout.pre_kinds:
        return lines
    f = lines.index("for z in range(n_spk):")
    head = [f"    if z + {AHEAD} < n_spk:", f"        b_ = g.pre_ptr[st.spk_list[z + {AHEAD}]]"]
    if layout.coded:            # codes alone (16 or 32 bits): two lines of them
        return lines[:f + 1] + head + ["        prefetch(g.edge_slot, b_)",
                                       "        prefetch(g.edge_slot, b_ + 64 // g.edge_slot.itemsize)"] + lines[f + 1:]
    ls, lw = 64 // 4, 64 // layout.ftype().itemsize        # elements per line: int32 slots, weights
    return lines[:f + 1] + head + [
            "        prefetch(g.edge_slot, b_)", "        prefetch(st.weff, b_)",
            f"        prefetch(g.edge_slot, b_ + {ls})", f"        prefetch(st.weff, b_ + {lw})"] + lines[f + 1:]


def _prefetch_spike(layout):
    """Lines (in the scan, for a neuron i that just fired) requesting every cache line of its edge slots and
    weights (`jit.prefetch`, a hint: no value changes): the rest of the scan and the other neurons' exact steps
    then overlap those misses, where delivery's own prefetch (`_prefetch_rows`, AHEAD spikes on) finds no spike
    AHEAD places on at CUBA's two or three spikes a step. Float32 CUBA loop 0.94-0.96x (session 9); issued
    before the exact step instead, for every flagged neuron: 0.99x, not kept. 16 elements a line: int32 slots,
    float32 weights (float64 weights: every other line of them)."""
    if layout.pre_kinds:
        return []
    if layout.rule_kinds:
        return learn._prefetch_plastic(layout)
    if layout.coded:
        return ["b_ = g.pre_ptr[i]", "for q_ in range(b_, g.pre_ptr[i + 1], 64 // g.edge_slot.itemsize):",
                "    prefetch(g.edge_slot, q_)"]
    return ["b_ = g.pre_ptr[i]", "for q_ in range(b_, g.pre_ptr[i + 1], 16):", "    prefetch(g.edge_slot, q_)",
            "    prefetch(st.weff, q_)"]


def _presynaptic(layout):
    """Lines scaling w_e, the weight of edge e, by the edge's connection's presynaptic model (state kept per
    presynaptic neuron and updated once per spike, or a fresh draw per synapse)."""
    from snnlib.sim.groups import columns

    lines = ["qm = g.edge_pm[e]", "if qm >= 0:", "    pk = g.pm_kind[qm]", "    row = g.pm_row[qm]"]
    for k, cls in enumerate(layout.pre_kinds):
        inst = next(q["model"] for q in layout.model.presyn if type(q["model"]) is cls)
        names = {col: f"P.par[row, {c}]" for c, col in enumerate(columns(inst, layout.model.dt))}
        names.update(zero="0.0")
        body = [f"P = pres[{k}]"]
        if cls.per_synapse:
            names.update(h="0.0", u="f_rng_uniform(g.seed, P.stream[row], step, e)")
            body += [f"w_e = w_e * {cg.call(cls, 'on_spike', names)}"]
        else:
            names.update(h="(step - P.last[x_]) * dt64", u="f_rng_uniform(g.seed, P.stream[row], step, j)")
            for t, var in enumerate(cls.state):
                names[var] = f"P.st[{t}][x_]"
            new = [f"p_{v}" for v in cls.state]
            body += ["x_ = P.off[row] + j - P.pre_start[row]", "if P.stamp[x_] != step:",
                     f"    {''.join(v + ', ' for v in new)}sc_ = {cg.call(cls, 'on_spike', names)}"]
            body += [f"    P.st[{t}][x_] = {v}" for t, v in enumerate(new)]
            body += ["    P.scale[x_] = sc_", "    P.last[x_] = step", "    P.stamp[x_] = step",
                     "w_e = w_e * P.scale[x_]"]
        lines += [f"    {'if' if k == 0 else 'elif'} pk == {k}:"] + cg._indent(body, 8)
    return lines
