"""The ``course`` command's own logic, in this process and without a kernel: the list's exact lines, the
check table (run_checks replaced by a stand-in that returns given rows: tests/test_course_cli.py runs the
real thing on a kernel), exit statuses and messages, and reset's backup and restore (the notebook written
without executing it).  Cheap enough for mutation testing of course/cli.py (tools/mutate.py)."""
from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest

from course import cli, notebook, progress, runner
from course.exercise import ERROR, NOT_YET, PASSED
from course.syllabus import LESSONS, lesson

LES = lesson("00")
IDS = LES.exercises().ids


# -- course list -----------------------------------------------------------------------------------------------

def _list(root, capsys) -> list[str]:
    assert cli.main(["list"]) == 0
    return capsys.readouterr().out.splitlines()


def test_list_prints_the_root_each_lesson_and_each_exercise(root, capsys):
    progress.record(LES.key, "euler_step", PASSED)
    progress.record(LES.key, "rheobase", PASSED)
    progress.record(LES.key, "rheobase", NOT_YET)
    progress.record(LES.key, "lif_rate", ERROR)
    lines = _list(root, capsys)
    assert lines[0] == f"Course root: {root}    progress: {progress.progress_path()}"
    head = f"{LES.key:<22} {LES.title:<34}"
    assert lines[1] == (f"{head} exercises: 1/{len(IDS)} passed (no exercises/00_welcome.ipynb: course reset 00)"
                        "; lesson: not written yet")
    assert lines[2:2 + len(IDS)] == [
        "    \u2714 euler_step     passed", "    \u00b7 exact_step     not started",
        "    \u2718 rheobase       not yet (passed before)", "    \u26a0 lif_rate       error",
        *[f"    \u00b7 {e:<14} not started" for e in IDS[4:]]]
    keys = [ln.split()[0] for ln in lines[1:] if not ln.startswith("    ")]
    assert keys == [les.key for les in LESSONS]
    assert len(lines) == 1 + len(LESSONS) + sum(len(les.exercises().ids) for les in LESSONS)


def test_list_notes_only_the_notebooks_that_are_missing(root, capsys):
    nbformat.write(notebook.build(LES), str(root / LES.exercise_notebook))
    (root / LES.lesson_notebook).parent.mkdir(parents=True)
    (root / LES.lesson_notebook).write_text("{}")
    line = _list(root, capsys)[1]
    assert line == f"{LES.key:<22} {LES.title:<34} exercises: 0/{len(IDS)} passed"


def test_list_of_a_lesson_whose_exercises_are_not_written(root, capsys, monkeypatch):
    monkeypatch.setattr(type(LES), "has_exercises", lambda self: self.number != 0)
    lines = _list(root, capsys)
    assert lines[1] == f"{LES.key:<22} {LES.title:<34} exercises: not written yet; lesson: not written yet"
    assert lines[2].startswith("01_spikes")  # no exercise lines under it
    (root / LES.lesson_notebook).parent.mkdir(parents=True)
    (root / LES.lesson_notebook).write_text("{}")
    assert _list(root, capsys)[1] == f"{LES.key:<22} {LES.title:<34} exercises: not written yet"


# -- course check (run_checks replaced: the table and exit status are cli's) ------------------------------------

class FakeChecks:
    """Stands in for course.runner.run_checks: returns ``rows`` (a Rows list) and records each call."""

    def __init__(self, statuses: dict[str, tuple[str, str]] | None = None, problem: str | None = None):
        self.statuses, self.problem, self.calls = statuses or {}, problem, []

    def __call__(self, les, path, cell_timeout=None):
        self.calls.append((les.key, Path(path), cell_timeout))
        rows = runner.Rows(runner.Row(e.id, *self.statuses.get(e.id, (PASSED, ""))) for e in les.exercises().exercises)
        rows.progress_problem = self.problem
        return rows


@pytest.fixture
def fake_checks(monkeypatch):
    def install(**kw):
        fake = FakeChecks(**kw)
        monkeypatch.setattr(runner, "run_checks", fake)
        return fake
    return install


def test_check_prints_a_table_with_each_diagnosis_wrapped_under_its_row(root, capsys, fake_checks):
    long = "your value is   far too large " + "word " * 30
    fake = fake_checks(statuses={"exact_step": (NOT_YET, long), "rheobase": (ERROR, "it raised")})
    assert cli.main(["check", "00"]) == 1  # not all passed
    out = capsys.readouterr().out.splitlines()
    width = max(len(e) for e in IDS)
    assert out[0] == "Checking exercises/00_welcome.ipynb on a fresh kernel (takes a few seconds)..."
    assert out[1] == f"  {'exercise':<{width}}  verdict"
    assert out[2] == f"  {'euler_step':<{width}}  \u2714 passed"
    assert out[3] == f"  {'exact_step':<{width}}  \u2718 not yet"
    wrapped = out[4:out.index(f"  {'rheobase':<{width}}  \u26a0 error")]
    indent = " " * (width + 6)
    # at the indentation, filled to 100 characters (the first line is full to within a word of 5)
    assert all(ln.startswith(indent) and ln[len(indent)] != " " and len(ln) <= 100 for ln in wrapped)
    assert len(wrapped) > 1 and len(wrapped[0]) > 100 - 6
    assert " ".join(ln.strip() for ln in wrapped) == " ".join(long.split())
    assert f"{indent}it raised" in out
    assert out[-1] == f"  {len(IDS) - 2} passed, 1 not yet, 1 error"
    assert fake.calls == [(LES.key, root / LES.exercise_notebook, LES.budget_s)]  # the lesson's budget by default


def test_check_passes_the_cell_timeout_and_exits_0_when_all_passed(root, capsys, fake_checks):
    fake = fake_checks()
    assert cli.main(["check", "welcome", "--cell-timeout", "2.5"]) == 0
    assert fake.calls == [(LES.key, root / LES.exercise_notebook, 2.5)]
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"  {len(IDS)} passed, 0 not yet, 0 error" and "\u26a0" not in out


def test_check_reports_progress_that_was_not_saved(root, capsys, fake_checks):
    fake_checks(problem="your progress was not saved (Permission denied at /x)")
    assert cli.main(["check", "00"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "  \u26a0 your progress was not saved (Permission denied at /x)."


def test_check_without_a_lesson_runs_every_notebook_that_exists(root, capsys, fake_checks):
    fake = fake_checks(statuses={"euler_step": (NOT_YET, "")})
    assert cli.main(["check"]) == 1
    assert "No exercise notebooks under" in capsys.readouterr().out and fake.calls == []
    two = [les for les in LESSONS if les.number in (1, 3)]
    for les in two:
        (root / les.exercise_notebook).write_text("{}")
    assert cli.main(["check"]) == 0  # lesson 00's failing row is not among them
    assert [c[0] for c in fake.calls] == [les.key for les in two]
    (root / LES.exercise_notebook).write_text("{}")
    assert cli.main(["check"]) == 1
    assert [c[0] for c in fake.calls[2:]] == [LES.key] + [les.key for les in two]


def test_check_with_no_notebooks_says_how_to_create_one(root, capsys):
    assert cli.cmd_check(root, None, None) == 1
    assert capsys.readouterr().out == (f"No exercise notebooks under {root / 'exercises'}; `course reset 00` creates "
                                       "the first one.\n")


# -- exit statuses and messages ---------------------------------------------------------------------------------

def test_errors_are_one_line_on_stderr_with_their_exit_status(root, capsys, monkeypatch):
    assert cli.main(["check", "12"]) == 2
    assert capsys.readouterr().err.startswith("course check: unknown lesson '12'; choose one of: 00 (welcome)")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_list", interrupted)
    assert cli.main(["list"]) == 130
    assert capsys.readouterr().err == "course list: interrupted\n"

    def internal(*a, **k):
        raise KeyError("x")

    monkeypatch.setattr(cli, "cmd_list", internal)
    assert cli.main(["list"]) == 3
    assert capsys.readouterr().err == ("course list: internal error (KeyError: 'x'); please report it to the course "
                                       "maintainers.\n")
    for exc in (FileNotFoundError("no such file"), OSError("disk full")):
        def failing(*a, exc=exc, **k):
            raise exc
        monkeypatch.setattr(cli, "cmd_list", failing)
        assert cli.main(["list"]) == 2
        assert capsys.readouterr().err == f"course list: {exc}\n"


def test_root_option_and_environment(root, tmp_path, capsys, monkeypatch):
    other = tmp_path / "other"
    (other / "exercises").mkdir(parents=True)
    assert cli.main(["--root", str(other), "list"]) == 0
    assert capsys.readouterr().out.startswith(f"Course root: {other.resolve()}    ")
    monkeypatch.setenv("COURSE_ROOT", str(other))
    assert cli.main(["list"]) == 0
    assert capsys.readouterr().out.startswith(f"Course root: {other.resolve()}    ")


def test_export_is_dispatched_to_the_registered_command(root, monkeypatch):
    seen = []
    from course import export_nbgrader

    def register(sub):
        p = sub.add_parser("export")
        p.add_argument("what")
        p.set_defaults(run=lambda args, r: seen.append((args.what, r)) or 7)

    monkeypatch.setattr(export_nbgrader, "register", register)
    assert cli.main(["export", "nbgrader"]) == 7 and seen == [("nbgrader", root.resolve())]


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([])
    assert stop.value.code == 2 and "the following arguments are required: command" in capsys.readouterr().err


# -- course reset -------------------------------------------------------------------------------------------------

def _edited(path: Path) -> bytes:
    nb = notebook.build(LES)
    nb.cells[3].source = "def euler_step(v, J, dt, tau_rc):\n    return 42  # my work"
    nbformat.write(nb, str(path))
    return path.read_bytes()


@pytest.fixture
def writes(monkeypatch):
    """course.notebook.write without a kernel: the notebook as generated; records each ``run`` flag."""
    calls = []
    real = notebook.write

    def write(les, path=None, run=True, env=None):
        calls.append(run)
        return real(les, path, run=False)

    monkeypatch.setattr(notebook, "write", write)
    return calls


def test_reset_saves_an_edited_notebook_then_restores_it(root, capsys, writes):
    path = root / LES.exercise_notebook
    mine = _edited(path)
    assert cli.main(["reset", "00"]) == 0
    out = capsys.readouterr().out.splitlines()
    backups = list((root / "exercises" / ".backup").iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == mine
    assert out == [f"Saved your copy as {backups[0].relative_to(root)}",
                   "Restoring exercises/00_welcome.ipynb (running it on a fresh kernel, a few seconds)...",
                   "Restored exercises/00_welcome.ipynb to its original."]
    assert writes == [True] and notebook.differences(path, LES) == []
    assert sorted(p.name for p in (root / "exercises").iterdir()) == [".backup", "00_welcome.ipynb"]  # no temporary left


def test_reset_without_run_and_of_an_unedited_notebook(root, capsys, writes):
    path = root / LES.exercise_notebook
    nbformat.write(notebook.build(LES), str(path))
    assert cli.main(["reset", "00", "--no-run"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "exercises/00_welcome.ipynb has no edits of yours (same cells as the original): no backup needed.",
        "Restored exercises/00_welcome.ipynb to its original (without outputs: run it from the top)."]
    assert writes == [False] and not (root / "exercises" / ".backup").exists()


def test_reset_of_a_lesson_without_exercises(root, capsys, monkeypatch):
    monkeypatch.setattr(type(LES), "has_exercises", lambda self: False)
    assert cli.main(["reset", "00"]) == 2
    assert capsys.readouterr().err == "course reset: lesson 00_welcome has no exercises yet\n"


def test_a_reset_whose_writing_fails_leaves_the_notebook_and_no_temporary(root, monkeypatch):
    path = root / LES.exercise_notebook
    nbformat.write(notebook.build(LES), str(path))
    before = path.read_bytes()

    def broken(les, path=None, run=True, env=None):
        Path(path).write_text("half a notebook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(notebook, "write", broken)
    with pytest.raises(OSError):
        cli.cmd_reset(root, "00", run=False)
    assert path.read_bytes() == before
    assert sorted(p.name for p in (root / "exercises").iterdir()) == ["00_welcome.ipynb"]


def test_a_damaged_notebook_counts_as_edited_and_is_saved(root, capsys, writes):
    path = root / LES.exercise_notebook
    path.write_text("{ damaged")
    assert cli._edited(path, LES, notebook.differences) is True
    assert cli.main(["reset", "00", "--no-run"]) == 0
    backup = next((root / "exercises" / ".backup").iterdir())
    assert backup.read_text() == "{ damaged"
    assert cli._edited(path, LES, lambda p, les: []) is False
    assert cli._edited(path, LES, lambda p, les: ["cell 3 differs"]) is True


def test_backup_path_is_named_by_lesson_and_local_time_and_never_reused(root):
    now = time.mktime((2026, 3, 4, 5, 6, 7, 0, 0, -1))
    folder = root / "exercises" / ".backup"
    first = cli.backup_path(root, LES, now=now)
    assert first == folder / "00_welcome-20260304-050607.ipynb"
    folder.mkdir(parents=True)
    first.write_text("{}")
    second = cli.backup_path(root, LES, now=now)
    assert second == folder / "00_welcome-20260304-050607-1.ipynb"
    second.write_text("{}")
    assert cli.backup_path(root, LES, now=now) == folder / "00_welcome-20260304-050607-2.ipynb"
    assert cli.backup_path(root, LES).name.startswith(f"00_welcome-{time.strftime('%Y%m%d')}")  # now by default


def test_save_backup_copies_exactly_and_creates_the_folder(tmp_path):
    target = tmp_path / "nb.ipynb"
    target.write_bytes(b"\x00my notebook\xff" * 1000)
    backup = tmp_path / "a" / "b" / "copy.ipynb"
    cli._save_backup(target, backup)
    assert backup.read_bytes() == target.read_bytes()
    assert sorted(p.name for p in backup.parent.iterdir()) == ["copy.ipynb"]
    cli._save_backup(target, backup.with_name("second.ipynb"))  # into the folder that exists now
    assert sorted(p.name for p in backup.parent.iterdir()) == ["copy.ipynb", "second.ipynb"]


def test_save_backup_that_fails_says_why_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "nb.ipynb"
    target.write_text("{}")
    backup = tmp_path / ".backup" / "copy.ipynb"

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError) as err:
        cli._save_backup(target, backup)
    assert err.value.errno == errno.ENOSPC
    assert str(err.value) == (f"[Errno {errno.ENOSPC}] could not save a copy of {target} to {backup.parent} (No space "
                              "left on device); nothing was reset and your notebook is unchanged. Free some disk space "
                              "(or fix the folder's permissions) and run the reset again")
    assert list(backup.parent.iterdir()) == []


def test_a_copy_that_reads_back_different_is_refused(tmp_path, monkeypatch):
    target = tmp_path / "nb.ipynb"
    target.write_text("{}")
    backup = tmp_path / ".backup" / "copy.ipynb"
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: b"{" if self.name.endswith(".tmp") else real(self))
    with pytest.raises(OSError) as err:
        cli._save_backup(target, backup)
    assert err.value.errno == errno.EIO
    assert "differs from the notebook); nothing was reset" in str(err.value)
    assert list(backup.parent.iterdir()) == []


# -- the help a learner reads --------------------------------------------------------------------------------------

def _help(argv, capsys, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapping: the texts compare whole
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_the_help_names_every_command_and_option(capsys, monkeypatch):
    out = _help(["--help"], capsys, monkeypatch)
    assert out.startswith("usage: course [-h] [--root ROOT] {list,check,reset,export} ...\n\n"
                          "The course command: list lessons and progress, check an exercise notebook, reset one.\n")
    for line in ["list                lessons, exercises and your progress",
                 "check               run the checks of your exercise notebook(s)",
                 "reset               restore an exercise notebook (your copy is saved first)",
                 "export              export the course for other tools (nbgrader)",
                 "--root ROOT           course root (the folder holding exercises/)"]:
        assert f"    {line}\n" in out or f"  {line}\n" in out, line
    assert out.endswith(cli.__doc__.split("\n\n", 1)[1])  # the commands and LESSON explained, as written
    # each said once: the first paragraph as the description, the rest as the epilog
    assert out.count("course command: list lessons") == 1 and out.count("LESSON is a number") == 1


def test_a_reader_that_left_the_pipe_ends_the_command_quietly(root, tmp_path, monkeypatch):
    """`course list | head`: the reader left (BrokenPipeError): exit status 0, and stdout now goes to /dev/null, so
    the interpreter's last flush of it raises nothing (tests/test_course_cli_robust.py runs the real pipe)."""
    def reader_left(root):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(cli, "cmd_list", reader_left)
    with open(tmp_path / "stdout", "w") as out:
        monkeypatch.setattr(sys, "stdout", out)
        assert cli.main(["list"]) == 0
        out.write("written after the pipe broke")
        out.flush()  # into /dev/null: the file stays empty
    assert (tmp_path / "stdout").read_text() == ""


def test_the_help_of_check_and_reset(capsys, monkeypatch):
    out = _help(["check", "--help"], capsys, monkeypatch)
    assert out.startswith("usage: course check [-h] [--cell-timeout CELL_TIMEOUT] [lesson]\n")
    words = " ".join(out.split())  # argparse aligns the columns
    assert " lesson lesson number, key or slug (default: all) " in words
    assert (" --cell-timeout CELL_TIMEOUT seconds before a running cell is interrupted (default: the lesson's notebook "
            "budget, 60 s; 120 s for lesson 08's project)") in words
    out = _help(["reset", "--help"], capsys, monkeypatch)
    assert out.startswith("usage: course reset [-h] [--no-run] lesson\n")
    words = " ".join(out.split())
    assert " lesson lesson number, key or slug " in words
    assert " --no-run restore the cells only, without executing them (faster; no stored outputs)" in words


def test_a_cell_timeout_must_be_a_number(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", "00", "--cell-timeout", "soon"])
    assert stop.value.code == 2 and "argument --cell-timeout: invalid float value: 'soon'" in capsys.readouterr().err


def test_save_backup_that_cannot_even_open_its_copy(tmp_path, monkeypatch):
    target = tmp_path / "nb.ipynb"
    target.write_text("{}")
    backup = tmp_path / ".backup" / "copy.ipynb"

    def refused(file, mode="r", *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(file))

    monkeypatch.setattr(cli, "open", refused, raising=False)
    with pytest.raises(OSError) as err:  # no temporary file was made: nothing to remove, the reason kept
        cli._save_backup(target, backup)
    assert err.value.errno == errno.EACCES and "(Permission denied); nothing was reset" in str(err.value)


def test_save_backup_names_a_failure_without_an_errno_by_its_text(tmp_path, monkeypatch):
    target = tmp_path / "nb.ipynb"
    target.write_text("{}")

    def fsync(fd):
        raise OSError("the device went away")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError) as err:
        cli._save_backup(target, tmp_path / ".backup" / "copy.ipynb")
    assert f"to {tmp_path / '.backup'} (the device went away); nothing was reset" in str(err.value)
    assert list((tmp_path / ".backup").iterdir()) == []


def test_reset_of_a_symlinked_notebook_says_what_happens_to_the_link(root, tmp_path, capsys, writes):
    outside = tmp_path / "elsewhere.ipynb"
    nbformat.write(notebook.build(LES), str(outside))
    (root / LES.exercise_notebook).symlink_to(outside)
    assert cli.main(["reset", "00", "--no-run"]) == 0
    assert (f"exercises/00_welcome.ipynb was a link to {outside}; that file is left as it is, and the link is replaced "
            "by the restored notebook.\n") in capsys.readouterr().out
