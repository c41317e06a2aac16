"""Plots of lesson 04 (neurotransmitters): kept-figure views for its two demos and its conceptual figure.

* `STPView`: a short-term-plasticity demo, the postsynaptic current of a spike train (left) and the release of
  each spike against the closed-form steady state (right).
* `ModulationView`: a neuromodulation demo, some tuning curves at this modulator level and at none (left) and
  the decoded output against the two target functions (right).
* `timescales`: the conceptual figure, how long each of the lesson's mechanisms lasts, on one log time axis.
* `distal_reward`: the distal reward experiment, the rewarded synapse's weight against the others' median and
  99th percentile over time, for the rewarded run and its control side by side.
"""

import numpy as np

from . import basic
from .style import PALETTE
from .views import FigureView, _finite_number, _rescale, _same_length, _vector

__all__ = ["STPView", "ModulationView", "timescales", "distal_reward"]

_MARGINS = dict(left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.25)


class STPView(FigureView):
    """Short-term plasticity: the current a spike train drives (left), the release u x per spike (right, markers)
    with the closed-form steady state (dashed)."""

    def __init__(self, current_title="Postsynaptic current", release_title="Release per spike (u x)",
                 figsize=(10, 3.2)):
        super().__init__(figsize, ncols=2, width_ratios=(1.6, 1.0), margins=_MARGINS)
        ax_c, ax_r = self.axes
        (self.current_line,) = ax_c.plot([], [], color=PALETTE["blue"], lw=0.9)
        basic.label_axes(ax_c, "time (ms)", "current (units of the weight)", current_title)
        (self.release_line,) = ax_r.plot([], [], "o", ms=4, color=PALETTE["vermillion"], label="simulated")
        self.steady_line = ax_r.axhline(0.0, color=PALETTE["black"], ls="--", lw=1.2, label="steady state (theory)")
        basic.label_axes(ax_r, "spike number", "release u x", release_title)
        ax_r.legend(loc="upper right")

    def update(self, t, current, release, steady):
        """Show a run: sample times ``t`` (s), the ``current``, the ``release`` of each spike and the theory's
        ``steady`` release. Returns the Figure."""
        t, current, release = _vector("t", t), _vector("current", current), _vector("release", release)
        _same_length(("t", "current"), t, current)
        steady = _finite_number("steady", steady)
        ax_c, ax_r = self.axes
        self.current_line.set_data(t * 1e3, current)
        self.release_line.set_data(np.arange(1, release.size + 1), release)
        self.steady_line.set_ydata([steady, steady])
        _rescale(ax_c)
        ax_c.set_ylim(bottom=0)
        ax_r.set_xlim(0, max(release.size, 1) + 1)
        ax_r.set_ylim(0, max(1.1 * max(release.max(initial=0.0), steady), 0.05))
        return self._finish()


class ModulationView(FigureView):
    """Neuromodulation: `n_curves` tuning curves at this modulator level (solid) and without modulator (dotted),
    left; the decoded output (markers) with the functions f0 and f1 (lines), right."""

    def __init__(self, n_curves=6, f_labels=("f0(x) = x", "f1(x) = x\N{SUPERSCRIPT TWO}"),
                 tuning_title="Tuning curves: modulated (solid), without (dotted)",
                 output_title="Decoded output, same decoders", figsize=(10, 3.4)):
        super().__init__(figsize, ncols=2, margins=_MARGINS)
        ax_t, ax_o = self.axes
        self.n_curves = int(n_curves)
        self.modulated = [ax_t.plot([], [], color=PALETTE["blue"], lw=1.2)[0] for _ in range(self.n_curves)]
        self.baseline = [ax_t.plot([], [], color=PALETTE["black"], ls=":", lw=1.0)[0] for _ in range(self.n_curves)]
        basic.label_axes(ax_t, "represented value x", "firing rate (Hz)", tuning_title)
        (self.f0_line,) = ax_o.plot([], [], color=PALETTE["black"], ls="--", lw=1.2, label=f_labels[0])
        (self.f1_line,) = ax_o.plot([], [], color=PALETTE["green"], ls="-.", lw=1.2, label=f_labels[1])
        (self.output_line,) = ax_o.plot([], [], "o", ms=4, color=PALETTE["vermillion"], label="decoded (spikes)")
        basic.label_axes(ax_o, "represented value x", "decoded output", output_title)
        ax_o.set_xlim(-1.05, 1.05)
        ax_o.set_ylim(-1.3, 1.3)
        ax_o.legend(loc="lower right")

    def update(self, x_curve, rates, rates_baseline, x, output, f0, f1, title=None):
        """``x_curve`` (values) with ``rates`` and ``rates_baseline`` (len(x_curve), n_curves) in Hz; the decoded
        ``output`` at ``x``, and the targets ``f0``, ``f1`` at ``x``; optional right-panel ``title``."""
        x_curve, x, output = _vector("x_curve", x_curve), _vector("x", x), _vector("output", output)
        f0, f1 = _vector("f0", f0), _vector("f1", f1)
        _same_length(("x", "output", "f0", "f1"), x, output, f0, f1)
        rates, rates_baseline = np.asarray(rates, dtype=float), np.asarray(rates_baseline, dtype=float)
        shape = (x_curve.size, self.n_curves)
        for name, arr in (("rates", rates), ("rates_baseline", rates_baseline)):
            if arr.shape != shape or not np.all(np.isfinite(arr)):
                raise ValueError(f"{name} must be finite with shape {shape}, got {arr.shape}")
        for k in range(self.n_curves):
            self.modulated[k].set_data(x_curve, rates[:, k])
            self.baseline[k].set_data(x_curve, rates_baseline[:, k])
        self.f0_line.set_data(x, f0)
        self.f1_line.set_data(x, f1)
        self.output_line.set_data(x, output)
        if title is not None:
            self.axes[1].set_title(str(title))
        ax_t = self.axes[0]
        ax_t.set_xlim(-1.05, 1.05)
        ax_t.set_ylim(0, max(1.05 * max(rates.max(initial=0.0), rates_baseline.max(initial=0.0)), 10.0))
        return self._finish()


# (label, from s, to s, row) of the conceptual figure; sources in lesson 04's text (science.md section 4)
TIMESCALES = (
    ("AMPA current", 2e-3, 5e-3, "fast transmission"),
    ("GABA_A current", 5e-3, 10e-3, "fast transmission"),
    ("NMDA current", 50e-3, 150e-3, "fast transmission"),
    ("GABA_B current", 100e-3, 500e-3, "fast transmission"),
    ("facilitation (tau_F)", 0.2, 1.0, "short-term plasticity"),
    ("depression (tau_D)", 0.1, 1.0, "short-term plasticity"),
    ("neuromodulator level", 1.0, 600.0, "modulation"),
    ("eligibility trace", 0.5, 2.0, "three-factor learning"),
    ("dopamine pulse", 0.1, 0.5, "three-factor learning"),
    ("weight change (LTP)", 600.0, 86400.0, "three-factor learning"),
)


def timescales(ax=None, title="What each mechanism of this lesson lasts: from milliseconds to a day"):
    """The conceptual figure: one bar per mechanism on a log time axis (hatching tells the rows apart in greyscale).
    Returns the Axes."""
    from .style import new_axes

    ax = new_axes(ax, figsize=(10, 3.8))
    rows = list(dict.fromkeys(r for *_, r in TIMESCALES))
    looks = {row: (c, h) for row, c, h in zip(rows, ("blue", "orange", "green", "vermillion"), ("", "//", "..", "xx"))}
    labelled = set()
    for y, (label, lo, hi, row) in enumerate(TIMESCALES):
        colour, hatch = looks[row]
        ax.barh(y, hi - lo, left=lo, height=0.6, color=PALETTE[colour], alpha=0.75, hatch=hatch,
                edgecolor=PALETTE["black"], label=None if row in labelled else row)
        labelled.add(row)
        if hi < 1e4:
            ax.text(hi * 1.25, y, label, va="center", fontsize=8)
        else:                                      # no room on the right: label on the left of the bar
            ax.text(lo / 1.25, y, label, va="center", ha="right", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 1e6)
    ax.set_yticks([])
    ax.invert_yaxis()
    for t, name in ((1e-3, "1 ms"), (1.0, "1 s"), (60.0, "1 min"), (3600.0, "1 h"), (86400.0, "1 day")):
        ax.axvline(t, color=PALETTE["black"], lw=0.5, ls=":")
        ax.text(t, len(TIMESCALES) - 0.2, name, fontsize=8, ha="left", va="bottom")
    basic.label_axes(ax, "time (s, log scale)", "", title)
    ax.legend(loc="upper right", fontsize=8)
    ax.figure.subplots_adjust(bottom=0.16)
    return ax


def distal_reward(results, titles, figsize=(10, 3.4)):
    """One panel per `snnlib.experiments.distal_reward.DistalRewardResult` in `results` (with its title): the
    rewarded synapse's weight (solid, thick) against the other synapses' median (dotted) and 99th percentile
    (dashed, with the band between them shaded) over time, in minutes. Line styles tell the curves apart in
    greyscale. Returns the Figure."""
    import matplotlib.pyplot as plt

    from snnlib.experiments.distal_reward import DistalRewardResult

    if isinstance(results, (str, bytes)) or not isinstance(results, (list, tuple)) or not results:
        raise TypeError(f"results must be a non-empty list of DistalRewardResult, got {type(results).__name__}")
    for k, r in enumerate(results):
        basic._require(r, DistalRewardResult, f"results[{k}]", "a DistalRewardResult of simulate_distal_reward(...)")
    if isinstance(titles, (str, bytes)) or not isinstance(titles, (list, tuple)) or len(titles) != len(results):
        raise TypeError(f"titles must be a list of {len(results)} titles, one per result, got {titles!r}")
    fig, axes = plt.subplots(1, len(results), figsize=figsize, sharey=True, squeeze=False)
    for ax, r, title in zip(axes[0], results, titles):
        t = r.t / 60.0
        ax.fill_between(t, r.w_others_median, r.w_others_p99, color=PALETTE["blue"], alpha=0.15, lw=0)
        ax.plot(t, r.w_others_p99, color=PALETTE["blue"], ls="--", lw=1.2, label="others: 99th percentile")
        ax.plot(t, r.w_others_median, color=PALETTE["blue"], ls=":", lw=1.5, label="others: median")
        ax.plot(t, r.w_rewarded, color=PALETTE["vermillion"], ls="-", lw=2.2, label="the chosen synapse")
        ax.set_ylim(-0.02, r.w_max * 1.02)
        basic.label_axes(ax, "time (min)", "weight" if ax is axes[0][0] else "", title)
    axes[0][0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig
