"""The one place where snnlib touches numba.

- `njit`: numba's `njit` (nopython); with NUMBA_DISABLE_JIT=1 (or without numba) functions run as plain
  Python and give the same results (kernels only use scalar `math` calls and numpy indexing).
- Caching: only generated kernels are cached, in a per-user directory checked for safety
  (`snnlib.sim.kernel_cache`); nothing is cached beside snnlib's own sources, so a read-only install needs
  no set-up here.

The parts, each in a module of its own and all re-exported here (`jit.<name>`, and the imports of the
generated kernels, `from snnlib.sim.jit import ...`):
- `snnlib.sim.jit_base`: numba itself (`njit`, `prange`, `num_threads`, `JIT_ENABLED`);
- `snnlib.sim.jit_intrinsics`: the intrinsics compiled into kernels (vector width, prefetch, flush-to-zero,
  `line_or`, `fmin2`/`fmax2`);
- `snnlib.sim.jit_sync`: the persistent threads' atomics and shared words;
- `snnlib.sim.jit_pipeline`: `LoopCompiler`, the generated serial loops' numba pipeline.
This module itself compiles a model's plain-Python functions (`compile_plain`).
"""

from snnlib.sim.jit_base import JIT_ENABLED, _is_x86, _numba, njit, num_threads, prange  # noqa: F401
from snnlib.sim.jit_intrinsics import (FLUSH_MODE, FTZ, _py_line_or, flush_off, flush_on,  # noqa: F401
                                       fmax2, fmin2, line_or, mxcsr, prefetch, restore_fp, wide_vectors)
from snnlib.sim.jit_pipeline import LoopCompiler  # noqa: F401
from snnlib.sim.jit_sync import (FAILED, SPIN_PAUSES, SYNC_KIND, SYNC_NPEND, SYNC_RESULT,  # noqa: F401
                                 SYNC_SEQ, SYNC_STEP, SYNC_THREADS, ThreadedLoopError, _py_claim, _py_load,
                                 _py_relax, _py_store, fail, relax, sync_claim, sync_load, sync_store)

#: the modules whose code is compiled into generated kernels (`kernel_cache` hashes their source)
MODULES = ("snnlib.sim.jit", "snnlib.sim.jit_base", "snnlib.sim.jit_intrinsics", "snnlib.sim.jit_sync",
           "snnlib.sim.jit_pipeline")


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

