"""The machine's ceiling for two threads (issue 22, "every core"): two independent processes ("twins"), each
running CUBA x k/2 on one thread (half the network each, nothing shared, never waiting for each other), timed
alone and at once. Their throughput at once over one alone, 2 x (time alone) / (time at once), is what this
machine gives two loops that share nothing; the threaded loop's speed-up on the whole network
(`scaling.threads_ab`) cannot be expected above it. On the course VM it moves between about 1.0 and 2.0 from
one second to the next (benchmarks/README.md, "session 14"), so `make bench` records it beside the speed-up.

    .venv/bin/python benchmarks/twins.py --scale 8 --rounds 5      # the ceiling at CUBA x 8 per twin
    .venv/bin/python benchmarks/twins.py --serve --scale 8         # one twin (what the above starts twice)

A twin reads a simulated duration (s) per line on stdin and answers with the wall time (s) of `run` after a
reset; it prints "ready" once its network is built and its kernel loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# the twins run at the time step of the loop they are the ceiling of (scaling.threads_ab)
from scaling import DT  # noqa: E402


def serve(scale: int, precision: str = "float32", seed: int = 2) -> None:
    """One twin: CUBA x `scale` on one thread, run for each duration read from stdin."""
    import cuba
    import snnlib as snn

    net, _, _ = cuba.build_cuba(seed, scale=scale, probes=False)
    sim = snn.Simulator(net, dt=DT, precision=precision, threads=1)
    sim.run(10 * DT)            # compile or load the kernel, touch the memory
    print("ready", flush=True)
    for line in sys.stdin:
        sim.reset()
        t0 = time.perf_counter()
        sim.run(float(line))
        print(time.perf_counter() - t0, flush=True)


class Twins:
    """Two twin processes of CUBA x `scale` (context manager: they exit with it). `round(duration)` times each
    alone, then both at once, and returns the ceiling 2 x mean(alone) / max(at once)."""

    def __init__(self, scale: int, precision: str = "float32", timeout: float = 300.0):
        self.procs = []
        for i in range(2):
            self.procs.append(subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), "--serve", "--scale", str(scale), "--precision",
                 precision, "--seed", str(2 + i)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        for p in self.procs:
            line = p.stdout.readline().strip()
            if line != "ready":
                self.close()
                raise RuntimeError(f"a twin process did not start (it printed {line!r}, exit code {p.poll()})")

    def _run(self, which, duration):
        for i in which:             # all requests first: the processes start together
            self.procs[i].stdin.write(f"{duration}\n")
            self.procs[i].stdin.flush()
        return [float(self.procs[i].stdout.readline()) for i in which]

    def round(self, duration: float) -> float:
        alone = self._run([0], duration) + self._run([1], duration)
        together = self._run([0, 1], duration)
        return 2 * statistics.mean(alone) / max(together)

    def close(self):
        for p in self.procs:
            try:
                p.stdin.close()
                p.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                p.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="two independent 1-thread CUBA processes, alone and at once")
    parser.add_argument("--scale", type=int, default=8, help="CUBA x scale in each twin")
    parser.add_argument("--precision", choices=["float32", "float64"], default="float32")
    parser.add_argument("--duration", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--serve", action="store_true", help="be one twin (reads durations on stdin)")
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.scale, args.precision, args.seed)
        return 0
    with Twins(args.scale, args.precision) as twins:
        ceilings = [twins.round(args.duration) for _ in range(args.rounds)]
    print(f"two independent 1-thread processes of CUBA x {args.scale} at once vs alone: median x"
          f"{statistics.median(ceilings):.2f}, rounds {', '.join(f'{c:.2f}' for c in ceilings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
