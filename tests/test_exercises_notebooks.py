"""Exercise notebooks: the committed ones are what the generator produces, and run with the
reference solutions filled in, every check passes (executed on a real kernel with nbclient)."""
from __future__ import annotations

import json
import os

import nbformat
import pytest

from course import notebook, progress
from course.exercise import PASSED
from course.runner import run_checks
from course.syllabus import lessons_with_exercises

LESSONS = lessons_with_exercises()


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.key)
def test_committed_notebook_is_up_to_date_with_its_source(les, repo_root):
    path = repo_root / les.exercise_notebook
    assert path.exists(), f"{les.exercise_notebook} missing: run `.venv/bin/python -m course.notebook {les.number:02d}`"
    diffs = notebook.differences(path, les)
    assert not diffs, (f"{les.exercise_notebook} is out of date with {les.exercise_module}: "
                       f"{diffs}; regenerate with `.venv/bin/python -m course.notebook {les.number:02d}`")


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.key)
def test_committed_notebook_stores_not_yet_solved_for_every_check(les, repo_root):
    """Stored executed with the stubs, so nbval compares a 'not yet solved' verdict per exercise."""
    nb = nbformat.read(str(repo_root / les.exercise_notebook), as_version=4)
    checks = {c.metadata["course"]["exercise"]: c for c in nb.cells if c.metadata.get("course", {}).get("role") == "check"}
    assert list(checks) == les.exercises().ids
    for exercise_id, cell in checks.items():
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert text.startswith(f"\u2718 {exercise_id}: not yet solved"), (exercise_id, text)


def test_out_of_date_detection_fails_on_an_edited_notebook(tmp_path):
    les = LESSONS[0]
    nb = notebook.build(les)
    nb.cells[3].source += "\n# an edit the generator does not know about"
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    assert notebook.differences(path, les) == [
        f"cell 3 ({nb.cells[3].id}): source differ(s) from the generated notebook"]
    nb.cells.pop()
    nbformat.write(nb, str(path))
    assert any("cells, expected" in d for d in notebook.differences(path, les))


def test_out_of_date_detection_reads_the_metadata(tmp_path):
    """A cell's role or exercise, and the notebook's own lesson/solved metadata, are what `course
    check` maps verdicts by: a change there is drift even with identical sources (issue 21)."""
    les = LESSONS[0]
    path = tmp_path / "nb.ipynb"
    nb = notebook.build(les)
    answer = next(i for i, c in enumerate(nb.cells) if c.metadata["course"]["role"] == "answer")
    nb.cells[answer].metadata["course"]["exercise"] = "someone_else"
    nbformat.write(nb, str(path))
    assert notebook.differences(path, les) == [
        f"cell {answer} ({nb.cells[answer].id}): course metadata differ(s) from the generated notebook"]
    nb = notebook.build(les)
    nb.metadata["course"]["solved"] = True
    nbformat.write(nb, str(path))
    assert len(notebook.differences(path, les)) == 1 and "notebook metadata 'course'" in notebook.differences(path, les)[0]


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.key)
def test_stubs_and_solutions_differ_only_in_answer_cells(les):
    stub, solved = notebook.build(les), notebook.build(les, solved=True)
    ex = les.exercises()
    for a, b in zip(stub.cells, solved.cells):
        role = a.metadata["course"]["role"]
        if role == "answer":
            e = ex.get(a.metadata["course"]["exercise"])
            assert a.source == e.stub.rstrip("\n") and b.source == e.solution.rstrip("\n")
        else:
            assert a.source == b.source
    # the solution is never in the learner's notebook
    text = "\n".join(c.source for c in stub.cells)
    for e in ex.exercises:
        body = e.solution.strip().splitlines()[-1].strip()
        assert body not in text, f"solution line of {e.id} visible in the learner notebook"


@pytest.mark.parametrize("les", LESSONS, ids=lambda les: les.key)
def test_solved_notebook_passes_every_check(les, tmp_path):
    """Executes the notebook with solutions on a fresh kernel; every check reports 'passed'."""
    path = tmp_path / les.exercise_notebook.name
    nbformat.write(notebook.build(les, solved=True), str(path))
    env_home = tmp_path / "home"
    rows = run_checks(les, path, env={**os.environ, progress.HOME_ENV: str(env_home)})
    assert [(r.exercise, r.status) for r in rows] == [(e.id, PASSED) for e in les.exercises().exercises], rows
    for r, e in zip(rows, les.exercises().exercises):   # a rubric criterion reports the measured number and bound
        if e.criterion is not None:
            assert r.message.startswith(e.criterion.what + " ") and r.message.endswith(": passed"), r
    recorded = json.loads((env_home / "progress.json").read_text())[les.key]
    assert all(v["status"] == PASSED for v in recorded.values()) and len(recorded) == len(rows)
