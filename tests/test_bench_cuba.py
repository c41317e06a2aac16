"""The CUBA benchmark network in snnlib reproduces Brian2's statistics (no timing is asserted here).

Brian2 2.9's CUBA example (runtime and cpp_standalone, seed-independent within a few %): mean rate
about 5.6-5.7 Hz, mean ISI CV about 0.52-0.53 (benchmarks/README.md). The issue asks for agreement
within 10 %.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import cuba  # noqa: E402

BRIAN2_RATE_HZ, BRIAN2_CV = 5.62, 0.515          # benchmarks/peers/brian2_cuba.py, Brian2 2.9.0, seed 1


@pytest.mark.parametrize("precision", ["float32", "float64"])      # the benchmark's and Simulator's default
@pytest.mark.parametrize("seed", [1, 2])
def test_cuba_statistics_agree_with_brian2_and_counts_are_consistent(seed, precision):
    rec = cuba.run(seed, precision)
    assert rec["simulator"].endswith(f"({precision})")
    assert rec["rate_hz"] == pytest.approx(BRIAN2_RATE_HZ, rel=0.10)
    assert rec["cv_isi"] == pytest.approx(BRIAN2_CV, rel=0.10)
    # snnlib's own operation count equals the fan-out sum computed from the probed spikes
    assert rec["counts_synaptic_events"] == rec["synaptic_events"]
    # 2 % of 4000 x 4000 pairs
    assert rec["synapses"] == pytest.approx(0.02 * 4000 ** 2, rel=0.01)
    for key in ("run_s", "build_s", "spikes", "rate_hz", "cv_isi", "synaptic_events", "events_per_s"):
        assert key in rec


@pytest.mark.parametrize("stdp", [False, True])
@pytest.mark.parametrize("scale", [1, 2])
def test_ab_builds_the_cuba_network_of_cuba_py(scale, stdp):
    """benchmarks/ab.py writes CUBA out again (it must build it with any snnlib version, old APIs included):
    its network, at every --scale, is cuba.py's, synapse for synapse."""
    import numpy as np

    import ab
    import snnlib as snn

    mine = ab.build(snn, stdp, "float32", run=False, scale=scale).model
    ref = snn.Simulator(cuba.build_cuba(1, stdp=stdp, scale=scale)[0], dt=cuba.DT, precision="float32").model
    assert mine.n_neurons == ref.n_neurons == 4000 * scale and mine.n_edges == ref.n_edges > 0
    assert np.array_equal(mine.pre_ptr, ref.pre_ptr) and np.array_equal(mine.edge_slot, ref.edge_slot)
    assert np.array_equal(mine.edge_weff, ref.edge_weff) and mine.plastic == ref.plastic == stdp
    assert (mine.edge_wtab is None) == stdp and np.array_equal(np.asarray(mine.v0), np.asarray(ref.v0))
