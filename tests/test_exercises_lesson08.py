"""Lesson 08's exercises (the capstone project): the exact checks agree with snnlib's own measurements, and the
rubric's bounds are met by the reference project at several seeds but not by a project that did not learn.
(tests/test_exercises_all.py runs the course-wide checks: references pass, mistakes diagnosed, hints.)"""
from __future__ import annotations

import numpy as np
import pytest

from course.exercise import NOT_YET, PASSED
from course.exercises import lesson08
from snnlib.energy import estimate
from snnlib.experiments import capstone


def test_recovery_reference_is_snnlibs_measure_on_every_case():
    e = lesson08.EXERCISES.get("recovery")
    for case, expected in zip(e.cases, e.expected()):
        assert capstone.samples_to_recover(*case) == float(expected), case[1:]


def test_inference_energy_reference_is_the_accounting_module_on_loihi():
    e = lesson08.EXERCISES.get("inference_energy")
    for (spikes, n, steps), expected in zip(e.cases, e.expected()):
        counts = capstone.pes_energy_counts(spikes, n, sample_time=steps * 1e-3, dt=1e-3)
        assert float(expected) == pytest.approx(estimate(counts, ["loihi"])["loihi"].total, rel=1e-12)


def test_saddle_is_snnlibs_task():
    e = lesson08.EXERCISES.get("saddle")
    for (X,), expected in zip(e.cases, e.expected()):
        np.testing.assert_allclose(capstone.task_function("saddle")(X), expected)


@pytest.fixture(scope="module")
def projects():
    """The reference project at seeds 0-2 (seed 0 is what the reference solution reports)."""
    return [lesson08.reference_project(seed) for seed in range(3)]


def test_rubric_bounds_are_met_by_the_reference_project_at_every_seed(projects):
    for seed, project in enumerate(projects):
        values = {"pes_error": project.pes.test_error, "ablated_error": project.pes.ablated_error,
                  "recover_samples": project.pes.recover}
        for exercise_id, value in values.items():
            assert value is not None, (seed, exercise_id)
            r = lesson08.EXERCISES.get(exercise_id).evaluate(value)
            assert r.status == PASSED and r.message.endswith(": passed"), (seed, r)


def test_a_project_that_does_not_learn_fails_the_rubric_with_the_no_learning_diagnosis():
    frozen = capstone.simulate_pes(lambda X: X[:, 0] ** 2 - X[:, 1] ** 2, learning_rate=0.0, n_neurons=100,
                                   n_train=200, seed=0)
    for exercise_id in ("pes_error", "ablated_error"):
        e = lesson08.EXERCISES.get(exercise_id)
        r = e.evaluate(frozen.test_error if exercise_id == "pes_error" else frozen.ablated_error)
        assert r.status == NOT_YET and e.mistakes[0].diagnosis in r.message, r
    assert frozen.recover is None      # never reaches the level: recover_samples cannot be met either
