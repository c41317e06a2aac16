"""The LLVM intrinsics compiled into generated kernels (re-exported by `snnlib.sim.jit`): vector width
(`wide_vectors`), cache hints (`prefetch`), the CPU's flush-to-zero mode (`flush_on`, `flush_off`, `mxcsr`,
`restore_fp`), the flag scan's line OR (`line_or`) and two-number `fmin2`/`fmax2`. Each has a plain-Python
stand-in without the JIT, with the same results. The persistent threads' atomics are in `snnlib.sim.jit_sync`."""

from snnlib.sim.jit_base import JIT_ENABLED, _is_x86

def _wide_vectors_intrinsic():
    """An intrinsic that asks LLVM to vectorise the function calling it with 512-bit registers where the CPU has
    them (AVX-512). LLVM's default on Intel server CPUs is 256-bit vectors (wide ones once lowered the clock
    of older chips); measured on a Xeon (Emerald Rapids), 512-bit vectors make the float32 CUBA loop about 13 %
    faster, with the same results (vector width does not change the order of any float operation). Only the
    function that calls it is affected (a function attribute, not a global LLVM option), and CPUs without
    AVX-512 ignore it."""
    from numba.core import types
    from numba.extending import intrinsic

    @intrinsic
    def wide_vectors(typingctx):
        def codegen(context, builder, sig, args):
            try:        # llvmlite checks attribute names against a list without string attributes: set's own add
                set.add(builder.function.attributes, '"prefer-vector-width"="512"')
            except Exception:       # pragma: no cover - another llvmlite: 256-bit vectors, same results
                pass
            return context.get_dummy_value()
        return types.none(), codegen

    return wide_vectors


def _no_op():
    """Without the JIT: nothing to vectorise."""


wide_vectors = _wide_vectors_intrinsic() if JIT_ENABLED else _no_op


def _prefetch_intrinsic():
    """An intrinsic `prefetch(array, index)`: asks the CPU to start loading the cache line holding element
    `index` of `array` (counted in elements from its first, as in a flat C-ordered view), without waiting for
    it (LLVM's `llvm.prefetch`: read, keep in every cache level). A hint only: no value changes, and the CPU
    ignores an address outside the array (a prefetch never faults). The parallel loop's spike delivery
    (`codegen_parallel`) requests the lines of the spikes it will deliver next while it delivers this one: its
    cache misses then overlap instead of following each other (benchmarks/README.md, "Threads")."""
    from llvmlite import ir
    from numba.core import types
    from numba.extending import intrinsic

    @intrinsic
    def prefetch(typingctx, array, index):
        if not isinstance(array, types.Array) or not isinstance(index, types.Integer):
            return None

        def codegen(context, builder, sig, args):
            ary = context.make_array(sig.args[0])(context, builder, args[0])
            at = builder.gep(ary.data, [context.cast(builder, args[1], sig.args[1], types.intp)])
            i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
            fn = builder.module.declare_intrinsic("llvm.prefetch", [i8p],
                                                  fnty=ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]))
            builder.call(fn, [builder.bitcast(at, i8p), i32(0), i32(3), i32(1)])
            return context.get_dummy_value()
        return types.none(array, index), codegen

    return prefetch


def _no_prefetch(array, index):
    """Without the JIT: nothing to prefetch."""


prefetch = _prefetch_intrinsic() if JIT_ENABLED else _no_prefetch


def _mxcsr_intrinsics():
    """Intrinsics setting the CPU's flush-to-zero mode (x86 MXCSR bit 15, FTZ) around every float32
    loop, serial and in each thread of a threaded one (session 10):
    `flush_on()` sets it and returns the MXCSR value it found (int64), `flush_off(old)` writes that value back.
    Under FTZ an SSE/AVX operation whose result would be a denormal (below the smallest normal number) gives a
    zero of the same sign instead, so the loop needs no explicit flush of its decaying synaptic currents
    (three vector operations per receptor in the neuron pass: about 5 % of the float32 CUBA loop,
    benchmarks/README.md, session 9). Denormal inputs are read as they are (DAZ stays off). MXCSR belongs to
    the thread: the generated loop restores it before every return and its Python wrapper restores it if
    the loop raises (`restore_fp`); each worker thread's guard sets and restores its own on return and on
    raise, so numpy and everything after the loop see the mode the caller had."""
    from llvmlite import ir
    from numba.core import types
    from numba.extending import intrinsic

    i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)

    def _csr(builder, name, slot):
        fn = builder.module.declare_intrinsic(name, (), fnty=ir.FunctionType(ir.VoidType(), [i8p]))
        builder.call(fn, [builder.bitcast(slot, i8p)])

    @intrinsic
    def flush_on(typingctx):
        def codegen(context, builder, sig, args):
            slot = builder.alloca(i32)
            _csr(builder, "llvm.x86.sse.stmxcsr", slot)
            old = builder.load(slot)
            builder.store(builder.or_(old, i32(FTZ)), slot)
            _csr(builder, "llvm.x86.sse.ldmxcsr", slot)
            return builder.zext(old, ir.IntType(64))
        return types.int64(), codegen

    @intrinsic
    def flush_off(typingctx, old):
        if not isinstance(old, types.Integer):
            return None

        def codegen(context, builder, sig, args):
            slot = builder.alloca(i32)
            builder.store(builder.trunc(context.cast(builder, args[0], sig.args[0], types.int64), i32), slot)
            _csr(builder, "llvm.x86.sse.ldmxcsr", slot)
            return context.get_dummy_value()
        return types.none(old), codegen

    return flush_on, flush_off


#: MXCSR's flush-to-zero bit
FTZ = 0x8000

#: whether float32 loops (serial, and every thread of a threaded one) run under flush-to-zero (`flush_on`)
#: instead of flushing their synaptic currents themselves: compiled, on x86-64 (without the JIT, or on
#: another CPU, the generated pass keeps its explicit flush: the same spikes and values, a flushed
#: current's zero always +0.0)
FLUSH_MODE = JIT_ENABLED and _is_x86()


def _py_flush_on():
    return 0


def _py_flush_off(old):
    """Without the JIT (or off x86) nothing was changed."""


flush_on, flush_off = _mxcsr_intrinsics() if FLUSH_MODE else (_py_flush_on, _py_flush_off)


def _mxcsr_functions():
    from numba import njit as _nj

    @_nj
    def read():
        v = flush_on()
        flush_off(v)
        return v

    @_nj
    def write(v):
        flush_off(v)

    return read, write


_MXCSR = []


def _mxcsr_pair():
    """The compiled (read, write) pair of MXCSR functions, compiled on first use only."""
    if not _MXCSR:
        _MXCSR.extend(_mxcsr_functions())
    return _MXCSR


def mxcsr():
    """The calling thread's MXCSR (x86-64 with the JIT; 0 otherwise). Compiled on first use only."""
    return int(_mxcsr_pair()[0]()) if FLUSH_MODE else 0


def restore_fp(old):
    """Write MXCSR value `old` back (after a float32 loop raised inside `flush_on`: the generated
    wrapper's `except`). Compiled on first use only (no cost to a loop that returns normally)."""
    if FLUSH_MODE:
        _mxcsr_pair()[1](old)


def _line_or_intrinsic():
    """An intrinsic `line_or(words, c)`: the bitwise OR of the 8 uint64 words words[c:c + 8] (one 64-byte cache
    line of the loop's flags when c is a multiple of 8 of the page-aligned flag array), as one vector load and
    one OR reduction (`llvm.vector.reduce.or`). The serial scan skips a line of 64 flags when it is 0; written
    as `words[c] | ... | words[c + 7]` LLVM made eight scalar loads and ORs of it. words[c + 7] must exist."""
    from llvmlite import ir
    from numba.core import types
    from numba.extending import intrinsic

    @intrinsic
    def line_or(typingctx, array, index):
        if not (isinstance(array, types.Array) and array.dtype == types.uint64 and isinstance(index, types.Integer)):
            return None

        def codegen(context, builder, sig, args):
            ary = context.make_array(sig.args[0])(context, builder, args[0])
            at = builder.gep(ary.data, [context.cast(builder, args[1], sig.args[1], types.intp)])
            i64 = ir.IntType(64)
            vec = ir.VectorType(i64, 8)
            val = builder.load(builder.bitcast(at, vec.as_pointer()), align=8)
            fn = builder.module.globals.get("llvm.vector.reduce.or.v8i64") or ir.Function(
                builder.module, ir.FunctionType(i64, [vec]), "llvm.vector.reduce.or.v8i64")
            return builder.call(fn, [val])
        return types.uint64(array, index), codegen

    return line_or


def _py_line_or(array, index):
    """Without the JIT: the same OR, in numpy."""
    import numpy as np

    return np.bitwise_or.reduce(array[index:index + 8])


line_or = _line_or_intrinsic() if JIT_ENABLED else _py_line_or


def _minmax_intrinsic(op):
    """`min(a, b)` (op "<") or `max(a, b)` (op ">") of two numbers as an intrinsic: the same LLVM code as
    numba's own `min`/`max` (`numba.cpython.builtins.do_minmax`: both cast to their unified type, then
    `b if b op a else a`, Python's rule, NaN included), lowered in place. numba's `min` and `max` are
    overloads: each signature is compiled on its own first (typing, lowering, two LLVM modules) before LLVM
    inlines it, about 0.1 s of a first compile for the STDP clip `min(max(w, w_min), w_max)`."""
    import operator

    from numba.core import types
    from numba.cpython.builtins import do_minmax
    from numba.extending import intrinsic

    cmp = operator.lt if op == "<" else operator.gt

    def minmax(typingctx, a, b):
        if not all(isinstance(t, (types.Number, types.Boolean)) for t in (a, b)):
            return None
        a, b = types.unliteral(a), types.unliteral(b)
        ret = typingctx.unify_types(a, b)
        if ret is None:
            return None

        def codegen(context, builder, sig, args):
            return do_minmax(context, builder, list(sig.args), list(args), cmp)
        return ret(a, b), codegen

    minmax.__name__ = "fmin2" if op == "<" else "fmax2"
    return intrinsic(minmax)


#: min and max of two numbers, as the generated kernels write a model's `min(a, b)` / `max(a, b)`
#: (codegen_compact.inline); Python's own min and max without the JIT
fmin2 = _minmax_intrinsic("<") if JIT_ENABLED else min
fmax2 = _minmax_intrinsic(">") if JIT_ENABLED else max
