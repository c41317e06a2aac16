"""The fast kernel: the same model as `kernels.run_steps`, restructured so that LLVM vectorises it.

Used by the Simulator for every network without plasticity (STDP networks run the generic kernel).
It computes bit-identical results to `kernels.run_steps` (tests/test_fast_kernel.py checks spikes,
voltages, currents and counts), with and without the JIT. What makes it fast, measured on CUBA
(4000 LIF neurons, 1 s at 0.1 ms; numbers in benchmarks/README.md):

1. A branch-free neuron pass. The generic kernel calls `lif_step` per neuron, with two `expm1`/`log1p`
   calls and branches. Here the decay factor 1 - exp(-dt/tau_rc) is precomputed per population and
   the common case (not refractory) is a multiply-add with a select, which LLVM turns into SIMD code.
   `v - (v_inf - v) * expm1(x)` and `v + (v_inf - v) * (-expm1(x))` are the same IEEE operations,
   so the result is bit-identical.
2. The rare cases leave the vectorised loop through a per-neuron flag byte: bit 0 "crossed the
   threshold", bit 1 "refractory period ends inside this step" (needs the exact partial-step
   integration, done by `kernels.lif_step` itself). Flags are scanned eight at a time as one 64-bit
   word, so a step with no spikes costs N/8 word tests; no reduction (spike counter) sits inside the
   vectorised loop.
3. Synaptic currents are summed per (population, synapse) group over contiguous slices instead of
   the generic per-neuron indirection, and decayed in the same pass; LIF parameters are scalars per
   population; each spike's weight times the synapse gain is precomputed per edge (the same product
   the generic kernel forms each time).
4. Choices that would be loop-invariant branches (LLVM does not hoist them; measured: vectorisation is
   lost and the loop runs 2x slower) are made on argument types instead (`_jit.specialise`): a
   population whose bias is one number and which gets no time-varying input reads that number instead
   of a drive array (one memory stream fewer), and float64 state is compiled without the denormal
   flush that float32 needs. Together about 10 % off the float64 CUBA loop.

Optional float32 state (`prepare(model, "float32")`, `Simulator(precision="float32")`): the same
code specialised by numba for float32 arrays (twice the SIMD width); the rare exact path stays in
float64, and currents below float32's smallest normal number are flushed to zero. Not bit-identical
to float64 (its accuracy is tested), but identical with and without the JIT.

Step order (the generic kernel's): drive J from the currents at the step's start, LIF update,
currents decay, spikes (neurons in index order, then sources) add to the currents, dense probes
record. Reading a current and decaying it happen in one pass here, which changes no value.
"""

import math

import numpy as np

from snnlib.sim.jit import njit, specialise
from snnlib.sim.generic_kernel import count_and_record, lif_step

# flag bits set by the vectorised pass: 1 = v went above v_th, 2 = the refractory period ends inside this step
PARTIAL = 2


def supports(model):
    """True when the fast kernel can run `model` (a builder.Built): any network without plasticity."""
    return model.stdp_params.shape[0] == 0


def _population_layout(model):
    """(offset, size) of every population in the neuron index space, in index order."""
    offs = sorted(model.pop_offset.values())
    ends = offs[1:] + [model.n_neurons]
    return [(off, end - off) for off, end in zip(offs, ends)]


PRECISIONS = {"float64": np.float64, "float32": np.float32}


def prepare(model, precision="float64"):
    """Arrays the fast kernel needs beyond the built model (computed once per Simulator).

    `precision` ("float64" or "float32") is the float type of the state (v, ref, currents) and of the
    parameters the vectorised pass uses; the result's "dtype" entry tells the Simulator which.

    Populations: offset, size and their LIF parameters as one row of scalars each (the builder stores
    them per neuron, but they are the same within a population). Groups: one per (population,
    synapse) current, listed per population (pop_gptr/pop_glist) in the builder's slot order, which
    is the order the generic kernel adds a neuron's currents in.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be 'float64' or 'float32', got {precision!r}")
    layout = _population_layout(model)
    pop_off = np.array([off for off, _ in layout], dtype=np.int64)
    pop_n = np.array([n for _, n in layout], dtype=np.int64)
    params = np.zeros((len(layout), 6))
    for p, (off, n) in enumerate(layout):
        row = [model.tau_rc[off], model.tau_ref[off], model.v_th[off], model.v_reset[off], model.v_rest[off]]
        for arr, value in zip((model.tau_rc, model.tau_ref, model.v_th, model.v_reset, model.v_rest), row):
            if n and not np.all(arr[off:off + n] == value):      # the builder could one day vary them
                raise ValueError("the fast kernel needs one set of LIF parameters per population")
        params[p] = row + [-math.expm1(-model.dt / row[0])]     # 1 - exp(-dt/tau_rc), as lif_step computes it
    groups = sorted(model.slot_offset.items(), key=lambda kv: kv[1])
    grp_neuron_off = np.array([model.pop_offset[pid] for (pid, _), _ in groups], dtype=np.int64)
    grp_slot_off = np.array([off for _, off in groups], dtype=np.int64)
    grp_decay = model.slot_decay[grp_slot_off] if len(groups) else np.zeros(0)
    pop_groups = [[g for g, off in enumerate(grp_neuron_off.tolist()) if off == p_off] for p_off in pop_off.tolist()]
    ftype = PRECISIONS[precision]
    # flush float32 denormals only; None (a type, not a value, for the compiled code) leaves float64 unflushed
    tiny = ftype(np.finfo(ftype).tiny) if ftype is np.float32 else None
    uniform = [bool(n == 0 or np.all(model.bias[off:off + n] == model.bias[off])) for off, n in layout]
    return {
        "dtype": ftype, "zero": ftype(0.0), "tiny": tiny, "dt": ftype(model.dt),
        "pop_uniform": np.array(uniform, dtype=np.bool_),
        "bias": model.bias.astype(ftype), "pop_params": params.astype(ftype),
        "pop_off": pop_off, "pop_n": pop_n,
        "pop_gptr": np.cumsum([0] + [len(gs) for gs in pop_groups]).astype(np.int64),
        "pop_glist": np.array([g for gs in pop_groups for g in gs], dtype=np.int64),
        "grp_slot_off": grp_slot_off, "grp_decay": grp_decay.astype(ftype),
        "edge_weff": (model.edge_w * model.slot_gain[model.edge_slot]).astype(ftype),
        "flags": np.zeros(8 * ((model.n_neurons + 7) // 8), dtype=np.uint8),
        "drive": model.bias.astype(ftype),
    }


@njit
def run_steps_fast(step0, n_steps, v, ref, jsyn, flags, drive, bias, pop_off, pop_n, pop_uniform, pop_params,
                   pop_gptr, pop_glist, dt, I, grp_slot_off, grp_decay, ext_idx, ext_vals, src_spk,
                   pre_ptr, edge_slot, edge_weff, spike_count, counters, record_flag, ev_step, ev_idx,
                   pr_kind, pr_every, pr_idx_ptr, pr_idx, pr_out_off, pr_rows, pr_out, zero, tiny):
    """Run `n_steps` steps from global step `step0`; returns the number of steps done.

    Same contract as `kernels.run_steps` for networks without plasticity: v, ref, I, jsyn, spike_count,
    counters[0] (stored spike events), the event buffers and the probe outputs are updated in place; the run
    stops early when the spike-event buffer may not hold another step.
    `flags` (N rounded up to a multiple of 8 bytes) is scratch space; `drive` holds bias plus inputs
    (just the bias when there are no time-varying inputs). J (the total drive) is not stored, to save
    a memory stream in the vectorised pass: where it is needed it is recomputed as drive + jsyn, the
    same sum the pass made. `zero` is 0 in the state's float type (float64 or float32: a float literal
    would promote float32 arithmetic to float64 under numba but not under numpy); synaptic currents
    whose magnitude falls below `tiny` are set to zero (float32: the smallest normal number, so freely
    decaying currents never become slow denormals; float64: None, no flushing, bit-identical results).
    `pop_uniform[p]`: population p's bias is one number, so when no time-varying input runs the pass
    reads that number instead of streaming `drive` (one memory stream fewer; same values).
    """
    N = v.shape[0]
    M = src_spk.shape[1]
    cap = ev_step.shape[0]
    words = flags.view(np.uint64)
    n_ext = ext_idx.shape[0]
    for s in range(n_steps):
        if counters[0] + N + M > cap:
            return s
        step = step0 + s
        if n_ext > 0:
            for i in range(N):
                drive[i] = bias[i]
            for q in range(n_ext):
                drive[ext_idx[q]] += ext_vals[s, q]
        # 1-2. per population: synaptic current (and its decay over the step), then the vectorised LIF
        # pass, specialised (by argument type) for a drive that is one number or one per neuron.
        for p in range(pop_n.shape[0]):
            a, n = pop_off[p], pop_n[p]
            if n_ext == 0 and pop_uniform[p]:
                _population_pass(p, a, n, drive[a], v, ref, jsyn, flags, I, pop_params, pop_gptr, pop_glist,
                                 grp_slot_off, grp_decay, dt, zero, tiny)
            else:
                _population_pass(p, a, n, drive[a:a + n], v, ref, jsyn, flags, I, pop_params, pop_gptr, pop_glist,
                                 grp_slot_off, grp_decay, dt, zero, tiny)
        # 3. flagged neurons, a word at a time: finish their update; spikes reach their synapses
        p = 0
        for w in range(words.shape[0]):
            if words[w] == 0:
                continue
            for i in range(8 * w, min(8 * w + 8, N)):
                f = flags[i]
                if f == 0:
                    continue
                while i >= pop_off[p] + pop_n[p]:       # the population of neuron i (indices ascend)
                    p += 1
                # the rare exact path runs in float64 whatever the state's precision (np.float64() is exact;
                # numba's float() would keep float32 and pick float32 libm functions, unlike plain Python)
                tau_rc, tau_ref, v_th, v_reset, v_rest = (np.float64(pop_params[p, 0]), np.float64(pop_params[p, 1]),
                                                          np.float64(pop_params[p, 2]), np.float64(pop_params[p, 3]),
                                                          np.float64(pop_params[p, 4]))
                Ji = np.float64(drive[i] + jsyn[i])
                if f & PARTIAL:
                    vi, ri, fired = lif_step(np.float64(v[i]), np.float64(ref[i]), Ji, np.float64(dt), tau_rc,
                                             tau_ref, v_th, v_reset, v_rest)
                    v[i] = vi
                    ref[i] = ri
                else:
                    ref[i] = _refractory_after_crossing(np.float64(v[i]), v_rest + Ji, np.float64(dt), tau_rc,
                                                        tau_ref, v_th)
                    v[i] = v_reset
                    fired = True
                if fired:
                    _deliver(i, step, spike_count, counters, record_flag, ev_step, ev_idx, pre_ptr, edge_slot,
                             edge_weff, I)
        for j in range(M):
            if src_spk[s, j] != 0:
                _deliver(N + j, step, spike_count, counters, record_flag, ev_step, ev_idx, pre_ptr, edge_slot,
                         edge_weff, I)
        # 4. dense probes (voltage, synaptic current, drive) every pr_every steps
        for q in range(pr_kind.shape[0]):
            if (step + 1) % pr_every[q] != 0:
                continue
            n_idx = pr_idx_ptr[q + 1] - pr_idx_ptr[q]
            base = pr_out_off[q] + pr_rows[q] * n_idx
            kind = pr_kind[q]
            for c in range(n_idx):
                i = pr_idx[pr_idx_ptr[q] + c]
                pr_out[base + c] = v[i] if kind == 0 else (jsyn[i] if kind == 1 else drive[i] + jsyn[i])
            pr_rows[q] += 1
    return n_steps


@njit(inline="always")
def _population_pass(p, a, n, drv, v, ref, jsyn, flags, I, pop_params, pop_gptr, pop_glist, grp_slot_off, grp_decay,
                     dt, zero, tiny):
    """Steps 1-2 for population p (neurons a..a+n): its currents, their decay, the LIF pass. `drv` is the
    population's drive: one number (uniform bias, no inputs) or its slice of the drive array. One or two
    currents (the common shapes, e.g. CUBA's ge and gi) are fused into the pass."""
    b = a + n
    v_th, v_rest, a_rc = pop_params[p, 2], pop_params[p, 4], pop_params[p, 5]
    g0, ng = pop_gptr[p], pop_gptr[p + 1] - pop_gptr[p]
    if ng == 2:
        s0, s1 = grp_slot_off[pop_glist[g0]], grp_slot_off[pop_glist[g0 + 1]]
        _lif_pass2(v[a:b], ref[a:b], jsyn[a:b], drv, flags[a:b], I[s0:s0 + n], grp_decay[pop_glist[g0]],
                   I[s1:s1 + n], grp_decay[pop_glist[g0 + 1]], v_th, v_rest, a_rc, dt, zero, tiny)
    elif ng == 1:
        s0 = grp_slot_off[pop_glist[g0]]
        _lif_pass1(v[a:b], ref[a:b], jsyn[a:b], drv, flags[a:b], I[s0:s0 + n], grp_decay[pop_glist[g0]],
                   v_th, v_rest, a_rc, dt, zero, tiny)
    else:                       # none (jsyn stays 0) or three and more: sum them first
        for k in range(ng):
            s0 = grp_slot_off[pop_glist[g0 + k]]
            _sum_and_decay(jsyn[a:b], I[s0:s0 + n], grp_decay[pop_glist[g0 + k]], k == 0, zero, tiny)
        _lif_pass(v[a:b], ref[a:b], jsyn[a:b], drv, flags[a:b], v_th, v_rest, a_rc, dt, zero)


@njit(inline="always")
def _sum_and_decay(jsyn, I, decay, first, zero, tiny):
    """jsyn (+)= I for one group of currents (`first`: the population's first group sets the sum), then
    I *= decay. Slices of one population, so every loop here is contiguous and vectorised."""
    if first:
        for k in range(I.shape[0]):
            x = I[k]
            jsyn[k] = zero + x              # the generic kernel's sum starts at 0.0
            I[k] = _flush(x * decay, zero, tiny)
    else:
        for k in range(I.shape[0]):
            x = I[k]
            jsyn[k] += x
            I[k] = _flush(x * decay, zero, tiny)


@njit(inline="always")
def _lif_update(i, Ji, v, ref, flags, v_th, v_rest, a_rc, dt, zero):
    """Branch-free LIF update of neuron i (of a population slice) with drive Ji; sets its flag.

    For a neuron out of its refractory period this is lif_step's update with the precomputed factor
    a_rc = 1 - exp(-dt/tau_rc); fully refractory neurons keep v; `ref` counts down. Flag bit 0: v is
    above threshold; bit 1: the refractory period ends inside this step (ref left as it was, v too, for
    lif_step to integrate the step's active part exactly).
    """
    r = ref[i]
    vi = v[i]
    vn = vi + (v_rest + Ji - vi) * (a_rc if r <= 0.0 else zero)
    partial = (r > 0.0) & (r < dt)
    v[i] = vn
    rn = r - dt
    ref[i] = r if partial else (rn if rn > 0.0 else zero)
    flags[i] = np.uint8((vn > v_th) + 2 * partial)


@njit(inline="always")
def _lif_pass(v, ref, jsyn, drive, flags, v_th, v_rest, a_rc, dt, zero):
    """LIF pass over one population whose synaptic current is already summed in jsyn."""
    for i in range(v.shape[0]):
        _lif_update(i, _at(drive, i) + jsyn[i], v, ref, flags, v_th, v_rest, a_rc, dt, zero)


@njit(inline="always")
def _lif_pass1(v, ref, jsyn, drive, flags, I0, d0, v_th, v_rest, a_rc, dt, zero, tiny):
    """LIF pass over one population with one synaptic current I0, which decays by d0 in the same pass."""
    for i in range(v.shape[0]):
        x0 = I0[i]
        I0[i] = _flush(x0 * d0, zero, tiny)
        syn = zero + x0                     # the generic kernel's sum starts at 0.0
        jsyn[i] = syn
        _lif_update(i, _at(drive, i) + syn, v, ref, flags, v_th, v_rest, a_rc, dt, zero)


@njit(inline="always")
def _lif_pass2(v, ref, jsyn, drive, flags, I0, d0, I1, d1, v_th, v_rest, a_rc, dt, zero, tiny):
    """LIF pass over one population with two synaptic currents (added in this order), decayed here too."""
    for i in range(v.shape[0]):
        x0, x1 = I0[i], I1[i]
        I0[i] = _flush(x0 * d0, zero, tiny)
        I1[i] = _flush(x1 * d1, zero, tiny)
        syn = zero + x0 + x1
        jsyn[i] = syn
        _lif_update(i, _at(drive, i) + syn, v, ref, flags, v_th, v_rest, a_rc, dt, zero)


def _flush(x, zero, tiny):
    """x, or zero when |x| < tiny (denormal avoidance; a select, so the loop stays vectorised); x itself when
    tiny is None (float64: compiled without the test, which made the float64 loop about 10 % slower)."""
    return x if tiny is None or abs(x) >= tiny else zero


def _choose_flush(x, zero, tiny):
    from numba import types

    if isinstance(tiny, types.NoneType):
        return lambda x, zero, tiny: x
    return lambda x, zero, tiny: x if abs(x) >= tiny else zero


specialise(_flush, _choose_flush)


def _at(drive, i):
    """The drive of neuron i of a population: `drive[i]`, or `drive` itself when it is one number."""
    return drive if np.ndim(drive) == 0 else drive[i]


def _choose_at(drive, i):
    from numba import types

    if isinstance(drive, types.Array):
        return lambda drive, i: drive[i]
    return lambda drive, i: drive


specialise(_at, _choose_at)


@njit
def _refractory_after_crossing(v, v_inf, dt, tau_rc, tau_ref, v_th):
    """Refractory time left after a threshold crossing at v (end of step), as `kernels.lif_step` computes it."""
    t_cross = dt                       # crossing time from the step's start
    if v_inf > v_th:
        t_cross = dt + tau_rc * math.log1p(-(v - v_th) / (v_inf - v_th))
        if t_cross < 0.0:
            t_cross = 0.0
    return tau_ref - (dt - t_cross)


@njit
def _deliver(j, step, spike_count, counters, record_flag, ev_step, ev_idx, pre_ptr, edge_slot, edge_weff, I):
    """Presynaptic index j spiked in `step`: count it, record it if probed, add its weights to the currents."""
    count_and_record(j, step, spike_count, counters, record_flag, ev_step, ev_idx)
    for e in range(pre_ptr[j], pre_ptr[j + 1]):
        I[edge_slot[e]] += edge_weff[e]
