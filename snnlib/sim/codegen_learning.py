"""Code generation, learning rules: the lines of the generated loop for a rule's traces (decay before the
spikes, jumps after them), its per-synapse weight updates (on a presynaptic spike, on a postsynaptic spike,
every step for three-factor rules) and the prefetch of a firing neuron's plastic edges. Part of
`snnlib.sim.codegen`; the delivery's depression (`snnlib.sim.codegen_delivery`) calls `_weight_update` too."""

import inspect

from snnlib.sim import codegen as cg


def _prefetch_plastic(layout):
    """`_prefetch_spike` with a learning rule: every cache line of the edges' slot, plastic weight (float64,
    8 a line) and postsynaptic index (what delivery and depression read for a plastic edge; a rule's network
    delivers through st.weff only for its static edges, whose lines are left to delivery; the serial delivery
    reads no per-edge rule index, `codegen_delivery._deliver_runs`), and the first line of
    each list of the neuron's incoming plastic edges and their presynaptic traces' positions that potentiation
    walks after delivery (its first misses: about a quarter of potentiation's perf samples, session 10).
    CUBA+STDP loop about 0.94x (session 10, benchmarks/README.md)."""
    lines = ["b_ = g.pre_ptr[i]", "for q_ in range(b_, g.pre_ptr[i + 1], 16):",
             "    prefetch(g.edge_slot, q_)", "    prefetch(st.w, q_)", "    prefetch(st.w, q_ + 8)",
             "    prefetch(g.edge_post, q_)",
             "for tq_ in range(g.post_rules_ptr[i], g.post_rules_ptr[i + 1]):", "    rq_ = g.post_rules_idx[tq_]",
             "    kq_ = g.rule_kind[rq_]", "    wq_ = g.rule_row[rq_]"]
    for k in range(len(layout.rule_kinds)):
        lines += [f"    {'if' if k == 0 else 'elif'} kq_ == {k}:", f"        L = rules[{k}]",
                  "        yq_ = L.prow_ptr[L.prow_off[wq_] + i - L.post_start[wq_]]",
                  "        prefetch(L.prow_edges, yq_)", "        prefetch(L.prow_pre, yq_)"]
    return lines


def _syn_names(cls, row="row", e="e"):
    """Names of a rule's per-synapse state (edge in variable `e`) and, for a modulated rule, its modulator's
    value (rule row in variable `row`)."""
    names = {var: f"L.syn[{t}][{e}]" for t, var in enumerate(cls.syn_state)}
    if cls.modulated:
        names["modulator"] = f"mods.vals[L.mod[{row}]]"
    return names


def _weight_update(cls, role, names, k, count=True, e="e"):
    """Lines calling rule kind k's (`cls`) `role` for the edge in variable `e` and storing the new weight (and
    per-synapse state). The weight alone: st.weff is not kept for plastic edges (the delivery multiplies by the
    gain, see _deliver). The new values' names are the role's and the kind's own (one type per name, see
    jit.LoopCompiler)."""
    tag = f"{k}_{role.replace('on_', '')}"
    new = [f"y{tag}_{v}" for v in cls.syn_state]
    lines = [f"w{tag}{''.join(', ' + v for v in new)} = {cg.call(cls, role, names)}"]
    lines += [f"L.syn[{t}][{e}] = {v}" for t, v in enumerate(new)]
    lines += [f"st.w[{e}] = w{tag}"]
    return lines + (["n_upd += 1"] if count else [])


def _rule_columns(layout, cls):
    from snnlib.sim.groups import columns

    inst = next(r["rule"] for r in layout.model.rules if type(r["rule"]) is cls)
    return columns(inst, layout.model.dt)


def _learning(layout):
    """Trace decay (before the spikes) and the postsynaptic side (after them), as two lists of lines."""
    decay, post = [], []
    for k, cls in enumerate(layout.rule_kinds):
        cols = _rule_columns(layout, cls)
        par = {col: f"lp_{col}" for col in cols}
        # loaded: only the columns the decays and the per-step update read (LLVM dropped the others' loads anyway)
        used = {a for f in ("decay_pre", "decay_post", "step") if f in cls.functions
                for a in inspect.signature(cls.functions[f]).parameters}
        decay += [f"L = rules[{k}]", "for row in range(L.par.shape[0]):"]
        cast = "FT" if layout.precision == "float32" else ""       # traces are in the state's precision
        decay += [f"    lp_{col} = {cast}(L.par[row, {c}])" for c, col in enumerate(cols) if col in used]
        for side, tvars, n_name, off in (("pre", cls.pre_state, "pre_n", "pre_off"),
                                         ("post", cls.post_state, "post_n", "post_off")):
            names = dict(par, dt="dt", zero="0.0")
            if tvars:       # sliced, indexed by the loop counter: a vectorisable loop (see _pass)
                block = [f"o_ = L.{off}[row]", f"n_ = L.{n_name}[row]"]
                block += [f"tr{t}_ = L.{side}_tr[{t}][o_:o_ + n_]" for t in range(len(tvars))]
                for t, var in enumerate(tvars):
                    names[var] = f"tr{t}_[b]"
                new = [f"t{k}_{v}" for v in tvars]
                block += ["for b in range(n_):", f"    {', '.join(new)} = {cg.call(cls, 'decay_' + side, names)}"]
                block += [f"    tr{t}_[b] = {v}" for t, v in enumerate(new)]
                decay += [f"    if L.{side}_own[row]:       # a shared trace block decays once"] + cg._indent(block, 8)
        if "step" in cls.functions:       # per synapse, every step (three-factor rules: eligibility x modulator)
            names = dict(par, dt="dt64", zero="0.0", w="st.w[es]", **_syn_names(cls, e="es"))
            decay += ["    p0_ = L.prow_ptr[L.prow_off[row]]", "    p1_ = L.prow_ptr[L.prow_off[row] + L.post_n[row]]"]
            if cls.modulated:
                decay += ["    mv_ = mods.vals[L.mod[row]]"]
                names["modulator"] = "mv_"
            decay += ["    for ys in range(p0_, p1_):", "        es = L.prow_edges[ys]"]
            decay += cg._indent(_weight_update(cls, "step", names, k, count=False, e="es"), 8)
    if not layout.rule_kinds:
        return decay, post
    # potentiation by each spiking postsynaptic neuron, its postsynaptic trace's jump right after it (no
    # potentiation reads a postsynaptic trace: the same values as jumping after all of them, one spike loop
    # less to compile), then the presynaptic traces' jumps
    post += ["for z in range(st.counters[2]):", "    j = st.spk_list[z]", "    if j >= N:", "        continue",
             "    for t in range(g.post_rules_ptr[j], g.post_rules_ptr[j + 1]):",
             "        rq = g.post_rules_idx[t]", "        rk = g.rule_kind[rq]", "        row = g.rule_row[rq]"]
    for k, cls in enumerate(layout.rule_kinds):
        # the parameters are read once per postsynaptic neuron, not per synapse: LLVM cannot keep them in
        # registers across the weight stores (float64 weights and parameters might alias), about 12 % of the
        # CUBA+STDP loop
        used = inspect.signature(cls.functions["on_post"]).parameters
        cols = _rule_columns(layout, cls)
        names = {col: f"pp{c}_" for c, col in enumerate(cols) if col in used}
        names.update(w="st.w[e]", dt="dt", zero="0.0")
        for t, var in enumerate(cls.pre_state):
            names[var] = f"L.pre_tr[{t}][np.uint64(L.prow_pre[y])]"
        names.update(_syn_names(cls))
        post += [f"        {'if' if k == 0 else 'elif'} rk == {k}:", f"            L = rules[{k}]",
                 "            prow = L.prow_off[row] + j - L.post_start[row]"]
        post += [f"            pp{c}_ = L.par[row, {c}]" for c, col in enumerate(cols) if col in used]
        post += ["            for y in range(np.uint64(L.prow_ptr[prow]), np.uint64(L.prow_ptr[prow + 1])):",
                 "                e = np.uint64(L.prow_edges[y])"]
        post += cg._indent(_weight_update(cls, "on_post", names, k), 16)
        post += cg._indent(_jump(layout, cls, "post", k), 12)
    post += ["for z in range(st.counters[2]):", "    j = st.spk_list[z]",
             "    for t in range(g.pre_rules_ptr[j], g.pre_rules_ptr[j + 1]):", "        rq = g.pre_rules_idx[t]",
             "        rk = g.rule_kind[rq]", "        row = g.rule_row[rq]"]
    for k, cls in enumerate(layout.rule_kinds):
        if cls.pre_state:
            post += [f"        if rk == {k}:", f"            L = rules[{k}]"] + cg._indent(_jump(layout, cls, "pre", k), 12)
    return decay, post


def _jump(layout, cls, side, k):
    """Lines making the `side` ("pre" or "post") traces of neuron j jump (rule row `row` of `cls`, rule kind k,
    bound to L)."""
    tvars = cls.post_state if side == "post" else cls.pre_state
    if not tvars:
        return []
    cols = _rule_columns(layout, cls)
    names = {col: f"L.par[row, {c}]" for c, col in enumerate(cols)}
    names.update(dt="dt", zero="0.0")
    names.update({var: f"L.{side}_tr[{t}][x_]" for t, var in enumerate(tvars)})
    new = [f"tj{k}_{v}" for v in tvars]        # not the decay's names (float64 here in a float32 loop)
    return ([f"if L.{side}_own[row]:       # a shared trace block jumps once",
             f"    x_ = L.{side}_off[row] + j - L.{side}_start[row]",
             f"    {', '.join(new)} = {cg.call(cls, side + '_spike', names)}"]
            + [f"    L.{side}_tr[{t}][x_] = {v}" for t, v in enumerate(new)])
