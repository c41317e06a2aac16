"""CUBA scaled by k in Brian2's C++ standalone mode (issue 22's comparison; runs in `.venv-peers`):

    .venv-peers/bin/python benchmarks/peers/brian2_scaling.py --json --scale 16

The network of `brian2_cuba.py` with k x the neurons at connection probability 0.02 / k and no spike monitor
(as `benchmarks/scaling.py` runs snnlib). The standalone binary is started here (not by Brian2) so that its
own peak memory is read from the kernel (`os.wait4`'s ru_maxrss): it connects, runs and writes its results,
all in that process. Fields: loop_s (Brian2's own loop timer, CPU time: std::clock in network.cpp),
binary_s (the binary's wall time: connect + run + write), build_s (code generation + compilation, cached
by make after the first run of a size), peak_rss_mb (the binary's peak), bytes_per_synapse (peak / synapses;
the synapse count is the expected 0.02/k x N^2: Brian2 writes no connectivity here).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

N, N_E = 4000, 3200
DURATION = 1.0


def run(scale: int, seed: int, directory: str) -> dict:
    import brian2 as b2
    from brian2 import ms, mV, second

    t0 = time.perf_counter()
    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0
    b2.seed(seed)
    b2.defaultclock.dt = 0.1 * ms
    n, n_e, p = N * scale, N_E * scale, 0.02 / scale
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    P = b2.NeuronGroup(n, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="exact",
                       namespace=dict(taum=taum, taue=taue, taui=taui, Vt=Vt, Vr=Vr, El=El))
    P.v = "Vr + rand() * (Vt - Vr)"
    Ce = b2.Synapses(P, P, on_pre="ge += we", namespace=dict(we=(60 * 0.27 / 10) * mV))
    Ci = b2.Synapses(P, P, on_pre="gi += wi", namespace=dict(wi=(-20 * 4.5 / 10) * mV))
    Ce.connect("i<N_E", p=p, namespace=dict(N_E=n_e))
    Ci.connect("i>=N_E", p=p, namespace=dict(N_E=n_e))
    net = b2.Network(P, Ce, Ci)
    net.run(DURATION * second)
    b2.device.build(directory=directory, compile=True, run=False, clean=False)
    t1 = time.perf_counter()
    proc = subprocess.Popen(["./main"], cwd=directory, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    t2 = time.perf_counter()
    if status != 0:
        raise RuntimeError(f"the standalone binary failed (status {status})")
    with open(os.path.join(directory, "results", "last_run_info.txt")) as f:
        loop_s = float(f.read().split()[0])
    synapses = 0.02 / scale * n * n
    return dict(simulator=f"brian2 {b2.__version__} (cpp_standalone)", scale=scale, neurons=n,
                synapses_expected=synapses, build_s=t1 - t0, binary_s=t2 - t1, loop_s=loop_s,
                peak_rss_mb=usage.ru_maxrss / 1024, bytes_per_synapse=usage.ru_maxrss * 1024 / synapses)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="CUBA scaled by k in Brian2 cpp_standalone")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    directory = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "snnlib-bench",
                             f"brian2_scaling_k{args.scale}")
    rec = run(args.scale, args.seed, directory)
    print(json.dumps(rec) if args.json else "\n".join(f"{k:20s} {v}" for k, v in rec.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
