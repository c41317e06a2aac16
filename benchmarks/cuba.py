"""The CUBA benchmark network (Vogels & Abbott 2005; Brette et al. 2007, benchmark 2) in snnlib.

    .venv/bin/python benchmarks/cuba.py            # a readable summary
    .venv/bin/python benchmarks/cuba.py --json     # one JSON object (the `cuba.*` fields of make bench)
    .venv/bin/python benchmarks/cuba.py --json --precision float64     # float64 state (`cuba_f64.*`)

The network is built with snnlib's public API the way a learner would write it: 4000 LIF neurons
(3200 excitatory, 800 inhibitory), 2 % random connectivity, current-based exponential synapses,
1 s at dt = 0.1 ms, random initial voltages, seeded. Parameters: `shared/reference/science.md`.

Precision: the benchmark runs `Simulator(net, dt, precision="float32")`, the precision we choose for
large networks (issue 6 allows float32 where the tests say accuracy holds: tests/test_generated_kernel.py
checks float32 CUBA statistics against float64, the analytic LIF rate in float32, and
tests/test_bench_cuba.py the float32 CUBA statistics against Brian2's). `Simulator`'s own default
stays float64 (bit-identical to the reference kernel, what the lessons use); `--precision float64`
measures it, and `make bench` reports both.

Fields (times in s, from time.perf_counter):
- build_s: Network description + Simulator construction (connectivity drawn, flattened) + loading
  the compiled kernel (numba's start-up, by running one step and `sim.reset()`), i.e. all work
  before the loop; with a cold numba cache it also includes compilation.
- run_s: `sim.run(1.0)` after that: the simulation loop as a learner calls it, comparable with
  Brian2's own loop timer (which also excludes code generation and compilation). run_cpu_s is
  the loop's CPU time: on a shared machine the wall time includes waiting for a core.
- spikes, rate_hz, cv_isi, synaptic_events: from the spike probe, by `benchmarks/stats.py`,
  the same code that scores Brian2. events_per_s = synaptic_events / run_s.
- counts_synaptic_events: snnlib's own `sim.counts["synaptic_events"]` (must equal synaptic_events).
- counts_s: the cost of the always-on operation counts (`sim.counts`, used by snnlib.energy): the kernel only
  adds one to a per-neuron spike counter per spike (inside run_s); the counts are derived from those after
  the run (spikes x out-degree per connection), which is what this times.
- total_s: the whole process from interpreter start (including imports) to the result.
- peak_rss_mb: the process's peak resident memory (ru_maxrss), spikes probed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

N_E, N_I = 3200, 800
DURATION = 1.0          # s
DT = 1e-4               # s
PRECISION = "float32"   # of the benchmark run (see the module docstring); Simulator's default is float64


def build_cuba(seed: int = 1, stdp: bool = False, scale: int = 1, probes: bool = True):
    """Return (network, spike probe of E, spike probe of I) for the CUBA benchmark.

    stdp=True puts pair STDP on every excitatory synapse (E->E and E->I; amplitudes 1 % of w_e, bounds
    [0, 2 w_e]): issue 10's "CUBA with STDP" benchmark, which must run within 2x of plain CUBA.
    scale=k: k times the neurons at connection probability 0.02 / k (every neuron keeps about 80 inputs;
    `benchmarks/scaling.py`); probes=False: no spike probes (None, None; counts are always kept)."""
    import snnlib as snn
    from snnlib.units import mV, ms

    lif = snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV, v_rest=-49 * mV)
    net = snn.Network(seed=seed)
    v_init = snn.Uniform(-60 * mV, -50 * mV)           # Brian2's Vr + rand() * (Vt - Vr)
    exc = net.population(N_E * scale, lif, v_init=v_init, label="exc")
    inh = net.population(N_I * scale, lif, v_init=v_init, label="inh")
    ge, gi = snn.ExpSynapse(5 * ms), snn.ExpSynapse(10 * ms)     # "peak": a spike adds w to I
    w_e, w_i = 60 * 0.27 / 10 * mV, -20 * 4.5 / 10 * mV         # 1.62 mV, -9 mV
    rule = snn.STDP(a_plus=0.01 * w_e, a_minus=0.0105 * w_e, w_min=0.0, w_max=2 * w_e) if stdp else None
    for post in (exc, inh):
        net.connect_random(exc, post, p=0.02 / scale, weight=w_e, synapse=ge, plasticity=rule)
        net.connect_random(inh, post, p=0.02 / scale, weight=w_i, synapse=gi)
    if not probes:
        return net, None, None
    return net, net.probe(exc, "spikes"), net.probe(inh, "spikes")


def run(seed: int = 1, precision: str = PRECISION, stdp: bool = False) -> dict:
    """Build and run CUBA once; return the benchmark record (see the module docstring)."""
    import numpy as np

    import snnlib as snn
    import stats

    t0 = time.perf_counter()
    net, pe, pi = build_cuba(seed, stdp)
    sim = snn.Simulator(net, dt=DT, precision=precision)
    sim.run(DT)             # one step loads the compiled kernel (numba start-up), as Brian2 compiles first
    sim.reset()             # back to t = 0 with the same initial state and seed
    t1, c1 = time.perf_counter(), time.process_time()
    sim.run(DURATION)
    t2, c2 = time.perf_counter(), time.process_time()

    se, si = sim.data[pe], sim.data[pi]
    neurons = np.concatenate([se.neurons, N_E + si.neurons])
    times = np.concatenate([se.times, si.times])
    out_degree = np.zeros(N_E + N_I, dtype=np.int64)
    for conn in net.connections:
        off = 0 if conn.pre is net.populations[0] else N_E
        out_degree[off:off + conn.pre.n] += np.diff(conn.weights.tocsc().indptr)
    rec = stats.summarise(neurons, times, N_E + N_I, DURATION, out_degree)
    t3 = time.perf_counter()
    counts = sim.counts
    counts_s = time.perf_counter() - t3
    rec.update(
        simulator=f"snnlib {snn.__version__} ({precision}{', STDP' if stdp else ''})",
        plasticity_updates=counts["plasticity_updates"],
        run_s=t2 - t1,
        run_cpu_s=c2 - c1,
        build_s=t1 - t0,
        events_per_s=rec["synaptic_events"] / (t2 - t1),
        counts_synaptic_events=counts["synaptic_events"],
        counts_s=counts_s,
        synapses=counts["synapses"],
        total_s=_process_age_s(),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        jit=os.environ.get("NUMBA_DISABLE_JIT", "0") != "1",
    )
    return rec


def _process_age_s() -> float:
    """Seconds since this process started (Linux /proc, 10 ms resolution); NaN-free: -1.0 if unknown."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = float(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return -1.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="CUBA benchmark (Brette et al. 2007, benchmark 2) in snnlib")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--precision", choices=["float64", "float32"], default=PRECISION,
                        help="float type of the simulator state (Simulator(precision=...)); default %(default)s")
    parser.add_argument("--stdp", action="store_true", help="pair STDP on the excitatory synapses")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    print_record(run(args.seed, args.precision, args.stdp), args.json)
    return 0


def print_record(rec: dict, as_json: bool) -> None:
    """Print a benchmark record as one JSON object (for the suite) or as aligned "name value" lines."""
    if as_json:
        print(json.dumps(rec))
        return
    for k, v in rec.items():
        print(f"{k:24s} {v:.6g}" if isinstance(v, float) else f"{k:24s} {v}")


if __name__ == "__main__":
    sys.exit(main())
