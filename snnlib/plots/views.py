"""Kept figures for widget demos: each view builds its Figure once, and `update(...)` only sets new data.

Why: a demo callback that makes a new figure on every slider move pays for creating it (20-35 ms) and for
its first draw (110-220 ms, mostly new tick objects and text layout). A kept figure whose artists only get
new data redraws in about half that (`benchmarks/widgets.py` measures it). So a lesson makes its view
once, next to the callback, and the callback ends with ``return view.update(...)``:

    lif_view = views.LIFView(voltage_title="Voltage: charge, spike, reset")

    def lif_demo(J=1.5):
        result = snn.simulate_lif(J, t_stop=1.0, dt=1e-3)
        print(f"rate {result.rate:.1f} Hz")
        return lif_view.update(...)

`course.widgets.Panel` displays the Figure a callback returns (first run as a cell output, later runs in its
Output), and a direct call as a cell's last line shows it as the cell's result.

The Figures are `KeptFigure`s (a `matplotlib.figure.Figure` with an Agg canvas), not pyplot figures: pyplot's
inline backend would show every new pyplot figure again at the end of the cell and keep it in its figure list.
Jupyter shows them through `KeptFigure._repr_png_`: a plain PNG of the whole figure. The views' margins are
fixed, so the inline backend's ``bbox_inches="tight"`` (a second layout pass to crop, about a third of the
PNG's time) buys nothing; `course.widgets` registers `_repr_png_` with IPython for KeptFigure, because
IPython would otherwise prefer the inline backend's formatter for every Figure once pyplot has loaded it.

Every `update` sets all data-dependent artists (no stale data from an earlier call stays visible), rescales
the axes whose data range can change, and returns the Figure (the same object every call).
"""

import functools
import io

import numpy as np

from . import basic, energy, spikes
from .style import PALETTE, style

__all__ = ["kept_figure_class", "kept_canvas_class", "FigureView", "LIFView", "CodeRastersView", "RasterReadoutView",
           "EnergyRateView", "PatternView"]


def _rescale(ax):
    """Axis limits from the visible lines and patches of `ax` (scatter collections are not included)."""
    ax.relim(visible_only=True)
    ax.autoscale_view()


def _vector(name, values):
    """`values` as a finite 1-D float array; ValueError naming `name` otherwise."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def _same_length(names, *arrays):
    if len({a.size for a in arrays}) != 1:
        raise ValueError(f"{' and '.join(names)} must have the same length, got "
                         f"{', '.join(str(a.size) for a in arrays)}")


def _finite_number(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


# Widest tick label character in DejaVu Sans (the digits are 0.636 em), with a little room: the y label is
# placed from the longest tick label's character count instead of measuring every label on every draw.
_CHAR_EM = 0.65
# one line of tick label text, em (ascent + descent of DejaVu Sans is about 1.17 em)
_LINE_EM = 1.2


def _pin_axis_labels(ax):
    """Put ax's x and y labels at a fixed distance (points) from the spines, sized from the current tick labels.

    Why: left to itself, matplotlib measures the box of every tick label on every draw to place the axis labels,
    about a fifth of a kept figure's redraw. The distance is tick length + pad + tick label extent + labelpad,
    the extent of the y tick labels estimated from their character count (an upper bound for digits)."""
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import ScaledTranslation

    dpi_scale = ax.figure.dpi_scale_trans
    for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
        size = FontProperties(size=mpl.rcParams[f"{name}tick.labelsize"]).get_size_in_points()
        gap = mpl.rcParams[f"{name}tick.major.size"] + mpl.rcParams[f"{name}tick.major.pad"] + axis.labelpad
        if name == "x":
            shift = ScaledTranslation(0, -(gap + _LINE_EM * size) / 72, dpi_scale)
            axis.set_label_coords(0.5, 0, transform=ax.transAxes + shift)
        else:
            lo, hi = sorted(axis.get_view_interval())
            locs = [x for x in axis.get_majorticklocs() if lo <= x <= hi]
            chars = max((len(t) for t in axis.major.formatter.format_ticks(locs)), default=1)
            shift = ScaledTranslation(-(gap + _CHAR_EM * size * chars) / 72, 0, dpi_scale)
            axis.set_label_coords(0, 0.5, transform=ax.transAxes + shift)


@functools.lru_cache(maxsize=None)
def kept_figure_class():
    """The Figure subclass of the views (made on first use: matplotlib is imported only when needed)."""
    from matplotlib.figure import Figure

    class KeptFigure(Figure):
        """A Figure that Jupyter shows as a PNG of the whole figure, whatever the backend.

        `_repr_png_` renders without the tight-box pass (the views' margins are fixed). IPython calls it
        when no formatter is registered for Figures; once pyplot has loaded the inline backend, IPython
        prefers that backend's Figure formatter (tight box), unless a formatter for KeptFigure itself is
        registered, which `course.widgets` does (`for_type_by_name`, by this class's module and name)."""

        def _repr_png_(self):
            buf = io.BytesIO()
            self.savefig(buf, format="png")
            return buf.getvalue()

    return KeptFigure


@functools.lru_cache(maxsize=None)
def kept_canvas_class():
    """The Agg canvas of the views: it keeps a renderer per canvas size instead of only the last one."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    class KeptCanvas(FigureCanvasAgg):
        """Agg canvas that keeps up to 4 renderers, one per (width, height, dpi).

        Why: a PNG saved with ``bbox_inches="tight"`` (the inline backend's way for other figures) lays the
        figure out at its full size and then renders it at the cropped size. The plain Agg canvas keeps only
        the last renderer, so every such PNG made two new ones, and matplotlib's text-size cache (keyed by
        renderer) started cold each time. Keeping both made it about 15-20 % faster; the pixels are the
        same. (`KeptFigure._repr_png_` saves without the tight box, at one size.)"""

        def get_renderer(self):
            w, h = self.figure.bbox.size
            key = (w, h, self.figure.dpi)
            renderers = self.__dict__.setdefault("_kept_renderers", {})
            if key not in renderers:
                if len(renderers) >= 4:
                    renderers.pop(next(iter(renderers)))          # the oldest size
                renderers[key] = RendererAgg(w, h, self.figure.dpi)
            self.renderer, self._lastKey = renderers[key], key   # as FigureCanvasAgg.get_renderer leaves them
            return self.renderer

    return KeptCanvas


class FigureView:
    """A Figure made once in the course style (`style()`), with one row of Axes and fixed margins.

    Fixed margins instead of tight or constrained layout: the layout solver would run on every redraw.
    The margins leave room for every label, so the PNG is the whole figure (no tight-box crop).
    For the same reason titles sit at a fixed height (no x ticks on top to avoid) and `_finish` pins the
    axis labels (`_pin_axis_labels`): every `update` ends with ``return self._finish()``.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    axes : list of Axes, left to right
    """

    def __init__(self, figsize, ncols=1, margins=None, width_ratios=None, sharey=False):
        style()                                  # rcParams are read when figure, axes and lines are made
        self.figure = kept_figure_class()(figsize=figsize)
        kept_canvas_class()(self.figure)         # attaches itself: figure.canvas.draw() renders
        grid = self.figure.subplots(1, ncols, squeeze=False, sharey=sharey,
                                    gridspec_kw=None if width_ratios is None else {"width_ratios": width_ratios})
        self.axes = list(grid[0])
        for ax in self.axes:
            ax.set_title("", y=1.0)              # a given y: later titles keep it, no search per draw
        if margins:
            self.figure.subplots_adjust(**margins)

    def _finish(self):
        """After the data and limits of an update: place the axis labels; returns the Figure."""
        for ax in self.axes:
            if ax.get_xlabel() or ax.get_ylabel():
                _pin_axis_labels(ax)
        return self.figure


class LIFView(FigureView):
    """One LIF neuron: its voltage trace (left) and where this setting sits on the f-I curve (right).

    Lessons 00 and 01 use it for their "move the drive, watch the neuron" demos.

    Parameters
    ----------
    voltage_title, fi_title : str
        Titles of the two panels (say what to look at).
    marker_label : str
        Legend label of the dot at (J, simulated rate).
    threshold : float or None
        Firing threshold drawn as a dashed line on the voltage panel (in the model's unit).
    unit : 'normalised' or 'V'
        Unit of voltages and drives ('V' is plotted in mV).
    """

    MARGINS = dict(left=0.07, right=0.98, bottom=0.16, top=0.9, wspace=0.25)

    def __init__(self, voltage_title="Membrane voltage over time", fi_title="This setting on the f-I curve",
                 marker_label="this setting (simulated)", threshold=1.0, unit="normalised", figsize=(10, 3.2)):
        super().__init__(figsize, ncols=2, margins=self.MARGINS)
        ax_v, ax_f = self.axes
        self._v_scale, v_label = basic.voltage_units(unit)
        self._j_scale, j_label = basic.drive_units(unit)
        (self.voltage_line,) = ax_v.plot([], [], color=PALETTE["blue"])
        self.threshold_line = None
        if threshold is not None:
            self.threshold_line = ax_v.axhline(threshold * self._v_scale, **basic.THRESHOLD_STYLE)
        basic.label_axes(ax_v, "time (ms)", v_label, voltage_title)
        (self.rate_curve,) = ax_f.plot([], [], **basic.ANALYTIC_RATE_STYLE)
        (self.marker,) = ax_f.plot([], [], "o", ms=9, color=PALETTE["vermillion"], label=marker_label)
        basic.label_axes(ax_f, j_label, "firing rate (Hz)", fi_title)
        ax_f.legend(loc="upper left")   # an f-I curve leaves this corner empty; "best" costs a search per redraw

    def update(self, t, v, J, rate, J_curve, rate_curve):
        """Show a new run and return the Figure.

        Parameters
        ----------
        t : 1-D array, s
            Sample times of the voltage trace shown (e.g. the first 200 ms).
        v : 1-D array
            Membrane voltage at those times (model unit).
        J : float
            The drive of this run (model unit); with `rate` (Hz, simulated) it places the dot.
        J_curve, rate_curve : 1-D arrays
            The f-I curve to draw under the dot: drives and their (analytic) rates in Hz.
        """
        t, v = _vector("t", t), _vector("v", v)
        J_curve, rate_curve = _vector("J_curve", J_curve), _vector("rate_curve", rate_curve)
        _same_length(("t", "v"), t, v)
        _same_length(("J_curve", "rate_curve"), J_curve, rate_curve)
        J, rate = _finite_number("J", J), _finite_number("rate", rate)
        self.voltage_line.set_data(t * 1e3, v * self._v_scale)
        self.rate_curve.set_data(J_curve * self._j_scale, rate_curve)
        self.marker.set_data([J * self._j_scale], [rate])
        for ax in self.axes:
            _rescale(ax)
        return self._finish()


class CodeRastersView(FigureView):
    """The same value in a rate code and a latency code: two rasters with the readout window shaded.

    The kept form of `snnlib.plots.spikes.code_rasters` (same artists, same look)."""

    def __init__(self, title="The same value in two codes: spikes seen inside the window (shaded)",
                 figsize=spikes.CODE_FIGSIZE):
        super().__init__(figsize, ncols=2, margins=spikes.CODE_MARGINS, sharey=True)
        self.artists = spikes.code_raster_artists(self.axes, title)

    def update(self, rate_spikes, latency_times, window):
        """New spikes: ``rate_spikes`` = (times (s), neurons), ``latency_times`` one first-spike time (s) per
        neuron (``np.inf``: none), ``window`` (s) shaded. Returns the Figure."""
        window = _finite_number("window", window)
        spikes.set_code_rasters(self.artists, rate_spikes, latency_times, window)
        return self._finish()


class RasterReadoutView(FigureView):
    """One layer's spike raster (left) and a bar per output class (right), the predicted class highlighted.

    Parameters
    ----------
    n_neurons : int
        Rows of the raster (neuron indices 0 .. n_neurons-1); the y axis always shows all of them.
    n_classes : int
        Number of output bars.
    raster_title : str
    readout_label : str
        y label of the bar panel.
    """

    def __init__(self, n_neurons, n_classes=10, raster_title="Layer 1 spikes", readout_label="readout (logit)",
                 figsize=(10, 3), width_ratios=(2.2, 1.6)):
        if int(n_neurons) < 1 or int(n_classes) < 1:
            raise ValueError(f"n_neurons and n_classes must be >= 1, got {n_neurons} and {n_classes}")
        super().__init__(figsize, ncols=2, width_ratios=width_ratios,
                         margins=dict(left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.22))
        ax_r, ax_out = self.axes
        self.n_neurons, self.n_classes = int(n_neurons), int(n_classes)
        self.raster = ax_r.scatter(np.empty(0), np.empty(0), color=PALETTE["black"], **basic.RASTER_STYLE)
        basic.label_axes(ax_r, "time (ms)", "neuron index", raster_title)
        ax_r.set_ylim(-0.5, self.n_neurons - 0.5)
        self.bars = ax_out.bar(np.arange(self.n_classes), np.zeros(self.n_classes), color=PALETTE["blue"])
        ax_out.axhline(0, color=PALETTE["black"], lw=0.6)
        ax_out.set_xticks(range(self.n_classes))
        basic.label_axes(ax_out, "class", readout_label, "")

    def update(self, times, neurons, t_stop, outputs, predicted, title):
        """New run: spike ``times`` (s) and ``neurons`` of the raster layer, its duration ``t_stop`` (s, the x
        range), one readout value per class, the ``predicted`` class (its bar in vermillion) and the readout
        panel's ``title``. Returns the Figure."""
        times, neurons = _vector("times", times), _vector("neurons", neurons)
        outputs = _vector("outputs", outputs)
        _same_length(("times", "neurons"), times, neurons)
        if outputs.size != self.n_classes:
            raise ValueError(f"outputs must have one value per class ({self.n_classes}), got {outputs.size}")
        if neurons.size and (neurons.min() < 0 or neurons.max() >= self.n_neurons):
            raise ValueError(f"neurons must be indices 0 .. {self.n_neurons - 1} (n_neurons), "
                             f"got {neurons.min():g} .. {neurons.max():g}")
        if int(predicted) != predicted or not 0 <= predicted < self.n_classes:
            raise ValueError(f"predicted must be a class index 0 .. {self.n_classes - 1}, got {predicted}")
        t_stop = _finite_number("t_stop", t_stop)
        if t_stop <= 0:
            raise ValueError(f"t_stop must be > 0 s, got {t_stop}")
        ax_r, ax_out = self.axes
        self.raster.set_offsets(np.column_stack([times * 1e3, neurons]))
        ax_r.set_xlim(0, t_stop * 1e3)
        for k, (bar, value) in enumerate(zip(self.bars, outputs)):
            bar.set_height(value)
            bar.set_color(PALETTE["vermillion"] if k == predicted else PALETTE["blue"])
            bar.set_hatch("//" if k == predicted else "")   # the predicted bar stands out in greyscale too
        ax_out.set_title(title)
        _rescale(ax_out)
        return self._finish()


class EnergyRateView(FigureView):
    """Energy per inference against the presynaptic rate, one line per device, with break-even dots and a
    vertical line at the rate chosen. The kept form of `snnlib.plots.energy.energy_vs_rate`.

    Parameters
    ----------
    rates : 1-D array of Hz (x axis, log)
    devices : sequence of device names (see `snnlib.energy.get_device`)
    reference : dense device whose break-even rate with each spiking device gets a dot
    """

    def __init__(self, rates=None, devices=("cpu", "gpu", "loihi", "spinnaker2", "truenorth"), reference="gpu",
                 title="Dense devices pay per connection (flat), spiking ones per spike (rising)", figsize=(9, 3.6)):
        from matplotlib.lines import Line2D

        from snnlib.energy.accounting import get_device

        self.rates = energy.check_rates(rates)
        self.profiles = [get_device(d) for d in devices]
        self.reference = get_device(reference)
        super().__init__(figsize, margins=dict(left=0.09, right=0.74, bottom=0.14, top=0.9))
        ax = self.axes[0]
        self.lines, self.dots = [], []
        for k, prof in enumerate(self.profiles):
            line_style = energy.device_curve_style(k, prof)
            self.lines.append(ax.plot(self.rates, np.ones_like(self.rates), **line_style)[0])
            self.dots.append(ax.plot([], [], "o", color=line_style["color"], ms=6)[0])
        self.marker_line = ax.axvline(self.rates[0], **energy.MARKER_RATE_STYLE)
        energy.label_energy_vs_rate(ax, title)
        # one legend entry for all dots (each dot has its device's colour), made once: no text layout per move
        dot_entry = Line2D([], [], ls="", marker="o", ms=6, color=PALETTE["black"],
                           label=f"break-even with {self.reference.name}")
        handles = self.lines + ([dot_entry] if not self.reference.spiking else []) + [self.marker_line]
        self.legend = ax.legend(handles=handles, labels=[h.get_label() for h in handles[:-1]] + ["rate"],
                                **energy.ENERGY_LEGEND)

    def update(self, counts, marker_rate):
        """Energies for the network of ``counts`` (an `OpCounts` of a spiking run) at every rate, the
        break-even dots that fall inside the rate range, and the line at ``marker_rate`` (Hz). Returns the Figure."""
        marker_rate = _finite_number("marker_rate", marker_rate)
        if marker_rate <= 0:
            raise ValueError(f"marker_rate must be > 0 Hz (log axis), got {marker_rate}")
        curves = energy.device_curves(counts, self.rates, self.profiles, self.reference)
        for line, dot, (energies, point) in zip(self.lines, self.dots, curves):
            line.set_ydata(energies)
            # a break-even point outside the rate range: an empty, hidden dot (and left out of the limits)
            dot.set_data(*(([point[0]], [point[1]]) if point else ([], [])))
            dot.set_visible(point is not None)
        self.marker_line.set_xdata([marker_rate, marker_rate])
        self.legend.get_texts()[-1].set_text(f"rate = {marker_rate:.3g} Hz")
        _rescale(self.axes[0])
        return self._finish()


class PatternView(FigureView):
    """A neuron's firing pattern: its voltage trace (left) and its inter-spike intervals in order (right).

    Lesson 07's demo (Izhikevich a, b, c, d and input -> pattern): bursts show as short intervals followed by
    long ones, adaptation as intervals that lengthen, fast spiking as a flat row of short ones.

    Parameters
    ----------
    voltage_title, isi_title : str
        Titles of the two panels; `update` may replace the voltage title (e.g. with the pattern's name).
    """

    MARGINS = dict(left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.25)

    def __init__(self, voltage_title="Membrane voltage", isi_title="Inter-spike intervals, in order",
                 figsize=(10, 3.2)):
        super().__init__(figsize, ncols=2, width_ratios=(2.0, 1.0), margins=self.MARGINS)
        ax_v, ax_i = self.axes
        (self.voltage_line,) = ax_v.plot([], [], color=PALETTE["blue"], lw=0.9)
        basic.label_axes(ax_v, "time (ms)", "membrane voltage (mV)", voltage_title)
        (self.isi_line,) = ax_i.plot([], [], "o-", ms=3.5, lw=0.8, color=PALETTE["vermillion"])
        basic.label_axes(ax_i, "interval number", "interval (ms)", isi_title)

    def update(self, t, v, spike_times, title=None):
        """Show a run: sample times ``t`` (s), voltage ``v`` (V, plotted in mV), its ``spike_times`` (s, sorted)
        and optionally a new voltage-panel ``title``. Returns the Figure."""
        t, v, spike_times = _vector("t", t), _vector("v", v), _vector("spike_times", spike_times)
        _same_length(("t", "v"), t, v)
        if np.any(np.diff(spike_times) < 0):
            raise ValueError("spike_times must be sorted in time")
        ax_v, ax_i = self.axes
        self.voltage_line.set_data(t * 1e3, v * 1e3)
        isi = np.diff(spike_times) * 1e3
        self.isi_line.set_data(np.arange(1, isi.size + 1), isi)
        if title is not None:
            ax_v.set_title(str(title))
        _rescale(ax_v)
        if isi.size:
            _rescale(ax_i)
            ax_i.set_ylim(bottom=0)
        else:                                     # no interval: an empty panel with a fixed range
            ax_i.set_xlim(0, 1)
            ax_i.set_ylim(0, 1)
        return self._finish()
