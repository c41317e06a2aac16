"""The CUBA benchmark in Nengo (the numpy reference simulator), for the peers column of make bench.

    .venv-peers/bin/python benchmarks/peers/nengo_cuba.py --json

Nengo has no SI-unit LIF, so the network is written in its normalised units: v' = (v - V_r) /
(V_t - V_r), threshold 1, reset 0, and the leak target E_l becomes a constant drive (bias)
(E_l - V_r) / (V_t - V_r) = 1.1. Voltages may go below reset (min_voltage = -inf), as in CUBA.
Weights scale by 1 / (V_t - V_r). Nengo's synapses filter spikes of height 1/dt with a
zero-order-hold low-pass, so a weight w becomes the transform w * dt / (1 - exp(-dt/tau)): each
spike then adds exactly w to the current, as Brian2's `ge += we` and snnlib's "peak" synapse do.
Connectivity: the same 2 % Bernoulli pattern (own seed), as `nengo.transforms.Sparse` matrices.

Fields as in brian2_cuba.py: loop_s is the wall time of `sim.run(1.0)` (Nengo has no own loop
timer), build_s everything before it (network, `nengo.Simulator` build).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

T_START = time.perf_counter()
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))      # benchmarks/

import numpy as np  # noqa: E402

import stats  # noqa: E402

N, N_E = 4000, 3200
DURATION, DT = 1.0, 1e-4                        # s
V_T, V_R, E_L = -50e-3, -60e-3, -49e-3          # V
TAU_M, TAU_REF, TAU_E, TAU_I = 20e-3, 5e-3, 5e-3, 10e-3
W_E, W_I = 60 * 0.27 / 10 * 1e-3, -20 * 4.5 / 10 * 1e-3      # V


def _sparse(pre: slice, p: float, weight: float, tau: float, rng) -> tuple:
    """Sparse (N, n_pre) transform: each pair with probability p, value scaled for Nengo's synapse."""
    import nengo

    n_pre = pre.stop - pre.start
    mask = rng.random((N, n_pre)) < p
    post, col = np.nonzero(mask)
    value = weight / (V_T - V_R) * DT / -np.expm1(-DT / tau)
    transform = nengo.transforms.Sparse((N, n_pre), indices=np.stack([post, col], axis=1),
                                        init=np.full(len(post), value))
    return transform, np.bincount(col, minlength=n_pre)


def run(seed: int) -> dict:
    import nengo

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    with nengo.Network(seed=seed) as model:
        lif = nengo.LIF(tau_rc=TAU_M, tau_ref=TAU_REF, min_voltage=-np.inf,
                        initial_state={"voltage": nengo.dists.Uniform(0, 1)})
        ens = nengo.Ensemble(N, 1, neuron_type=lif, gain=np.ones(N),
                             bias=np.full(N, (E_L - V_R) / (V_T - V_R)))
        exc, out_e = _sparse(slice(0, N_E), 0.02, W_E, TAU_E, rng)
        inh, out_i = _sparse(slice(N_E, N), 0.02, W_I, TAU_I, rng)
        nengo.Connection(ens.neurons[:N_E], ens.neurons, transform=exc, synapse=nengo.Lowpass(TAU_E))
        nengo.Connection(ens.neurons[N_E:], ens.neurons, transform=inh, synapse=nengo.Lowpass(TAU_I))
        probe = nengo.Probe(ens.neurons, "output")       # spikes: 1/dt in the step they occur
    sim = nengo.Simulator(model, dt=DT, progress_bar=False)
    t1 = time.perf_counter()
    sim.run(DURATION)
    t2 = time.perf_counter()
    steps, neurons = np.nonzero(sim.data[probe])
    times = (steps + 1) * DT
    out_degree = np.concatenate([out_e, out_i])
    rec = stats.summarise(neurons, times, N, DURATION, out_degree)
    rec.update(simulator=f"nengo {nengo.__version__}", numpy=np.__version__, loop_s=t2 - t1, run_s=t2 - t1,
               build_s=t1 - t0, total_s=time.perf_counter() - T_START, synapses=int(out_degree.sum()))
    rec["events_per_s"] = rec["synaptic_events"] / rec["loop_s"]
    return rec


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="CUBA benchmark in Nengo")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    rec = run(args.seed)
    print(json.dumps(rec) if args.json else "\n".join(f"{k:16s} {v}" for k, v in rec.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
