"""NEF plots: the representation demo's kept view (tuning curves + decoding error) and the NEF's pipeline
drawn as a diagram (a conceptual figure for lesson 06). matplotlib is imported on first use."""

import numpy as np

from . import basic
from .style import PALETTE, new_axes
from .views import FigureView, _rescale, _vector

__all__ = ["TuningDecodingView", "pipeline_diagram", "MAX_CURVES"]

MAX_CURVES = 40          # tuning curves drawn at most (more are unreadable and cost drawing time)
_CURVE_STYLES = ("-", "--", ":", "-.")


class TuningDecodingView(FigureView):
    """Left: tuning curves a_i(x) of (up to MAX_CURVES) neurons. Right: the static decoding error x_hat - x
    with the noise band +-sigma|D| (the spike noise that the decoders pass on, LstsqL2's model of it)."""

    def __init__(self, tuning_title="Tuning curves: each neuron's rate against x",
                 error_title="Decoding error: distortion and the noise band", figsize=(10, 3.4)):
        super().__init__(figsize, ncols=2, margins=dict(left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.25))
        ax_t, ax_e = self.axes
        cycle = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky")]
        self.curves = [ax_t.plot([], [], lw=1.0, color=cycle[k % len(cycle)],
                                 ls=_CURVE_STYLES[k % len(_CURVE_STYLES)])[0] for k in range(MAX_CURVES)]
        basic.label_axes(ax_t, "represented value x", "firing rate (Hz)", tuning_title)
        ax_e.axhline(0.0, color=PALETTE["black"], lw=0.6)
        (self.error_line,) = ax_e.plot([], [], color=PALETTE["blue"], label="distortion x_hat - x")
        (self.band_hi,) = ax_e.plot([], [], color=PALETTE["vermillion"], ls="--", label="noise band +-sigma|D|")
        (self.band_lo,) = ax_e.plot([], [], color=PALETTE["vermillion"], ls="--")
        basic.label_axes(ax_e, "represented value x", "error", error_title)
        ax_e.legend(loc="lower left")

    def update(self, x, rates, error, noise):
        """x (points,), rates (points, n) in Hz, error (points,) = x_hat - x, noise: the band half-width.
        Returns the Figure."""
        x, error = _vector("x", x), _vector("error", error)
        rates = np.asarray(rates, dtype=float)
        if rates.ndim != 2 or rates.shape[0] != x.size or not np.all(np.isfinite(rates)):
            raise ValueError(f"rates must be finite with shape ({x.size}, n_neurons), got {rates.shape}")
        if error.size != x.size:
            raise ValueError(f"error must have one value per x ({x.size}), got {error.size}")
        noise = float(noise)
        if not np.isfinite(noise) or noise < 0:
            raise ValueError(f"noise must be a finite number >= 0, got {noise}")
        shown = min(rates.shape[1], MAX_CURVES)
        for k, line in enumerate(self.curves):
            if k < shown:
                line.set_data(x, rates[:, k])
            line.set_visible(k < shown)
            if k >= shown:
                line.set_data([], [])
        self.error_line.set_data(x, error)
        self.band_hi.set_data(x[[0, -1]], [noise, noise])
        self.band_lo.set_data(x[[0, -1]], [-noise, -noise])
        for ax in self.axes:
            _rescale(ax)
        return self._finish()


def pipeline_diagram(ax=None, title="The NEF: encode, spike, filter, decode (and transform)"):
    """A conceptual figure: x -> encoders, gain, bias -> LIF spikes -> synapse -> decoders -> x_hat / f(x),
    with the recurrent loop of principle 3. Returns the Axes."""
    ax = new_axes(ax)
    ax.figure.set_size_inches(10, 3.4)
    ax.set_xlim(-0.2, 10.2)
    ax.set_ylim(0, 3.4)
    ax.axis("off")
    boxes = [
        (0.0, "value\n$x(t)$", PALETTE["sky"]),
        (1.9, "encode\n$J_i = g_i\\,e_i\\cdot x/r + b_i$", PALETTE["yellow"]),
        (3.8, "LIF neurons\nspike trains $a_i(t)$", PALETTE["orange"]),
        (5.7, "synapse\n$h(t) = e^{-t/\\tau}/\\tau$", PALETTE["green"]),
        (7.6, "decode\n$\\sum_i D_i\\,(a_i * h)(t)$", PALETTE["purple"]),
    ]
    width = 1.55
    for x0, text, color in boxes:
        ax.add_patch(_box(x0, 1.2, width, 1.0, color))
        ax.text(x0 + width / 2, 1.7, text, ha="center", va="center", fontsize=8.5)
    for x0, _, _ in boxes:
        end = x0 + width + 0.05
        ax.annotate("", xy=(end + 0.25, 1.7), xytext=(end, 1.7),
                    arrowprops=dict(arrowstyle="->", lw=1.4, color=PALETTE["black"]))
    ax.text(9.5, 1.7, "$\\hat{x}$\nor $f(x)$", va="center", fontsize=8.5)
    # recurrent loop: decoded value fed back through the synapse (principle 3)
    ax.annotate("", xy=(2.7, 1.15), xytext=(8.4, 1.15),
                arrowprops=dict(arrowstyle="->", lw=1.2, ls="--", color=PALETTE["vermillion"],
                                connectionstyle="arc3,rad=-0.25"))
    ax.text(5.6, 0.25, "recurrent connection: transform tau*A + I gives dx/dt = A x (principle 3)",
            ha="center", fontsize=8.5, color=PALETTE["vermillion"])
    ax.text(5.0, 2.8, "principle 1: representation (encode + decode)    principle 2: decode f(x) instead of x",
            ha="center", fontsize=8.5)
    ax.set_title(title)
    return ax


def _box(x0, y0, w, h, color):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((x0, y0), w, h, boxstyle="round,pad=0.05", fc=color, ec=PALETTE["black"], alpha=0.55)
