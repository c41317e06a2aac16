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


def _field(entry, names):
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value:
            return value
    return None


def _relative(value) -> str:
    path = Path(value)
    return str(path.relative_to(ROOT) if path.is_absolute() else path)


def course_notebooks() -> list[CourseNotebook]:
    """Lesson then exercise notebook of each syllabus entry, in syllabus order.

    Raises ImportError when course.syllabus is missing: the syllabus is the single list of notebooks.
    """
    from course import syllabus

    entries = None
    for name in ("LESSONS", "SYLLABUS", "lessons"):
        entries = getattr(syllabus, name, None)
        if entries is not None:
            break
    if callable(entries):
        entries = entries()
    if not entries:
        raise ImportError("course.syllabus lists no lessons (expected LESSONS, SYLLABUS or lessons())")
    found = []
    for entry in entries:
        for kind in ("lesson", "exercise"):
            value = _field(entry, [f"{kind}_path", f"{kind}_notebook", kind])
            if value:
                found.append(CourseNotebook(kind, _relative(value)))
    return found
