"""Which notebooks the browser tests open: every lesson and exercise notebook of `course.syllabus`.

Adding a lesson to the syllabus adds its notebooks here with no other change. Notebooks the syllabus lists
but that are not written yet become skipped tests that say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CourseNotebook:
    """One notebook to test: its kind ("lesson" or "exercise") and path relative to the repository."""

    kind: str
    path: str

    @property
    def exists(self) -> bool:
        return (ROOT / self.path).is_file()

    @property
    def test_id(self) -> str:
        return self.path


def course_notebooks() -> list[CourseNotebook]:
    """Lesson then exercise notebook of each lesson in `course.syllabus.LESSONS`, in syllabus order."""
    from course.syllabus import LESSONS

    found = []
    for lesson in LESSONS:
        found.append(CourseNotebook("lesson", lesson.lesson_notebook.as_posix()))
        found.append(CourseNotebook("exercise", lesson.exercise_notebook.as_posix()))
    return found
