"""The ``course`` command on a temporary course root: list, check (headless run) and reset
(which saves the learner's copy first and never deletes work)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import cli, notebook, progress
from course.exercise import ERROR, NOT_YET, PASSED
from course.syllabus import LESSONS, lesson

LES = lesson("00")


def _learner_notebook(path: Path, answers: dict[str, str]) -> None:
    """The generated notebook with some answer cells replaced, as a learner would edit it."""
    nb = notebook.build(LES)
    for cell in nb.cells:
        meta = cell.metadata["course"]
        if meta["role"] == "answer" and meta["exercise"] in answers:
            cell.source = answers[meta["exercise"]]
    nbformat.write(nb, str(path))


def test_list_shows_lessons_and_progress(root, capsys):
    progress.record(LES.key, "euler_step", PASSED)
    progress.record(LES.key, "exact_step", NOT_YET)
    progress.record(LES.key, "rheobase", PASSED)
    progress.record(LES.key, "rheobase", ERROR)
    nbformat.write(notebook.build(LES), str(root / LES.exercise_notebook))
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "00_welcome" in out and f"exercises: 1/{len(LES.exercises().ids)} passed" in out
    assert "\u2714 euler_step     passed" in out and "\u2718 exact_step     not yet" in out
    assert "\u26a0 rheobase       error (passed before)" in out
    assert "\u00b7 lif_rate       not started" in out
    assert "08_capstone" in out  # every lesson of the syllabus is listed


def test_check_runs_the_notebook_and_prints_a_verdict_table(root, capsys):
    sol = LES.exercises()
    _learner_notebook(root / LES.exercise_notebook, {
        "euler_step": sol.get("euler_step").solution,
        "exact_step": "def exact_step(v, J, dt, tau_rc):\n    return v + (J - v) * np.exp(-dt / tau_rc)",
        "rheobase": "def rheobase(v_th, v_rest, v_reset):\n    return (v_th - v_rest) / 0",
        "lif_rate": "def lif_rate(J, tau_rc=0.02, tau_ref=0.002)\n    return J",  # syntax error
    })
    before = (root / LES.exercise_notebook).read_bytes()
    assert cli.main(["check", "00"]) == 1  # not everything passed
    out = capsys.readouterr().out
    lines = {ln.split()[0]: ln for ln in out.splitlines() if ln.startswith("  ") and ln.split()[0] in sol.ids}
    assert "passed" in lines["euler_step"]
    assert "not yet" in lines["exact_step"] and "fraction 1 - exp(-dt/tau_rc)" in out
    assert "error" in lines["rheobase"] and "ZeroDivisionError" in out
    assert "error" in lines["lif_rate"] and "SyntaxError" in out
    assert "not yet" in lines["J_100Hz"] and "not yet solved" in out
    n_stubs = len(sol.ids) - 4  # the exercises this learner has not touched
    assert f"1 passed, {1 + n_stubs} not yet, 2 error" in out
    assert (root / LES.exercise_notebook).read_bytes() == before  # the learner's file is untouched
    recorded = progress.load()[LES.key]  # progress was recorded, except for the untouched stub
    assert recorded["euler_step"]["status"] == PASSED and "J_100Hz" not in recorded


def test_check_interrupts_a_cell_that_never_ends(root):
    from course.runner import run_checks

    path = root / LES.exercise_notebook
    _learner_notebook(path, {"euler_step": "while True:\n    pass"})
    rows = {r.exercise: r for r in run_checks(LES, path, cell_timeout=3)}
    assert rows["euler_step"].status == "error"
    assert rows["euler_step"].message == ("your code cell failed: it ran longer than 3 s and was interrupted "
                                          "(a loop that never ends?)")
    assert rows["exact_step"].status == NOT_YET  # the rest of the notebook still ran


def _outputs(path: Path) -> list:
    """(cell id, output texts) of a stored notebook: what nbval compares."""
    nb = nbformat.read(str(path), as_version=4)
    return [(c.id, [o.get("text", o.get("data", {}).get("text/plain")) for o in c.get("outputs", [])])
            for c in nb.cells]


def test_reset_saves_the_learners_copy_then_restores_the_original(root, capsys, repo_root):
    path = root / LES.exercise_notebook
    _learner_notebook(path, {"euler_step": "def euler_step(v, J, dt, tau_rc):\n    return 42  # my work"})
    mine = path.read_bytes()
    assert cli.main(["reset", "00"]) == 0
    backups = sorted((root / "exercises" / ".backup").glob("00_welcome-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_bytes() == mine
    assert notebook.differences(path, LES) == []  # restored: what the generator produces
    assert "Saved your copy as exercises/.backup/00_welcome-" in capsys.readouterr().out
    # ... with the outputs of the notebook as shipped in the repository
    assert _outputs(path) == _outputs(repo_root / LES.exercise_notebook)
    # resetting the unmodified notebook again saves nothing (no pile of identical backups) ...
    assert cli.main(["reset", "welcome", "--no-run"]) == 0
    assert "no edits of yours" in capsys.readouterr().out
    assert len(list((root / "exercises" / ".backup").glob("00_welcome-*.ipynb"))) == 1
    # ... but after an edit, a second reset within the same second keeps both backups
    _learner_notebook(path, {"rheobase": "def rheobase(v_th, v_rest, v_reset):\n    return 0.0  # more work"})
    assert cli.main(["reset", "welcome", "--no-run"]) == 0
    assert len(list((root / "exercises" / ".backup").glob("00_welcome-*.ipynb"))) == 2
    assert backups[0].read_bytes() == mine


def test_reset_creates_a_missing_notebook_without_a_backup(root):
    assert cli.main(["reset", "0", "--no-run"]) == 0
    assert (root / LES.exercise_notebook).exists()
    assert not (root / "exercises" / ".backup").exists()


def test_backup_names_never_collide(root):
    first = cli.backup_path(root, LES, now=0)
    first.parent.mkdir(parents=True)
    first.write_text("{}")
    second = cli.backup_path(root, LES, now=0)
    assert second != first and second.name.endswith("-1.ipynb")


@pytest.mark.parametrize("argv, message", [
    (["reset", "12"], "unknown lesson '12'; choose one of: 00 (welcome)"),
    (["check", "00"], "no exercise notebook at"),
])
def test_bad_input_exits_2_with_a_clear_message(root, capsys, argv, message):
    if (root / LES.exercise_notebook).exists():
        (root / LES.exercise_notebook).unlink()
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_lesson_without_exercises_yet_exits_2_with_a_clear_message(root, capsys, monkeypatch):
    # every lesson of the syllabus has its exercises now; a lesson added later starts without them: pretend
    # lesson 04's are not written (the syllabus asks the lesson, so patch the lesson class's answer)
    les = next(les for les in LESSONS if les.number == 4)
    monkeypatch.setattr(type(les), "has_exercises", lambda self: self.number != 4)
    assert cli.main(["check", "04"]) == 2
    assert f"lesson {les.key} has no exercises yet" in capsys.readouterr().err


def test_console_script_is_installed(root):
    script = Path(sys.executable).parent / "course"
    run = subprocess.run([str(script), "list"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "00_welcome" in run.stdout
