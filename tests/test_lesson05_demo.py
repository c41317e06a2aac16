"""Lesson 05's two demos: the callbacks stored in the notebook run at every control's extremes, draw their kept
figures, and what the "what to look for" texts promise is what they print (each quoted sentence must still be in
the lesson)."""
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

from course.widgets import control_ranges, extreme_settings  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "lessons" / "05_noise.ipynb"


def _lesson_text():
    cells = nbformat.read(str(NOTEBOOK), as_version=4).cells
    return " ".join(" ".join(c.source.split()) for c in cells if c.cell_type == "markdown")


def _assert_quoted(quote):
    assert " ".join(quote.split()) in _lesson_text(), f"the lesson no longer says {quote!r}: update this check"


@pytest.fixture(scope="module")
def demos():
    """The setup cell and the two demo cells of the stored lesson, executed here."""
    cells = [c.source for c in nbformat.read(str(NOTEBOOK), as_version=4).cells if c.cell_type == "code"]
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for src in [cells[0]] + [c for c in cells if "def irregular_demo" in c or "def decoding_demo" in c]:
            exec(compile(src, "lesson05", "exec"), ns)
    plt.close("all")
    return {"irregular": (ns["irregular_demo"], ns["irregular_controls"]),
            "decoding": (ns["decoding_demo"], ns["decoding_controls"])}


def _run(callback, **kw):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = callback(**kw)
    assert isinstance(result, Figure) and not plt.get_fignums()
    result.canvas.draw()
    return out.getvalue()


def _number(name, text):
    m = re.search(rf"{name} (-?\d+\.\d+)", text)
    return float(m.group(1)) if m else None


@pytest.mark.parametrize("demo", ["irregular", "decoding"])
def test_demo_runs_at_every_extreme(demos, demo):
    callback, controls = demos[demo]
    for kw in extreme_settings(controls):
        text = _run(callback, **kw)
        assert "nan" not in text.lower(), (kw, text)


def test_irregular_defaults_near_poisson(demos):
    _assert_quoted("at the defaults the histogram follows the Poisson curve and the CV is near 1")
    text = _run(demos["irregular"][0])
    assert 0.8 < _number("CV", text) < 1.2, text


def test_irregular_without_noise_silent_below_threshold_clock_above(demos):
    _assert_quoted("Set the fluctuations to 0: below threshold ($\\mu < 1$) the neurons fall silent, above it they "
                   "fire like a clock, with a CV of at most 0.01")
    callback, controls = demos["irregular"]
    lo, hi, _ = control_ranges(controls)["mean"]
    for mean in (lo, 0.5, 0.95, 1.05, 1.5, hi):
        text = _run(callback, mean=mean, sigma=0.0)
        if mean < 1:
            assert text.startswith("no spikes"), (mean, text)
        else:
            assert _number("CV", text) <= 0.01, (mean, text)


def test_irregular_large_mean_small_noise_is_regular(demos):
    _assert_quoted("With a large mean and small fluctuations the CV is small")
    callback, controls = demos["irregular"]
    hi = control_ranges(controls)["mean"][1]
    assert _number("CV", _run(callback, mean=hi, sigma=0.1)) < 0.2


def test_decoding_noise_part_shrinks_from_smallest_to_largest_population_at_every_noise_level(demos):
    _assert_quoted("at any noise level, going from the smallest to the largest population shrinks the noise part "
                   "several times over")
    callback, controls = demos["decoding"]
    ranges = control_ranges(controls)
    (n_lo, n_hi, _), (s_lo, s_hi, s_def) = ranges["n_neurons"], ranges["sigma"]
    for sigma in (s_lo, s_def, s_hi):
        small = _number("noise part", _run(callback, n_neurons=n_lo, sigma=sigma))
        large = _number("noise part", _run(callback, n_neurons=n_hi, sigma=sigma))
        assert large < small / 3, (sigma, small, large)
