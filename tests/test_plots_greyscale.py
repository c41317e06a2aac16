"""Every plot with several series on one Axes tells them apart without colour (line style, marker or hatch),
and the conceptual diagrams draw (issue 11: "readable in greyscale").

A series is identified by what survives a greyscale print: (line style, marker) for lines, the hatch for bars.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from snnlib.energy import OpCounts, estimate  # noqa: E402
from snnlib.experiments.stdp import CorrelationLearning  # noqa: E402
from snnlib.plots import diagrams, spikes, views  # noqa: E402
from snnlib.plots.energy import energy_bars, energy_vs_rate  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _grey_keys(ax):
    """(line style, marker) of every labelled line of the Axes."""
    lines = [ln for ln in ax.get_lines() if isinstance(ln, Line2D) and not ln.get_label().startswith("_")
             and len(ln.get_xdata()) > 1]
    return [(ln.get_linestyle(), ln.get_marker()) for ln in lines]


def assert_lines_distinguishable(ax):
    keys = _grey_keys(ax)
    assert len(keys) >= 2
    assert len(set(keys)) == len(keys), keys


def _counts():
    return OpCounts.spiking([64, 64, 32, 10], 40.0, timesteps=100, dt=1e-3, analog_input=True, linear_output=True)


def test_energy_vs_rate_and_its_view_mark_each_device():
    devices = ("cpu", "gpu", "tpu", "loihi", "truenorth", "spinnaker2")
    assert_lines_distinguishable(energy_vs_rate(_counts(), devices=devices))
    view = views.EnergyRateView(rates=np.logspace(0, 3, 25), devices=devices)
    view.update(_counts(), 40.0)
    assert_lines_distinguishable(view.axes[0])


def test_accuracy_and_decoding_error_series_differ_in_style():
    t = np.array([0.005, 0.01, 0.02])
    assert_lines_distinguishable(spikes.accuracy_vs_time(t, {"a": [0.1, 0.2, 0.3], "b": [0.2, 0.3, 0.4],
                                                              "c": [0.3, 0.4, 0.5]}, 0.5))
    ax = spikes.decoding_error(t, [0.3, 0.2, 0.1], [0.2, 0.1, 0.01], regular_err=[0.2, 0.1, 0.05])
    assert_lines_distinguishable(ax)


def test_weight_learning_with_control_differs_in_style_and_bars_in_hatch():
    t = np.linspace(0, 60, 12)
    run = CorrelationLearning(w_start=np.full(20, 0.5), w_end=np.r_[np.ones(10), np.full(10, 0.4)], n_correlated=10,
                              t=t, w_mean=np.c_[np.linspace(0.5, 1, 12), np.linspace(0.5, 0.4, 12)],
                              post_rate_start=1.0, post_rate_end=2.0, counts={})
    ax1, ax2 = spikes.weight_learning(run, 1.0, control=run)
    assert_lines_distinguishable(ax1)
    assert len(_grey_keys(ax1)) == 4
    hatches = {c.get_label(): c.patches[0].get_hatch() for c in ax2.containers}
    assert len(set(hatches.values())) == len(hatches) == 2


def test_energy_bars_reports_differ_in_hatch():
    ann = estimate([64, 32, 10], ["cpu", "gpu"])
    snn = estimate(OpCounts.spiking([64, 32, 10], 15.0, timesteps=100, dt=1e-3), ["loihi"])
    ax = energy_bars({"ANN": ann, "SNN": snn})
    hatches = [c.patches[0].get_hatch() or "" for c in ax.containers]
    assert len(set(hatches)) == 2


def test_predicted_readout_bar_is_hatched():
    view = views.RasterReadoutView(4, n_classes=3)
    view.update(np.array([0.001]), np.array([1]), 0.05, np.array([0.1, 0.9, 0.2]), 1, "t")
    assert [b.get_hatch() or "" for b in view.bars] == ["", "//", ""]
    view.update(np.array([0.001]), np.array([1]), 0.05, np.array([0.9, 0.1, 0.2]), 0, "t")
    assert [b.get_hatch() or "" for b in view.bars] == ["//", "", ""]


@pytest.mark.parametrize("draw, words", [
    (diagrams.lif_circuit, ("C", "R", "spike", "reset")),
    (diagrams.conversion_pipeline, ("train an ANN", "count spikes", "readout")),
    (diagrams.chip_layouts, ("DRAM", "MAC array", "synapses", "router")),
])
def test_conceptual_diagrams_draw_in_black_and_grey_with_their_labels(draw, words):
    fig = draw()
    fig.canvas.draw()
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    for w in words:
        assert w in texts
    # no colour: every face and edge colour is a grey (r = g = b)
    from matplotlib.colors import to_rgba

    for ax in fig.axes:
        for artist in list(ax.patches) + list(ax.lines):
            colours = [artist.get_edgecolor(), artist.get_facecolor()] if hasattr(artist, "get_facecolor") \
                else [artist.get_color()]
            for c in colours:
                r, g, b, _ = to_rgba(c)
                assert r == pytest.approx(g) == pytest.approx(b), (draw.__name__, c)
