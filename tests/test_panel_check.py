"""The widget check finds a demo that fails at an extreme setting, in-process and inside nbval."""

import os
import subprocess
import sys

import ipywidgets as widgets
import matplotlib
import nbformat
import pytest

from course.panel_check import check_panels, panel_report, time_panels
from course.widgets import PANELS, Panel

matplotlib.use("Agg")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fragile(x=1.0, mode="a"):
    import matplotlib.pyplot as plt

    if x > 4:
        raise ZeroDivisionError("boom at large x")
    plt.plot([0, 1], [0, x])
    print(f"value {x / 2 if mode == 'a' else float('nan')}")


def make_panel():
    return Panel(fragile, x=widgets.FloatSlider(value=1.0, min=0.0, max=5.0),
                 mode=widgets.Dropdown(options=["a", "b"], value="a"))


def test_report_covers_defaults_and_extremes_and_finds_failures():
    p = make_panel()
    assert PANELS[-1] is p
    report = panel_report([p])
    assert [r["settings"] for r in report] == [
        {"x": 1.0, "mode": "a"}, {"x": 0.0, "mode": "a"}, {"x": 5.0, "mode": "a"},
        {"x": 1.0, "mode": "a"}, {"x": 1.0, "mode": "b"}]
    assert report[2]["error"] == "ZeroDivisionError: boom at large x"
    with pytest.raises(AssertionError, match="widget callbacks failed") as info:
        check_panels([p])
    message = str(info.value)
    assert "boom at large x" in message and "value nan" in message


def test_time_panels_times_the_callback_at_its_defaults():
    """Each repeat calls the callback once at its defaults; the times include the call (a callback
    that sleeps 20 ms cannot be timed faster than that) and are ordered min <= median <= max."""
    import time

    calls = []

    def slow(x=1.0, mode="a"):
        calls.append((x, mode))
        time.sleep(0.02)

    p = Panel(slow, x=widgets.FloatSlider(value=1.5, min=0.0, max=5.0),
              mode=widgets.Dropdown(options=["a", "b"], value="b"))
    (row,) = time_panels(repeats=3, panels=[p])
    assert calls == [(1.5, "b")] * 3
    assert row["callback"] == "slow"
    assert 0.02 <= row["min_s"] <= row["median_s"] <= row["max_s"]


def test_a_returned_kept_figure_is_rendered_so_a_drawing_error_is_found():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()

    def kept(x=1.0):
        # a title that only fails when drawn (bad mathtext), at the top of the range
        ax.set_title(r"$\frac{1}$" if x > 4 else f"x = {x}")
        return fig

    p = Panel(kept, x=widgets.FloatSlider(value=1.0, min=0.0, max=5.0))
    errors = [r["error"] for r in panel_report([p])]
    assert errors[:2] == [None, None] and errors[2] is not None and "frac" in errors[2]


def test_no_panel_is_an_error():
    with pytest.raises(AssertionError, match="at least one"):
        check_panels([])


def test_nbval_runs_the_widget_check_after_a_lesson(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import ipywidgets as widgets\nfrom course.widgets import panel\n"
        "def demo(x=1.0):\n    print(1 / (x - 5))\n"
        "demo()")]
    nb.cells.append(nbformat.v4.new_code_cell(
        "# NBVAL_IGNORE_OUTPUT\npanel(demo, x=widgets.FloatSlider(value=1.0, min=0.0, max=5.0))"))
    client_env = dict(os.environ, PYTHONPATH=ROOT)
    from nbclient import NotebookClient
    NotebookClient(nb, kernel_name="python3").execute()
    path = lessons / "demo.ipynb"
    nbformat.write(nb, path)
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "--nbval", str(path), "-q",
                          "-p", "no:cacheprovider"], cwd=tmp_path, env=client_env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "widget callbacks at defaults and extremes" in out.stdout
    assert "ZeroDivisionError" in out.stdout
    assert "2 passed, 1 failed" in out.stdout or "1 failed, 2 passed" in out.stdout


@pytest.fixture
def registry():
    """PANELS (the panels a lesson's kernel created, read by the no-argument calls) holding only the
    panels this test makes; restored afterwards."""
    saved = PANELS[:]
    PANELS.clear()
    yield PANELS
    PANELS[:] = saved


def test_the_no_argument_calls_check_the_panels_the_lesson_created(registry, capsys):
    good = Panel(lambda x=1.0: print(f"rate {x} Hz"), x=widgets.FloatSlider(value=1.0, min=0.0, max=2.0))
    assert registry == [good]
    assert [r["settings"] for r in panel_report()] == [{"x": 1.0}, {"x": 0.0}, {"x": 2.0}]
    check_panels()
    assert capsys.readouterr().out == "1 panel(s), 3 settings checked: all answered\n"
    assert [row["callback"] for row in time_panels(repeats=1)] == ["<lambda>"]
    make_panel()  # a failing panel created later in the lesson is found by the no-argument check
    with pytest.raises(AssertionError, match="^widget callbacks failed"):
        check_panels()


def test_an_explicit_list_is_checked_alone(registry, capsys):
    make_panel()  # fails at x = 5, but is not in the list checked
    good = Panel(lambda x=1.0: None, x=widgets.FloatSlider(value=1.0, min=0.0, max=2.0))
    check_panels([good])
    assert capsys.readouterr().out == "1 panel(s), 3 settings checked: all answered\n"


def test_no_panel_message_names_what_a_lesson_needs(registry):
    with pytest.raises(AssertionError) as info:
        check_panels()
    assert str(info.value) == ("no interactive demo was created: every lesson needs at least one "
                               "course.widgets.panel")


def test_failure_message_lists_each_failing_setting_on_its_own_line():
    with pytest.raises(AssertionError) as info:
        check_panels([make_panel()])
    assert str(info.value) == ("widget callbacks failed:\n"
                               "  fragile({'x': 5.0, 'mode': 'a'}): ZeroDivisionError: boom at large x\n"
                               "  fragile({'x': 1.0, 'mode': 'b'}): value nan")


def test_nan_followed_by_a_comma_is_found():
    def listing(x=1.0):
        print(f"rates: {float('nan') if x > 1 else x}, 3.0 Hz")

    p = Panel(listing, x=widgets.FloatSlider(value=1.0, min=0.0, max=2.0))
    with pytest.raises(AssertionError) as info:
        check_panels([p])
    assert str(info.value) == "widget callbacks failed:\n  listing({'x': 2.0}): rates: nan, 3.0 Hz"


def test_a_pyplot_figure_that_fails_to_draw_is_found_and_every_figure_is_closed():
    import matplotlib.pyplot as plt

    def two_figures(x=1.0):
        plt.figure()
        plt.plot([0, 1], [0, x])
        plt.figure()
        plt.title(r"$\frac{1}$" if x > 4 else f"x = {x}")  # bad mathtext: fails only when drawn

    plt.close("all")
    p = Panel(two_figures, x=widgets.FloatSlider(value=1.0, min=0.0, max=5.0))
    errors = [r["error"] for r in panel_report([p])]
    assert errors[:2] == [None, None] and errors[2] is not None and "frac" in errors[2]
    assert plt.get_fignums() == []


def test_time_panels_reports_median_min_and_max_of_the_repeats(monkeypatch):
    """With a scripted clock (each call takes 5, 1, 4, 2, 3 ticks) the figures are exact."""
    import types

    clock = types.SimpleNamespace(now=1000.0)
    durations = iter([5.0, 1.0, 4.0, 2.0, 3.0])

    def scripted(x=1.0):
        clock.now += next(durations)

    monkeypatch.setattr("course.panel_check.time", types.SimpleNamespace(perf_counter=lambda: clock.now))
    p = Panel(scripted, x=widgets.FloatSlider(value=1.0, min=0.0, max=2.0))
    (row,) = time_panels(panels=[p])  # the default is 5 repeats: a sixth call would exhaust the durations
    assert row == {"callback": "scripted", "median_s": 3.0, "min_s": 1.0, "max_s": 5.0}
