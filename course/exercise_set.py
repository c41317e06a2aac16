"""The exercises of one lesson and the learner's API for them.

A lesson module (``course/exercises/lessonNN.py``) builds an :class:`ExerciseSet` and exposes its
:meth:`ExerciseSet.api` as module functions, so a notebook does::

    from course.exercises import lesson00 as ex
    ex.check_euler_step(euler_step)   # prints ✔ passed / ✘ not yet: diagnosis / ⚠ error
    ex.hint("euler_step")             # next hint, one per call
    ex.solution("euler_step")         # the reference solution, only on request

Reference solutions live in the package, in ``course/exercises/lessonNN_solutions.py``: one
runnable Python module with a ``# %% <exercise id>`` line before each solution.  The notebook
generator (:mod:`course.notebook`) and :meth:`ExerciseSet.solution` both read it, so the solution
shown, the solution tested and the stub derived from it cannot drift apart.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from course import progress
from course.exercise import PASSED, CheckResult, Exercise

__all__ = ["ExerciseSet", "split_solutions", "stub_from_solution"]

_MARKER = re.compile(r"^# %% (\w+)[ \t]*$", re.MULTILINE)


def split_solutions(source: str) -> tuple[str, dict[str, str]]:
    """Split a solutions module into its header (imports) and ``{exercise id: code}``."""
    parts = _MARKER.split(source)
    header, rest = parts[0], parts[1:]
    cells = {rest[i]: rest[i + 1].strip("\n") + "\n" for i in range(0, len(rest), 2)}
    return header.strip("\n") + "\n", cells


def stub_from_solution(code: str, todo: str) -> str:
    """The learner's stub for a function solution: its ``def`` line(s) and docstring, then a TODO
    comment and ``...``."""
    tree = ast.parse(code)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    lines = code.splitlines()
    first = fn.body[0]
    has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
        and isinstance(first.value.value, str)
    end = first.end_lineno if has_doc else fn.body[0].lineno - 1
    indent = " " * (first.col_offset)
    head = "\n".join(lines[fn.lineno - 1 - len(fn.decorator_list):end])
    return f"{head}\n{indent}# TODO: {todo}\n{indent}...\n"



def _say(text: str) -> None:
    """Print ``text`` and its newline in one write: a kernel may otherwise send them as two stream outputs
    (its flush timer can fall between print's two writes), and stored notebooks must be byte-stable."""
    sys.stdout.write(text + "\n")


def how_exercises_work(lesson: str, example_id: str) -> str:
    """The standard "How exercises work" paragraph of an exercise notebook's intro (Markdown).

    ``lesson`` is the two-digit number (``"01"``), ``example_id`` the exercise used in the hint and
    solution examples. Every lesson's intro embeds it, so the instructions read the same everywhere.
    """
    return ("**How exercises work.** Edit the code cell of each exercise (replace the `...`), run it, then run the "
            "check cell below it. The check prints **✔ passed**, **✘ not yet** with a diagnosis of the "
            "mistake, or **⚠ error** if your code raised or ran too long.\n\n"
            f"* `ex.hint(\"{example_id}\")` shows the next hint (run it again for more).\n"
            f"* `ex.solution(\"{example_id}\")` shows the reference solution: try the hints first.\n"
            f"* From a terminal, `course check {lesson}` runs all checks of this notebook; `course reset {lesson}` "
            "restores the original notebook after saving your copy in `exercises/.backup/`.\n\n")


@dataclass
class ExerciseSet:
    """All exercises of one lesson.

    Attributes
    ----------
    lesson : str
        The syllabus key, e.g. ``"00_welcome"``.
    title, intro, outro : str
        Markdown for the exercise notebook.
    setup : str
        The notebook's first code cell (imports, ``ex = ...``).
    exercises : list of Exercise
    solutions_module : str
        Dotted name of the solutions module (read as source, never shown unless asked).
    """

    lesson: str
    title: str
    intro: str
    setup: str
    exercises: list
    solutions_module: str
    outro: str = ""
    _hints_shown: dict = field(default_factory=dict, repr=False)
    _session: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        ids = [e.id for e in self.exercises]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate exercise ids in {self.lesson}: {ids}")
        # read, never import: a solutions module may run an experiment at top level (an open question's answer)
        spec = importlib.util.find_spec(self.solutions_module)
        if spec is None or not spec.origin:
            raise ValueError(f"solutions module {self.solutions_module!r} not found")
        src = Path(spec.origin).read_text(encoding="utf-8")
        self.solutions_header, cells = split_solutions(src)
        missing = set(ids) - set(cells)
        if missing:
            raise ValueError(f"{self.solutions_module} has no '# %% id' section for {sorted(missing)}")
        for e in self.exercises:
            e.solution = cells[e.id]
            if e.stub is None:
                e.stub = stub_from_solution(e.solution, e.todo)

    # -- lookup ------------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.exercises]

    def get(self, exercise_id: str) -> Exercise:
        """The exercise called ``exercise_id``; ValueError listing the valid ids otherwise."""
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise ValueError(f"no exercise {exercise_id!r} in lesson {self.lesson}; "
                         f"the exercises are: {', '.join(self.ids)}")

    # -- learner API -------------------------------------------------------------------------
    def check(self, exercise_id: str, answer) -> CheckResult:
        """Evaluate ``answer``, record the progress, print the verdict and return it."""
        result = self.get(exercise_id).evaluate(answer)
        self._session[exercise_id] = result
        progress.record(self.lesson, exercise_id, result.status, result.message, unsolved=result.unsolved)
        _say(str(result))
        return result

    def checker(self, exercise_id: str) -> Callable:
        """``check_<id>(answer)``: prints the verdict (returns None so nothing extra is displayed)."""
        self.get(exercise_id)

        def check(answer) -> None:
            self.check(exercise_id, answer)

        check.__name__ = f"check_{exercise_id}"
        check.__doc__ = f"Check your answer to exercise {exercise_id!r} and print the verdict."
        return check

    def _list_exercises(self, what: str) -> None:
        """Print the exercise ids with how to ask for ``what`` ("hint" or "solution") of one."""
        print(f"Which exercise? Give its name, e.g. ex.{what}(\"{self.ids[0]}\"). The exercises of this lesson:")
        for e in self.exercises:
            print(f"  {e.id:<18} {e.title}")

    def _asked_for(self, exercise_id, what: str):
        """The exercise a learner's ``ex.hint(...)`` / ``ex.solution(...)`` names, or None after printing why
        there is none: no name lists the exercises, an unknown name prints the error that lists them. A
        function stands for its exercise (``ex.hint(euler_step)``)."""
        if exercise_id is None:
            self._list_exercises(what)
            return None
        if callable(exercise_id):
            exercise_id = getattr(exercise_id, "__name__", exercise_id)
        try:
            return self.get(exercise_id)
        except ValueError as exc:
            print(exc)
            return None

    def hint(self, exercise_id: str | None = None) -> None:
        """Print the next hint for ``exercise_id`` (one more per call); without a name, list the exercises."""
        e = self._asked_for(exercise_id, "hint")
        if e is None:
            return
        exercise_id = e.id
        n = self._hints_shown.get(exercise_id, 0)
        if n >= len(e.hints):
            print(f"No more hints for {exercise_id}: you have seen all {len(e.hints)}. "
                  f"Still stuck? ex.solution({exercise_id!r}) shows the reference solution.")
            return
        self._hints_shown[exercise_id] = n + 1
        print(f"Hint {n + 1} of {len(e.hints)} for {exercise_id}: {e.hints[n]}")

    def solution(self, exercise_id: str | None = None) -> None:
        """Print the reference solution of ``exercise_id`` (only ever shown on request); without a name,
        list the exercises."""
        e = self._asked_for(exercise_id, "solution")
        if e is None:
            return
        exercise_id = e.id
        print(f"Reference solution for {exercise_id} (compare it with yours; to move on, copy it into "
              f"the cell above and run that cell):\n")
        print(e.solution.rstrip("\n"))  # unindented, so it can be pasted as it is

    def summary(self) -> None:
        """Print this session's verdicts, one line per exercise."""
        done = sum(1 for r in self._session.values() if r.status == PASSED)
        lines = [f"{self.title}: {done} of {len(self.exercises)} exercises passed in this session."]
        for e in self.exercises:
            r = self._session.get(e.id)
            lines.append(f"  {e.id:<14} {r.status if r else 'not checked'}")
        _say("\n".join(lines))

    def api(self) -> dict[str, Callable]:
        """Module-level names for a lesson module: ``check_<id>`` for each exercise, ``hint``,
        ``solution``, ``summary``."""
        names = {f"check_{e.id}": self.checker(e.id) for e in self.exercises}
        names.update(hint=self.hint, solution=self.solution, summary=self.summary)
        return names
