"""Rubric criteria (course.exercise.Criterion): a project's measured number against a public bound. The verdict
states the number and the bound, passed or not; mistakes may be ranges; the reference measurement is never
revealed; `course check`'s table prints the rubric line under a passed row too."""
from __future__ import annotations

import numpy as np
import pytest

from course.exercise import NOT_YET, PASSED, Criterion, Exercise, Mistake


def _rubric(**kw):
    return Exercise(id="pes_error", kind="value", title="error", prompt="Measure the error.",
                    reference=lambda: 0.0731, criterion=Criterion("error after 2000 samples", below=0.1),
                    mistakes=[Mistake("no_learning", lambda: (0.3, 0.5), "no learning at all: is PES on?"),
                              Mistake("percent", lambda: (7.0, 8.0), "a percentage?")],
                    hints=["one", "two"], **kw)


def test_a_value_meeting_the_bound_passes_with_the_measured_number_and_the_bound():
    r = _rubric().evaluate(0.08)
    assert r.status == PASSED
    assert r.message == "error after 2000 samples 0.08, criterion < 0.1: passed"
    assert str(r) == "\u2714 pes_error: error after 2000 samples 0.08, criterion < 0.1: passed"


def test_a_value_missing_the_bound_is_not_yet_with_the_number_and_a_diagnosis():
    e = _rubric()
    r = e.evaluate(0.4)
    assert r.status == NOT_YET
    assert r.message == "error after 2000 samples 0.4, criterion < 0.1: not yet. no learning at all: is PES on?"
    r = e.evaluate(0.15)                          # no listed mistake: which side of the bound, and a hint
    assert r.status == NOT_YET and r.message.startswith("error after 2000 samples 0.15, criterion < 0.1: not yet.")
    assert "above the bound" in r.message and 'ex.hint("pes_error")' in r.message
    assert "0.0731" not in r.message and "0.073" not in r.message      # the reference's measurement stays hidden
    assert str(r).startswith("\u2718 pes_error: error after")


@pytest.mark.parametrize("bad", [np.nan, np.inf, None, "0.08", [0.05, 0.06]])
def test_no_number_or_not_finite_is_not_yet_never_passed(bad):
    r = _rubric().evaluate(bad)
    assert r.status == NOT_YET and "internal error" not in r.message, r      # a diagnosis, not a crash


@pytest.mark.parametrize("form", [np.float32(0.08), [0.08], np.array([0.08]), np.float64(0.08), 0])
def test_equivalent_forms_pass(form):
    assert _rubric().evaluate(form).status == PASSED


def test_the_bound_is_strict_and_two_sided_bounds_work():
    assert _rubric().evaluate(0.1).status == NOT_YET
    c = Criterion("samples to recover", below=1000, above=0, fmt="{:.0f}")
    assert c.bound() == "between 0 and 1000" and c.met(400) and not c.met(0) and not c.met(1000)
    assert Criterion("energy ratio", above=1.0).bound() == "> 1"
    assert Criterion("energy ratio", above=1.0).report(3.21, "passed") == "energy ratio 3.21, criterion > 1: passed"


def test_a_criterion_is_declared_with_a_bound_on_a_value_exercise():
    with pytest.raises(ValueError, match="give a bound"):
        Criterion("x")
    with pytest.raises(ValueError, match="above"):
        Criterion("x", below=1.0, above=2.0)
    with pytest.raises(ValueError, match="kind='value'"):
        Exercise(id="f", title="t", prompt="p", reference=lambda x: x, cases=[(1.0,)], criterion=Criterion("x", below=1))


def test_course_check_table_prints_the_rubric_line_under_a_passed_row(monkeypatch, capsys, tmp_path):
    from course import cli
    from course.runner import Row, Rows
    from course.syllabus import lesson

    rows = Rows([Row("pes_error", PASSED, "error after 2000 samples 0.08, criterion < 0.1: passed"),
                 Row("ann_error", NOT_YET, "error after 2000 samples 0.3, criterion < 0.1: not yet. no learning")])
    monkeypatch.setattr("course.runner.run_checks", lambda *a, **k: rows)
    les = lesson("00")
    (tmp_path / les.exercise_notebook).parent.mkdir(parents=True)
    (tmp_path / les.exercise_notebook).write_text("{}")
    cli._check_one(les, tmp_path, 10.0)
    out = capsys.readouterr().out
    assert "error after 2000 samples 0.08, criterion < 0.1: passed" in out
    assert "error after 2000 samples 0.3, criterion < 0.1: not yet" in out and "1 passed, 1 not yet" in out


def test_an_infinite_measurement_is_reported_as_never_happening_and_nan_as_no_number():
    e = _rubric()
    r = e.evaluate(float("inf"))
    assert r.status == NOT_YET and r.message.startswith("error after 2000 samples inf, criterion < 0.1: not yet.")
    assert "never happened" in r.message
    assert e.evaluate(float("nan")).message.startswith("pes_error is NaN")
