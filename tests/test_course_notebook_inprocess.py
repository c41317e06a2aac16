"""course.notebook in this process: the generated notebook's exact cells and metadata, `differences`'
messages, `write` and the maintainers' `python -m course.notebook` (execution stood in for where it is
not the point), and `execute`'s contract on one small notebook on a real kernel (seconds).  Cheap enough
for mutation testing of course/notebook.py (tools/mutate.py)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course import notebook, progress
from course.syllabus import LESSONS, lesson, lessons_with_exercises

LES = lesson("00")
EX = LES.exercises()


def test_the_generated_notebook_cell_by_cell():
    nb = notebook.build(LES)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata == {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "course": {"lesson": "00_welcome", "generated_by": "course.notebook", "solved": False}}
    cells = [(c.cell_type, c.id, c.metadata) for c in nb.cells]
    assert cells[:2] == [("markdown", "intro", {"course": {"role": "intro"}}), ("code", "setup", {"course": {"role": "setup"}})]
    assert nb.cells[0].source == f"# {EX.title}\n\n{EX.intro}".rstrip("\n")
    assert nb.cells[1].source == EX.setup.rstrip("\n")
    for k, e in enumerate(EX.exercises):
        task, answer, check = nb.cells[2 + 3 * k: 5 + 3 * k]
        assert (task.cell_type, task.id, task.metadata) == ("markdown", f"{e.id}-task",
                                                            {"course": {"role": "task", "exercise": e.id}})
        assert task.source == (f"## Exercise {k + 1}: {e.title}\n\n{e.prompt}\n\nStuck? `ex.hint(\"{e.id}\")` gives a "
                               f"hint (run it again for the next one); `ex.solution(\"{e.id}\")` shows the reference "
                               "solution.").rstrip("\n")
        assert (answer.cell_type, answer.id, answer.metadata) == (
            "code", f"{e.id}-answer", {"course": {"role": "answer", "exercise": e.id}, "tags": ["exercise-answer"]})
        assert answer.source == e.stub.rstrip("\n") and not answer.source.endswith("\n")
        assert (check.cell_type, check.id, check.source, check.metadata) == (
            "code", f"{e.id}-check", f"ex.check_{e.id}({e.id})", {"course": {"role": "check", "exercise": e.id}})
    outro, summary = nb.cells[-2:]
    assert (outro.cell_type, outro.id, outro.source, outro.metadata) == (
        "markdown", "outro", EX.outro.rstrip("\n"), {"course": {"role": "outro"}})
    assert (summary.cell_type, summary.id, summary.source, summary.metadata) == (
        "code", "summary", "ex.summary()", {"course": {"role": "summary"}})
    assert len(nb.cells) == 4 + 3 * len(EX.exercises)
    nbformat.validate(nb)


def test_the_solved_notebook_and_the_ways_to_name_a_lesson():
    solved = notebook.build("00", solved=True)
    assert solved.metadata["course"]["solved"] is True
    answers = [c.source for c in solved.cells if c.metadata["course"]["role"] == "answer"]
    assert answers == [e.solution.rstrip("\n") for e in EX.exercises]
    assert notebook.build(0) == notebook.build("welcome") == notebook.build(LES)  # byte-identical ids too


def test_a_lesson_without_an_outro_ends_with_the_summary(monkeypatch):
    ex = LES.exercises()
    monkeypatch.setattr(ex, "outro", "")
    monkeypatch.setattr(type(LES), "exercises", lambda self: ex)
    nb = notebook.build(LES)
    assert [c.id for c in nb.cells[-2:]] == [f"{EX.exercises[-1].id}-check", "summary"]


def _essence_differs(tmp_path, nb) -> list[str]:
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    return notebook.differences(path, LES)


def test_differences_name_each_kind_of_drift(tmp_path):
    assert _essence_differs(tmp_path, notebook.build(LES)) == []
    nb = notebook.build(LES)
    nb.cells[2].cell_type = "raw"
    nb.cells[3].id = "mine"
    nb.cells[4].source = "ex.check_euler_step(euler_step)  # again"
    nb.cells[5].metadata["course"]["role"] = "note"
    nb.cells[6].outputs = [nbformat.v4.new_output("stream", name="stdout", text="outputs are nbval's business")]
    assert _essence_differs(tmp_path, nb) == [
        "cell 2 (euler_step-task): cell type differ(s) from the generated notebook",
        "cell 3 (euler_step-answer): id differ(s) from the generated notebook",
        "cell 4 (euler_step-check): source differ(s) from the generated notebook",
        "cell 5 (exact_step-task): course metadata differ(s) from the generated notebook"]
    nb = notebook.build(LES)
    nb.cells[3].id, nb.cells[3].source = "x", "y"
    assert _essence_differs(tmp_path, nb) == ["cell 3 (euler_step-answer): id, source differ(s) from the generated notebook"]
    nb = notebook.build(LES)
    del nb.cells[-1].metadata["course"]
    assert _essence_differs(tmp_path, nb) == ["cell 27 (summary): course metadata differ(s) from the generated notebook"]


def test_differences_count_cells_and_read_the_notebook_metadata(tmp_path):
    nb = notebook.build(LES)
    n = len(nb.cells)
    nb.cells.append(new_code_cell("print('mine')"))
    assert _essence_differs(tmp_path, nb) == [f"{n + 1} cells, expected {n}"]
    nb = notebook.build(LES)
    nb.metadata["course"] = {"lesson": "01_spikes", "generated_by": "course.notebook", "solved": False}
    assert _essence_differs(tmp_path, nb) == [
        "notebook metadata 'course' is {'generated_by': 'course.notebook', 'lesson': '01_spikes', 'solved': False}, "
        "expected {'lesson': '00_welcome', 'generated_by': 'course.notebook', 'solved': False}"]
    del nb.metadata["course"]
    assert _essence_differs(tmp_path, nb)[0].startswith("notebook metadata 'course' is None, expected {")
    nb = notebook.build(LES)
    nb.cells.pop(0)
    diffs = _essence_differs(tmp_path, nb)
    assert diffs[0] == f"{n - 1} cells, expected {n}" and diffs[1].startswith("cell 0 (intro): id, cell type, source, ")
    assert notebook.differences(tmp_path / "nb.ipynb", "00") == notebook.differences(tmp_path / "nb.ipynb", 0) == diffs


@pytest.fixture
def executions(monkeypatch):
    """course.notebook.execute stood in for: records (cwd, env, quiet) and runs nothing."""
    calls = []

    def execute(nb, cwd, timeout=120, env=None, allow_errors=False, quiet=False, on_cell_start=None):
        calls.append({"cwd": Path(cwd), "env": env, "quiet": quiet, "home_exists": Path(env.get(progress.HOME_ENV, "/nonexistent")).is_dir()})
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
        nb.cells[1].execution_count = 1
        return nb

    monkeypatch.setattr(notebook, "execute", execute)
    return calls


def test_write_without_running(root, executions):
    target = root / "deep" / "folder" / "nb.ipynb"
    assert notebook.write(LES, target, run=False) == target
    assert nbformat.read(str(target), as_version=4) == notebook.build(LES) and executions == []
    # by default into its place in the course root
    assert notebook.write("00", run=False) == root / LES.exercise_notebook
    assert notebook.differences(root / LES.exercise_notebook, LES) == []


def test_write_runs_the_notebook_in_its_folder_with_a_throwaway_progress_home(root, executions, monkeypatch):
    monkeypatch.setenv("MY_VARIABLE", "kept")
    target = root / "nb.ipynb"
    notebook.write(LES, target)
    (call,) = executions
    assert call["cwd"] == root and call["quiet"] is True and call["home_exists"]
    assert call["env"]["MY_VARIABLE"] == "kept"
    home = Path(call["env"][progress.HOME_ENV])
    assert home.name.startswith("course-home-") and home != progress.course_home() and not home.exists()
    assert nbformat.read(str(target), as_version=4).cells[1].outputs[0]["text"] == "ran\n"  # stored executed
    mine = {"ONLY": "this"}
    notebook.write(LES, target, env=mine)
    assert executions[1]["env"] == mine


def test_write_refuses_an_invalid_notebook(root, monkeypatch):
    monkeypatch.setattr(notebook, "build", lambda les: new_notebook(cells=[{"cell_type": "nonsense"}]))
    with pytest.raises(nbformat.ValidationError):
        notebook.write(LES, root / "nb.ipynb", run=False)
    assert not (root / "nb.ipynb").exists()


def test_main_writes_the_lessons_named(root, capsys, monkeypatch):
    written = []
    monkeypatch.setattr(notebook, "write", lambda les, run=True: written.append((les.key, run)) or Path(les.key))
    assert notebook.main(["00", "3", "--no-run"]) == 0
    assert written == [("00_welcome", False), ("03_backprop", False)]
    assert capsys.readouterr().out == "wrote 00_welcome\nwrote 03_backprop\n"
    assert notebook.main(["all"]) == 0
    assert written[2:] == [(les.key, True) for les in lessons_with_exercises()] and len(written) == 2 + len(LESSONS)


def test_execute_runs_on_a_fresh_kernel_in_the_folder_with_the_environment(tmp_path):
    """One small notebook on a real kernel: the folder, the environment, errors kept when allowed, the cell
    reported before it runs, and the kernel's stderr discarded when quiet."""
    (tmp_path / "data.txt").write_text("from the folder")
    nb = new_notebook(cells=[
        new_markdown_cell("# text"),
        new_code_cell("import os, sys\nprint(open('data.txt').read(), os.environ['COURSE_TEST_VAR'])"),
        new_code_cell("1 / 0"),
        new_code_cell("print('after the error')"),
    ])
    started = []
    out = notebook.execute(nb, cwd=tmp_path, timeout=60, env={**os.environ, "COURSE_TEST_VAR": "given"},
                           allow_errors=True, quiet=True,
                           on_cell_start=lambda cell, cell_index, **kw: started.append(cell_index))
    assert out is nb
    assert nb.cells[1].outputs[0]["text"] == "from the folder given\n"
    assert nb.cells[2].outputs[0]["ename"] == "ZeroDivisionError"
    assert nb.cells[3].outputs[0]["text"] == "after the error\n"
    assert started == [0, 1, 2, 3]
    assert all("execution" not in c.metadata for c in nb.cells)  # no timings stored: regenerated notebooks stay identical
    with pytest.raises(Exception, match="ZeroDivisionError"):  # errors stop the run unless allowed
        notebook.execute(new_notebook(cells=[new_code_cell("1 / 0"), new_code_cell("x = 1")]), cwd=tmp_path)


def test_the_maintainers_command_explains_itself(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as stop:
        notebook.main(["--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert out.startswith("usage: python -m course.notebook [-h] [--no-run] lessons [lessons ...]\n\n"
                          "``python -m course.notebook LESSON...|all``: regenerate and execute committed notebooks.\n")
    assert "  lessons     lesson numbers or keys, or 'all'\n" in out and "  --no-run    write without executing\n" in out
    with pytest.raises(SystemExit):
        notebook.main([])  # at least one lesson


def test_execute_discards_the_kernel_process_stderr_only_when_quiet(tmp_path, capfd):
    """What the kernel process itself writes to its stderr (start-up chatter) reaches ours, unless quiet."""
    source = "import sys\nsys.__stderr__.write('KERNEL-PROCESS-STDERR\\n'); sys.__stderr__.flush()"
    for quiet, shown in ((None, True), (True, False)):
        nb = new_notebook(cells=[new_code_cell(source)])
        notebook.execute(nb, cwd=tmp_path, **({} if quiet is None else {"quiet": quiet}))
        assert ("KERNEL-PROCESS-STDERR" in capfd.readouterr().err) is shown


def test_execute_interrupts_a_cell_at_the_time_limit(tmp_path):
    nb = new_notebook(cells=[new_code_cell("import time\ntime.sleep(30)"), new_code_cell("print('next')")])
    notebook.execute(nb, cwd=tmp_path, timeout=2, allow_errors=True)
    assert nb.cells[0].outputs[-1]["ename"] == "KeyboardInterrupt"  # what course check reports as the time limit
    assert nb.cells[1].outputs[0]["text"] == "next\n"


def test_execute_uses_the_course_kernel_whatever_the_notebook_names(tmp_path):
    """A notebook saved under another kernel (a learner's conda environment) still runs on this environment's python3."""
    nb = new_notebook(cells=[new_code_cell("print('ran')")],
                      metadata={"kernelspec": {"name": "no-such-kernel", "display_name": "x", "language": "python"}})
    notebook.execute(nb, cwd=tmp_path)
    assert nb.cells[0].outputs[0]["text"] == "ran\n"


def test_cell_sources_lose_only_their_trailing_newlines(monkeypatch):
    ex = LES.exercises()
    monkeypatch.setattr(type(LES), "exercises", lambda self: ex)
    for setup in ("x = 1  # spaces kept  ", "Y = X"):  # (a name ending in X: not eaten by a wider strip)
        monkeypatch.setattr(ex, "setup", setup + "\n\n")
        assert notebook.build(LES).cells[1].source == setup


def test_execute_gives_the_client_the_time_limit_and_the_kernel_stderr_only_unless_quiet(tmp_path, monkeypatch):
    """nbclient's client stood in for: a cell's time limit is 120 s unless given (notebook.write regenerates the
    committed notebooks with it), and the kernel process's stderr is discarded exactly when quiet."""
    import subprocess

    import nbclient

    made = []

    class Client:
        def __init__(self, nb, **kw):
            made.append({"init": kw})

        def execute(self, **kw):
            made[-1]["execute"] = kw

    monkeypatch.setattr(nbclient, "NotebookClient", Client)
    notebook.execute(new_notebook(cells=[]), cwd=tmp_path, env={"A": "1"})
    notebook.execute(new_notebook(cells=[]), cwd=tmp_path, env={"A": "1"}, timeout=7, quiet=True)
    assert [m["init"]["timeout"] for m in made] == [120, 7]
    assert "stderr" not in made[0]["execute"] and made[1]["execute"]["stderr"] == subprocess.DEVNULL
    assert made[0]["execute"]["env"] == made[1]["execute"]["env"] == {"A": "1"}
