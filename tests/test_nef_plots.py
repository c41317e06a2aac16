"""NEF plots: the kept TuningDecodingView holds exactly the latest data (curves beyond N hidden and emptied),
limits follow the data, bad input is refused; the pipeline diagram draws."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from snnlib import nef  # noqa: E402
from snnlib.plots import nef as nef_plots  # noqa: E402

X = np.linspace(-1, 1, 101)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _update(view, n, seed=0):
    ens = nef.Ensemble(n, seed=seed)
    A, D = ens.rates(X), ens.decoders()
    error = (A @ D)[:, 0] - X
    noise = 0.1 * ens.rates(ens.eval_points).max() * np.linalg.norm(D)
    return view.update(X, A, error, noise), A, error, noise


def test_view_holds_the_latest_data_and_hides_unused_curves():
    n_figs = len(plt.get_fignums())
    view = nef_plots.TuningDecodingView()
    fig, A, error, noise = _update(view, 60)
    assert len(plt.get_fignums()) == n_figs                     # a kept figure, not a pyplot one
    shown = [line for line in view.curves if line.get_visible()]
    assert len(shown) == nef_plots.MAX_CURVES
    assert np.array_equal(view.curves[0].get_ydata(), A[:, 0])
    fig2, A2, error2, noise2 = _update(view, 5, seed=1)
    assert fig2 is fig
    assert sum(line.get_visible() for line in view.curves) == 5
    assert all(len(line.get_xdata()) == 0 for line in view.curves[5:])  # no data of the earlier call left
    assert np.array_equal(view.error_line.get_ydata(), error2)
    assert view.band_hi.get_ydata()[0] == pytest.approx(noise2)
    assert view.band_lo.get_ydata()[0] == pytest.approx(-noise2)
    ax_t, ax_e = view.axes
    assert ax_t.get_ylim()[1] >= A2.max() and ax_e.get_ylim()[0] <= min(error2.min(), -noise2)
    fig.canvas.draw()


def test_view_rejects_bad_input():
    view = nef_plots.TuningDecodingView()
    with pytest.raises(ValueError, match="rates"):
        view.update(X, np.zeros((5, 3)), X, 0.1)
    with pytest.raises(ValueError, match="error"):
        view.update(X, np.zeros((X.size, 3)), X[:10], 0.1)
    with pytest.raises(ValueError, match="noise"):
        view.update(X, np.zeros((X.size, 3)), X, np.nan)


def test_pipeline_diagram_draws():
    ax = nef_plots.pipeline_diagram()
    ax.figure.canvas.draw()
    assert "NEF" in ax.get_title()
