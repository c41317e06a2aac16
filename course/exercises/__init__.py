"""Exercise modules, one per lesson: ``course.exercises.lessonNN`` (see :mod:`course.exercise_set`).

A notebook imports one as ``from course.exercises import lesson00 as ex``.
"""
