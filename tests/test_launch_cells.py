"""The lessons' first cells (Binder and Colab badges, the Colab install cell) come from tools/launch_cells.py."""
import importlib.util
import json
import sys
import types
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("launch_cells", ROOT / "tools" / "launch_cells.py")
launch = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launch)


@pytest.mark.parametrize("path", launch.lesson_paths(), ids=lambda p: p.name)
def test_every_lesson_starts_with_the_current_launch_cells(path):
    nb = nbformat.read(path, as_version=4)
    rel = path.relative_to(ROOT).as_posix()
    want = launch.launch_cells(rel)
    got = nb.cells[:2]
    assert [c.source for c in got] == [c.source for c in want], \
        f"{rel}: launch cells missing or outdated: run `make launch-cells` (tools/launch_cells.py --write)"
    assert got[1].outputs == [], "the install cell must produce no output outside Colab (nbval compares)"
    assert sum(c.metadata.get("course", {}).get("role") == "launch" for c in nb.cells) == 2
    assert f"lab/tree/{rel}" in got[0].source and f"blob/main/{rel}" in got[0].source


def test_readme_has_the_launch_badges():
    text = (ROOT / "README.md").read_text()
    assert launch.badges(None) in text
    assert launch.process(write=False) == []


def test_write_is_idempotent_and_replaces_old_cells(tmp_path, monkeypatch):
    # a copy of the course with a lesson whose launch cell is outdated and in the wrong place
    (tmp_path / "lessons").mkdir()
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (tmp_path / "README.md").write_text("# Title\n\ntext\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Lesson"),
                                         nbformat.v4.new_code_cell("x = 1", execution_count=1),
                                         nbformat.v4.new_code_cell("old", metadata={"course": {"role": "launch"}})])
    nbformat.write(nb, tmp_path / "lessons" / "09_test.ipynb")
    monkeypatch.setattr(launch, "ROOT", tmp_path)
    assert launch.process(write=True) == ["lessons/09_test.ipynb", "README.md"]
    first = (tmp_path / "lessons" / "09_test.ipynb").read_bytes(), (tmp_path / "README.md").read_bytes()
    assert launch.process(write=True) == []
    assert ((tmp_path / "lessons" / "09_test.ipynb").read_bytes(), (tmp_path / "README.md").read_bytes()) == first
    cells = json.loads(first[0])["cells"]
    assert [c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in cells][2:] == ["# Lesson", "x = 1"]
    assert [c.get("execution_count") for c in cells if c["cell_type"] == "code"] == [1, 2]


def run_install_cell(monkeypatch, on_colab: bool):
    """Run the install cell as IPython would (magics transformed), with a fake IPython and Colab."""
    calls = []
    shell = types.SimpleNamespace(run_line_magic=lambda name, line: calls.append((name, line)))
    if on_colab:
        output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append(("widgets", "")))
        colab = types.ModuleType("google.colab")
        colab.output = output
        google = types.ModuleType("google")
        google.colab = colab
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    code = TransformerManager().transform_cell(launch.install_source())
    exec(compile(code, "launch-colab", "exec"), {"get_ipython": lambda: shell})
    return calls


def test_install_cell_does_nothing_outside_colab(monkeypatch, capsys):
    assert run_install_cell(monkeypatch, on_colab=False) == []
    assert capsys.readouterr() == ("", "")


def test_install_cell_installs_the_course_and_widgets_on_colab(monkeypatch):
    calls = run_install_cell(monkeypatch, on_colab=True)
    assert calls[0][0] == "pip"
    assert f"git+https://github.com/{launch.repository()}@main" in calls[0][1]
    assert calls[1] == ("widgets", "")
