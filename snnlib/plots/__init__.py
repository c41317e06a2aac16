"""Plot helpers with one consistent, colour-blind-safe style. matplotlib is imported on first use.

`style()` returns the palette and applies the course's rcParams; every plot function takes an optional
`ax`, labels its axes with units, titles the figure with what to look at, and returns the Axes.
Widget demos use the kept-figure views of `snnlib.plots.views` (made once, updated per slider move).
"""

from .style import PALETTE, new_axes, style
from .basic import fi_curve, raster, voltage
from .views import CodeRastersView, EnergyRateView, LIFView, PatternView, RasterReadoutView
from .learning import LearningCurvesView
from .capstone import LossCurvesView

__all__ = ["PALETTE", "style", "new_axes", "raster", "voltage", "fi_curve",
           "LIFView", "CodeRastersView", "RasterReadoutView", "EnergyRateView", "LearningCurvesView", "PatternView",
           "LossCurvesView"]
