"""Shared fixtures for the test suite (repository-wide hooks are in the root conftest.py).

Notebook tests take one of these arguments and are parametrized over the stored notebooks:
  lesson_notebook    every lesson notebook (from course.syllabus when it lists them, else lessons/*.ipynb)
  any_notebook       every lesson and exercise notebook
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"


def _syllabus_paths(kind: str) -> list[Path] | None:
    """Notebook paths of one kind ("lesson" or "exercise") from course.syllabus, or None if it has none.

    course.syllabus is the single source of the lesson order; this accepts its entries either as
    objects with a `<kind>` / `<kind>_path` attribute or as dicts with such keys.
    """
    try:
        from course import syllabus
    except ImportError:
        return None
    entries = getattr(syllabus, "LESSONS", None) or getattr(syllabus, "SYLLABUS", None)
    if entries is None and hasattr(syllabus, "lessons"):
        entries = syllabus.lessons()
    if not entries:
        return None
    paths = []
    for entry in entries:
        for key in (f"{kind}_path", kind, f"{kind}_notebook"):
            value = entry.get(key) if isinstance(entry, dict) else getattr(entry, key, None)
            if value:
                path = Path(value)
                paths.append(path if path.is_absolute() else ROOT / path)
                break
    return paths or None


def notebook_paths(kind: str) -> list[Path]:
    """Stored notebooks of one kind: the syllabus order if course.syllabus lists them, else sorted glob."""
    folder = {"lesson": "lessons", "exercise": "exercises"}[kind]
    from_syllabus = _syllabus_paths(kind)
    if from_syllabus is not None:
        return from_syllabus
    return sorted((ROOT / folder).glob("*.ipynb"))


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in paths]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "lesson_notebook" in metafunc.fixturenames:
        paths = notebook_paths("lesson")
        metafunc.parametrize("lesson_notebook", paths, ids=_ids(paths))
    if "any_notebook" in metafunc.fixturenames:
        paths = notebook_paths("lesson") + notebook_paths("exercise")
        metafunc.parametrize("any_notebook", paths, ids=_ids(paths))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def python_exe() -> str:
    """The interpreter running the tests (the one whose environment notebooks are checked in)."""
    return sys.executable


@pytest.fixture(scope="session")
def sanitize_file() -> Path:
    """The nbval sanitize patterns used by `make test`."""
    return SANITIZE_FILE
