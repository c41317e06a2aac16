"""course.runner.run_checks without a Jupyter kernel: the notebook's cells run in this process through a
stand-in for course.notebook.execute, so every verdict, message and death of the kernel can be checked in
seconds (and mutation testing can measure the runner; a kernel per mutant costs 10-60 s here).  The
notebook-running tests (tests/test_course_cli.py, test_course_check_headless.py) check the same paths
through a real kernel in `make test`."""
from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell, new_output

from course import notebook, progress, runner
from course.answers import collector_source
from course.exercise import ERROR, NOT_YET, PASSED
from course.syllabus import lesson
from tests.learner_notebooks import learner_notebook

LES = lesson("00")
IDS = LES.exercises().ids
SOLUTION = LES.exercises().get("euler_step").solution
DEAD = "import os\nos._exit(3)"  # the stand-in kernel dies at a cell with this source


class InProcessKernel:
    """Stands in for course.notebook.execute: runs the code cells in order with ``exec`` in one namespace,
    with the kernel environment's COURSE_HOME / COURSE_RESULTS set, and records a raising cell's error as
    nbclient does (an "error" output with ename and evalue).  A cell whose source is DEAD (or, with
    ``die_at_start``, the start) raises DeadKernelError, as nbclient does when the kernel process ends."""

    def __init__(self, die_at_start: bool = False):
        self.calls: list[dict] = []
        self.die_at_start = die_at_start

    def __call__(self, nb, cwd, timeout=120, env=None, allow_errors=False, quiet=False, on_cell_start=None):
        self.calls.append({"cwd": Path(cwd), "timeout": timeout, "env": dict(env), "allow_errors": allow_errors,
                           "quiet": quiet})
        if self.die_at_start:
            raise DeadKernelError("Kernel died before replying to kernel_info")
        keys = (progress.HOME_ENV, progress.RESULTS_ENV)
        saved = {k: os.environ.get(k) for k in keys}
        os.environ.update({k: env[k] for k in keys if k in env})
        namespace = {"__name__": "__main__"}
        try:
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if on_cell_start is not None:
                    on_cell_start(cell=cell, cell_index=i)
                if cell.source == DEAD:
                    raise DeadKernelError("Kernel died")
                try:
                    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                        exec(compile(cell.source, f"<cell {i}>", "exec"), namespace)
                except BaseException as exc:  # noqa: BLE001 - a kernel records whatever a cell raises
                    cell.outputs = [new_output("error", ename=type(exc).__name__, evalue=str(exc), traceback=[])]
                    if not allow_errors:
                        raise RuntimeError(f"cell {i} raised {exc!r}") from exc
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return nb


@pytest.fixture
def kernel(monkeypatch):
    k = InProcessKernel()
    monkeypatch.setattr(runner, "execute", k)
    return k


def _write(path: Path, answers: dict[str, str] | None = None, setup: str | None = None, drop: tuple = (),
           insert: dict[int, str] | None = None) -> Path:
    """Lesson 00's notebook as a learner left it (tests/learner_notebooks.py)."""
    return learner_notebook(LES, path, answers, setup, drop, insert)


def _cell_index(exercise: str, role: str) -> int:
    return next(i for i, c in enumerate(notebook.build(LES).cells)
                if c.metadata["course"] == {"role": role, "exercise": exercise})


def _rows(path, **kw) -> dict[str, runner.Row]:
    rows = runner.run_checks(LES, path, **kw)
    assert [r.exercise for r in rows] == IDS  # one row per exercise, in order, whatever happened
    return {r.exercise: r for r in rows}


def test_verdicts_are_computed_here_and_recorded_under_the_given_home(tmp_path, kernel):
    path = _write(tmp_path / "nb.ipynb", {
        "euler_step": SOLUTION,
        "exact_step": "def exact_step(v, J, dt, tau_rc):\n    return v + (J - v) * np.exp(-dt / tau_rc)",
        "rheobase": "x = 1 / 0\ndef rheobase(v_th, v_rest, v_reset):\n    return 0.015",
    })
    before = path.read_bytes()
    home = tmp_path / "learner-home"
    rows = _rows(path, env={**os.environ, progress.HOME_ENV: str(home)})
    assert rows["euler_step"] == runner.Row("euler_step", PASSED, "")
    assert rows["exact_step"].status == NOT_YET and "1 - exp(-dt/tau_rc)" in rows["exact_step"].message
    assert rows["rheobase"] == runner.Row("rheobase", ERROR, "your code cell failed: ZeroDivisionError: division by zero")
    assert rows["J_100Hz"].status == NOT_YET and "not yet solved" in rows["J_100Hz"].message
    assert path.read_bytes() == before  # the learner's file is never modified
    recorded = json.loads((home / "progress.json").read_text())[LES.key]
    # recorded by this process under the env's home; the untouched stubs and the error without an answer are not
    assert {k: v["status"] for k, v in recorded.items()} == {"euler_step": PASSED, "exact_step": NOT_YET}
    assert not progress.progress_path().exists()  # not under this process's own COURSE_HOME


def test_nothing_is_recorded_without_record(tmp_path, kernel):
    home = tmp_path / "learner-home"
    rows = runner.run_checks(LES, _write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}),
                             env={**os.environ, progress.HOME_ENV: str(home)}, record=False)
    assert rows[0].status == PASSED and rows.progress_problem is None
    assert not home.exists()


def test_without_env_the_verdicts_go_to_this_process_home(tmp_path, kernel):
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}))
    assert rows["euler_step"].status == PASSED
    assert progress.load()[LES.key]["euler_step"]["status"] == PASSED


def test_progress_that_cannot_be_saved_is_reported(tmp_path, kernel):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    rows = runner.run_checks(LES, _write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}),
                             env={**os.environ, progress.HOME_ENV: str(blocker / "home")})
    assert rows.progress_problem.startswith("your progress was not saved (")
    assert rows.progress_problem.endswith(f"set {progress.HOME_ENV} to a writable folder")


def test_the_kernel_runs_in_the_notebook_folder_with_a_throwaway_home(tmp_path, kernel):
    path = _write(tmp_path / "nb.ipynb")
    runner.run_checks(LES, path, env={**os.environ, "MY_VARIABLE": "kept", progress.HOME_ENV: str(tmp_path / "h")})
    runner.run_checks(LES, path, cell_timeout=2.5)
    first, second = kernel.calls
    assert first["cwd"] == tmp_path and first["allow_errors"] is True and first["quiet"] is True
    assert first["timeout"] == LES.budget_s == 60 and second["timeout"] == 2.5
    env = first["env"]
    assert env["MY_VARIABLE"] == "kept"
    home, results = Path(env[progress.HOME_ENV]), Path(env[progress.RESULTS_ENV])
    assert home.name == "kernel-home" and results.name == "results.jsonl" and home.parent == results.parent
    assert home.parent.name.startswith("course-check-") and not home.parent.exists()  # removed afterwards


def test_a_failing_setup_cell_is_named_on_every_row(tmp_path, kernel):
    path = _write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION},
                  setup="import no_such_module_for_the_course\nfrom course.exercises import lesson00 as ex")
    rows = _rows(path)
    why = ("the setup cell (code cell 1: imports and `ex = ...`) failed, so nothing could be checked: "
           "ModuleNotFoundError: No module named 'no_such_module_for_the_course'. Fix that cell, or `course reset` "
           "restores it (your copy is kept).")
    assert all(r == runner.Row(r.exercise, ERROR, why) for r in rows.values())
    # counted among the learner's code cells: one of their own before it makes the setup code cell 2
    rows = _rows(_write(tmp_path / "nb.ipynb", setup="import no_such_module_for_the_course", insert={1: "x = 1"}))
    assert rows["euler_step"].message.startswith("the setup cell (code cell 2: ")


def test_a_cell_interrupted_at_the_time_limit_is_named_with_the_limit(tmp_path, kernel):
    # nbclient interrupts a cell at the limit: the cell's error output is a KeyboardInterrupt
    path = _write(tmp_path / "nb.ipynb", {"euler_step": "raise KeyboardInterrupt"})
    assert _rows(path, cell_timeout=2.5)["euler_step"].message == (
        "your code cell failed: it ran longer than 2.5 s and was interrupted (a loop that never ends?)")
    assert _rows(path, cell_timeout=3)["exact_step"].status == NOT_YET  # the rest of the notebook still ran


def test_colour_codes_are_removed_from_an_error(tmp_path, kernel):
    path = _write(tmp_path / "nb.ipynb", {"euler_step": "raise ValueError('\\x1b[31mred\\x1b[0m and \\x1b[1;32mgreen')"})
    assert _rows(path)["euler_step"].message == "your code cell failed: ValueError: red and green"


def test_a_deleted_exercise_is_reported_as_not_defined(tmp_path, kernel):
    rows = _rows(_write(tmp_path / "nb.ipynb", {"exact_step": SOLUTION.replace("euler", "exact")}, drop=("euler_step",)))
    assert rows["euler_step"] == runner.Row("euler_step", ERROR, (
        "euler_step is not defined in the notebook (was its cell deleted? `course reset` restores it)"))
    assert rows["rheobase"].status == NOT_YET


def test_a_deleted_exercise_after_a_failing_cell_names_that_cell(tmp_path, kernel):
    # code cells: 1 setup, 2 the learner's own (fails), then the exercises (euler_step's deleted)
    rows = _rows(_write(tmp_path / "nb.ipynb", drop=("euler_step",), insert={2: "x = 1\n1 / 0"}))
    assert rows["euler_step"].message == ("euler_step was never defined; code cell 2 failed first: "
                                          "ZeroDivisionError: division by zero")
    # the first failure was the time limit (nbclient's interrupt): said with the limit
    rows = _rows(_write(tmp_path / "nb.ipynb", drop=("euler_step",), insert={2: "raise KeyboardInterrupt"}), cell_timeout=3)
    assert rows["euler_step"].message == ("euler_step was never defined; code cell 2 failed first: it ran longer than "
                                          "3 s and was interrupted (a loop that never ends?)")


def test_answers_without_course_metadata_are_collected_at_the_end(tmp_path, kernel):
    nb = notebook.build(LES)
    for cell in nb.cells:
        meta = cell.metadata["course"]
        if meta.get("exercise") == "euler_step" and meta["role"] in ("answer", "check"):
            if meta["role"] == "answer":
                cell.source = SOLUTION
            cell.metadata = {}
    nbformat.write(nb, str(tmp_path / "nb.ipynb"))
    assert _rows(tmp_path / "nb.ipynb")["euler_step"].status == PASSED


def test_collectors_follow_each_exercise_and_the_unanchored_go_last():
    nb = notebook.build(LES)
    for cell in nb.cells:
        if cell.metadata["course"].get("exercise") == "rheobase":
            cell.metadata = {}
    spec = runner._spec(LES)
    out = runner._with_collectors(nb, spec, "/tmp/answers.jsonl")
    collectors = [(i, c.metadata["course"]) for i, c in enumerate(out.cells)
                  if c.metadata.get("course", {}).get("role") == "collect"]
    anchored = [e for e in IDS if e != "rheobase"]
    assert [m for _, m in collectors] == [{"role": "collect", "exercise": e} for e in anchored] + [{"role": "collect"}]
    for (i, meta), e in zip(collectors, anchored):  # right after the exercise's check cell
        assert out.cells[i - 1].metadata["course"] == {"role": "check", "exercise": e}
    assert collectors[-1][0] == len(out.cells) - 1
    assert out.cells[-1].source == collector_source([s for s in spec if s["id"] == "rheobase"], "/tmp/answers.jsonl")
    assert len(nb.cells) == len(out.cells) - len(collectors)  # the learner's notebook object is not changed
    # without a check cell, the collector follows the answer cell
    nb = notebook.build(LES)
    nb.cells = [c for c in nb.cells if c.metadata["course"] != {"role": "check", "exercise": "euler_step"}]
    out = runner._with_collectors(nb, spec, "/tmp/answers.jsonl")
    at = next(i for i, c in enumerate(out.cells) if c.metadata["course"] == {"role": "collect", "exercise": "euler_step"})
    assert out.cells[at - 1].metadata["course"] == {"role": "answer", "exercise": "euler_step"}


def test_the_spec_sends_each_exercise_its_cases_names_and_limit():
    spec = runner._spec(LES)
    for s, e in zip(spec, LES.exercises().exercises):
        assert s == {"id": e.id, "kind": e.kind, "cases": list(e.cases), "arg_names": e.arg_names, "timeout": e.timeout}
    assert [s["id"] for s in spec] == IDS


def test_a_kernel_that_dies_in_an_exercise_still_gives_the_table(tmp_path, kernel):
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION, "rheobase": DEAD}))
    assert rows["euler_step"].status == PASSED and rows["exact_step"].status == NOT_YET
    assert rows["rheobase"] == runner.Row("rheobase", ERROR, (
        "the notebook's kernel died while running rheobase (the code ended the Python process: os._exit, a crash "
        "in compiled code, or memory exhausted); nothing after it could run."))
    for e in IDS[IDS.index("rheobase") + 1:]:
        assert rows[e] == runner.Row(e, ERROR, "not checked: the kernel died earlier (while running rheobase).")


def test_a_kernel_that_dies_in_the_setup_cell_or_while_starting(tmp_path, kernel, monkeypatch):
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}, setup=DEAD))
    assert rows["euler_step"].message.startswith("the notebook's kernel died in the setup cell (")
    assert rows["exact_step"].message == "not checked: the kernel died earlier (in the setup cell)."
    monkeypatch.setattr(runner, "execute", InProcessKernel(die_at_start=True))
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}))
    assert rows["euler_step"].message.startswith("the notebook's kernel died while starting (")
    assert rows["J_100Hz"].message == "not checked: the kernel died earlier (while starting)."


def test_a_kernel_that_dies_in_a_cell_of_the_learners_own(tmp_path, kernel):
    # code cells: 1 setup, 2-3 euler_step's answer and check, 4 the learner's own, which ends the kernel
    at = _cell_index("euler_step", "check") + 1
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}, insert={at: DEAD}))
    assert rows["euler_step"].status == PASSED  # collected before the kernel died
    assert rows["exact_step"].message.startswith("the notebook's kernel died in code cell 4, before exact_step (")
    assert rows["rheobase"].message == "not checked: the kernel died earlier (in code cell 4, before exact_step)."
    # right before an exercise's answer cell (a code cell): still counted up to the cell that died
    rows = _rows(_write(tmp_path / "nb.ipynb", insert={_cell_index("euler_step", "answer"): DEAD}))
    assert rows["euler_step"].message.startswith("the notebook's kernel died in code cell 2, before euler_step (")
    # after the last exercise: every verdict was collected
    nb_cells = len(notebook.build(LES).cells)
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}, insert={nb_cells: DEAD}))
    assert rows["euler_step"].status == PASSED and all(r.status == NOT_YET for e, r in rows.items() if e != "euler_step")


def test_where_the_kernel_died():
    nb = runner._with_collectors(notebook.build(LES), runner._spec(LES), "/tmp/a.jsonl")
    learner = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.metadata["course"]["role"] != "collect"]
    nb.cells.append(new_code_cell("print('my own')"))
    last_code = sum(c.cell_type == "code" and c.metadata.get("course", {}).get("role") != "collect" for c in nb.cells)
    assert runner._where_died(nb, None, IDS) == (0, "while starting")
    assert runner._where_died(nb, len(nb.cells), IDS) == (0, "while starting")
    assert runner._where_died(nb, learner[0], IDS) == (0, "in the setup cell")
    answer = next(i for i, c in enumerate(nb.cells) if c.get("id") == "rheobase-answer")
    assert runner._where_died(nb, answer, IDS) == (IDS.index("rheobase"), "while running rheobase")
    assert runner._where_died(nb, len(nb.cells) - 1, IDS) == (len(IDS), f"in code cell {last_code}, after the last exercise")


def test_answers_file_keeps_the_last_well_formed_record_of_each_exercise(tmp_path):
    path = tmp_path / "answers.jsonl"
    assert runner._read_answers(path) == {}
    path.write_text("\n".join([
        json.dumps({"exercise": "a", "n": 1}), "not json", json.dumps(["a list"]), json.dumps({"exercise": 3}),
        json.dumps({"no": "exercise"}), json.dumps({"exercise": "b", "n": 2}), json.dumps({"exercise": "a", "n": 3}),
        json.dumps({"exercise": "c", "n": "\u00e9"}, ensure_ascii=False),
    ]), encoding="utf-8")
    assert runner._read_answers(path) == {"a": {"exercise": "a", "n": 3}, "b": {"exercise": "b", "n": 2},
                                          "c": {"exercise": "c", "n": "\u00e9"}}
    path.write_bytes(b'{"exercise": "d", "n": "\xff"}\n')  # not UTF-8: read with a replacement character
    assert runner._read_answers(path) == {"d": {"exercise": "d", "n": "\ufffd"}}


def test_an_unusable_record_gives_no_verdict():
    exercise = LES.exercises().get("euler_step")
    assert runner._judge(exercise, {"exercise": "euler_step", "missing": True}) is None
    # "missing" wins over anything else a record says (the notebook can write to the answers file)
    stub = {"status": "stub"}
    assert runner._judge(exercise, {"exercise": "euler_step", "call": stub}).status == NOT_YET
    assert runner._judge(exercise, {"exercise": "euler_step", "missing": True, "call": stub}) is None
    assert runner._judge(exercise, {"exercise": "euler_step", "status": "ok", "values": "garbage"}) is None
    assert runner._judge(exercise, {"exercise": "euler_step"}) is None


def _num(x: float) -> dict:
    return {"t": "array", "shape": [], "data": x, "scalar": True}


def test_a_forged_ok_record_without_its_values_gives_no_verdict():
    """A cell of the notebook can append to the answers file; an "ok" record with no values (or too few) once
    passed every exercise, as there was nothing to compare."""
    euler, j100 = LES.exercises().get("euler_step"), LES.exercises().get("J_100Hz")
    assert runner._judge(euler, {"exercise": "euler_step", "call": {"status": "ok", "values": []}}) is None
    n = len(euler.cases)
    assert runner._judge(euler, {"exercise": "euler_step", "call": {"status": "ok", "values": [_num(1.0)] * (n - 1)}}) is None
    assert runner._judge(euler, {"exercise": "euler_step", "call": {"status": "ok", "values": [_num(1.0)] * n}}).status == NOT_YET
    assert runner._judge(j100, {"exercise": "J_100Hz", "value": {"status": "ok", "values": []}}) is None
    assert runner._judge(j100, {"exercise": "J_100Hz", "value": {"status": "ok", "values": [_num(1.0)] * 2}}) is None
    assert runner._judge(j100, {"exercise": "J_100Hz", "value": {"status": "ok", "values": [_num(1.0)]}}).status == NOT_YET
    # a function exercise answered with a value: one value
    assert runner._judge(euler, {"exercise": "euler_step", "value": {"status": "ok", "values": [_num(1.0)]}}).status == NOT_YET
    # a value that is not a value record at all
    assert runner._judge(j100, {"exercise": "J_100Hz", "value": {"status": "ok", "values": [1.0]}}) is None


def test_a_missing_or_unreadable_notebook_is_a_clear_error(tmp_path, kernel):
    path = tmp_path / "nb.ipynb"
    with pytest.raises(FileNotFoundError) as err:
        runner.run_checks(LES, path)
    assert str(err.value) == f"no exercise notebook at {path}; `course reset 00` creates it"
    path.write_text("{not a notebook")
    with pytest.raises(ValueError) as err:
        runner.run_checks(LES, path)
    assert str(err.value).startswith(f"{path} is not a readable notebook (")
    assert str(err.value).endswith("); `course reset` restores the original (your file is kept in exercises/.backup/)")
    assert kernel.calls == []


def test_cells_are_numbered_among_the_learners_own_code_cells(tmp_path, kernel):
    # code cells: 1 setup, 2-3 euler_step's, 4 the learner's own (fails); exact_step's deleted. The collector
    # cell after euler_step's check is not the learner's and is not counted
    at = _cell_index("euler_step", "check") + 1
    rows = _rows(_write(tmp_path / "nb.ipynb", drop=("exact_step",), insert={at: "1 / 0"}))
    assert rows["exact_step"].message == ("exact_step was never defined; code cell 4 failed first: "
                                          "ZeroDivisionError: division by zero")


def test_a_setup_cell_stopped_at_the_time_limit(tmp_path, kernel):
    rows = _rows(_write(tmp_path / "nb.ipynb", setup="raise KeyboardInterrupt"), cell_timeout=3)
    assert rows["euler_step"].message == (
        "the setup cell (code cell 1: imports and `ex = ...`) failed, so nothing could be checked: it ran longer "
        "than 3 s and was interrupted (a loop that never ends?). Fix that cell, or `course reset` restores it "
        "(your copy is kept).")


def test_a_value_answer_that_raised_gives_its_error():
    j100 = LES.exercises().get("J_100Hz")
    got = runner._judge(j100, {"exercise": "J_100Hz", "value": {"status": "error", "message": "ValueError: boom"}})
    assert (got.status, got.message) == (ERROR, "ValueError: boom")


def test_a_notebook_that_ends_with_an_exercise_is_not_taken_for_a_dead_kernel(tmp_path, kernel):
    """Without its summary cell the last cell run is the last exercise's collector: the kernel did not die there."""
    nb = notebook.build(LES)
    nb.cells = [c for c in nb.cells if c.metadata["course"]["role"] not in ("summary", "outro")]
    nbformat.write(nb, str(tmp_path / "nb.ipynb"))
    rows = _rows(tmp_path / "nb.ipynb")
    assert all(r.status == NOT_YET for r in rows.values())  # every stub judged, none "kernel died"


def test_cells_with_odd_course_metadata_are_the_learners_own(tmp_path, kernel):
    """Metadata is the learner's to edit: a "course" entry that is not a mapping, or an answer cell of an exercise
    this lesson does not have (copied from another lesson), is an ordinary cell, not an internal error."""
    nb = notebook.build(LES)
    nb.cells[_cell_index("euler_step", "answer")].source = SOLUTION
    nb.cells.insert(2, new_code_cell("x = 1", metadata={"course": "my notes"}))
    nb.cells.insert(2, new_code_cell("y = 2", metadata={"course": {"role": "answer", "exercise": "from_lesson_05"}}))
    nbformat.write(nb, str(tmp_path / "nb.ipynb"))
    rows = _rows(tmp_path / "nb.ipynb")
    assert rows["euler_step"].status == PASSED and rows["exact_step"].status == NOT_YET


def test_a_notebook_that_erases_the_answers_gets_no_verdict_and_no_internal_error(tmp_path, kernel):
    """The answers file is in reach of the notebook: a last cell that empties it leaves every exercise without a
    record, each row an error (nothing passes), and the check itself does not fail."""
    erase = ("import os, pathlib\n"
             "for p in pathlib.Path(os.environ['COURSE_RESULTS']).parent.glob('*.jsonl'):\n"
             "    if p.name != 'results.jsonl':\n"
             "        p.write_text('')")
    nb_cells = len(notebook.build(LES).cells)
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION}, insert={nb_cells: erase}))
    assert all(r.status == ERROR for r in rows.values()), rows


def test_recorded_verdicts_keep_their_message_and_a_missing_home_is_this_process_home(tmp_path, kernel, monkeypatch):
    """Each verdict goes to COURSE_RESULTS with its diagnosis; an environment without COURSE_HOME records progress
    under this process's own home."""
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(progress.RESULTS_ENV, str(results))
    env = {k: v for k, v in os.environ.items() if k != progress.HOME_ENV}
    wrong = "def exact_step(v, J, dt, tau_rc):\n    return v + (J - v) * np.exp(-dt / tau_rc)"
    rows = _rows(_write(tmp_path / "nb.ipynb", {"euler_step": SOLUTION, "exact_step": wrong}), env=env)
    recorded = {r["exercise"]: r for r in map(json.loads, results.read_text().splitlines())}
    assert recorded["exact_step"]["message"] == rows["exact_step"].message and "1 - exp(-dt/tau_rc)" in rows["exact_step"].message
    assert recorded["euler_step"]["status"] == PASSED
    assert progress.load()[LES.key]["euler_step"]["status"] == PASSED
