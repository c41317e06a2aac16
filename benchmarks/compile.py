"""Kernel start-up: first compile of a new network structure, and loading it from the cache in a fresh process.

    .venv/bin/python benchmarks/compile.py [--processes 3] [--json]

Each measurement is a fresh Python process with its own empty kernel cache (SNNLIB_CACHE_DIR in a temporary
directory): the child imports numba and compiles a trivial function (numba's own start-up: LLVM and the CPU
target, paid once per process whatever the kernel; reported as numba_init_cpu_s), builds a network, then
times `sim.run(dt)` (one step: generation, compilation or cache load, and the step itself) in CPU time
(time.process_time) and wall time. Then a second fresh process with the same cache does the same: that is
the cached load. Networks: "cuba" (2 LIF populations x 2
exponential receptors, the CUBA structure), "cuba_stdp" (the same with pair STDP: another structure).
Targets (issue 10): first compile < 1.5 s CPU, cached load < 50 ms.

One fresh process moves by 1.2-1.5x between runs on a shared VM (session 10: CUBA+STDP 1.94 then 1.57 s), so
each network is measured `--processes` times (default 3; the networks alternate, each pair of processes with
a new empty cache) and judged on the median; every run is reported too.

Fields: compile.<net>.compile_cpu_s, .compile_wall_s, .load_cpu_s, .load_wall_s, .numba_init_cpu_s (medians
over the processes), .runs (each process pair's figures, in the order measured) and .processes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from statistics import median

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = """
import sys, time, json
sys.path.insert(0, {here!r})
c0 = time.process_time()
import numba
numba.njit(lambda x: x + 1)(1)
init = time.process_time() - c0
import cuba, snnlib as snn
net, pe, pi = cuba.build_cuba(seed=1, stdp={stdp})
sim = snn.Simulator(net, dt=cuba.DT)
t0, c0 = time.perf_counter(), time.process_time()
sim.run(cuba.DT)
print(json.dumps({{"cpu": time.process_time() - c0, "wall": time.perf_counter() - t0, "init": init}}))
"""


def measure(stdp: bool) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, SNNLIB_CACHE_DIR=os.path.join(cache, "kernels"))
        env.pop("NUMBA_CACHE_DIR", None)
        out = []
        for _ in range(2):
            done = subprocess.run([sys.executable, "-c", CHILD.format(here=HERE, stdp=stdp)], env=env,
                                  capture_output=True, text=True, timeout=600, check=True)
            out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"compile_cpu_s": out[0]["cpu"], "compile_wall_s": out[0]["wall"],
            "load_cpu_s": out[1]["cpu"], "load_wall_s": out[1]["wall"], "numba_init_cpu_s": out[1]["init"]}


def summarise(runs: list) -> dict:
    """One network's record: the median of each field over `runs` (measure's dicts), and the runs themselves."""
    rec = {key: median([r[key] for r in runs]) for key in runs[0]}
    rec.update(runs=runs, processes=len(runs))
    return rec


NETS = (("cuba", False), ("cuba_stdp", True))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="kernel compile and cached-load times")
    parser.add_argument("--processes", type=int, default=3,
                        help="fresh process pairs (compile, then cached load) per network; judged on the median")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    runs = {name: [] for name, _ in NETS}
    for _ in range(args.processes):         # alternated: a slow spell of the machine hits both networks
        for name, stdp in NETS:
            runs[name].append(measure(stdp))
    rec = {"compile": {name: summarise(r) for name, r in runs.items()}}
    if args.json:
        print(json.dumps(rec))
    else:
        for name, r in rec["compile"].items():
            each = ", ".join(f"{x['compile_cpu_s']:.3f}" for x in r["runs"])
            print(f"{name:10s} first compile {r['compile_cpu_s']:.3f} s CPU median of {r['processes']} ({each}; "
                  f"wall {r['compile_wall_s']:.3f} s); cached load {1e3 * r['load_cpu_s']:.1f} ms CPU "
                  f"({1e3 * r['load_wall_s']:.1f} ms wall); numba's own start-up {r['numba_init_cpu_s']:.3f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
