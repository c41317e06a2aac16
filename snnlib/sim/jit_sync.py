"""The persistent threads' synchronisation (re-exported by `snnlib.sim.jit`): atomic loads, stores and
compare-and-swap on int64 words, the spin-then-yield wait `relax`, the shared words' indices (SYNC_*, FAILED),
`fail` and `ThreadedLoopError`. Plain Python without the JIT (the partitions then run one after the other)."""

from snnlib.sim.jit_base import JIT_ENABLED, _is_x86, njit

def _sync_intrinsics():
    """Intrinsics for the persistent threads of the parallel loop (`codegen_parallel`): on an int64 array,
    `sync_load(a, i)` (an atomic load with acquire order: what was written before the matching store is
    seen after it), `sync_store(a, i, v)` (atomic store, release order), `sync_claim(a, i, old, new)` (compare
    and exchange: True when a[i] was `old` and is now `new`, False when another thread changed it first), and
    `relax(k)`: while waiting, the k-th time round, a `pause` (the CPU's spin-wait hint) for the first
    SPIN_PAUSES rounds, then `sched_yield()` (libc), so a waiting thread hands its CPU to a thread that shares
    it (on a busy machine the thread it waits for may be that one)."""
    from llvmlite import ir
    from numba.core import types
    from numba.extending import intrinsic

    i64 = ir.IntType(64)

    def _ptr(context, builder, sig, args):
        ary = context.make_array(sig.args[0])(context, builder, args[0])
        return builder.gep(ary.data, [context.cast(builder, args[1], sig.args[1], types.intp)])

    def _check(array, *ints):
        return (isinstance(array, types.Array) and array.dtype == types.int64 and array.ndim == 1
                and all(isinstance(x, types.Integer) for x in ints))

    @intrinsic
    def sync_load(typingctx, array, index):
        if not _check(array, index):
            return None

        def codegen(context, builder, sig, args):
            return builder.load_atomic(_ptr(context, builder, sig, args), "acquire", 8)
        return types.int64(array, index), codegen

    @intrinsic
    def sync_store(typingctx, array, index, value):
        if not _check(array, index, value):
            return None

        def codegen(context, builder, sig, args):
            v = context.cast(builder, args[2], sig.args[2], types.int64)
            builder.store_atomic(v, _ptr(context, builder, sig, args), "release", 8)
            return context.get_dummy_value()
        return types.none(array, index, value), codegen

    @intrinsic
    def sync_claim(typingctx, array, index, old, new):
        if not _check(array, index, old, new):
            return None

        def codegen(context, builder, sig, args):
            o = context.cast(builder, args[2], sig.args[2], types.int64)
            n = context.cast(builder, args[3], sig.args[3], types.int64)
            res = builder.cmpxchg(_ptr(context, builder, sig, args), o, n, "seq_cst", "seq_cst")
            return builder.extract_value(res, 1)
        return types.boolean(array, index, old, new), codegen

    @intrinsic
    def relax(typingctx, k):
        if not isinstance(k, types.Integer):
            return None

        def codegen(context, builder, sig, args):
            kk = context.cast(builder, args[0], sig.args[0], types.int64)
            spin = builder.icmp_signed("<", kk, i64(SPIN_PAUSES))
            with builder.if_else(spin) as (then, otherwise):
                with then:
                    pause = builder.module.declare_intrinsic("llvm.x86.sse2.pause", (),
                                                             fnty=ir.FunctionType(ir.VoidType(), []))
                    builder.call(pause, [])
                with otherwise:
                    fn = builder.module.globals.get("sched_yield") or ir.Function(
                        builder.module, ir.FunctionType(ir.IntType(32), []), "sched_yield")
                    builder.call(fn, [])
            return context.get_dummy_value()
        return types.none(k), codegen

    return sync_load, sync_store, sync_claim, relax


#: how many `pause`s a waiting thread spins before it yields its CPU at each further round (`relax`): a pause
#: takes tens of nanoseconds, so about 10-40 us, several times a step's serial part at 64,000 neurons
SPIN_PAUSES = 1000


def _py_load(array, index):
    return array[index]


def _py_store(array, index, value):
    array[index] = value


def _py_claim(array, index, old, new):
    if array[index] != old:
        return False
    array[index] = new
    return True


def _py_relax(k):
    """Without the JIT the loop runs its partitions one after the other: nothing ever waits."""


sync_load, sync_store, sync_claim, relax = (_sync_intrinsics() if JIT_ENABLED and _is_x86()
                                            else (_py_load, _py_store, _py_claim, _py_relax))

# The persistent threads' shared words, `Par.sync` (codegen_persistent; int64s, each index below on a cache
# line of its own in practice: the task fields 1-3 are written by the main thread only, before SYNC_SEQ)
#: the sequence number of the task the main thread published last (-1: every thread returns)
SYNC_SEQ = 0
#: the published task's n_pend (spikes pending delivery), step and kind (0: `tstep_`, 1: `tdlv_`)
SYNC_NPEND, SYNC_STEP, SYNC_KIND = 1, 2, 3
#: a thread's code raised (`fail`; 0: none); the fork/join loop of a plastic network sets it too
FAILED = 4
#: the main thread's return value (the steps it ran), read by the region after its threads return
SYNC_RESULT = 5
#: how many threads the region runs (numba's count, set by the Python wrapper: numba's get_num_threads in
#: compiled code is a ctypes pointer, which numba will not cache)
SYNC_THREADS = 6


def _fail(words, main):
    """Called in the `except` of a persistent thread (`codegen_persistent.region`) whose code raised: mark the
    failure, so the main thread stops waiting for that thread's partition, and, from the main thread, tell
    the other threads to return. numba cannot hand the exception itself across threads: the simulator's
    wrapper raises `ThreadedLoopError` instead."""
    sync_store(words, FAILED, 1)
    if main:
        sync_store(words, SYNC_SEQ, -1)


def _py_fail(words, main):
    """Without the JIT the region's threads run one after the other: re-raise the model's own exception,
    message and traceback intact (called inside the `except` block, a bare raise re-raises it)."""
    raise


fail = njit(_fail) if JIT_ENABLED else _py_fail


class ThreadedLoopError(RuntimeError):
    """A model function raised inside a threaded loop, whose threads cannot pass the exception on."""

