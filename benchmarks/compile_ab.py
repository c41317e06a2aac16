"""A/B of the first compile of a new structure: snnlib versions in ONE process, alternated.

    .venv/bin/python benchmarks/compile_ab.py --ref c2957be [--stdp] [--rounds 5] [--fresh] [--json]

`compile.py` times a fresh process per compile; on a shared machine those move by 1.5x between runs, more
than most changes to the generated code. Here each round compiles the CUBA kernel (float64, the Simulator's
default; `--stdp`: with STDP on the excitatory synapses) once per version, the order swapped every round,
each time with an empty kernel cache (a new SNNLIB_CACHE_DIR) and the version's in-process memo cleared, and
times `sim.run(dt)` in CPU time. numba is already warm in this process (its start-up and first typing of
common functions are not in these figures, unlike compile.py's), so the times are lower than a first compile
in a fresh process; the ratio per round is the figure to quote. Versions: `--ref` git revisions (extracted
and renamed as in ab.py) against this working tree.

`--fresh`: each compile in a fresh Python process instead (numba warmed there only by a trivial function, as in
compile.py), so what numba does once per process (e.g. compiling its own helpers for a construct the kernel
uses first) is in the figures; the versions still alternate, round by round. `--fresh --load`: the cached load
instead (a fresh process compiles into an empty cache, a second fresh process with that cache is timed).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ab  # noqa: E402
import cuba  # noqa: E402


def compile_once(name: str, stdp: bool, cache_root: str) -> float:
    """CPU seconds to build and compile CUBA's kernel with snnlib package `name`, from an empty cache."""
    snn = importlib.import_module(name)
    importlib.import_module(name + ".sim.kernel_cache")._LOADED.clear()
    importlib.import_module(name + ".sim.kernel")._BY_STRUCTURE.clear()
    os.environ["SNNLIB_CACHE_DIR"] = tempfile.mkdtemp(dir=cache_root)
    sim = ab.build(snn, stdp, "float64", run=False)
    c0 = time.process_time()
    sim.run(cuba.DT)
    return time.process_time() - c0


FRESH_CHILD = """
import sys, os, time, json, importlib
sys.path[:0] = {paths!r}
import numba
numba.njit(lambda x: x + 1)(1)
import ab
snn = importlib.import_module({name!r})
sim = ab.build(snn, {stdp!r}, {precision!r}, run=False)
c0 = time.process_time()
sim.run({dt!r})
print(json.dumps(time.process_time() - c0))
"""


def compile_fresh(name: str, stdp: bool, cache_root: str, precision: str = "float64", load: bool = False) -> float:
    """compile_once in a fresh process (numba's once-per-process work included); load=True: the CPU time of a
    second fresh process loading that kernel from the cache the first one filled."""
    import subprocess

    env = dict(os.environ, SNNLIB_CACHE_DIR=tempfile.mkdtemp(dir=cache_root))
    env.pop("NUMBA_CACHE_DIR", None)
    paths = [HERE] + [p for p in sys.path if p.startswith(tempfile.gettempdir())] + [os.path.dirname(HERE)]
    code = FRESH_CHILD.format(paths=paths, name=name, stdp=stdp, precision=precision, dt=cuba.DT)
    for _ in range(2 if load else 1):
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600,
                              check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", required=True, help="git revision to compare with this tree")
    parser.add_argument("--stdp", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="each compile in a fresh process")
    parser.add_argument("--load", action="store_true", help="with --fresh: time the cached load instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    import numba

    numba.njit(lambda x: x + 1)(1)
    sys.path.insert(0, os.path.dirname(HERE))
    versions = [(args.ref, ab.extract(args.ref)), ("work", "snnlib")]
    times = {label: [] for label, _ in versions}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as root:
        for r in range(args.rounds + 1):           # round 0 warms numba up for both and is not kept
            for label, name in (versions if r % 2 == 0 else versions[::-1]):
                if args.fresh:
                    t = compile_fresh(name, args.stdp, root, load=args.load)
                else:
                    t = compile_once(name, args.stdp, root)
                if r:
                    times[label].append(t)
    ratios = sorted(a / b for a, b in zip(times["work"], times[args.ref]))
    med = lambda xs: sorted(xs)[len(xs) // 2]
    out = {"stdp": args.stdp, "rounds": args.rounds, "fresh": args.fresh, "load": args.load, "load_before": load_before, "load_after": os.getloadavg(),
           "compile_cpu_s": {k: {"median": med(v), "min": min(v), "max": max(v)} for k, v in times.items()},
           "work_over_ref": {"median": med(ratios), "min": ratios[0], "max": ratios[-1]}}
    if args.json:
        print(json.dumps(out))
        return 0
    for label, v in out["compile_cpu_s"].items():
        print(f"{label:12s} {'cached load' if args.load else 'compile'} CPU median {v['median']:.3f} s (min {v['min']:.3f}, max {v['max']:.3f})")
    q = out["work_over_ref"]
    print(f"work / {args.ref}, same round: median {q['median']:.3f} ({q['min']:.3f}-{q['max']:.3f}); "
          f"load {load_before[0]:.2f} before, {out['load_after'][0]:.2f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
