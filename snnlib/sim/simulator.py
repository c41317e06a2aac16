"""Simulator: owns the state of a built network and runs it in chunks of steps through the kernel."""

import numpy as np

from snnlib import _validate as check
from snnlib.sim.builder import build
from snnlib.sim.records import SpikeRecord
from snnlib.units import GiB

_PROBE_KIND = {"voltage": 0, "current": 1, "drive": 2}


class ProbeMemoryError(ValueError):
    """A probe would need more memory than the simulator's budget allows."""


class Simulator:
    """Runs a Network.

    Parameters
    ----------
    network : Network
        The model description. It is built once here; later changes to it are not seen.
    dt : float
        Time step (s), default 1 ms. Must be smaller than every time constant in the model.
    probe_memory_limit : int
        Most bytes that probes may hold (default 1 GiB). A run that would need more is refused with a
        message suggesting `indices=` or `every=` to record less.
    chunk_steps : int
        Steps run per kernel call (inputs and Poisson spikes are generated per chunk).
    kernel : {"auto", "fast", "generic"}
        "auto" (default) runs networks without plasticity on the vectorised kernel (`snnlib.sim.fast_kernel`) and
        the rest on the generic one; both give bit-identical results, so this only matters for speed.
    precision : {"float64", "float32"}
        Float type of the state (voltages, refractory times, synaptic currents). "float32" is about
        1.5-2x faster on large networks and keeps network statistics (rates, CV) within about 1 % of
        float64, but single spike times differ slightly (tests/test_fast_kernel.py measures this);
        it needs the fast kernel (no plasticity). Default "float64".
    """

    def __init__(self, network, dt=0.001, probe_memory_limit=GiB, chunk_steps=2000, kernel="auto",
                 precision="float64"):
        self.network = network
        self.model = build(network, dt)
        self._fast = _fast_arrays(self.model, kernel, precision)
        self.dt = self.model.dt
        self.probe_memory_limit = check.count("probe_memory_limit", probe_memory_limit)
        self.chunk_steps = check.count("chunk_steps", chunk_steps)
        self._probes = list(network.probes)
        self.reset()

    # -- state -------------------------------------------------------------------------------------------
    def reset(self):
        """Return to t = 0 with the initial state (same seed, so the same spikes again)."""
        m = self.model
        n, n_pre = m.n_neurons, m.n_neurons + m.n_sources
        self.step = 0
        self._v = m.v0.copy()
        self._ref = np.zeros(n)
        self._I = np.zeros(len(m.slot_decay))
        self._J = np.zeros(n)
        self._jsyn = np.zeros(n)
        self._spiked = np.zeros(n_pre, dtype=np.bool_)
        self._w = m.edge_w.copy()
        self._xpre = np.zeros(m.n_xpre)
        self._ypost = np.zeros(m.n_ypost)
        self._spike_count = np.zeros(n_pre, dtype=np.int64)
        self._counters = np.zeros(2, dtype=np.int64)
        self._source_rngs = [np.random.default_rng([self.network.seed, 15485863, k])
                             for k in range(len(self.network.sources))]
        if self._fast is not None:              # the fast kernel's state may be float32
            self._v, self._ref, self._I, self._jsyn = (a.astype(self._fast["dtype"])
                                                       for a in (self._v, self._ref, self._I, self._jsyn))
        self._setup_probes()

    def _setup_probes(self):
        m = self.model
        self._record_flag = np.zeros(m.n_neurons + m.n_sources, dtype=np.bool_)
        self._dense = [p for p in self._probes if p.target != "spikes"]
        for p in self._probes:
            if p.target == "spikes":
                self._record_flag[m.presyn_index(p.obj) + p.indices] = True
        self._ev_step = np.zeros(max(4096, 4 * len(self._record_flag)), dtype=np.int64)
        self._ev_idx = np.zeros_like(self._ev_step)
        self._pr_kind = np.array([_PROBE_KIND[p.target] for p in self._dense], dtype=np.int64)
        self._pr_every = np.array([p.every for p in self._dense], dtype=np.int64)
        self._pr_idx_ptr = np.concatenate([[0], np.cumsum([len(p.indices) for p in self._dense])]).astype(np.int64)
        self._pr_idx = (np.concatenate([m.pop_offset[id(p.obj)] + p.indices for p in self._dense])
                        if self._dense else np.zeros(0)).astype(np.int64)
        self._pr_rows = np.zeros(len(self._dense), dtype=np.int64)
        self._set_probe_arrays([np.zeros((0, len(p.indices))) for p in self._dense])

    @property
    def t(self):
        """Simulated time so far (s)."""
        return self.step * self.dt

    # -- running -----------------------------------------------------------------------------------------
    def run(self, t):
        """Advance the simulation by `t` seconds (rounded to whole steps)."""
        t = check.nonnegative("t", t, "s")
        steps = int(round(t / self.dt))
        if steps == 0:
            return self
        self._reserve_dense(steps)
        from snnlib.sim.generic_kernel import run_steps

        m = self.model
        done = 0
        while done < steps:
            chunk = min(self.chunk_steps, steps - done)
            ext_idx, ext_vals = self._external_inputs(self.step, chunk)
            src = self._source_spikes(self.step, chunk)
            offset = 0
            while offset < chunk:
                if self._fast is not None:
                    n = self._run_fast(chunk - offset, ext_idx, ext_vals[offset:], src[offset:])
                else:
                    n = run_steps(
                        self.step, chunk - offset, self._v, self._ref, self._I, self._J, self._jsyn, self._spiked,
                        m.bias, m.tau_rc, m.tau_ref, m.v_th, m.v_reset, m.v_rest, m.dt,
                        m.slot_decay, m.slot_gain, m.nslot_ptr, m.nslot_idx, ext_idx, ext_vals[offset:],
                        src[offset:], m.pre_ptr, m.edge_slot, self._w, m.edge_conn, m.edge_pre, m.edge_post,
                        m.conn_plastic, m.stdp_params, m.pre_start, m.post_start, m.pre_n, m.post_n,
                        m.xpre_off, m.ypost_off, self._xpre, self._ypost, m.prow_ptr, m.prow_edges, m.prow_off,
                        self._spike_count, self._counters, self._record_flag, self._ev_step, self._ev_idx,
                        self._pr_kind, self._pr_every, self._pr_idx_ptr, self._pr_idx, self._pr_off, self._pr_rows,
                        self._pr_flat)
                offset += n
                self.step += n
                if offset < chunk:
                    self._grow_events()
            done += chunk
        return self

    def _run_fast(self, n_steps, ext_idx, ext_vals, src):
        """One call of the fast kernel (networks without plasticity); returns the steps done."""
        from snnlib.sim.fast_kernel import run_steps_fast

        m, f = self.model, self._fast
        return run_steps_fast(
            self.step, n_steps, self._v, self._ref, self._jsyn, f["flags"], f["drive"], f["bias"],
            f["pop_off"], f["pop_n"], f["pop_uniform"], f["pop_params"], f["pop_gptr"], f["pop_glist"], f["dt"], self._I,
            f["grp_slot_off"], f["grp_decay"], ext_idx, ext_vals, src, m.pre_ptr, m.edge_slot, f["edge_weff"],
            self._spike_count, self._counters, self._record_flag, self._ev_step, self._ev_idx,
            self._pr_kind, self._pr_every, self._pr_idx_ptr, self._pr_idx, self._pr_off, self._pr_rows, self._pr_flat,
            f["zero"], f["tiny"])

    def _external_inputs(self, step0, chunk):
        """Time-varying drives for steps [step0, step0 + chunk), evaluated at each step's start."""
        m = self.model
        if not m.time_inputs:
            return np.zeros(0, dtype=np.int64), np.zeros((chunk, 0))
        t = (step0 + np.arange(chunk)) * self.dt
        idx = np.concatenate([ix for ix, _, _ in m.time_inputs])
        vals = np.concatenate([sig.evaluate(t, len(ix)) * gain for ix, sig, gain in m.time_inputs], axis=1)
        return idx.astype(np.int64), np.ascontiguousarray(vals, dtype=float)

    def _source_spikes(self, step0, chunk):
        """Spikes of all sources for the chunk, shape (chunk, n_sources), uint8."""
        out = np.zeros((chunk, self.model.n_sources), dtype=np.uint8)
        col = 0
        t = (step0 + np.arange(chunk)) * self.dt
        for src, rng in zip(self.network.sources, self._source_rngs):
            if hasattr(src, "rate"):
                rate = src.rate.evaluate(t, src.n) if hasattr(src.rate, "evaluate") else src.rate[None, :]
                p = rate * self.dt
                if np.any(p > 1) or np.any(p < 0):
                    raise ValueError(f"{src.label}: rate x dt must lie in [0, 1] (at most one spike per step); "
                                     f"got rates up to {np.max(rate):g} Hz with dt = {self.dt:g} s: lower dt")
                out[:, col:col + src.n] = rng.random((chunk, src.n)) < p
            else:
                steps = _spike_steps(src.times, self.dt)
                sel = (steps >= step0) & (steps < step0 + chunk)
                out[steps[sel] - step0, col + src.indices[sel]] = 1
            col += src.n
        return out

    # -- probes ------------------------------------------------------------------------------------------
    def _reserve_dense(self, steps):
        """Check the memory budget and enlarge the dense probe arrays for `steps` more steps."""
        need = 0
        new_rows = []
        for p, arr in zip(self._dense, self._pr_out):
            rows = (self.step + steps) // p.every - self.step // p.every
            new_rows.append(rows)
            need += (arr.shape[0] + rows) * len(p.indices) * 8
        need += self._ev_step.nbytes * 2
        if need > self.probe_memory_limit:
            detail = ", ".join(f"{p.label} ({p.target} of {len(p.indices)} neurons every {p.every} steps)"
                               for p in self._dense)
            raise ProbeMemoryError(
                f"probes would need {need / 2**20:.0f} MiB, over the budget of "
                f"{self.probe_memory_limit / 2**20:.0f} MiB: record fewer neurons (indices=...), less often "
                f"(every=...), or a shorter run; or raise Simulator(probe_memory_limit=...). Probes: {detail}")
        self._set_probe_arrays([np.concatenate([arr, np.zeros((r, arr.shape[1]))])
                                for arr, r in zip(self._pr_out, new_rows)])

    def _set_probe_arrays(self, arrays):
        """Keep all dense probe arrays in one flat buffer (the kernel writes there) with per-probe views."""
        sizes = [a.size for a in arrays]
        self._pr_flat = np.concatenate([a.ravel() for a in arrays]) if arrays else np.zeros(0)
        self._pr_off = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if arrays else np.zeros(0, np.int64)
        self._pr_out = [self._pr_flat[o:o + a.size].reshape(a.shape) for o, a in zip(self._pr_off, arrays)]

    def _grow_events(self):
        used = int(self._counters[0])
        if 4 * self._ev_step.nbytes > self.probe_memory_limit:
            raise ProbeMemoryError(
                f"spike probes have stored {used} spikes and would need more than the budget of "
                f"{self.probe_memory_limit / 2**20:.0f} MiB: probe fewer neurons (indices=...), run shorter, "
                "or raise Simulator(probe_memory_limit=...)")
        self._ev_step = np.concatenate([self._ev_step, np.zeros_like(self._ev_step)])
        self._ev_idx = np.concatenate([self._ev_idx, np.zeros_like(self._ev_idx)])

    @property
    def data(self):
        """Mapping probe -> recorded data (SpikeRecord for spikes, array (samples, indices) otherwise)."""
        return {p: self._probe_data(p) for p in self._probes}

    def _probe_data(self, probe):
        if probe not in self._probes:
            raise KeyError(f"{probe!r} is not a probe of this simulator's network (probes added after "
                           "building the Simulator are not recorded)")
        if probe.target == "spikes":
            m, used = self.model, int(self._counters[0])
            start = m.presyn_index(probe.obj)
            idx = self._ev_idx[:used] - start
            keep = (idx >= 0) & (idx < probe.obj.n)
            keep[keep] = np.isin(idx[keep], probe.indices)
            times = (self._ev_step[:used][keep] + 1) * self.dt
            return SpikeRecord(times, idx[keep], probe.obj.n, probe.indices, 0.0, self.t)
        k = self._dense.index(probe)
        return self._pr_out[k][:self._pr_rows[k]].copy()

    def trange(self, probe=None):
        """Sample times (s): every step's end, or the times at which `probe` recorded."""
        every = 1 if probe is None or probe.target == "spikes" else probe.every
        return np.arange(every, self.step + 1, every) * self.dt

    # -- results -----------------------------------------------------------------------------------------
    def weights(self, connection):
        """Current weights of `connection`: an (post, pre) array if it was dense, else a CSR matrix."""
        c = self.model.conn_index.get(id(connection))
        if c is None:
            raise ValueError(f"{connection!r} is not a connection of this simulator's network")
        W = connection.weights.copy()
        sel = self.model.edge_conn == c
        W.data[self.model.edge_origin[sel]] = self._w[sel]
        return W.toarray() if connection.dense else W

    @property
    def counts(self):
        """Operation counts since the last reset (always on; derived from per-neuron spike counts).

        Keys: steps, duration_s, neurons, neuron_updates (neurons x steps), spikes (neuron spikes),
        source_spikes, synapses, synaptic_events (spikes x fan-out, summed), synaptic_events_by_connection
        (label -> count; connections sharing a label are summed), plasticity_updates (weight updates made by STDP).
        """
        m = self.model
        # one pass over the synapses (not one mask per connection): spikes of each edge's presynaptic neuron,
        # summed per connection; exact in float64 below 2**53 events
        conns = self.network.connections
        per_conn = np.bincount(m.edge_conn, weights=self._spike_count[m.edge_pre], minlength=len(conns))
        by_conn = {}
        for c, conn in enumerate(conns):
            # labels need not be unique: connections sharing one are summed, never overwritten
            by_conn[conn.label] = by_conn.get(conn.label, 0) + int(per_conn[c])
        return {
            "steps": self.step,
            "duration_s": self.t,
            "neurons": m.n_neurons,
            "neuron_updates": m.n_neurons * self.step,
            "spikes": int(self._spike_count[:m.n_neurons].sum()),
            "source_spikes": int(self._spike_count[m.n_neurons:].sum()),
            "synapses": int(len(m.edge_w)),
            "synaptic_events": int(sum(by_conn.values())),
            "synaptic_events_by_connection": by_conn,
            "plasticity_updates": int(self._counters[1]),
        }

    def __repr__(self):
        return f"<Simulator t={self.t:g} s, dt={self.dt:g} s: {self.network!r}>"


def _fast_arrays(model, kernel, precision):
    """The fast kernel's extra arrays when `kernel` selects it for this model, else None."""
    from snnlib.sim import fast_kernel as _fast

    if kernel not in ("auto", "fast", "generic"):
        raise ValueError(f"kernel must be 'auto', 'fast' or 'generic', got {kernel!r}")
    if precision not in _fast.PRECISIONS:
        raise ValueError(f"precision must be 'float64' or 'float32', got {precision!r}")
    if kernel == "generic" or (kernel == "auto" and not _fast.supports(model)):
        if precision != "float64":
            raise ValueError("precision='float32' needs the fast kernel, which runs networks without "
                             "plasticity only: use precision='float64' here")
        return None
    if not _fast.supports(model):
        raise ValueError("kernel='fast' runs networks without plasticity only; this one has STDP: use "
                         "kernel='auto' or 'generic'")
    return _fast.prepare(model, precision)


def _spike_steps(times, dt):
    """Step index in which a spike at time t is emitted: the step ending at or just after t."""
    steps = np.ceil(np.asarray(times) / dt - 1e-9).astype(np.int64) - 1
    return np.maximum(steps, 0)
