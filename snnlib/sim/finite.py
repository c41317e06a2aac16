"""Non-finite values (NaN, inf) in a simulation: refused before the run when a parameter cannot even be held in
the state's float type, and caught after every chunk of steps when finite inputs overflowed (issue 18).

Finite inputs can still end in NaN: two spikes through a weight of 1e308 make an infinite synaptic current,
and inf - inf is NaN; in float32 a bias or threshold of 1e39 is already infinite when cast (float32 holds
up to 3.4e38). Left alone, the NaN spreads silently through voltages and rates. The check after each chunk
is one dot product per state array (a few arrays of N floats, against the chunk's N x steps updates; a
few microseconds per `run` call), and the error names the population, the simulated time and the likely cause.
"""

import math

import numpy as np


class NonFiniteError(ValueError, FloatingPointError):
    """The simulation state holds NaN or inf (a ValueError, so `except ValueError` catches it too)."""


def check_parameters(net, m, precision):
    """Before any step: every value the kernel will use (built model `m` of Network `net`) must be finite in
    the state's float type (`precision`, "float64" or "float32"; anything else is refused elsewhere)."""
    from snnlib.sim.groups import PRECISIONS

    ftype = PRECISIONS.get(precision) if isinstance(precision, str) else None
    if ftype is None:
        return
    big = float(np.finfo(ftype).max)
    for p, pop in enumerate(m.populations):
        a = m.pop_offsets[p]
        bias = m.bias[a:a + pop.n]
        if bias.size and not np.all(np.abs(bias) <= big):
            raise NonFiniteError(
                f"population {pop.label!r}: its bias plus constant inputs reach {_largest(bias):.3g}, "
                f"{_beyond(ftype)}: use smaller values" + _try64(ftype))
        for name, value in zip(pop.neuron.params, pop.neuron.param_values()):
            if not abs(value) <= big:
                raise NonFiniteError(f"population {pop.label!r}: {type(pop.neuron).__name__} {name} = {value:.3g} "
                                     f"is {_beyond(ftype)}: use a smaller value" + _try64(ftype))
    # per connection, from its description (a static network keeps no plain weights per edge, only
    # weight x gain in the state's type): every weight x its synapse's gain must be finite in that type
    for conn in net.connections:
        gain = float(conn.synapse.derived(m.dt)["gain"])
        w = conn.spec.values()
        with np.errstate(over="ignore"):
            weff = w * gain
        if weff.size and not np.all(np.abs(weff) <= big):
            k = int(np.argmax(~(np.abs(weff) <= big)))
            raise NonFiniteError(
                f"connection {conn.label!r}: weight {w[k]:.3g} times its synapse's gain {gain:.3g} "
                f"(the jump of the synaptic current per spike) is {_beyond(ftype)}: use smaller weights"
                + _try64(ftype))
    # an activity modulator adds weight x (1 - a) / dt per spike (its unit-area filter)
    for mod in net.signals:
        if getattr(mod, "kind", None) == "activity" and mod.tau is not None:
            scale = -math.expm1(-m.dt / mod.tau) / m.dt
            with np.errstate(over="ignore"):
                jump = np.abs(mod.weights) * scale
            if jump.size and not np.all(jump <= big):
                k = int(np.argmax(~(jump <= big)))
                raise NonFiniteError(
                    f"modulator {mod.label!r}: weight {mod.weights[k]:.3g} times its filter's (1 - a) / dt = "
                    f"{scale:.3g} (the jump of the modulator per spike) is {_beyond(ftype)}: use smaller weights")


#: largest array checked with a dot product (OpenBLAS computes a dot product over up to 10,000 elements on one thread)
DOT_MAX = 8192


def check_state(sim, t_start):
    """After a chunk: raise NonFiniteError if any value the loop writes is NaN or inf (the run went from t_start).

    Checked: every array the generated loop writes (`_state_arrays`): modulator values and the modulated
    gain, bias and threshold; each neuron's drive (bias, inputs, decoded inputs), noise state and noise
    current; presynaptic model state; every neuron state variable and synaptic state, and the summed
    synaptic current; learning-rule traces, eligibility traces and plastic weights; PES activities,
    decoded values, errors and decoders. Cheap: one dot product per array with a constant vector of
    2**-600 (2**-100 in float32): the scaled sum is finite exactly when every element is (NaN and inf
    propagate; the scaling leaves no room for overflow), about two microseconds per array and no warning;
    arrays over DOT_MAX elements use min and max instead. Not a dot product for large arrays: OpenBLAS runs
    a dot product over more than 10,000 elements on several threads, which then busy-wait for the next BLAS
    call well into the following chunk (measured: CUBA with STDP checked its 320,000 weights after each
    chunk, and a BLAS thread spun on the other core for most of the loop, about 20 % of the process's CPU
    time)."""
    st = sim._state
    cached = getattr(sim, "_finite_arrays", None)
    if cached is None or cached[0] is not st:         # the state's arrays are new after each reset()
        arrays = tuple(a for _, a, _ in _state_arrays(sim))
        sim._finite_arrays = cached = (st, tuple((a, _tiny_ones(a)) for a in arrays))
    isfinite, dot = math.isfinite, np.dot
    for arr, ones in cached[1]:
        if not (isfinite(dot(arr, ones)) if ones is not None else isfinite(arr.min()) and isfinite(arr.max())):
            raise NonFiniteError(_report(sim, t_start))


def _tiny_ones(arr):
    """The constant vector for check_state's dot product, or None for a large array (checked by min/max)."""
    if arr.size > DOT_MAX:
        return None
    return np.full(arr.size, 2.0 ** (-100 if arr.dtype == np.float32 else -600), dtype=arr.dtype)


def _state_arrays(sim):
    """(name, array, index space) of every float array the loop writes, upstream first (what feeds a value
    comes before it, so the first non-finite one found is the likeliest origin). Index spaces: "modulator",
    "neuron", "slot", "presyn:<kind>", "trace:<kind>:<side>", "edge", "pes" and "signal"."""
    st, m = sim._state, sim.model
    out = []
    if sim._modl.present:
        out += [("value", sim._mods.vals, "modulator")]
    if sim._signals.present:                # decoded values feed decoded inputs (the drive) and errors
        sig = sim._sig
        out += [("PES presynaptic activity", sig.act, "pes"), ("decoders (learnt by PES)", sig.D, "signal"),
                ("value", sig.vals, "signal")]
    if sim._modl.present:
        mods = sim._mods
        out += [(f"modulated {name}", arr, "neuron") for name, arr in
                (("gain", mods.gain), ("bias", mods.bias), ("threshold", mods.thr))]
    out += [("drive (bias, inputs and decoded inputs)", st.drive, "neuron")]
    if any(pop.noise is not None for pop in m.populations):
        out += [(f"noise state {k}", a, "neuron") for k, a in enumerate(st.nz)] + [("noise current", st.jn, "neuron")]
    for k, P in enumerate(sim._pres):
        cls = sim._layout.pre_kinds[k]
        out += [(f"presynaptic {cls.__name__} state {name}", a, f"presyn:{k}") for name, a in zip(cls.state, P.st)]
        out += [(f"presynaptic {cls.__name__} release scale", P.scale, f"presyn:{k}")]
    # learning before the neurons: a NaN voltage makes no spike, so it never reaches traces or weights,
    # while a non-finite trace or weight reaches the neurons within a step
    for k, L in enumerate(sim._rules):
        cls = sim._layout.rule_kinds[k]
        for side, names, arrays in (("pre", cls.pre_state, L.pre_tr), ("post", cls.post_state, L.post_tr)):
            out += [(f"{cls.__name__} {side}synaptic trace {n}", a, f"trace:{k}:{side}") for n, a in zip(names, arrays)]
        out += [(f"{cls.__name__} " + ("eligibility trace" if n == "c" else "synapse state") + f" {n}", a, "edge")
                for n, a in zip(cls.syn_state, L.syn)]
    if m.plastic:
        # the kernel writes only the weights (st.weff is read for the fixed edges alone; a plastic edge
        # delivers weight x gain computed on the spot, which reaches the synaptic state if it overflows)
        out += [("plastic weights", st.w, "edge")]
    out += [(_synapse_state_name(sim, k), a, "slot") for k, a in enumerate(st.ss)]
    out += [("summed synaptic current", st.jsyn, "neuron")]
    out += [(_neuron_state_name(sim, k), a, "neuron") for k, a in enumerate(st.ns)]
    return [(what, a, where) for what, a, where in out
            if a.size and a.dtype.kind == "f" and not (where == "neuron" and a.size < m.n_neurons)]


def _report(sim, t_start):
    """The NonFiniteError message: the first non-finite array (upstream first), and the others that followed."""
    bad = [(what, arr, where) for what, arr, where in _state_arrays(sim) if not np.all(np.isfinite(arr))]
    what, arr, where = bad[0]
    msg = _message(sim, what, arr, where, t_start)
    if len(bad) > 1:
        others = []
        for w, a, where in bad[1:]:
            i = int(np.flatnonzero(~np.isfinite(a))[0])
            owner = _owner(sim, w, a, int(_indices(sim, where, np.array([i]))[0]))
            others.append(f"{owner} {w} ({'NaN' if np.isnan(a[i]) else 'inf'})")
        msg += " Also non-finite by then (downstream of it, most likely): " + "; ".join(others) + "."
    return msg


def _neuron_state_name(sim, k):
    names = {pop.neuron.state[k] for pop in sim.model.populations if k < len(pop.neuron.state)}
    if k == 0:
        return "voltage v"
    return " / ".join(sorted(names)) or f"neuron state {k}"


def _synapse_state_name(sim, k):
    names = {r.synapse.state[k] for rs in sim.model.receptors for r in rs if k < len(r.synapse.state)}
    return "synaptic " + (" / ".join(sorted(names)) or f"state {k}")


def _indices(sim, where, at):
    """The neuron or slot indices of positions `at` in an array over neurons or slots (`snnlib.sim.positions`;
    positions in a gap, which the loop never writes, dropped); other index spaces unchanged."""
    if where == "neuron":
        idx = sim.model.positions.neuron_of(at)
    elif where == "slot":
        idx = sim.model.positions.slot_of(at)
    else:
        return at
    return idx[idx >= 0]


def _owner(sim, what, arr, index):
    """Who owns element `index` of a state array: 'population ...', 'connection ...', 'modulator ...', ...
    (`index` a neuron or slot index, not a position, for an array over neurons or slots: `_indices`)."""
    where = next(w for n, a, w in _state_arrays(sim) if a is arr)
    m = sim.model
    if where in ("neuron", "slot"):
        return f"population {m.populations[_population_of(m, index, where)].label!r}:"
    if where == "modulator":
        return f"modulator {sim._modl.modulators[index].label!r}:"
    if where == "signal":
        return f"{_signal_names(sim, index, arr)}:"
    if where == "pes":
        sig = sim._sig
        k = int(np.searchsorted(sig.pes_aoff, index, side="right") - 1)
        return f"decoded value {sim._signals.pes[k].decoded.label!r}:"
    return f"connection {_connection_of(sim, where, index).label!r}:"


def _connection_of(sim, where, index):
    """The connection owning `index` of an edge array, a rule's trace block or a presynaptic model's state."""
    m, conns = sim.model, sim.network.connections
    if where == "edge":
        return conns[int(m.edge_conn[index])]
    kind, k, *side = where.split(":")
    k = int(k)
    if kind == "presyn":
        inst = [q for q in m.presyn if type(q["model"]) is sim._layout.pre_kinds[k]]
        off, size = sim._pres[k].off, [q["pre_n"] for q in inst]
    else:                                   # a trace block may be shared by rows: the first row owning it
        inst = [r for r in m.rules if type(r["rule"]) is sim._layout.rule_kinds[k]]
        off = sim._rules[k].pre_off if side[0] == "pre" else sim._rules[k].post_off
        size = [r[f"{side[0]}_n"] for r in inst]
    row = next((r for r, (o, n) in enumerate(zip(off, size)) if o <= index < o + n), 0)
    return conns[inst[row]["conn"]]


def _message(sim, what, arr, where, t_start):
    m = sim.model
    bad = np.flatnonzero(~np.isfinite(arr))
    kind = "NaN" if np.isnan(arr[bad[0]]) else "inf"
    bad = _indices(sim, where, bad)
    when = (f"between t = {t_start:.6g} s and t = {sim.t:.6g} s (checked once per chunk of "
            f"{sim.chunk_steps} steps; a smaller Simulator(chunk_steps=...) narrows it)")
    owner = _owner(sim, what, arr, int(bad[0]))[:-1]
    if where in ("neuron", "slot"):
        p = _population_of(m, int(bad[0]), where)
        pop = m.populations[p]
        a = m.pop_offsets[p]
        n_bad = int(np.count_nonzero((bad >= a) & (bad < a + pop.n))) if where == "neuron" else len(bad)
        head = (f"{owner}: its {what} became {kind}"
                + (f" in {n_bad} of {pop.n} neurons" if where == "neuron" else ""))
        cause = _likely_cause(sim, p, what)
    elif where == "modulator":
        head = f"{owner}: its {what} became {kind}"
        cause = _modulator_cause(sim, sim._modl.modulators[int(bad[0])])
    elif where == "edge" or where.startswith(("trace", "presyn")):
        conn = _connection_of(sim, where, int(bad[0]))
        head = f"{owner}: its {what} became {kind}"
        cause = _connection_cause(sim, conn, where)
    else:
        head = f"{owner}: its {what} became {kind}"
        cause = "a learning rate too large for dt, or an error that grows without bound"
    return (f"{head} {when}. Likely cause: {cause}. The results of this run are not valid; "
            "sim.reset() or a new Simulator starts again.")


def _modulator_cause(sim, mod):
    if mod.kind == "activity":
        w = _largest(mod.weights)
        return (f"its weights (up to {w:.3g}) times the spike filter's (1 - a) / dt overflow: spikes of "
                f"{mod.source.label!r} add weight x (1 - a) / dt each; use weights of a sensible size")
    return ("its function's values, filtered in the loop, overflowed: the function returned values near the "
            "float limit; return values of a sensible size")


def _connection_cause(sim, conn, where):
    """Likely cause of non-finite traces, eligibility or weights of a plastic (or presynaptic) connection."""
    if where.startswith("presyn"):
        model = conn.presynaptic
        return (f"its presynaptic model {type(model).__name__}'s parameters "
                + ", ".join(f"{k} = {v:.3g}" for k, v in zip(model.params, model.param_values()))
                + " make its state diverge")
    rule = conn.plasticity
    if rule is None:
        return (f"connection {conn.label!r} has no learning rule, so the loop never writes its weights: they "
                "were changed from outside the simulation")
    values = dict(zip(rule.params, rule.param_values()))
    name, big = max(values.items(), key=lambda kv: abs(kv[1]))
    parts = [f"the learning rule's largest parameter is {name} = {big:.3g}"]
    mod = getattr(rule, "modulator", None)
    if mod is not None:
        parts.append(f"it is scaled by modulator {mod.label!r}")
    limit = np.sqrt(float(np.finfo(sim._layout.ftype).max))
    if abs(big) > limit:
        return "; ".join(parts) + ", close to the float limit: sums of such values overflow. Use values of a sensible size"
    return "; ".join(parts) + ": the learning rule's parameters let the weights or traces grow without bound"


def _signal_names(sim, index, arr):
    """The decoded value (or error) owning flat index `index` of the values or of the decoders array."""
    sl, sig = sim._signals, sim._sig
    if arr is sig.D:
        k = int(np.searchsorted(sig.dec_doff, index, side="right") - 1)
        return f"decoded value {sl.decoded[k].label!r}"
    owners = [(int(o), s) for s, o in zip(sl.decoded, sl.xoff)] + [(int(o), s) for s, o in zip(sl.errors, sl.eoff)]
    owner = max((c for c in owners if c[0] <= index), key=lambda c: c[0], default=(0, None))[1]
    kind = "error" if any(owner is e for e in sl.errors) else "decoded value"
    return f"{kind} {getattr(owner, 'label', '?')!r}"


def _population_of(m, index, where):
    if where == "neuron":
        return int(np.searchsorted(np.asarray(m.pop_offsets), index, side="right") - 1)
    for p, receptors in enumerate(m.receptors):      # slot -> the population whose receptor holds it
        for r in receptors:
            if r.slot_offset <= index < r.slot_offset + m.populations[p].n:
                return p
    return 0


def _likely_cause(sim, p, what=""):
    """The largest value feeding population p, if it is large enough to overflow; else, for its drive or noise
    (`what`), the inputs or the noise model; else divergence."""
    m, ftype = sim.model, sim._layout.ftype
    pop, a = m.populations[p], m.pop_offsets[p]
    candidates = [(f"its bias plus constant inputs ({_largest(m.bias[a:a + pop.n]):.3g})",
                   _largest(m.bias[a:a + pop.n]))]
    candidates += [(f"its {name} = {value:.3g}", abs(value))
                   for name, value in zip(pop.neuron.params, pop.neuron.param_values())]
    for conn in sim.network.connections:        # from the descriptions: a static network keeps no plain weights
        w = conn.spec.values()
        if conn.post is pop and w.size:
            k = int(np.argmax(np.abs(w)))
            jump = abs(w[k] * float(conn.synapse.derived(m.dt)["gain"]))
            candidates.append((f"incoming weights up to {w[k]:.3g} (connection {conn.label!r}; a jump of "
                               f"{jump:.3g} per spike)", jump))
    for idx, _signal, gain in m.time_inputs:
        if idx[0] == a:
            candidates.append((f"an input gain of {_largest(gain):.3g}", _largest(gain)))
    for link in sim._modl.links:                # the modulator's value is unknown here: its scale stands for it
        if link.pop is pop:
            candidates.append((f"modulator {link.modulator.label!r} acting on its {link.parameter} with scale up "
                               f"to {_largest(link.scale):.3g}", _largest(link.scale)))
    for q in sim._signals.inputs:
        if q.post is pop:
            candidates.append((f"decoded input from {q.decoded.label!r} with encoders up to "
                               f"{_largest(q.encoders):.3g}", _largest(q.encoders)))
    if pop.noise is not None:
        candidates += [(f"its noise model {type(pop.noise).__name__} {name} = {value:.3g}", abs(value))
                       for name, value in zip(pop.noise.params, pop.noise.param_values())]
    name, size = max(candidates, key=lambda c: c[1])
    if size > np.sqrt(float(np.finfo(ftype).max)):
        return (f"{name}, close to the largest {np.dtype(ftype).name} number ({np.finfo(ftype).max:.2g}): sums "
                "of such values overflow to inf, and inf - inf is NaN. Use values of a sensible size")
    if what.startswith("drive"):
        n_in = sum(1 for idx, _, _ in m.time_inputs if a <= idx[0] < a + pop.n)
        return (f"the values of its {n_in} input(s) (functions of time x gain, net.input) added up beyond the "
                f"largest {np.dtype(ftype).name} number ({np.finfo(ftype).max:.2g}): return values of a "
                "sensible size")
    return ("the dynamics diverged (no parameter is near the float limit): a runaway input or excitatory "
            "feedback, or parameters that make the equations unstable; probe 'voltage' and 'current' to see "
            "where it starts")


def _largest(arr):
    arr = np.abs(np.asarray(arr, dtype=float))
    return float(np.max(arr)) if arr.size else 0.0


def _beyond(ftype):
    return f"beyond the range of {np.dtype(ftype).name} (largest {np.finfo(ftype).max:.2g})"


def _try64(ftype):
    return "; or use Simulator(precision='float64')" if np.dtype(ftype) == np.float32 else ""
