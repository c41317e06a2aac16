"""Conceptual figures, drawn with matplotlib (no data): the LIF neuron as an RC circuit (lesson 00), the
ANN-to-SNN conversion pipeline (lesson 01), and the layout of a dense accelerator next to a neuromorphic chip
(lesson 02). Black lines on white with grey fills, so they read in greyscale and in print.

Each function takes an optional Axes (or pair of Axes) and returns the Figure; the axes are switched off.
"""

from __future__ import annotations

import numpy as np

from .style import new_axes

__all__ = ["lif_circuit", "conversion_pipeline", "chip_layouts"]

_LINE = dict(color="black", lw=1.5)
_TEXT = dict(ha="center", va="center", fontsize=9)


def _box(ax, x, y, w, h, text, fill="0.92", fontsize=9, **kw):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.05", fc=fill,
                                ec="black", lw=1.2, **kw))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=fontsize, wrap=True)


def _arrow(ax, x0, y0, x1, y1, text=None, dy=0.12):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="-|>", color="black", lw=1.3))
    if text:
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + dy, text, ha="center", va="bottom", fontsize=8)


def _finish(ax, xlim, ylim, title):
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)


def lif_circuit(ax=None, title="The LIF neuron as an RC circuit: tau_rc = R C"):
    """The leaky integrate-and-fire neuron as a circuit: an input current I charges a capacitor C (the
    membrane) and leaks through a resistor R towards rest; a comparator fires a spike when v reaches the
    threshold and a switch shorts C (reset) for tau_ref. Returns the Figure."""
    from matplotlib.patches import Circle, Polygon

    if ax is None:
        import matplotlib.pyplot as plt

        from .style import style
        style()
        _, ax = plt.subplots(figsize=(8, 3.4))
    top, bottom = 2.0, 0.0
    # rails
    ax.plot([0.5, 6.2], [top, top], **_LINE)
    ax.plot([0.5, 6.2], [bottom, bottom], **_LINE)
    ax.text(0.3, bottom, "rest\n(v = 0)", ha="right", va="center", fontsize=8)
    # current source I(t) on the left
    ax.plot([0.9, 0.9], [bottom, 0.7], **_LINE)
    ax.plot([0.9, 0.9], [1.3, top], **_LINE)
    ax.add_patch(Circle((0.9, 1.0), 0.3, fc="white", ec="black", lw=1.5))
    _arrow(ax, 0.9, 0.82, 0.9, 1.2)
    ax.text(0.45, 1.0, "input\nI(t)", ha="right", va="center", fontsize=8)
    # capacitor C
    xc = 2.3
    ax.plot([xc, xc], [top, 1.1], **_LINE)
    ax.plot([xc, xc], [0.9, bottom], **_LINE)
    ax.plot([xc - 0.3, xc + 0.3], [1.1, 1.1], color="black", lw=2.5)
    ax.plot([xc - 0.3, xc + 0.3], [0.9, 0.9], color="black", lw=2.5)
    ax.text(xc + 0.35, 1.0, "C\n(mem-\nbrane)", ha="left", va="center", fontsize=8)
    # resistor R (zig-zag)
    xr = 4.0
    ax.plot([xr, xr], [top, 1.5], **_LINE)
    ax.plot([xr, xr], [0.5, bottom], **_LINE)
    zy = np.linspace(1.5, 0.5, 9)
    zx = xr + 0.15 * np.array([0, 1, -1, 1, -1, 1, -1, 1, 0])
    ax.plot(zx, zy, **_LINE)
    ax.text(xr + 0.3, 1.0, "R\n(leak)", ha="left", va="center", fontsize=8)
    # reset switch
    xs = 5.4
    ax.plot([xs, xs], [top, 1.35], **_LINE)
    ax.plot([xs, xs], [0.65, bottom], **_LINE)
    ax.plot([xs, xs + 0.3], [0.65, 1.25], **_LINE)
    ax.text(xs + 0.4, 0.9, "reset switch:\nshorts C for tau_ref", ha="left", va="center", fontsize=8)
    # comparator and spike output
    ax.plot([6.2, 6.2], [top, 2.6], **_LINE)
    ax.plot([6.2, 7.0], [2.6, 2.6], **_LINE)
    ax.add_patch(Polygon([[7.0, 2.25], [7.0, 2.95], [7.7, 2.6]], closed=True, fc="0.92", ec="black", lw=1.5))
    ax.text(7.28, 2.6, "v>1?", fontsize=7, ha="center", va="center")
    _arrow(ax, 7.7, 2.6, 8.5, 2.6)
    ax.plot([8.6, 8.6, 8.75, 8.75, 8.9], [2.35, 2.35, 2.35, 2.95, 2.35], color="black", lw=1.3)
    ax.text(8.75, 3.1, "spike", **_TEXT)
    ax.annotate("", xy=(xs + 0.2, 1.5), xytext=(7.35, 2.25),
                arrowprops=dict(arrowstyle="-|>", color="black", lw=1, ls="--", connectionstyle="arc3,rad=-0.3"))
    ax.text(6.9, 1.55, "closes", fontsize=8, ha="center")
    ax.text(2.3, 2.3, "v (voltage across C)", fontsize=8, ha="center", va="bottom")
    ax.text(4.7, -0.55, r"$C\,dv/dt = I - v/R \;\Rightarrow\; \tau_{rc}\,dv/dt = J - v$,  with $J = RI$, "
                        r"$\tau_{rc} = RC$", ha="center", va="center", fontsize=10)
    _finish(ax, (-0.6, 9.3), (-0.9, 3.4), title)
    return ax.figure


def conversion_pipeline(ax=None, title="ANN-to-SNN conversion: train with rates, run with spikes"):
    """Boxes and arrows of the conversion used in lesson 01: train a rate network with the soft-LIF curve, copy
    its weights into LIF neurons joined by exponential synapses, present the image for a window T, and read
    the class out of the last layer's spike counts. Returns the Figure."""
    if ax is None:
        import matplotlib.pyplot as plt

        from .style import style
        style()
        _, ax = plt.subplots(figsize=(10, 2.8))
    steps = [
        ("1. train an ANN\nsoft-LIF units\n(rates, backprop)", "0.95"),
        ("2. copy weights\nW1, W2, W3\nunchanged", "0.85"),
        ("3. run LIF neurons\nimage as current,\nspikes via synapses", "0.95"),
        ("4. count spikes\nover window T\n(rate = count / T)", "0.85"),
        ("5. readout\nlogits = W3 (rates)\nclass = argmax", "0.95"),
    ]
    w, h, gap = 1.7, 1.3, 0.45
    for k, (text, fill) in enumerate(steps):
        x = k * (w + gap)
        _box(ax, x, 0.0, w, h, text, fill=fill, fontsize=8)
        if k:
            _arrow(ax, x - gap + 0.02, h / 2, x - 0.02, h / 2)
    ax.text(2 * (w + gap) + w / 2, -0.35, "error of the rate read in T: ~1/T (regular) to 1/sqrt(T) (Poisson)",
            ha="center", va="top", fontsize=8)
    ax.text(0.5 * w, h + 0.2, "deep learning's side", ha="center", fontsize=8, style="italic")
    ax.text(3 * (w + gap) - gap / 2, h + 0.2, "spiking side: time is now part of the answer", ha="center",
            fontsize=8, style="italic")
    _finish(ax, (-0.2, 5 * w + 4 * gap + 0.2), (-0.8, h + 0.5), title)
    return ax.figure


def chip_layouts(axes=None, title="Where the weights live: a dense accelerator and a neuromorphic chip"):
    """Two schematic floor plans. Left: a TPU-like dense accelerator, weights streamed from off-chip DRAM
    into a grid of multiply-accumulate units that every input passes through (work per connection). Right:
    a neuromorphic chip, a grid of cores each holding its own synapse memory and neurons, spikes travelling
    between cores as packets (work per spike). Returns the Figure."""
    from matplotlib.patches import Rectangle

    if axes is None:
        import matplotlib.pyplot as plt

        from .style import style
        style()
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
        fig.subplots_adjust(top=0.8, wspace=0.1)
    ax_d, ax_n = axes
    # dense accelerator
    _box(ax_d, -0.6, 0.6, 1.1, 2.8, "off-chip\nDRAM\n(weights)", fill="0.75", fontsize=8)
    _arrow(ax_d, 0.55, 2.0, 2.0, 2.0)
    ax_d.text(1.27, 1.85, "weights,\nonce per\nbatch", ha="center", va="top", fontsize=7)
    n = 6
    for i in range(n):
        for j in range(n):
            ax_d.add_patch(Rectangle((2.1 + 0.42 * j, 0.6 + 0.42 * i), 0.36, 0.36, fc="white", ec="black", lw=0.8))
    ax_d.text(2.1 + 0.42 * n / 2, 0.6 + 0.42 * n + 0.15, "MAC array (int8):\nevery input x every weight",
              ha="center", va="bottom", fontsize=8)
    _arrow(ax_d, 2.1 + 0.42 * n / 2, 0.1, 2.1 + 0.42 * n / 2, 0.55)
    ax_d.text(2.1 + 0.42 * n / 2, 0.0, "activations in", ha="center", va="top", fontsize=8)
    _arrow(ax_d, 2.1 + 0.42 * n + 0.05, 1.85, 5.3, 1.85)
    ax_d.text(5.35, 1.85, "outputs", ha="left", va="center", fontsize=8)
    _finish(ax_d, (-0.8, 6.4), (-0.5, 4.5), "dense accelerator: pays per connection")
    # neuromorphic chip: 3 x 3 cores, each with synapse memory (grey) and neurons (white) and a router
    for i in range(3):
        for j in range(3):
            x, y = 0.2 + 1.9 * j, 0.3 + 1.3 * i
            ax_n.add_patch(Rectangle((x, y), 1.6, 1.05, fc="white", ec="black", lw=1.2))
            ax_n.add_patch(Rectangle((x + 0.08, y + 0.45), 1.0, 0.52, fc="0.75", ec="black", lw=0.6))
            ax_n.add_patch(Rectangle((x + 0.08, y + 0.08), 1.0, 0.3, fc="0.95", ec="black", lw=0.6))
            ax_n.add_patch(Rectangle((x + 1.18, y + 0.3), 0.34, 0.45, fc="white", ec="black", lw=0.6, hatch="///"))
    x0, y0 = 0.2, 0.3 + 2 * 1.3
    ax_n.text(x0 + 0.58, y0 + 0.71, "synapses", ha="center", va="center", fontsize=7)
    ax_n.text(x0 + 0.58, y0 + 0.23, "neurons", ha="center", va="center", fontsize=7)
    ax_n.text(x0 + 1.35, y0 + 1.15, "router", ha="center", va="bottom", fontsize=7)
    ax_n.annotate("", xy=(0.2 + 1.9 * 2 + 0.2, 0.3 + 0.9), xytext=(0.2 + 1.35, 0.3 + 0.55),
                  arrowprops=dict(arrowstyle="-|>", color="black", lw=1.3, ls="--",
                                  connectionstyle="arc3,rad=0.25"))
    ax_n.text(3.0, 0.05, "a spike travels as a packet; only its targets' synapses are read",
              ha="center", va="top", fontsize=8)
    _finish(ax_n, (-0.1, 6.0), (-0.5, 4.5), "neuromorphic chip: pays per spike and per tick")
    fig = ax_d.figure
    if title:
        fig.suptitle(title)
    return fig
