"""Students get course updates through nbgitpuller links without losing their work (docs/teaching.md).

nbgitpuller's own puller (the code behind /git-pull links) is run twice against a local teacher
repository holding the real lesson and exercise notebooks: between the pulls the student fills in an
exercise and the teacher fixes that same exercise notebook, edits a lesson and adds a new one."""
import json
import shutil
import subprocess
from pathlib import Path

import nbformat
from nbgitpuller.pull import GitPuller

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = "exercises/00_welcome.ipynb"
LESSON = "lessons/00_welcome.ipynb"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Teacher", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def pull(origin: Path, target: Path) -> None:
    for _ in GitPuller(str(origin), str(target), branch="main", depth=0).pull():
        pass


def edit_cell(path: Path, role: str, new_source: str) -> None:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.get("metadata", {}).get("course", {}).get("role") == role)
    cell.source = new_source
    nbformat.write(nb, path)


def test_update_keeps_the_students_work_and_brings_the_teachers_changes(tmp_path):
    origin, home = tmp_path / "teacher", tmp_path / "home" / "course"
    for rel in (LESSON, EXERCISE):
        (origin / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, origin / rel)
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "course")
    pull(origin, home)
    assert (home / EXERCISE).is_file()

    # the student answers the first exercise (their work) and writes notes of their own
    edit_cell(home / EXERCISE, "answer", "def euler_step(v, J, dt, tau_rc):\n    return v + dt * (J - v) / tau_rc\n")
    (home / "my_notes.txt").write_text("mine")
    # the teacher changes the same exercise notebook (its intro), fixes the lesson, adds a lesson
    edit_cell(origin / EXERCISE, "intro", "# Exercises 00 (revised)\n")
    lesson = nbformat.read(origin / LESSON, as_version=4)
    lesson.cells.append(nbformat.v4.new_markdown_cell("An erratum from the teacher."))
    nbformat.write(lesson, origin / LESSON)
    shutil.copy2(ROOT / LESSON, origin / "lessons" / "99_new.ipynb")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "update")

    pull(origin, home)
    ex = nbformat.read(home / EXERCISE, as_version=4)          # still a valid notebook
    sources = [c.source for c in ex.cells]
    assert "def euler_step(v, J, dt, tau_rc):\n    return v + dt * (J - v) / tau_rc\n" in sources  # kept
    assert "# Exercises 00 (revised)\n" in sources                                                  # arrived
    assert nbformat.read(home / LESSON, as_version=4).cells[-1].source == "An erratum from the teacher."
    assert (home / "lessons" / "99_new.ipynb").is_file()
    assert (home / "my_notes.txt").read_text() == "mine"
    json.loads((home / EXERCISE).read_text())
