"""snnlib imports and runs from a read-only install, caching compiled kernels in a per-user directory
(nothing is written beside the package)."""

import os
import shutil
import stat
import subprocess
import sys

import snnlib

SCRIPT = """
import os, sys
sys.path.insert(0, {site!r})
import snnlib, snnlib.sim.kernel_cache
net = snnlib.Network(seed=1)
pop = net.population(2)
net.input(pop, 2.0)
p = net.probe(pop, "spikes")
sim = snnlib.Simulator(net, dt=1e-3)
sim.run(0.1)
print(snnlib.__file__)
print(len(sim.data[p]))
print(snnlib.sim.kernel_cache.cache_dir()[0])
"""


def _make_readonly_copy(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(os.path.dirname(snnlib.__file__), site / "snnlib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for root, dirs, files in os.walk(site):
        for name in dirs + files:
            path = os.path.join(root, name)
            os.chmod(path, 0o555 if os.path.isdir(path) else 0o444)
    os.chmod(site, 0o555)
    return site


def test_readonly_install_uses_user_cache_dir(tmp_path):
    site = _make_readonly_copy(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "SNNLIB_CACHE_DIR", "PYTHONPATH")}
    env["HOME"] = str(home)
    immutable = []
    if os.geteuid() == 0:
        # root ignores permission bits (and CI runs as root): make the copy immutable instead
        immutable = [root for root, _, _ in os.walk(site / "snnlib")]
        done = subprocess.run(["chattr", "+i", *immutable], capture_output=True, text=True)
        assert done.returncode == 0, f"cannot make the copy read-only for root: {done.stderr}"
    try:
        out = subprocess.run([sys.executable, "-c", SCRIPT.format(site=str(site))], env=env,
                             capture_output=True, text=True, timeout=600, cwd=str(tmp_path))
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", *immutable], check=True)
    assert out.returncode == 0, out.stderr
    module_file, n_spikes, cache_dir = out.stdout.strip().splitlines()[-3:]
    assert module_file.startswith(str(site))
    assert int(n_spikes) == 2 * 6                # 63 Hz for 0.1 s: 6 spikes each
    assert cache_dir == str(home / ".cache" / "snnlib" / "kernels")
    cached = [f for _, _, files in os.walk(cache_dir) for f in files]
    assert any(f.endswith(".nbi") for f in cached), cached
    assert not (site / "snnlib" / "__pycache__").exists()
    os.chmod(site, stat.S_IRWXU)                 # let pytest clean up tmp_path
