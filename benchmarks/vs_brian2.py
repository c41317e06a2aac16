"""snnlib's float32 CUBA loop against Brian2's C++ standalone loop, the two processes alternated.

    .venv/bin/python benchmarks/vs_brian2.py --peers-venv .venv-peers --pairs 5 [--json]

Each pair is one `cuba.py --json` (snnlib, float32, loop CPU time) and one
`peers/brian2_cuba.py --target cpp_standalone --json` (Brian2's own loop timer, std::clock() CPU time) run
one after the other (order swapped every pair; `run_all.alternated`, the rounds `make bench` judges
`ratios.loop_vs_cpp_standalone` on, without its CUBA+STDP runs); the ratio per pair, its median and range are
reported (issue 10's target: <= 0.25), with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import run_all  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--peers-venv", type=Path, default=run_all.PEERS_VENV)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    variants = {"snnlib": (sys.executable, HERE / "cuba.py", ()),
                "brian2": (args.peers_venv / "bin" / "python", HERE / "peers" / "brian2_cuba.py",
                           ("--target", "cpp_standalone"))}
    load_before = os.getloadavg()
    runs = run_all.alternated(variants, args.pairs, {"snnlib": ("run_cpu_s",), "brian2": ("loop_s",)})
    snn, b2 = runs["snnlib"]["run_cpu_s_runs"], runs["brian2"]["loop_s_runs"]
    pairs = [{"snnlib_loop_cpu_s": a, "brian2_loop_s": b, "ratio": a / b} for a, b in zip(snn, b2)]
    ratio = report.round_ratios(snn, b2)
    out = {"pairs": pairs, "ratio_median": ratio["median"], "ratio_min": ratio["min"], "ratio_max": ratio["max"],
           "snnlib_loop_cpu_s_median": runs["snnlib"]["run_cpu_s"], "brian2_loop_s_median": runs["brian2"]["loop_s"],
           "load_before": load_before, "load_after": os.getloadavg()}
    if args.json:
        print(json.dumps(out))
        return 0
    for p in pairs:
        print(f"snnlib {p['snnlib_loop_cpu_s']:.4f} s CPU, Brian2 C++ {p['brian2_loop_s']:.4f} s: {p['ratio']:.3f}x")
    print(f"median {out['ratio_median']:.3f}x ({out['ratio_min']:.3f}-{out['ratio_max']:.3f}); "
          f"load {load_before[0]:.2f} before, {out['load_after'][0]:.2f} after (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
