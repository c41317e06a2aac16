"""The named kernel mutants of `make mutate` (tools/kernel_mutants.py) still aim at real code.

The mutants themselves run only under `make mutate` (minutes each, with the JIT); this cheap check keeps
their table from going stale when the simulator or a model is rewritten: each snippet must occur exactly
once in its file and its replacement must still be valid Python, and the runner must refuse to run a
table with a stale entry instead of skipping it."""

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def km():
    spec = importlib.util.spec_from_file_location("kernel_mutants", ROOT / "tools" / "kernel_mutants.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod          # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(mod)
        yield mod
    finally:
        sys.modules.pop(spec.name, None)


def test_every_mutant_aims_at_code_that_exists_once(km):
    assert km.stale_targets() == []


def test_every_mutant_changes_its_file_and_still_parses(km):
    for m in km.MUTANTS:
        text = (ROOT / m.path).read_text()
        mutated = text.replace(m.old, m.new)
        assert mutated != text, m.name
        ast.parse(mutated, filename=m.path)       # a mutant that does not parse would not test anything
        for t in m.tests:
            assert (ROOT / t.split("::")[0]).is_file(), (m.name, t)


def test_names_are_unique_and_cover_the_issue_list(km):
    names = [m.name for m in km.MUTANTS]
    assert len(names) == len(set(names))
    # issue 21: refractory handling, synaptic decay, STDP sign and traces
    for topic in ("refractory", "synaptic", "stdp_depression_sign", "stdp_potentiation_sign", "trace"):
        assert any(topic in n for n in names), topic


def test_a_stale_entry_stops_the_run_before_anything_runs(km, monkeypatch, capsys):
    gone = km.Mutant("gone", "a snippet nobody wrote", "snnlib/neurons/lif.py", "no such code (x_x)", "y", ())
    missing = km.Mutant("no_file", "a file that is gone", "snnlib/no_such_module.py", "x", "y", ())
    assert km.stale_targets([gone, missing]) == [
        "gone: snnlib/neurons/lif.py: the snippet occurs 0 times: 'no such code (x_x)'",
        "no_file: snnlib/no_such_module.py: the file is gone: 'x'"]

    def must_not_run(m, timeout=0):
        raise AssertionError("a mutant ran although the table is stale")

    monkeypatch.setattr(km, "MUTANTS", km.MUTANTS + [gone])
    monkeypatch.setattr(km, "run_mutant", must_not_run)
    assert km.main([]) == 2
    assert "gone: snnlib/neurons/lif.py" in capsys.readouterr().err
