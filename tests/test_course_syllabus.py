"""The syllabus: lessons 00..08 in the design's order and names, lookup, and notebook discovery."""
from __future__ import annotations

from pathlib import Path

import pytest

from course import syllabus
from course.syllabus import LESSONS, course_root, lesson


def test_lessons_follow_the_course_design():
    assert [les.key for les in LESSONS] == [
        "00_welcome", "01_spikes", "02_power", "03_backprop", "04_neurotransmitters",
        "05_noise", "06_nef", "07_beyond_lif", "08_capstone"]
    les = LESSONS[0]
    assert les.lesson_notebook == Path("lessons/00_welcome.ipynb")
    assert les.exercise_notebook == Path("exercises/00_welcome.ipynb")
    assert les.exercise_module == "course.exercises.lesson00"


@pytest.mark.parametrize("ref", [0, "0", "00", "00_welcome", "welcome", "exercises/00_welcome.ipynb"])
def test_lesson_lookup(ref):
    assert lesson(ref).key == "00_welcome"


def test_unknown_lesson_lists_the_choices():
    with pytest.raises(ValueError, match=r"unknown lesson '9'; choose one of: 00 \(welcome\), 01 \(spikes\)"):
        lesson("9")


def test_exercises_are_found_by_module_convention():
    assert syllabus.lessons_with_exercises()[0].key == "00_welcome"
    assert lesson(0).exercises().lesson == "00_welcome"
    missing = [les for les in LESSONS if not les.has_exercises()]
    for les in missing:
        with pytest.raises(LookupError, match="has no exercises yet"):
            les.exercises()


def test_a_lesson_without_an_exercise_module_says_which_module_is_missing():
    """Every listed lesson has its exercises now, so the loop above checks nothing: a lesson not written yet."""
    future = syllabus.Lesson(97, "future", "A future lesson", "a claim")
    assert not future.has_exercises()
    with pytest.raises(LookupError) as err:
        future.exercises()
    assert str(err.value) == "lesson 97_future has no exercises yet (course.exercises.lesson97 does not exist)"


def test_existing_notebooks_in_syllabus_order(tmp_path):
    for rel in ("exercises/05_noise.ipynb", "exercises/00_welcome.ipynb", "lessons/01_spikes.ipynb",
                "exercises/99_unknown.ipynb"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("{}")
    assert syllabus.existing_exercise_notebooks(tmp_path) == [tmp_path / "exercises/00_welcome.ipynb",
                                                               tmp_path / "exercises/05_noise.ipynb"]
    assert syllabus.existing_lesson_notebooks(tmp_path) == [tmp_path / "lessons/01_spikes.ipynb"]


def test_course_root_is_found_from_a_subfolder(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    (tmp_path / "exercises" / "deep").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("")
    assert course_root(tmp_path / "exercises" / "deep") == tmp_path.resolve()
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path / "exercises"))
    assert course_root() == (tmp_path / "exercises").resolve()


def test_course_root_needs_pyproject_next_to_lessons_or_exercises(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "lessons").mkdir()                      # lessons/ alone (no exercises/) marks the root
    inner = tmp_path / "work" / "exercises" / "mine"    # an exercises/ folder without pyproject.toml does not
    inner.mkdir(parents=True)
    assert course_root(inner) == tmp_path.resolve()
    assert course_root(tmp_path / "work") == tmp_path.resolve()


def test_course_root_falls_back_to_the_clone_the_package_came_from(tmp_path, monkeypatch):
    import course

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    (tmp_path / "lessons").mkdir()                      # no pyproject.toml anywhere above: not a root
    assert not any((d / "pyproject.toml").exists() for d in (tmp_path, *tmp_path.parents))
    assert course_root(tmp_path / "lessons") == Path(course.__file__).resolve().parent.parent


def test_notebook_lists_default_to_the_course_root(tmp_path, monkeypatch):
    for rel in ("exercises/00_welcome.ipynb", "lessons/01_spikes.ipynb"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("{}")
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    assert syllabus.existing_exercise_notebooks() == [tmp_path.resolve() / "exercises/00_welcome.ipynb"]
    assert syllabus.existing_lesson_notebooks() == [tmp_path.resolve() / "lessons/01_spikes.ipynb"]


def test_notebook_budgets_come_from_the_syllabus():
    """60 s per notebook, except lesson 08's reference project (issue 17: 120 s), for both its notebooks; the
    nbval summary (conftest.py) and `make notebooks` (tools/execute_notebooks.py) read the same numbers."""
    from course.syllabus import DEFAULT_BUDGET_S, notebook_budget

    assert DEFAULT_BUDGET_S == 60.0
    assert notebook_budget("lessons/08_capstone.ipynb") == notebook_budget("exercises/08_capstone.ipynb") == 120.0
    assert notebook_budget("lessons/03_backprop.ipynb") == notebook_budget("somewhere/else.ipynb") == 60.0
    assert [les.number for les in LESSONS if les.budget_s != DEFAULT_BUDGET_S] == [8]
