"""plots.LossCurvesView (the lesson 08 demo's kept figure): one figure kept, artists hold exactly the latest data,
limits follow it, bad input is refused."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from snnlib import plots  # noqa: E402

F = np.linspace(0.0, 0.9, 10)
CURVES = [0.05 + 0.1 * F, 0.1 + 0.4 * F, 0.15 + 0.2 * F]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_view_returns_one_kept_figure_and_makes_no_pyplot_figures():
    view = plots.LossCurvesView()
    first = view.update(F, CURVES, 0.2, [0.07, 0.18, 0.19], "a")
    second = view.update(F, CURVES[::-1], 0.5, [0.1, 0.3, 0.2], "b")
    assert first is second and isinstance(first, Figure) and plt.get_fignums() == []
    first.canvas.draw()
    assert first._repr_png_()[:4] == b"\x89PNG"


def test_view_artists_hold_exactly_the_latest_data_and_the_axis_follows_it():
    view = plots.LossCurvesView()
    view.update(F, CURVES, 0.2, [0.07, 0.18, 0.19], "first")
    assert view.axes[0].get_ylim()[1] == pytest.approx(1.1 * CURVES[1].max())
    small = [c / 10 for c in CURVES]
    view.update(F[:10], small, 0.9, [0.01, 0.02, 0.03], "second")
    np.testing.assert_array_equal(view.curves[2].get_ydata(), small[2])
    assert list(view.points[1].get_ydata()) == [0.02] and list(view.points[1].get_xdata()) == [0.9]
    assert list(view.marker.get_xdata()) == [0.9, 0.9] and view.axes[0].get_title() == "second"
    assert view.axes[0].get_ylim()[1] == pytest.approx(1.1 * small[1].max())


@pytest.mark.parametrize("args, message", [
    ((F, CURVES[:2], 0.2, [0.1, 0.1, 0.1]), "give 3 curves"),
    ((F, CURVES, 1.5, [0.1, 0.1, 0.1]), "fraction must lie"),
    ((F * 2, CURVES, 0.2, [0.1, 0.1, 0.1]), "fractions must lie"),
    ((F, [CURVES[0], CURVES[1][:3], CURVES[2]], 0.2, [0.1, 0.1, 0.1]), "must hold 10"),
    ((F, CURVES, 0.2, [0.1, np.nan, 0.1]), "finite"),
])
def test_view_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        plots.LossCurvesView().update(*args, "t")
