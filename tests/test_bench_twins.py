"""benchmarks/twins.py: two independent 1-thread processes of half the network, timed alone and at once (the
machine's ceiling for two threads, beside scaling.threads_ab's speed-up). Speed itself is measured in make bench."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import scaling  # noqa: E402
import twins  # noqa: E402

#: the CPUs this process may run on when the tests start: a measurement that pins the calling thread
#: (corelink.roundtrip_ns, also inside scaling.threads_ab with the ceiling) must give them back
START_CPUS = os.sched_getaffinity(0)


def test_ceiling_is_twice_the_time_alone_over_the_slower_twin_at_once():
    t = twins.Twins.__new__(twins.Twins)          # no processes: the arithmetic alone
    answers = iter([[0.10], [0.12], [0.09, 0.15]])
    t._run = lambda which, duration: next(answers)
    assert t.round(0.5) == pytest.approx(2 * 0.11 / 0.15)


def test_twins_run_real_processes_that_answer_and_exit():
    with twins.Twins(1) as t:
        procs = list(t.procs)
        alone = t._run([0], 0.002) + t._run([1], 0.002)
        assert all(0 < x < 30 for x in alone)
        assert 0 < t.round(0.002) < 10
    assert all(p.poll() == 0 for p in procs)        # stdin closed: each twin returned


def test_the_ceiling_needs_an_even_scale_and_two_threads_and_says_so_before_building():
    with pytest.raises(ValueError, match="even scale and 2 threads"):
        scaling.threads_ab(3, ceiling=True)
    with pytest.raises(ValueError, match="even scale and 2 threads"):
        scaling.threads_ab(2, threads=3, ceiling=True)


def test_the_twin_processes_exit_when_a_round_fails(monkeypatch):
    """scaling.threads_ab runs the twins in a context: an error mid-measurement still ends both processes."""
    made = []
    enter = twins.Twins.__enter__

    def remember(self):
        made.append(self)
        return enter(self)

    def broken(self, duration):
        raise RuntimeError("a round failed")

    monkeypatch.setattr(twins.Twins, "__enter__", remember)
    monkeypatch.setattr(twins.Twins, "round", broken)
    with pytest.raises(RuntimeError, match="a round failed"):
        scaling.threads_ab(2, duration=0.002, rounds=1, ceiling=True)
    assert len(made) == 1 and all(p.poll() == 0 for p in made[0].procs)


def test_threads_ab_with_the_ceiling_records_each_rounds_core_to_core_round_trip(monkeypatch):
    """Every round of scaling.threads_ab(ceiling=True) measures the cache line's round trip between the two cores
    before its runs (the loop's slow rounds on the course VM are those where it is long); the record keeps them
    in round order and their median."""
    import corelink

    trips = iter([480.0, 100.0, 120.0])
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        return next(trips)

    monkeypatch.setattr(corelink, "roundtrip_ns", fake)
    rec = scaling.threads_ab(2, duration=0.002, rounds=3, ceiling=True)
    assert len(calls) == 3
    assert rec["roundtrip_ns_rounds"] == [480.0, 100.0, 120.0] and rec["roundtrip_ns"] == 120.0
    assert len(rec["speedup_rounds"]) == len(rec["ceiling_rounds"]) == 3 and rec["identical"]


def test_the_core_to_core_round_trip_is_measured_between_two_cpus_and_the_affinity_comes_back():
    import corelink

    before = os.sched_getaffinity(0)
    assert before == START_CPUS, "an earlier round trip (threads_ab's) left the process pinned"
    value = corelink.roundtrip_ns(2000)
    assert os.sched_getaffinity(0) == before
    if len(before) >= 2:
        # a cache line between two cores: tens of ns on a desktop, about 100-550 ns on the course VM; never
        # below a core's own L1 hit nor as slow as a context switch
        assert 5 < value < 100_000
    else:
        assert value is None            # one CPU: nothing to measure
    with pytest.raises(ValueError, match="exchanges must be at least 1, got 0"):
        corelink.roundtrip_ns(0)
    with pytest.raises(ValueError, match="cpus must be two different CPUs"):
        corelink.roundtrip_ns(10, cpus=(0, 0))


def test_without_the_jit_there_is_no_round_trip_to_measure(monkeypatch):
    """Two interpreted threads spinning for each other would take turns with the GIL: None, not a hang."""
    import corelink

    from snnlib.sim import jit

    monkeypatch.setattr(jit, "JIT_ENABLED", False)
    assert corelink.roundtrip_ns(10) is None
