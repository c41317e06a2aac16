"""Plots of the capstone (lesson 08): a kept-figure view of test error against the fraction of units lost, one
curve per learner, with the chosen fraction and each learner's error there marked."""

import numpy as np

from . import basic
from .learning import CURVE_STYLES
from .style import PALETTE
from .views import FigureView, _finite_number, _vector

__all__ = ["LossCurvesView"]


class LossCurvesView(FigureView):
    """RMS test error against the fraction of neurons / hidden units lost (left to right: none to most), one
    curve per learner (line style and marker carry the distinction in greyscale), a dotted vertical line at the
    chosen fraction and a larger marker on each curve at the error measured there.

    Parameters
    ----------
    labels : the learners' names (1 to 3), in the order of the curves given to `update`
    """

    def __init__(self, labels=("spiking (PES)", "ANN (backprop)", "ANN with dropout"), figsize=(8.5, 3.4)):
        if not 1 <= len(labels) <= len(CURVE_STYLES):
            raise ValueError(f"give 1 to {len(CURVE_STYLES)} labels, got {len(labels)}")
        super().__init__(figsize, margins=dict(left=0.09, right=0.98, bottom=0.15, top=0.88))
        ax = self.axes[0]
        self.curves = [ax.plot([], [], label=lab, **st)[0] for lab, st in zip(labels, CURVE_STYLES)]
        self.points = [ax.plot([], [], ls="", marker=st["marker"] or "D", ms=9, color=st["color"], mec="black")[0]
                       for st in CURVE_STYLES[:len(labels)]]
        self.marker = ax.axvline(0.0, color=PALETTE["black"], ls=":", lw=1.2)
        basic.label_axes(ax, "fraction of neurons / hidden units lost after training", "RMS test error (units of y)",
                         "")
        ax.set_xlim(0.0, 1.0)
        ax.legend(loc="upper left")         # the curves rise to the right: this corner stays clear

    def update(self, fractions, curves, fraction, errors, title):
        """``fractions`` (x values in [0, 1]), one error curve per learner, the chosen ``fraction`` and each
        learner's error there (``errors``), and the title. Returns the Figure."""
        fractions = _vector("fractions", fractions)
        if fractions.min() < 0 or fractions.max() > 1:
            raise ValueError("fractions must lie in [0, 1]")
        fraction = _finite_number("fraction", fraction)
        if not 0 <= fraction <= 1:
            raise ValueError(f"fraction must lie in [0, 1], got {fraction}")
        if len(curves) != len(self.curves) or len(errors) != len(self.curves):
            raise ValueError(f"give {len(self.curves)} curves and {len(self.curves)} errors, one per learner")
        top = 0.0
        for line, point, curve, err in zip(self.curves, self.points, curves, errors):
            curve = _vector("curve", curve)
            err = _finite_number("error", err)
            if curve.size != fractions.size or curve.min() < 0 or err < 0:
                raise ValueError(f"each curve must hold {fractions.size} errors >= 0, and each error be >= 0")
            line.set_data(fractions, curve)
            point.set_data([fraction], [err])
            top = max(top, curve.max(), err)
        self.marker.set_xdata([fraction, fraction])
        self.axes[0].set_ylim(0.0, 1.1 * top if top > 0 else 1.0)
        self.axes[0].set_title(title)
        return self._finish()
