"""Small notebooks that prove the browser harness itself: one it must pass, and one per failure it must catch.

They follow the widget contract of docs/architecture.md with a minimal panel written out in the notebook
(a box with CSS class `course-demo`, a `Settings: name = readout` line, a matplotlib figure in the same
output), so the harness is checked independently of `course.widgets`.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

# A panel written the way the contract describes: controls and an Output in a box of class course-demo.
# The Settings line formats each value as the slider's own readout does (readout_format).
PANEL_SOURCE = '''\
import ipywidgets as widgets
import numpy as np
import matplotlib.pyplot as plt
from IPython.display import display

def demo_panel(callback, clear=True):
    freq = widgets.FloatSlider(value=2.0, min=0.5, max=5.0, step=0.5, description="freq",
                               readout_format=".1f", continuous_update=False)
    n = widgets.IntSlider(value=3, min=1, max=9, description="n", continuous_update=False)
    out = widgets.Output()
    def redraw(change=None):
        # ioff: figures drawn here are shown only by the callback's plt.show(). In interactive mode
        # the inline backend also queues them for flush_figures, which comm runs as a post_execute
        # hook in a kernel subshell thread while this callback may still be drawing: blank figures.
        with out, plt.ioff():
            if clear:
                out.clear_output(wait=True)
            callback(freq=freq.value, n=n.value)
    freq.observe(redraw, "value")
    n.observe(redraw, "value")
    box = widgets.VBox([widgets.HBox([freq, n]), out])
    box.add_class("course-demo")
    redraw()
    return box
'''

GOOD_CALLBACK = '''\
def wave(freq, n):
    print(f"Settings: freq = {freq:.1f}; n = {n}")
    t = np.linspace(0, 1, 200)
    fig, ax = plt.subplots(figsize=(4, 2.5))
    for k in range(n):
        ax.plot(t, np.sin(2 * np.pi * freq * t + k))
    ax.set_xlabel("time (s)")
    ax.set_title(f"{n} waves at {freq:.1f} Hz")
    plt.show()
'''


def _notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Harness fixture")]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in sources]
    return nb


# name -> (notebook, the failure the harness must report: a substring of its message, or None to pass)
def fixtures() -> dict[str, tuple[nbformat.NotebookNode, str | None]]:
    """The fixture notebooks and what the harness must say about each."""
    return {
        "good_demo": (_notebook(PANEL_SOURCE, GOOD_CALLBACK, "demo_panel(wave)", "print('done')"), None),
        "course_panel": (
            # the real course.widgets.panel, used the way the lessons use it
            _notebook("import ipywidgets as widgets\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
                      "from course.widgets import panel",
                      "def wave(freq, n):\n"
                      "    t = np.linspace(0, 1, 200)\n"
                      "    fig, ax = plt.subplots(figsize=(4, 2.5))\n"
                      "    for k in range(n):\n"
                      "        ax.plot(t, np.sin(2 * np.pi * freq * t + k))\n"
                      "    ax.set_xlabel('time (s)')\n"
                      "    ax.set_title(f'{n} waves at {freq:.2f} Hz')\n",
                      "panel(wave, freq=widgets.FloatSlider(value=2.0, min=0.5, max=5.0, step=0.25),\n"
                      "      n=widgets.IntSlider(value=3, min=1, max=9))"),
            None,
        ),
        "cell_error": (
            _notebook("x = 1", "raise ValueError('deliberate failure in the second code cell')", "print('never runs')"),
            "deliberate failure in the second code cell",
        ),
        "callback_error": (
            _notebook(PANEL_SOURCE,
                      "def broken(freq, n):\n"
                      "    print(f'Settings: freq = {freq:.1f}; n = {n}')\n"
                      "    if freq > 2.0:\n"
                      "        raise RuntimeError('callback fails after the change')\n"
                      "    plt.plot([0, freq]); plt.show()\n",
                      "demo_panel(broken)"),
            "callback fails after the change",
        ),
        "stale_settings": (
            # the figure changes but the Settings line keeps printing the start value
            _notebook(PANEL_SOURCE,
                      "def stale(freq, n):\n"
                      "    print('Settings: freq = 2.0; n = 3')\n"
                      "    plt.plot([0, freq * n]); plt.show()\n",
                      "demo_panel(stale)"),
            "Settings line",
        ),
        "blank_figure": (
            # after the change the figure is drawn fully transparent: what a learner sees as "no plot"
            _notebook(PANEL_SOURCE,
                      "def fade(freq, n):\n"
                      "    print(f'Settings: freq = {freq:.1f}; n = {n}')\n"
                      "    fig, ax = plt.subplots(figsize=(4, 2.5))\n"
                      "    ax.plot([0, freq * n])\n"
                      "    if freq > 2.0:\n"
                      "        fig.patch.set_alpha(0); ax.set_visible(False)\n"
                      "    plt.show()\n",
                      "demo_panel(fade)"),
            "blank or half drawn",
        ),
        "stacked_figures": (
            _notebook(PANEL_SOURCE, GOOD_CALLBACK, "demo_panel(wave, clear=False)"),
            "figures",
        ),
        "missing_model": (
            # what a learner sees when the widget front end has no model for a view
            _notebook("from IPython.display import display\n"
                      "display({'application/vnd.jupyter.widget-view+json': {'model_id': 'f00d',"
                      " 'version_major': 2, 'version_minor': 0}, 'text/plain': 'VBox()'}, raw=True)"),
            "model not found",
        ),
    }


def write_fixtures(directory: Path) -> dict[str, tuple[Path, str | None]]:
    """Write the fixture notebooks into `directory`; returns name -> (path, expected failure)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (nb, expected) in fixtures().items():
        path = directory / f"{name}.ipynb"
        nbformat.write(nb, path)
        written[name] = (path, expected)
    return written
