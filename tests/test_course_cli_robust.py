"""The course command under hostile conditions (issue 18): a closed pipe, a symlinked notebook,
a disk that fills up during a reset's backup, and an internal error: a clear message, never a
traceback, and a learner's work never lost."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import cli, notebook
from course.syllabus import lesson

LES = lesson("00")
SCRIPT = str(Path(sys.executable).parent / "course")


def test_list_into_a_closed_pipe_is_quiet(root):
    """`course list | head -1`: the reader leaves early; no 'Broken pipe' traceback."""
    proc = subprocess.Popen([SCRIPT, "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root)
    proc.stdout.close()  # before the command has written anything: its first write hits EPIPE
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0, err
    assert err == "", err


def test_reset_replaces_a_symlink_and_leaves_its_target_alone(root, tmp_path, capsys):
    outside = tmp_path / "elsewhere" / "my-notes.ipynb"
    outside.parent.mkdir()
    nb = notebook.build(LES)
    nb.cells[3].source = "def euler_step(v, J, dt, tau_rc):\n    return 42  # kept outside the course"
    nbformat.write(nb, str(outside))
    before = outside.read_bytes()
    link = root / LES.exercise_notebook
    link.symlink_to(outside)
    assert cli.main(["reset", "00", "--no-run"]) == 0
    assert outside.read_bytes() == before  # the file the link pointed to is untouched
    assert not link.is_symlink() and notebook.differences(link, LES) == []
    backup = next((root / "exercises" / ".backup").glob("00_welcome-*.ipynb"))
    assert backup.read_bytes() == before and not backup.is_symlink()
    assert "was a link to" in capsys.readouterr().out


def _limit_file_size(limit: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_reset_that_cannot_write_a_complete_backup_stops_before_touching_the_notebook(root):
    """The disk fills up while the backup is written (simulated with RLIMIT_FSIZE: every write
    beyond half the notebook's size fails, as on a full disk)."""
    path = root / LES.exercise_notebook
    nb = notebook.build(LES)
    nb.cells[3].source = "def euler_step(v, J, dt, tau_rc):\n    return 42  # my work"
    nbformat.write(nb, str(path))
    mine = path.read_bytes()
    run = subprocess.run([SCRIPT, "reset", "00", "--no-run"], capture_output=True, text=True, cwd=root,
                         preexec_fn=_limit_file_size(len(mine) // 2), timeout=120)
    assert run.returncode == 2, run
    assert "could not save a copy" in run.stderr and "nothing was reset" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert path.read_bytes() == mine  # the learner's notebook is intact
    backups = list((root / "exercises" / ".backup").iterdir()) if (root / "exercises" / ".backup").exists() else []
    assert backups == []  # and no truncated backup pretends to be a copy


def test_a_short_write_of_the_backup_is_detected(root, monkeypatch):
    path = root / LES.exercise_notebook
    nb = notebook.build(LES)
    nb.cells[-1].source += "\n# my own note"          # an edited notebook: reset must back it up first
    nbformat.write(nb, str(path))
    mine = path.read_bytes()
    real_open = open

    class Short:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            return self.fh.write(data[: len(data) // 2])  # the disk accepted half, without an error

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

    def short_open(file, mode="r", *args, **kwargs):
        fh = real_open(file, mode, *args, **kwargs)
        return Short(fh) if "w" in mode and ".backup" in str(file) else fh

    monkeypatch.setattr(cli, "open", short_open, raising=False)
    with pytest.raises(OSError, match="could not save a copy"):
        cli.cmd_reset(root, "00", run=False)
    assert path.read_bytes() == mine
    assert not list((root / "exercises" / ".backup").iterdir())


def test_an_internal_error_is_one_line_not_a_traceback(root, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("something the course did not expect")

    monkeypatch.setattr(cli, "cmd_list", broken)
    assert cli.main(["list"]) == 3
    err = capsys.readouterr().err
    assert "internal error (KeyError" in err and "Traceback" not in err
