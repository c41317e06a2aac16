"""benchmarks/twins.py: two independent 1-thread processes of half the network, timed alone and at once (the
machine's ceiling for two threads, beside scaling.threads_ab's speed-up). Speed itself is measured in make bench."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import scaling  # noqa: E402
import twins  # noqa: E402


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
