"""The multi-threaded variant of the generated loop (`Simulator(threads=...)`, issue 22 "every core").

Persistent threads (`snnlib.sim.codegen_persistent`: fused delivery on x86-64, or no JIT): ONE parallel region
per call of the loop: its thread 0 runs the loop (`main_`) and at each step publishes a task (the step's
partitions, in `Par.sync`); the other threads (`twork_`) wait for it and claim partitions by compare-and-swap,
the main thread claims those left and waits until all are done. Otherwise, one parallel
region (numba `prange` over the threads) per step. Everything else stays serial, in the order of
`snnlib.sim.codegen`'s single-thread loop, and every float is computed by the same operations in the same
order, so spikes, voltages and weights are bit-identical to the single-thread run.

Thread t owns one share of every population (`shares`: contiguous, about equal, aligned to 64 neurons in large
populations; share t of the even-numbered populations, counted in index order, and share n - 1 - t of the others,
`share_of`; one block per population in `Par.blk_*`, thread t's blocks `Par.tb_ptr[t]:tb_ptr[t + 1]`) and
the synaptic slots of those neurons, of every receptor. With fused delivery the shares' state lies apart: the
builder leaves `positions.GAP` unused positions at each cut in every array over neurons or slots
(`snnlib.sim.positions`), so no thread's pass streams up to the lines of another's share; a block's slices
start at its position (`Par.blk_start`, `Par.blk_spos`), and its noise draws and listed spikes use indices.
In the region thread t runs `tstep_`, a function compiled as the serial loop is (a prange body of numba's
making ran the same lines about 30 % slower):

1. Delivery of the previous step's spikes to the slots t owns ("fused" delivery, `fused`): it walks that
   step's whole spike list in order and, in each spiking neuron's CSR row, only the runs of edges to its
   slots (`codegen_parallel_delivery.runs`: about one run per connection of the row, a table per thread). No two
   threads write one current, and each current receives its spikes in exactly the serial order (spike list
   order, then edge order; `codegen_parallel_delivery`). Its cache misses are requested ahead (all the
   spikes' rows of runs first, then the edges of the spike AHEAD places on; and, in the step before, the
   thread's own spikes' rows and edges as they fire): otherwise each thread waited on as many misses in a row
   as the serial loop does, and delivery took each thread as long as it takes one thread for all slots.
2. Its neurons: for each of its blocks the group's pass (receptor currents, filters, noise, the neuron
   update: the serial pass's own lines on the block's slices), then the exact step of the block's flagged
   neurons, each flag cleared and each spike listed in the block's own part of `Par.spk_buf`. Each neuron's
   arithmetic is independent of every other neuron's, and the pass reads only the slots its thread owns, so
   neither the cut nor the order of the blocks changes a value.

Serially after the region the blocks' spike lists are joined in index order (then the sources'), and each
spike is counted and recorded; its delivery waits for the next step's region, or for `tdlv_` (the same
delivery alone) before the loop returns, so the state the Simulator sees between calls is the serial
loop's. Deferring it changes nothing: between delivery and the next pass nothing reads or writes a
synaptic current when no synapse is plastic and no connection has a presynaptic model. Otherwise
(`fused` false) delivery keeps a parallel region of its own after the spikes are listed (same runs; a
rule's presynaptic update, `on_pre`, writes only its edge, and its count of weight updates is summed per
thread), or is serial with a presynaptic model (short-term plasticity keeps state per presynaptic neuron,
updated by whichever delivery sees the spike first).

Serial, unchanged: the drive from time-varying inputs, modulators, learning-rule trace decay and the
postsynaptic side of rules (potentiation, trace jumps: they walk the spike list and write per-neuron and
per-edge state shared across targets), decoded signals and PES, probes.

Every function a fork/join runs on a thread goes through a guard (`_guard`; the persistent threads through
`codegen_persistent.region`'s): a model function's exception marks the failure and the loop raises
ThreadedLoopError once the threads have joined (`raise_if_failed`); in a float32 loop compiled on x86-64 the
guard also runs its thread's part under the CPU's flush-to-zero mode (`codegen.flush_mode`: MXCSR is per
thread, so each thread sets its own and writes it back, on return and on raise), which the serial loop runs
under too: the passes need no explicit flush, and the bits are the serial loop's.

Threading is part of the structure key (`mark`), so a serial network never compiles or runs this code.
The thread count is not: `Par` holds the partition, and the same compiled loop runs any thread count.
"""

import re
from collections import namedtuple

import numpy as np

# (codegen imports this module only inside its functions, so these imports run no cycle)
from snnlib.sim import codegen_delivery as delivery
from snnlib.sim import codegen_parallel_delivery as pdelivery
from snnlib.sim import codegen_persistent as persist

#: the partition tables the parallel loop reads (the kernel argument `pp`): the neuron blocks (group, population
#: row, first neuron in the population, count), thread t's blocks `tb_ptr[t]:tb_ptr[t + 1]`, per thread and
#: presynaptic index its runs of edges to owned slots (`runs`), per thread the count of weight updates of its
#: delivery, and the blocks' spike lists: the blocks in index order, each one's first neuron's position (where
#: its state lies, `snnlib.sim.positions`; also where its part of `spk_buf` starts) and spike count; the
#: persistent threads' shared words (`sync`: codegen_persistent); per block the position of its first neuron's
#: slot in each receptor of its group (`blk_spos`)
Par = namedtuple("Par", "blk_group blk_row blk_lo blk_n tb_ptr runs upd blk_order blk_start blk_cnt spk_buf sync "
                        "blk_spos")

#: a thread's share of a population starts at a multiple of ALIGN neurons (aligned slices for the vectorised
#: pass) when the population has at least ALIGN_FROM neurons (so the rounding unbalances the threads by at
#: most 1/64); a smaller population is cut exactly (the tests cut tiny ones, so shares end inside vector loops)
ALIGN, ALIGN_FROM = 64, 64 * 64


def mark(layout):
    """Make `layout` a parallel structure: its key gains ("threads",), `codegen` writes this variant."""
    if not getattr(layout, "parallel", False):
        layout.parallel = True
        layout.key = layout.key + (("threads",),)
    return layout


def fused(layout):
    """Whether delivery runs inside the next step's parallel region (one fork/join per step): when no
    synapse is plastic and no connection has a presynaptic model, nothing between delivery and the next
    neuron pass reads or writes the synaptic currents (module docstring). `fusable` says the same of the
    network before it is built."""
    return not layout.rule_kinds and not layout.pre_kinds


def fusable(network):
    """`fused` for a network description, before it is built (the automatic thread count, `choose`; the memory
    model's partition count): no connection has a learning rule or a presynaptic model."""
    return all(c.plasticity is None and c.presynaptic is None for c in network.connections)


# -- tables ------------------------------------------------------------------------------------------------

def shares(n, n_part):
    """Cut points of a population of n neurons into n_part contiguous shares (about equal; see ALIGN)."""
    cuts = [n * t // n_part for t in range(n_part + 1)]
    if n >= ALIGN_FROM:
        cuts = [c // ALIGN * ALIGN for c in cuts[:-1]] + [n]
    return cuts


def share_of(t, p, n_part):
    """Which share (`shares`) of the p-th population in index order thread t runs: t when p is even, n_part - 1 - t
    when it is odd, so both sides of a boundary between two populations belong to one thread. A thread's pass
    streams its block upwards and the CPU's prefetcher reads on past its end; lines of another thread's block
    there cost that thread a transfer each, every step (CUBA x 16 on 2 threads, cores about 500 ns apart: an
    inhibitory block behind another thread's block ran 2-3x slower; benchmarks/README.md, "session 15")."""
    return n_part - 1 - t if p % 2 else t


def tables(layout, n_part):
    """The `Par` tables of `layout` (a groups.Layout of a built model) for `n_part` threads: thread t runs
    one share of every population (`share_of`; one block each; the shares are the model's `positions.cuts`)
    and owns those neurons' slots of every receptor."""
    m = layout.model
    pos = m.positions
    if pos.n_part != n_part:            # the builder laid the state out for another partition count
        raise AssertionError(f"the model's positions are cut for {pos.n_part} partitions, not {n_part}")
    own = np.zeros(pos.n_slot_pos, np.int32)
    width = max([len(rs) for _, rs, _ in layout.neuron_groups] + [1])
    grp, row, lo, nn, tb, start, spos = [], [], [], [], [0], [], []
    for t in range(n_part):
        for g, (_, _, pops) in enumerate(layout.neuron_groups):
            for r, p in enumerate(pops):
                u = share_of(t, p, n_part)
                a, b = pos.cuts[p][u], pos.cuts[p][u + 1]
                if b == a:
                    continue
                firsts = [int(pos.slot(rs.slot_offset + a)) for rs in m.receptors[p]]
                grp.append(g)
                row.append(r)
                lo.append(a)
                nn.append(b - a)
                start.append(int(pos.neuron[m.pop_offsets[p] + a]))
                spos.append(firsts + [0] * (width - len(firsts)))
                for f in firsts:            # a share's slots lie together, as its neurons do
                    own[f:f + b - a] = t
        tb.append(len(grp))
    i64 = lambda x: np.array(x, np.int64)
    rr = pdelivery.runs(m.pre_ptr, m.edge_slot, own, n_part, m.code_mask)
    start = i64(start)
    return Par(i64(grp), i64(row), i64(lo), i64(nn), i64(tb), rr, np.zeros(n_part, np.int64),
               np.argsort(start, kind="stable").astype(np.int64), start,
               np.zeros(pdelivery.CNT_STRIDE * len(grp), np.int64),
               np.zeros(pos.n_neuron_pos, np.int64), persist.sync_words(n_part),
               np.array(spos, np.int64).reshape(len(grp), width))


def table_bytes(n_rows, n_part, n_edges, n_neurons, width):
    """Bytes of the `Par` tables (the memory model's "threads" part: `runs` for n_rows presynaptic indices,
    `width` runs per row and thread at most; the blocks' spike lists; the block table and counts are
    negligible)."""
    return n_rows * n_part * 2 * max(width, 1) * (4 if n_edges < 2 ** 31 else 8) + n_neurons * 8


# -- generated lines ---------------------------------------------------------------------------------------

_RSLOT = re.compile(r"^(\s*o(\d+)) = G\.rslot\[row, \d+\]$")


def _block_pass(layout, gi):
    """The serial pass of group gi (`codegen._pass`) for one block: population row `row`, neurons lo_ to
    lo_ + bn_ of it; then the exact step of its flagged neurons (flag left 1 only where one fired)."""
    from snnlib.sim import codegen

    # under flush-to-zero (every thread sets it: `_guard`, codegen_persistent.region) no explicit flush
    lines = codegen._pass(layout, gi, flush=not codegen.flush_mode(layout))
    head = [f"G = groups[{gi}]", "for row in range(G.off.shape[0]):", "    a = G.off[row]", "    n = G.n[row]",
            "    b = a + n"]
    if lines[:5] != head:          # the serial generator changed: this transformation must follow it
        raise AssertionError(f"codegen._pass no longer starts with {head}: update codegen_parallel")
    # a: where the block's state lies (its position), ia_: its first neuron's index (the noise's counter and
    # the spikes it lists are over indices; `snnlib.sim.positions`); each receptor's slots from its own table
    out = [lines[0], "ia_ = G.off[row] + lo_", "a = pp.blk_start[c_]", "n = bn_", "b = a + n"]
    out += [_RSLOT.sub(r"\1 = pp.blk_spos[c_, \2]", ln[4:]).replace("step, a + k)", "step, ia_ + k)")
            for ln in lines[5:]]
    if layout.noise_kinds[gi] is not None and not any("step, ia_ + k)" in ln for ln in out):
        raise AssertionError("codegen._pass no longer draws noise with counter `a + k`: update codegen_parallel")
    # the exact steps of the block's flagged neurons (without `update` the pass ran them: flag = spike), flags
    # eight at a time (a byte loop over every neuron cost a third of the pass); each flag is cleared and each
    # spike listed in the block's own part of pp.spk_buf, in index order (a word shared with a neighbouring
    # block may hold its bytes too: only this block's bytes are looked at and cleared)
    exact = codegen._exact(layout, gi)
    # The words are skipped eight at a time (a cache line, `jit.line_or`: one vector load and OR, as the serial
    # scan; the OR of eight scalar loads it replaced took 3.25 us of a 25,600-neuron block's scan and exact steps
    # at 64,000 neurons, line_or 2.2 us, rdtsc, session 13) in a loop of their own: in this large function the
    # plain word loop kept its variables on the stack and cost about 1.5 ns per word (12 us a step at 64,000
    # neurons, against 1 us for the same loop alone); a slice, so numba adds no wraparound select per word.
    out += ["cnt_ = 0", "w0_ = a // 8", "ws_ = words[w0_:(b + 7) // 8]", "nw_ = ws_.shape[0]", "q_ = -1",
            "while q_ < nw_:", "    q_ += 1", "    while q_ + 8 <= nw_ and line_or(ws_, q_) == 0:", "        q_ += 8",
            "    while q_ < nw_ and ws_[q_] == 0:", "        q_ += 1", "    if q_ >= nw_:", "        break",
            "    w8 = w0_ + q_", "    for i in range(max(a, 8 * w8), min(b, 8 * w8 + 8)):", "        if st.flags[i] != 0:"]
    out += codegen._indent(exact, 12) + ["            st.flags[i] = 0", "            if fired:",
                                         "                j_ = ia_ + (i - a)",
                                         "                pp.spk_buf[a + cnt_] = j_", "                cnt_ += 1"]
    if fused(layout):       # the spike's row of runs, for the next step's delivery
        out += [" " * 16 + ln for ln in pdelivery.spike_requests(not layout.coded, "j_")[0]]
    out += [f"pp.blk_cnt[{pdelivery.CNT_STRIDE} * c_] = cnt_"]
    return out


def _blocks(layout):
    """Thread t_'s neuron blocks: each group's pass and exact steps on them."""
    # `words` (the flags' uint64 view) comes from the loop, which gets it from its Python wrapper: a view made
    # in compiled code costs about 0.2 s of a fresh process's first compile (see codegen.loop)
    lines = ["for c_ in range(pp.tb_ptr[t_], pp.tb_ptr[t_ + 1]):",
             "    gi = pp.blk_group[c_]", "    row = pp.blk_row[c_]", "    lo_ = pp.blk_lo[c_]", "    bn_ = pp.blk_n[c_]"]
    for gi in range(len(layout.neuron_groups)):
        lines += [f"    {'if' if gi == 0 else 'elif'} gi == {gi}:"]
        lines += [" " * 8 + ln for ln in _block_pass(layout, gi)]
    if fused(layout):       # its spikes' edge lines, for its part of the next step's delivery
        lines = (["pw_ = pp.runs.shape[2]", "pr_ = t_ * pp.runs.shape[1] * pw_"] + lines
                 + pdelivery.spike_requests(not layout.coded)[1])
    return lines


#: the arguments every per-thread function takes first (then the arrays it reads, by their hoisted names)
_HEAD = "t_, n_pend, step, dt, dt64, zero, zr"


def _function(name, lines):
    """(source, prep, call): a compiled function `name` running `lines` (written against the named tuples, as
    the loop's lines are) for thread t_, the loop lines setting its arguments (named `name` + number) and the
    call itself (for thread t_). The
    function is compiled as the serial loop is (its own vector width, no parfor lowering): a prange body of
    numba's making ran the neuron pass about 30 % slower than the serial loop ran it."""
    from snnlib.sim import codegen

    binds, body = codegen._hoist(lines)
    used = set(codegen._NAME.findall("\n".join(body)))       # the names the body uses, in one scan (as the loop's)
    args = [a for a in binds if a in used]
    if "words" in used:     # the loop's own argument (codegen._kernel binds it), passed on as it is
        binds["words"] = "words"
        args.append("words")
    src = ['@njit(cache=CACHE, error_model="numpy", no_cfunc_wrapper=True)',
           f"def {name}({_HEAD}{''.join(', ' + a for a in args)}):", "    wide_vectors()"] + ["    " + ln for ln in body]
    # the call site: each argument taken in the loop's own terms (`st.ss[0]`, `G.par` after `G = groups[k]`),
    # which the loop's hoisting turns into its own arguments
    call, alias = [], None
    for k, a in enumerate(args):
        expr = _original(a, binds)
        m = re.match(r"^(G|L|P)(\d+)\.(.*)$", expr)
        if m:
            root = {"G": "groups", "L": "rules", "P": "pres"}[m.group(1)]
            if alias != (m.group(1), m.group(2)):
                call.append(f"{m.group(1)} = {root}[{m.group(2)}]")
                alias = (m.group(1), m.group(2))
            expr = f"{m.group(1)}.{m.group(3)}"
        call.append(f"{name}{k} = {expr}")
    return "\n".join(src), call, f"{name}({_HEAD}{''.join(f', {name}{k}' for k in range(len(args)))})"


def _fork(prep, inv):
    """The loop's lines running `inv` (a call of a per-thread function for thread t_) in a parallel region of
    its own (a fork/join: every thread's partition, then all wait), through its guard (`_guard`): an exception
    in a thread's partition marks jit.FAILED, and once every thread has returned the loop raises
    ThreadedLoopError (an exception leaving a numba prange body is lost or turned into a SystemError)."""
    name, args = inv.split("(", 1)
    return prep + ["for t_ in prange(pp.tb_ptr.shape[0] - 1):", f"    g{name}(pp.sync, ({args[:-1]},))"] \
        + raise_if_failed("sync_load(pp.sync, {})")


#: what a learner reads when a model function raised inside a thread of the loop (jit.fail)
THREAD_FAILED = ("a model function raised an exception inside the loop running on several threads, and numba "
                 "cannot pass an exception from one thread to another, so its message is lost; run the "
                 "same network with Simulator(..., threads=1) to see it (this run stopped part-way through "
                 "its chunk: reset the simulator before running again)")


def raise_if_failed(word, pad=""):
    """Lines raising ThreadedLoopError if a thread marked jit.FAILED (`jit.fail`), once every thread has
    returned: after a fork/join (in the loop) and after the persistent region (in its Python wrapper).
    `word`: how the generated code reads the mark, a format string given the index FAILED; `pad`: the indent."""
    from snnlib.sim.jit import FAILED

    return [pad + f"if {word.format(FAILED)} != 0:", pad + f"    raise ThreadedLoopError({THREAD_FAILED!r})"]


def _guard(name, ftz=False):
    """The source of `g` + name: per-thread function `name` called inside `try`; an exception marks jit.FAILED
    (`jit.fail`; without the JIT, where the partitions run in order, it re-raises the model's own exception).
    The arguments travel as one tuple: numba cannot type a call of more than 30 arguments inside `try`.
    `ftz` (`codegen.flush_mode`): the thread runs `name` under flush-to-zero and gets its own MXCSR back
    after it, whether it returned or raised (MXCSR belongs to the thread: each worker sets its own)."""
    on, off = persist.ftz_lines(ftz)
    doc = f'    """{name}(*a_) for one thread; its exception marks the failure in sync_ (codegen_parallel._fork)."""'
    return ['@njit(cache=CACHE, error_model="numpy", no_cfunc_wrapper=True)', f"def g{name}(sync_, a_):", doc] \
        + on + ["    try:", f"        {name}(*a_)", "    except Exception:", "        fail(sync_, False)"] + off


def _guards(ftz, *names):
    """The module-level source of the guards (`_guard`) of the per-thread functions `names`."""
    return "\n\n" + "\n\n\n".join("\n".join(_guard(f, ftz)) for f in names) + "\n"


def _original(name, binds):
    """The expression a hoisted name stands for, in the named tuples' terms (`st_ss_0` -> `st.ss[0]`)."""
    expr = binds[name]
    m = re.match(r"^([A-Za-z]\w*)\[(\d+)\]$", expr)
    if m and m.group(1) in binds and not re.match(r"^(groups|rules|pres)\[", binds[m.group(1)]):
        return f"{_original(m.group(1), binds)}[{m.group(2)}]"
    return expr


#: the generated module's import of the prefetch hint (`snnlib.sim.jit.prefetch`; a no-op without the JIT) and of
#: the persistent threads' synchronisation (`snnlib.sim.jit.sync_load` ...; plain Python without the JIT)
_IMPORT = "from snnlib.sim.jit import fail, prefetch, relax, sync_claim, sync_load, sync_store\n"

#: what `codegen` writes for the parallel variant: `source`, the module-level per-thread functions; `step`, the
#: loop's lines of each step's parallel part (every thread's `tstep_`); `flush`, the lines delivering the
#: pending spikes before the loop returns (every thread's `tdlv_`), [] without `fused`; `worker`, with
#: persistent threads (`codegen_persistent.persistent`), the lines of a waiting thread's loop (`twork_`), else
#: None; `deliver`, without `fused` (and without a presynaptic model), the lines of the step's delivery in a
#: fork/join of its own (every thread's `tdlv_`, which also counts the weight updates of the rules' on_pre in
#: pp.upd), else None
Parts = namedtuple("Parts", "source step flush worker deliver")


def parts(layout):
    """The `Parts` of `layout` (made once per kernel: `codegen.generate` passes them on). `tstep_` is thread
    t_'s share of the step: with `fused`, first the delivery of the previous step's spikes into its slots,
    then its neuron blocks; `tdlv_` is the delivery alone. Every function a fork/join runs goes through its
    guard (`_guard`), as the persistent region's threads do (`codegen_persistent.region`)."""
    from snnlib.sim.codegen import flush_mode

    ftz = flush_mode(layout)
    step = _blocks(layout)
    if not fused(layout):
        src, prep, inv = _function("tstep_", step)
        src, dlv = _IMPORT + src + "\n", None
        if not layout.pre_kinds:      # delivery partitioned by target slot (a presynaptic model's: serial)
            init, edge = pdelivery.edge_loop(layout)
            # the edge loop's cached locals are set in each partition's body: private to its thread
            s2, p2, c2 = _function("tdlv_", ["nu_ = 0"] + init + edge + ["pp.upd[t_] = nu_"])
            src, dlv = src + "\n\n" + s2 + "\n", _fork(p2, c2)
        src += _guards(ftz, "tstep_", *(["tdlv_"] if dlv else []))
        return Parts(src, _fork(prep, inv), [], None, dlv)
    init, dlv = pdelivery.edge_loop(layout)
    s1, p1, c1 = _function("tstep_", ["nu_ = 0"] + init + dlv + step)
    s2, p2, c2 = _function("tdlv_", ["nu_ = 0"] + init + dlv)
    src = _IMPORT + s1 + "\n\n\n" + s2 + "\n"
    if not persist.persistent(layout):
        src += _guards(ftz, "tstep_", "tdlv_")
        return Parts(src, _fork(p1, c1), ["if n_pend > 0:"] + ["    " + ln for ln in _fork(p2, c2)], None, None)
    return Parts(src, p1 + persist.publish(0, c1), ["if n_pend > 0:"] + ["    " + ln for ln in p2 + persist.publish(1, c2)],
                 p1 + p2 + persist.worker([c1, c2]), None)


def gather():
    """The step's spiking neurons in index order into st.spk_list (each block listed its own, in order; the
    blocks are taken in index order); sets n_spk."""
    return ["n_spk = 0", "for q_ in range(pp.blk_order.shape[0]):", "    c_ = pp.blk_order[q_]",
            "    a_ = pp.blk_start[c_]", f"    for z in range(pp.blk_cnt[{pdelivery.CNT_STRIDE} * c_]):",
            "        st.spk_list[n_spk] = pp.spk_buf[a_ + z]", "        n_spk += 1"]


def deliver(layout, parallel):
    """Spike delivery: counted and recorded serially; with `fused`, the delivery itself is left to the next
    step's parallel region (n_pend spikes pending); otherwise partitioned by target slot in a fork/join of its
    own (`parallel.deliver`: every thread's `tdlv_`, guarded; the threads' counts of weight updates summed
    after it), or serial (`codegen_delivery._deliver`) when a connection has a presynaptic model."""
    serial = delivery._deliver(layout)
    if layout.pre_kinds:
        return serial
    f = serial.index("for z in range(n_spk):")
    lines = serial[f:f + 7]        # count and record each spike (serial: per-spike, not per-target)
    if fused(layout):
        return lines + ["n_pend = n_spk"]
    return lines + ["n_pend = n_spk"] + parallel.deliver + [
        "for t_ in range(pp.upd.shape[0]):", "    n_upd += pp.upd[t_]", "n_pend = 0"]


def finish(parts, lines):
    """The loop's lines with the pending delivery (`fused`; `parts.flush`) started empty and done before each
    return."""
    from snnlib.sim.jit import SYNC_SEQ

    flush = parts.flush + ([f"sync_store(pp.sync, {SYNC_SEQ}, -1)"] if parts.worker else [])   # persistent: threads return
    out = []
    for ln in lines:
        if ln == "    for s in range(n_steps):":
            out += ["    n_pend = 0", "    step = step0", ln]
            if parts.worker:
                out[-1:-1] = ["    seq_ = 0", "    nparts_ = pp.tb_ptr.shape[0] - 1"]
        elif ln.strip() in ("return s", "return n_steps"):
            pad = ln[:len(ln) - len(ln.lstrip())]
            out += [pad + f for f in flush] + [ln]
        else:
            out.append(ln)
    return out


# -- how many threads --------------------------------------------------------------------------------------

#: neurons from which `Simulator(threads=None)` runs on every core. Session 8 (persistent threads, 18:11-18:24
#: UTC, load 10-12): `--break-even` twice: 0.85 / 0.73x at 4,000 neurons, 0.88 / 0.97x at 8,000, 0.90 / 1.01x
#: at 16,000, 1.32 / 1.31x at 32,000, 1.43 / 1.67x at 64,000: break-even 32,000 and 16,000 (1.01x): kept.
#: Session 7, measured on the 2-vCPU course VM (CUBA
#: float32, 1 and 2 threads alternated, benchmarks/scaling.py --break-even and --threads-ab; README there,
#: "Threads", 2026-11-29 14:49-15:33 UTC, machine shared, load 2-6): 2 threads / 1 thread loop speed
#: 0.16-0.39x at 4,000 neurons, 0.70-0.98x at 16,000, 1.29-1.50x at 32,000 (every run faster from here),
#: 0.85-1.80x (median 1.52) at 64,000, 2.1x at 256,000. Below it a fork/join per step (about 3 us: the
#: region's start 1.7-2.2 us, its end about 1 us) costs more than the second core saves. (Before the
#: delivery's prefetching, 12:19 UTC: break-even 32,000 in 2 of 3 runs, set at 64,000.)
BREAK_EVEN = 32_000


def cores():
    """Threads the parallel loop may use: numba's NUMBA_NUM_THREADS, at most the cores this process may run on."""
    import os

    import numba

    try:
        mine = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):        # not on Linux
        mine = os.cpu_count() or 1
    return max(1, min(int(numba.config.NUMBA_NUM_THREADS), mine))


#: how long an idle OpenMP thread spins before it sleeps (libgomp's GOMP_SPINCOUNT, about 10 ns a spin here):
#: long enough to span the serial part between two steps' parallel regions (a few microseconds), short enough
#: that a waiting thread hardly takes a core another process wants (benchmarks/README.md, "Threads")
SPINCOUNT = 300


def prepare():
    """Before numba starts its threads: unless the user chose a policy (OMP_WAIT_POLICY or GOMP_SPINCOUNT),
    ask OpenMP (numba's threading layer here: GNU libgomp, no TBB installed) to let an idle thread spin
    about 3 us, then sleep (OMP_WAIT_POLICY=PASSIVE with GOMP_SPINCOUNT=SPINCOUNT; libgomp's spin count wins
    over the policy). Threads spinning for libgomp's default (about 3 ms) made the loop 10-25x SLOWER than one
    thread whenever other processes shared the cores; sleeping at once cost a wake-up (several microseconds)
    at every step. No effect once numba's threads run (OpenMP reads these when it starts), nor with another
    OpenMP runtime (Intel's or LLVM's libomp read only OMP_WAIT_POLICY)."""
    import os

    from numba.np.ufunc import parallel

    if not parallel._is_initialized and "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
        os.environ["GOMP_SPINCOUNT"] = str(SPINCOUNT)


def choose(threads, n_neurons, fusable=True):
    """The thread count for a network of `n_neurons`: `threads` checked (None: automatic, 1 below
    BREAK_EVEN neurons, `cores()` from it; 1 whatever the size when the network's delivery cannot be `fused`,
    `fusable` false: a plastic synapse or a presynaptic model, whose loop forks and joins its threads twice a
    step and ran 0.06-0.69x as fast on 2 threads as on one, loads 5-13, benchmarks/README.md "session 11,
    threads"). A forced count above `cores()` is kept: the loop is partitioned for that many threads and numba
    runs the partitions on the cores there are (same results either way)."""
    import numbers

    if threads is not None and (isinstance(threads, (bool, np.bool_)) or not isinstance(threads, numbers.Integral)):
        raise TypeError(f"threads must be None (automatic) or an integer >= 1, got {threads!r} of type "
                        f"{type(threads).__name__}")
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be None (automatic) or an integer >= 1, got {threads!r}")
    if threads is None:
        return cores() if n_neurons >= BREAK_EVEN and fusable else 1
    return int(threads)
