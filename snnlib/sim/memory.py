"""One memory model for a simulation: what a network, its state and its probes will hold, in bytes.

The model-size guard (`Simulator` refuses a network whose estimate exceeds `memory_limit`) and the probe
guard (`probe_memory_limit`) both read their figures from here, so the two agree with each other and with
the measured peak (`benchmarks/scaling.py` compares the estimate with the resident-memory peak of a run).

Per synapse (edge) the kernel keeps its synaptic slot (int32, 4 bytes) and its effective weight (weight x
the synapse's gain, in the state's precision: 4 bytes in float32, 8 in float64): 8 or 12 bytes; a static
network whose connections each have one weight keeps one code per synapse instead (slot and an index into a
table of weights: 2 bytes when they fit 16 bits, else 4; `edge_codes`). A network
with a learning rule also keeps, per edge, the plastic weight (float64), the gain (float64), the pre and post
neuron (int32 each), the rule instance (int32), the connection (int32) and the edge's position in its
connection (int64), a copy of the weights for `reset` (the kernel writes the plastic weights only: a
plastic edge delivers weight x gain computed at delivery), and the potentiation's post-major index: the edge
and the presynaptic trace of each (int32 each); a connection with a presynaptic model adds the model
instance of each edge (int32). A random connection is drawn at build time straight into that layout (no
copy of the connectivity is kept in the description); a dense weight matrix given by the user is counted as
the user's array (it stays referenced by the network).

Everything is in bytes. Figures that depend on a random draw (synapses of `connect_random`) use the
expected count p x pairs; the builder checks again with the exact count before allocating.
"""

import os
from collections import Counter

from snnlib.units import GiB, MiB

#: fraction of the machine's memory (or of the container's limit) the default `memory_limit` allows
DEFAULT_FRACTION = 0.8
#: edges below which the builder sorts with numpy (temporaries about NUMPY_SORT_BYTES per edge)
NUMPY_SORT_EDGES = 1 << 20
NUMPY_SORT_BYTES = 96
#: pairs (pre.n x post.n) up to which connect_random keeps numpy's draw (the one every lesson was made with)
LEGACY_DRAW_PAIRS = 1 << 24


class ModelMemoryError(ValueError):
    """A network would need more memory than the limit allows (`Simulator(memory_limit=...)`)."""


def machine_memory():
    """Bytes of memory this process may use: physical memory, or the container's (cgroup) limit if lower."""
    total = None
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        pass
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path) as f:
                text = f.read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < (1 << 60):
            total = int(text) if total is None else min(total, int(text))
    return total if total else 16 * GiB


def default_limit():
    """The default `memory_limit`: DEFAULT_FRACTION of `machine_memory()`."""
    return int(DEFAULT_FRACTION * machine_memory())


def fmt(nbytes):
    """Bytes as a short human figure (KiB, MiB or GiB)."""
    if nbytes >= GiB:
        return f"{nbytes / GiB:.1f} GiB"
    if nbytes >= MiB:
        return f"{nbytes / MiB:.0f} MiB"
    return f"{nbytes / 1024:.0f} KiB"


def ftype_bytes(precision):
    return 4 if precision == "float32" else 8


def connection_edges(conn):
    """Synapses of a connection: exact when known, else the expected count of a random draw."""
    spec = conn.spec
    if spec.kind == "random":
        if spec.nnz is not None:
            return spec.nnz
        pairs = conn.pre.n * conn.post.n
        if not spec.allow_self:
            pairs -= min(conn.pre.n, conn.post.n)
        return int(round(spec.p * pairs))
    return spec.nnz


def edge_bytes(precision, plastic, presynaptic, code=None):
    """Bytes per synapse in the kernel's layout (see the module docstring); code: the bytes of a code
    (`edge_codes.code_bytes`) when the edges are coded, else None."""
    if code is not None:
        return code
    b = 4 + ftype_bytes(precision)                   # slot, effective weight
    if plastic:                                      # w, gain, pre, post, rule, conn, origin; w's copy for reset
        b += 8 + 8 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 4   # + prow_edges, prow_pre (int32); the kernel never writes weff: no copy
    if presynaptic:
        b += 4
    return b


def neuron_bytes(precision, n_ns=2, n_nz=1):
    """Bytes per neuron: state, drive, currents, flags, bias, initial voltage, counters, CSR pointer, position."""
    ft = ftype_bytes(precision)
    return (n_ns * ft + 8 + n_nz * 8 + 3 * ft + 1 + 8 + 8 + 8 + 8 + 1 + 8 + 8 + 16 + 8)


def position_bytes(precision, n_ns=2, n_nz=1):
    """Bytes per position in a gap (`snnlib.sim.positions`): the arrays laid out by position (state, noise
    state and current, drive, summed current, bias, flags; the spike buffer is the "threads" part's)."""
    ft = ftype_bytes(precision)
    return n_ns * ft + n_nz * 8 + 8 + 3 * ft + 1


def network_estimate(net, precision="float64", chunk_steps=2000, threads=1):
    """Estimated bytes of a simulation of `net`, by part (dict name -> bytes, plus "total" and "synapses").

    Parts: "synapses" (the connectivity in the kernel's layout), "descriptions" (dense weight matrices and
    sparse matrices the network holds), "build" (the largest temporary while building), "neurons" (state
    and per-neuron arrays), "synaptic state" (one filter per post neuron and synapse kind), "inputs per
    chunk" (Poisson spikes and time-varying drives generated per chunk of steps), "threads" (with threads > 1:
    the parallel loop's partition bounds, `codegen_parallel.tables`); beside the total, "synapse_count" and
    "synapse_bytes" (bytes per synapse, `edge_bytes`). Probes are estimated separately (`probe_estimate`)
    because they grow with the run."""
    ft = ftype_bytes(precision)
    conns = net.connections
    plastic = any(c.plasticity is not None for c in conns)
    presyn = any(c.presynaptic is not None for c in conns)
    E = sum(connection_edges(c) for c in conns)
    N = sum(p.n for p in net.populations)
    M = sum(s.n for s in net.sources)
    n_ns = max([len(p.neuron.state) for p in net.populations] + [2])
    n_nz = max([len(p.noise.state) for p in net.populations if p.noise is not None] + [1])
    from snnlib.sim.builder import receptor_slots

    slots = receptor_slots(net, ft)[1]
    n_ss = max([len(c.synapse.state) for c in conns] + [1])
    parts = {}
    from snnlib.sim.edge_codes import code_bytes

    from snnlib.sim.positions import gap_positions

    gap_n, gap_s = gap_positions(net, threads)       # a threaded network's state has gaps at the cuts
    per_synapse = edge_bytes(precision, plastic, presyn, code_bytes(net, slots + gap_s))     # codes hold positions
    parts["synapses"] = E * per_synapse + (N + M + 1) * 8
    parts["descriptions"] = sum(c.spec.description_bytes() for c in conns)
    # the largest temporary: numpy's draw of one small random connection, or the numpy path's
    # concatenation + sort (they happen one after the other), plus per-presynaptic counts and fill pointers
    sort = E * NUMPY_SORT_BYTES if (plastic or presyn or E < NUMPY_SORT_EDGES) else 0
    legacy = [_legacy_draw_bytes(c) for c in conns
              if c.spec.kind == "random" and c.pre.n * c.post.n <= LEGACY_DRAW_PAIRS]
    parts["build"] = (N + M + 1) * 8 * 2 + max([sort] + legacy)
    parts["neurons"] = N * neuron_bytes(precision, n_ns, n_nz) + M * 8 * 3 + gap_n * position_bytes(precision, n_ns, n_nz)
    parts["synaptic state"] = (slots + gap_s) * n_ss * ft
    n_ext = sum(i.target.n for i in net.inputs if not i.signal.constant)
    parts["inputs per chunk"] = chunk_steps * (M * 9 + n_ext * 24)
    if threads > 1:
        # per presynaptic index and thread its runs of edges (at most one per connection from its
        # population: the widest row has as many as the most connections leaving one population), and the
        # blocks' spike lists
        from snnlib.sim.codegen_parallel import fusable, table_bytes
        from snnlib.sim.codegen_persistent import partitions

        width = max(Counter(id(c.pre) for c in conns).values(), default=1)
        parts["threads"] = table_bytes(N + M, partitions(threads, fusable(net)), E, N + gap_n, width)
    parts["total"] = sum(parts.values())
    parts["synapse_count"] = E
    parts["synapse_bytes"] = per_synapse
    return parts


def _legacy_draw_bytes(conn):
    """Temporaries of numpy's draw (Generator.choice without replacement, then a COO -> CSR matrix)."""
    pairs = conn.pre.n * conn.post.n
    k = int(round(conn.spec.p * pairs))
    if pairs > 10000 and k > 0.9 * (pairs // 50):  # numpy shuffles the tail of arange(pairs) (when the drawn
        choice = 8 * pairs + 8 * k                 # count, near p x pairs, exceeds pairs // 50)
    else:
        choice = 8 * (1 << max(1, int(1.2 * k)).bit_length()) + 8 * k      # Floyd's hash set + result
    return max(choice, 64 * k)                     # then: sort, divmod, COO and CSR arrays


def check_model(net, precision, limit, chunk_steps=2000, threads=1):
    """Raise ModelMemoryError if `net`'s estimate exceeds `limit` bytes; return the estimate."""
    est = network_estimate(net, precision, chunk_steps, threads)
    if est["total"] > limit:
        raise ModelMemoryError(too_large_message(est, limit, precision))
    return est


def too_large_message(est, limit, precision):
    """The model-size guard's message for estimate `est` (`network_estimate`'s); the float32 hint only where the
    precision sets a synapse's size: a slot and a weight (8 bytes or more), not a code (`edge_codes`, at most 4)."""
    parts = ", ".join(f"{k} {fmt(v)}" for k, v in est.items()
                      if k not in ("total", "synapse_count", "synapse_bytes") and v >= MiB)
    hint = ("; precision='float32' stores a synapse in 8 bytes instead of 12"
            if precision == "float64" and est["synapse_bytes"] > 4 else "")
    return (f"this network would need about {fmt(est['total'])} of memory ({est['synapse_count']:,} synapses; "
            f"{parts}), over the limit of {fmt(limit)}. To proceed: use fewer neurons or a lower connection "
            f"probability (memory grows with the number of synapses){hint}; or, if this machine really has "
            "the memory, raise the limit with Simulator(net, memory_limit=...) (bytes; snnlib.units.GiB helps).")


def probe_estimate(dense, old_rows, new_rows, spike_capacity):
    """Bytes probes hold while growing for a run: the dense buffer before and after (both exist while it is
    copied), and the spike-event buffers (step and index, int64, `spike_capacity` entries each).

    dense: list of (probe, n_indices); old_rows/new_rows: per probe, rows held before/after the run."""
    old = sum(r * n for (_, n), r in zip(dense, old_rows)) * 8
    new = sum(r * n for (_, n), r in zip(dense, new_rows)) * 8
    return {"dense probes": new, "dense probes (old copy while growing)": old if new > old else 0,
            "spike events": 16 * spike_capacity}
