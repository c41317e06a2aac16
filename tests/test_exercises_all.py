"""Every exercise of every lesson (course.syllabus): its reference solution passes its check, and
each listed mistake is caught with its own diagnosis.  New exercise modules are picked up
automatically through the syllabus."""
from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap

import numpy as np
import pytest

from course.exercise import ERROR, NOT_YET, PASSED
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
    answer = e.mistake_answer(m)
    r = e.evaluate(answer)
    if e.criterion is not None:  # a rubric criterion reports the learner's number and the bound first
        assert (r.status, r.message) == (NOT_YET, f"{e.criterion.report(answer, NOT_YET)}. {m.diagnosis}")
    else:
        assert (r.status, r.message) == (NOT_YET, m.diagnosis)


def _raises(*args):
    return 1 / 0


# answers a learner really sends: each must get a diagnosis (NOT_YET), never the catch-all "internal error in
# the check" (which is also an ERROR: a test accepting ERROR here could not tell the two apart)
BAD_ANSWERS = {"None": None, "a number for a function": 3.0, "text": "abc", "a function returning None": lambda *a: None,
               "a function returning NaN": lambda *a: np.nan, "NaN": float("nan")}


@pytest.mark.parametrize("les, e", EXERCISES, ids=[f"{les.key}-{e.id}" for les, e in EXERCISES])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_bad_answers_are_diagnosed_and_an_exception_is_the_learners_error(les, e):
    for name, answer in BAD_ANSWERS.items():
        if e.kind == "value" and name == "a number for a function":
            continue                  # a number is a legitimate (if wrong) answer to a value exercise
        r = e.evaluate(answer)
        assert r.status == NOT_YET and r.message and "internal error" not in r.message, (name, r)
    r = e.evaluate(_raises)
    if e.kind == "function":          # the learner's code failed: shown as their error, with its type
        assert r.status == ERROR and "ZeroDivisionError" in r.message and "internal error" not in r.message, r
    else:                             # a function is not a value: diagnosed, the function is never called
        assert r.status == NOT_YET and "internal error" not in r.message, r


@pytest.mark.parametrize("les, e, m", MISTAKES, ids=[f"{les.key}-{e.id}-{m.name}" for les, e, m in MISTAKES])
def test_no_diagnosis_text_gives_the_expected_value_away(les, e, m):
    """The diagnosis as written (not only as shown after a check): no expected number in any usual format
    (0 and 1 are trivial: an identity, a gain of 1)."""
    if e.measured is not None or e.criterion is not None:
        expected = []                   # a measured range or a public bound: no single expected value to hide
    else:
        expected = [v for out in e.expected() for v in np.ravel(out) if np.isfinite(v) and abs(v) > 1e-9 and abs(v) != 1.0]
    for value in expected:
        for text in {f"{value:g}", f"{value:.2f}", f"{value:.3g}", repr(float(value))}:
            if text in ("0.00", "-0.00") or text in e.prompt:
                continue
            assert not re.search(rf"(?<![\d.]){re.escape(text)}(?![\d])", m.diagnosis), (text, m.diagnosis)


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
        capsys.readouterr()  # what the pasted solution printed (lesson 08's project prints its verdict table)
        r = e.evaluate(ns[e.id])
        assert r.status == PASSED, (e.id, r.message)


# -- feedback that teaches: no answer given away, equivalent forms, near-misses, hints ------------------------
def reveals_expected(e, message: str) -> bool:
    """True if ``message`` contains one of ``e``'s expected outputs (within 0.5 %) that is neither trivial
    (0, 1) nor shown anyway (in the prompt, or among the arguments of a case named in the message)."""
    import re

    for i in range(len(e.cases)):  # the arguments of a case may be named in the message: not the answer
        message = message.replace(e._describe(i), "")
    shown = " ".join([e.prompt, repr(e.cases)])
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", message)]
    expected = [float(x) for out in (e.expected() if e.measured is None else []) for x in np.ravel(out)]
    for x in expected:
        if not np.isfinite(x) or abs(x) in (0.0, 1.0) or f"{x:.3g}" in shown:
            continue
        if any(np.isclose(n, x, rtol=5e-3, atol=0) for n in numbers):
            return True
    return False


def _wrapped(e, transform):
    """The reference answer passed through ``transform`` (a function of the exercise, the value of a value one)."""
    if e.kind == "value":
        return transform(np.asarray(e.reference(), dtype=float))
    return lambda *a: transform(np.asarray(e.reference(*a), dtype=float))


# open questions (a measured range) and rubric criteria (a public bound) have no single expected value; rubric
# criteria have their own tests in tests/test_course_criterion.py
COMPUTED = [(les, e) for les, e in EXERCISES if e.measured is None and e.criterion is None]
_COMPUTED_IDS = [f"{les.key}-{e.id}" for les, e in COMPUTED]


@pytest.mark.parametrize("les, e", COMPUTED, ids=_COMPUTED_IDS)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_wrong_answers_never_get_the_expected_value(les, e):
    """Answers off by a factor, an offset or a sign get a diagnosis that does not contain the answer."""
    wrong = [lambda x: x * 1.37, lambda x: x * 0.81 + 0.1 * np.max(np.abs(x) + 1e-300), lambda x: -x - 1.0,
             lambda x: x * 1000, lambda x: np.round(x * 3.3, 2)]
    for k, transform in enumerate(wrong):
        r = e.evaluate(_wrapped(e, transform))
        if r.status == PASSED:
            continue  # e.g. an all-zero answer times 1.37
        assert r.status == NOT_YET and r.message, (k, r)
        assert not reveals_expected(e, r.message), (k, r.message)
    for m in e.mistakes:
        assert not reveals_expected(e, e.evaluate(e.mistake_answer(m)).message), m.name


@pytest.mark.parametrize("les, e", COMPUTED, ids=_COMPUTED_IDS)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_equivalent_forms_of_the_right_answer_pass(les, e):
    """float32, a Python list, a one-element list for a number, a numpy scalar: the same answer."""
    forms = {"float32": lambda x: x.astype(np.float32), "list": lambda x: np.atleast_1d(x).tolist(),
             "numpy scalar or array": lambda x: x[()] if x.ndim == 0 else x}
    for name, transform in forms.items():
        r = e.evaluate(_wrapped(e, transform))
        assert r.status == PASSED, (name, r.message)


# tight relative tolerances only: an open question accepted within an absolute band (e.g. lesson 03's
# fa_lr_drop, +-0.03 around a measured value) accepts 0.3 % off on purpose
TIGHT = [(les, e) for les, e in COMPUTED if e.rtol <= 1e-3 and e.atol <= 1e-6]


@pytest.mark.parametrize("les, e", TIGHT, ids=[f"{les.key}-{e.id}" for les, e in TIGHT])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_an_answer_off_by_three_per_mille_does_not_pass(les, e):
    r = e.evaluate(_wrapped(e, lambda x: x * 1.003 + 3e-3 * (x == 0)))
    assert r.status == NOT_YET, r.message


@pytest.mark.parametrize("les, e", [(les, e) for les, e in EXERCISES if e.steps],
                         ids=[f"{les.key}-{e.id}" for les, e in EXERCISES if e.steps])
def test_a_duration_one_step_off_is_diagnosed(les, e):
    for name in e.steps:
        def one_step_longer(*args, name=name):
            b = inspect.signature(e.reference).bind(*args)
            b.apply_defaults()
            b.arguments[name] += b.arguments[e.dt]
            return e.reference(*b.args, **b.kwargs)
        r = e.evaluate(one_step_longer)
        assert r.status == NOT_YET and f"your {name} lasts one time step too long" in r.message, r.message


def _code_fragments(hint: str) -> list[str]:
    """Pieces of a hint that read as Python: split at ';' and at two or more spaces, kept if they compile."""
    pieces = [p.strip() for p in re.split(r"\s{2,}|;", hint) if p.strip()]
    pieces += [p[p.index("return "):] for p in pieces if "return " in p]  # "One line: return ..."
    out = []
    for p in pieces + [hint]:
        try:  # as statements, or as a function body ("return ..." compiles only there)
            compile("def f():\n" + textwrap.indent(p, "    "), "<hint>", "exec")
            out.append(p)
        except SyntaxError:
            continue
    return out


@pytest.mark.parametrize("les, e", EXERCISES, ids=[f"{les.key}-{e.id}" for les, e in EXERCISES])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_no_hint_is_the_solution(les, e):
    """Run as code, the hints (each, and all together) do not solve the exercise; no hint quotes a line of
    the reference solution."""
    module = importlib.import_module(les.exercises().solutions_module)
    solution_lines = {" ".join(ln.split()) for ln in e.solution.splitlines()
                      if len(ln.strip()) > 20 and not ln.strip().startswith(("def ", "#", '"""'))}
    fragments = [f for h in e.hints for f in _code_fragments(h)]
    for hint in e.hints:
        flat = " ".join(hint.split())
        assert not any(line in flat for line in solution_lines), hint
    for body in fragments + ["\n".join(fragments)]:
        ns = {"np": np, **{k: v for k, v in vars(module).items() if not k.startswith("__")}}
        ns.pop(e.id, None)
        try:
            if e.kind == "function":
                params = ", ".join(inspect.signature(e.reference).parameters)
                exec(f"def {e.id}({params}):\n" + textwrap.indent(body, "    ") + "\n", ns)
            else:
                exec(body, ns)
        except Exception:  # noqa: BLE001 - a fragment that does not run cannot be the solution
            continue
        if e.id in ns:
            assert e.evaluate(ns[e.id]).status != PASSED, f"hint code solves {e.id}: {body!r}"


@pytest.mark.parametrize("les", lessons_with_exercises(), ids=lambda les: les.key)
def test_importing_a_lesson_module_does_not_run_its_solutions(les):
    """The notebook's setup cell imports the lesson module; its solutions (which may run an experiment at top
    level, several seconds) must only be read as text, never executed there."""
    import subprocess
    import sys

    code = (f"import sys, {les.exercise_module} as m; m.EXERCISES.solution(m.EXERCISES.ids[0]); "
            f"assert {les.exercises().solutions_module!r} not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
