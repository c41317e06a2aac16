"""Shared fixtures for the test suite (repository-wide hooks are in the root conftest.py).

Notebook tests take one of these arguments and are parametrized over the stored notebooks:
  lesson_notebook    every lesson notebook that exists, in the order of course.syllabus.LESSONS
  any_notebook       every lesson and exercise notebook that exists
"""
from __future__ import annotations

import os
import subprocess
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
def sanitize_file() -> Path:
    """The nbval sanitize patterns used by `make test`."""
    return SANITIZE_FILE


@pytest.fixture(scope="session")
def run_nbval():
    """run_nbval(notebooks, cwd): nbval as `make test` runs it (strict, with the repository's root
    conftest.py loaded as a plugin: our sanitize file, a kernel of this environment, stderr not
    compared) in a separate pytest process, with its own rootdir so nothing else is collected.
    Returns the CompletedProcess (stdout holds pytest's report)."""

    def run(notebooks: list[Path], cwd: Path) -> subprocess.CompletedProcess:
        ini = cwd / "pytest.ini"
        ini.write_text("[pytest]\n")
        cmd = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(cwd), "-p", "no:cacheprovider",
               "-p", "conftest", "--nbval", "-q", "-rf", "--color=no", *[str(p) for p in notebooks]]
        env = dict(os.environ, PYTHONPATH=str(ROOT))  # so `-p conftest` is the root conftest.py
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)

    return run


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    """Exercise progress goes to a temporary COURSE_HOME per test, never the learner's home or the repo."""
    from course import progress

    monkeypatch.setenv(progress.HOME_ENV, str(tmp_path / "home"))
    monkeypatch.delenv(progress.RESULTS_ENV, raising=False)
    return tmp_path / "home"


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A course root like a clone, for the `course` command tests: an exercises/ folder and pyproject.toml, the
    working directory, progress in its own home, no results file or COURSE_ROOT from the environment."""
    from course import progress

    r = tmp_path / "clone"
    (r / "exercises").mkdir(parents=True)
    (r / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.setenv(progress.HOME_ENV, str(tmp_path / "home"))
    monkeypatch.delenv(progress.RESULTS_ENV, raising=False)
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.chdir(r)
    return r


@pytest.fixture
def scratch_device():
    """Register user device profiles (snnlib.energy.register_device) and remove them again afterwards, so
    tests stay independent of each other's devices."""
    from snnlib import energy

    names = []

    def add(name, *args, **kw):
        profile = energy.register_device(name, *args, **kw)
        names.append(profile.name)
        return profile

    yield add
    for n in names:
        energy.DEVICES.pop(n, None)
