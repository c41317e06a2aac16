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
from tests.learner_mistakes import diagnosis_test


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


# -- each listed mistake as a learner would write it ------------------------------------------------------------
# (not the lesson's own mistake functions, which are built on the check's references: the listed-mistake test of
# tests/test_exercises_all.py submits each of them to itself; written from the prompts and the diagnoses)
def _windows(errors, switch_at, window, first, stat):
    """(end, statistic) of every window of `window` samples that starts at or after `first` and ends in `errors`."""
    e = np.asarray(errors)
    return [(end, stat(e[end - window:end])) for end in range(first + window, e.size + 1)]


def _learner_recovery(errors, switch_at, level=0.15, window=100, first=None, stat=None, answer=None):
    stat = stat or (lambda w: np.sqrt(np.mean(w * w)))
    first = switch_at if first is None else first
    for end, value in _windows(errors, switch_at, window, first, stat):
        if value <= level:
            return (answer or (lambda end: end - switch_at))(end)
    return None


def _joules(spikes, n_neurons, steps, input_ops=2, synop=27.1e-12, neuron=81e-12):
    """Loihi (Davies et al. 2018): 27.1 pJ per synaptic op, 81 pJ per neuron update."""
    return (input_ops * n_neurons + spikes) * synop + n_neurons * steps * neuron


LEARNER_MISTAKES = {
    ("saddle", "sum"): lambda X: X[:, 0] ** 2 + X[:, 1] ** 2,
    ("saddle", "product"): lambda X: X[:, 0] * X[:, 1],
    ("saddle", "swapped"): lambda X: X[:, 1] ** 2 - X[:, 0] ** 2,
    ("recovery", "straddle"): lambda errors, switch_at, level=0.15, window=100:
        _learner_recovery(errors, switch_at, level, window, first=max(switch_at - window + 1, 0)),
    ("recovery", "window_start"): lambda errors, switch_at, level=0.15, window=100:
        _learner_recovery(errors, switch_at, level, window, answer=lambda end: end - window - switch_at),
    ("recovery", "mean_abs"): lambda errors, switch_at, level=0.15, window=100:
        _learner_recovery(errors, switch_at, level, window, stat=lambda w: np.mean(np.abs(w))),
    ("recovery", "from_start"): lambda errors, switch_at, level=0.15, window=100:
        _learner_recovery(errors, switch_at, level, window, answer=lambda end: end),
    ("inference_energy", "no_updates"): lambda s, n, steps: _joules(s, n, steps, neuron=0.0),
    ("inference_energy", "no_input"): lambda s, n, steps: _joules(s, n, steps, input_ops=0),
    ("inference_energy", "input_every_step"): lambda s, n, steps: _joules(s, n, steps, input_ops=2 * steps),
    ("inference_energy", "neuron_price"): lambda s, n, steps: _joules(s, n, steps, synop=81e-12),
}


test_a_mistake_written_by_a_learner_gets_its_diagnosis = diagnosis_test(lesson08.EXERCISES, LEARNER_MISTAKES)


def test_the_learners_own_formulas_pass():
    """The same formulas without the mistakes pass, so the learner's versions above differ only by the mistake."""
    assert lesson08.EXERCISES.get("saddle").evaluate(lambda X: X[:, 0] ** 2 - X[:, 1] ** 2).status == PASSED
    assert lesson08.EXERCISES.get("recovery").evaluate(_learner_recovery).status == PASSED
    assert lesson08.EXERCISES.get("inference_energy").evaluate(_joules).status == PASSED


def test_an_output_stuck_at_zero_scores_the_saddles_rms_over_the_square():
    """The no-learning mistake's value (built at import): the RMS of x1^2 - x2^2 over [-1, 1]^2, by the midpoint
    rule on a 2000 x 2000 grid (error O(h^2), about 1e-7 here)."""
    x = (np.arange(2000) + 0.5) / 1000 - 1.0
    x1, x2 = np.meshgrid(x, x)
    assert lesson08._untrained_rms() == pytest.approx(np.sqrt(np.mean((x1 ** 2 - x2 ** 2) ** 2)), rel=1e-6)


def test_the_learning_curves_of_the_recovery_cases_jump_at_the_switch_and_decay():
    """The recovery cases are built when the module is imported (before a mutant could be active), so the builder
    is called here: seeded, non-negative, settled at `floor` before the switch, then a jump well above the check's
    levels (0.1-0.2) that decays by 1/e every `tau` samples. With a tiny floor the noise (a fraction of the floor)
    vanishes and the curve's shape shows; with a floor of 0.1 the settled errors average about the floor."""
    curve = lesson08._learning_curve(3000, 1000, 200.0, 0.1, 4)
    np.testing.assert_array_equal(curve, lesson08._learning_curve(3000, 1000, 200.0, 0.1, 4))
    assert curve.shape == (3000,) and curve.min() >= 0 and not np.array_equal(
        curve, lesson08._learning_curve(3000, 1000, 200.0, 0.1, 5))
    # |N(0.1, 0.05)|: mean 0.1 + 0.1 * 2 Phi(-2) + ... = 0.1009, sd 0.0483 (folded normal); 1000 samples: +-5 %
    assert 0.095 < curve[:1000].mean() < 0.107 and 0.044 < curve[:1000].std() < 0.053
    clean = lesson08._learning_curve(3000, 1000, 200.0, 1e-9, 4)
    assert clean[:1000].max() < 1e-8
    np.testing.assert_allclose(clean[1000:], 0.6 * np.exp(-np.arange(2000) / 200.0), rtol=0, atol=1e-8)
    # the jump adds to the floor: after the switch the errors less the decaying jump average the floor again
    # (0.1 + 0.6 exp(...) + noise is almost never below 0: no folding; 200 samples, sd 0.05: +-0.0035)
    assert abs(np.mean(curve[1000:1200] - 0.6 * np.exp(-np.arange(200) / 200.0)) - 0.1) < 0.012


def test_recovery_reference_sees_the_last_window_and_the_first():
    """Edges the check's curves (which recover well inside the run) never reach: a window that ends on the last
    sample counts, and a learner back at the level at once needs exactly one window; like snnlib's measure."""
    e = lesson08.EXERCISES.get("recovery")
    for errors, switch_at, window in [(np.r_[np.zeros(50), np.ones(60), np.zeros(98)], 50, 100),
                                      (np.r_[np.ones(30), np.zeros(40)], 30, 40), (np.ones(90), 10, 80),
                                      (np.r_[np.zeros(10), [2.0], np.zeros(99)], 10, 100)]:   # only a part-window is low
        expected = capstone.samples_to_recover(errors, switch_at, 0.15, window)
        got = e.reference(errors, switch_at, 0.15, window)
        assert (got == expected) if expected is not None else np.isnan(got), (switch_at, window)


def test_recovery_reference_counts_a_window_exactly_at_the_level():
    """"At or below level": errors of exactly 0.25 after the switch, level 0.25, a window of 64 (every sum, mean and
    root exact in binary) recover after one window, as the prompt's rule and snnlib's measure say."""
    errors = np.r_[np.ones(20), np.full(100, 0.25)]
    assert lesson08.EXERCISES.get("recovery").reference(errors, 20, 0.25, 64) == 64
    assert capstone.samples_to_recover(errors, 20, 0.25, 64) == 64
