"""Export the exercises as an nbgrader course directory: one assignment per lesson with exercises.

``export(directory)`` writes::

    DIR/nbgrader_config.py                      course id, the stub nbgrader leaves in released answers
    DIR/source/NN_slug/NN_slug.ipynb            the instructor's version of each exercise notebook

The source notebooks are built from the same place as the learner's exercise notebooks
(:func:`course.notebook.build`, which reads ``course/exercises/lessonNN.py`` and
``lessonNN_solutions.py``); lessons come from :mod:`course.syllabus`, so a lesson whose exercise
module exists is exported without any change here.  Cell by cell:

* each answer cell becomes an nbgrader *solution* cell: the learner's stub around the reference
  solution, which sits between ``### BEGIN SOLUTION`` and ``### END SOLUTION``.  nbgrader replaces
  that region with ``...`` (``ClearSolutions.code_stub`` in the generated config), so the released
  answer cell is the course's own stub again and the course's checks treat it as "not yet solved";
* each check cell becomes a locked *autograder test* cell worth ``Exercise.points``: it runs the
  course's check (which prints the diagnosis of a known mistake, never the expected value) and raises
  AssertionError unless the check passed, so nbgrader scores it 0 or full points and its feedback
  shows the diagnosis;
* every other cell (instructions, set-up, summary) is locked (read-only in the graded notebook).

The exported notebooks import ``course.exercises.lessonNN``: the grading kernel needs this course
installed (see docs/grading.md).  Run ``course export nbgrader DIR``, then the nbgrader commands in DIR.
"""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import nbformat

from course.exercise import Exercise
from course.exercise_set import stub_from_solution
from course.notebook import build
from course.syllabus import Lesson, lessons_with_exercises

__all__ = ["export", "solution_source", "test_source", "released_stub", "COURSE_ID", "CODE_STUB"]

COURSE_ID = "dl-isnt-the-brain"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# What nbgrader puts in place of a solution region: the course's own "unsolved" marker.
CODE_STUB = "..."
SCHEMA_VERSION = 3

_CONFIG = '''\
# nbgrader configuration of the course "Deep Learning Isn't the Brain" (written by `course export nbgrader`).
c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file
c.CourseDirectory.course_id = {course_id!r}
# A solution region is released as `...`, the course's own "not yet solved" stub, so the released answer
# cells read like the course's exercise notebooks and the course's checks say "not yet solved".
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
# Each exercise's test runs the course's check, which gives up on a learner's runaway code after its own
# time limit (at most a few tens of seconds); this is the per-cell limit on top of that.
c.ExecutePreprocessor.timeout = 300
'''

# The task text of the exercise notebooks offers the reference solution; a graded copy does not.
_SOLUTION_OFFER = re.compile(r"; `ex\.solution\(\"\w+\"\)` shows the reference solution\.")


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _region(code: str, indent: str) -> list[str]:
    """``code`` (unindented) inside BEGIN/END markers, every line indented by ``indent``."""
    body = textwrap.indent(code.strip("\n"), indent, lambda line: True).splitlines()
    return [indent + BEGIN, *[line if line.strip() else "" for line in body], indent + END]


def solution_source(exercise: Exercise) -> str:
    """The source of an nbgrader solution cell for ``exercise``.

    A function exercise whose stub was derived from its solution keeps the ``def`` line, the
    docstring and the ``# TODO`` comment outside the solution region and puts the body inside, so the
    released cell equals the course's stub.  Anything else (a value exercise, a hand-written stub)
    is the stub followed by the whole reference solution as one region.
    """
    solution = exercise.solution
    if exercise.kind == "function" and exercise.stub == stub_from_solution(solution, exercise.todo):
        tree = ast.parse(solution)
        fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
        lines = solution.splitlines()
        body = fn.body
        has_doc = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str)
        first = body[1] if has_doc and len(body) > 1 else body[0]
        start = fn.lineno - 1 - len(fn.decorator_list)
        head_end = body[0].end_lineno if has_doc else first.lineno - 1
        indent = _indent_of(lines[first.lineno - 1])
        before = "\n".join(lines[:start]).strip("\n")
        after = "\n".join(lines[fn.end_lineno:]).strip("\n")
        out = _region(before, "") + [""] if before.strip() else []
        out += lines[start:head_end]
        out.append(f"{indent}# TODO: {exercise.todo}")
        out += _region(textwrap.dedent("\n".join(lines[head_end:fn.end_lineno])), indent)
        if after.strip():
            out += [""] + _region(after, "")
        return "\n".join(out) + "\n"
    return exercise.stub.rstrip("\n") + "\n" + "\n".join(_region(solution, "")) + "\n"


def released_stub(source: str) -> str:
    """What nbgrader's ClearSolutions leaves of a solution cell: each region becomes CODE_STUB at the
    region's indentation (a model of nbgrader's behaviour; the end-to-end test compares the two)."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
            out.append(_indent_of(line) + CODE_STUB)
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out) + "\n"


def test_source(exercise: Exercise) -> str:
    """The source of the locked autograder test cell of ``exercise``: the course's check."""
    return (f"# Autograder test of {exercise.id} ({exercise.points} point{'s' if exercise.points != 1 else ''}): "
            "the course's own check. It prints\n"
            "# the verdict (and the diagnosis of a known mistake); the assertion gives the points only if it passed.\n"
            f"result = ex.EXERCISES.check({exercise.id!r}, {exercise.id})\n"
            f"assert result.passed, f\"{exercise.id}: {{result.status}}\"")


def _nbgrader(cell_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
              points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": cell_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def source_notebook(les: Lesson) -> nbformat.NotebookNode:
    """The instructor's (source) notebook of ``les`` for nbgrader, unexecuted."""
    exercises = {e.id: e for e in les.exercises().exercises}
    nb = build(les)
    for cell in nb.cells:
        info = cell.metadata.get("course", {})
        role, ex_id = info.get("role"), info.get("exercise")
        if role == "answer":
            cell.source = solution_source(exercises[ex_id]).rstrip("\n")
            cell.metadata["nbgrader"] = _nbgrader(cell.id, solution=True)
        elif role == "check":
            cell.source = test_source(exercises[ex_id])
            cell.metadata["nbgrader"] = _nbgrader(cell.id, grade=True, locked=True, points=exercises[ex_id].points)
        else:
            if role == "task":
                cell.source = _SOLUTION_OFFER.sub(".", cell.source)
            cell.metadata["nbgrader"] = _nbgrader(cell.id, locked=True)
    nb.metadata["course"]["generated_by"] = "course.export_nbgrader"
    nbformat.validate(nb)
    return nb


def export(directory: Path | str, lessons: list[Lesson] | None = None) -> list[Path]:
    """Write the nbgrader course directory ``directory`` (created if needed); return the source
    notebooks written, in syllabus order.  ``lessons`` defaults to every lesson with exercises.

    An existing ``nbgrader_config.py`` is kept (a teacher may have edited it); source notebooks are
    overwritten, as they are generated.
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise ValueError(f"DIR must be a folder, but {root} is a file")
    chosen = lessons_with_exercises() if lessons is None else lessons
    if not chosen:
        raise ValueError("no lesson has exercises yet: nothing to export")
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    if not config.exists():
        config.write_text(_CONFIG.format(course_id=COURSE_ID, stub=CODE_STUB), encoding="utf-8")
    written = []
    for les in chosen:
        target = root / "source" / les.key / f"{les.key}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(les), str(target))
        written.append(target)
    return written


def _run(args, root: Path) -> int:
    """``course export nbgrader DIR``: write the course directory and say what to do next."""
    written = export(args.directory)
    base = Path(args.directory)
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} assignment(s) in {base / 'source'}. Next, in {base}: "
          "nbgrader generate_assignment NN_slug (see docs/grading.md).")
    return 0


def register(subparsers) -> None:
    """Add ``export nbgrader DIR`` to the ``course`` command's subparsers (course/cli.py)."""
    p_export = subparsers.add_parser("export", help="export the course for other tools (nbgrader)")
    kinds = p_export.add_subparsers(dest="export_kind", required=True)
    p_nbgrader = kinds.add_parser("nbgrader", help="write an nbgrader course directory: one assignment per lesson")
    p_nbgrader.add_argument("directory", type=Path, metavar="DIR", help="the nbgrader course directory to write")
    p_nbgrader.set_defaults(run=_run)
