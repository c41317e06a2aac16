"""course.export_nbgrader on small hand-made exercises and lesson 00 alone: exact solution and test cell
sources, nbgrader metadata, the config file and the command's messages.  Seconds, where
tests/test_export_nbgrader.py builds and runs every lesson's set (about 35 s): cheap enough for
mutation testing of course/export_nbgrader.py (tools/mutate.py)."""
from __future__ import annotations

import argparse
from types import SimpleNamespace

import nbformat
import pytest

from course import export_nbgrader as xn
from course.exercise_set import stub_from_solution
from course.notebook import build
from course.syllabus import lesson

LES = lesson("00")

SOLUTION = '''import math

@staticmethod
def f(x, y):
    """Doc.

    More."""
    z = x + y

    return z * 2
HELPER = 3
'''


def _function(solution: str, todo: str = "compute it", stub: str | None = None):
    return SimpleNamespace(kind="function", solution=solution, todo=todo,
                           stub=stub_from_solution(solution, todo) if stub is None else stub)


def test_a_derived_function_stub_keeps_its_head_outside_the_region():
    assert xn.solution_source(_function(SOLUTION)) == '''### BEGIN SOLUTION
import math
### END SOLUTION

@staticmethod
def f(x, y):
    """Doc.

    More."""
    # TODO: compute it
    ### BEGIN SOLUTION
    z = x + y

    return z * 2
    ### END SOLUTION

### BEGIN SOLUTION
HELPER = 3
### END SOLUTION
'''


def test_a_function_without_docstring_or_surroundings():
    assert xn.solution_source(_function("def g(a):\n    return a + 1\n", "add one")) == (
        "def g(a):\n    # TODO: add one\n    ### BEGIN SOLUTION\n    return a + 1\n    ### END SOLUTION\n")
    # a docstring alone as the body's first statement, then code; a string that is not the first statement is code
    src = 'def h(a):\n    """Only a doc."""\n    "not a doc"\n    return a\n'
    assert xn.solution_source(_function(src, "h")) == (
        'def h(a):\n    """Only a doc."""\n    # TODO: h\n    ### BEGIN SOLUTION\n    "not a doc"\n    return a\n'
        "    ### END SOLUTION\n")
    # a number as first statement is not a docstring
    src = "def k(a):\n    1\n    return a\n"
    assert xn.solution_source(_function(src, "k")) == "def k(a):\n    # TODO: k\n    ### BEGIN SOLUTION\n    1\n    return a\n    ### END SOLUTION\n"


def test_a_value_or_hand_written_stub_is_followed_by_the_whole_solution():
    value = SimpleNamespace(kind="value", solution="x = 1\n\ny = 2\n", todo="t", stub="x = ...\n\n")
    assert xn.solution_source(value) == "x = ...\n### BEGIN SOLUTION\nx = 1\n\ny = 2\n### END SOLUTION\n"
    hand = _function("def g(a):\n    return a\n", stub="def g(a):\n    # your code\n    ...\n")
    assert xn.solution_source(hand) == ("def g(a):\n    # your code\n    ...\n### BEGIN SOLUTION\ndef g(a):\n    return a\n"
                                        "### END SOLUTION\n")


def test_regions_keep_the_code_to_the_character_only_blank_lines_trimmed():
    """A region drops the blank lines at its edges and nothing else: trailing spaces, and names that begin or end
    with X (the letter a mutant's "XX" strip would eat), are the solution's own; so is a hand-written stub's end.
    A function whose body is only its docstring gets an empty region."""
    src = "X = 2.0  \n\ndef f(x):\n    return x * X  \nY = 1\nZ_MAX = 2  \n"
    assert xn.solution_source(_function(src, "t")) == (
        "### BEGIN SOLUTION\nX = 2.0  \n### END SOLUTION\n\ndef f(x):\n    # TODO: t\n    ### BEGIN SOLUTION\n"
        "    return x * X  \n    ### END SOLUTION\n\n### BEGIN SOLUTION\nY = 1\nZ_MAX = 2  \n### END SOLUTION\n")
    src = "def f(x):\n    return x * X\nZ_MAX = X\n"
    assert xn.solution_source(_function(src, "t")) == (
        "def f(x):\n    # TODO: t\n    ### BEGIN SOLUTION\n    return x * X\n    ### END SOLUTION\n\n"
        "### BEGIN SOLUTION\nZ_MAX = X\n### END SOLUTION\n")
    src = 'def f(x):\n    """Only a doc."""\n'
    assert xn.solution_source(_function(src, "t")) == (
        'def f(x):\n    """Only a doc."""\n    # TODO: t\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n')
    value = SimpleNamespace(kind="value", solution="X = 2.0\n", todo="t", stub="Y = X\n")
    assert xn.solution_source(value) == "Y = X\n### BEGIN SOLUTION\nX = 2.0\n### END SOLUTION\n"
    value = SimpleNamespace(kind="value", solution="X = 2.0\n", todo="t", stub="Y = ...  \n\n")
    assert xn.solution_source(value) == "Y = ...  \n### BEGIN SOLUTION\nX = 2.0\n### END SOLUTION\n"


def test_released_stub_replaces_each_region_at_its_indentation():
    assert xn.released_stub(xn.solution_source(_function(SOLUTION))) == (
        '...\n\n@staticmethod\ndef f(x, y):\n    """Doc.\n\n    More."""\n    # TODO: compute it\n    ...\n\n...\n')
    assert xn.released_stub("a\n  ### BEGIN SOLUTION  \n  secret\n  ### END SOLUTION\nb") == "a\n  ...\nb\n"
    assert xn.released_stub("") == "\n"


def test_the_test_cell_runs_the_course_check_for_its_points():
    one = SimpleNamespace(id="euler_step", points=1)
    assert xn.test_source(one) == (
        "# Autograder test of euler_step (1 point): the course's own check. It prints\n"
        "# the verdict (and the diagnosis of a known mistake); the assertion gives the points only if it passed.\n"
        "result = ex.EXERCISES.check('euler_step', euler_step)\n"
        'assert result.passed, f"euler_step: {result.status}"')
    assert xn.test_source(SimpleNamespace(id="x", points=2)).startswith("# Autograder test of x (2 points): ")
    assert xn.test_source(SimpleNamespace(id="x", points=0.5)).startswith("# Autograder test of x (0.5 points): ")


def test_lesson_00_source_notebook_cell_by_cell():
    nb, plain = xn.source_notebook(LES), build(LES)
    exercises = {e.id: e for e in LES.exercises().exercises}
    assert nb.metadata["course"] == {**plain.metadata["course"], "generated_by": "course.export_nbgrader"}
    assert [c.id for c in nb.cells] == [c.id for c in plain.cells]
    for cell, orig in zip(nb.cells, plain.cells):
        role, ex_id = orig.metadata["course"]["role"], orig.metadata["course"].get("exercise")
        base = {"grade": False, "grade_id": cell.id, "locked": True, "schema_version": 3, "solution": False,
                "task": False}
        if role == "answer":
            assert cell.metadata["nbgrader"] == {**base, "locked": False, "solution": True}
            assert cell.source == xn.solution_source(exercises[ex_id]).rstrip("\n")
        elif role == "check":
            assert cell.metadata["nbgrader"] == {**base, "grade": True, "points": exercises[ex_id].points}
            assert cell.source == xn.test_source(exercises[ex_id])
        else:
            assert cell.metadata["nbgrader"] == base
            if role == "task":
                assert cell.source == orig.source.replace(
                    f'; `ex.solution("{ex_id}")` shows the reference solution.', ".")
                assert cell.source.endswith("gives a hint (run it again for the next one).")
            else:
                assert cell.source == orig.source
        assert cell.metadata["course"] == orig.metadata["course"]
    assert build(LES).metadata["course"]["generated_by"] == "course.notebook"  # the learner's build is untouched


def test_export_writes_the_config_and_one_source_notebook_per_lesson(tmp_path):
    root = tmp_path / "a" / "grading"
    written = xn.export(root, [LES])
    assert written == [root / "source" / "00_welcome" / "00_welcome.ipynb"]
    assert nbformat.read(str(written[0]), as_version=4) == xn.source_notebook(LES)
    config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
    assert config == xn._CONFIG.format(course_id="dl-isnt-the-brain", stub="...")
    assert "c.CourseDirectory.course_id = 'dl-isnt-the-brain'\n" in config
    assert "c.ClearSolutions.code_stub = {\"python\": '...'}\n" in config
    namespace = {"get_config": lambda: SimpleNamespace(CourseDirectory=SimpleNamespace(), ClearSolutions=SimpleNamespace(),
                                                       ExecutePreprocessor=SimpleNamespace())}
    exec(config, namespace)
    c = namespace["c"]
    assert (c.CourseDirectory.course_id, c.ClearSolutions.code_stub, c.ExecutePreprocessor.timeout) == (
        "dl-isnt-the-brain", {"python": "..."}, 300)
    (root / "nbgrader_config.py").write_text("# mine\n")
    written[0].write_text("stale")
    xn.export(str(root), [LES])  # a path as text; the config kept, the notebook regenerated
    assert (root / "nbgrader_config.py").read_text() == "# mine\n"
    assert nbformat.read(str(written[0]), as_version=4) == xn.source_notebook(LES)


def test_export_refuses_a_file_and_an_empty_lesson_list(tmp_path, monkeypatch):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(ValueError) as err:
        xn.export(f, [LES])
    assert str(err.value) == f"DIR must be a folder, but {f} is a file"
    with pytest.raises(ValueError) as err:
        xn.export(tmp_path / "new", [])
    assert str(err.value) == "no lesson has exercises yet: nothing to export"
    assert not (tmp_path / "new").exists()
    monkeypatch.setattr(xn, "lessons_with_exercises", lambda: [LES])  # the default: every lesson with exercises
    assert xn.export(tmp_path / "new") == [tmp_path / "new" / "source" / "00_welcome" / "00_welcome.ipynb"]


def test_the_export_command(tmp_path, capsys, monkeypatch):
    parser = argparse.ArgumentParser(prog="course")
    sub = parser.add_subparsers(dest="command", required=True)
    xn.register(sub)
    target = tmp_path / "grading"
    args = parser.parse_args(["export", "nbgrader", str(target)])
    assert args.directory == target and args.export_kind == "nbgrader"
    monkeypatch.setattr(xn, "lessons_with_exercises", lambda: [LES])
    assert args.run(args, tmp_path) == 0
    assert capsys.readouterr().out == (
        f"wrote {target / 'source' / '00_welcome' / '00_welcome.ipynb'}\n"
        f"1 assignment(s) in {target / 'source'}. Next, in {target}: nbgrader generate_assignment NN_slug "
        "(see docs/grading.md).\n")
    with pytest.raises(SystemExit):
        parser.parse_args(["export"])  # the kind is required
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "nbgrader"])  # and the folder


def test_the_export_help(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    parser = argparse.ArgumentParser(prog="course")
    xn.register(parser.add_subparsers(dest="command"))
    assert "    export    export the course for other tools (nbgrader)\n" in parser.format_help()
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: course export [-h] {nbgrader} ...\n")
    assert "    nbgrader  write an nbgrader course directory: one assignment per lesson\n" in out
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "nbgrader", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: course export nbgrader [-h] DIR\n")
    assert "  DIR         the nbgrader course directory to write\n" in out
