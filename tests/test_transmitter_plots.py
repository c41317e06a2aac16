"""Lesson 04's plots (snnlib.plots.transmitters): the kept-figure views return one Figure, hold exactly the data of
the latest update, refuse bad input by name, and the conceptual time-scale figure draws every mechanism."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from snnlib.plots import transmitters as tp  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_stp_view_keeps_one_figure_and_shows_the_latest_data():
    view = tp.STPView()
    t = np.arange(100) * 1e-3
    first = view.update(t, np.exp(-t / 0.01), np.array([0.5, 0.3, 0.2]), 0.1)
    second = view.update(t[:50], np.ones(50), np.array([0.05, 0.08]), 0.2)
    assert first is second and isinstance(first, Figure) and not plt.get_fignums()
    assert np.array_equal(view.current_line.get_xdata(), t[:50] * 1e3)
    assert np.array_equal(view.release_line.get_ydata(), [0.05, 0.08])
    assert list(view.steady_line.get_ydata()) == [0.2, 0.2]
    assert view.axes[1].get_ylim()[1] >= 0.2                         # the steady-state line stays in view
    second.canvas.draw()


def test_stp_view_refuses_bad_input():
    view = tp.STPView()
    with pytest.raises(ValueError, match="t and current"):
        view.update(np.arange(3.0), np.arange(4.0), np.array([0.5]), 0.1)
    with pytest.raises(ValueError, match="release"):
        view.update(np.arange(3.0), np.arange(3.0), np.array([np.nan]), 0.1)
    with pytest.raises(TypeError, match="steady"):
        view.update(np.arange(3.0), np.arange(3.0), np.array([0.5]), "high")


def test_modulation_view_updates_every_curve_and_checks_shapes():
    view = tp.ModulationView(n_curves=3)
    xc, x = np.linspace(-1, 1, 11), np.linspace(-1, 1, 5)
    fig = view.update(xc, np.full((11, 3), 50.0), np.full((11, 3), 20.0), x, x ** 2, x, x ** 2, title="now")
    assert all(np.array_equal(line.get_ydata(), np.full(11, 50.0)) for line in view.modulated)
    assert np.array_equal(view.output_line.get_ydata(), x ** 2) and view.axes[1].get_title() == "now"
    fig.savefig(io.BytesIO(), format="png")
    with pytest.raises(ValueError, match="rates must be finite with shape"):
        view.update(xc, np.zeros((11, 2)), np.zeros((11, 3)), x, x, x, x)
    with pytest.raises(ValueError, match="same length"):
        view.update(xc, np.zeros((11, 3)), np.zeros((11, 3)), x, x[:3], x, x)


def test_timescales_draws_one_bar_per_mechanism_in_order_of_the_table():
    ax = tp.timescales()
    bars = [p for p in ax.patches]
    assert len(bars) == len(tp.TIMESCALES)
    for bar, (_, lo, hi, _) in zip(bars, tp.TIMESCALES):
        assert bar.get_x() == pytest.approx(lo) and bar.get_width() == pytest.approx(hi - lo)
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {r for *_, r in tp.TIMESCALES}
    ax.figure.savefig(io.BytesIO(), format="png")


def test_distal_reward_draws_each_run_in_three_line_styles_with_its_data():
    """One panel per run; the chosen synapse, the others' median and 99th percentile differ in line style (greyscale)
    and hold the run's data, in minutes."""
    from snnlib.experiments.distal_reward import DistalRewardResult

    t = np.arange(1.0, 121.0)
    runs = [DistalRewardResult(t, np.linspace(0.3, w, t.size), np.full(t.size, 0.05), np.full(t.size, 0.3),
                               np.zeros(499), 1, 2, np.array([]), np.array([]), 4.0, 1.0) for w in (0.6, 0.0)]
    fig = tp.distal_reward(runs, ["rewarded", "control"])
    assert [ax.get_title() for ax in fig.axes] == ["rewarded", "control"]
    for ax, r in zip(fig.axes, runs):
        lines = ax.get_lines()
        assert len({line.get_linestyle() for line in lines}) == 3
        assert any(np.array_equal(line.get_ydata(), r.w_rewarded) for line in lines)
        assert all(np.allclose(line.get_xdata(), t / 60.0) for line in lines)
    fig.savefig(io.BytesIO(), format="png")
