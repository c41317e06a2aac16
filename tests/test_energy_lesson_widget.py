"""Lesson 02's power demo: the callback stored in the notebook runs at every control's extremes and prints
the energies snnlib.energy computes, with the break-even verdict the right way round."""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course.widgets import extreme_settings  # noqa: E402
from snnlib.energy import OpCounts, estimate  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "lessons" / "02_power.ipynb"


@pytest.fixture(scope="module")
def demo():
    """The setup cell and the demo cell of the stored lesson, executed here (no training needed)."""
    cells = [c.source for c in nbformat.read(str(NOTEBOOK), as_version=4).cells if c.cell_type == "code"]
    setup = cells[0]
    demo_cell = next(c for c in cells if "def power_demo" in c)
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(setup, "setup", "exec"), ns)
        exec(compile(demo_cell, "demo", "exec"), ns)
    plt.close("all")
    return ns["power_demo"], ns["power_controls"]


def _run(callback, **kw):
    """(printed text, number of figures shown: the kept Figure it returns plus new pyplot ones), each drawn."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = callback(**kw)
    figures = [plt.figure(n) for n in plt.get_fignums()] + ([result] if isinstance(result, Figure) else [])
    for fig in figures:
        fig.canvas.draw()
    plt.close("all")
    return out.getvalue(), len(figures)


def test_demo_runs_at_every_extreme_and_draws_one_figure(demo):
    callback, controls = demo
    for kw in extreme_settings(controls):
        text, n_figs = _run(callback, **kw)
        assert n_figs == 1, kw
        assert "nan" not in text.lower() and "J per inference" in text, kw


def test_demo_prints_the_estimated_energies(demo):
    callback, _ = demo
    text, _ = _run(callback, rate_hz=20.0, t_present_ms=200, hidden=128)
    sizes = [64, 128, 64, 10]
    spikes = OpCounts.spiking(sizes, 20.0, timesteps=200, dt=1e-3, analog_input=True, linear_output=True)
    printed = dict(re.findall(r"(\w+) ([0-9.e+-]+)(?:,|\n)", text.split("J per inference: ")[1].splitlines()[0] + "\n"))
    assert float(printed["loihi"]) == pytest.approx(estimate(spikes, "loihi")["loihi"].total, rel=1e-2)
    assert float(printed["gpu"]) == pytest.approx(
        estimate(OpCounts.dense(sizes, linear_output=True), "gpu")["gpu"].total, rel=1e-2)


def test_demo_verdict_flips_at_the_break_even_rate(demo):
    callback, _ = demo
    low, _ = _run(callback, rate_hz=1.0, t_present_ms=100, hidden=64)
    high, _ = _run(callback, rate_hz=1000.0, t_present_ms=100, hidden=64)
    assert "loihi: cheaper than the gpu" in low
    assert "loihi: dearer than the gpu" in high
    assert "spinnaker2: dearer than the gpu (never breaks even)" in low
    assert "loihi: cheaper than the gpu (break-even 168 Hz); dearer than the tpu (never breaks even)" in low


def _training_call(path):
    """The `train_digits_net(...)` call of a lesson notebook, whitespace removed."""
    import ast

    for cell in nbformat.read(str(path), as_version=4).cells:
        if cell.cell_type == "code" and "train_digits_net(" in cell.source:
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "train_digits_net":
                    return "".join(ast.unparse(node).split())
    return None


def test_lesson02_trains_the_same_network_as_lesson01():
    # section 3 promises lesson 01's converted network: the training calls must stay identical
    lesson01 = NOTEBOOK.parent / "01_spikes.ipynb"
    if not lesson01.exists():
        pytest.fail("lessons/01_spikes.ipynb is missing; lesson 02 reuses its network")
    assert _training_call(NOTEBOOK) is not None
    assert _training_call(NOTEBOOK) == _training_call(lesson01)
