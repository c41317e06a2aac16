"""Kernel start-up: first compile of a new network structure, and loading it from the cache in a fresh process.

    .venv/bin/python benchmarks/compile.py [--json]

Each measurement is a fresh Python process with its own empty kernel cache (SNNLIB_CACHE_DIR in a temporary
directory): the child builds a network, then times `sim.run(dt)` (one step: generation, compilation or
cache load, and the step itself) in CPU time (time.process_time) and wall time. Then a second fresh process
with the same cache does the same: that is the cached load. Networks: "cuba" (2 LIF populations x 2
exponential receptors, the CUBA structure), "cuba_stdp" (the same with pair STDP: another structure).
Targets (issue 10): first compile < 1.5 s CPU, cached load < 50 ms.

Fields: <net>.compile_cpu_s, <net>.compile_wall_s, <net>.load_cpu_s, <net>.load_wall_s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = """
import sys, time, json
sys.path.insert(0, {here!r})
import cuba, snnlib as snn
net, pe, pi = cuba.build_cuba(seed=1, stdp={stdp})
sim = snn.Simulator(net, dt=cuba.DT)
t0, c0 = time.perf_counter(), time.process_time()
sim.run(cuba.DT)
print(json.dumps({{"cpu": time.process_time() - c0, "wall": time.perf_counter() - t0}}))
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
            "load_cpu_s": out[1]["cpu"], "load_wall_s": out[1]["wall"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="kernel compile and cached-load times")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    rec = {"compile": {name: measure(stdp) for name, stdp in (("cuba", False), ("cuba_stdp", True))}}
    if args.json:
        print(json.dumps(rec))
    else:
        for name, r in rec["compile"].items():
            print(f"{name:10s} first compile {r['compile_cpu_s']:.3f} s CPU ({r['compile_wall_s']:.3f} s wall); "
                  f"cached load {1e3 * r['load_cpu_s']:.1f} ms CPU ({1e3 * r['load_wall_s']:.1f} ms wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
