"""How fast snnlib feels: import time, cold start, and a small network's latency.

    .venv/bin/python benchmarks/latency.py --json

Fields (seconds, medians over --repeats fresh processes or calls):
- import_s: `import snnlib` in a fresh interpreter that has already imported numpy, i.e. the time
  snnlib adds beyond numpy's own import. numpy_import_s is numpy's import in the same processes.
- cold_start_s: a fresh process (`python -c ...`) that imports snnlib and runs the small network
  once, with a warm numba cache (warmed first): wall time from starting the process until the
  network's spikes are in hand (the child prints a marker line then; interpreter start included).
  That is what a learner waits for. cold_start_cpu_s is the child's own CPU time at that moment
  (`time.process_time()`): close to the wall time on an idle machine, smaller when cores are shared.
- cold_first_s, cold_first_cpu_s: the same as cold_start_s / cold_start_cpu_s, but with an empty numba
  cache (NUMBA_CACHE_DIR pointing to a new empty folder for each run): the first run after installing,
  when every kernel is compiled. Median of min(repeats, 3) runs (each takes seconds). The operating
  system's file cache is warm (numba and LLVM are already on disk in memory), as after an install.
- cold_start_process_s: the same process until it has exited. Python's shutdown is not part of
  "import + first simulation" but is reported: it adds about 0.5 s here, mostly the interpreter's final
  garbage collection walking numba's and LLVM's objects (`gc.freeze()` before exit removes most of it).
- small_net_s: the small network in a warm process: describe, build, run and read the spikes.
  The small network: 100 LIF neurons (normalised units) driven by 100 Poisson sources at 20 Hz
  through 10 % random excitatory synapses, 1 s at dt = 1 ms, spikes probed.
- small_net_rate_hz: its mean output rate, so a change that silences it shows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

SMALL_NET_CODE = """
import snnlib as snn
from snnlib.units import ms
def small_net(seed=1):
    net = snn.Network(seed=seed)
    inp = net.poisson(100, rate=20.0, label="input")
    lif = net.population(100, snn.LIF(), bias=0.8, label="lif")
    net.connect_random(inp, lif, p=0.1, weight=0.3, synapse=snn.ExpSynapse(5 * ms))
    sp = net.probe(lif, "spikes")
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(1.0)
    return sim.data[sp]
"""

IMPORT_CODE = """
import time
t0 = time.perf_counter()
import numpy
t1 = time.perf_counter()
import snnlib
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(code: str) -> tuple[float, str, float]:
    """Run `code` in a fresh interpreter; return (wall s, stdout, CPU s of the child). Raises on failure."""
    t0, c0 = time.perf_counter(), _children_cpu()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if out.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{out.stderr}")
    return wall, out.stdout, cpu


COLD_MARK = "COLD-START-DONE"
COLD_CODE = SMALL_NET_CODE + f"""
import sys, time
spikes = small_net()
print("{COLD_MARK}", time.process_time(), len(spikes), flush=True)
"""


def _cold_start(env: dict | None = None) -> tuple[float, float, float]:
    """(wall s until the small network's result, child CPU s at that moment, wall s until the child exited)
    for one fresh process running COLD_CODE (in ``env``, default this process's). Raises on failure."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", COLD_CODE], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    t_done = cpu = None
    for line in proc.stdout:                             # the marker arrives as soon as the child prints it
        if line.startswith(COLD_MARK):
            t_done, cpu = time.perf_counter() - t0, float(line.split()[1])
    err = proc.stderr.read()
    proc.wait(timeout=600)
    t_exit = time.perf_counter() - t0
    if proc.returncode != 0 or t_done is None:
        raise RuntimeError(f"cold-start subprocess failed (exit {proc.returncode}):\n{err}")
    return t_done, cpu, t_exit


def measure(repeats: int = 5) -> dict:
    """All latency figures (see the module docstring)."""
    first = []
    for _ in range(min(repeats, 3)):                     # first run after installing: nothing compiled yet
        with tempfile.TemporaryDirectory(prefix="snnlib-bench-numba-") as empty:
            first.append(_cold_start({**os.environ, "NUMBA_CACHE_DIR": empty}))
    _cold_start()                                        # warm the numba cache
    cold = [_cold_start() for _ in range(repeats)]
    imports = [tuple(map(float, _run(IMPORT_CODE)[1].split())) for _ in range(repeats)]

    namespace: dict = {}
    exec(SMALL_NET_CODE, namespace)                      # noqa: S102 - our own fixed code
    small_net = namespace["small_net"]
    rec = small_net()                                    # loads the kernels into this process
    times = []
    for _ in range(max(repeats, 10)):
        t0 = time.perf_counter()
        rec = small_net()
        times.append(time.perf_counter() - t0)
    return {
        "import_s": statistics.median(b for _, b in imports),
        "numpy_import_s": statistics.median(a for a, _ in imports),
        "cold_start_s": statistics.median(w for w, _, _ in cold),
        "cold_start_cpu_s": statistics.median(c for _, c, _ in cold),
        "cold_start_process_s": statistics.median(e for _, _, e in cold),
        "cold_first_s": statistics.median(w for w, _, _ in first),
        "cold_first_cpu_s": statistics.median(c for _, c, _ in first),
        "small_net_s": statistics.median(times),
        "small_net_rate_hz": float(len(rec) / (rec.n_neurons * rec.duration)),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="import time, cold start and small-network latency of snnlib")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    rec = measure(args.repeats)
    print(json.dumps(rec) if args.json else "\n".join(f"{k:20s} {v:.4g}" for k, v in rec.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
