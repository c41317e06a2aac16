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


def njit(func=None, **options):
    """Compile `func` with numba in nopython mode (options passed on); identity when numba is absent."""
    if _numba is None:
        return func if func is not None else (lambda f: f)
    decorator = _numba.njit(**options)
    return decorator(func) if func is not None else decorator


_JITABLE = set()


def jitable(func):
    """Make the plain function `func` callable from compiled code (numba's `register_jitable`), once per
    process, and return it unchanged: Python callers keep calling the plain function."""
    if _numba is not None and func not in _JITABLE:
        from numba.extending import register_jitable

        register_jitable(func)
        _JITABLE.add(func)
    return func
