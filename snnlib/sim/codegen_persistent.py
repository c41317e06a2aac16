"""The parallel loop's persistent threads (issue 22, "every core"; session 8): with fused delivery
(`codegen_parallel.fused`) the loop opens ONE parallel region per call instead of a fork/join per step.

`region` writes it: thread 0 of the region runs the loop (`main_`, the loop `codegen` wrote, compiled
serially); at each step's parallel part it publishes a task (`publish`: n_pend, step and kind in `Par.sync`,
then a new sequence number), the other threads (`twork_`, `worker`) wait for a new sequence number and claim
the task's partitions by compare-and-swap (`_claimed`); the main thread claims the partitions left, runs them
and waits until every partition is done. A waiting thread spins with `pause`, then yields its CPU
(`snnlib.sim.jit.relax`). No thread ever waits for a partition nobody claimed: a thread that starts late or
never (fewer numba threads than partitions; no JIT, where the region's iterations run one after the other) is
replaced by the main thread. Whichever thread runs a partition, it computes the same values in the same order
(`codegen_parallel`'s partitions write disjoint state), so the results are the single-thread loop's.
Measured in benchmarks/README.md ("Threads, session 8"): no region opened and closed each step (about 3 us),
and no step waits for a thread the machine has not scheduled.
"""

import re

import numpy as np

from snnlib.sim.codegen_compact import NAME
from snnlib.sim.jit import FAILED, SYNC_KIND, SYNC_NPEND, SYNC_RESULT, SYNC_SEQ, SYNC_STEP, SYNC_THREADS


def persistent(layout):
    """Whether the loop keeps its threads for the whole call (`fused` delivery; the synchronisation
    intrinsics exist: x86-64, or no JIT) instead of a fork/join per step: one parallel region per call, in
    which one thread runs the loop and the others wait for each step's partitions (`publish`, `worker`)."""
    from snnlib.sim.codegen_parallel import fused

    return persistent_for(fused(layout))


def persistent_for(is_fused):
    """`persistent` for a layout whose delivery is (or is not) `fused`."""
    from snnlib.sim import jit

    return is_fused and PERSISTENT and (not jit.JIT_ENABLED or jit._is_x86())


def partitions(threads, is_fused):
    """How many partitions the tables cut a network into for `threads` threads: with persistent threads,
    SPLIT per thread (a thread that finishes its own early, or whose partner is late, takes the next
    unclaimed one: the threads balance themselves, same results); else one per thread."""
    return threads * SPLIT if threads > 1 and persistent_for(is_fused) else threads


#: persistent threads where `persistent` allows them (False: a fork/join per step, as before session 8)
PERSISTENT = True

#: partitions per thread with persistent threads (`partitions`)
SPLIT = 1

# pp.sync, the persistent threads' shared words (snnlib.sim.jit's SYNC_* and FAILED: the published task, the
# failure mark, the main thread's result, the thread count, all on the first cache line); then, each on a
# cache line of its own (8 int64s), per partition u the sequence number of its last claim (8 (u + 1)) and of
# its last completion (8 (u + 1 + n_part))
_CLAIM, _DONE = "8 * (u_ + 1)", "8 * (u_ + 1 + nparts_)"


def _claimed(invs):
    """The lines a thread runs for task seq_ (its fields already read): for each partition u_, starting at
    the first of its own share (thread w_ of nthr_), claim it (a compare-and-swap from seq_ - 1: exactly one
    thread wins each partition of each task), run it, publish its completion."""
    out = ["for v_ in range(nparts_):", "    u_ = (w_ * nparts_ // nthr_ + v_) % nparts_",
           f"    if sync_claim(pp.sync, {_CLAIM}, seq_ - 1, seq_):"]
    for k, inv in enumerate(invs):
        out += [f"        {'if' if k == 0 else 'elif'} kind_ == {k}:" if len(invs) > 1 else "        if True:",
                "            " + inv.replace("(t_, ", "(u_, ", 1)]
    return out + [f"        sync_store(pp.sync, {_DONE}, seq_)"]


def publish(kind, inv):
    """The main thread's lines for one task (a step's partitions, kind 0, or the final delivery, kind 1):
    publish it, run the partitions it claims, wait until every partition is done (a waiting thread spins,
    then yields its CPU: `snnlib.sim.jit.relax`)."""
    return ["seq_ += 1", f"pp.sync[{SYNC_NPEND}] = n_pend", f"pp.sync[{SYNC_STEP}] = step",
            f"pp.sync[{SYNC_KIND}] = {kind}", f"sync_store(pp.sync, {SYNC_SEQ}, seq_)", "kind_ = " + str(kind), "w_ = 0", "nthr_ = 1"] + _claimed([inv]) + [
            "for u_ in range(nparts_):", "    k_ = 0", f"    while sync_load(pp.sync, {_DONE}) != seq_:",
            f"        if sync_load(pp.sync, {FAILED}) != 0:",       # the thread running it raised: stop
            '            raise RuntimeError("a thread of the loop failed")',
            "        relax(k_)", "        k_ += 1"]


def worker(invs):
    """The loop of a persistent thread w_ (> 0): wait for a new task, claim and run its partitions, until the
    main thread publishes -1 (its loop returned). A thread that starts late (the machine is busy) finds its
    tasks claimed by the main thread and only returns: the main thread never waits for an unclaimed part."""
    return ["nparts_ = pp.tb_ptr.shape[0] - 1", "seq_ = 0", "while True:", "    k_ = 0",
            f"    while sync_load(pp.sync, {SYNC_SEQ}) == seq_:", "        relax(k_)", "        k_ += 1",
            f"    seq_ = sync_load(pp.sync, {SYNC_SEQ})", "    if seq_ < 0:", "        break",
            f"    n_pend = pp.sync[{SYNC_NPEND}]", f"    step = pp.sync[{SYNC_STEP}]",
            f"    kind_ = pp.sync[{SYNC_KIND}]"] + [
            "    " + ln for ln in _claimed(invs)]


def ftz_lines(ftz):
    """(before, after): a thread guard's lines (4 spaces in) setting the CPU's flush-to-zero mode in its thread
    before the guarded call and writing the thread's own MXCSR back after its `try`, so on return and on
    raise (`jit.flush_on/flush_off`); ([], []) when `ftz` is false. `region`'s `guard_` and
    `codegen_parallel._guard` use them."""
    return (["    fp_ = flush_on()"], ["    flush_off(fp_)"]) if ftz else ([], [])


def region(parts, lines, sig, body, args, hoist, ftz=False):
    """The loop's source with persistent threads: `main_`, the loop as written (`lines`, hoisted into `body`
    with the arguments `args`, signature `sig`), compiled serially; `twork_`, a waiting thread's loop
    (`parts.worker`, hoisted the same way); and `loop`, one parallel region whose thread 0 runs `main_` and
    whose others run `twork_`, each through `guard_`. `ftz` (`codegen.flush_mode`): `guard_` sets the CPU's
    flush-to-zero mode in its thread before `main_` or `twork_` and writes the thread's own MXCSR back after
    it, whether it returned or raised (MXCSR belongs to the thread: the caller's and each worker's)."""
    init = [ln for ln in lines if re.match(r"^    (zero|zr|dt) = ", ln)]       # the loop's constants
    binds, work = hoist(init + ["    " + ln for ln in parts.worker])
    extra = (set(NAME.findall("\n".join(work))) & set(binds)) - set(args)
    if extra:           # the worker reads only what the loop reads
        raise AssertionError(f"twork_ reads {sorted(extra)}, which the loop does not")
    head = '@njit(cache=CACHE, error_model="numpy", no_cfunc_wrapper=True)'
    main = [head, f"def main_({sig}):"] + lines[2:4] + body
    waiting = [head, f"def twork_(w_, nthr_, {sig}):", '    """Persistent thread w_ (> 0) of the loop (codegen_persistent)."""',
               "    wide_vectors()"] + work
    # a thread whose code raised (a model function's `raise`) must not leave the others waiting for it
    # forever: it marks the failure (`jit.fail`) and, from the main thread, sends the others home
    # (the arguments travel as one tuple: numba cannot type a call of more than 30 arguments inside `try`,
    # which Python 3.11 compiles as a list turned into a tuple)
    sync_at = [a.strip() for a in sig.split(",")].index("pp_sync")
    on, off = ftz_lines(ftz)
    guard = [head, "def guard_(w_, nthr_, a_):",
             '    """Thread w_ of the region (a_: the loop\'s arguments); its exception ends every thread."""'] + on + [
             "    b_ = (w_, nthr_) + a_", "    r_ = -1", "    try:", "        if w_ == 0:", "            r_ = main_(*a_)",
             "        else:", "            twork_(*b_)", "    except Exception:", f"        fail(a_[{sync_at}], w_ == 0)"] + off + [
             "    return r_"]
    loop = ['@njit(cache=CACHE, error_model="numpy", no_cfunc_wrapper=True, parallel=True)', f"def loop({sig}):",
            '    """One parallel region for the whole call: thread 0 runs the loop, the others its partitions."""',
            f"    nthr_ = min(pp_sync[{SYNC_THREADS}], pp_tb_ptr.shape[0] - 1)",
            "    for w_ in prange(nthr_):", f"        r_ = guard_(w_, nthr_, ({sig}))", "        if w_ == 0:",
            f"            pp_sync[{SYNC_RESULT}] = r_", f"    return int(pp_sync[{SYNC_RESULT}])"]
    return main + ["", ""] + waiting + ["", ""] + guard + ["", ""] + loop


def sync_words(n_part):
    """pp.sync for n_part partitions: zeros, 8 int64s (one 64-byte cache line) per word, the first aligned to
    64 bytes (two threads writing words on one line would make each other's copy of it invalid)."""
    buf = np.zeros(8 * (2 * n_part + 1) + 8, np.int64)
    first = (-buf.ctypes.data % 64) // 8
    return buf[first:first + 8 * (2 * n_part + 1)]
