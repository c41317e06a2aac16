"""A/B timing of the CUBA loop: snnlib versions side by side in ONE process, runs alternated.

    .venv/bin/python benchmarks/ab.py --ref a189da2^ --ref HEAD          # old hand-written kernel, HEAD, this tree
    .venv/bin/python benchmarks/ab.py --ref HEAD --stdp --plain          # CUBA+STDP / CUBA, both this tree and HEAD
    .venv/bin/python benchmarks/ab.py --json ...                         # one JSON object

On a shared machine absolute loop times move by 1.5x within minutes; a ratio of two versions timed in
the same process, one run of each in turn (ABAB...), is much steadier. Each `--ref` (any git revision)
is extracted with `git archive` into a temporary folder and renamed (`snnlib` -> `snnlib_<rev>`, every
import rewritten), so several versions import side by side; "work" is this working tree's snnlib.
Every variant builds the same CUBA network (benchmarks/cuba.py's parameters, seed 1), runs one step to
load its kernel, then each round runs `sim.reset(); sim.run(1.0)` once per variant (the order rotates each
round) and records the loop's CPU time (time.process_time). Reported per variant: median, min, max;
per round the ratio to the first variant, whose median and range are the figure to quote.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import cuba  # noqa: E402  (parameters of the benchmark network)


def extract(rev: str) -> str:
    """Import name of snnlib at git revision `rev`, extracted and renamed under a temporary folder."""
    sha = subprocess.run(["git", "rev-parse", "--short=10", rev], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    name = f"snnlib_{sha}"
    base = os.path.join(tempfile.gettempdir(), f"snnlib-ab-{os.getuid()}")
    dest = os.path.join(base, name)
    if not os.path.isdir(dest):
        os.makedirs(base, exist_ok=True)
        tmp = tempfile.mkdtemp(dir=base)
        archive = subprocess.run(["git", "archive", sha, "snnlib"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        _rename(os.path.join(tmp, "snnlib"), name)
        os.rename(os.path.join(tmp, "snnlib"), dest)
        os.rmdir(tmp)
    if base not in sys.path:
        sys.path.insert(0, base)
    return name


def copy_tree(path: str) -> str:
    """Import name of the snnlib package in folder `path` (e.g. an experiment), copied and renamed."""
    import shutil

    name = "snnlib_" + re.sub(r"\W", "_", os.path.basename(os.path.abspath(path)))
    base = tempfile.mkdtemp(prefix="snnlib-ab-tree-")
    dest = os.path.join(base, name)
    shutil.copytree(os.path.join(path, "snnlib"), dest, ignore=shutil.ignore_patterns("__pycache__"))
    _rename(dest, name)
    sys.path.insert(0, base)
    return name


def _rename(folder: str, name: str) -> None:
    pattern = re.compile(r"\bsnnlib\b")
    for sub, _, files in os.walk(folder):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(sub, f)
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(pattern.sub(name, text))


def build(snn, stdp: bool, precision: str, run: bool = True, scale: int = 1):
    """The CUBA network of benchmarks/cuba.py in module `snn` (any snnlib version); (Simulator with its kernel
    loaded, spike probe, CPU seconds of that first step), or with run=False the Simulator alone, not run.
    scale=k: k times the neurons at connection probability 0.02 / k (as `cuba.build_cuba`)."""
    units = importlib.import_module(snn.__name__ + ".units")
    mV, ms = units.mV, units.ms
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV, v_rest=-49 * mV)
    net = snn.Network(seed=1)
    v_init = snn.Uniform(-60 * mV, -50 * mV)
    exc = net.population(cuba.N_E * scale, lif, v_init=v_init, label="exc")
    inh = net.population(cuba.N_I * scale, lif, v_init=v_init, label="inh")
    ge, gi = snn.ExpSynapse(5 * ms), snn.ExpSynapse(10 * ms)
    w_e, w_i = 60 * 0.27 / 10 * mV, -20 * 4.5 / 10 * mV
    extra = {}
    if stdp:
        extra["plasticity"] = snn.STDP(a_plus=0.01 * w_e, a_minus=0.0105 * w_e, w_min=0.0, w_max=2 * w_e)
    for post in (exc, inh):
        net.connect_random(exc, post, p=0.02 / scale, weight=w_e, synapse=ge, **extra)
        net.connect_random(inh, post, p=0.02 / scale, weight=w_i, synapse=gi)
    probe = net.probe(exc, "spikes")
    sim = snn.Simulator(net, dt=cuba.DT, precision=precision)
    if not run:
        return sim
    c0 = time.process_time()
    sim.run(cuba.DT)
    load = time.process_time() - c0
    sim.reset()
    return sim, probe, load


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", action="append", default=[], help="git revision to compare (repeatable)")
    parser.add_argument("--tree", action="append", default=[],
                        help="a copy of snnlib in another folder, PATH (its package is renamed like a --ref)")
    parser.add_argument("--no-work", action="store_true", help="leave out this working tree")
    parser.add_argument("--stdp", action="store_true", help="CUBA with STDP on the excitatory synapses")
    parser.add_argument("--plain", action="store_true", help="with --stdp: plain CUBA of every version too")
    parser.add_argument("--precision", default="float32", choices=("float32", "float64"))
    parser.add_argument("--repeats", type=int, default=9, help="rounds (one run of every variant each)")
    parser.add_argument("--duration", type=float, default=cuba.DURATION, help="simulated seconds per run")
    parser.add_argument("--scale", type=int, default=1, help="CUBA x k: k times the neurons at p = 0.02 / k")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    mods = [(rev, extract(rev)) for rev in args.ref] + [(os.path.basename(p), copy_tree(p)) for p in args.tree]
    if not args.no_work:
        sys.path.insert(0, ROOT)
        mods.append(("work", "snnlib"))
    load_before = os.getloadavg()
    variants = []
    for label, name in mods:
        snn = importlib.import_module(name)
        kinds = [args.stdp] + ([False] if args.stdp and args.plain else [])
        for stdp in kinds:
            sim, probe, load = build(snn, stdp, args.precision, scale=args.scale)
            variants.append({"label": f"{label}{' stdp' if stdp else ''}", "sim": sim, "probe": probe,
                             "load_s": load, "cpu": [], "spikes": None})
    for r in range(args.repeats):
        order = variants[r % len(variants):] + variants[:r % len(variants)]
        for v in order:
            v["sim"].reset()
            c0 = time.process_time()
            v["sim"].run(args.duration)
            v["cpu"].append(time.process_time() - c0)
            v["spikes"] = int(v["sim"].counts["spikes"])
    load_after = os.getloadavg()

    def summary(xs):
        xs = sorted(xs)
        return {"median": xs[len(xs) // 2] if len(xs) % 2 else 0.5 * (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]),
                "min": xs[0], "max": xs[-1]}

    ref = variants[0]
    out = {"precision": args.precision, "repeats": args.repeats, "duration_s": args.duration,
           "load_before": load_before, "load_after": load_after, "variants": {}}
    for v in variants:
        ratios = [a / b for a, b in zip(v["cpu"], ref["cpu"])]
        out["variants"][v["label"]] = {"loop_cpu_s": summary(v["cpu"]), "ratio_to_first": summary(ratios),
                                       "spikes": v["spikes"], "first_step_cpu_s": v["load_s"], "runs": v["cpu"]}
    # with --stdp --plain: per version, the STDP run / the plain run of the same round (issue 10: <= 2)
    for v in variants:
        plain = next((u for u in variants if u["label"] + " stdp" == v["label"]), None)
        if plain is not None:
            out["variants"][v["label"]]["stdp_vs_plain"] = summary([a / b for a, b in zip(v["cpu"], plain["cpu"])])
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"CUBA {args.precision}{' + STDP' if args.stdp else ''}, {args.duration:g} s, {args.repeats} rounds; "
          f"load {load_before[0]:.2f} before, {load_after[0]:.2f} after (2 cores)")
    print(f"{'variant':24s} {'loop CPU median (min-max) s':>30s} {'ratio to ' + ref['label']:>26s} {'spikes':>8s}")
    for label, v in out["variants"].items():
        c, q = v["loop_cpu_s"], v["ratio_to_first"]
        print(f"{label:24s} {c['median']:10.4f} ({c['min']:.4f}-{c['max']:.4f}) "
              f"{q['median']:10.3f} ({q['min']:.3f}-{q['max']:.3f}) {v['spikes']:8d}")
    for label, v in out["variants"].items():
        if "stdp_vs_plain" in v:
            q = v["stdp_vs_plain"]
            print(f"{label}: STDP / plain, same round: median {q['median']:.3f} ({q['min']:.3f}-{q['max']:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
