"""`make notebooks` (tools/execute_notebooks.py) stores exactly what nbval then reproduces.

The round trip is the property that matters: a notebook written by the script must pass nbval on a
new kernel, or every re-executed lesson would fail `make test`.
"""
from __future__ import annotations

import json
import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _notebook(path, *sources):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_markdown_cell("# fixture")] + [new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def _execute(repo_root, *args):
    return subprocess.run([sys.executable, str(repo_root / "tools" / "execute_notebooks.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=240)


def test_executed_notebook_passes_nbval_and_failing_one_is_left_untouched(repo_root, tmp_path, run_nbval):
    good = _notebook(tmp_path / "good.ipynb",
                     "import numpy as np\nx = np.random.default_rng(7).exponential(0.02, 5000)",
                     "print(f'Verdict: CV = {x.std() / x.mean():.3f}')",
                     "import os\nprint(os.environ['PYTHONHASHSEED'], sorted({'b', 'a'}))")
    bad = _notebook(tmp_path / "bad.ipynb", "print('before')", "1 / 0")
    bad_before = bad.read_text()
    times = tmp_path / "times.json"

    result = _execute(repo_root, good, bad, "--json", times)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED: ZeroDivisionError" in result.stdout
    assert bad.read_text() == bad_before  # not written back

    nb = nbformat.read(good, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3]
    cv = float(code[1].outputs[0]["text"].removeprefix("Verdict: CV = "))
    assert abs(cv - 1) < 0.05  # exponential intervals: CV = 1 (5000 samples: s.e. about 0.014)
    assert code[2].outputs[0]["text"] == "0 ['a', 'b']\n"  # kernels get PYTHONHASHSEED=0
    assert not any("execution" in c.metadata for c in code)  # no timestamps stored
    assert set(json.loads(times.read_text())["seconds"]) == {str(good), str(bad)}

    check = run_nbval([good], tmp_path)
    assert check.returncode == 0 and "3 passed" in check.stdout, check.stdout + check.stderr


def test_check_mode_does_not_write(repo_root, tmp_path):
    nb_path = _notebook(tmp_path / "n.ipynb", "print(6 * 7)")
    before = nb_path.read_text()
    result = _execute(repo_root, "--check", nb_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ran" in result.stdout and nb_path.read_text() == before


def test_rejects_what_is_not_a_notebook(repo_root, tmp_path):
    (tmp_path / "notes.txt").write_text("hi")
    result = _execute(repo_root, tmp_path / "notes.txt")
    assert result.returncode == 2
    assert "not a notebook file" in result.stderr and "expected an existing .ipynb" in result.stderr
    assert "no notebooks given" in _execute(repo_root).stderr
