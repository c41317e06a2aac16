"""The multi-threaded variant of the generated loop (`Simulator(threads=...)`, issue 22 "every core").

Two phases of each step run on all threads (numba `prange`); everything else stays serial, in the order of
`snnlib.sim.codegen`'s single-thread loop, and every float is computed by the same operations in the same
order, so spikes, voltages and weights are bit-identical to the single-thread run:

1. Neuron blocks. Every population is cut into blocks of about `block_size` neurons (a table built here:
   `Par.blk_*`); one `prange` over all blocks of all groups runs, per block, the group's pass (receptor
   currents, filters, noise, the neuron update: the serial pass's own lines on the block's slices) and then
   the exact step of the block's flagged neurons, leaving flag 1 exactly on the neurons that fired. Each
   neuron's arithmetic is independent of every other neuron's, and the exact step reads only its own
   neuron's state and drive, so neither the blocking nor running the exact steps before other groups'
   passes changes a value. A serial scan of the flags (eight at a time) then lists the spikes in index
   order, then the sources', as before.
2. Spike delivery, partitioned by TARGET: the synaptic slots (`State.ss[0]`) are cut into `n_part`
   contiguous ranges holding about equal numbers of incoming synapses; thread t walks the step's whole spike
   list in order and, in each spiking neuron's row of the CSR, only the edges whose slot lies in its range
   (`Par.beg[j, t]:Par.end[j, t]` bounds them: rows are sorted by slot within each connection, so a range
   is usually a contiguous piece of the row; the slot test keeps it exact otherwise). No two threads ever
   write one current, and each current receives its spikes in exactly the serial order (spike list order,
   then edge order). A learning rule's presynaptic update (`on_pre`) writes only its edge's weight and
   state, so it runs in the same pass; its count of weight updates is summed per partition.

Serial, unchanged: the drive from time-varying inputs, modulators, learning-rule trace decay and the
postsynaptic side of rules (potentiation, trace jumps: they walk the spike list and write per-neuron and
per-edge state shared across targets), decoded signals and PES, probes; and the whole delivery when a
connection has a presynaptic model (short-term plasticity keeps state per presynaptic neuron, updated by
whichever delivery sees the spike first).

Threading is part of the structure key (`mark`), so a serial network never compiles or runs this code.
The thread count is not: `Par` holds the partition, and the same compiled loop runs any thread count.
"""

import re
from collections import namedtuple

import numpy as np

#: the partition tables the parallel loop reads (the kernel argument `pp`)
Par = namedtuple("Par", "blk_group blk_row blk_lo blk_n beg end part_lo part_hi upd")

#: neurons per block of the parallel neuron pass, at least (float32: 8 kB per state array; bigger blocks
#: only when there are many of them per thread)
MIN_BLOCK = 1024


def mark(layout):
    """Make `layout` a parallel structure: its key gains ("threads",), `codegen` writes this variant."""
    if not getattr(layout, "parallel", False):
        layout.parallel = True
        layout.key = layout.key + (("threads",),)
    return layout


# -- tables ------------------------------------------------------------------------------------------------

def block_size(n_neurons, n_part):
    """Neurons per block: about 8 blocks per thread (so a slow thread on a busy machine can be waited for
    less), never below MIN_BLOCK, a multiple of 64 from 64 up (aligned slices for the vectorised pass)."""
    size = max(MIN_BLOCK, -(-n_neurons // (8 * n_part)))
    return -(-size // 64) * 64 if size >= 64 else size


def tables(layout, n_part):
    """The `Par` tables of `layout` (a groups.Layout of a built model) for `n_part` threads."""
    m = layout.model
    size = block_size(m.n_neurons, n_part)
    grp, row, lo, nn = [], [], [], []
    for g, (_, _, pops) in enumerate(layout.neuron_groups):
        for r, p in enumerate(pops):
            n = m.populations[p].n
            for start in range(0, n, size):
                grp.append(g)
                row.append(r)
                lo.append(start)
                nn.append(min(size, n - start))
    i64 = lambda x: np.array(x, np.int64)
    part_lo, part_hi = slot_ranges(m.edge_slot, m.n_slots, n_part)
    beg, end = _row_bounds(m.pre_ptr, m.edge_slot, part_lo, part_hi)
    return Par(i64(grp), i64(row), i64(lo), i64(nn), beg, end, part_lo, part_hi, np.zeros(n_part, np.int64))


def slot_ranges(edge_slot, n_slots, n_part):
    """(lo, hi): n_part contiguous slot ranges covering [0, n_slots) with about equal incoming synapses each."""
    counts = np.bincount(edge_slot, minlength=n_slots) if len(edge_slot) else np.zeros(n_slots, np.int64)
    cum = np.cumsum(counts)
    total = int(cum[-1]) if n_slots else 0
    cuts = [0] + [int(np.searchsorted(cum, total * t / n_part, side="left")) + 1 if total else
                  n_slots * t // n_part for t in range(1, n_part)] + [n_slots]
    cuts = np.minimum(np.maximum.accumulate(np.array(cuts, np.int64)), n_slots)
    return cuts[:-1].copy(), cuts[1:].copy()


def _row_bounds(pre_ptr, edge_slot, part_lo, part_hi):
    """beg[j, t], end[j, t]: the first and one past the last edge of row j whose slot lies in partition t
    (int32 while the edges can be counted in it: 8 bytes per presynaptic index and thread, 0.2 bytes per
    synapse for CUBA on 2 threads)."""
    from snnlib.sim.jit import njit

    global _BOUNDS
    if _BOUNDS is None:
        _BOUNDS = njit(_bounds_loop, cache=False)
    n_rows, n_part = len(pre_ptr) - 1, len(part_lo)
    itype = np.int32 if pre_ptr[-1] < 2 ** 31 else np.int64
    beg = np.zeros((n_rows, n_part), itype)
    end = np.zeros((n_rows, n_part), itype)
    _BOUNDS(pre_ptr, edge_slot, part_hi, beg, end)
    return beg, end


_BOUNDS = None


def _bounds_loop(pre_ptr, edge_slot, part_hi, beg, end):
    n_part = part_hi.shape[0]
    for j in range(pre_ptr.shape[0] - 1):
        for t in range(n_part):
            beg[j, t] = pre_ptr[j + 1]
            end[j, t] = pre_ptr[j]
        for e in range(pre_ptr[j], pre_ptr[j + 1]):
            s = edge_slot[e]
            t = 0
            while s >= part_hi[t]:
                t += 1
            if e < beg[j, t]:
                beg[j, t] = e
            end[j, t] = e + 1


# -- generated lines ---------------------------------------------------------------------------------------

_RSLOT = re.compile(r"^(\s*o\d+ = G\.rslot\[row, \d+\])$")


def _block_pass(layout, gi):
    """The serial pass of group gi (`codegen._pass`) for one block: population row `row`, neurons lo_ to
    lo_ + bn_ of it; then the exact step of its flagged neurons (flag left 1 only where one fired)."""
    from snnlib.sim import codegen

    lines = codegen._pass(layout, gi)
    head = [f"G = groups[{gi}]", "for row in range(G.off.shape[0]):", "    a = G.off[row]", "    n = G.n[row]",
            "    b = a + n"]
    if lines[:5] != head:          # the serial generator changed: this transformation must follow it
        raise AssertionError(f"codegen._pass no longer starts with {head}: update codegen_parallel")
    out = [lines[0], "a = G.off[row] + lo_", "n = bn_", "b = a + n"]
    out += [_RSLOT.sub(r"\1 + lo_", ln[4:]) for ln in lines[5:]]
    cls = layout.neuron_groups[gi][0]
    if "update" in cls.functions:      # exact steps; without `update` the pass ran them and flag = spike
        # the block's flags eight at a time (a byte loop over every neuron cost a third of the pass); a word
        # shared with the next block may hold its bytes too: only this block's bytes are looked at
        exact = codegen._exact(layout, gi)
        out += ["for w8 in range(a // 8, (b + 7) // 8):", "    if words[w8] == 0:", "        continue",
                "    for i in range(max(a, 8 * w8), min(b, 8 * w8 + 8)):", "        if st.flags[i] != 0:"]
        out += codegen._indent(exact, 12) + ["            st.flags[i] = 1 if fired else 0"]
    return out


def passes(layout):
    """All neuron groups' passes and exact steps: one prange over the block table."""
    # wide_vectors() here too: the prange body becomes a function of its own, which the loop's 512-bit
    # vector preference (codegen: jit.wide_vectors) does not reach
    lines = ["for c_ in prange(pp.blk_group.shape[0]):", "    wide_vectors()", "    gi = pp.blk_group[c_]",
             "    row = pp.blk_row[c_]",
             "    lo_ = pp.blk_lo[c_]", "    bn_ = pp.blk_n[c_]"]
    for gi in range(len(layout.neuron_groups)):
        lines += [f"    {'if' if gi == 0 else 'elif'} gi == {gi}:"]
        lines += [" " * 8 + ln for ln in _block_pass(layout, gi)]
    return lines


def gather():
    """The step's spiking neurons (flag 1 after phase 1) in index order, into st.spk_list; sets n_spk. Each
    word is cleared once read, as the serial scan does (the pass sets only the flags that are up)."""
    return ["n_spk = 0", "for w8 in range(words.shape[0]):", "    if words[w8] == 0:", "        continue",
            "    for i in range(8 * w8, 8 * w8 + 8):", "        if st.flags[i] != 0:",
            "            st.spk_list[n_spk] = i", "            n_spk += 1", "    words[w8] = 0"]


def deliver(layout):
    """Spike delivery partitioned by target slot (module docstring); serial (`codegen._deliver`) when a
    connection has a presynaptic model. Counts and records every spike first, serially."""
    from snnlib.sim import codegen

    serial = codegen._deliver(layout)
    if layout.pre_kinds:
        return serial
    # serial: [locals the edge loop caches (plastic edges)], "for z in range(n_spk):", 6 lines counting and
    # recording the spike, the edge loop's head, its body (8 spaces in), whose deliveries add to
    # st.ss[0][edge_slot[e]] (st.weff[e], or a plastic edge's weight x gain)
    f = serial.index("for z in range(n_spk):")
    init, head, body = serial[:f], serial[f + 7], serial[f + 8:]
    slot = re.compile(r"st\.ss\[0\]\[(?:np\.uint32\()?g\.edge_slot\[e\]\)?\]")
    if not head.startswith("    for e in range(") or not any(slot.search(ln) for ln in body) \
            or any(not ln.startswith("        ") for ln in body):
        raise AssertionError("codegen._deliver changed its edge loop: update codegen_parallel.deliver")
    edge = [slot.sub("st.ss[0][sl_]", ln[8:]).replace("n_upd += 1", "nu_ += 1") for ln in body]
    # unsigned indices where the serial loop has them (no rule: numba would wrap a negative index around)
    u64, u32 = ("np.uint64", "np.uint32") if "np.uint64" in head else ("", "")
    lines = serial[f:f + 7]        # count and record each spike (serial: per-spike, not per-target)
    # the edge loop's cached locals are set in each partition's body: private to its thread
    lines += ["for t_ in prange(pp.part_lo.shape[0]):", "    lo_s = pp.part_lo[t_]", "    hi_s = pp.part_hi[t_]",
              "    nu_ = 0"] + ["    " + ln for ln in init] + ["    for z in range(n_spk):", "        j = st.spk_list[z]",
              f"        for e in range({u64}(pp.beg[j, t_]), {u64}(pp.end[j, t_])):",
              f"            sl_ = {u32}(g.edge_slot[e])",
              "            if sl_ >= lo_s and sl_ < hi_s:"]
    lines += [" " * 16 + ln for ln in edge]
    lines += ["    pp.upd[t_] = nu_", "for t_ in range(pp.upd.shape[0]):", "    n_upd += pp.upd[t_]"]
    return lines


# -- how many threads --------------------------------------------------------------------------------------

#: neurons from which `Simulator(threads=None)` runs on every core, measured on the 2-vCPU course VM (CUBA
#: float32, 1 and 2 threads alternated, benchmarks/scaling.py --break-even and --threads-ab; README there,
#: "Threads"): 2 threads / 1 thread loop speed 0.19-0.20x at 4,000 neurons, 0.58-0.80x at 64,000, 0.77-0.93x
#: at 128,000, 1.01-1.19x at 256,000. Below it two fork/joins per step (about 15 us each with sleeping
#: threads) cost more than the second core saves.
BREAK_EVEN = 256_000


def cores():
    """Threads the parallel loop may use: numba's NUMBA_NUM_THREADS, at most the cores this process may run on."""
    import os

    import numba

    try:
        mine = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):        # not on Linux
        mine = os.cpu_count() or 1
    return max(1, min(int(numba.config.NUMBA_NUM_THREADS), mine))


def prepare():
    """Before numba starts its threads: ask OpenMP (numba's threading layer here when no TBB is installed)
    to let idle threads sleep (OMP_WAIT_POLICY=PASSIVE) unless the user chose a policy. Threads spinning at
    each fork/join made the loop 10-25x SLOWER than one thread whenever other processes shared the cores
    (benchmarks/README.md, "Threads"); sleeping costs a few microseconds per fork/join instead. No effect
    once numba's threads run (the policy is read when OpenMP starts)."""
    import os

    from numba.np.ufunc import parallel

    if not parallel._is_initialized:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def choose(threads, n_neurons):
    """The thread count for a network of `n_neurons`: `threads` checked (None: automatic, 1 below
    BREAK_EVEN neurons, `cores()` from it). A forced count above `cores()` is kept: the loop is partitioned
    for that many threads and numba runs the partitions on the cores there are (same results either way)."""
    import numbers

    if threads is not None and (isinstance(threads, (bool, np.bool_)) or not isinstance(threads, numbers.Integral)):
        raise TypeError(f"threads must be None (automatic) or an integer >= 1, got {threads!r} of type "
                        f"{type(threads).__name__}")
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be None (automatic) or an integer >= 1, got {threads!r}")
    if threads is None:
        return cores() if n_neurons >= BREAK_EVEN else 1
    return int(threads)
