"""Compiled kernels: never stale after a model edit, and cached only in a directory that is safely the user's."""

import os
import shutil
import subprocess
import sys
import warnings

import pytest

import snnlib
from snnlib.sim import kernel_cache

SCRIPT = """
import sys, warnings
sys.path.insert(0, {site!r})
import snnlib
net = snnlib.Network(seed=1)
pop = net.population(3, bias=[1.5, 2.0, 5.0])
p = net.probe(pop, "spikes")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    sim = snnlib.Simulator(net, dt=1e-3)
    sim.run(1.0)
print(snnlib.__file__)
print(len(sim.data[p]))
print([str(w.message) for w in caught if "cache" in str(w.message)])
"""


def run_script(site, home, **env_extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "SNNLIB_CACHE_DIR", "PYTHONPATH", "NUMBA_DISABLE_JIT")}
    env.update(HOME=str(home), **env_extra)
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(site=str(site))], env=env, capture_output=True,
                         text=True, timeout=600, cwd=str(home))
    assert out.returncode == 0, out.stderr
    module_file, n_spikes, warned = out.stdout.strip().splitlines()[-3:]
    assert module_file.startswith(str(site))
    return int(n_spikes), eval(warned)


def copy_package(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(os.path.dirname(snnlib.__file__), site / "snnlib", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def test_editing_a_model_file_is_seen_by_the_next_process(tmp_path):
    """numba alone checks only the timestamp of the file holding the cached function: the hand-written fast
    kernel, calling the LIF step from neurons/lif.py, kept running the old step after lif.py changed (this
    test failed on it: 259 spikes before and after the edit with the JIT, 247 without). Here lif.py is edited
    between two runs (0.5 ms less integration in every exact step): the second run must follow the edit,
    exactly as plain Python (NUMBA_DISABLE_JIT=1) does."""
    site, home = copy_package(tmp_path), tmp_path / "home"
    home.mkdir()
    before, _ = run_script(site, home)
    assert before in (41 + 63 + 155 - 1, 41 + 63 + 155)      # the analytic rates over 1 s
    lif = site / "snnlib" / "neurons" / "lif.py"
    text = lif.read_text()
    old = "active = dt - ref "
    assert text.count(old) == 1
    lif.write_text(text.replace(old, "active = dt - ref - 0.0005 "))
    after, _ = run_script(site, home)
    truth, _ = run_script(site, home, NUMBA_DISABLE_JIT="1")
    assert truth != before                       # the edit matters
    assert after == truth


def test_kernel_cache_dir_is_created_private(tmp_path, monkeypatch):
    target = tmp_path / "cache" / "kernels"
    monkeypatch.setenv("SNNLIB_CACHE_DIR", str(target))
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    path, ok = kernel_cache.cache_dir()
    assert ok and path == str(target)
    assert (os.stat(target).st_mode & 0o777) == 0o700


@pytest.mark.parametrize("problem", ["mode", "owner", "symlink", "file"])
def test_unsafe_cache_dir_is_refused_with_a_warning(tmp_path, monkeypatch, problem):
    """A directory another user could write (or owns, or a link to one) must never hold code we load."""
    target = tmp_path / "planted"
    if problem == "mode":
        target.mkdir(mode=0o777)
        os.chmod(target, 0o777)
    elif problem == "owner":
        if os.geteuid() != 0:
            pytest.skip("needs root to give a directory to another uid")
        target.mkdir(mode=0o700)
        os.chown(target, 12345, 12345)
    elif problem == "symlink":
        real = tmp_path / "real"
        real.mkdir(mode=0o700)
        target.symlink_to(real)
    else:
        target.write_text("not a directory")
    monkeypatch.setenv("SNNLIB_CACHE_DIR", str(target))
    monkeypatch.setattr(kernel_cache, "_PRIVATE", None)
    with pytest.warns(kernel_cache.CacheDirWarning, match="not cached.*" + {
            "mode": "mode is 0777", "owner": "belongs to uid 12345", "symlink": "symbolic link",
            "file": "not a directory"}[problem]):
        path, ok = kernel_cache.cache_dir()
    assert not ok and path != str(target)
    assert (os.stat(path).st_mode & 0o777) == 0o700 and os.stat(path).st_uid == os.geteuid()


def test_planted_cache_dir_of_another_user_is_not_used_end_to_end(tmp_path):
    """Issue 18: another user pre-creates the predictable cache directory; the simulation still runs, says why
    it does not cache, and writes nothing there."""
    if os.geteuid() != 0:
        pytest.skip("needs root to give a directory to another uid")
    site, home = copy_package(tmp_path), tmp_path / "home"
    home.mkdir()
    planted = home / ".cache" / "snnlib" / "kernels"
    planted.mkdir(parents=True)
    os.chmod(planted, 0o777)
    os.chown(planted, 12345, 12345)
    n, warned = run_script(site, home)
    assert n > 200
    assert len(warned) == 1 and "belongs to uid 12345" in warned[0]
    assert os.listdir(planted) == []


def test_uncreatable_numba_cache_dir_gives_a_clear_warning_not_a_numba_error(tmp_path):
    site, home = copy_package(tmp_path), tmp_path / "home"
    home.mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    n, warned = run_script(site, home, NUMBA_CACHE_DIR=str(blocker / "numba"))
    assert n > 200
    assert len(warned) == 1 and f"NUMBA_CACHE_DIR={blocker / 'numba'}" in warned[0] and "cannot be created" in warned[0]


def test_no_home_falls_back_to_a_checked_directory_in_tmp(monkeypatch):
    for name in ("SNNLIB_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/nonexistent")
    assert kernel_cache.default_dir().endswith(os.path.join(f"snnlib-{os.geteuid()}", "kernels"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path, ok = kernel_cache.cache_dir()      # ours (created now or by an earlier run): no warning
    assert ok and kernel_cache.unsafe_reason(path) is None


def test_environment_cache_is_used_only_when_private(monkeypatch, tmp_path):
    # a course image compiles its kernels into <sys.prefix>/share/snnlib/kernels at build time (postBuild),
    # outside the home folder that a hub's persistent volume hides
    for name in ("SNNLIB_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    prefix = tmp_path / "env"
    monkeypatch.setattr(sys, "prefix", str(prefix))
    user_cache = str(home / ".cache" / "snnlib" / "kernels")
    assert kernel_cache.default_dir() == user_cache          # no environment cache: the user's
    env_cache = prefix / "share" / "snnlib" / "kernels"
    env_cache.mkdir(parents=True)
    os.chmod(env_cache.parent, 0o755)
    os.chmod(env_cache, 0o755)                               # others could read: not private enough
    assert kernel_cache.default_dir() == user_cache
    os.chmod(env_cache, 0o700)
    assert kernel_cache.default_dir() == str(env_cache)
    os.chmod(env_cache.parent, 0o777)                        # a parent anyone may rename entries in
    assert kernel_cache.default_dir() == user_cache
    os.chmod(env_cache.parent, 0o755)
    monkeypatch.setenv("SNNLIB_CACHE_DIR", str(tmp_path / "mine"))
    assert kernel_cache.default_dir() == str(tmp_path / "mine")   # the user's explicit choice wins


def test_cache_name_covers_the_jit_intrinsics(monkeypatch, tmp_path):
    """Kernels compile snnlib.sim.jit's intrinsics (wide_vectors, prefetch) into themselves: an edit to jit.py
    must give the same generated source another cache file (numba checks only the kernel file's timestamp)."""
    import inspect

    from snnlib.sim import jit

    monkeypatch.setenv("SNNLIB_CACHE_DIR", str(tmp_path / "kernels"))
    source = "CACHE = True\nX = 1\n"
    first = kernel_cache.load(source, []).__file__
    assert kernel_cache.load(source, []).__file__ == first          # same inputs, same file
    real = inspect.getsource

    def edited(obj):
        return real(obj) + "\n# edited\n" if obj is jit else real(obj)

    monkeypatch.setattr(inspect, "getsource", edited)
    assert kernel_cache.load(source, []).__file__ != first


@pytest.mark.parametrize("part", ["snnlib.sim.jit_base", "snnlib.sim.jit_intrinsics", "snnlib.sim.jit_sync",
                                  "snnlib.sim.jit_pipeline"])
def test_cache_name_covers_each_part_of_jit(monkeypatch, tmp_path, part):
    """jit.py re-exports modules that hold the intrinsics (and the pipeline) compiled into kernels: an edit to
    any of them must give the same generated source another cache file, as an edit to jit.py does."""
    import importlib
    import inspect

    module = importlib.import_module(part)
    monkeypatch.setenv("SNNLIB_CACHE_DIR", str(tmp_path / "kernels"))
    source = "CACHE = True\nX = 2\n"
    first = kernel_cache.load(source, []).__file__
    real = inspect.getsource

    def edited(obj):
        return real(obj) + "\n# edited\n" if obj is module else real(obj)

    monkeypatch.setattr(inspect, "getsource", edited)
    assert kernel_cache.load(source, []).__file__ != first
