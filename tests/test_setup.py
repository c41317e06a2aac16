"""The set-up promises of the README: packaging, the Makefile's set-up logic, .ci/run.

Makefile logic is exercised in a temporary copy with stand-in programs (a fake `id`, a fake python),
so both the root and non-root branches and the failure messages are tested without reinstalling.
The real from-scratch install is what `.ci/run` does in a fresh clone.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

DIST = "dl-isnt-the-brain"


@pytest.fixture(scope="module")
def pyproject(repo_root):
    return tomllib.loads((repo_root / "pyproject.toml").read_text())


def test_python_support_is_3_11_to_3_13(pyproject):
    # numpy 2.4+ needs Python >= 3.11; numba 0.68 supports up to 3.13 (README "Supported Pythons").
    assert pyproject["project"]["requires-python"] == ">=3.11,<3.14"
    assert (3, 11) <= sys.version_info[:2] <= (3, 13)


def test_numpy_is_capped_below_2_6_for_numba(pyproject):
    numpy = next(d for d in pyproject["project"]["dependencies"] if re.match(r"numpy\b", d))
    assert "<2.6" in numpy.replace(" ", "")


def test_test_extra_has_the_notebook_tools(pyproject):
    names = {re.split(r"[<>=\[; ]", d)[0].lower() for d in pyproject["project"]["optional-dependencies"]["test"]}
    assert {"pytest", "nbval", "hypothesis"} <= names


def test_installed_distribution_provides_both_packages_and_the_course_command(repo_root):
    dist = metadata.distribution(DIST)
    scripts = {ep.name: ep.value for ep in dist.entry_points if ep.group == "console_scripts"}
    assert scripts.get("course") == "course.cli:main"
    import course
    import snnlib

    for pkg in (snnlib, course):  # editable install: the packages are this checkout's
        assert Path(pkg.__file__).resolve().parent.parent == repo_root


def test_course_command_runs(repo_root):
    exe = Path(sys.prefix) / "bin" / "course"
    assert exe.exists(), f"console script missing: {exe}"
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60, cwd=repo_root)
    assert result.returncode == 0, result.stderr
    for sub in ("list", "check", "reset"):
        assert sub in result.stdout, f"`course --help` does not mention `{sub}`:\n{result.stdout}"


# ---------------------------------------------------------------- Makefile, in a temporary copy

def _write_exe(path: Path, script: str) -> Path:
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return path


@pytest.fixture
def make_copy(repo_root, tmp_path):
    """A temp folder with the Makefile and pyproject.toml and a `bin/` for stand-in programs."""
    shutil.copy(repo_root / "Makefile", tmp_path / "Makefile")
    shutil.copy(repo_root / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "bin").mkdir()
    return tmp_path


def _make(folder: Path, *args: str, uid: int | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if uid is not None:  # a stand-in `id` that reports this user id
        _write_exe(folder / "bin" / "id", f'[ "$1" = -u ] && echo {uid} || exec /usr/bin/id "$@"\n')
        env["PATH"] = f"{folder / 'bin'}:{env['PATH']}"
    return subprocess.run(["make", "--no-print-directory", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=60)


def _fresh_stamp(folder: Path) -> None:
    stamp = folder / ".venv" / ".installed"
    stamp.parent.mkdir(exist_ok=True)
    stamp.touch()
    later = time.time() + 10
    os.utime(stamp, (later, later))


@pytest.mark.parametrize("uid, root", [(0, True), (1000, False)])
def test_lab_adds_allow_root_only_for_root(make_copy, uid, root):
    _fresh_stamp(make_copy)
    result = _make(make_copy, "-n", "lab", uid=uid)
    assert result.returncode == 0, result.stderr
    assert ("--allow-root" in result.stdout) is root


def test_lab_binds_loopback_with_port_and_token(make_copy):
    """The token never reaches a command line (other users read those with ps): TOKEN= is exported to
    Jupyter's environment, TOKEN_FILE is read by the recipe's shell (issue 18)."""
    _fresh_stamp(make_copy)
    out = _make(make_copy, "-n", "lab", "PORT=9123", "TOKEN=s3cret").stdout
    assert "--ip=127.0.0.1" in out and "--port=9123" in out
    assert "s3cret" not in out and "IdentityProvider.token" not in out
    assert "visible to other local users" in out  # and TOKEN= on make's own command line is warned about
    (make_copy / "token.txt").write_text("from-a-file")
    out = _make(make_copy, "-n", "lab", "TOKEN_FILE=token.txt").stdout
    assert 'cat "token.txt"' in out and "from-a-file" not in out
    default = _make(make_copy, "-n", "lab").stdout
    assert "--port=8888" in default and "token=" not in default.replace("?token=", "")  # Jupyter makes one


def test_install_reruns_only_when_pyproject_changed(make_copy):
    _fresh_stamp(make_copy)
    assert _make(make_copy, "-q", "setup").returncode == 0  # up to date: nothing to do
    later = time.time() + 20
    os.utime(make_copy / "pyproject.toml", (later, later))
    result = _make(make_copy, "-n", "setup")
    assert result.returncode == 0
    assert "pip install" in result.stdout and "-e '.[test,browser,site,hub,classroom-test]'" in result.stdout


def test_unsupported_python_is_refused_with_a_clear_message(make_copy):
    fake = _write_exe(make_copy / "bin" / "python3.10", 'case "$*" in *platform*) echo 3.10.14;; *) exit 1;; esac\n')
    result = _make(make_copy, "setup", f"PYTHON={fake}")
    assert result.returncode != 0
    assert "Python 3.10.14" in result.stderr and "supports Python 3.11, 3.12 and 3.13" in result.stderr
    assert not (make_copy / ".venv").exists()


def test_missing_venv_module_gets_install_advice(make_copy):
    # Passes the version check, then fails like Debian's python3 without python3-venv.
    fake = _write_exe(make_copy / "bin" / "python3", 'case "$*" in *"-m venv"*) exit 1;; *) exit 0;; esac\n')
    result = _make(make_copy, "setup", f"PYTHON={fake}")
    assert result.returncode != 0
    assert "apt install python3-venv" in result.stderr
    assert not (make_copy / ".venv").exists()  # no half-made venv left behind


def test_failed_install_shows_the_log_tail(make_copy):
    # A venv whose pip fails: make must stop and show pip's error, not just "Error 1".
    venv_bin = make_copy / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    _write_exe(venv_bin / "python", 'case "$*" in *"pip install"*) echo "ERROR: No matching distribution found for numpy<0" >&2; exit 1;; *) exit 0;; esac\n')
    result = _make(make_copy, "setup", f"PYTHON={sys.executable}")
    assert result.returncode != 0
    assert "pip install failed" in result.stderr and "No matching distribution found" in result.stderr
    assert not (make_copy / ".venv" / ".installed").exists()


# ---------------------------------------------------------------- .ci/run

@pytest.mark.parametrize("recipe, expect_ok, message", [
    ('echo "=== 3 passed in 1.0s ==="', True, None),
    ('echo "=== 1 failed, 2 passed in 1.0s ==="; exit 1', False, "make test exited with status"),
    ('echo "=== no tests ran in 0.1s ==="; exit 5', False, "make test exited with status"),
    ('echo "=== 4 skipped in 0.1s ==="', False, "no test passed"),
])
def test_ci_run_fails_on_any_failure_and_ends_with_the_summary(repo_root, tmp_path, recipe, expect_ok, message):
    """.ci/run against a stand-in Makefile: its exit status follows `make test`'s result and the
    test summary line closes the output. The browser part runs against stand-ins too (a `chromium`
    on PATH, a .venv python that imports anything), so nothing is installed."""
    (tmp_path / ".ci").mkdir()
    shutil.copy(repo_root / ".ci" / "run", tmp_path / ".ci" / "run")
    summary = re.search(r'"(=== .* ===)"', recipe).group(1)
    (tmp_path / "Makefile").write_text(f"test:\n\t@{recipe}\ntest-browser:\n\t@echo '=== 2 passed in 1.0s ==='\n")
    (tmp_path / "bin").mkdir()
    _write_exe(tmp_path / "bin" / "chromium", "exit 0\n")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    _write_exe(tmp_path / ".venv" / "bin" / "python", "exit 0\n")
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    result = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True,
                            timeout=60, env=env)
    out = result.stdout + result.stderr
    assert (result.returncode == 0) is expect_ok, out
    assert result.stdout.strip().splitlines()[-1] == summary, out
    if message:
        assert message in out


def test_ci_run_runs_the_readme_test_command(repo_root):
    text = (repo_root / ".ci" / "run").read_text()
    assert os.access(repo_root / ".ci" / "run", os.X_OK)
    assert "set -euo pipefail" in text
    assert re.search(r"^make .*\btest\b", text, re.M)
    assert "make test" in (repo_root / "README.md").read_text()


# ---------------------------------------------------------------- README

@pytest.fixture(scope="module")
def readme(repo_root) -> str:
    return (repo_root / "README.md").read_text()


def test_readme_quick_start_is_exactly_the_two_commands(readme):
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first_block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    assert first_block.split("\n")[:-1] == ["make lab", "make test"]
    assert readme.index("## Quick start") < readme.index("### Without make")


def _readme_tool(repo_root):
    import importlib.util

    spec = importlib.util.spec_from_file_location("readme_lessons", repo_root / "tools" / "readme_lessons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_lessons_table_is_up_to_date(readme, repo_root):
    tool = _readme_tool(repo_root)
    assert tool.replace_table(readme, tool.lessons_table(repo_root)) == readme, (
        "README.md's lessons table is out of date with course/syllabus.py and the notebooks: run `make readme`")


def test_lessons_table_names_every_lesson_and_links_only_existing_notebooks(repo_root, tmp_path):
    from course import syllabus

    tool = _readme_tool(repo_root)
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "01_spikes.ipynb").write_text("{}")
    table = tool.lessons_table(tmp_path)
    rows = table.splitlines()[2:]
    assert len(rows) == len(syllabus.LESSONS)
    for les, row in zip(syllabus.LESSONS, rows):
        assert row.startswith(f"| {les.number:02d} | {les.title} |")
    assert "[lessons/01_spikes.ipynb](lessons/01_spikes.ipynb)" in rows[1]
    assert "](" not in rows[0] and "](exercises/01_spikes.ipynb)" not in rows[1]
    with pytest.raises(ValueError, match="markers"):
        tool.replace_table("# no table here", table)


def test_readme_python_versions_match_pyproject(readme, pyproject):
    assert pyproject["project"]["requires-python"] in readme
    assert "3.11, 3.12 and 3.13" in readme


def test_readme_make_targets_exist(readme, repo_root):
    targets = set(re.findall(r"^([a-z][\w-]*):", (repo_root / "Makefile").read_text(), re.M))
    mentioned = set(re.findall(r"`make ([a-z][\w-]*)", readme))
    assert mentioned and mentioned <= targets, f"README mentions make targets that do not exist: {mentioned - targets}"


def test_readme_course_commands_exist(readme):
    from course import cli

    for sub in set(re.findall(r"^course (\w+)", readme, re.M)):
        with pytest.raises(SystemExit, match="^0$") as exit_info:  # argparse exits 0 after printing the sub-command help
            cli.main([sub, "--help"])
        assert exit_info.value.code == 0, f"README shows `course {sub}`, which the CLI does not accept"
