"""Shared fixtures for the test suite (repository-wide hooks are in the root conftest.py).

Notebook tests take one of these arguments and are parametrized over the stored notebooks:
  lesson_notebook    every lesson notebook that exists, in the order of course.syllabus.LESSONS
  any_notebook       every lesson and exercise notebook that exists
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"


def notebook_paths(kind: str) -> list[Path]:
    """Stored notebooks of one kind ("lesson" or "exercise") that exist, in syllabus order."""
    from course import syllabus

    finder = {"lesson": syllabus.existing_lesson_notebooks, "exercise": syllabus.existing_exercise_notebooks}[kind]
    return finder(ROOT)


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
