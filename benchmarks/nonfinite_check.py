"""A/B cost of the per-chunk NaN/inf check (snnlib/sim/finite.py, issue 18): the same runs with the check on
and replaced by a no-op, alternated in one process, so machine load hits both alike.

Two cases: a CUBA-sized network (4000 LIF, 2 % random connectivity, 1 s at dt = 0.1 ms: 5 chunks), where the
check is 5 isfinite passes against 4e7 neuron updates; and the worst case for any per-call cost, a tiny
network run one step at a time (a widget-style loop of 2000 `sim.run(dt)` calls). Prints medians of CPU time
(process_time) per case and the ratio on/off. A measurement, not a test.

    .venv/bin/python benchmarks/nonfinite_check.py [--repeats 7] [--json]
"""
import argparse
import json
import statistics
import time

import numpy as np

import snnlib as snn
from snnlib.sim import finite


def cuba():
    net = snn.Network(seed=1)
    lif = snn.LIF(tau_rc=0.02, tau_ref=0.005, v_th=-0.05, v_reset=-0.06, v_rest=-0.049)
    pop = net.population(4000, lif, v_init=snn.Uniform(-0.06, -0.05))
    net.connect_random(pop, pop, p=0.02, weight=0.0016, synapse=snn.ExpSynapse(0.005))
    net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-4)

    def run():
        sim.reset()
        sim.run(1.0)
    return run


def tiny_steps():
    net = snn.Network(seed=1)
    pop = net.population(10, bias=1.5)
    net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=1e-3)

    def run():
        sim.reset()
        for _ in range(2000):
            sim.run(1e-3)
    return run


def measure(make, repeats):
    run = make()
    run()                                    # warm-up: kernel loaded, arrays sized
    real = finite.check_state
    times = {"on": [], "off": []}
    try:
        for k in range(2 * repeats):
            mode = "on" if k % 2 == 0 else "off"
            finite.check_state = real if mode == "on" else (lambda sim, t0: None)
            t0 = time.process_time()
            run()
            times[mode].append(time.process_time() - t0)
    finally:
        finite.check_state = real
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    return {"on_s": on, "off_s": off, "ratio": on / off, "on_all": times["on"], "off_all": times["off"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    import os

    load = os.getloadavg()[0]
    rows = {"cuba 4000 LIF, 1 s": measure(cuba, args.repeats),
            "10 LIF, 2000 x run(dt)": measure(tiny_steps, args.repeats)}
    if args.json:
        print(json.dumps({"load_before": load, "rows": rows}, indent=1))
        return
    print(f"per-chunk NaN/inf check, A/B alternated, median CPU s of {args.repeats} (load {load:.1f}, noisy)")
    for name, r in rows.items():
        print(f"  {name:<26} on {r['on_s']:.4f}  off {r['off_s']:.4f}  ratio {r['ratio']:.3f}  "
              f"(spread on {np.ptp(r['on_all']):.4f}, off {np.ptp(r['off_all']):.4f})")


if __name__ == "__main__":
    main()
