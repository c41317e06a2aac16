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
