"""Where generated kernels live, and how they are loaded: a safe per-user cache keyed on source hashes.

- The generated source is written atomically (temporary file + rename) to the kernel cache directory under
  `k_<hash>.py`, the hash covering the generated source, the source of every model module it calls, of
  `snnlib.sim.jit` and its parts (`jit.MODULES`: the intrinsics compiled into every kernel) and numba's
  version. numba caches the compiled code beside it (`cache=True`), keyed on that file: an edit to any model changes the hash, so stale compiled
  code can never run (numba alone checks only the timestamp of the file holding the cached function, not of
  the functions it calls).
- The directory must belong to the user and be closed to others (mode 0700, checked with lstat, no
  symlink): numba unpickles its index files, so a directory another user can write is a way to run code as
  the learner. If it is not safe, or cannot be created, caching is switched off with a warning saying why
  and the kernel compiles in a fresh private temporary directory instead.
- Location: $SNNLIB_CACHE_DIR, else the environment's own cache <sys.prefix>/share/snnlib/kernels when it
  exists and is safe for this user (a course image fills it at build time: a persistent home mounted over
  ~ would hide a cache kept there), else $XDG_CACHE_HOME/snnlib/kernels, else ~/.cache/snnlib/kernels, else
  (no usable home) <tmp>/snnlib-<uid>/kernels. A NUMBA_CACHE_DIR set by the user is checked the same way.
"""

import hashlib
import importlib.util
import inspect
import os
import stat
import sys
import tempfile
import warnings

_LOADED = {}          # file hash -> module (one compile per structure per process)
_PRIVATE = None       # a mkdtemp() directory when caching is off


class CacheDirWarning(UserWarning):
    """The kernel cache directory is unusable or unsafe: kernels are compiled without caching."""


def default_dir():
    """The kernel cache directory this user would get (not created here)."""
    if os.environ.get("SNNLIB_CACHE_DIR"):
        return os.environ["SNNLIB_CACHE_DIR"]
    image = environment_dir()
    if os.path.isdir(image) and not (unsafe_reason(image) or _parent_unsafe(image)):
        return image
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home in ("", "~") or not os.path.isdir(home):
            return os.path.join(tempfile.gettempdir(), f"snnlib-{_uid()}", "kernels")
        base = os.path.join(home, ".cache")
    return os.path.join(base, "snnlib", "kernels")


def environment_dir():
    """The Python environment's own kernel cache, <sys.prefix>/share/snnlib/kernels: used only if it exists
    and is private to this user (the course image's postBuild creates and fills it as the image's user)."""
    return os.path.join(sys.prefix, "share", "snnlib", "kernels")


def _uid():
    return os.geteuid() if hasattr(os, "geteuid") else "user"


def unsafe_reason(path, closed=0o077):
    """Why `path` may not hold cached code (None when it is safe): not a real directory, not ours, or with a
    permission bit of `closed` set (default: any access by group/others; 0o022 checks only their writing)."""
    try:
        st = os.lstat(path)
    except OSError as err:
        return f"cannot inspect it ({err.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a directory"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return f"it belongs to uid {st.st_uid}, not to you (uid {os.geteuid()})"
    if st.st_mode & closed:
        need = "0700" if closed == 0o077 else "no write permission for group and others"
        return f"its mode is {stat.S_IMODE(st.st_mode):04o}: other users could change it ({need} is needed)"
    return None


def ensure_private_dir(path, closed=0o077):
    """Create `path` (and missing parents) with mode 0700 and check it; returns None or why it is unusable."""
    try:
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            os.makedirs(parent, mode=0o700)
        if not os.path.lexists(path):
            os.mkdir(path, 0o700)
    except OSError as err:
        return f"it cannot be created ({err.strerror})"
    return unsafe_reason(path, closed) or _parent_unsafe(path)


def _parent_unsafe(path):
    """Whoever may rename entries of the parent could swap our directory for theirs: the parent must belong
    to us or root and be closed to others' writing, unless it is sticky (like /tmp)."""
    parent = os.path.dirname(os.path.abspath(path))
    try:
        st = os.stat(parent)
    except OSError as err:
        return f"its parent cannot be inspected ({err.strerror})"
    if hasattr(os, "geteuid") and st.st_uid not in (0, os.geteuid()):
        return f"its parent {parent} belongs to uid {st.st_uid}"
    if st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX:
        return f"its parent {parent} can be changed by other users (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def cache_dir():
    """(directory, caching on?) for generated kernels; warns once per process when caching is off."""
    global _PRIVATE
    path = default_dir()
    why = ensure_private_dir(path)
    numba_dir = os.environ.get("NUMBA_CACHE_DIR")
    if why is None and numba_dir:
        why = ensure_private_dir(numba_dir, closed=0o022)     # the user chose it: others must not write
        path_named = f"NUMBA_CACHE_DIR={numba_dir}"
    else:
        path_named = path
    if why is None:
        return path, True
    if _PRIVATE is None:
        _PRIVATE = tempfile.mkdtemp(prefix="snnlib-kernels-")       # 0700, unique, ours
        warnings.warn(f"compiled kernels are not cached: the cache directory {path_named} is unusable because "
                      f"{why}. Simulations still run, but each new Python process compiles again (about a "
                      "second). Fix: remove or chmod 700 that directory, or set SNNLIB_CACHE_DIR to a "
                      "directory of your own.", CacheDirWarning, stacklevel=3)
    return _PRIVATE, False


def called_modules(func, _seen=None):
    """Names of the modules holding `func` and every plain function it calls through its globals, recursively:
    exactly the functions `jit.compile_plain` compiles into a kernel (e.g. AdaptiveLIF's step calls the LIF's
    `lif_step` from another module)."""
    import types

    seen = set() if _seen is None else _seen
    if func in seen:
        return []
    seen.add(func)
    out = [func.__module__]
    for name in func.__code__.co_names:
        obj = func.__globals__.get(name)
        if isinstance(obj, types.FunctionType):
            out += called_modules(obj, seen)
    return out


def plugin_source(cls):
    """The text that defines model class `cls`'s behaviour: the source of its module and of every module
    holding a function that its functions call (or the class's own source; None if there is none to read),
    so an edit to any of them changes the kernel's cache key."""
    texts = []
    modules = [cls.__module__] + [m for f in cls.functions.values() for m in called_modules(f)]
    for name in dict.fromkeys(modules):                    # each module once, in order
        for obj in (sys.modules.get(name), cls):
            try:
                texts.append(inspect.getsource(obj))
                break
            except (OSError, TypeError):
                continue
        else:
            return None
    return "\n".join(texts)


def load(source, classes):
    """Import the generated `source` (calling the models `classes`) from the cache; returns the module."""
    import numba

    from snnlib.sim import jit, rng

    # rng: called by kernels with noise; jit and its parts: their intrinsics (wide_vectors, prefetch ...) are
    # compiled into them
    parts = [source, numba.__version__, inspect.getsource(rng)] + [inspect.getsource(sys.modules[name])
                                                                  for name in jit.MODULES]
    cacheable = True
    for cls in sorted(set(classes), key=lambda c: c.kind):
        text = plugin_source(cls)
        if text is None:                  # no source to hash (e.g. defined in a notebook): never cache it
            cacheable = False
            text = repr(sorted(cls.functions.items()))
        parts.append(cls.kind + "\n" + text)
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]
    if digest in _LOADED:
        return _LOADED[digest]
    directory, cache_ok = cache_dir()
    cacheable = cacheable and cache_ok
    if not cacheable:
        source = source.replace("CACHE = True", "CACHE = False")
        directory = _private_dir()
    path = os.path.join(directory, f"k_{digest}.py")
    _write_atomic(path, source)
    name = f"snnlib_kernel_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _LOADED[digest] = module
    return module


def _private_dir():
    global _PRIVATE
    if _PRIVATE is None:
        _PRIVATE = tempfile.mkdtemp(prefix="snnlib-kernels-")
    return _PRIVATE


def _write_atomic(path, text):
    """Write `text` to `path` unless it already holds exactly that (a rewrite would change its timestamp and
    invalidate numba's cache); a temporary file renamed into place, so no reader sees half a file."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".py")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
