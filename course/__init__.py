"""course: the teaching machinery of Deep Learning Isn't the Brain.

Modules (one job each):

- ``syllabus``: the ordered lessons 00..08, their notebook paths and exercise modules.
- ``exercise``: an exercise (stub, reference, diagnosed mistakes, hints) and its never-crashing check.
- ``safe_call``: runs a learner's function in a worker thread with a time limit; readable errors.
- ``exercise_set``: a lesson's exercises and the learner API (``check_<id>``, ``hint``, ``solution``).
- ``exercises.lessonNN`` / ``exercises.lessonNN_solutions``: the exercises of each lesson and their
  reference solutions (inside the package, shown only on request).
- ``notebook``: generates the exercise notebooks from those modules (the one source of truth).
- ``runner`` and ``cli``: the ``course`` command (``list``, ``check``, ``reset``).
- ``progress``: the learner's verdicts in ``$COURSE_HOME/progress.json`` (default ``~/.course``).
- ``widgets`` and ``readout``: ``panel(callback, **controls)`` for the interactive demos, with the
  ``Settings:`` line formatted exactly as the browser's slider readouts; ``panel_check`` calls every
  panel's callback at its defaults and extremes (lesson tests, latency benchmark).
"""
