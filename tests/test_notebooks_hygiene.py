"""The stored notebooks are in a state nbval can check meaningfully.

nbval compares only what is stored: a cell that was never run is not compared, a widget cell run
headless stores output a browser would not, a leaked matplotlib return value stores a memory address.
These tests read the stored files (no kernel) and say which cell breaks which rule.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbval import plugin as nbval_plugin

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# A trailing plotting call whose return value got printed, e.g. "[<matplotlib.lines.Line2D at 0x7f..>]"
LEAKED_REPR = re.compile(r"<(matplotlib|mpl_toolkits)\.[\w.]+ (at|object at) 0x[0-9a-f]+>|^Text\(\d", re.M)


def _options(cell) -> dict:
    """nbval's options for a cell (comment markers win over tags, as in nbval)."""
    options = dict(nbval_plugin.find_metadata_tags(cell.get("metadata", {})))
    options.update(nbval_plugin.find_comment_markers(cell.source))
    return options


def _code_cells(path: Path):
    nb = nbformat.read(path, as_version=4)
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def test_is_a_valid_notebook_with_the_python3_kernel(any_notebook):
    nb = nbformat.read(any_notebook, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{any_notebook.name}: kernelspec must be 'python3' (the kernel of the course's environment)")


def test_ran_top_to_bottom_on_a_fresh_kernel(any_notebook):
    """Execution counts 1, 2, 3, ... in order: stored by one clean run (e.g. `make notebooks`), and
    every code cell was run, so nbval compares every cell (it silently skips unrun ones)."""
    counts = [(i, c.execution_count) for i, c in _code_cells(any_notebook) if c.source.strip()]
    expected = list(range(1, len(counts) + 1))
    got = [n for _, n in counts]
    if any_notebook.parent.name == "lessons":
        fix = f"make notebooks NOTEBOOKS=lessons/{any_notebook.name}"
    else:
        fix = f".venv/bin/python -m course.notebook {any_notebook.stem[:2]}"
    assert got == expected, f"{any_notebook.name}: execution counts {got} (expected {expected}); re-run it: `{fix}`"


def test_no_errors_or_stderr_stored(any_notebook):
    """stderr is not compared by nbval (it is machine noise); so it must not carry content either."""
    problems = []
    for i, cell in _code_cells(any_notebook):
        for out in cell.outputs:
            if out.output_type == "error" and not _options(cell).get("check_exception"):
                problems.append(f"cell {i}: stored error {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i}: stderr output {out.text[:120]!r}")
    assert not problems, f"{any_notebook.name}:\n" + "\n".join(problems)


def test_widget_cells_are_not_compared(any_notebook):
    """A widget run by a headless kernel stores its interact output in the cell, which a browser-saved
    notebook does not: such cells must carry NBVAL_IGNORE_OUTPUT (or the nbval-ignore-output tag)."""
    bad = [i for i, cell in _code_cells(any_notebook)
           if any(WIDGET_MIME in out.get("data", {}) for out in cell.outputs)
           and _options(cell).get("check") is not False and not _options(cell).get("skip")]
    assert not bad, f"{any_notebook.name}: widget cells {bad} need '# NBVAL_IGNORE_OUTPUT'"


def test_no_leaked_plot_return_values(any_notebook):
    """End plot cells with plt.show() (or `;`): a printed return value carries a memory address."""
    bad = []
    for i, cell in _code_cells(any_notebook):
        for out in cell.outputs:
            text = out.get("text", "") if out.output_type == "stream" else out.get("data", {}).get("text/plain", "")
            if LEAKED_REPR.search(text):
                bad.append((i, text.strip()[:80]))
    assert not bad, f"{any_notebook.name}: leaked return values {bad}; end the cell with plt.show()"


def test_every_stored_notebook_is_in_the_syllabus(repo_root):
    """nbval runs every notebook under lessons/ and exercises/; each must be one the course knows."""
    from course import syllabus

    known = {les.lesson_notebook for les in syllabus.LESSONS} | {les.exercise_notebook for les in syllabus.LESSONS}
    stored = {p.relative_to(repo_root) for folder in ("lessons", "exercises") for p in (repo_root / folder).glob("*.ipynb")}
    assert stored <= known, f"notebooks not in course/syllabus.py: {sorted(map(str, stored - known))}"


def test_leaked_repr_pattern():
    assert LEAKED_REPR.search("[<matplotlib.lines.Line2D at 0x7f1a2b3c4d50>]")
    assert LEAKED_REPR.search("Text(0.5, 1.0, 'f-I curve')")
    assert not LEAKED_REPR.search("<Figure size 640x480 with 1 Axes>")
    assert not LEAKED_REPR.search("Verdict: 41.7 Hz")


@pytest.mark.parametrize("source, ignored", [
    ("# NBVAL_IGNORE_OUTPUT\ninteract(f)", True),
    ("interact(f)", False),
    ("# NBVAL_SKIP\nx", True),
])
def test_options_follow_nbval(source, ignored):
    cell = nbformat.v4.new_code_cell(source)
    opts = _options(cell)
    assert (opts.get("check") is False or bool(opts.get("skip"))) is ignored
