"""The fast kernel: the same model as `kernels.run_steps`, restructured so that LLVM vectorises it.

Used by the Simulator for every network without plasticity (STDP networks run the generic kernel).
It computes bit-identical results to `kernels.run_steps` (tests/test_fast_kernel.py checks spikes,
voltages, currents and counts), with and without the JIT. What makes it fast, measured on CUBA
(4000 LIF neurons, 1 s at 0.1 ms; numbers in benchmarks/README.md):

1. A branch-free neuron pass. The generic kernel calls `lif_step` per neuron, with two `expm1`/`log1p`
   calls and branches. Here the decay factor 1 - exp(-dt/tau_rc) is precomputed per neuron and the
   common case (not refractory) is a multiply-add with a select, which LLVM turns into SIMD code.
   `v - (v_inf - v) * expm1(x)` and `v + (v_inf - v) * (-expm1(x))` are the same IEEE operations,
   so the result is bit-identical.
2. The rare cases leave the vectorised loop through a per-neuron flag byte: bit 0 "crossed the
   threshold", bit 1 "refractory period ends inside this step" (needs the exact partial-step
   integration, done by `kernels.lif_step` itself). Flags are scanned eight at a time as one 64-bit
   word, so a step with no spikes costs N/8 word tests; no reduction (spike counter) sits inside the
   vectorised loop.
3. Synaptic currents are summed per (population, synapse) group over contiguous slices instead of
   the generic per-neuron indirection; each spike's weight times the synapse gain is precomputed
   per edge (the same product the generic kernel forms each time).

Step order (identical to the generic kernel): drive J from the currents at the step's start, LIF
update, currents decay, spikes (neurons in index order, then sources) add to the currents, dense
probes record.
"""

import math

import numpy as np

from ._jit import njit
from .kernels import lif_step

CROSSED = 1          # flag bit: v went above v_th in the vectorised pass
PARTIAL = 2          # flag bit: the refractory period ends inside this step


def supports(model):
    """True when the fast kernel can run `model` (a builder.Built): any network without plasticity."""
    return model.stdp_params.shape[0] == 0


def slot_groups(model):
    """(neuron offset, slot offset, size) per synaptic-current group, in the builder's slot order.

    The builder gives each (post population, synapse) pair a contiguous run of slots, one per neuron of
    the population; summing groups in slot order adds each neuron's currents in the same order as the
    generic kernel's per-neuron slot list.
    """
    groups = sorted(model.slot_offset.items(), key=lambda kv: kv[1])
    sizes = {pid: n for pid, n in _population_sizes(model)}
    neuron_off = np.array([model.pop_offset[pid] for (pid, _), _ in groups], dtype=np.int64)
    slot_off = np.array([off for _, off in groups], dtype=np.int64)
    size = np.array([sizes[pid] for (pid, _), _ in groups], dtype=np.int64)
    return neuron_off, slot_off, size


def _population_sizes(model):
    """(population id, size) pairs recovered from the builder's offsets."""
    items = sorted(model.pop_offset.items(), key=lambda kv: kv[1])
    ends = [off for _, off in items[1:]] + [model.n_neurons]
    return [(pid, end - off) for (pid, off), end in zip(items, ends)]


def prepare(model):
    """Arrays the fast kernel needs beyond the built model (computed once per Simulator)."""
    neuron_off, slot_off, size = slot_groups(model)
    return {
        "a_rc": _decay_factors(model.dt, model.tau_rc),
        "grp_neuron_off": neuron_off, "grp_slot_off": slot_off, "grp_n": size,
        "edge_weff": model.edge_w * model.slot_gain[model.edge_slot],
        "flags": np.zeros(8 * ((model.n_neurons + 7) // 8), dtype=np.uint8),
    }


def _decay_factors(dt, tau_rc):
    """1 - exp(-dt/tau_rc) per neuron, with math.expm1 exactly as `kernels.lif_step` evaluates it."""
    cache = {}
    out = np.empty(len(tau_rc))
    for i, tau in enumerate(tau_rc.tolist()):
        if tau not in cache:
            cache[tau] = -math.expm1(-dt / tau)
        out[i] = cache[tau]
    return out


@njit
def run_steps_fast(step0, n_steps, v, ref, J, jsyn, flags, bias, a_rc, tau_rc, tau_ref, v_th, v_reset, v_rest,
                   dt, I, slot_decay, grp_neuron_off, grp_slot_off, grp_n, ext_idx, ext_vals, src_spk,
                   pre_ptr, edge_slot, edge_weff, spike_count, counters, record_flag, ev_step, ev_idx,
                   pr_kind, pr_every, pr_idx_ptr, pr_idx, pr_out_off, pr_rows, pr_out):
    """Run `n_steps` steps from global step `step0`; returns the number of steps done.

    Same contract as `kernels.run_steps` for networks without plasticity: v, ref, I, J, jsyn,
    spike_count, counters[0] (stored spike events), the event buffers and the probe outputs are updated
    in place; the run stops early when the spike-event buffer may not hold another step.
    `flags` is scratch space of N rounded up to a multiple of 8 bytes.
    """
    N = v.shape[0]
    M = src_spk.shape[1]
    S = I.shape[0]
    G = grp_n.shape[0]
    cap = ev_step.shape[0]
    words = flags.view(np.uint64)
    for s in range(n_steps):
        if counters[0] + N + M > cap:
            return s
        step = step0 + s
        # 1. drive: constant bias plus time-varying inputs plus the synaptic currents of every group
        for i in range(N):
            J[i] = bias[i]
            jsyn[i] = 0.0
        for q in range(ext_idx.shape[0]):
            J[ext_idx[q]] += ext_vals[s, q]
        for g in range(G):
            n0, s0 = grp_neuron_off[g], grp_slot_off[g]
            for k in range(grp_n[g]):
                jsyn[n0 + k] += I[s0 + k]
        # 2. vectorised LIF pass: exact decay for neurons out of their refractory period; flags for the rest
        for i in range(N):
            r = ref[i]
            Ji = J[i] + jsyn[i]
            J[i] = Ji
            vi = v[i]
            vn = vi + (v_rest[i] + Ji - vi) * (a_rc[i] if r <= 0.0 else 0.0)
            partial = (r > 0.0) & (r < dt)
            v[i] = vn
            rn = r - dt
            ref[i] = r if partial else (rn if rn > 0.0 else 0.0)
            flags[i] = np.uint8((vn > v_th[i]) + 2 * partial)
        # 3. synaptic currents decay over the step
        for q in range(S):
            I[q] *= slot_decay[q]
        # 4. flagged neurons, a word at a time: finish their update; spikes reach their synapses
        for w in range(words.shape[0]):
            if words[w] == 0:
                continue
            for i in range(8 * w, min(8 * w + 8, N)):
                f = flags[i]
                if f == 0:
                    continue
                if f & PARTIAL:
                    vi, ri, fired = lif_step(v[i], ref[i], J[i], dt, tau_rc[i], tau_ref[i], v_th[i],
                                             v_reset[i], v_rest[i])
                    v[i] = vi
                    ref[i] = ri
                else:
                    ref[i] = _refractory_after_crossing(v[i], v_rest[i] + J[i], dt, tau_rc[i], tau_ref[i],
                                                        v_th[i])
                    v[i] = v_reset[i]
                    fired = True
                if fired:
                    _deliver(i, step, spike_count, counters, record_flag, ev_step, ev_idx, pre_ptr, edge_slot,
                             edge_weff, I)
        for j in range(M):
            if src_spk[s, j] != 0:
                _deliver(N + j, step, spike_count, counters, record_flag, ev_step, ev_idx, pre_ptr, edge_slot,
                         edge_weff, I)
        # 5. dense probes (voltage, synaptic current, drive) every pr_every steps
        for p in range(pr_kind.shape[0]):
            if (step + 1) % pr_every[p] != 0:
                continue
            n_idx = pr_idx_ptr[p + 1] - pr_idx_ptr[p]
            base = pr_out_off[p] + pr_rows[p] * n_idx
            kind = pr_kind[p]
            for c in range(n_idx):
                i = pr_idx[pr_idx_ptr[p] + c]
                pr_out[base + c] = v[i] if kind == 0 else (jsyn[i] if kind == 1 else J[i])
            pr_rows[p] += 1
    return n_steps


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
    spike_count[j] += 1
    if record_flag[j]:
        ev_step[counters[0]] = step
        ev_idx[counters[0]] = j
        counters[0] += 1
    for e in range(pre_ptr[j], pre_ptr[j + 1]):
        I[edge_slot[e]] += edge_weff[e]
