"""CUBA scaled up (issue 22): k x the neurons at connection probability 0.02 / k, so every neuron keeps about
80 inputs and the synapses grow linearly with the neurons. One size per process:

    .venv/bin/python benchmarks/scaling.py --scale 16            # a readable summary
    .venv/bin/python benchmarks/scaling.py --json --scale 64     # one JSON object (`scaling.k64.*` of make bench)

`make bench` runs k = 1, 4, 16 (and 64 with BENCH_ARGS=--large) beside Brian2's figures
(`peers/brian2_scaling.py`) when the peers are installed, on one thread (Brian2 runs serially too; `--threads n`
runs on n), and at each k `--threads-ab` (threads=1 and threads=2 alternated in one process: the speed-up
of the loop on two cores, issue 22's "every core"; `--break-even` does that at k = 1, 2, 4, 8, 16). No spike probe (the spike counts that snnlib
always keeps give the rate), float32 state unless --precision float64.

Fields: neurons, synapses; build_s (network description + Simulator, i.e. drawing and laying out the
synapses, plus one step: the kernel and the wiring loops are already compiled by a warm-up, on a small network
here and on CUBA x k itself in a child process, so this is the cost that grows with size); run_s / run_cpu_s (the loop, `duration` s of
simulated time); rate_hz; peak_rss_mb (the process's peak resident memory, everything included: Python,
numpy, numba, LLVM); base_rss_mb (resident memory before building, after the warm-up); model_peak_mb
(peak - base: what the network cost); estimate_mb (`snnlib.sim.memory.network_estimate`, the figure both
memory guards use) and estimate_vs_measured (estimate / model_peak); bytes_per_synapse (peak / synapses,
the issue's measure, interpreter included) and model_bytes_per_synapse ((peak - base) / synapses).
The peak is Linux's VmHWM, reset after the warm-up by writing 5 to /proc/self/clear_refs.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SCALES = (1, 4, 16)
LARGE = 64
#: the scale of issue 22's judged 2-thread speed-up (64,000 neurons)
JUDGED = 16
DT = 1e-4


def _status_kb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return float(line.split()[1])
    return float("nan")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _step_cuba(scale: int, precision: str, threads=None) -> None:
    """Build CUBA x `scale` (seed 2) and run it 10 steps: every compiled function its build and loop use is then
    in the kernel cache."""
    import cuba
    import snnlib as snn

    net, _, _ = cuba.build_cuba(2, scale=scale, probes=False)
    snn.Simulator(net, dt=DT, precision=precision, threads=1 if threads is None else threads).run(10 * DT)


def _warm_up(precision: str, scale: int = 1, threads=None) -> None:
    """Compile (or load) the kernel and the compiled layout loops on a small network of the same structure, and
    for scale > 1 fill the cache with CUBA x `scale`'s own in a child process. A small network is not quite the
    same structure: its edge codes fit a narrower integer (uint16 up to x 4, int32 from x 16) and it draws its
    connections by other paths, so with an empty cache the measured build compiled those (session 17's first
    `make bench`: x 4 and x 16 built in 0.22 and 0.97 s, with the compiler's memory inside the measured peak:
    estimate / model 0.50 and 0.48; with the cache filled first, 0.07 and 0.22 s, 1.06 and 0.83, as on any later
    run). A child, because a network of that size built and freed in this process leaves its pages to the
    measured one (a measured model of 0.1-0.8 MB)."""
    if scale > 1:
        here = os.path.dirname(os.path.abspath(__file__))
        # its stdout is not ours: `--json` prints the record there (its errors still reach stderr)
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {here!r}); import scaling; "
                        f"scaling._step_cuba({scale}, {precision!r}, {threads!r})"], check=True,
                       stdout=subprocess.DEVNULL)
    from snnlib.sim import memory

    saved = memory.LEGACY_DRAW_PAIRS, memory.NUMPY_SORT_EDGES
    memory.LEGACY_DRAW_PAIRS, memory.NUMPY_SORT_EDGES = 0, 0        # the large networks' code paths
    try:
        _step_cuba(1, precision)
    finally:
        memory.LEGACY_DRAW_PAIRS, memory.NUMPY_SORT_EDGES = saved


def run(scale: int, precision: str = "float32", duration: float = 1.0, seed: int = 1, threads=None) -> dict:
    import cuba
    import snnlib as snn
    from snnlib.sim import memory

    _warm_up(precision, scale, threads)
    gc.collect()
    peak_reset = _reset_peak()
    base_kb = _status_kb("VmRSS")
    t0 = time.perf_counter()
    net, _, _ = cuba.build_cuba(seed, scale=scale, probes=False)
    # one thread unless asked: Brian2 runs serially beside it (openmp_threads = 0); --threads-ab measures threads
    sim = snn.Simulator(net, dt=DT, precision=precision, threads=1 if threads is None else threads)
    sim.run(DT)
    sim.reset()
    t1, c1 = time.perf_counter(), time.process_time()
    sim.run(duration)
    t2, c2 = time.perf_counter(), time.process_time()
    peak_kb = _status_kb("VmHWM")           # since the reset (or since the start if it failed: peak_reset)
    counts = sim.counts
    est = memory.network_estimate(net, precision)["total"]
    synapses = counts["synapses"]
    model_peak = (peak_kb - base_kb) * 1024
    return dict(
        scale=scale, precision=precision, neurons=counts["neurons"], synapses=synapses, duration_s=duration,
        build_s=t1 - t0, run_s=t2 - t1, run_cpu_s=c2 - c1,
        rate_hz=counts["spikes"] / counts["neurons"] / duration,
        peak_rss_mb=peak_kb / 1024, base_rss_mb=base_kb / 1024, model_peak_mb=model_peak / 2**20,
        peak_reset=peak_reset, estimate_mb=est / 2**20, estimate_vs_measured=est / model_peak,
        bytes_per_synapse=peak_kb * 1024 / synapses, model_bytes_per_synapse=model_peak / synapses,
        threads=getattr(sim, "threads", 1), cores=os.cpu_count(), load=os.getloadavg()[0],
    )


def threads_ab(scale: int, threads: int = 2, precision: str = "float32", duration: float = 0.5, rounds: int = 5,
               seed: int = 1, ceiling: bool = False) -> dict:
    """The loop on `threads` threads against one thread (issue 22, "every core"): one network, two Simulators
    (threads=1 and threads=`threads`), runs alternated in one process (the order swapped every round) so
    load drift hits both alike. Fields: loop_s_1 / loop_s_n (median wall time of `sim.run(duration)` after a
    reset), cpu_s_1 / cpu_s_n (their process CPU time, all threads), speedup (median over rounds of the
    round's 1-thread / n-thread wall ratio), speedup_rounds (those ratios, in round order: this VM's two vCPUs
    give two cores' throughput in some seconds and about one core's in others, benchmarks/README.md "session
    14"), speedup_best (fastest 1-thread run / fastest n-thread run),
    identical (every run's spike counts per neuron equal between the two), load (1-min load average before
    and after). With `ceiling` (an even `scale`, 2 threads), each round also times two independent processes
    of half the network on one thread each, alone and at once (`twins.Twins`): ceiling (median) and
    ceiling_rounds, the throughput this machine gives two loops that share nothing, in the same rounds; and
    roundtrip_ns_rounds, each round's core-to-core round trip of a cache line just before its two runs
    (`corelink.roundtrip_ns`; the loop's threads exchange a few lines every step, the twins none), with
    roundtrip_ns their median."""
    import statistics

    import cuba
    import numpy as np
    import snnlib as snn

    if ceiling and (scale % 2 or threads != 2):
        raise ValueError(f"the ceiling needs an even scale and 2 threads, got scale {scale}, {threads} threads")
    load0 = os.getloadavg()[0]
    net, _, _ = cuba.build_cuba(seed, scale=scale, probes=False)
    sims = {1: snn.Simulator(net, dt=DT, precision=precision, threads=1),
            threads: snn.Simulator(net, dt=DT, precision=precision, threads=threads)}
    for sim in sims.values():           # compile or load the kernels, touch the memory
        sim.run(10 * DT)
    wall = {k: [] for k in sims}
    cpu = {k: [] for k in sims}
    identical = True
    ceilings, trips = [], []
    with contextlib.ExitStack() as stack:           # the twin processes exit with it, whatever happens
        if ceiling:
            import corelink
            from twins import Twins

            twins = stack.enter_context(Twins(scale // 2, precision))
        for r in range(rounds):
            counts = {}
            if ceiling:
                trips.append(corelink.roundtrip_ns())
            for k in (sorted(sims) if r % 2 == 0 else sorted(sims, reverse=True)):
                sim = sims[k]
                sim.reset()
                t0, c0 = time.perf_counter(), time.process_time()
                sim.run(duration)
                wall[k].append(time.perf_counter() - t0)
                cpu[k].append(time.process_time() - c0)
                counts[k] = sim._spike_count.copy()
            identical = identical and bool(np.array_equal(counts[1], counts[threads]))
            if ceiling:
                ceilings.append(twins.round(duration))
    med = statistics.median
    ratios = [a / b for a, b in zip(wall[1], wall[threads])]
    extra = dict(ceiling=med(ceilings), ceiling_rounds=ceilings) if ceilings else {}
    if trips and None not in trips:
        extra.update(roundtrip_ns=med(trips), roundtrip_ns_rounds=trips)
    return dict(scale=scale, neurons=sims[1].model.n_neurons, synapses=int(sims[1].model.n_edges),
                precision=precision, duration_s=duration, rounds=rounds, threads=threads,
                threads_used=min(threads, _cores()), loop_s_1=med(wall[1]), loop_s_n=med(wall[threads]),
                cpu_s_1=med(cpu[1]), cpu_s_n=med(cpu[threads]),
                speedup=med(ratios), speedup_rounds=ratios,
                speedup_best=min(wall[1]) / min(wall[threads]), identical=identical,
                load=[load0, os.getloadavg()[0]], cores=_cores(), **extra)


def break_even(scales=(1, 2, 4, 8, 16), threads: int = 2, duration: float = 0.2, rounds: int = 5) -> dict:
    """threads_ab at each scale; break_even_neurons: the smallest size from which every larger measured size
    is faster on `threads` threads (median speedup > 1), None if none is."""
    recs = [threads_ab(k, threads, duration=duration, rounds=rounds) for k in scales]
    size = None
    for rec in reversed(recs):
        if rec["speedup"] <= 1.0:
            break
        size = rec["neurons"]
    return dict(records=recs, break_even_neurons=size)


def _cores() -> int:
    from snnlib.sim import codegen_parallel

    return codegen_parallel.cores()


def table(records: dict, brian: dict | None = None, threads: dict | None = None) -> str:
    """The scaling table: one row per k (records: k -> snnlib record; brian: k -> Brian2 record; threads:
    k -> `threads_ab` record: the loop on 1 and n threads alternated, median wall times and speed-up, and with
    its ceiling the same for two independent processes of half the network, "two processes")."""
    brian, threads = brian or {}, threads or {}
    head = ("| k | neurons | synapses | build s | loop s | peak MB | model MB | estimate / model | B/syn "
            "| Brian2 loop s | Brian2 build+compile s | Brian2 peak MB | Brian2 B/syn | loop / Brian2 "
            "| loop 1 thread s | loop n threads s | n | speed-up | two processes |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for k in sorted(records, key=int):
        r, b, t = records[k], brian.get(k, {}), threads.get(k, {})
        bl = b.get("loop_s")
        lines.append(
            f"| {k} | {r['neurons']:,} | {r['synapses'] / 1e6:.2f} M | {r['build_s']:.2f} | {r['run_s']:.2f} "
            f"| {r['peak_rss_mb']:.0f} | {r['model_peak_mb']:.0f} | {r['estimate_vs_measured']:.2f} "
            f"| {r['bytes_per_synapse']:.1f} | {_f(bl)} | {_f(b.get('build_s'))} | {_f(b.get('peak_rss_mb'), 0)} "
            f"| {_f(b.get('bytes_per_synapse'), 1)} | {_f(r['run_cpu_s'] / bl if bl else None)} "
            f"| {_f(t.get('loop_s_1'))} | {_f(t.get('loop_s_n'))} | {t.get('threads_used', '-')} "
            f"| {_f(t.get('speedup'))} | {_f(t.get('ceiling'))} |")
    return "\n".join(lines)


def _f(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="CUBA scaled by k (issue 22)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--precision", choices=["float32", "float64"], default="float32")
    parser.add_argument("--duration", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--threads-ab", action="store_true",
                        help="alternate threads=1 and threads=--threads (default 2) in one process: loop speed-up")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ceiling", action="store_true",
                        help="with --threads-ab: also time two independent processes of half the network (twins.py) "
                             "and the core-to-core round trip of a cache line (corelink.py) in every round")
    parser.add_argument("--break-even", action="store_true",
                        help="--threads-ab at k = 1, 2, 4, 8, 16 (0.2 s each): the size from which threads pay")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.break_even:
        rec = break_even(threads=args.threads or 2, rounds=args.rounds)
    elif args.threads_ab:
        rec = threads_ab(args.scale, args.threads or 2, args.precision, args.duration, args.rounds,
                         ceiling=args.ceiling)
    else:
        rec = run(args.scale, args.precision, args.duration, threads=args.threads)
    from cuba import print_record

    print_record(rec, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
