"""The course's plot style: Okabe-Ito colours (safe for colour-blind readers), readable sizes."""

# Okabe & Ito (2008) palette: distinguishable under the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]

_RC = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 90,
    "axes.prop_cycle": None,  # filled in style()
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
}


def style():
    """Apply the course style to matplotlib and return the palette (a dict of name -> hex colour)."""
    import matplotlib as mpl
    from cycler import cycler

    rc = dict(_RC)
    rc["axes.prop_cycle"] = cycler(color=CYCLE)
    mpl.rcParams.update(rc)
    return dict(PALETTE)


def new_axes(ax=None, **subplot_kw):
    """Return `ax` or a fresh styled Axes (a new figure) when ax is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    style()
    _, ax = plt.subplots(**subplot_kw)
    return ax
