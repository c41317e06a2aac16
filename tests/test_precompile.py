"""Kernels pre-compiled at image build time (postBuild -> tools/precompile_kernels.py) are reused on the
same CPU and compiled again, correctly, on another CPU (numba keys its cache by CPU model and features).
The other half of "numba needs a writable cache": an unusable cache folder switches caching off with a
warning (snnlib's own tests of snnlib/sim/kernel_cache.py)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
RUN = """
import json, sys
import snnlib
from numba.core.registry import CPUDispatcher
net = snnlib.Network(seed=3)
pop = net.population(20)
net.input(pop, 2.0)
probe = net.probe(pop, "spikes")
sim = snnlib.Simulator(net, dt=1e-3)
sim.run(0.2)
from snnlib.sim import kernel_cache
hits = misses = 0
mods = [m for n, m in list(sys.modules.items()) if n.startswith("snnlib")] + list(kernel_cache._LOADED.values())
for mod in mods:
    for obj in vars(mod).values():
        if isinstance(obj, CPUDispatcher):
            hits += sum(obj.stats.cache_hits.values())
            misses += sum(obj.stats.cache_misses.values())
rec = sim.data[probe]
print(json.dumps({"spikes": [list(map(float, rec.times)), list(map(int, rec.neurons))], "hits": hits, "misses": misses}))
"""


def env_for(cache: Path, cpu: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "SNNLIB_"))}
    cache.mkdir(mode=0o700, exist_ok=True)
    env["SNNLIB_CACHE_DIR"] = str(cache)
    if cpu:
        env["NUMBA_CPU_NAME"] = cpu           # what numba sees as the CPU model: another machine
        env["NUMBA_CPU_FEATURES"] = ""
    return env


def run(cache: Path, cpu: str | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", RUN], env=env_for(cache, cpu), capture_output=True,
                         text=True, timeout=900, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def entries(cache: Path) -> int:
    return len(list(cache.rglob("*.nbc")))     # one compiled object per signature and CPU


def test_precompiled_kernels_reused_here_and_recompiled_on_another_cpu(tmp_path):
    cache = tmp_path / "cache"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RUN)])
    nbformat.write(nb, tmp_path / "warm.ipynb")
    built = subprocess.run([sys.executable, str(ROOT / "tools" / "precompile_kernels.py"), str(tmp_path / "warm.ipynb")],
                           env=env_for(cache), capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"numba cache: {cache}" in built.stdout and entries(cache) > 0
    n_built = entries(cache)

    same = run(cache)                            # a student on the build machine's CPU
    assert same["misses"] == 0 and same["hits"] > 0, same
    assert entries(cache) == n_built             # nothing compiled, nothing added

    other = run(cache, cpu="nehalem")            # a student on an older CPU: entries do not match
    assert other["misses"] > 0 and other["hits"] == 0, other
    assert other["spikes"] == same["spikes"]     # compiled again, same results
    assert entries(cache) > n_built              # and cached beside the build machine's entries

    again = run(cache, cpu="nehalem")            # that CPU's next start reuses its own entries
    assert again["misses"] == 0 and again["hits"] > 0


def test_precompile_fails_when_nothing_is_cached(tmp_path):
    # a cache folder numba cannot use: the tool says so instead of shipping an image without kernels
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.write(nb, tmp_path / "nothing.ipynb")
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "precompile_kernels.py"), str(tmp_path / "nothing.ipynb")],
                         env=env_for(tmp_path / "cache"), capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 1 and "no kernel was cached" in out.stderr
