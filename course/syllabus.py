"""The syllabus: the ordered lessons and their notebooks and exercises, from one place.

Everything that iterates over lessons (the ``course`` command, nbval and browser tests, the
notebook generator) reads :data:`LESSONS`, so adding a lesson here adds it everywhere.
Paths are relative to the course root (the repository clone); :func:`course_root` finds it.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Lesson", "LESSONS", "lesson", "course_root", "existing_lesson_notebooks",
           "existing_exercise_notebooks", "lessons_with_exercises", "notebook_budget", "DEFAULT_BUDGET_S"]

DEFAULT_BUDGET_S = 60.0  # s per notebook on a fresh kernel (course issue); a lesson may be given more


@dataclass(frozen=True)
class Lesson:
    """One lesson: ``number`` (0..8), ``slug`` (``welcome``), ``title``, the ``claim`` it tests and ``budget_s``,
    the time its notebooks may take on a fresh kernel (s; reported by nbval runs and `make notebooks`)."""

    number: int
    slug: str
    title: str
    claim: str
    budget_s: float = DEFAULT_BUDGET_S

    @property
    def key(self) -> str:
        """``NN_slug``, e.g. ``00_welcome``: the stem of both notebooks."""
        return f"{self.number:02d}_{self.slug}"

    @property
    def lesson_notebook(self) -> Path:
        """Relative path of the narrative notebook, ``lessons/NN_slug.ipynb``."""
        return Path("lessons") / f"{self.key}.ipynb"

    @property
    def exercise_notebook(self) -> Path:
        """Relative path of the learner's exercise notebook, ``exercises/NN_slug.ipynb``."""
        return Path("exercises") / f"{self.key}.ipynb"

    @property
    def exercise_module(self) -> str:
        """Dotted name of the exercise module, ``course.exercises.lessonNN``."""
        return f"course.exercises.lesson{self.number:02d}"

    def has_exercises(self) -> bool:
        """True if the exercise module exists (it may be written after the lesson)."""
        return importlib.util.find_spec(self.exercise_module) is not None

    def exercises(self):
        """The lesson's :class:`course.exercise_set.ExerciseSet`; LookupError if not written yet."""
        if not self.has_exercises():
            raise LookupError(f"lesson {self.key} has no exercises yet ({self.exercise_module} does not exist)")
        return importlib.import_module(self.exercise_module).EXERCISES


LESSONS: tuple[Lesson, ...] = (
    Lesson(0, "welcome", "Welcome: a neuron is not a ReLU", "DL units are not neurons"),
    Lesson(1, "spikes", "Spikes", "the brain uses spikes"),
    Lesson(2, "power", "Power", "the brain is low power"),
    Lesson(3, "backprop", "Backprop", "the brain cannot backprop"),
    Lesson(4, "neurotransmitters", "Neurotransmitters", "neurotransmitters adapt networks on the fly"),
    Lesson(5, "noise", "Noise", "the brain is noisy"),
    Lesson(6, "nef", "The Neural Engineering Framework", "an alternative: the NEF"),
    Lesson(7, "beyond_lif", "Beyond the point neuron", "richer neurons"),
    Lesson(8, "capstone", "Capstone", "putting it together", budget_s=120.0),  # the reference project (issue 17)
)


def lesson(ref) -> Lesson:
    """Find a lesson by number (``0``, ``"0"``, ``"00"``), key (``"00_welcome"``) or slug (``"welcome"``).

    Raises ValueError naming the valid choices if nothing matches.
    """
    text = str(ref).strip()
    if text.endswith(".ipynb"):
        text = Path(text).stem
    for les in LESSONS:
        if text in (les.key, les.slug) or (text.isdigit() and int(text) == les.number):
            return les
    choices = ", ".join(f"{les.number:02d} ({les.slug})" for les in LESSONS)
    raise ValueError(f"unknown lesson {ref!r}; choose one of: {choices}")


def notebook_budget(path: os.PathLike | str) -> float:
    """The time budget (s) of a notebook: its lesson's ``budget_s`` for ``lessons/NN_slug.ipynb`` or
    ``exercises/NN_slug.ipynb``, else DEFAULT_BUDGET_S."""
    stem = Path(path).stem
    for les in LESSONS:
        if stem == les.key:
            return les.budget_s
    return DEFAULT_BUDGET_S


def course_root(start: os.PathLike | str | None = None) -> Path:
    """The course root: ``$COURSE_ROOT`` if set, else the nearest folder at or above ``start``
    (default: the current directory) holding ``exercises/`` or ``lessons/`` next to
    ``pyproject.toml``, else the folder the ``course`` package was installed from (a clone)."""
    env = os.environ.get("COURSE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "pyproject.toml").exists() and ((d / "exercises").is_dir() or (d / "lessons").is_dir()):
            return d
    return Path(__file__).resolve().parent.parent


def existing_lesson_notebooks(root: os.PathLike | str | None = None) -> list[Path]:
    """Absolute paths of the lesson notebooks that exist, in syllabus order."""
    base = Path(root) if root else course_root()
    return [base / les.lesson_notebook for les in LESSONS if (base / les.lesson_notebook).exists()]


def existing_exercise_notebooks(root: os.PathLike | str | None = None) -> list[Path]:
    """Absolute paths of the exercise notebooks that exist, in syllabus order."""
    base = Path(root) if root else course_root()
    return [base / les.exercise_notebook for les in LESSONS if (base / les.exercise_notebook).exists()]


def lessons_with_exercises() -> list[Lesson]:
    """Lessons whose exercise module exists, in order."""
    return [les for les in LESSONS if les.has_exercises()]
