"""nbval must catch a changed verdict number.

The lessons' verdicts are printed text, and the only thing that keeps them honest is nbval's
comparison of stored against fresh output. These tests prove that comparison bites:

1. End to end, on a small generated notebook (seeded numpy, no snnlib): nbval, run exactly as
   `make test` runs it (strict, our sanitize file, a fresh kernel), passes the stored copy and fails
   a copy in which one digit of the verdict was changed, naming that cell and no other.
2. On every real lesson: the verdict cells' stored text survives our sanitize patterns, and nbval's
   own comparison rejects the stored output with one digit changed. (Running each lesson a second
   time end to end would double the suite's run time; the unmodified lessons pass in the main nbval run.)
"""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbval import plugin as nbval_plugin
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

VERDICT_CELL = 2  # index of the verdict cell in the fixture notebook's cell list


def nbval_cell_number(nb, index: int) -> int:
    """nbval names a cell by its position among the code cells ("Cell 0" is the first code cell)."""
    return sum(cell.cell_type == "code" for cell in nb.cells[:index])


def build_fixture_notebook(path: Path) -> None:
    """Write an executed notebook whose verdict is a seeded numpy computation, plus cells that rely
    on the sanitizer (a memory address) and on NBVAL_IGNORE_OUTPUT (a wall-clock reading)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_markdown_cell("# Fixture: a seeded verdict"),
        new_code_cell("import numpy as np\nrng = np.random.default_rng(2024)\nx = rng.normal(1.5, 0.25, size=10_000)"),
        new_code_cell('print(f"Verdict: mean = {x.mean():.4f}, std = {x.std():.4f} over n = {x.size} samples")'),
        new_code_cell("print(object())  # a memory address: differs every run, sanitized"),
        new_code_cell("# NBVAL_IGNORE_OUTPUT\nimport time\nprint(f'wall clock {time.time()}')"),
    ]
    # the project's executor: a print the kernel sent in pieces (its flush thread, on a busy machine) is joined
    # into one output, as in the stored lessons, so the verdict is outputs[0] whole
    from course.notebook import execute

    execute(nb, path.parent, timeout=60)
    nbformat.write(nb, path)


def change_one_digit(text: str) -> str:
    """Return text with the first digit after 'Verdict' (or the first digit at all) changed."""
    start = max(text.find("Verdict"), 0)
    match = re.compile(r"\d").search(text, start)
    if match is None:
        raise ValueError(f"no digit to change in {text!r}")
    i = match.start()
    return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:]


def test_change_one_digit():
    assert change_one_digit("Verdict: 41.71 Hz") == "Verdict: 51.71 Hz"
    assert change_one_digit("n=9 Verdict: rate 9") == "n=9 Verdict: rate 0"
    assert change_one_digit("accuracy 0.97") == "accuracy 1.97"
    with pytest.raises(ValueError, match="no digit"):
        change_one_digit("no numbers here")


def test_nbval_fails_a_changed_verdict_and_passes_the_original(tmp_path, run_nbval):
    pristine = tmp_path / "pristine.ipynb"
    build_fixture_notebook(pristine)
    nb = nbformat.read(pristine, as_version=4)
    stream = nb.cells[VERDICT_CELL].outputs[0]
    assert stream["text"].startswith("Verdict: mean = 1.")
    stream["text"] = change_one_digit(stream["text"])
    altered = tmp_path / "altered.ipynb"
    nbformat.write(nb, altered)

    result = run_nbval([pristine, altered], tmp_path)
    log = result.stdout + result.stderr
    failed = re.findall(r"^FAILED (.+?) - ", result.stdout, flags=re.MULTILINE)
    assert result.returncode == 1, log
    # Exactly the altered verdict cell fails; every other cell of both copies passes, so the failure is
    # detection of the change, not a notebook that cannot run or a sanitizer gap (cell 3's address).
    assert failed == [f"altered.ipynb::Cell {nbval_cell_number(nb, VERDICT_CELL)}"], log
    # 4 code cells in each copy: 7 pass, 1 fails.
    assert re.search(r"^1 failed, 7 passed\b", result.stdout, flags=re.MULTILINE), log
    assert "Cell outputs differ" in log, log
    assert stream["text"].split("=")[1].strip().split(",")[0] in log, log  # the changed number is shown


class _StoredComparer:
    """nbval's own output comparison (IPyNbCell.compare_outputs), applied without a kernel.

    nbval's methods only need `parent.sanitize_patterns`, `parent.skip_compare`, `colors` and an
    assertion-repr hook, which this provides; the comparison logic itself is nbval's, unchanged.
    """

    compare_outputs = nbval_plugin.IPyNbCell.compare_outputs
    sanitize = nbval_plugin.IPyNbCell.sanitize
    format_output_compare = nbval_plugin.IPyNbCell.format_output_compare
    colors = nbval_plugin.nocolors
    config = None

    def __init__(self, sanitize_file: Path):
        patterns = nbval_plugin.get_sanitize_patterns(sanitize_file.read_text())
        skip = ("metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
                "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg", "stderr")
        self.parent = SimpleNamespace(sanitize_patterns=dict(patterns), skip_compare=skip)
        self.ihook = SimpleNamespace(pytest_assertrepr_compare=lambda **_: [])

    def same(self, fresh, stored) -> bool:
        c = nbval_plugin.coalesce_streams
        return self.compare_outputs(c([nbformat.from_dict(o) for o in fresh]), c([nbformat.from_dict(o) for o in stored]))


def _is_ignored(cell) -> bool:
    """True if nbval does not compare this cell's output (comment marker or tag, read by nbval's code)."""
    options = dict(nbval_plugin.find_metadata_tags(cell.get("metadata", {})))
    options.update(nbval_plugin.find_comment_markers(cell.source))
    return options.get("check") is False or bool(options.get("skip"))


def _text_of(output) -> str | None:
    if output.get("output_type") == "stream" and output.get("name") == "stdout":
        return output["text"]
    if output.get("output_type") in ("execute_result", "display_data"):
        return output.get("data", {}).get("text/plain")
    return None


def verdict_cells(nb) -> list[int]:
    """Indices of checked code cells whose stored text output is a verdict: they follow a heading
    containing 'Verdict', or print the word themselves, and contain a digit."""
    found, in_verdict = [], False
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and re.search(r"^#+ .*verdict", cell.source, re.I | re.M):
            in_verdict = True
        elif cell.cell_type == "markdown" and re.search(r"^#+ ", cell.source, re.M):
            in_verdict = False
        if cell.cell_type != "code" or _is_ignored(cell):
            continue
        text = "".join(t for t in map(_text_of, cell.outputs) if t)
        if re.search(r"\d", text) and (in_verdict or "verdict" in text.lower()):
            found.append(i)
    return found


def test_stored_comparer_matches_nbval_on_the_fixture(tmp_path, sanitize_file):
    """The in-process comparer gives nbval's answers: the memory-address cell compares equal across runs
    only thanks to the sanitizer, and the changed verdict is rejected."""
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    build_fixture_notebook(a)
    build_fixture_notebook(b)
    na, nb = nbformat.read(a, as_version=4), nbformat.read(b, as_version=4)
    cmp = _StoredComparer(sanitize_file)
    address_a, address_b = na.cells[3].outputs[0]["text"], nb.cells[3].outputs[0]["text"]
    assert address_a != address_b  # two runs, two addresses
    assert cmp.same(nb.cells[3].outputs, na.cells[3].outputs)
    assert cmp.same(nb.cells[VERDICT_CELL].outputs, na.cells[VERDICT_CELL].outputs)
    altered = [dict(o) for o in na.cells[VERDICT_CELL].outputs]
    altered[0]["text"] = change_one_digit(altered[0]["text"])
    assert not cmp.same(nb.cells[VERDICT_CELL].outputs, altered)


# A measured number: digits with a decimal part, or digits followed by a unit (Hz, ms, nJ, %, x ...).
# List and lesson numbers ("1.", "lesson 01") are neither, so they are never the one changed.
_UNIT = r"(?:[munpfkMGµ]?(?:Hz|s|J|W|V|A)|%|x|dB)"
_MEASURED = re.compile(rf"(?<![\w.])(\d[\d,]*\.\d+|\d[\d,]*(?=\s?{_UNIT}\b))")


def measured_numbers(text: str) -> list[re.Match]:
    """The measured numbers in a verdict's text (see _MEASURED)."""
    return list(_MEASURED.finditer(text))


def change_number(text: str, match: re.Match) -> str:
    """``text`` with the first digit of the number ``match`` changed."""
    i = match.start()
    return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:]


def test_measured_numbers_are_the_ones_with_units_or_decimals():
    text = "VERDICT, lesson 01\n1. rates within 0.41 Hz; 20 ms; 8,210x the brain; 3 neurons; CV 1.00."
    assert [m.group() for m in measured_numbers(text)] == ["0.41", "20", "8,210", "1.00"]
    assert change_number(text, measured_numbers(text)[0]).count("1.41 Hz") == 1


def test_lesson_verdicts_are_checked_digit_for_digit(lesson_notebook, sanitize_file):
    """Every measured number of every verdict (a number with a unit or a decimal part, not a list or
    lesson number), changed one at a time, makes nbval's comparison fail under our sanitize patterns:
    no pattern hides a measurement."""
    nb = nbformat.read(lesson_notebook, as_version=4)
    cells = verdict_cells(nb)
    assert cells, f"{lesson_notebook.name}: no checked code cell prints a verdict with a number (course-design.md, item 5)"
    cmp = _StoredComparer(sanitize_file)
    changed = 0
    for i in cells:
        stored = nb.cells[i].outputs
        assert cmp.same(stored, stored)
        for k, o in enumerate(stored):
            text = _text_of(o)
            for match in measured_numbers(text or ""):
                altered = [dict(x) for x in stored]
                out = nbformat.from_dict(altered[k])
                if out["output_type"] == "stream":
                    out["text"] = change_number(text, match)
                else:
                    out["data"] = dict(out["data"], **{"text/plain": change_number(text, match)})
                altered[k] = out
                assert not cmp.same(stored, altered), (
                    f"{lesson_notebook.name} cell {i}: the measured number {match.group()!r} "
                    f"(...{text[max(0, match.start() - 30):match.end() + 10]!r}...) changed, "
                    "and the sanitize patterns hid it")
                changed += 1
    assert changed, f"{lesson_notebook.name}: the verdict prints no measured number (with a unit or decimals)"
