"""Lesson-01 plots draw what they are given, with labelled axes (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import snnlib as snn  # noqa: E402
from snnlib.plots import spikes as sp  # noqa: E402
from snnlib.experiments.stdp import CorrelationLearning  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _labelled(ax):
    return ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_isi_and_decoding_plots():
    ax = sp.isi_histogram(np.random.default_rng(0).exponential(0.05, 500), rate=20.0)
    assert _labelled(ax) and len(ax.lines) == 1
    ax = sp.decoding_error([0.01, 0.1], [0.2, 0.06], [0.2, 0.01])
    assert _labelled(ax) and ax.get_xscale() == "log" and len(ax.lines) == 2


def test_code_rasters_shows_every_spike():
    axes = sp.code_rasters((np.array([0.001, 0.02]), np.array([0, 1])), np.array([0.01, 0.03, np.inf]), 0.025)
    offsets = axes[0].collections[-1].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], [1.0, 20.0])  # ms
    assert axes[1].get_xlabel() == "time (ms)"


def test_accuracy_and_window_plots():
    ax = sp.accuracy_vs_time([0.01, 0.1], {"scale 1": [0.5, 0.95]}, 0.96)
    assert _labelled(ax)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [50, 95])
    rule = snn.STDP()
    dt = np.array([-0.02, 0.01])
    ax = sp.stdp_window(dt, rule.window(dt), analytic=rule.window)
    assert _labelled(ax)


def test_weight_learning_plot():
    res = CorrelationLearning(w_start=np.full(4, 0.5), w_end=np.array([1.0, 0.9, 0.1, 0.2]), n_correlated=2,
                              t=np.array([0.0, 1.0]), w_mean=np.array([[0.5, 0.5], [0.95, 0.15]]),
                              post_rate_start=1.0, post_rate_end=2.0, counts={})
    ax1, ax2 = sp.weight_learning(res, w_max=1.0)
    np.testing.assert_allclose(ax1.lines[0].get_ydata(), [0.5, 0.95])
    assert ax2.get_ylabel() == "weight / w_max"
