"""Widget panels: the contract of docs/architecture.md, extremes for callbacks, and behaviour on a
real kernel (first run stored in the cell once; later runs replace each other in one Output)."""
from __future__ import annotations

import base64
import json
import struct

import ipywidgets as w
import nbformat
import pytest

from course.notebook import execute
from course.widgets import Panel, control_ranges, extreme_settings, panel, readout, settings_line


def _controls():
    return dict(J=w.FloatSlider(value=-0.5, min=-1.0, max=2.0, step=0.1),
                n=w.IntSlider(value=3, min=0, max=5),
                dt=w.FloatLogSlider(value=1e-4, base=10, min=-5, max=-2),
                model=w.Dropdown(options=[("LIF", "lif"), ("ReLU", "relu")], value="relu"),
                noisy=w.Checkbox(value=False))


def test_panel_box_contract():
    p = panel(lambda **kw: None, **_controls())
    assert isinstance(p, Panel)
    assert "course-demo" in p.box._dom_classes
    assert p.box.children[-1] is p.output and isinstance(p.output, w.Output)
    assert sum(isinstance(c, w.Output) for c in p.box.children) == 1
    assert all(c.continuous_update is False for c in p.controls.values() if hasattr(c, "continuous_update"))
    assert [c.description for c in p.controls.values()] == ["J", "n", "dt", "model", "noisy"]


def test_settings_line_uses_each_controls_readout_format():
    c = _controls()
    # d3 formats: .2f with the U+2212 minus sign, d, .3g keeping zeros, the option label, str()
    assert settings_line(c) == "Settings: J = \u22120.50; n = 3; dt = 0.000100; model = ReLU; noisy = False"
    c["J"].readout_format = ".1f"
    c["J"].value = 1.25
    assert readout(c["J"]) == "1.3"  # d3 (JavaScript toFixed) rounds the exact binary value 1.25 up


def test_run_prints_settings_line_then_callback_output(capsys):
    def demo(J, n, dt, model, noisy):
        print(f"{model}: {J * n:.2f}")
    Panel(demo, **_controls()).run()
    assert capsys.readouterr().out == ("Settings: J = \u22120.50; n = 3; dt = 0.000100; model = ReLU; noisy = False\n"
                                       "relu: -1.50\n")


def test_range_slider_readout_and_extremes():
    c = dict(window=w.FloatRangeSlider(value=(0.2, 0.5), min=0.0, max=1.0, step=0.1),
             n=w.IntRangeSlider(value=(-3, 4), min=-5, max=5))
    assert settings_line(c) == "Settings: window = 0.20 \u2013 0.50; n = \u22123 \u2013 4"
    assert control_ranges(c) == {"window": ((0.0, 0.0), (1.0, 1.0), (0.2, 0.5)), "n": ((-5, -5), (5, 5), (-3, 4))}


def test_control_ranges_and_extremes():
    c = _controls()
    r = control_ranges(c)
    assert r["J"] == (-1.0, 2.0, -0.5) and r["n"] == (0, 5, 3)
    assert r["dt"][0] == pytest.approx(1e-5) and r["dt"][1] == pytest.approx(1e-2)
    assert r["model"] == ("lif", "relu", "relu") and r["noisy"] == (False, True, False)
    settings = list(extreme_settings(c))
    assert len(settings) == 1 + 2 * len(c)
    assert settings[0] == {k: v[2] for k, v in r.items()}
    seen = {(name, s[name]) for s in settings[1:] for name in c if s[name] != settings[0][name]}
    assert ("J", -1.0) in seen and ("J", 2.0) in seen and ("noisy", True) in seen and ("model", "lif") in seen


def test_callback_called_at_every_extreme():
    """The calls panel_report (what nbval's widget check runs) makes, as the callback sees them:
    the defaults, then each control at its min and its max with the others at their defaults."""
    from course.panel_check import panel_report

    calls = []

    def demo(**settings):
        calls.append(settings)

    c = _controls()
    report = panel_report([Panel(demo, **c)])
    defaults = {"J": -0.5, "n": 3, "dt": pytest.approx(1e-4), "model": "relu", "noisy": False}
    assert len(calls) == len(report) == 1 + 2 * len(c)
    assert calls[0] == defaults
    seen = set()
    for call in calls[1:]:
        moved = [k for k in call if call[k] != defaults[k]]
        assert len(moved) <= 1, call  # one control at a time
        seen.update((k, round(call[k], 12) if k == "dt" else call[k]) for k in moved)
    # every min and max that differs from the default was visited ("relu" and False are defaults)
    assert seen == {("J", -1.0), ("J", 2.0), ("n", 0), ("n", 5), ("dt", 1e-5), ("dt", 1e-2),
                    ("model", "lif"), ("noisy", True)}, seen
    assert [r["settings"] for r in report] == calls and all(r["error"] is None for r in report)


@pytest.mark.parametrize("bad, error, message", [
    (dict(J=3.0), TypeError, "must be an ipywidgets control"),
    (dict(), ValueError, "at least one control"),
])
def test_bad_controls_are_rejected(bad, error, message):
    with pytest.raises(error, match=message):
        panel(lambda **kw: None, **bad)


def test_non_callable_callback_is_rejected():
    with pytest.raises(TypeError, match="callback must be a function"):
        panel("not a function", J=w.FloatSlider())


def test_on_a_headless_kernel_first_run_is_stored_once_and_changes_replace_each_other(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets as w\nimport matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n"
            "from course.widgets import panel\n"
            "def demo(J, n):\n    print(f'rate = {2 * J:.1f} Hz')\n    plt.figure()\n    plt.plot([0, J])\n"
            "p = panel(demo, J=w.FloatSlider(value=-0.5, min=-1, max=2, step=0.1), n=w.IntSlider(3, 0, 5))\np"),
        nbformat.v4.new_code_cell("p.controls['J'].value = 1.0\np.controls['n'].value = 5\n"
                                  "print('open figures:', len(plt.get_fignums()))"),
    ]
    execute(nb, cwd=tmp_path)
    first = nb.cells[0].outputs
    texts = [o.get("data", {}).get("text/plain", "") for o in first]
    assert "application/vnd.jupyter.widget-view+json" in first[0]["data"]
    # the first run was in the cell (headless executors see it), then emptied by the first change
    assert texts[1:] == ["", ""], texts
    assert nb.cells[1].outputs[0]["text"] == "open figures: 0\n"  # every figure closed after display
    states = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
    outputs = [s["state"]["outputs"] for s in states if s["model_name"] == "OutputModel"]
    assert len(outputs) == 1
    runs = outputs[0]
    # only the latest run is left in the Output: clear_output(wait=True) before each run
    assert runs[0]["text"] == "Settings: J = 1.00; n = 5\nrate = 2.0 Hz\n"
    assert [o["output_type"] for o in runs] == ["stream", "display_data"], json.dumps(runs)[:300]


def test_first_run_on_a_headless_kernel_shows_text_and_a_returned_figure_once(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import ipywidgets as w\nimport matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n"
        "from course.widgets import panel\n"
        "fig, ax = plt.subplots()  # made once, redrawn by the callback\n"
        "def demo(J):\n    print(f'J squared = {J * J:.3f}')\n    ax.clear()\n    ax.plot([0, J])\n    return fig\n"
        "panel(demo, J=w.FloatSlider(value=1.5, min=0, max=3))")]
    execute(nb, cwd=tmp_path)
    texts = [o.get("data", {}).get("text/plain") for o in nb.cells[0].outputs]
    assert texts[1:] == ["Settings: J = 1.50\nJ squared = 2.250", "<Figure size 640x480 with 1 Axes>"]


def test_a_kept_figure_made_without_pyplot_is_shown_once_per_run_in_both_paths(tmp_path):
    # the lessons' pattern (snnlib.plots.views): one Figure, updated and returned by every call
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets as w\nimport matplotlib.pyplot as plt\nfrom course.widgets import panel\n"
            "from snnlib.plots import LIFView\nimport numpy as np\n"
            "plt.close(plt.figure())  # loads the inline backend, which registers its Figure formatter\n"
            "view = LIFView()\nJ_AXIS = np.linspace(0, 6, 7)\n"
            "def demo(J):\n    print(f'J = {J:.1f}')\n"
            "    return view.update([0, 0.1], [0, min(J, 1)], J, 10 * J, J_AXIS, 10 * J_AXIS)\n"
            "demo(0.5)"),
        nbformat.v4.new_code_cell("p = panel(demo, J=w.FloatSlider(value=1.5, min=0, max=3))\np"),
        nbformat.v4.new_code_cell("p.controls['J'].value = 2.0\np.controls['J'].value = 0.0\n"
                                  "print('pyplot figures:', len(plt.get_fignums()), '; marker at', "
                                  "list(view.marker.get_xdata()))"),
    ]
    execute(nb, cwd=tmp_path)
    # a direct call as the cell's last line: the text, then the returned figure as the result, as a PNG of
    # the whole figure: KeptFigure._repr_png_, which course.widgets registered with IPython, not the inline
    # backend's tight-box formatter (active in this kernel: a pyplot figure was made)
    direct = nb.cells[0].outputs
    assert [o["output_type"] for o in direct] == ["stream", "execute_result"]
    whole = (round(10 * 90), round(3.2 * 90))          # LIFView's figsize (in) x the course style's dpi
    assert png_size(direct[1]["data"]["image/png"]) == whole
    first = nb.cells[1].outputs
    # first run: widget, then its text and one figure as cell outputs, emptied by the first change
    assert len(first) == 3 and all(o.get("data", {}).get("text/plain") == "" for o in first[1:])
    assert nb.cells[2].outputs[0]["text"] == "pyplot figures: 0 ; marker at [0.0]\n"
    states = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
    runs = next(s["state"]["outputs"] for s in states if s["model_name"] == "OutputModel")
    # later runs: only the latest text and exactly one (PNG) figure, nothing stacked
    assert [o["output_type"] for o in runs] == ["stream", "display_data"], json.dumps(runs)[:300]
    assert runs[0]["text"].endswith("J = 0.0\n") and png_size(runs[1]["data"]["image/png"]) == whole


def png_size(b64: str) -> tuple:
    """(width, height) in pixels of a base64 PNG from a notebook output (its IHDR header)."""
    return struct.unpack(">II", base64.b64decode(b64)[16:24])


def test_a_pyplot_figure_keeps_the_inline_backends_tight_png(tmp_path):
    # the KeptFigure formatter must not change how the learner's own pyplot figures are shown
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nimport course.widgets\nfig = plt.figure(figsize=(10, 3.2))\n"
        "plt.plot([0, 1])\nfig")]
    execute(nb, cwd=tmp_path)
    pngs = [o["data"]["image/png"] for o in nb.cells[0].outputs if "image/png" in o.get("data", {})]
    assert pngs and all(png_size(p)[0] < 10 * 90 for p in pngs)     # cropped to the tight box


# -- in one process: what a kernel does with a panel, with IPython's display recorded -------------------------
# (the headless-kernel tests above show the same on a real kernel; mutmut sees only calls made in its own
# process, so these also let it measure _ipython_display_, _on_change and _show_figures)

class _Handle:
    """Stands for an IPython DisplayHandle: records what the panel updated it with."""

    def __init__(self, obj):
        self.obj, self.updates = obj, []

    def update(self, obj, **kwargs):
        self.updates.append((obj, kwargs))


@pytest.fixture
def shown(monkeypatch):
    """Every display() course.widgets makes: (object, keyword arguments, handle or None)."""
    import course.widgets as cw

    calls = []

    def display(obj, **kwargs):
        handle = _Handle(obj) if kwargs.get("display_id") else None
        calls.append((obj, kwargs, handle))
        return handle

    monkeypatch.setattr(cw, "display", display)
    return calls


def _printed(capsys):
    """What a run printed; outside a kernel, the Output's clear_output(wait=True) writes a terminal
    line-clearing sequence, dropped here."""
    return capsys.readouterr().out.replace("\x1b[2K\r", "")


@pytest.fixture
def plt():
    import matplotlib
    import matplotlib.pyplot as pyplot

    matplotlib.use("Agg")
    pyplot.close("all")
    yield pyplot
    pyplot.close("all")


def test_first_run_shows_the_box_then_the_text_then_each_new_figure_once_and_closes_them(shown, plt):
    calls = []

    def demo(J=1.0):
        calls.append(J)
        print(f"rate = {2 * J:.1f} Hz")
        plt.figure()
        plt.plot([0, J])

    kept_open = plt.figure()  # made before the panel: not the panel's to show or close
    p = Panel(demo, J=w.FloatSlider(value=1.0, min=0.0, max=2.0))
    p._ipython_display_()
    assert calls == [1.0]
    assert shown[0] == (p.box, {}, None)
    assert shown[1][:2] == ({"text/plain": "Settings: J = 1.00\nrate = 2.0 Hz"}, {"raw": True, "display_id": True})
    assert len(shown) == 3 and shown[2][1] == {"display_id": True}
    assert shown[2][0] is not kept_open and type(shown[2][0]).__name__ == "Figure"
    assert plt.get_fignums() == [kept_open.number]
    assert p._first_handles == [shown[1][2], shown[2][2]]


def test_the_first_change_empties_the_first_run_and_runs_into_the_output(shown, plt, capsys):
    def demo(J=1.0):
        print(f"J = {J}")
        plt.figure()

    p = Panel(demo, J=w.FloatSlider(value=1.0, min=0.0, max=2.0))
    p._ipython_display_()
    first = [h for _, _, h in shown[1:]]
    p.controls["J"].value = 1.5
    assert [h.updates for h in first] == [[({"text/plain": ""}, {"raw": True})]] * 2
    assert p._first_handles == []
    assert _printed(capsys) == "Settings: J = 1.50\nJ = 1.5\n"
    assert len(shown) == 4 and shown[3][1] == {"display_id": True} and plt.get_fignums() == []
    kept_open = plt.figure()  # open before the change: not the run's to show or close
    p.controls["J"].value = 0.5  # later changes: nothing left to empty, one more figure shown
    assert [len(h.updates) for h in first] == [1, 1] and len(shown) == 5
    assert shown[4][0] is not kept_open and plt.get_fignums() == [kept_open.number]
    p.controls["J"].description = "drive"  # not a value: no run
    assert len(shown) == 5 and _printed(capsys) == "Settings: J = 0.50\nJ = 0.5\n"


def test_each_change_clears_the_output_only_when_the_new_run_writes(shown, plt, monkeypatch):
    """clear_output(wait=True): the last run stays visible until the new one writes (no flicker)."""
    p = Panel(lambda J=1.0: None, J=w.FloatSlider(value=1.0, min=0.0, max=2.0))
    cleared = []
    monkeypatch.setattr(p.output, "clear_output", lambda **kwargs: cleared.append(kwargs))
    p.controls["J"].value = 2.0
    assert cleared == [{"wait": True}]


@pytest.mark.parametrize("printed, text", [("type X\n", "type X"), ("padded   ", "padded   ")])
def test_the_first_runs_text_loses_only_its_final_newlines(shown, printed, text):
    Panel(lambda J=1.0: print(printed, end=""), J=w.FloatSlider(value=1.0))._ipython_display_()
    assert shown[1][0] == {"text/plain": "Settings: J = 1.00\n" + text}


def test_a_change_before_the_panel_was_shown_just_runs(shown, capsys):
    p = Panel(lambda J=1.0: print(f"J = {J}"), J=w.FloatSlider(value=1.0, min=0.0, max=2.0))
    p.controls["J"].value = 2.0
    assert _printed(capsys) == "Settings: J = 2.00\nJ = 2.0\n" and shown == []


def test_a_returned_figure_is_shown_once_whether_or_not_pyplot_made_it(shown, plt):
    from matplotlib.figure import Figure

    kept = Figure()

    def returns_kept(J=1.0):
        return kept

    p = Panel(returns_kept, J=w.FloatSlider(value=1.0))
    p._ipython_display_()
    assert [obj for obj, _, _ in shown[2:]] == [kept] and shown[2][1] == {"display_id": True}
    kept_handle = shown[2][2]
    p.controls["J"].value = 0.5  # the first run's kept figure is emptied like its text
    assert kept_handle.updates == [({"text/plain": ""}, {"raw": True})]
    assert [obj for obj, _, _ in shown[3:]] == [kept]  # and shown again in the Output
    shown.clear()

    def returns_pyplot_figure(J=1.0):
        return plt.figure()

    Panel(returns_pyplot_figure, J=w.FloatSlider(value=1.0))._ipython_display_()
    assert len(shown) == 3 and type(shown[2][0]).__name__ == "Figure" and plt.get_fignums() == []


def test_plt_show_in_a_callback_displays_through_a_handle_that_the_first_change_empties(shown, plt):
    interactive = []

    def demo(J=1.0):
        plt.figure()
        plt.plot([0, J])
        interactive.append(plt.isinteractive())
        plt.show()

    original_show = plt.show
    plt.ion()
    try:
        p = Panel(demo, J=w.FloatSlider(value=1.0, min=0.0, max=2.0))
        p._ipython_display_()
        assert plt.isinteractive()  # restored after the run
    finally:
        plt.ioff()
    assert interactive == [False]  # the run draws with pyplot non-interactive
    assert plt.show is original_show and plt.get_fignums() == []
    # box, the figure shown by plt.show() during the run, then the text: nothing left for _show_figures
    assert len(shown) == 3 and type(shown[1][0]).__name__ == "Figure" and shown[1][1] == {"display_id": True}
    handle = shown[1][2]
    assert p._first_handles == [shown[2][2], handle]
    p.controls["J"].value = 2.0
    assert handle.updates == [({"text/plain": ""}, {"raw": True})]
    assert len(shown) == 4 and plt.get_fignums() == []  # the changed run's figure, shown by its plt.show()


def test_an_error_in_the_first_run_keeps_what_was_printed(shown, plt, capsys):
    def demo(J=1.0):
        print("before the error")
        raise ZeroDivisionError("boom")

    p = Panel(demo, J=w.FloatSlider(value=1.0))
    with pytest.raises(ZeroDivisionError, match="boom"):
        p._ipython_display_()
    assert capsys.readouterr().out == "Settings: J = 1.00\nbefore the error\n"
    assert shown == [(p.box, {}, None)] and p._first_handles == []


def test_without_pyplot_imported_a_panel_shows_text_only(shown, monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "matplotlib.pyplot", raising=False)
    p = Panel(lambda J=1.0: print("text only"), J=w.FloatSlider(value=1.0))
    p._ipython_display_()
    assert [obj for obj, _, _ in shown] == [p.box, {"text/plain": "Settings: J = 1.00\ntext only"}]
    p.controls["J"].value = 0.5
    assert len(shown) == 2 and "matplotlib.pyplot" not in sys.modules


def test_controls_get_their_name_as_label_a_whole_label_and_run_on_release():
    given = w.FloatSlider(value=1.0, description="drive J")
    bare = w.IntSlider(value=1)
    box = w.Checkbox(value=False)
    p = Panel(lambda a, b, c: None, a=given, b=bare, c=box)
    assert [c.description for c in (given, bare, box)] == ["drive J", "b", "c"]
    assert [c.style.description_width for c in (given, bare, box)] == ["initial"] * 3
    assert given.continuous_update is False and bare.continuous_update is False
    assert p.values == {"a": 1.0, "b": 1, "c": False}


def test_a_control_without_a_label_or_style_is_named_after_its_keyword():
    """An ipywidgets ValueWidget such as Image has neither a description nor a style."""
    image = w.Image()
    assert not hasattr(image, "description") and not hasattr(image, "style")
    p = Panel(lambda picture: None, picture=image)
    assert image.description == "picture" and p.controls == {"picture": image}


def test_messages_name_the_bad_control_or_callback():
    with pytest.raises(TypeError) as info:
        panel(lambda J: None, J=3.0)
    assert str(info.value) == ("control 'J' must be an ipywidgets control with a value (e.g. "
                               "widgets.FloatSlider(...)), got float")
    with pytest.raises(TypeError) as info:
        panel(42, J=w.FloatSlider())
    assert str(info.value) == "callback must be a function, got int"
    with pytest.raises(ValueError) as info:
        panel(lambda: None)
    assert str(info.value) == "panel needs at least one control, e.g. J=widgets.FloatSlider(...)"
    with pytest.raises(TypeError) as info:
        control_ranges({"name": w.Text(value="x")})
    assert str(info.value) == ("control 'name' (Text) has no range; use a slider, a selection control or "
                               "a Checkbox")
    with pytest.raises(TypeError, match="^control 'x' must be an ipywidgets control"):
        control_ranges({"x": None})


def test_readout_of_controls_without_a_readout_format():
    assert readout(w.Text(value="abc")) == "abc"
    assert readout(w.IntText(value=5)) == "5"
    assert readout(w.FloatText(value=0.25)) == "0.25"
    assert readout(w.Checkbox(value=True)) == "True"


def test_ranges_of_a_long_selection_and_a_combobox():
    c = dict(mode=w.Dropdown(options=["a", "b", "c"], value="b"),
             name=w.Combobox(options=["LIF", "Izhikevich", "ReLU"], value="LIF"))
    assert control_ranges(c) == {"mode": ("a", "c", "b"), "name": ("LIF", "ReLU", "LIF")}


def test_kept_figures_get_their_own_png_formatter(monkeypatch):
    """show_kept_figures_whole registers KeptFigure._repr_png_ with IPython's PNG formatter (by module and
    name), with the shell given or the running one; outside IPython it does nothing."""
    import types

    import IPython
    from IPython.core.formatters import DisplayFormatter

    import course.widgets as cw
    from snnlib.plots.views import kept_figure_class

    def fake_shell():
        return types.SimpleNamespace(display_formatter=DisplayFormatter())

    fig = kept_figure_class()(figsize=(2, 1))
    shell = fake_shell()
    assert cw.show_kept_figures_whole(shell) is True
    png = shell.display_formatter.formatters["image/png"]
    assert png(fig) == fig._repr_png_() and png.lookup(fig) is cw._kept_figure_png
    assert shell.display_formatter.formatters["image/jpeg"].lookup_by_type  # others untouched:
    with pytest.raises(KeyError):
        shell.display_formatter.formatters["image/jpeg"].lookup(fig)
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert cw.show_kept_figures_whole() is False
    running = fake_shell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: running)
    assert cw.show_kept_figures_whole() is True
    assert running.display_formatter.formatters["image/png"].lookup(fig) is cw._kept_figure_png
