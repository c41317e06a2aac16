"""The one place where snnlib touches numba.

- `njit`: numba's `njit` (nopython); with NUMBA_DISABLE_JIT=1 (or without numba) functions run as plain
  Python and give the same results (kernels only use scalar `math` calls and numpy indexing).
- Caching: only generated kernels are cached, in a per-user directory checked for safety
  (`snnlib.sim.kernel_cache`); nothing is cached beside snnlib's own sources, so a read-only install needs
  no set-up here.
"""

try:
    import numba as _numba
except ImportError:  # pragma: no cover - numba is a hard dependency; this keeps snnlib usable without it
    _numba = None

JIT_ENABLED = _numba is not None and not _numba.config.DISABLE_JIT


def _is_x86():
    """Whether this CPU is an x86-64 (the `pause` instruction of `relax`)."""
    import platform

    return platform.machine().lower() in ("x86_64", "amd64")

#: numba's parallel range (a plain `range` without the JIT or without numba: the loop then runs in order)
prange = _numba.prange if _numba is not None else range


def _one_thread():
    return 1


#: numba's current thread count (callable in compiled code; 1 without numba)
num_threads = _numba.get_num_threads if _numba is not None else _one_thread


def njit(func=None, **options):
    """Compile `func` with numba in nopython mode (options passed on); identity when numba is absent."""
    if _numba is None:
        return func if func is not None else (lambda f: f)
    decorator = _numba.njit(**options)
    return decorator(func) if func is not None else decorator


def compile_plain(func, _memo=None):
    """Compile a model's plain-Python function, and the plain functions it calls (found among its globals),
    so a model's step may use helpers from its own module. Not cached itself: the generated kernel that
    calls it is cached, under a name that hashes the model's source."""
    import types

    memo = {} if _memo is None else _memo
    if func in memo:
        return memo[func]
    env = dict(func.__globals__)
    for name in func.__code__.co_names:
        obj = env.get(name)
        if isinstance(obj, types.FunctionType) and obj is not func:
            env[name] = compile_plain(obj, memo)
    clone = types.FunctionType(func.__code__, env, func.__name__, func.__defaults__, func.__closure__)
    # only compiled code calls it: no Python or C-callable wrappers (less to lower and optimise at first compile)
    memo[func] = njit(clone, no_cpython_wrapper=True, no_cfunc_wrapper=True)
    if JIT_ENABLED and {"min", "max"} & set(func.__code__.co_names):
        _minmax_at_first_compile(memo[func], func, env)
    return memo[func]


def _minmax_at_first_compile(dispatcher, func, env):
    """Bind `func`'s two-argument `min`/`max` to the intrinsics fmin2/fmax2 in its clone's globals `env` (no
    numba overload of min/max compiled for it: `codegen_compact.two_argument_minmax`), just before its first
    compile: a kernel loaded from the cache never compiles its model functions, and never parses their source."""
    compile_ = dispatcher.compile

    def compile(sig):
        if dispatcher.__dict__.pop("compile", None) is not None:       # the first time only
            from snnlib.sim.codegen_compact import two_argument_minmax

            env.update({name: {"min": fmin2, "max": fmax2}[name] for name in two_argument_minmax(func)})
        return compile_(sig)

    dispatcher.compile = compile


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
    """Intrinsics setting the CPU's flush-to-zero mode (x86 MXCSR bit 15, FTZ) around the serial float32 loop:
    `flush_on()` sets it and returns the MXCSR value it found (int64), `flush_off(old)` writes that value back.
    Under FTZ an SSE/AVX operation whose result would be a denormal (below the smallest normal number) gives a
    zero of the same sign instead, so the loop needs no explicit flush of its decaying synaptic currents
    (three vector operations per receptor in the neuron pass: about 5 % of the float32 CUBA loop,
    benchmarks/README.md, session 9). Denormal inputs are read as they are (DAZ stays off). MXCSR belongs to
    the thread: the generated loop restores it before every return and its Python wrapper restores it if
    the loop raises (`restore_fp`), so numpy and everything after the loop see the mode the caller had."""
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

#: whether the serial float32 loop runs under flush-to-zero (`flush_on`) instead of flushing its synaptic
#: currents itself: compiled, on x86-64 (without the JIT, or on another CPU, the generated pass keeps its
#: explicit flush: the same spikes and values, a flushed current's zero always +0.0)
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


def mxcsr():
    """The calling thread's MXCSR (x86-64 with the JIT; 0 otherwise). Compiled on first use only."""
    if not FLUSH_MODE:
        return 0
    if not _MXCSR:
        _MXCSR.extend(_mxcsr_functions())
    return int(_MXCSR[0]())


def restore_fp(old):
    """Write MXCSR value `old` back (after a serial float32 loop raised inside `flush_on`: the generated
    wrapper's `except`). Compiled on first use only (no cost to a loop that returns normally)."""
    if FLUSH_MODE:
        if not _MXCSR:
            _MXCSR.extend(_mxcsr_functions())
        _MXCSR[1](old)


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


line_or = _line_or_intrinsic() if JIT_ENABLED else _py_line_or

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


def _loop_pipeline():
    """The compiler class of the generated serial loops: numba's nopython pipeline, leaner.

    - Always without the two passes that do nothing for a generated loop (no closures, no whole-array
      expressions, no constant arrays): `InlineClosureLikes` and `NopythonRewrites`. Each re-analyses the whole
      function (variable lifetimes over every block) one or two times, about 0.1 s of the CUBA+STDP loop's first
      compile; the LLVM code numba writes is the same without them (the loops' optimised IR compared over the
      kernel tests' structures, benchmarks/README.md).
    - First tried without `ReconstructSSA` (and `PreLowerStripPhis`, which removes what it adds), about 0.1 s
      more. Without SSA numba gives each variable name one type for the whole function, the unified type of
      everything assigned to it; with SSA each assignment keeps its own. The two compile to the same code when
      every assignment to a name already has the name's type, which the generated source arranges (one name
      per role: codegen). `OneTypePerName`, right after typing, checks it: if any assignment would be
      converted (an int64 and a uint64 index unify to float64, a float32 value would widen to float64), or
      typing fails, the loop is compiled again by the second pipeline, with SSA: never a silent conversion.
    """
    from numba.core import errors, ir, types
    from numba.core.compiler import CompilerBase, DefaultPassBuilder
    from numba.core.compiler_machinery import AnalysisPass, PassManager, register_pass
    from numba.core.typed_passes import NopythonRewrites, NopythonTypeInference, PreLowerStripPhis
    from numba.core.untyped_passes import InlineClosureLikes, ReconstructSSA

    class NameTypesDiffer(errors.NumbaError):
        """An assignment whose value's type differs from its variable's (unified) type: compile with SSA."""

    @register_pass(mutates_CFG=False, analysis_only=True)
    class OneTypePerName(AnalysisPass):
        """After typing without SSA: every assignment to a variable assigned more than once gives it a value of
        the variable's own type (literals counted as their type); raises NameTypesDiffer otherwise."""

        _name = "snnlib_one_type_per_name"

        def __init__(self):
            AnalysisPass.__init__(self)

        def run_pass(self, state):
            bad = names_with_two_types(state)
            if bad:
                raise NameTypesDiffer(f"names assigned values of two types: {bad}")
            return False

    @register_pass(mutates_CFG=False, analysis_only=True)
    class ForgetFirstTry(AnalysisPass):
        """First pass of the second pipeline: forget what the first one found. Its typing's return type would
        otherwise be taken for a declared one (the result cast to it), and numba's dispatcher raises the failure it
        records as a typing error even when a later pipeline compiled the function."""

        _name = "snnlib_forget_first_try"

        def __init__(self):
            AnalysisPass.__init__(self)

        def run_pass(self, state):
            for key, value in state.pop("snnlib_before_first_try").items():
                state[key] = value
            state.status.fail_reason = None
            return False

    def value_type(state, value):
        """The type of an assigned value as typing saw it, or None when this pass cannot tell."""
        tm, ct, ctx = state.typemap, state.calltypes, state.typingctx
        if isinstance(value, ir.Var):
            return tm.get(value.name)
        if isinstance(value, (ir.Const, ir.Global, ir.FreeVar)):
            try:
                return ctx.resolve_value_type(value.value)
            except Exception:
                return None
        if isinstance(value, ir.Expr):
            sig = ct.get(value)
            if sig is not None:
                return sig.return_type
            if value.op == "static_getitem":
                base = tm.get(value.value.name)
                if isinstance(base, types.BaseTuple) and isinstance(value.index, int):
                    return base.types[value.index]
        return None

    def names_with_two_types(state):
        """{name: [types]} of the variables assigned more than once whose values' types are not all theirs."""
        defs = state.func_ir._definitions
        bad = {}
        for block in state.func_ir.blocks.values():
            for stmt in block.body:
                if not isinstance(stmt, ir.Assign) or len(defs.get(stmt.target.name, ())) < 2:
                    continue
                own = types.unliteral(state.typemap[stmt.target.name])
                got = value_type(state, stmt.value)
                if got is None or types.unliteral(got) != own:
                    bad.setdefault(stmt.target.name, {str(own)}).add(str(got))
        return {k: sorted(v) for k, v in bad.items()}

    _TYPING_SETS = ("return_type", "typemap", "calltypes", "typing_errors")

    class LoopCompiler(CompilerBase):
        """numba's nopython pipeline less InlineClosureLikes and NopythonRewrites: first without SSA (checked by
        OneTypePerName), then, if that fails, with it."""

        #: False: the first pipeline only (tests: a generated loop that needs SSA fails to compile, naming why)
        fallback = True

        def define_pipelines(self):
            full = DefaultPassBuilder.define_nopython_pipeline(self.state)
            # what typing sets, as it was before the first try (ForgetFirstTry restores it for the second)
            self.state["snnlib_before_first_try"] = {key: self.state.get(key) for key in _TYPING_SETS}
            fast, safe = PassManager("snnlib_loop"), PassManager("snnlib_loop_ssa")
            safe.add_pass(ForgetFirstTry, "forget the first pipeline's failure")
            for pss, desc in full.passes:
                if pss in (InlineClosureLikes, NopythonRewrites):
                    continue
                safe.add_pass(pss, desc)
                if pss not in (ReconstructSSA, PreLowerStripPhis):
                    fast.add_pass(pss, desc)
                if pss is NopythonTypeInference:
                    fast.add_pass(OneTypePerName, "one type per variable name")
            fast.finalize()
            safe.finalize()
            return [fast, safe] if self.fallback else [fast]

    LoopCompiler.names_with_two_types = staticmethod(names_with_two_types)
    return LoopCompiler


#: the compiler class of the generated serial loops (`njit(pipeline_class=...)`); None without numba
LoopCompiler = _loop_pipeline() if _numba is not None else None
