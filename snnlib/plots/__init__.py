"""Plot helpers with one consistent, colour-blind-safe style. matplotlib is imported on first use.

`style()` returns the palette and applies the course's rcParams; every plot function takes an optional
`ax`, labels its axes with units, titles the figure with what to look at, and returns the Axes.
"""

from .style import PALETTE, new_axes, style
from .basic import fi_curve, raster, voltage

__all__ = ["PALETTE", "style", "new_axes", "raster", "voltage", "fi_curve"]
