"""Noise plots (lesson 05): the kept views of the two demos. matplotlib is imported on first use.

* `IrregularityView`: a neuron's voltage under a noisy drive (left) and the histogram of all inter-spike
  intervals (right), with the exponential density of a Poisson train of the same rate for comparison.
* `PopulationDecodingView`: a signal and a noisy population's estimate of it over time.
"""

import numpy as np

from . import basic
from .style import PALETTE
from .views import FigureView, _rescale, _vector

__all__ = ["IrregularityView", "PopulationDecodingView"]

_MARGINS = dict(left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.25)


class IrregularityView(FigureView):
    """Left: membrane voltage (normalised units, threshold 1) against time. Right: histogram of inter-spike
    intervals (probability density, 1/s) with the exponential density ``r exp(-r t)`` of a Poisson train of the
    same mean rate r (dashed)."""

    def __init__(self, voltage_title="Membrane voltage (threshold 1)",
                 isi_title="Inter-spike intervals, with a Poisson train's (dashed)", n_bins=30, figsize=(10, 3.2)):
        super().__init__(figsize, ncols=2, width_ratios=(1.6, 1.0), margins=_MARGINS)
        ax_v, ax_i = self.axes
        self.n_bins = int(n_bins)
        (self.voltage_line,) = ax_v.plot([], [], color=PALETTE["blue"], lw=0.8)
        ax_v.axhline(1.0, color=PALETTE["black"], ls=":", lw=0.8)
        basic.label_axes(ax_v, "time (ms)", "voltage v (threshold 1)", voltage_title)
        (self.hist_line,) = ax_i.plot([], [], drawstyle="steps-mid", color=PALETTE["vermillion"], lw=1.5,
                                      label="measured")
        (self.poisson_line,) = ax_i.plot([], [], ls="--", color=PALETTE["black"], lw=1.0, label="Poisson, same rate")
        basic.label_axes(ax_i, "interval (ms)", "density (1/s)", isi_title)
        ax_i.legend(loc="upper right")

    def update(self, t, v, isis, title=None):
        """Show sample times ``t`` (s), voltage ``v`` (normalised), the pooled intervals ``isis`` (s) and optionally
        a new voltage-panel ``title``. Returns the Figure."""
        t, v, isis = _vector("t", t), _vector("v", v), _vector("isis", isis)
        if t.size != v.size:
            raise ValueError(f"t and v must have the same length, got {t.size} and {v.size}")
        if np.any(isis < 0):
            raise ValueError("isis must be >= 0 (intervals between sorted spike times)")
        ax_v, ax_i = self.axes
        self.voltage_line.set_data(t * 1e3, v)
        if title is not None:
            ax_v.set_title(str(title))
        _rescale(ax_v)
        if isis.size >= 2:
            top = float(np.quantile(isis, 0.99)) * 1.05
            density, edges = np.histogram(isis, bins=self.n_bins, range=(0.0, top), density=True)
            centres = 0.5 * (edges[1:] + edges[:-1])
            rate = 1.0 / isis.mean()
            self.hist_line.set_data(centres * 1e3, density)
            self.poisson_line.set_data(centres * 1e3, rate * np.exp(-rate * centres))
            ax_i.set_xlim(0.0, top * 1e3)
            ax_i.set_ylim(0.0, 1.1 * max(density.max(), rate))
        else:                                     # too few intervals for a histogram: an empty panel
            self.hist_line.set_data([], [])
            self.poisson_line.set_data([], [])
            ax_i.set_xlim(0.0, 1.0)
            ax_i.set_ylim(0.0, 1.0)
        return self._finish()


class PopulationDecodingView(FigureView):
    """The target signal (what an ideal readout through the same filter gives; black) and the population's
    decoded estimate (vermillion) against time."""

    def __init__(self, title="A noisy population's estimate of a signal", figsize=(9, 3.0)):
        super().__init__(figsize, ncols=1, margins=dict(left=0.08, right=0.98, bottom=0.17, top=0.88))
        (ax,) = self.axes
        (self.signal_line,) = ax.plot([], [], color=PALETTE["black"], lw=1.5, label="signal (filtered)")
        (self.decoded_line,) = ax.plot([], [], color=PALETTE["vermillion"], ls="--", lw=1.0, label="decoded")
        basic.label_axes(ax, "time (ms)", "value x", title)
        ax.legend(loc="upper right")

    def update(self, t, signal, decoded, title=None):
        """Sample times ``t`` (s), the ``signal`` and the ``decoded`` estimate (same length); optional title.
        Returns the Figure."""
        t, signal, decoded = _vector("t", t), _vector("signal", signal), _vector("decoded", decoded)
        if not t.size == signal.size == decoded.size:
            raise ValueError(f"t, signal and decoded must have the same length, got {t.size}, {signal.size}, "
                             f"{decoded.size}")
        (ax,) = self.axes
        self.signal_line.set_data(t * 1e3, signal)
        self.decoded_line.set_data(t * 1e3, decoded)
        if title is not None:
            ax.set_title(str(title))
        _rescale(ax)
        return self._finish()
