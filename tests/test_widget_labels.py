"""Slider labels are shown in full (issue 11): a panel sets description_width to 'initial', so ipywidgets does
not cut the description at its default width."""

import ipywidgets as widgets

from course.widgets import PANELS, panel


def test_panel_shows_each_description_in_full():
    before = len(PANELS)
    controls = dict(tau_ref_ms=widgets.FloatSlider(description="a long description (ms)"),
                    n=widgets.IntSlider(description="hidden h"),
                    mode=widgets.Dropdown(options=["a", "b"]))
    panel(lambda tau_ref_ms, n, mode: None, **controls)
    try:
        for c in controls.values():
            assert c.style.description_width == "initial"
    finally:
        del PANELS[before:]
