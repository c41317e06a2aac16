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


def code_rasters(rate_spikes, latency_times, window, axes=None,
                 title="The same value in two codes: spikes seen inside the window (shaded)"):
    """Rasters of a rate code and a latency code side by side.

    ``rate_spikes``: ``(times, neurons)`` (s); ``latency_times``: one first-spike time (s) per neuron;
    ``window`` (s) is shaded. ``axes``: two Axes, or None for a new figure. Returns the two Axes.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        from .style import style
        style()
        # fixed margins, not layout="constrained": the layout solver doubles the drawing time of a demo
        fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.8, wspace=0.08)
    times, neurons = (np.asarray(a) for a in rate_spikes)
    lat = np.asarray(latency_times, dtype=float)
    t_max = max(window, times.max() if times.size else 0.0, lat[np.isfinite(lat)].max() if lat.size else 0.0)
    for ax, (t, n, name, colour) in zip(axes, [(times, neurons, "rate code (Poisson)", PALETTE["blue"]),
                                                (lat, np.arange(lat.size), "latency code (first spike)",
                                                 PALETTE["orange"])]):
        ax.axvspan(0, window * 1e3, color=PALETTE["yellow"], alpha=0.3, lw=0)
        ax.scatter(t * 1e3, n, marker="|", s=60, color=colour)
        ax.set_xlim(0, t_max * 1e3 * 1.05)
        ax.set_xlabel("time (ms)")
        ax.set_title(name)
    axes[0].set_ylabel("neuron")
    axes[0].figure.suptitle(title)
    return axes


def decoding_error(windows, rate_err, latency_err, ax=None,
                   title="Decoding error against window: latency wins once its spikes have arrived"):
    """RMS decoding error of both codes against the readout window (s), log-log."""
    ax = new_axes(ax)
    w = np.asarray(windows) * 1e3
    ax.loglog(w, rate_err, "o-", color=PALETTE["blue"], label="rate code")
    ax.loglog(w, latency_err, "s-", color=PALETTE["orange"], label="latency code")
    ax.set_xlabel("readout window (ms)")
    ax.set_ylabel("RMS decoding error (value units)")
    ax.set_title(title)
    ax.legend()
    return ax


def accuracy_vs_time(t_present, accuracies, ann_accuracy, ax=None,
                     title="Spiking network accuracy approaches the ANN's as the window grows"):
    """Accuracy against presentation time (s); ``accuracies`` maps a label (e.g. rate scale) to a list."""
    ax = new_axes(ax)
    t = np.asarray(t_present) * 1e3
    for label, acc in accuracies.items():
        ax.semilogx(t, np.asarray(acc) * 100, "o-", label=str(label))
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
                    title="STDP strengthens the correlated inputs and weakens the independent ones"):
    """Two panels for a :class:`snnlib.stdp_experiments.CorrelationLearning`: group means over time, and
    the final weight of every input. Weights shown as fractions of ``w_max``."""
    if axes is None:
        import matplotlib.pyplot as plt

        from .style import style
        style()
        _, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    ax1, ax2 = axes
    ax1.plot(result.t, result.w_mean[:, 0] / w_max, color=PALETTE["vermillion"], label="correlated inputs")
    ax1.plot(result.t, result.w_mean[:, 1] / w_max, color=PALETTE["blue"], label="independent inputs")
    ax1.set_xlabel("time (s)")
    ax1.set_ylabel("mean weight / w_max")
    ax1.set_ylim(0, 1.05)
    ax1.legend()
    n_c = result.n_correlated
    idx = np.arange(result.w_end.size)
    ax2.plot(idx, result.w_start / w_max, color=PALETTE["black"], lw=1, label="before")
    ax2.bar(idx[:n_c], result.w_end[:n_c] / w_max, color=PALETTE["vermillion"], width=1.0, label="after: correlated")
    ax2.bar(idx[n_c:], result.w_end[n_c:] / w_max, color=PALETTE["blue"], width=1.0, label="after: independent")
    ax2.set_xlabel("input index")
    ax2.set_ylabel("weight / w_max")
    ax2.set_ylim(0, 1.05)
    ax2.legend(fontsize=8)
    ax1.figure.suptitle(title)
    return axes
