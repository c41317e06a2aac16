"""Simulator: owns the state of a built network and runs it in chunks of steps through the kernel."""

from collections.abc import Mapping

import numpy as np

from snnlib import _validate as check
from snnlib.sim import finite
from snnlib.sim.builder import build, plain_weights
from snnlib.model.signals import values_at
from snnlib.sim import memory
from snnlib.sim.groups import IO, PRECISIONS, Layout, pre_groups
from snnlib.sim.progress import Interruptible, Progress
from snnlib.sim.modulators import ModLayout
from snnlib.sim.signals import SignalLayout
from snnlib.sim.records import SpikeRecord
from snnlib.units import GiB

_PROBE_KIND = {"voltage": 0, "current": 1, "drive": 2, "value": 3}


class ProbeMemoryError(ValueError):
    """A probe would need more memory than the simulator's budget allows."""


class UnknownProbeError(KeyError):
    """`sim.data[probe]` for a probe this Simulator does not record (e.g. added to the network after it was
    built). A KeyError, as for any mapping, whose message says why and what to do."""

    def __str__(self):           # KeyError would print the message as a quoted repr
        return str(self.args[0]) if self.args else ""


def _unknown_probe(probe, sim):
    from snnlib.model.network import Probe

    if not isinstance(probe, Probe):
        return (f"sim.data[...] takes a probe made by net.probe(...), got {probe!r} of type "
                f"{type(probe).__name__}")
    if any(probe is p for p in sim.network.probes):
        return (f"{probe!r} was added to the network after this Simulator was built, so it was not recorded: "
                "add every probe before Simulator(net), or build a new Simulator(net) and run it again")
    return f"{probe!r} is not a probe of this simulator's network (it belongs to another network)"


class Simulator:
    """Runs a Network.

    Parameters
    ----------
    network : Network
        The model description. It is built once here; later changes to it are not seen.
    dt : float
        Time step (s), default 1 ms. Must be smaller than every time constant in the model.
    probe_memory_limit : int
        Most bytes that probes may hold (default 1 GiB), counted at their peak: dense probe buffers while
        they grow (old and new buffer both exist during the copy) and the spike-event buffers of spike
        probes (none without a spike probe). A run that would need more is refused with a message saying
        what the memory is for and suggesting `indices=` or `every=` to record less. Reading
        `sim.data[probe]` returns a copy of that probe's data (yours, not counted).
    memory_limit : int or None
        Most bytes the model itself may need (synapses, neuron and synaptic state, build temporaries;
        `snnlib.sim.memory` estimates them before anything large is allocated). None: 80 % of this
        machine's memory. A larger network is refused with a `ModelMemoryError` giving its estimate and
        how to proceed.
    chunk_steps : int
        Steps run per kernel call (inputs and Poisson spikes are generated per chunk).
    kernel : "auto"
        Kept for compatibility: there is one kernel, generated for the network's structure
        (`snnlib.sim.codegen`). "fast" and "generic" (the two hand-written kernels it replaced) are
        accepted with a DeprecationWarning and run the same kernel.
    precision : {"float64", "float32"}
        Float type of the state (voltages, refractory times, synaptic currents). "float32" is about
        1.5-2x faster on large networks and keeps network statistics (rates, CV) within about 1 % of
        float64, but single spike times differ slightly (tests/test_generated_kernel.py measures this).
        Exact steps (threshold crossings) and weights stay float64; learning traces follow the state
        (float32 here). Default "float64".
    threads : None or int
        Threads the loop runs on. None (default): one below `codegen_parallel.BREAK_EVEN` neurons (32,000:
        measured on a 2-core machine, below it a fork/join per step costs more than the second core saves;
        benchmarks/README.md, "Threads"), every core from there (numba's NUMBA_NUM_THREADS, at most the cores
        this process may use); one whatever the size with plastic synapses or a presynaptic model (measured
        slower on 2 threads than on one). An integer >= 1 forces it (more than the cores: the loop is cut into that many
        parts, run by the cores there are). Results do not depend on it: each thread updates its share of
        every population and receives the spikes for its own neurons' synaptic currents, each current in the
        serial order, so spikes, voltages and weights are bit-identical to threads=1
        (`snnlib.sim.codegen_parallel`: what runs in
        parallel, what stays serial). `sim.threads` is the count used.
    """

    def __init__(self, network, dt=0.001, probe_memory_limit=GiB, chunk_steps=2000, kernel="auto",
                 precision="float64", memory_limit=None, threads=None):
        from snnlib.model.network import Network

        if not isinstance(network, Network):
            raise TypeError(f"network must be a snnlib.Network, got {network!r}")
        _check_kernel(kernel)
        from snnlib.sim import codegen_parallel, codegen_persistent

        # checked first; automatic: one thread for a network whose delivery cannot be fused (codegen_parallel.fused)
        n_threads = codegen_parallel.choose(threads, sum(p.n for p in network.populations),
                                            codegen_parallel.fusable(network))
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be 'float64' or 'float32', got {precision!r}")
        self.probe_memory_limit = check.count("probe_memory_limit", probe_memory_limit)
        self.chunk_steps = check.count("chunk_steps", chunk_steps)
        self.memory_limit = (memory.default_limit() if memory_limit is None
                             else check.count("memory_limit", memory_limit))
        self.network = network
        memory.check_model(network, precision, self.memory_limit, self.chunk_steps, n_threads)   # before allocating
        self.model = build(network, dt, precision, self.memory_limit, self.chunk_steps, n_threads)
        finite.check_parameters(network, self.model, precision)
        self._signals = SignalLayout(network, self.model)
        self._modl = ModLayout(network, self.model)
        from snnlib.sim import poisson

        self._lp = poisson.loop_poisson(network, self.model.dt)
        self._layout = Layout(self.model, precision, self._signals, network.seed, self._modl,
                              loop_poisson=poisson.present(network),
                              current_probes=any(p.target in ("current", "drive") for p in network.probes),
                              dense_probes=any(p.target != "spikes" for p in network.probes))
        self.threads = n_threads
        self._par = ()              # the parallel loop's partition tables (its extra argument), if threads > 1
        if self.threads > 1:
            parts = codegen_persistent.partitions(self.threads, codegen_parallel.fused(self._layout))
            self._par = (codegen_parallel.tables(codegen_parallel.mark(self._layout), parts),)
            codegen_parallel.prepare()
        self._groups = self._layout.groups()
        self._graph = self._layout.graph()
        self._kernel = None
        self.dt = self.model.dt
        self._probes = list(network.probes)
        self.reset()

    # -- state -------------------------------------------------------------------------------------------
    def reset(self):
        """Return to t = 0 with the initial state (same seed, so the same spikes again)."""
        self.step = 0
        self._state = self._layout.initial_state()
        self._rules = self._layout.rule_groups()
        self._sig = self._signals.tuple()
        self._pres = pre_groups(self._layout)
        self._mods = self._modl.tuple(self._layout.ftype)
        self._source_rngs = [np.random.default_rng([self.network.seed, 15485863, k])
                             for k in range(len(self.network.sources))]
        self._setup_probes()

    # state views (tests and benchmarks read them): voltage, refractory time, first synaptic state, weights
    # the state in index order (a copy when positions differ from indices: `snnlib.sim.positions`)
    _v = property(lambda self: self.model.positions.neuron_view(self._state.ns[0]))
    _ref = property(lambda self: self.model.positions.neuron_view(self._state.ns[1]))
    _I = property(lambda self: self.model.positions.slot_view(self._state.ss[0]))
    _w = property(lambda self: self._state.w if self.model.plastic else plain_weights(self.network, self.model))
    _spike_count = property(lambda self: self._state.spike_count)
    _counters = property(lambda self: self._state.counters)

    def _setup_probes(self):
        m = self.model
        self._record_flag = np.zeros(m.n_neurons + m.n_sources, dtype=np.bool_)
        self._dense = [p for p in self._probes if p.target != "spikes"]
        for p in self._probes:
            if p.target == "spikes":
                self._record_flag[m.presyn_index(p.obj) + p.indices] = True
        # the kernel needs room for one step's spikes of every neuron and source; without a spike probe
        # nothing is ever written there, and that minimum is part of the model (not of the probe budget)
        self._spike_probes = any(p.target == "spikes" for p in self._probes)
        n_pre = len(self._record_flag)
        self._ev_step = np.zeros(max(4096, 4 * n_pre) if self._spike_probes else n_pre + 1, dtype=np.int64)
        self._ev_idx = np.zeros_like(self._ev_step)
        self._pr_kind = np.array([4 if id(p.obj) in self._modl.offset else _PROBE_KIND[p.target]
                                  for p in self._dense], dtype=np.int64)
        self._pr_every = np.array([p.every for p in self._dense], dtype=np.int64)
        self._pr_idx_ptr = np.concatenate([[0], np.cumsum([len(p.indices) for p in self._dense])]).astype(np.int64)
        self._pr_idx = (np.concatenate([self._modl.offset[id(p.obj)] + p.indices if id(p.obj) in self._modl.offset
                                        else self._signals.offset[id(p.obj)] + p.indices if p.target == "value"
                                        else m.positions.neuron[m.pop_offset[id(p.obj)] + p.indices]
                                        for p in self._dense])
                        if self._dense else np.zeros(0)).astype(np.int64)
        self._pr_rows = np.zeros(len(self._dense), dtype=np.int64)
        self._set_probe_arrays([(0, len(p.indices)) for p in self._dense])

    @property
    def t(self):
        """Simulated time so far (s)."""
        return self.step * self.dt

    # -- running -----------------------------------------------------------------------------------------
    def run(self, t, progress=None):
        """Advance the simulation by `t` seconds (rounded to whole steps).

        progress: None shows a progress bar (tqdm) when the run is expected to take over 2 s and output is
        interactive; False never, True whenever it is that long (`snnlib.sim.progress`). Ctrl-C stops the
        run at the end of the current chunk of steps with a KeyboardInterrupt; the simulator stays usable
        (`sim.t` says how far it got; `run` goes on from there)."""
        t = check.nonnegative("t", t, "s")
        steps = int(round(t / self.dt))
        if steps == 0:
            return self
        self._reserve_dense(steps)
        try:
            self._advance(steps, progress)
        except BaseException:
            self._release_unused()  # a failed or stopped run keeps no reserved rows
            raise
        return self

    def _advance(self, steps, progress):
        """Run `steps` steps, chunk by chunk, checking the state for NaN/inf after each chunk; Ctrl-C stops
        at the end of a chunk (see `run`)."""
        with Interruptible() as stop:         # Ctrl-C during compilation also waits for the first chunk
            run_steps = self._compiled()
            bar = Progress(steps, self.dt, progress)
            from snnlib.sim import codegen_parallel, codegen_persistent

            numba, before = None, None
            if self.threads > 1:              # numba's setting is per calling thread: set for this run only
                import numba

                before = numba.get_num_threads()
                numba.set_num_threads(min(self.threads, codegen_parallel.cores()))
            try:
                self._run_chunks(run_steps, steps, bar, stop)
            finally:
                bar.close()
                if numba is not None:
                    numba.set_num_threads(before)

    def _run_chunks(self, run_steps, steps, bar, stop):
        done = 0
        while done < steps:
            chunk = min(self.chunk_steps, steps - done)
            ext_idx, ext_vals = self._external_inputs(self.step, chunk)
            tgt = values_at(self._signals.errors, (self.step + np.arange(chunk)) * self.dt)
            src = self._source_spikes(self.step, chunk)
            tvals = self._modl.time_values(self.step, chunk)
            offset = 0
            while offset < chunk:
                io = IO(ext_idx, ext_vals[offset:], tgt[offset:], src[offset:], self._record_flag, self._ev_step, self._ev_idx,
                        self._pr_kind, self._pr_every, self._pr_idx_ptr, self._pr_idx, self._pr_off, self._pr_rows,
                        self._pr_flat)
                n = run_steps(self.step, chunk - offset, self.dt, self._state, self._graph, io, self._groups,
                              self._rules, self._sig, self._pres, self._mods._replace(tvals=tvals[offset:]),
                              self._lp, *self._par)
                offset += n
                self.step += n
                if offset < chunk:
                    self._grow_events()
            done += chunk
            finite.check_state(self, (self.step - chunk) * self.dt)
            bar.update(chunk)
            if stop.requested:
                raise KeyboardInterrupt(f"simulation stopped at t = {self.t:g} s (Ctrl-C); the simulator is "
                                        "usable: sim.run(...) goes on from there")

    def _compiled(self):
        """The generated kernel for this network's structure (generated, cached and compiled once)."""
        if self._kernel is None:
            from snnlib.sim.kernel import kernel_for

            self._kernel = kernel_for(self._layout)
        return self._kernel

    def _external_inputs(self, step0, chunk):
        """Time-varying drives for steps [step0, step0 + chunk), evaluated at each step's start."""
        m = self.model
        if not m.time_inputs:
            return np.zeros(0, dtype=np.int64), np.zeros((chunk, 0))
        t = (step0 + np.arange(chunk)) * self.dt
        idx = m.positions.neuron[np.concatenate([ix for ix, _, _ in m.time_inputs])]     # where their drive lies
        vals = np.concatenate([sig.evaluate(t, len(ix)) * gain for ix, sig, gain in m.time_inputs], axis=1)
        return idx.astype(np.int64), np.ascontiguousarray(vals, dtype=float)

    def _source_spikes(self, step0, chunk):
        """Spikes of all sources for the chunk, shape (chunk, n_sources), uint8."""
        out = np.zeros((chunk, self.model.n_sources), dtype=np.uint8)
        col = 0
        t = (step0 + np.arange(chunk)) * self.dt
        for src, rng in zip(self.network.sources, self._source_rngs):
            if getattr(src, "in_loop", False):          # drawn in the kernel (snnlib.sim.poisson)
                pass
            elif hasattr(src, "rate"):
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
    def probe_memory(self, steps=0):
        """Bytes the probes hold at their peak while running `steps` more steps, by part (the figures the
        probe budget is checked against; `snnlib.sim.memory.probe_estimate`)."""
        old_rows = [arr.shape[0] for arr in self._pr_out]
        new_rows = [max(cap, int(r) + (self.step + steps) // p.every - self.step // p.every)
                    for p, r, cap in zip(self._dense, self._pr_rows, old_rows)]
        dense = [(p, len(p.indices)) for p in self._dense]
        return memory.probe_estimate(dense, old_rows, new_rows,
                                     len(self._ev_step) if self._spike_probes else 0), new_rows

    def _reserve_dense(self, steps):
        """Check the memory budget and enlarge the dense probe arrays for `steps` more steps."""
        parts, new_rows = self.probe_memory(steps)
        need = sum(parts.values())
        if need > self.probe_memory_limit:
            detail = "; ".join(f"{p.label}: {p.target} of {len(p.indices)} neurons every {p.every} steps, "
                               f"{memory.fmt(r * len(p.indices) * 8)}" for p, r in zip(self._dense, new_rows))
            what = ", ".join(f"{k} {memory.fmt(v)}" for k, v in parts.items() if v)
            raise ProbeMemoryError(
                f"probes would need {memory.fmt(need)} ({what}), over the budget of "
                f"{memory.fmt(self.probe_memory_limit)}: record fewer neurons (indices=...), less often "
                f"(every=...), or a shorter run; or raise Simulator(probe_memory_limit=...). "
                f"Probes: {detail or 'no dense probes'}")
        if self._dense and any(r != arr.shape[0] for r, arr in zip(new_rows, self._pr_out)):
            old = self._pr_out
            self._set_probe_arrays([(r, arr.shape[1]) for arr, r in zip(old, new_rows)], old)

    def _set_probe_arrays(self, shapes, old=None):
        """Keep all dense probe arrays in one flat buffer (the kernel writes there) with per-probe views;
        `shapes` (rows, indices) per probe, `old` (same order) the rows recorded so far, copied in."""
        sizes = [r * c for r, c in shapes]
        self._pr_flat = np.zeros(sum(sizes))
        self._pr_off = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if shapes else np.zeros(0, np.int64)
        self._pr_out = [self._pr_flat[o:o + k].reshape(sh) for o, k, sh in zip(self._pr_off, sizes, shapes)]
        for new, prev in zip(self._pr_out, old or ()):
            new[:prev.shape[0]] = prev

    def _release_unused(self):
        """Shrink the dense probe arrays to the rows recorded so far (after a run that failed part-way)."""
        rows = [int(r) for r in self._pr_rows]
        self._set_probe_arrays([(r, arr.shape[1]) for arr, r in zip(self._pr_out, rows)],
                               [arr[:r] for arr, r in zip(self._pr_out, rows)])

    def _grow_events(self):
        used = int(self._counters[0])
        # while growing, the old buffers (2 x 8 bytes per entry) and the doubled ones exist together
        need = 16 * 3 * len(self._ev_step)
        if need > self.probe_memory_limit:
            raise ProbeMemoryError(
                f"spike probes have stored {used} spikes; their buffers would need {memory.fmt(need)} while "
                f"growing, over the budget of {memory.fmt(self.probe_memory_limit)}: probe fewer neurons "
                "(indices=...), run shorter, or raise Simulator(probe_memory_limit=...)")
        self._ev_step = np.concatenate([self._ev_step, np.zeros_like(self._ev_step)])
        self._ev_idx = np.concatenate([self._ev_idx, np.zeros_like(self._ev_idx)])

    @property
    def data(self):
        """Mapping probe -> recorded data (SpikeRecord for spikes, array (samples, indices) otherwise)."""
        return ProbeData(self)

    def _probe_data(self, probe):
        if probe not in self._probes:
            raise UnknownProbeError(_unknown_probe(probe, self))
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
        W = connection.weights            # a new matrix; a static network's weights never change
        if self.model.plastic:
            sel = self.model.edge_conn == c
            W.data[self.model.edge_origin[sel]] = self._w[sel]
        return W.toarray() if connection.dense else W

    def decoders(self, decoded):
        """Current decoders (pop.n, dimensions) of a decoded value (changed by PES as the run goes)."""
        sl = self._signals
        k = next((k for k, d in enumerate(sl.decoded) if d is decoded), None)
        if k is None:
            raise ValueError(f"{decoded!r} is not a decoded value of this simulator's network")
        n, d = decoded.pop.n, decoded.dimensions
        return self._sig.D[self._sig.dec_doff[k]:self._sig.dec_doff[k] + n * d].reshape(n, d).copy()

    @property
    def counts(self):
        """Operation counts since the last reset (always on; derived from per-neuron spike counts).

        Keys: steps, duration_s, neurons, neuron_updates (neurons x steps), spikes (neuron spikes),
        source_spikes, synapses, synaptic_events (spikes x fan-out, summed), synaptic_events_by_connection
        (label -> count; connections sharing a label are summed), plasticity_updates (weight updates made by STDP).
        """
        m = self.model
        # per connection: spikes of each presynaptic neuron x its out-degree on that connection (int64, exact)
        conns = self.network.connections
        per_conn = [int(np.dot(self._spike_count[a:a + len(d)], d)) for a, d in zip(m.conn_pre0, m.conn_outdeg)]
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
            "synapses": int(m.n_edges),
            "synaptic_events": int(sum(by_conn.values())),
            "synaptic_events_by_connection": by_conn,
            "plasticity_updates": int(self._counters[1]),
        }

    def __repr__(self):
        return f"<Simulator t={self.t:g} s, dt={self.dt:g} s: {self.network!r}>"


def _check_kernel(kernel):
    if kernel not in ("auto", "fast", "generic"):
        raise ValueError(f"kernel must be 'auto', 'fast' or 'generic' (all run the one generated kernel), "
                         f"got {kernel!r}")
    if kernel != "auto":
        import warnings

        warnings.warn(f"Simulator(kernel={kernel!r}) is deprecated: one kernel, generated per network structure, "
                      "runs every network now; leave kernel out", DeprecationWarning, stacklevel=3)


def _spike_steps(times, dt):
    """Step index in which a spike at time t is emitted: the step ending at or just after t."""
    steps = np.ceil(np.asarray(times) / dt - 1e-9).astype(np.int64) - 1
    return np.maximum(steps, 0)


class ProbeData(Mapping):
    """`sim.data`: probe -> recorded data, computed when asked (one probe's copy, not all of them); a probe
    it does not know raises UnknownProbeError saying why."""

    def __init__(self, sim):
        self._sim = sim

    def __getitem__(self, probe):
        return self._sim._probe_data(probe)

    def __iter__(self):
        return iter(self._sim._probes)

    def __len__(self):
        return len(self._sim._probes)
