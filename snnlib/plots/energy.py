"""Energy plots: joules per inference per device, and energy against firing rate with break-even points."""

import numpy as np

from .basic import _require, label_axes
from .style import CYCLE, PALETTE, new_axes

__all__ = ["energy_bars", "energy_vs_rate"]

_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _power_of_ten(value, _pos=None):
    """Tick label 10^k in Unicode superscripts: no mathtext, which costs ~0.1 s per label set to lay out."""
    if value <= 0:
        return ""
    k = np.log10(value)
    return "10" + str(int(round(k))).translate(_SUPERSCRIPT) if abs(k - round(k)) < 1e-9 else ""


def _log_axis(ax, which):
    """Log scale on ax's x or y axis with labelled decades only. Widgets redraw these plots on every slider
    move, and matplotlib's default minor ticks and mathtext labels made one redraw several times slower."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_locator(LogLocator(base=10, numticks=12))
    axis.set_major_formatter(FuncFormatter(_power_of_ten))
    axis.set_minor_locator(NullLocator())


BAR_HATCHES = ("", "//", "..", "xx")


def energy_bars(reports, ax=None, title="Energy per inference on each device (log scale: each step is 10x)"):
    """Grouped horizontal bars of J per inference: one group per device, one bar per report.

    Parameters
    ----------
    reports : dict
        label -> `snnlib.energy.EnergyReport` (e.g. {"ANN": ..., "SNN": ...}). Devices missing from a
        report are left out of its bars; a device on which the counts are not possible (learning on a
        chip without on-chip learning) gets a note instead of a bar.
    ax : matplotlib Axes or None

    Returns the Axes. The x axis is logarithmic, in joules.
    """
    from snnlib.energy.accounting import EnergyReport

    if not isinstance(reports, dict) or not reports:
        raise TypeError("reports must be a non-empty dict of label -> EnergyReport")
    for label, rep in reports.items():
        if not isinstance(rep, EnergyReport):
            raise TypeError(f"reports[{label!r}] must be an EnergyReport (from snnlib.energy.estimate), "
                            f"got {type(rep).__name__}")
    ax = new_axes(ax)
    devices = []
    for rep in reports.values():
        devices += [d for d in rep.rows if d not in devices]
    # each device's row is shared only by the reports that price it, so a lone bar is centred and full height
    sharing = {d: [label for label, rep in reports.items() if d in rep.rows] for d in devices}
    y = np.arange(len(devices))
    for k, (label, rep) in enumerate(reports.items()):
        colour = CYCLE[k % len(CYCLE)]
        hatch = BAR_HATCHES[k % len(BAR_HATCHES)]   # the reports differ in greyscale too
        ys, xs, hs, impossible = [], [], [], []
        for i, dev in enumerate(devices):
            row = rep.rows.get(dev)
            if row is None:
                continue
            height = 0.8 / len(sharing[dev])
            pos = y[i] - 0.4 + height * (sharing[dev].index(label) + 0.5)
            if not row.feasible:
                impossible.append(pos)
            elif row.total > 0:
                ys.append(pos)
                xs.append(row.total)
                hs.append(height * 0.9)
        ax.barh(ys, xs, height=hs, color=colour, hatch=hatch, edgecolor=PALETTE["black"], linewidth=0.5,
                label=label)
        for pos in impossible:
            ax.annotate("not possible (no on-chip learning)", (0, pos), xycoords=("axes fraction", "data"),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=8,
                        color=PALETTE["vermillion"])
    _log_axis(ax, "x")
    ax.set_yticks(y)
    ax.set_yticklabels(devices)
    ax.invert_yaxis()
    ax.set_xlabel("energy per inference (J)")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return ax


# markers tell the device lines apart in greyscale (colour alone would not); "o" is kept for break-even dots
DEVICE_MARKERS = ("s", "^", "v", "D", "P", "X", "*", "<", ">")


def device_curve_style(k, profile):
    """Colour, line style, marker and legend label of device number k's energy-vs-rate line: dense devices
    dashed, spiking ones solid, and each line its own marker so that the plot reads in greyscale."""
    return dict(color=CYCLE[k % len(CYCLE)], ls="-" if profile.spiking else "--",
                marker=DEVICE_MARKERS[k % len(DEVICE_MARKERS)], ms=4, markevery=4,
                label=f"{profile.name} ({profile.kind})")


def check_rates(rates):
    """The x axis rates (Hz) as an array: default 0.1 .. 1000 Hz log-spaced; ValueError if unusable."""
    rates = np.logspace(-1, 3, 60) if rates is None else np.asarray(rates, dtype=float)
    if rates.ndim != 1 or rates.size < 2 or np.any(rates <= 0) or not np.all(np.isfinite(rates)):
        raise ValueError("rates must be a 1-D array of at least 2 finite rates > 0 Hz (log axis)")
    return rates


def device_curves(counts, rates, profiles, reference):
    """Energy per inference (J) of each device profile at each rate (Hz), and where the spiking ones break
    even with the dense `reference` profile: a list of (energies, (rate, energy) or None) per profile.
    The break-even point is None when the reference is spiking or the point lies outside ``rates``."""
    from snnlib.energy.accounting import break_even_rate, estimate

    out = []
    for prof in profiles:
        energies = np.array([estimate(counts.at_rate(r), [prof]).rows[prof.name].total for r in rates])
        point = None
        if prof.spiking and not reference.spiking:
            r_star = break_even_rate(counts, prof, reference)
            if rates[0] <= r_star <= rates[-1]:
                point = (r_star, estimate(counts.at_rate(r_star), [prof]).rows[prof.name].total)
        out.append((energies, point))
    return out


def label_energy_vs_rate(ax, title):
    """Log-log axes with decade labels, axis labels and title of an energy-vs-rate plot."""
    _log_axis(ax, "x")
    _log_axis(ax, "y")
    label_axes(ax, "mean presynaptic firing rate (Hz)", "energy per inference (J)", title)


# the legend sits right of the axes: the lines fill the plot area
ENERGY_LEGEND = dict(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
MARKER_RATE_STYLE = dict(color=PALETTE["black"], lw=1, ls=":")


def energy_vs_rate(counts, rates=None, devices=("cpu", "gpu", "loihi", "spinnaker2", "truenorth"),
                   reference="gpu", marker_rate=None, ax=None,
                   title="Dense devices pay per connection (flat), spiking ones per spike (rising)"):
    """Energy per inference against the mean presynaptic firing rate, one line per device.

    Parameters
    ----------
    counts : OpCounts
        A spiking run (dt > 0): its connections, neurons, timesteps and dt are kept, the rate varied
        (`OpCounts.at_rate`). Dense devices give flat lines (their cost does not depend on spikes).
    rates : array of float or None
        Rates (Hz) for the x axis; default 0.1 .. 1000 Hz, log-spaced.
    devices : sequence of device names
    reference : str
        Dense device whose break-even rate with every spiking device is marked with a dot.
    marker_rate : float or None
        Draw a vertical line at this rate (Hz), e.g. the rate a run measured.

    Returns the Axes (log-log, rate in Hz, energy in J). A widget that redraws on every slider move should
    use `snnlib.plots.views.EnergyRateView` (the same plot, kept and updated).
    """
    from snnlib.energy.accounting import OpCounts, get_device

    _require(counts, OpCounts, "counts", "an OpCounts of a spiking run (e.g. OpCounts.from_run(sim))")
    profiles = [get_device(d) for d in devices]
    ref = get_device(reference)
    rates = check_rates(rates)
    ax = new_axes(ax)
    marked = False
    for k, (prof, (energies, point)) in enumerate(zip(profiles, device_curves(counts, rates, profiles, ref))):
        line_style = device_curve_style(k, prof)
        ax.plot(rates, energies, **line_style)
        if point is not None:
            ax.plot([point[0]], [point[1]], "o", color=line_style["color"], ms=6,
                    label=None if marked else f"break-even with {ref.name}")
            marked = True
    if marker_rate is not None:
        ax.axvline(marker_rate, label=f"rate = {marker_rate:.3g} Hz", **MARKER_RATE_STYLE)
    label_energy_vs_rate(ax, title)
    ax.legend(**ENERGY_LEGEND)
    return ax
