"""`course check` on notebooks that try to fool it or break it (issue 18): the verdicts it reports
and records are computed in the checking process; a dead kernel or a broken setup cell still gives
a full table with the reason, and never a traceback."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course import cli, notebook, progress
from course.exercise import ERROR, NOT_YET, PASSED
from course.syllabus import lesson
from tests.learner_notebooks import learner_notebook

LES = lesson("00")


def _notebook(path: Path, answers: dict[str, str] | None = None, setup: str | None = None) -> None:
    learner_notebook(LES, path, answers, setup)


def _table(out: str) -> dict[str, str]:
    ids = LES.exercises().ids
    return {ln.split()[0]: ln for ln in out.splitlines() if ln.startswith("  ") and ln.split()[0] in ids}


# Each answer cell defines a wrong answer and attacks the in-kernel check another way.
ATTACKS = {
    # overwrite the check's reference with the wrong answer
    "euler_step": ("ex.EXERCISES.get('euler_step').reference = lambda v, J, dt, tau_rc: v * 0 + 7.0\n"
                   "def euler_step(v, J, dt, tau_rc):\n    return v * 0 + 7.0"),
    # patch the comparison
    "exact_step": ("import numpy as np\nnp.allclose = lambda *a, **k: True\n"
                   "def exact_step(v, J, dt, tau_rc):\n    return v * 0 - 1.0"),
    # replace the evaluation
    "rheobase": ("from course.exercise import Exercise, CheckResult\n"
                 "Exercise.evaluate = lambda self, answer: CheckResult(self.id, 'passed')\n"
                 "def rheobase(v_th, v_rest, v_reset):\n    return 123.0"),
    # record progress directly (the answer itself stays the stub)
    "lif_rate": ("from course import progress as _p\n"
                 "for _e in ex.EXERCISES.ids:\n    _p.record('00_welcome', _e, 'passed')\n"
                 "def lif_rate(J, tau_rc=0.02, tau_ref=0.002):\n    ..."),
    # a value exercise: the reference replaced by the wrong value
    "J_100Hz": "ex.EXERCISES.get('J_100Hz').reference = lambda: 1.0\nJ_100Hz = 1.0",
}


def test_checks_cannot_be_fooled_from_the_notebook(root, capsys):
    _notebook(root / LES.exercise_notebook, ATTACKS)
    assert cli.main(["check", "00"]) == 1
    out = capsys.readouterr().out
    table = _table(out)
    assert all(PASSED not in line for line in table.values()), out
    for ex_id in ATTACKS:
        assert NOT_YET in table[ex_id], (ex_id, out)
    recorded = progress.load().get(LES.key, {})
    assert not [k for k, v in recorded.items() if v["status"] == PASSED], recorded
    assert recorded["euler_step"]["status"] == NOT_YET  # the checker's own verdicts were recorded


def test_a_dead_kernel_still_gives_the_table(root, capsys):
    sol = LES.exercises()
    _notebook(root / LES.exercise_notebook, {
        "euler_step": sol.get("euler_step").solution,
        "rheobase": "import os\nos._exit(3)",
    })
    assert cli.main(["check", "00"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and "DeadKernelError" not in captured.out + captured.err
    table = _table(captured.out)
    assert list(table) == sol.ids  # every exercise has its row
    assert PASSED in table["euler_step"] and NOT_YET in table["exact_step"]
    assert ERROR in table["rheobase"] and "kernel died while running rheobase" in captured.out
    after = sol.ids[sol.ids.index("rheobase") + 1:]
    assert all(ERROR in table[e] for e in after) and "not checked: the kernel died earlier" in captured.out


def test_a_failing_setup_cell_is_named_on_every_row(root, capsys):
    _notebook(root / LES.exercise_notebook, setup="import no_such_module_for_the_course\n"
                                                  "from course.exercises import lesson00 as ex")
    assert cli.main(["check", "00"]) == 1
    out = capsys.readouterr().out
    assert "name 'ex' is not defined" not in out
    table = _table(out)
    assert all(ERROR in line for line in table.values())
    assert out.count("the setup cell (code cell 1") == len(table)
    assert "ModuleNotFoundError: No module named 'no_such_module_for_the_course'" in " ".join(out.split())  # the table wraps it


def test_progress_that_cannot_be_saved_is_reported(root, capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(progress.HOME_ENV, str(blocker / "home"))  # cannot be created
    sol = LES.exercises()
    _notebook(root / LES.exercise_notebook, {"euler_step": sol.get("euler_step").solution})
    assert cli.main(["check", "00"]) == 1
    out = capsys.readouterr().out
    assert PASSED in _table(out)["euler_step"]
    assert "your progress was not saved" in out


def test_answers_in_cells_without_course_metadata_are_still_collected(root, capsys):
    """A learner who deleted and re-created cells loses their metadata: the answer is collected at the end."""
    sol = LES.exercises()
    nb = notebook.build(LES)
    for cell in nb.cells:
        meta = cell.metadata["course"]
        if meta.get("exercise") == "euler_step" and meta["role"] in ("answer", "check"):
            if meta["role"] == "answer":
                cell.source = sol.get("euler_step").solution
            cell.metadata = {}
    nbformat.write(nb, str(root / LES.exercise_notebook))
    assert cli.main(["check", "00"]) == 1
    assert PASSED in _table(capsys.readouterr().out)["euler_step"]
