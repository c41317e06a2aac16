"""snnlib's float32 CUBA loop against Brian2's C++ standalone loop, the two processes alternated.

    .venv/bin/python benchmarks/vs_brian2.py --peers-venv .venv-peers --pairs 5 [--json]

`make bench` runs all snnlib repeats, then all Brian2 repeats; on a machine shared with other work the
load can change in between. Here each pair is one `cuba.py --json` (snnlib, float32, loop CPU time) and one
`peers/brian2_cuba.py --target cpp_standalone --json` (Brian2's own loop timer, std::clock() CPU time) run
one after the other (order swapped every pair); the ratio per pair, its median and range are reported
(issue 10's target: <= 0.25), with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(cmd: list[str]) -> dict:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--peers-venv", type=Path, default=HERE.parent / ".venv-peers")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    snn_cmd = [sys.executable, str(HERE / "cuba.py"), "--json"]
    b2_cmd = [str(args.peers_venv / "bin" / "python"), str(HERE / "peers" / "brian2_cuba.py"), "--target",
              "cpp_standalone", "--json"]
    run(snn_cmd), run(b2_cmd)                   # warm-up: caches of both
    load_before = os.getloadavg()
    pairs = []
    for k in range(args.pairs):
        if k % 2:
            b2 = run(b2_cmd)
            snn = run(snn_cmd)
        else:
            snn = run(snn_cmd)
            b2 = run(b2_cmd)
        pairs.append({"snnlib_loop_cpu_s": snn["run_cpu_s"], "brian2_loop_s": b2["loop_s"],
                      "ratio": snn["run_cpu_s"] / b2["loop_s"]})
    ratios = [p["ratio"] for p in pairs]
    out = {"pairs": pairs, "ratio_median": statistics.median(ratios), "ratio_min": min(ratios),
           "ratio_max": max(ratios),
           "snnlib_loop_cpu_s_median": statistics.median(p["snnlib_loop_cpu_s"] for p in pairs),
           "brian2_loop_s_median": statistics.median(p["brian2_loop_s"] for p in pairs),
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
