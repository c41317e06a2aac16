"""Lesson 07's firing-pattern demo: the callback stored in the notebook runs at every control's extremes, draws
one kept figure, and the patterns its "what to look for" text promises are the ones it names."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course.widgets import extreme_settings  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "lessons" / "07_beyond_lif.ipynb"


@pytest.fixture(scope="module")
def demo():
    """The setup cell and the demo cell of the stored lesson, executed here."""
    cells = [c.source for c in nbformat.read(str(NOTEBOOK), as_version=4).cells if c.cell_type == "code"]
    demo_cell = next(c for c in cells if "def pattern_demo" in c)
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(cells[0], "setup", "exec"), ns)
        exec(compile(demo_cell, "demo", "exec"), ns)
    plt.close("all")
    return ns["pattern_demo"], ns["pattern_controls"]


def _run(callback, **kw):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = callback(**kw)
    assert isinstance(result, Figure) and not plt.get_fignums()
    result.canvas.draw()
    return out.getvalue()


def test_demo_runs_at_every_extreme(demo):
    callback, controls = demo
    for kw in extreme_settings(controls):
        text = _run(callback, **kw)
        assert "spikes in 1 s:" in text and "nan" not in text.lower(), kw


def _lesson_text():
    cells = nbformat.read(str(NOTEBOOK), as_version=4).cells
    return " ".join(" ".join(c.source.split()) for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("settings, family, quote", [
    (dict(), "RS", "start from the defaults (RS: intervals lengthen, then level off)"),
    (dict(c=-55.0, d=4.0), "IB", "Raise $c$ to -55 with $d = 4$ (IB"),
    (dict(c=-50.0, d=2.0), "CH", "or $c = -50$, $d = 2$ (CH"),
    (dict(a=0.1, d=2.0), "FS", "$a = 0.1$, $d = 2$ gives FS"),
    (dict(I=0.0), "none", "Turn $I$ down to 0 and the neuron is silent"),
])
def test_the_settings_named_in_the_text_give_their_pattern(demo, settings, family, quote):
    """Each sentence of the demo's "what to look for" text is still in the lesson, and the demo agrees with it."""
    assert quote in _lesson_text()
    callback, _ = demo
    text = _run(callback, **settings)
    assert f": {family} (" in text, text
