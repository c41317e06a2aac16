"""Raster, voltage trace and f-I curve plots.

The small `*_style`/`label_*` helpers below are shared with the kept-figure views of `snnlib.plots.views`,
so a one-shot plot and a widget's redrawn figure look the same.
"""

import numpy as np

from .style import PALETTE, new_axes

# artist styles shared by the one-shot plots and the views
RASTER_STYLE = dict(s=4, marker="|", linewidths=0.8)
THRESHOLD_STYLE = dict(color=PALETTE["vermillion"], ls="--", lw=1, label="threshold")
ANALYTIC_RATE_STYLE = dict(color=PALETTE["blue"], label="analytic rate")


def voltage_units(unit):
    """(scale from the model's unit to the plotted one, y label) for unit 'V' (plotted in mV) or normalised."""
    if unit not in ("V", "normalised"):
        raise ValueError(f"unit must be 'V' or 'normalised', got {unit!r}")
    return (1e3, "membrane voltage (mV)") if unit == "V" else (1.0, "membrane voltage (normalised)")


def drive_units(unit):
    """(scale, x label) of the input drive J for unit 'V' (plotted in mV) or normalised."""
    if unit not in ("V", "normalised"):
        raise ValueError(f"unit must be 'V' or 'normalised', got {unit!r}")
    return (1e3, "input drive J = R*I (mV)") if unit == "V" else (1.0, "input drive J (normalised)")


def _require_axes(ax, name):
    """TypeError unless `ax` is a matplotlib Axes (what a plot draws on)."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes (e.g. from plt.subplots()), got {type(ax).__name__}")


def _require(obj, cls, name, what):
    """TypeError unless `obj` is a `cls` (a result object of snnlib): `what` says where such a one comes from."""
    if not isinstance(obj, cls):
        raise TypeError(f"{name} must be {what}, got {type(obj).__name__}")


def label_axes(ax, xlabel, ylabel, title):
    """Axis labels (with units) and the title that says what to look at."""
    _require_axes(ax, "ax")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def raster(record, ax=None, title="Spike raster: each dot is one spike", max_neurons=None, color=None):
    """Raster plot of a SpikeRecord (or (times, neurons) tuple). Times in ms on the x axis."""
    ax = new_axes(ax)
    times, neurons = (record.times, record.neurons) if hasattr(record, "times") else record
    times, neurons = np.asarray(times), np.asarray(neurons)
    if max_neurons is not None:
        keep = neurons < max_neurons
        times, neurons = times[keep], neurons[keep]
    ax.scatter(times * 1e3, neurons, color=color or PALETTE["black"], **RASTER_STYLE)
    label_axes(ax, "time (ms)", "neuron index", title)
    return ax


def voltage(t, v, ax=None, threshold=None, unit="normalised", title="Membrane voltage over time", labels=None):
    """Voltage traces: t (s), v array (samples,) or (samples, neurons). `unit` 'V' plots mV."""
    ax = new_axes(ax)
    v = np.asarray(v, dtype=float)
    scale, ylabel = voltage_units(unit)
    lines = ax.plot(np.asarray(t) * 1e3, v * scale)
    if labels is not None:
        for line, lab in zip(lines, labels):
            line.set_label(lab)
        ax.legend()
    if threshold is not None:
        ax.axhline(threshold * scale, **THRESHOLD_STYLE)
    label_axes(ax, "time (ms)", ylabel, title)
    return ax


def fi_curve(J, simulated=None, analytic=None, ax=None, unit="normalised",
             title="f-I curve: firing rate against input drive"):
    """Firing rate (Hz) against drive J: simulated as dots, analytic as a line."""
    from snnlib._validate import numeric_array

    J = numeric_array("J", J)
    ax = new_axes(ax)
    scale, xlabel = drive_units(unit)
    if analytic is not None:
        ax.plot(J * scale, analytic, **ANALYTIC_RATE_STYLE)
    if simulated is not None:
        ax.plot(J * scale, simulated, "o", color=PALETTE["orange"], ms=4, label="simulated")
    label_axes(ax, xlabel, "firing rate (Hz)", title)
    ax.legend(loc="upper left")        # an f-I curve leaves this corner empty; "best" costs a search
    return ax
