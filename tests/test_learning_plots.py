"""plots.LearningCurvesView (the lesson 03 demo's kept figure) and the feedback-path schematic."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from snnlib import plots  # noqa: E402
from snnlib.plots.learning import feedback_paths  # noqa: E402

EPOCHS = np.arange(6)
ACC = [np.linspace(0.1, 0.9, 6), np.linspace(0.2, 0.95, 6)]
ANGLES = np.column_stack([np.linspace(88, 50, 6), np.linspace(92, 40, 6)])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_view_returns_one_kept_figure_and_makes_no_pyplot_figures():
    view = plots.LearningCurvesView()
    first = view.update(EPOCHS, ACC, ANGLES, "a", "b")
    second = view.update(EPOCHS, ACC[::-1], ANGLES, "c", "d")
    assert first is second and isinstance(first, Figure) and plt.get_fignums() == []
    first.canvas.draw()
    assert first._repr_png_()[:4] == b"\x89PNG"


def test_view_artists_hold_exactly_the_latest_data():
    view = plots.LearningCurvesView()
    view.update(EPOCHS, ACC, ANGLES, "first", "first angles")
    short = np.arange(3)
    view.update(short, [np.array([0.1, 0.5, 0.7]), np.array([0.2, 0.6, 0.8])], ANGLES[:3], "second", "angles 2")
    np.testing.assert_array_equal(view.curves[0].get_ydata(), [0.1, 0.5, 0.7])
    np.testing.assert_array_equal(view.curves[1].get_xdata(), short)
    np.testing.assert_array_equal(view.angles[1].get_ydata(), ANGLES[:3, 1])
    assert view.axes[0].get_title() == "second" and view.axes[1].get_title() == "angles 2"
    assert view.axes[0].get_xlim() == (0.0, 2.0)


def test_angle_axis_grows_for_an_unstable_run_and_shrinks_back():
    view = plots.LearningCurvesView()
    wild = ANGLES.copy()
    wild[2, 0] = 163.0
    view.update(EPOCHS, ACC, wild, "a", "b")
    assert view.axes[1].get_ylim()[1] >= 170
    view.update(EPOCHS, ACC, ANGLES, "a", "b")
    assert view.axes[1].get_ylim() == (0.0, 120.0)


@pytest.mark.parametrize("args, message", [
    ((EPOCHS, ACC[:1], ANGLES), "accuracies must hold 2"),
    ((EPOCHS, ACC, ANGLES[:, :1]), "angles must have shape"),
    ((EPOCHS, [ACC[0], ACC[1] * 2], ANGLES), "fractions in"),
    ((EPOCHS, ACC, ANGLES + 200), "degrees in"),
    ((EPOCHS, ACC, np.full_like(ANGLES, np.nan)), "finite"),
])
def test_view_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        plots.LearningCurvesView().update(*args, "a", "b")


def test_feedback_paths_draws_three_panels_with_forward_and_feedback_arrows():
    axes = feedback_paths()
    assert len(axes) == 3
    for ax, n_back in zip(axes, (2, 2, 2)):
        arrows = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]
        assert len(arrows) == 3 + n_back                     # W1..W3 forward, then the feedback paths
        dashed = [a for a in arrows if a.arrow_patch.get_linestyle() == "--"]
        assert len(dashed) == n_back
    texts = " ".join(t.get_text() for t in axes[0].texts)
    assert "W$_3^T$" in texts and "B" not in " ".join(t.get_text() for t in axes[0].texts if "$" in t.get_text())
    assert "B$_2$" in " ".join(t.get_text() for t in axes[1].texts)
    assert "D$_1$" in " ".join(t.get_text() for t in axes[2].texts)
