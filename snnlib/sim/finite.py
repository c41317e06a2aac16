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


#: largest array checked with a dot product (OpenBLAS computes a dot product over up to 10,000 elements on one thread)
DOT_MAX = 8192


def check_state(sim, t_start):
    """After a chunk: raise NonFiniteError if any state value is NaN or inf (the run went from t_start).

    Checked: every neuron state variable and synaptic state (currents, drive and noise are computed from
    them, so a NaN there shows here within a step), plastic weights, decoded values and decoders. Cheap:
    one dot product per array with a constant vector of 2**-600 (2**-100 in float32): the scaled sum is
    finite exactly when every element is (NaN and inf propagate; the scaling leaves no room for overflow),
    about two microseconds per array and no warning; arrays over DOT_MAX elements use min and max instead.
    Not a dot product for large arrays: OpenBLAS runs a dot product over more than 10,000 elements on several
    threads, which then busy-wait for the next BLAS call well into the following chunk (measured: CUBA with
    STDP checked its 320,000 weights after each chunk, and a BLAS thread spun on the other core for most of
    the loop, about 20 % of the process's CPU time)."""
    st = sim._state
    cached = getattr(sim, "_finite_arrays", None)
    if cached is None or cached[0] is not st:         # the state's arrays are new after each reset()
        arrays = tuple(a for a in st.ns + st.ss if a.size)
        if sim.model.rules:
            arrays += (st.w,)
        if sim._signals.present:
            arrays += tuple(a for a in (sim._sig.vals, sim._sig.D) if a.size)
        sim._finite_arrays = cached = (st, tuple((a, _tiny_ones(a)) for a in arrays))
    isfinite, dot = math.isfinite, np.dot
    for arr, ones in cached[1]:
        if not (isfinite(dot(arr, ones)) if ones is not None else isfinite(arr.min()) and isfinite(arr.max())):
            what, _, where = next(x for x in _state_arrays(sim) if x[1] is arr)
            raise NonFiniteError(_message(sim, what, arr, where, t_start))


def _tiny_ones(arr):
    """The constant vector for check_state's dot product, or None for a large array (checked by min/max)."""
    if arr.size > DOT_MAX:
        return None
    return np.full(arr.size, 2.0 ** (-100 if arr.dtype == np.float32 else -600), dtype=arr.dtype)


def _state_arrays(sim):
    """(name, array, index space) of every float array check_state looks at ("neuron", "slot", "edge" or
    "signal"); made only to word an error."""
    st = sim._state
    out = [(_neuron_state_name(sim, k), a, "neuron") for k, a in enumerate(st.ns)]
    out += [(_synapse_state_name(sim, k), a, "slot") for k, a in enumerate(st.ss)]
    out += [("plastic weights", st.w, "edge")]
    sig = sim._sig
    out += [("value", sig.vals, "signal"), ("decoders (learnt by PES)", sig.D, "signal")]
    return out


def _neuron_state_name(sim, k):
    names = {pop.neuron.state[k] for pop in sim.model.populations if k < len(pop.neuron.state)}
    if k == 0:
        return "voltage v"
    return " / ".join(sorted(names)) or f"neuron state {k}"


def _synapse_state_name(sim, k):
    names = {r.synapse.state[k] for rs in sim.model.receptors for r in rs if k < len(r.synapse.state)}
    return "synaptic " + (" / ".join(sorted(names)) or f"state {k}")


def _message(sim, what, arr, where, t_start):
    m = sim.model
    bad = np.flatnonzero(~np.isfinite(arr))
    kind = "NaN" if np.isnan(arr[bad[0]]) else "inf"
    when = (f"between t = {t_start:.6g} s and t = {sim.t:.6g} s (checked once per chunk of "
            f"{sim.chunk_steps} steps; a smaller Simulator(chunk_steps=...) narrows it)")
    if where in ("neuron", "slot"):
        p = _population_of(m, int(bad[0]), where)
        pop = m.populations[p]
        a = m.pop_offsets[p]
        n_bad = int(np.count_nonzero((bad >= a) & (bad < a + pop.n))) if where == "neuron" else len(bad)
        head = (f"population {pop.label!r}: its {what} became {kind}"
                + (f" in {n_bad} of {pop.n} neurons" if where == "neuron" else ""))
        cause = _likely_cause(sim, p)
    elif where == "edge":
        conn = sim.network.connections[int(m.edge_conn[bad[0]])]
        head = f"connection {conn.label!r}: its plastic weights became {kind}"
        cause = "the learning rule's parameters let the weights grow without bound"
    else:
        head = f"{_signal_names(sim, bad[0], arr)}: its {what} became {kind}"
        cause = "a learning rate too large for dt, or an error that grows without bound"
    return (f"{head} {when}. Likely cause: {cause}. The results of this run are not valid; "
            "sim.reset() or a new Simulator starts again.")


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


def _likely_cause(sim, p):
    """The largest value feeding population p, if it is large enough to overflow; else divergence."""
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
    name, size = max(candidates, key=lambda c: c[1])
    if size > np.sqrt(float(np.finfo(ftype).max)):
        return (f"{name}, close to the largest {np.dtype(ftype).name} number ({np.finfo(ftype).max:.2g}): sums "
                "of such values overflow to inf, and inf - inf is NaN. Use values of a sensible size")
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
