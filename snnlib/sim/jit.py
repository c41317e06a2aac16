"""The one place where snnlib touches numba.

- `njit`: numba's `njit(cache=True)`; with NUMBA_DISABLE_JIT=1 (or without numba) the functions run as
  plain Python, giving the same results (kernels only use scalar `math` calls and numpy indexing).
- Cache directory: numba writes its cache next to the source files. When the package directory is not
  writable (a read-only or system-wide install) numba would fail at import for a normal user, so we point
  NUMBA_CACHE_DIR at a per-user cache directory before numba is imported, unless the user set it.
"""

import os
import sys

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))


def user_cache_dir():
    """Per-user cache directory for compiled kernels (XDG_CACHE_HOME or ~/.cache, then snnlib/numba)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "snnlib", "numba")


def _package_writable():
    """Whether numba could write its cache beside the sources. Tried for real: permission bits alone
    miss read-only mounts and immutable files, and say nothing true for root."""
    import tempfile

    pycache = os.path.join(_PKG_DIR, "__pycache__")
    target = pycache if os.path.isdir(pycache) else _PKG_DIR
    try:
        with tempfile.TemporaryFile(dir=target):
            return True
    except OSError:
        return False


def _configure_cache():
    """Choose a writable cache dir before numba is imported. Returns the directory chosen (or None)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    if _package_writable():
        return None
    path = user_cache_dir()
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        import tempfile
        path = os.path.join(tempfile.gettempdir(), f"snnlib-numba-{os.getuid() if hasattr(os, 'getuid') else 'user'}")
        os.makedirs(path, exist_ok=True)
    if "numba" in sys.modules:  # numba already configured itself: change its live setting too
        import numba
        numba.config.CACHE_DIR = path
    os.environ["NUMBA_CACHE_DIR"] = path
    return path


CACHE_DIR = _configure_cache()

try:
    import numba as _numba
except ImportError:  # pragma: no cover - numba is a hard dependency; this keeps snnlib usable without it
    _numba = None

JIT_ENABLED = _numba is not None and not _numba.config.DISABLE_JIT


def njit(func=None, **options):
    """Compile `func` with numba (nopython, cache=True by default); identity when numba is absent."""
    if _numba is None:
        return func if func is not None else (lambda f: f)
    options.setdefault("cache", True)
    decorator = _numba.njit(**options)
    return decorator(func) if func is not None else decorator


def specialise(python_impl, choose):
    """Give `python_impl` (a plain function) a compiled form chosen by its argument *types*.

    `choose(*numba_types)` returns the implementation to compile for those types (a plain Python
    function with the same parameters); LLVM inlines such small functions into the caller, so a choice
    made on types costs nothing at run time and leaves the caller's loop free of branches (LLVM can
    vectorise it). Without the JIT, `python_impl` itself runs. Used where a runtime flag would be a
    loop-invariant branch that LLVM does not hoist (measured: it stops vectorisation of the neuron pass).
    (Not numba's inline="always" here: numba 0.68 then warns about its own SSA form at compile time.)
    """
    if JIT_ENABLED:
        from numba.extending import overload

        overload(python_impl)(choose)
    return python_impl
