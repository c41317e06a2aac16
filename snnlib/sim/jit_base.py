"""numba itself, imported once (`snnlib.sim.jit` re-exports all of it): whether the JIT is on, `njit`, the
parallel `prange` and the thread count, each with a plain-Python stand-in when numba is absent or
NUMBA_DISABLE_JIT=1. The other `jit_*` modules build on this one."""

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

