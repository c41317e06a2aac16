"""Every exercise of every lesson (course.syllabus): its reference solution passes its check, and
each listed mistake is caught with its own diagnosis.  New exercise modules are picked up
automatically through the syllabus."""
from __future__ import annotations

import ast
import importlib

import numpy as np
import pytest

from course.exercise import NOT_YET, PASSED
from course.syllabus import lessons_with_exercises

EXERCISES = [(les, e) for les in lessons_with_exercises() for e in les.exercises().exercises]
MISTAKES = [(les, e, m) for les, e in EXERCISES for m in e.mistakes]



def _reference_answer(les, e):
    """The reference solution as the notebook would have it: the solutions module run top to
    bottom (as the solved notebook's cells are), then the exercise's name looked up."""
    module = importlib.import_module(les.exercises().solutions_module)
    return getattr(module, e.id)


@pytest.mark.parametrize("les, e", EXERCISES, ids=[f"{les.key}-{e.id}" for les, e in EXERCISES])
def test_reference_solution_passes(les, e):
    r = e.evaluate(_reference_answer(les, e))
    assert r.status == PASSED, r.message


@pytest.mark.parametrize("les, e, m", MISTAKES, ids=[f"{les.key}-{e.id}-{m.name}" for les, e, m in MISTAKES])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # some mistakes produce NaN on purpose
def test_each_listed_mistake_gets_its_diagnosis(les, e, m):
    r = e.evaluate(e.mistake_answer(m))
    assert (r.status, r.message) == (NOT_YET, m.diagnosis)


@pytest.mark.parametrize("les, e", EXERCISES, ids=[f"{les.key}-{e.id}" for les, e in EXERCISES])
def test_each_exercise_has_distinct_diagnosed_mistakes_and_hints(les, e):
    assert len(e.mistakes) >= 2 and len(e.hints) >= 2
    assert len({m.diagnosis for m in e.mistakes}) == len(e.mistakes)
    assert len({m.name for m in e.mistakes}) == len(e.mistakes)


@pytest.mark.parametrize("les, e", [(les, e) for les, e in EXERCISES if e.kind == "function"],
                         ids=[f"{les.key}-{e.id}" for les, e in EXERCISES if e.kind == "function"])
def test_stub_keeps_signature_and_docstring_but_not_the_solution(les, e):
    ns: dict = {"np": np}
    exec(e.stub, ns)
    stub, ref = ns[e.id], _reference_answer(les, e)
    assert stub.__doc__ == ref.__doc__
    assert stub.__code__.co_varnames[:stub.__code__.co_argcount] == ref.__code__.co_varnames[:ref.__code__.co_argcount]
    assert not any(isinstance(n, ast.Return) for n in ast.walk(ast.parse(e.stub))) and "# TODO" in e.stub
    r = e.evaluate(stub)
    assert r.unsolved and r.message.startswith("not yet solved")


@pytest.mark.parametrize("les", lessons_with_exercises(), ids=lambda les: les.key)
def test_hints_come_one_at_a_time_and_run_out_politely(les, capsys):
    ex = les.exercises()
    for e in ex.exercises:
        ex._hints_shown.pop(e.id, None)
        for k, text in enumerate(e.hints, start=1):
            ex.hint(e.id)
            assert capsys.readouterr().out == f"Hint {k} of {len(e.hints)} for {e.id}: {text}\n"
        ex.hint(e.id)
        assert capsys.readouterr().out.startswith(f"No more hints for {e.id}")
        ex._hints_shown.pop(e.id, None)


@pytest.mark.parametrize("les", lessons_with_exercises(), ids=lambda les: les.key)
def test_the_solution_shown_on_request_passes_when_pasted(les, capsys):
    """Paste what ex.solution(id) prints into the notebook, in order: every check passes."""
    ex = les.exercises()
    ns: dict = {}
    exec(ex.setup, ns)  # the notebook's setup cell
    for e in ex.exercises:
        ex.solution(e.id)
        shown = capsys.readouterr().out
        header, _, code = shown.partition("\n\n")
        assert header.startswith(f"Reference solution for {e.id}")
        exec(code, ns)
        r = e.evaluate(ns[e.id])
        assert r.status == PASSED, (e.id, r.message)
