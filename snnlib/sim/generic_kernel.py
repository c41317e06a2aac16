"""numba kernels: pure step functions over explicit state, and the loop that runs many steps at once.

The simulator calls `run_steps` once per chunk of steps (not once per step), so no Python dispatch sits
in the hot loop. Only scalar `math` functions are used, which makes the JIT and plain-Python paths
(NUMBA_DISABLE_JIT=1) compute bit-identical results.
"""

from snnlib.neurons.lif import lif_step as _lif_step
from snnlib.sim.jit import njit


# The LIF step is the neuron model's own plain-Python function (snnlib.neurons.lif), compiled here.
lif_step = njit(_lif_step)


@njit
def count_and_record(j, step, spike_count, counters, record_flag, ev_step, ev_idx):
    """Presynaptic index j spiked in `step`: count it, and store the event if j is probed (both kernels)."""
    spike_count[j] += 1
    if record_flag[j]:
        ev_step[counters[0]] = step
        ev_idx[counters[0]] = j
        counters[0] += 1


@njit
def run_steps(step0, n_steps, v, ref, I, J, jsyn, spiked, bias, tau_rc, tau_ref, v_th, v_reset, v_rest, dt,
              slot_decay, slot_gain, nslot_ptr, nslot_idx, ext_idx, ext_vals, src_spk,
              pre_ptr, edge_slot, edge_w, edge_conn, edge_pre, edge_post,
              conn_plastic, stdp_params, pre_start, post_start, pre_n, post_n, xpre_off, ypost_off,
              xpre, ypost, prow_ptr, prow_edges, prow_off,
              spike_count, counters, record_flag, ev_step, ev_idx,
              pr_kind, pr_every, pr_idx_ptr, pr_idx, pr_out_off, pr_rows, pr_out):
    """Run `n_steps` steps starting at global step `step0`; returns the number of steps done.

    State arrays (v, ref, I, xpre, ypost, edge_w, spike_count, counters, pr_rows, probe outputs) are
    updated in place. counters[0] is the number of stored spike events, counters[1] plasticity updates.
    The run stops early (returning fewer steps) when the spike-event buffer may not hold another step.
    """
    N = v.shape[0]
    M = src_spk.shape[1]
    S = I.shape[0]
    K = stdp_params.shape[0]
    cap = ev_step.shape[0]
    for s in range(n_steps):
        if counters[0] + N + M > cap:
            return s
        step = step0 + s
        # 1. neurons: drive = bias + inputs + synaptic current, then the LIF update
        for i in range(N):
            J[i] = bias[i]
        for q in range(ext_idx.shape[0]):
            J[ext_idx[q]] += ext_vals[s, q]
        for i in range(N):
            total = 0.0
            for q in range(nslot_ptr[i], nslot_ptr[i + 1]):
                total += I[nslot_idx[q]]
            jsyn[i] = total
            J[i] += total
            vi, ri, fired = lif_step(v[i], ref[i], J[i], dt, tau_rc[i], tau_ref[i], v_th[i], v_reset[i], v_rest[i])
            v[i] = vi
            ref[i] = ri
            spiked[i] = fired
        for j in range(M):
            spiked[N + j] = src_spk[s, j] != 0
        # 2. synaptic currents decay over the step
        for q in range(S):
            I[q] *= slot_decay[q]
        # 3. plasticity traces decay to their value at this step's end (before this step's spikes)
        for k in range(K):
            for a in range(pre_n[k]):
                xpre[xpre_off[k] + a] *= stdp_params[k, 2]
            for b in range(post_n[k]):
                ypost[ypost_off[k] + b] *= stdp_params[k, 3]
        # 4. spikes reach their synapses; plastic synapses are depressed by the postsynaptic trace
        for j in range(N + M):
            if not spiked[j]:
                continue
            count_and_record(j, step, spike_count, counters, record_flag, ev_step, ev_idx)
            for e in range(pre_ptr[j], pre_ptr[j + 1]):
                slot = edge_slot[e]
                I[slot] += edge_w[e] * slot_gain[slot]
                k = conn_plastic[edge_conn[e]]
                if k >= 0:
                    w = edge_w[e] - stdp_params[k, 1] * ypost[ypost_off[k] + edge_post[e] - post_start[k]]
                    edge_w[e] = min(max(w, stdp_params[k, 4]), stdp_params[k, 5])
                    counters[1] += 1
        # 5. postsynaptic spikes potentiate their plastic inputs by the presynaptic trace; traces jump
        for k in range(K):
            for b in range(post_n[k]):
                if spiked[post_start[k] + b]:
                    row = prow_off[k] + b
                    for r in range(prow_ptr[row], prow_ptr[row + 1]):
                        e = prow_edges[r]
                        w = edge_w[e] + stdp_params[k, 0] * xpre[xpre_off[k] + edge_pre[e] - pre_start[k]]
                        edge_w[e] = min(max(w, stdp_params[k, 4]), stdp_params[k, 5])
                        counters[1] += 1
                    ypost[ypost_off[k] + b] += 1.0
            for a in range(pre_n[k]):
                if spiked[pre_start[k] + a]:
                    xpre[xpre_off[k] + a] += 1.0
        # 6. dense probes (voltage, synaptic current, drive) every pr_every steps
        for p in range(pr_kind.shape[0]):
            if (step + 1) % pr_every[p] != 0:
                continue
            n_idx = pr_idx_ptr[p + 1] - pr_idx_ptr[p]
            base = pr_out_off[p] + pr_rows[p] * n_idx
            for c in range(n_idx):
                i = pr_idx[pr_idx_ptr[p] + c]
                kind = pr_kind[p]
                pr_out[base + c] = v[i] if kind == 0 else (jsyn[i] if kind == 1 else J[i])
            pr_rows[p] += 1
    return n_steps
