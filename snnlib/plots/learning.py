"""Plots of learning without backprop: learning curves with alignment angles (a kept-figure view for the
lesson 03 demo) and the schematic of the forward and feedback paths of backprop, FA and DFA."""

import numpy as np

from . import basic
from .style import PALETTE
from .views import FigureView, _vector

__all__ = ["LearningCurvesView", "feedback_paths"]

# line styles carry the distinction in greyscale; colours add to it
CURVE_STYLES = ({"color": PALETTE["blue"], "ls": "-", "marker": "o", "ms": 3},
                {"color": PALETTE["black"], "ls": "--", "marker": "", "ms": 0},
                {"color": PALETTE["orange"], "ls": ":", "marker": "s", "ms": 3})
ANGLE_STYLES = ({"color": PALETTE["vermillion"], "ls": "-", "marker": "^", "ms": 3},
                {"color": PALETTE["green"], "ls": "-.", "marker": "v", "ms": 3},
                {"color": PALETTE["purple"], "ls": ":", "marker": "d", "ms": 3})


class LearningCurvesView(FigureView):
    """Test accuracy against epoch for a few runs (left) and the alignment angle of each hidden layer (right),
    with a dotted line at 90 degrees (a random direction).

    Parameters
    ----------
    curve_labels : labels of the accuracy curves (at most 3), e.g. ("this rule", "backprop, same settings")
    angle_labels : labels of the angle curves (at most 3), one per hidden layer
    """

    def __init__(self, curve_labels=("this rule", "backprop, same settings"),
                 angle_labels=("hidden layer 1", "hidden layer 2"), figsize=(10, 3.4)):
        if not 1 <= len(curve_labels) <= len(CURVE_STYLES) or not 1 <= len(angle_labels) <= len(ANGLE_STYLES):
            raise ValueError(f"give 1 to {len(CURVE_STYLES)} curve labels and 1 to {len(ANGLE_STYLES)} angle labels")
        super().__init__(figsize, ncols=2, margins=dict(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.22))
        ax_acc, ax_ang = self.axes
        self.curves = [ax_acc.plot([], [], label=lab, **st)[0] for lab, st in zip(curve_labels, CURVE_STYLES)]
        basic.label_axes(ax_acc, "epoch", "test accuracy", "")
        ax_acc.set_ylim(0.0, 1.0)
        ax_acc.legend(loc="lower right")     # a rising curve leaves this corner empty; fixed: no search per draw
        self.angles = [ax_ang.plot([], [], label=lab, **st)[0] for lab, st in zip(angle_labels, ANGLE_STYLES)]
        ax_ang.axhline(90.0, color=PALETTE["black"], ls=":", lw=1, label="90 degrees: no alignment")
        basic.label_axes(ax_ang, "epoch", "angle to the true gradient (degrees)", "")
        ax_ang.set_ylim(0.0, 120.0)
        ax_ang.legend(loc="lower left")

    def update(self, epochs, accuracies, angles, accuracy_title, angle_title):
        """New runs: ``epochs`` (x values), one accuracy array per curve (fraction correct), ``angles`` of shape
        ``(len(epochs), n_layers)`` in degrees (one column per angle curve) and the two panel titles.
        Returns the Figure."""
        epochs = _vector("epochs", epochs)
        if len(accuracies) != len(self.curves):
            raise ValueError(f"accuracies must hold {len(self.curves)} curves, got {len(accuracies)}")
        angles = np.asarray(angles, dtype=float)
        if angles.shape != (epochs.size, len(self.angles)):
            raise ValueError(f"angles must have shape ({epochs.size}, {len(self.angles)}), got {angles.shape}")
        if not np.all(np.isfinite(angles)) or angles.min() < 0 or angles.max() > 180:
            raise ValueError("angles must be finite degrees in [0, 180]")
        for line, acc in zip(self.curves, accuracies):
            acc = _vector("accuracy", acc)
            if acc.size != epochs.size or acc.min() < 0 or acc.max() > 1:
                raise ValueError(f"each accuracy curve must hold {epochs.size} fractions in [0, 1]")
            line.set_data(epochs, acc)
        for line, column in zip(self.angles, angles.T):
            line.set_data(epochs, column)
        ax_acc, ax_ang = self.axes
        for ax in self.axes:
            ax.set_xlim(epochs.min(), max(epochs.max(), epochs.min() + 1))
        ax_ang.set_ylim(0.0, max(120.0, 10.0 * np.ceil(angles.max() / 10.0 + 0.5)))   # an unstable run can pass 120
        ax_acc.set_title(accuracy_title)
        ax_ang.set_title(angle_title)
        return self._finish()


def _box(ax, x, y, text, color):
    ax.text(x, y, text, ha="center", va="center", fontsize=9,
            bbox=dict(boxstyle="round,pad=0.35", fc="white", ec=color, lw=1.4))


def _arrow(ax, start, end, color, ls="-", text=None, rad=0.0, text_offset=(0.0, 0.0)):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=1.6, ls=ls, connectionstyle=f"arc3,rad={rad}"))
    if text:
        mid = ((start[0] + end[0]) / 2 + text_offset[0], (start[1] + end[1]) / 2 + text_offset[1])
        ax.text(*mid, text, ha="center", va="center", fontsize=8, color=color)


def feedback_paths(axes=None):
    """The schematic: three columns (backprop, FA, DFA), each x -> h1 -> h2 -> output going up (solid
    arrows, the forward weights W) and the error going back down (dashed arrows), labelled with the matrix
    that carries it: W^T (the forward weights, transported), fixed random B, or fixed random D straight
    from the output. Returns the three Axes."""
    if axes is None:
        import matplotlib.pyplot as plt

        from .style import style

        style()
        _, axes = plt.subplots(1, 3, figsize=(10, 4.2))
    titles = ("Backprop\nerror back through W$^T$ (weight transport)",
              "Feedback alignment\nerror back through fixed random B",
              "Direct feedback alignment\noutput error straight to each layer (D)")
    ys = {"x": 0.05, "h1": 0.38, "h2": 0.66, "out": 0.93}
    names = {"x": "input x", "h1": "hidden h$_1$", "h2": "hidden h$_2$", "out": "output, error e"}
    fwd, back = PALETTE["blue"], PALETTE["vermillion"]
    for k, (ax, title) in enumerate(zip(axes, titles)):
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.05, 1.05)
        ax.axis("off")
        ax.set_title(title, fontsize=10)
        for key, y in ys.items():
            _box(ax, 0.35, y, names[key], PALETTE["black"])
        for (a, b), w in zip((("x", "h1"), ("h1", "h2"), ("h2", "out")), ("W$_1$", "W$_2$", "W$_3$")):
            _arrow(ax, (0.22, ys[a] + 0.05), (0.22, ys[b] - 0.05), fwd, text=w, text_offset=(-0.09, 0))
        if k < 2:
            mats = (("W$_3^T$", "W$_2^T$") if k == 0 else ("B$_2$", "B$_1$"))
            for (a, b), m in zip((("out", "h2"), ("h2", "h1")), mats):
                _arrow(ax, (0.62, ys[a] - 0.05), (0.62, ys[b] + 0.05), back, ls="--", text=m, text_offset=(0.1, 0))
        else:
            for b, m, rad in (("h2", "D$_2$", -0.2), ("h1", "D$_1$", -0.35)):
                _arrow(ax, (0.68, ys["out"] - 0.04), (0.6, ys[b]), back, ls="--", rad=rad, text=m,
                       text_offset=(0.2 if b == "h1" else 0.15, 0))
    axes[0].text(0.02, -0.04, "solid: forward weights; dashed: error (feedback) path", fontsize=8,
                 color=PALETTE["black"], transform=axes[0].transAxes)
    return axes

