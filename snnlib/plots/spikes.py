"""Plots for spike codes, ANN-to-SNN conversion and STDP (lesson 01). Times in ms on the axes."""

import numpy as np

from .style import PALETTE, new_axes


def isi_histogram(intervals, rate=None, ax=None, bins=40,
                  title="Inter-spike intervals: a Poisson train has an exponential histogram"):
    """Histogram (density) of inter-spike intervals (s); with ``rate`` (Hz), the exponential pdf on top."""
    ax = new_axes(ax)
    iv = np.asarray(intervals, dtype=float) * 1e3
    ax.hist(iv, bins=bins, density=True, color=PALETTE["sky"], label="simulated")
    if rate is not None:
        x = np.linspace(0, iv.max() if iv.size else 1.0, 200)
        ax.plot(x, rate / 1e3 * np.exp(-rate * x / 1e3), color=PALETTE["vermillion"],
                label=f"exponential, rate {rate:g} Hz")
    ax.set_xlabel("inter-spike interval (ms)")
    ax.set_ylabel("probability density (1/ms)")
    ax.set_title(title)
    ax.legend()
    return ax


CODE_COLOURS = (("rate code (Poisson)", PALETTE["blue"]), ("latency code (first spike)", PALETTE["orange"]))


def code_raster_artists(axes, title):
    """Create, once, the artists of the two code rasters on ``axes`` (two Axes sharing y): per Axes the
    shaded window (a Rectangle spanning the height) and an empty scatter. Returns a list of
    (span, scatter) pairs for :func:`set_code_rasters`. Shared by `code_rasters` and `views.CodeRastersView`."""
    from matplotlib.patches import Rectangle

    from .basic import _require_axes

    if isinstance(axes, (str, bytes)) or not hasattr(axes, "__len__") or len(axes) != 2:
        raise TypeError(f"axes must be two matplotlib Axes (one per code), got {type(axes).__name__}")
    for k, ax in enumerate(axes):
        _require_axes(ax, f"axes[{k}]")
    artists = []
    for ax, (name, colour) in zip(axes, CODE_COLOURS):
        span = ax.add_patch(Rectangle((0, 0), 0, 1, transform=ax.get_xaxis_transform(), color=PALETTE["yellow"],
                                      alpha=0.3, lw=0))
        dots = ax.scatter(np.empty(0), np.empty(0), marker="|", s=60, color=colour)
        ax.set_xlabel("time (ms)")
        ax.set_title(name)
        artists.append((span, dots))
    axes[0].set_ylabel("neuron")
    axes[0].figure.suptitle(title)
    return artists


def set_code_rasters(artists, rate_spikes, latency_times, window):
    """Put new spikes into the artists of :func:`code_raster_artists` and set the axis limits.

    ``rate_spikes``: ``(times, neurons)`` (s); ``latency_times``: one first-spike time (s) per neuron,
    ``np.inf`` for no spike (not drawn); ``window`` (s) is shaded. Limits are set here, not autoscaled:
    scatter offsets do not take part in `relim`, so an empty raster would otherwise keep stale limits.
    """
    times, neurons = (np.asarray(a, dtype=float) for a in rate_spikes)
    lat = np.asarray(latency_times, dtype=float)
    if times.shape != neurons.shape or times.ndim != 1 or lat.ndim != 1:
        raise ValueError("rate_spikes must be two 1-D arrays (times, neurons) of one length and latency_times "
                         f"a 1-D array, got shapes {times.shape}, {neurons.shape} and {lat.shape}")
    seen = np.isfinite(lat)
    t_max = max(window, times.max() if times.size else 0.0, lat[seen].max() if seen.any() else 0.0)
    n_rows = max(lat.size, int(neurons.max()) + 1 if neurons.size else 0, 1)
    for (span, dots), (t, n) in zip(artists, [(times, neurons), (lat[seen], np.arange(lat.size)[seen])]):
        span.set_width(window * 1e3)
        dots.set_offsets(np.column_stack([t * 1e3, n]))
        ax = dots.axes
        ax.set_xlim(0, t_max * 1e3 * 1.05)
        ax.set_ylim(-0.5, n_rows - 0.5)


def code_rasters(rate_spikes, latency_times, window, axes=None,
                 title="The same value in two codes: spikes seen inside the window (shaded)"):
    """Rasters of a rate code and a latency code side by side.

    ``rate_spikes``: ``(times, neurons)`` (s); ``latency_times``: one first-spike time (s) per neuron
    (``np.inf``: no spike); ``window`` (s) is shaded. ``axes``: two Axes, or None for a new figure.
    Returns the two Axes. A widget that redraws on every slider move should use
    `snnlib.plots.views.CodeRastersView` instead (the same plot, kept and updated).
    """
    if axes is None:
        import matplotlib.pyplot as plt

        from .style import style
        style()
        fig, axes = plt.subplots(1, 2, figsize=CODE_FIGSIZE, sharey=True)
        fig.subplots_adjust(**CODE_MARGINS)
    set_code_rasters(code_raster_artists(axes, title), rate_spikes, latency_times, window)
    return axes


# fixed margins, not layout="constrained": the layout solver doubles the drawing time of a demo
CODE_FIGSIZE = (8, 3)
CODE_MARGINS = dict(left=0.08, right=0.98, bottom=0.17, top=0.8, wspace=0.08)


def decoding_error(windows, rate_err, latency_err, ax=None,
                   title="Decoding error against window: latency wins once its spikes have arrived",
                   regular_err=None):
    """RMS decoding error of the codes against the readout window (s), log-log: the Poisson rate code, the
    latency code and, if ``regular_err`` is given, the regular rate code."""
    ax = new_axes(ax)
    w = np.asarray(windows) * 1e3
    ax.loglog(w, rate_err, "o-", color=PALETTE["blue"], label="rate code (Poisson)" if regular_err is not None
              else "rate code")
    if regular_err is not None:
        ax.loglog(w, regular_err, "^:", color=PALETTE["green"], label="rate code (regular)")
    ax.loglog(w, latency_err, "s--", color=PALETTE["orange"], label="latency code")
    ax.set_xlabel("readout window (ms)")
    ax.set_ylabel("RMS decoding error (value units)")
    ax.set_title(title)
    ax.legend()
    return ax


def accuracy_vs_time(t_present, accuracies, ann_accuracy, ax=None,
                     title="Spiking network accuracy approaches the ANN's as the window grows"):
    """Accuracy against presentation time (s); ``accuracies`` maps a label (e.g. rate scale) to a list."""
    from snnlib._validate import numeric_array, real

    if not hasattr(accuracies, "items"):
        raise TypeError(f"accuracies must be a dict label -> accuracies (one per presentation time), got "
                        f"{type(accuracies).__name__}")
    t_present, ann_accuracy = numeric_array("t_present", t_present), real("ann_accuracy", ann_accuracy)
    ax = new_axes(ax)
    t = np.asarray(t_present) * 1e3
    styles = ("o-", "s--", "^:", "D-.")   # markers and dashes: the series differ in greyscale too
    for k, (label, acc) in enumerate(accuracies.items()):
        ax.semilogx(t, np.asarray(acc) * 100, styles[k % len(styles)], label=str(label))
    ax.axhline(ann_accuracy * 100, color=PALETTE["black"], ls="--", lw=1, label="ANN (rates)")
    ax.set_xlabel("presentation time (ms)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(title)
    ax.legend()
    return ax


def stdp_window(dt, dw, analytic=None, ax=None,
                title="STDP window: measured pairs (dots) on the exponential window (line)"):
    """Weight change against ``dt = t_post - t_pre`` (s). ``analytic``: a callable dt -> dw (e.g. rule.window)."""
    ax = new_axes(ax)
    dt = np.asarray(dt, dtype=float)
    if analytic is not None:
        x = np.linspace(dt.min(), dt.max(), 400)
        x = x[x != 0]
        for side in (x < 0, x > 0):
            ax.plot(x[side] * 1e3, analytic(x[side]), color=PALETTE["blue"],
                    label="A+ exp(-dt/tau+), -A- exp(dt/tau-)" if side[-1] else None)
    ax.plot(dt * 1e3, dw, "o", ms=4, color=PALETTE["orange"], label="simulated pairs")
    ax.axhline(0, color=PALETTE["black"], lw=0.6)
    ax.axvline(0, color=PALETTE["black"], lw=0.6)
    ax.set_xlabel("t_post - t_pre (ms)")
    ax.set_ylabel("weight change per pair")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def weight_learning(result, w_max, axes=None,
                    title="STDP strengthens the correlated inputs and weakens the independent ones",
                    control=None):
    """Two panels for a :class:`snnlib.experiments.stdp.CorrelationLearning`: group means over time, and
    the final weight of every input. Weights shown as fractions of ``w_max``. ``control``: an optional run
    of the same set-up without correlation, whose group means are drawn in the first panel (grey)."""
    from snnlib._validate import positive
    from snnlib.experiments.stdp import CorrelationLearning

    from .basic import _require

    _require(result, CorrelationLearning, "result", "the CorrelationLearning of learn_correlated_inputs(...)")
    if control is not None:
        _require(control, CorrelationLearning, "control", "None or a CorrelationLearning")
    w_max = positive("w_max", w_max, "")
    if axes is None:
        import matplotlib.pyplot as plt

        from .style import style
        style()
        _, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    ax1, ax2 = axes
    ax1.plot(result.t, result.w_mean[:, 0] / w_max, color=PALETTE["vermillion"], label="correlated inputs")
    ax1.plot(result.t, result.w_mean[:, 1] / w_max, "--", color=PALETTE["blue"], label="independent inputs")
    if control is not None:
        every = max(1, len(control.t) // 12)
        ax1.plot(control.t, control.w_mean[:, 0] / w_max, ":", marker="o", markevery=every, ms=4,
                 color="0.45", label="control (no correlation): group 1")
        ax1.plot(control.t, control.w_mean[:, 1] / w_max, "-.", marker="x", markevery=every, ms=5,
                 color="0.45", label="control: group 2")
    ax1.set_xlabel("time (s)")
    ax1.set_ylabel("mean weight / w_max")
    ax1.set_ylim(0, 1.05)
    ax1.legend(fontsize=8 if control is not None else None)
    n_c = result.n_correlated
    idx = np.arange(result.w_end.size)
    ax2.plot(idx, result.w_start / w_max, color=PALETTE["black"], lw=1, label="before")
    ax2.bar(idx[:n_c], result.w_end[:n_c] / w_max, color=PALETTE["vermillion"], width=1.0, label="after: correlated")
    ax2.bar(idx[n_c:], result.w_end[n_c:] / w_max, color=PALETTE["blue"], width=1.0, hatch="///",
            edgecolor=PALETTE["black"], linewidth=0, label="after: independent")
    ax2.set_xlabel("input index")
    ax2.set_ylabel("weight / w_max")
    ax2.set_ylim(0, 1.05)
    ax2.legend(fontsize=8)
    ax1.figure.suptitle(title)
    return axes
