"""Lesson 08's demo (lose neurons) and verdict reading: the callback stored in the notebook runs at every control's
extremes and draws one kept figure, and each "what to look for" sentence (quoted, so a reworded claim cannot slip
past its check) holds for the curves and seeds the demo shows."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from tests.test_lesson_claims import assert_quoted, grid, load_demo, run

L08 = "08_capstone.ipynb"


@pytest.fixture(scope="module")
def demo():
    """The stored lesson's setup, project run, learners and demo cell, executed here (about 30 s)."""
    callback, controls = load_demo(L08, "loss_demo", needs=("baseline = float(", "project = capstone.measure_capstone(",
                                                                  "FRACTIONS ="))
    ns = callback.__globals__
    return callback, controls, ns


def _errors(ns, fraction, choice):
    from snnlib.experiments import capstone

    return [capstone.error_after_loss(learner, fraction, seed=choice) for learner in ns["learners"]]


def test_demo_runs_at_every_extreme_and_keeps_one_figure(demo):
    callback, controls, _ = demo
    figures = set()
    for kw in grid(controls):
        text = run(callback, **kw)
        assert f"lose {kw['fraction']:.0%} of the units (choice {kw['choice']})" in text
        figures.add(id(callback(**kw)))
    assert len(figures) == 1 and isinstance(callback(), Figure)


def test_spiking_line_rises_smoothly(demo):
    assert_quoted(L08, "the spiking learner's line rises smoothly: no step of 5 % adds more than 0.02 to its error")
    _, _, ns = demo
    pes_curve = ns["loss_curves"][0]
    assert np.all(np.diff(pes_curve) < 0.02) and pes_curve[-1] > pes_curve[0]


def test_ann_jumps_at_once_and_stays_above(demo):
    assert_quoted(L08, "losing 5 % of its units (2 of 32) costs it more, on average, than losing 45 % of its neurons "
                       "costs the spiking learner, and its line stays above the spiking learner's at every fraction "
                       "from 5 % on")
    _, _, ns = demo
    f, (pes_curve, ann_curve, _) = ns["FRACTIONS"], ns["loss_curves"]
    assert f[1] == pytest.approx(0.05) and f[9] == pytest.approx(0.45)
    assert ann_curve[1] - ann_curve[0] > pes_curve[9] - pes_curve[0]
    assert np.all(ann_curve[1:] > pes_curve[1:])


def test_which_units_matter_more_for_the_ann(demo):
    assert_quoted(L08, "at 20 % lost, some choices barely hurt it and others multiply its error by more than four")
    assert_quoted(L08, "the spread of the spiking learner's errors over the seeds is narrower at every fraction above 0")
    _, controls, ns = demo
    seeds = range(controls["choice"].min, controls["choice"].max + 1)
    at20 = np.array([_errors(ns, 0.2, s)[1] for s in seeds]) / ns["ann"].test_error
    assert at20.min() < 1.2 and at20.max() > 4.0
    for fraction in ns["FRACTIONS"][1:]:
        errs = np.array([_errors(ns, fraction, s) for s in seeds])
        spread = errs.max(axis=0) - errs.min(axis=0)
        assert spread[0] < spread[1], fraction


def test_dropout_starts_worse_rises_less_and_lies_below_from_20_percent(demo):
    assert_quoted(L08, "The ANN trained with dropout starts worse but its line rises less than the plain ANN's, and "
                       "from 20 % lost on it lies below it")
    _, _, ns = demo
    f, (_, ann_curve, drop_curve) = ns["FRACTIONS"], ns["loss_curves"]
    assert drop_curve[0] > ann_curve[0]
    assert np.all(drop_curve[1:] - drop_curve[0] < ann_curve[1:] - ann_curve[0])
    assert np.all(drop_curve[f >= 0.2 - 1e-9] < ann_curve[f >= 0.2 - 1e-9])
