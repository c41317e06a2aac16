"""Lesson notebooks as a learner left them, for the tests of `course check` (in process: test_course_runner_inprocess.py;
on a kernel: test_course_check_headless.py)."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from course import notebook
from course.syllabus import Lesson


def learner_notebook(lesson: Lesson, path: Path, answers: dict[str, str] | None = None, setup: str | None = None,
                     drop: tuple = (), insert: dict[int, str] | None = None) -> Path:
    """``lesson``'s exercise notebook written to ``path``: answers replaced (exercise id -> source), the setup
    cell replaced, the cells of the exercises in ``drop`` deleted, and code cells of the learner's own inserted
    (position -> source)."""
    nb = notebook.build(lesson)
    for cell in nb.cells:
        meta = cell.metadata["course"]
        if meta["role"] == "answer" and meta["exercise"] in (answers or {}):
            cell.source = answers[meta["exercise"]]
        if meta["role"] == "setup" and setup is not None:
            cell.source = setup
    nb.cells = [c for c in nb.cells if c.metadata["course"].get("exercise") not in drop]
    for at, source in sorted((insert or {}).items(), reverse=True):
        nb.cells.insert(at, new_code_cell(source))
    nbformat.write(nb, str(path))
    return path
