"""Widget panels: bind ipywidgets controls to a plain callback, with one output area.

Contract (docs/architecture.md): ``panel(callback, **controls)`` returns a :class:`Panel` whose box
carries the CSS class ``course-demo``.  Each run first prints one line
``Settings: name = readout; name = readout`` (each readout formatted exactly as the control's
readout shows it, see :mod:`course.readout`), then calls ``callback(**values)``.

Why the first run is not inside the ``widgets.Output``: a headless executor (nbclient, nbval)
has no widget frontend, and nbclient and nbval disagree about where output captured by an
Output widget goes (nbclient files it in the widget state, nbval in the cell).  So the first run,
with the defaults, writes plain cell outputs through IPython display handles: stored in the
notebook and compared by nbval.  At the first change of a control those handles are emptied and
every later run goes into the single ``Output`` (``clear_output(wait=True)`` and new figures closed
after display), so figures never stack up.

Tests call callbacks at the extremes with :func:`control_ranges` and :func:`extreme_settings`.
"""
from __future__ import annotations

import contextlib
import io
import sys
from typing import Any, Callable, Iterator

import ipywidgets as widgets
from IPython.display import display

from course.readout import d3_format

__all__ = ["Panel", "panel", "readout", "settings_line", "control_ranges", "extreme_settings", "PANELS",
           "show_kept_figures_whole"]

CSS_CLASS = "course-demo"

# Every panel created in this Python process, in creation order. Tests and the widget-latency
# benchmark run a lesson, then call each panel's callback at its defaults and extremes from here.
PANELS: list = []


def _check_control(name: str, control) -> None:
    if not isinstance(control, widgets.ValueWidget):
        raise TypeError(
            f"control {name!r} must be an ipywidgets control with a value (e.g. "
            f"widgets.FloatSlider(...)), got {type(control).__name__}"
        )


def readout(control) -> str:
    """The control's current value as its readout shows it (str).

    Sliders use their ``readout_format`` (d3 rules; a range slider joins its ends with " – ", as
    ipywidgets does); selection controls show the selected label; anything else (Checkbox, Text)
    shows ``str(value)``.
    """
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons,
                            widgets.SelectionSlider, widgets.Select)):
        return str(control.label)
    fmt = getattr(control, "readout_format", None)
    value = control.value
    if fmt is not None and isinstance(value, tuple):
        return " \u2013 ".join(d3_format(v, fmt) for v in value)
    if fmt is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        return d3_format(value, fmt)
    return str(value)


def settings_line(controls: dict) -> str:
    """The first output line of every run: ``Settings: a = 1.00; b = 3`` (str)."""
    return "Settings: " + "; ".join(f"{name} = {readout(c)}" for name, c in controls.items())


def _options(control) -> list:
    return [v for _, v in control._options_full] if hasattr(control, "_options_full") else list(control.options)


def control_ranges(controls: dict) -> dict[str, tuple[Any, Any, Any]]:
    """Map each control name to ``(min, max, default)`` in the callback's units.

    Sliders give their ``min``/``max`` (range sliders ``(min, min)`` and ``(max, max)``); selection
    controls their first and last option value;
    a Checkbox gives ``(False, True, value)``.  The default is the control's current value.
    """
    out = {}
    for name, c in controls.items():
        _check_control(name, c)
        if hasattr(c, "min") and hasattr(c, "max"):
            lo, hi = c.min, c.max
            if isinstance(c, widgets.FloatLogSlider):  # min/max are exponents of base
                lo, hi = c.base ** c.min, c.base ** c.max
            if isinstance(c.value, tuple):  # range slider: both ends at the bottom, both at the top
                lo, hi = (lo, lo), (hi, hi)
            out[name] = (lo, hi, c.value)
        elif hasattr(c, "options"):
            opts = _options(c)
            out[name] = (opts[0], opts[-1], c.value)
        elif isinstance(c.value, bool):
            out[name] = (False, True, c.value)
        else:
            raise TypeError(f"control {name!r} ({type(c).__name__}) has no range; use a slider, "
                            "a selection control or a Checkbox")
    return out


def extreme_settings(controls: dict) -> Iterator[dict]:
    """Yield keyword dicts for the callback: all defaults, then each control at its min and max
    with the others at their defaults."""
    ranges = control_ranges(controls)
    defaults = {k: d for k, (_, _, d) in ranges.items()}
    yield dict(defaults)
    for name, (lo, hi, _) in ranges.items():
        for v in (lo, hi):
            yield {**defaults, name: v}


def _kept_figure_png(fig) -> bytes:
    return fig._repr_png_()


def show_kept_figures_whole(shell=None) -> bool:
    """Have IPython show `snnlib.plots.views` figures with their own PNG (the whole figure, no tight box).

    Once pyplot has loaded the inline backend, IPython formats every Figure with that backend's PNG
    formatter, ``bbox_inches="tight"``: a second layout pass that costs about a third of the PNG's time on
    every slider move, and buys nothing for the views, whose margins are fixed. A formatter registered for
    the KeptFigure class (by module and name, so matplotlib is not imported here) comes first in IPython's
    lookup. Called when this module is imported in IPython; returns whether a shell was found.
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    png = shell.display_formatter.formatters["image/png"]
    png.for_type_by_name("snnlib.plots.views", "KeptFigure", _kept_figure_png)
    return True


show_kept_figures_whole()


def _pyplot():
    """matplotlib.pyplot if the callback's code already imported it, else None (no forced import)."""
    return sys.modules.get("matplotlib.pyplot")


@contextlib.contextmanager
def _panel_drawing(handles: list):
    """While a run draws: pyplot non-interactive, and ``plt.show()`` displays figures as handles.

    Non-interactive, because in interactive mode the inline backend queues every new figure for
    ``flush_figures``, and the ``comm`` package runs that post_execute hook after each widget message,
    in a kernel subshell thread (ipykernel 7 + JupyterLab 4.6), while this run may still be drawing the
    same figure: the learner sees a blank or half-drawn figure stacked on the real one.
    ``plt.show()`` in a callback displays the figures (and closes them, as the inline backend does)
    through display handles appended to ``handles``, so the first run's figures can be cleared at the
    first change instead of staying above the new one. tests/browser catches both failures.
    """
    plt = _pyplot()
    if plt is None:
        yield
        return

    def show(*args, **kwargs):
        for num in plt.get_fignums():
            fig = plt.figure(num)
            handles.append(display(fig, display_id=True))
            plt.close(fig)

    original = plt.show
    plt.show = show
    try:
        with plt.ioff():
            yield
    finally:
        plt.show = original


class Panel:
    """Controls bound to ``callback``; shows itself when it is a cell's result or ``display``-ed.

    Attributes
    ----------
    callback : callable
        Called as ``callback(**{name: control.value})``; prints text and/or draws figures.
    controls : dict[str, ipywidgets.ValueWidget]
        The controls in display order; each gets ``continuous_update=False`` where supported.
    output : ipywidgets.Output
        The one output area used for every run after the first change.
    box : ipywidgets.VBox
        Controls then output, with CSS class ``course-demo``.
    """

    def __init__(self, callback: Callable, **controls):
        if not callable(callback):
            raise TypeError(f"callback must be a function, got {type(callback).__name__}")
        if not controls:
            raise ValueError("panel needs at least one control, e.g. J=widgets.FloatSlider(...)")
        for name, c in controls.items():
            _check_control(name, c)
            if hasattr(c, "continuous_update"):
                c.continuous_update = False  # simulations are expensive: run on release only
            if not getattr(c, "description", ""):
                c.description = name
            if hasattr(c, "style") and hasattr(c.style, "description_width"):
                c.style.description_width = "initial"  # the whole label, not cut at ipywidgets' default width
        self.callback = callback
        self.controls = dict(controls)
        self.output = widgets.Output()
        self.box = widgets.VBox(list(self.controls.values()) + [self.output])
        self.box.add_class(CSS_CLASS)
        self._first_handles: list = []
        PANELS.append(self)
        for c in self.controls.values():
            c.observe(self._on_change, names="value")

    @property
    def values(self) -> dict:
        """Current control values, keyed by name."""
        return {name: c.value for name, c in self.controls.items()}

    def run(self):
        """Print the settings line and call the callback with the current values (no capture);
        returns what the callback returns."""
        print(settings_line(self.controls))
        return self.callback(**self.values)

    def _show_figures(self, before: set, result) -> list:
        """Display the figures the run created (closing them) and a Figure the callback returned."""
        handles, shown = [], set()
        plt = _pyplot()
        if plt is not None:
            for num in plt.get_fignums():
                if num not in before:
                    fig = plt.figure(num)
                    handles.append(display(fig, display_id=True))
                    shown.add(id(fig))
                    plt.close(fig)  # closed after display so the inline backend does not show it again
        if hasattr(result, "savefig") and id(result) not in shown:
            handles.append(display(result, display_id=True))  # a figure made once, redrawn by the callback
        return handles

    def _ipython_display_(self) -> None:
        display(self.box)
        plt = _pyplot()
        before = set(plt.get_fignums()) if plt else set()
        buf = io.StringIO()
        shown: list = []
        try:
            with contextlib.redirect_stdout(buf), _panel_drawing(shown):
                result = self.run()
        except Exception:
            print(buf.getvalue(), end="")  # keep what was printed before the error, then show it
            raise
        self._first_handles = [display({"text/plain": buf.getvalue().rstrip("\n")}, raw=True, display_id=True)]
        self._first_handles += shown + self._show_figures(before, result)

    def _on_change(self, change) -> None:
        for h in self._first_handles:
            if h is not None:
                h.update({"text/plain": ""}, raw=True)
        self._first_handles = []
        plt = _pyplot()
        before = set(plt.get_fignums()) if plt else set()
        with self.output, _panel_drawing([]):
            self.output.clear_output(wait=True)
            self._show_figures(before, self.run())


def panel(callback: Callable, **controls) -> Panel:
    """Bind ipywidgets ``controls`` (keyword name = control) to ``callback``.

    Returns a :class:`Panel`; put it last in a cell (or ``display`` it) to show the controls and
    the first run with the default values.
    """
    return Panel(callback, **controls)
