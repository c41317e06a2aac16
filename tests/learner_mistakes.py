"""Each listed mistake of a lesson's checks written as a learner would write it, not as the lesson's own mistake
function (which is built on the check's reference, and which the listed-mistake test of tests/test_exercises_all.py
submits to itself, so a drifted reference or mistake function would still pass there): the check must still find
that mistake's diagnosis. Shared by tests/test_exercises_lessonNN.py."""
from __future__ import annotations

import pytest

from course.exercise import NOT_YET


def diagnosis_test(exercises, learner_mistakes: dict):
    """A test, parametrized over ``learner_mistakes`` ({(exercise id, mistake name): the learner's function}): each
    function, checked by ``exercises`` (an ExerciseSet), gets "not yet" and exactly that mistake's diagnosis."""
    @pytest.mark.parametrize("exercise, mistake", list(learner_mistakes), ids=["-".join(k) for k in learner_mistakes])
    def test_a_mistake_written_by_a_learner_gets_its_diagnosis(exercise, mistake):
        e = exercises.get(exercise)
        diagnosis = next(m.diagnosis for m in e.mistakes if m.name == mistake)
        r = e.evaluate(learner_mistakes[exercise, mistake])
        assert (r.status, r.message) == (NOT_YET, diagnosis)

    return test_a_mistake_written_by_a_learner_gets_its_diagnosis
