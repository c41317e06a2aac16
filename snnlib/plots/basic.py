"""Raster, voltage trace and f-I curve plots."""

import numpy as np

from .style import PALETTE, new_axes


def raster(record, ax=None, title="Spike raster: each dot is one spike", max_neurons=None, color=None):
    """Raster plot of a SpikeRecord (or (times, neurons) tuple). Times in ms on the x axis."""
    ax = new_axes(ax)
    times, neurons = (record.times, record.neurons) if hasattr(record, "times") else record
    times, neurons = np.asarray(times), np.asarray(neurons)
    if max_neurons is not None:
        keep = neurons < max_neurons
        times, neurons = times[keep], neurons[keep]
    ax.scatter(times * 1e3, neurons, s=4, marker="|", color=color or PALETTE["black"], linewidths=0.8)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron index")
    ax.set_title(title)
    return ax


def voltage(t, v, ax=None, threshold=None, unit="normalised", title="Membrane voltage over time", labels=None):
    """Voltage traces: t (s), v array (samples,) or (samples, neurons). `unit` 'V' plots mV."""
    ax = new_axes(ax)
    v = np.asarray(v, dtype=float)
    scale, ylabel = (1e3, "membrane voltage (mV)") if unit == "V" else (1.0, "membrane voltage (normalised)")
    lines = ax.plot(np.asarray(t) * 1e3, v * scale)
    if labels is not None:
        for line, lab in zip(lines, labels):
            line.set_label(lab)
        ax.legend()
    if threshold is not None:
        ax.axhline(threshold * scale, color=PALETTE["vermillion"], ls="--", lw=1, label="threshold")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


def fi_curve(J, simulated=None, analytic=None, ax=None, unit="normalised",
             title="f-I curve: firing rate against input drive"):
    """Firing rate (Hz) against drive J: simulated as dots, analytic as a line."""
    ax = new_axes(ax)
    J = np.asarray(J, dtype=float)
    scale, xlabel = (1e3, "input drive J = R*I (mV)") if unit == "V" else (1.0, "input drive J (normalised)")
    if analytic is not None:
        ax.plot(J * scale, analytic, color=PALETTE["blue"], label="analytic rate")
    if simulated is not None:
        ax.plot(J * scale, simulated, "o", color=PALETTE["orange"], ms=4, label="simulated")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("firing rate (Hz)")
    ax.set_title(title)
    ax.legend(loc="upper left")        # an f-I curve leaves this corner empty; "best" costs a search
    return ax
