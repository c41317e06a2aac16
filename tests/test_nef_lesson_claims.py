"""Lesson 06's demo claims checked against its demo at the control extremes (the method and helpers of
tests/test_lesson_claims.py: the quote must still be in the lesson; the demo runs from the lesson's own cells)."""
from __future__ import annotations

import re

import numpy as np

from test_lesson_claims import assert_quoted, grid, load_demo, run

NAME = "06_nef.ipynb"


def _parse(text):
    m = re.search(r"distortion RMS ([\d.]+), noise s.d. ([\d.]+), total [\d.]+; (\d+)% of x where no neuron fires",
                  text)
    assert m, text
    return float(m.group(1)), float(m.group(2)), int(m.group(3))


def test_tuning_demo_claims_hold_at_every_extreme():
    demo, controls = load_demo(NAME, "nef_demo")
    assert_quoted(NAME, "intercepts crowded near 1 leave most of the range to no neuron at all (the error is then "
                        "$-x$ there)")
    assert_quoted(NAME, "the static noise band barely moves with the max rates")
    assert_quoted(NAME, "At the default ranges it is $N$ that shrinks the band: from 30 to 300 neurons about threefold")
    assert_quoted(NAME, "At $N = 1$ the estimate has one sign")
    results = {}
    for kw in grid(controls):
        results[(kw["n_neurons"], tuple(kw["intercepts"]), tuple(kw["max_rates"]))] = _parse(run(demo, **kw))
        if kw["intercepts"][0] >= 0.9:
            assert results[(kw["n_neurons"], tuple(kw["intercepts"]), tuple(kw["max_rates"]))][2] >= 90
    for (n, icpt, rates), (_, noise, _) in results.items():
        other = [v for k, v in results.items() if k[0] == n and k[1] == icpt and k[2] != rates]
        for _, noise2, _ in other:                       # max rates at their extremes: the band moves little
            assert 0.67 < noise / noise2 < 1.5, (n, icpt, rates)
    noise_30, noise_300 = _parse(run(demo, n_neurons=30))[1], _parse(run(demo, n_neurons=300))[1]
    assert 2.5 < noise_30 / noise_300 < 4.0                  # "about threefold" (sqrt(10) = 3.2; measured 3.3)
    # N = 1: the decoded estimate (error + x, from the returned figure) never changes sign
    fig = demo(n_neurons=1)
    x, err = fig.axes[1].lines[1].get_xdata(), fig.axes[1].lines[1].get_ydata()
    estimate = err + x
    assert np.all(estimate >= -1e-12) or np.all(estimate <= 1e-12)
