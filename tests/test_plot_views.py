"""Kept-figure views (snnlib.plots.views): one Figure per view, no pyplot figures, artists hold exactly the
data of the latest update, limits follow the data, extremes draw, and the widget benchmark draws a returned
figure."""

import io
import os
import struct
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import snnlib as snn  # noqa: E402
from snnlib.energy import OpCounts, break_even_rate, estimate  # noqa: E402
from snnlib.plots import PALETTE, views  # noqa: E402
from snnlib.plots import spikes as spike_plots  # noqa: E402

J_AXIS = np.linspace(0.0, 10.0, 300)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def lif_update(view, J, tau_rc=0.02, tau_ref=0.002):
    """What the lesson demos do: simulate 1 s, show the first 200 ms and the dot on the analytic curve."""
    result = snn.simulate_lif(J, t_stop=1.0, dt=1e-4, tau_rc=tau_rc, tau_ref=tau_ref)
    shown = result.t <= 0.2
    fig = view.update(result.t[shown], result.v[shown], J, result.rate, J_AXIS, result.neuron.rates(J_AXIS))
    return fig, result, shown


def drawn(fig):
    """Draw like the benchmark (Agg) and like the inline backend (PNG, tight box); return the renderer."""
    fig.canvas.draw()
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    return fig.canvas.get_renderer()


def labels_clear_of_ticks(ax, renderer):
    """The y label lies left of every drawn y tick label and the x label below every drawn x tick label."""
    frame = ax.bbox

    def boxes(labels, along):
        # get_*ticklabels also lists labels of ticks just outside the view, which are not drawn
        out = [t.get_window_extent(renderer) for t in labels if t.get_visible() and t.get_text()]
        if along == "y":
            return [b for b in out if frame.y0 - 1 <= (b.y0 + b.y1) / 2 <= frame.y1 + 1]
        return [b for b in out if frame.x0 - 1 <= (b.x0 + b.x1) / 2 <= frame.x1 + 1]
    y_ticks, x_ticks = boxes(ax.get_yticklabels(), "y"), boxes(ax.get_xticklabels(), "x")
    ylab, xlab = ax.yaxis.label.get_window_extent(renderer), ax.xaxis.label.get_window_extent(renderer)
    if ax.get_ylabel() and y_ticks:
        assert ylab.x1 <= min(b.x0 for b in y_ticks), (ax.get_ylabel(), ylab, y_ticks)
    if ax.get_xlabel() and x_ticks:
        assert xlab.y1 <= min(b.y0 for b in x_ticks), (ax.get_xlabel(), xlab, x_ticks)


def test_lif_view_returns_one_figure_and_makes_no_pyplot_figures():
    before = plt.get_fignums()
    view = views.LIFView(voltage_title="Voltage", fi_title="f-I")
    figures = {id(lif_update(view, J)[0]) for J in (0.0, 1.5, 6.0)}
    assert figures == {id(view.figure)} and isinstance(view.figure, Figure)
    assert plt.get_fignums() == before
    drawn(view.figure)
    assert plt.get_fignums() == before


def test_lif_view_artists_hold_the_simulated_run():
    view = views.LIFView()
    lif_update(view, 1.5)                                    # an earlier run, to be replaced
    fig, result, shown = lif_update(view, 4.0, tau_rc=0.01)
    np.testing.assert_array_equal(view.voltage_line.get_xdata(), result.t[shown] * 1e3)   # ms
    np.testing.assert_array_equal(view.voltage_line.get_ydata(), result.v[shown])
    np.testing.assert_array_equal(view.rate_curve.get_ydata(), result.neuron.rates(J_AXIS))
    assert list(view.marker.get_xdata()) == [4.0] and list(view.marker.get_ydata()) == [result.rate]
    # the simulated dot sits on the analytic curve (dt = 0.1 ms, 1 s: within 1 %)
    assert result.rate == pytest.approx(float(result.neuron.rates(4.0)), rel=0.01)
    assert view.threshold_line.get_ydata()[0] == 1.0
    ax_v, ax_f = fig.axes
    assert ax_f.get_legend().get_texts()[-1].get_text() == "this setting (simulated)"
    assert to_hex(view.marker.get_color()) == PALETTE["vermillion"].lower()


def test_lif_view_limits_follow_the_data_up_and_down():
    view = views.LIFView()
    fig, _, _ = lif_update(view, 2.0)
    small_top = fig.axes[1].get_ylim()[1]
    # tau_ref = 0 and a short tau_rc: no ceiling, the rates grow ~10x
    fig, result, _ = lif_update(view, 10.0, tau_rc=0.005, tau_ref=0.0)
    big = result.neuron.rates(J_AXIS)
    lo, hi = fig.axes[1].get_ylim()
    assert lo <= 0 and hi >= big.max() >= result.rate and hi > 5 * small_top
    lif_update(view, 2.0)
    assert fig.axes[1].get_ylim()[1] == pytest.approx(small_top)      # shrinks back: not stuck at the big range
    renderer = drawn(fig)
    for ax in fig.axes:
        labels_clear_of_ticks(ax, renderer)


def test_lif_view_zero_drive_leaves_no_spikes_of_the_last_run():
    view = views.LIFView()
    lif_update(view, 6.0)
    fig, result, shown = lif_update(view, 0.0)
    assert result.rate == 0 and not np.any(view.voltage_line.get_ydata())   # flat at rest, old trace gone
    assert list(view.marker.get_xdata()) == [0.0] and list(view.marker.get_ydata()) == [0.0]
    lo, hi = fig.axes[0].get_ylim()
    assert lo <= 0 and hi >= 1.0              # the threshold stays in view
    drawn(fig)


def test_lif_view_rejects_bad_input():
    view = views.LIFView()
    t = np.linspace(0, 0.1, 11)
    with pytest.raises(ValueError, match="t and v must have the same length"):
        view.update(t, np.zeros(10), 1.0, 0.0, J_AXIS, np.zeros_like(J_AXIS))
    with pytest.raises(ValueError, match="rate_curve must be finite"):
        view.update(t, np.zeros(11), 1.0, 0.0, J_AXIS, np.full_like(J_AXIS, np.nan))
    with pytest.raises(TypeError, match="J must be a number"):
        view.update(t, np.zeros(11), "1.0", 0.0, J_AXIS, np.zeros_like(J_AXIS))
    with pytest.raises(ValueError, match="unit must be 'V' or 'normalised'"):
        views.LIFView(unit="mV")


def test_code_rasters_view_matches_the_one_shot_plot_and_clears_to_empty():
    rate_spikes = (np.array([0.001, 0.02, 0.12]), np.array([0, 1, 3]))
    latency = np.array([0.01, 0.03, np.inf, 0.2])
    view = views.CodeRastersView()
    fig = view.update(rate_spikes, latency, 0.025)
    one_shot = spike_plots.code_rasters(rate_spikes, latency, 0.025)
    for kept, ref in zip(fig.axes, one_shot):
        np.testing.assert_allclose(kept.collections[-1].get_offsets(), ref.collections[-1].get_offsets())
        assert kept.get_xlim() == ref.get_xlim() and kept.get_title() == ref.get_title()
    (span, dots), (_, lat_dots) = view.artists
    assert span.get_width() == pytest.approx(25.0)                       # window in ms
    np.testing.assert_allclose(lat_dots.get_offsets(), [[10, 0], [30, 1], [200, 3]])   # inf: not drawn
    assert fig.axes[0].get_xlim()[1] >= 200                                # the latest spike is in view
    # nothing fires: both rasters empty, the x range back to the window
    assert view.update((np.empty(0), np.empty(0)), np.full(4, np.inf), 0.005) is fig
    assert dots.get_offsets().shape == (0, 2) and lat_dots.get_offsets().shape == (0, 2)
    assert fig.axes[0].get_xlim()[1] == pytest.approx(5.25)
    assert span.get_width() == pytest.approx(5.0)
    drawn(fig)


def test_raster_readout_view_bars_colours_and_empty_raster():
    view = views.RasterReadoutView(n_neurons=64, n_classes=10, raster_title="Layer 1")
    outputs = np.linspace(-3.0, 2.0, 10)
    fig = view.update(np.array([0.001, 0.04]), np.array([0, 63]), 0.05, outputs, 9, "predicted 9")
    assert [b.get_height() for b in view.bars] == pytest.approx(outputs)
    colours = [to_hex(b.get_facecolor()) for b in view.bars]
    assert colours == [PALETTE["blue"].lower()] * 9 + [PALETTE["vermillion"].lower()]
    lo, hi = fig.axes[1].get_ylim()
    assert lo <= -3.0 and hi >= 2.0
    np.testing.assert_allclose(view.raster.get_offsets(), [[1.0, 0], [40.0, 63]])
    assert fig.axes[0].get_ylim() == (-0.5, 63.5) and fig.axes[0].get_xlim() == pytest.approx((0, 50))
    # a silent run with 100x larger readouts: raster empty, the highlight moves, limits grow
    fig = view.update(np.empty(0), np.empty(0), 0.3, outputs * 100, 2, "predicted 2")
    assert view.raster.get_offsets().shape == (0, 2)
    assert [to_hex(b.get_facecolor()) for b in view.bars].index(PALETTE["vermillion"].lower()) == 2
    assert sum(to_hex(b.get_facecolor()) == PALETTE["vermillion"].lower() for b in view.bars) == 1
    lo, hi = fig.axes[1].get_ylim()
    assert lo <= -300 and hi >= 200 and fig.axes[1].get_title() == "predicted 2"
    assert fig.axes[0].get_xlim() == pytest.approx((0, 300))
    renderer = drawn(fig)
    for ax in fig.axes:
        labels_clear_of_ticks(ax, renderer)
    with pytest.raises(ValueError, match="one value per class"):
        view.update(np.empty(0), np.empty(0), 0.3, outputs[:3], 2, "")
    with pytest.raises(ValueError, match="indices 0 .. 63"):
        view.update(np.array([0.01]), np.array([64]), 0.3, outputs, 2, "")
    with pytest.raises(ValueError, match="class index"):
        view.update(np.empty(0), np.empty(0), 0.3, outputs, 10, "")


def spiking_counts(hidden, rate=20.0):
    return OpCounts.spiking([64, hidden, hidden // 2, 10], rate, timesteps=100, dt=1e-3, analog_input=True,
                            linear_output=True)


def test_energy_rate_view_lines_dots_and_marker():
    rates = np.logspace(0, 3, 25)
    view = views.EnergyRateView(rates=rates, devices=("cpu", "gpu", "loihi", "truenorth"), reference="gpu")
    counts = spiking_counts(64)
    fig = view.update(counts, 20.0)
    lines = {line.get_label(): line for line in view.lines}
    expected = [estimate(counts.at_rate(r), "loihi")["loihi"].total for r in rates]
    assert lines["loihi (spiking)"].get_ydata() == pytest.approx(expected)
    loihi_dot = view.dots[2]
    assert loihi_dot.get_visible()
    assert loihi_dot.get_xdata()[0] == pytest.approx(break_even_rate(counts, "loihi", "gpu"))
    assert not view.dots[0].get_visible()                                   # dense devices get no dot
    assert list(view.marker_line.get_xdata()) == [20.0, 20.0]
    assert view.legend.get_texts()[-1].get_text() == "rate = 20 Hz"
    fig = view.update(counts, 500.0)
    assert view.legend.get_texts()[-1].get_text() == "rate = 500 Hz"
    renderer = drawn(fig)
    labels_clear_of_ticks(fig.axes[0], renderer)


def test_energy_rate_view_limits_follow_the_network_and_hide_dots_out_of_range():
    rates = np.logspace(0, 3, 25)
    view = views.EnergyRateView(rates=rates, devices=("gpu", "loihi"), reference="gpu")
    fig = view.update(spiking_counts(16), 50.0)
    small = np.concatenate([line.get_ydata() for line in view.lines])
    fig = view.update(spiking_counts(512), 50.0)
    big = np.concatenate([line.get_ydata() for line in view.lines])
    assert big.max() > 50 * small.max()
    lo, hi = fig.axes[0].get_ylim()
    assert lo <= big.min() and hi >= big.max() and lo > small.min() / 10    # follows the data, not the union
    # a rate range that ends below loihi's break-even rate: its dot must disappear, not stay where it was
    narrow = views.EnergyRateView(rates=np.logspace(0, 1, 5), devices=("gpu", "loihi"), reference="gpu")
    counts = spiking_counts(64)
    assert break_even_rate(counts, "loihi", "gpu") > 10
    narrow.update(counts, 5.0)
    assert not narrow.dots[1].get_visible() and len(narrow.dots[1].get_xdata()) == 0
    drawn(narrow.figure)
    with pytest.raises(ValueError, match="marker_rate must be > 0 Hz"):
        narrow.update(counts, 0.0)


def test_widget_benchmark_draws_a_returned_figure_and_closes_new_pyplot_ones():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
    import widgets as bench

    kept = Figure()                           # no canvas attached: the benchmark must still render it
    kept.add_subplot().plot([0, 1])
    draws = []
    kept.canvas.mpl_connect("draw_event", lambda event: draws.append("kept"))

    def returns_kept(x):
        print("text is discarded", x)
        return kept

    wall, cpu, draw = bench._timed_call(returns_kept, {"x": 1}, plt)
    assert draws == ["kept"] and wall >= draw >= 0 and cpu >= 0
    bench._timed_png_call(returns_kept, {"x": 1}, plt)
    assert draws[1:] and set(draws) == {"kept"}               # the PNG render drew it again

    opened = []

    def makes_pyplot_figure():
        fig = plt.figure()
        fig.canvas.mpl_connect("draw_event", lambda event: opened.append(fig))
        plt.plot([0, 1])

    before = plt.get_fignums()
    bench._timed_call(makes_pyplot_figure, {}, plt)
    assert len(opened) == 1 and plt.get_fignums() == before  # drawn once, then closed


def test_kept_canvas_renders_the_same_pixels_as_plain_agg():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    view = views.LIFView()
    pngs = []
    for J in (1.5, 10.0, 0.0, 3.0):            # limits and tight boxes change from call to call
        fig, _, _ = lif_update(view, J, tau_ref=0.0 if J == 10.0 else 0.002)
        kept = io.BytesIO()
        fig.savefig(kept, format="png", bbox_inches="tight")
        pngs.append(kept.getvalue())
    assert len(set(pngs)) == 4
    assert isinstance(fig.canvas, views.kept_canvas_class())
    FigureCanvasAgg(fig)                       # a plain canvas: a new renderer for every size, as matplotlib does
    plain = io.BytesIO()
    fig.savefig(plain, format="png", bbox_inches="tight")
    assert plain.getvalue() == pngs[-1]
    whole = io.BytesIO()
    fig.savefig(whole, format="png")
    assert fig._repr_png_() == whole.getvalue()       # what Jupyter shows: the whole figure, no tight box
    width, height = struct.unpack(">II", whole.getvalue()[16:24])     # PNG header: IHDR width, height
    assert (width, height) == tuple(round(x * fig.dpi) for x in fig.get_size_inches())


def test_pattern_view_shows_voltage_and_intervals_and_clears_them():
    """Lesson 07's view: the trace in mV and ms, the ISIs in ms in order; no spikes leave an empty panel."""
    view = views.PatternView()
    t = np.arange(0, 0.1, 1e-4)
    v = -0.065 + 0.01 * np.sin(t * 100)
    spikes_s = np.array([0.01, 0.013, 0.05, 0.09])
    fig = view.update(t, v, spikes_s, title="chattering")
    assert fig is view.figure and view.axes[0].get_title() == "chattering"
    np.testing.assert_allclose(view.voltage_line.get_ydata(), v * 1e3)
    np.testing.assert_allclose(view.isi_line.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(view.isi_line.get_ydata(), [3.0, 37.0, 40.0])
    assert view.axes[1].get_ylim()[1] >= 40.0
    drawn(fig)
    assert view.update(t, v, []) is fig and len(view.isi_line.get_xdata()) == 0
    drawn(fig)
    with pytest.raises(ValueError, match="spike_times"):
        view.update(t, v, [0.2, 0.1])
    with pytest.raises(ValueError, match="t and v"):
        view.update(t, v[:-1], spikes_s)
