"""The CUBA benchmark (Vogels & Abbott 2005; Brette et al. 2007, benchmark 2) in Brian2.

Runs in the peers environment (`.venv-peers`, Brian2 2.9 with numpy < 2.4), never in `.venv`:

    .venv-peers/bin/python benchmarks/peers/brian2_cuba.py --target runtime --json
    .venv-peers/bin/python benchmarks/peers/brian2_cuba.py --target cpp_standalone --json

This is Brian2's own CUBA example with the parameters of `shared/reference/science.md`. Prints one
JSON object: `loop_s` is Brian2's own timer around the simulation loop (`device._last_run_time`,
set by `Network.run` for the runtime target and read from the standalone binary's
`last_run_info.txt`). Note what it measures: wall time (time.time) in the runtime target, but
CPU time of the process (std::clock in the generated network.cpp) in cpp_standalone, so on a busy
machine the standalone figure does not include time spent waiting for a core. `build_s` is
everything before the loop (network construction, code
generation, compilation), `total_s` the script's wall time after imports, and the spike statistics
come from `benchmarks/stats.py`, the same code that scores snnlib.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

T_START = time.perf_counter()

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))      # benchmarks/ for stats.py

import numpy as np  # noqa: E402

import stats  # noqa: E402

N, N_E = 4000, 3200
DURATION = 1.0      # s
DEFAULT_STANDALONE_DIR = os.path.join(
    os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "snnlib-bench",
    "brian2_cuba_standalone")


def run(target: str, seed: int, standalone_dir: str) -> dict:
    """Build and run CUBA on `target` ("runtime" = cython, or "cpp_standalone"); return the record."""
    import brian2 as b2
    from brian2 import ms, mV, second

    t0 = time.perf_counter()
    if target == "cpp_standalone":
        # build_on_run=False: we call device.build ourselves so that building and running are
        # timed apart; a fixed directory lets make reuse the compiled objects of the last run.
        b2.set_device("cpp_standalone", directory=standalone_dir, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0      # serial, like snnlib
    elif target == "runtime":
        b2.prefs.codegen.target = "cython"
    else:
        raise ValueError(f"target must be 'runtime' or 'cpp_standalone', got {target!r}")
    b2.seed(seed)
    b2.defaultclock.dt = 0.1 * ms

    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    P = b2.NeuronGroup(N, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                       method="exact", namespace=dict(taum=taum, taue=taue, taui=taui,
                                                      Vt=Vt, Vr=Vr, El=El))
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV      # excitatory weight, 1.62 mV
    wi = (-20 * 4.5 / 10) * mV      # inhibitory weight, -9 mV
    Ce = b2.Synapses(P, P, on_pre="ge += we", namespace=dict(we=we))
    Ci = b2.Synapses(P, P, on_pre="gi += wi", namespace=dict(wi=wi))
    Ce.connect("i<N_E", p=0.02, namespace=dict(N_E=N_E))
    Ci.connect("i>=N_E", p=0.02, namespace=dict(N_E=N_E))
    mon = b2.SpikeMonitor(P)
    net = b2.Network(P, Ce, Ci, mon)

    if target == "cpp_standalone":
        net.run(DURATION * second)
        t_b = time.perf_counter()
        b2.device.build(directory=standalone_dir, compile=True, run=False, clean=False)
        t_c = time.perf_counter()
        b2.device.run(directory=standalone_dir, with_output=False, run_args=[])
        t_r = time.perf_counter()
        compile_s, process_run_s = t_c - t_b, t_r - t_c
    else:
        # A 0 s run compiles every code object (before_run), so the timed run is the loop alone.
        net.run(0 * second)
        t_c = time.perf_counter()
        net.run(DURATION * second)
        t_r = time.perf_counter()
        compile_s, process_run_s = None, t_r - t_c
    loop_s = float(b2.device._last_run_time)

    i = np.asarray(mon.i[:])
    t = np.asarray(mon.t[:] / second)
    out_degree = np.bincount(np.asarray(Ce.i[:]), minlength=N) + np.bincount(
        np.asarray(Ci.i[:]), minlength=N)
    record = stats.summarise(i, t, N, DURATION, out_degree)
    t_end = time.perf_counter()
    record.update(
        simulator=f"brian2 {b2.__version__} ({target})",
        numpy=np.__version__,
        loop_s=loop_s,
        run_s=process_run_s,
        build_s=t_c - t0,
        compile_s=compile_s,
        total_s=t_end - T_START,
        synapses=int(out_degree.sum()),
    )
    record["events_per_s"] = record["synaptic_events"] / loop_s
    return record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=["runtime", "cpp_standalone"], default="runtime")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--standalone-dir", default=DEFAULT_STANDALONE_DIR)
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    rec = run(args.target, args.seed, args.standalone_dir)
    if args.json:
        print(json.dumps(rec))
    else:
        for k, v in rec.items():
            print(f"{k:16s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
