"""Run the checks of a learner's exercise notebook headlessly and collect one verdict per exercise.

The learner's notebook is copied and executed on a fresh kernel (nbclient, errors allowed, each
cell interrupted after ``cell_timeout`` seconds); the learner's file is never modified.  The
kernel gets ``COURSE_RESULTS`` pointing to a temporary file in which every check appends its
verdict (see :mod:`course.progress`).  An exercise whose check never reported (its cell raised,
was deleted, or an earlier cell broke the notebook) counts as "error", with the reason.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.exercise import ERROR
from course.notebook import execute
from course.progress import RESULTS_ENV
from course.syllabus import Lesson

__all__ = ["Row", "run_checks"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Row:
    """One exercise's verdict in a headless run: ``status`` in passed / not yet / error."""

    exercise: str
    status: str
    message: str


def _cell_error(cell, cell_timeout: float) -> str | None:
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            if out.ename == "KeyboardInterrupt":  # nbclient interrupts a cell at the time limit
                return (f"it ran longer than {cell_timeout:g} s and was interrupted "
                        "(a loop that never ends?)")
            return _ANSI.sub("", f"{out.ename}: {out.evalue}")
    return None


def _why_missing(nb, exercise_id: str, cell_timeout: float) -> str:
    """Explain why an exercise's check did not report, from the executed cells."""
    cells = [c for c in nb.cells if c.cell_type == "code"]

    def role_cells(role):
        return [c for c in cells if c.get("metadata", {}).get("course", {}) == {"role": role, "exercise": exercise_id}]

    for answer in role_cells("answer"):
        err = _cell_error(answer, cell_timeout)
        if err:
            return f"your code cell failed: {err}"
    check_cells = role_cells("check")
    if not check_cells:
        check_cells = [c for c in cells if f"check_{exercise_id}(" in c.source]
    if not check_cells:
        return f"no cell calls ex.check_{exercise_id}(...) any more; `course reset` restores it"
    err = _cell_error(check_cells[0], cell_timeout)
    if err:
        return f"the check cell failed: {err}"
    earlier = [(i, _cell_error(c, cell_timeout)) for i, c in enumerate(cells) if _cell_error(c, cell_timeout)]
    if earlier:
        i, e = earlier[0]
        return f"code cell {i + 1} failed before it ran: {e}"
    return "the check did not run"


def run_checks(lesson: Lesson, notebook: os.PathLike | str, cell_timeout: float = 60,
               env: dict | None = None) -> list[Row]:
    """Execute a copy of ``notebook`` (the learner's exercise notebook of ``lesson``) and return
    one :class:`Row` per exercise of the lesson, in order.

    ``env`` is the kernel environment (default: this process's); progress is recorded as usual
    under its COURSE_HOME.  Raises FileNotFoundError if ``notebook`` does not exist and ValueError
    if it is not a readable notebook.
    """
    path = Path(notebook)
    if not path.is_file():
        raise FileNotFoundError(f"no exercise notebook at {path}; `course reset {lesson.number:02d}` creates it")
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several types for a damaged file
        raise ValueError(f"{path} is not a readable notebook ({exc}); `course reset` restores the original "
                         "(your file is kept in exercises/.backup/)") from exc
    exercises = lesson.exercises().exercises
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        results = Path(tmp) / "results.jsonl"
        kernel_env = dict(os.environ if env is None else env)
        kernel_env[RESULTS_ENV] = str(results)
        # Run in the notebook's own folder so relative paths the learner used still work.
        execute(nb, cwd=path.parent, timeout=cell_timeout, env=kernel_env, allow_errors=True, quiet=True)
        reported = {}
        if results.exists():
            for line in results.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if rec.get("lesson") == lesson.key:
                    reported[rec["exercise"]] = rec  # the last check of an exercise wins
    rows = []
    for e in exercises:
        rec = reported.get(e.id)
        if rec:
            rows.append(Row(e.id, rec["status"], rec["message"]))
        else:
            rows.append(Row(e.id, ERROR, _why_missing(nb, e.id, cell_timeout)))
    return rows
