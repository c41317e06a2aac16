"""The lessons' first cells (Binder and Colab badges, the Colab install cell) come from tools/launch_cells.py."""
import importlib.util
import sys
import types
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("launch_cells", ROOT / "tools" / "launch_cells.py")
launch = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launch)


@pytest.mark.parametrize("path", launch.lesson_paths(), ids=lambda p: p.name)
def test_every_lesson_starts_with_the_current_launch_cells(path):
    nb = nbformat.read(path, as_version=4)
    rel = path.relative_to(ROOT).as_posix()
    assert nb.cells[0].source == launch.badges(rel), \
        f"{rel}: badges missing or outdated: run `make launch-cells` (tools/launch_cells.py --write)"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source.startswith(launch.install_source()), \
        f"{rel}: the Colab block is missing or outdated at the top of the setup cell: run `make launch-cells`"
    assert sum(c.source.count(launch.BLOCK_START) for c in nb.cells if c.cell_type == "code") == 1
    assert sum(c.metadata.get("course", {}).get("role") == "launch" for c in nb.cells) == 1
    assert f"lab/tree/{rel}" in nb.cells[0].source and f"blob/main/{rel}" in nb.cells[0].source


def test_readme_has_the_launch_badges():
    text = (ROOT / "README.md").read_text()
    assert launch.badges(None) in text
    assert launch.process(write=False) == []


def test_write_is_idempotent_and_replaces_old_cells(tmp_path, monkeypatch):
    # a copy of the course with a lesson holding an outdated badge cell and an outdated block, misplaced
    (tmp_path / "lessons").mkdir()
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (tmp_path / "README.md").write_text("# Title\n\ntext\n")
    old_block = f"{launch.BLOCK_START}\nold = 1\n{launch.BLOCK_END}\n"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Lesson"),
                                         nbformat.v4.new_code_cell("x = 1", execution_count=1),
                                         nbformat.v4.new_markdown_cell("old", metadata={"course": {"role": "launch"}}),
                                         nbformat.v4.new_code_cell(old_block + "y = 2", execution_count=2)])
    nbformat.write(nb, tmp_path / "lessons" / "09_test.ipynb")
    monkeypatch.setattr(launch, "ROOT", tmp_path)
    assert launch.process(write=True) == ["lessons/09_test.ipynb", "README.md"]
    first = (tmp_path / "lessons" / "09_test.ipynb").read_bytes(), (tmp_path / "README.md").read_bytes()
    assert launch.process(write=True) == []
    assert ((tmp_path / "lessons" / "09_test.ipynb").read_bytes(), (tmp_path / "README.md").read_bytes()) == first
    cells = nbformat.reads(first[0].decode(), as_version=4).cells
    assert [c.source for c in cells] == [launch.badges("lessons/09_test.ipynb"), "# Lesson",
                                         launch.install_source() + "\nx = 1", "y = 2"]
    assert [c.execution_count for c in cells if c.cell_type == "code"] == [1, 2]   # counts untouched


def run_install_cell(monkeypatch, on_colab: bool):
    """Run the install block (plain Python) with a fake Colab and a pip that only records its command."""
    calls = []
    monkeypatch.setattr("subprocess.run", lambda cmd, check: calls.append(("pip", " ".join(cmd))))
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
    exec(compile(launch.install_source(), "launch-colab", "exec"), {})
    return calls


def test_install_block_does_nothing_outside_colab(monkeypatch, capsys):
    assert run_install_cell(monkeypatch, on_colab=False) == []
    assert capsys.readouterr() == ("", "")


def test_install_block_installs_the_course_and_widgets_on_colab(monkeypatch):
    calls = run_install_cell(monkeypatch, on_colab=True)
    assert calls[0][0] == "pip" and "-m pip install" in calls[0][1]
    assert f"git+https://github.com/{launch.repository()}@main" in calls[0][1]
    assert calls[1] == ("widgets", "")
