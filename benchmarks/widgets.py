"""Widget latency: how long every lesson widget takes to answer a slider, redraw included.

    .venv/bin/python benchmarks/widgets.py --json            # every lesson in course.syllabus
    .venv/bin/python benchmarks/widgets.py --lesson lessons/01_spikes.ipynb

For each stored lesson notebook (in syllabus order) a fresh process runs the notebook's code cells
top to bottom with matplotlib's Agg backend, with `course.widgets.panel` replaced by a recorder, so
every panel the lesson creates is captured with its callback and controls (the panel itself is
still built, as in the notebook). Then each callback is called at its controls' defaults: one
warm-up call and --calls timed calls, each followed by drawing its figures to their Agg canvas, which
is the work a slider change causes. "Its figures" are the Figure the callback returns (a kept figure
that the callback updates, `snnlib.plots.views`; the Panel displays it) and every new pyplot figure
it opened (closed after drawing). Reported per widget (`<lesson>/<callback>`), each a median in ms:

- median_ms: wall time of the call plus the drawing (Agg canvas; shown beside the judged figure);
- cpu_ms: CPU time of this process for the same (shows how much of the wall time was waiting for a
  shared core);
- draw_ms: wall time of the drawing alone (Agg rendering of the finished figures);
- png_ms: wall time of the call followed by rendering its figures to PNG the way JupyterLab shows
  them: a kept figure (`snnlib.plots.views`) through its own `_repr_png_` (the whole figure, which
  `course.widgets` registers with IPython), any other figure as the inline backend does
  (`savefig(BytesIO(), format="png", bbox_inches="tight")`, which lays it out twice). This is what a
  learner in JupyterLab waits for after a slider move, before the browser shows the image, so the
  target (under 200 ms at the defaults) is judged on this figure (benchmarks/report.py). Measured in
  separate calls (--calls of them), so that a figure is never drawn once already by the median_ms
  measurement.

Text the callbacks print is discarded.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _figures_of_call(callback, values: dict, plt) -> list:
    """Call callback(**values) (its text discarded); return the Figures it shows: the one it returns, if any,
    then every pyplot figure it opened."""
    from matplotlib.figure import Figure

    before = set(plt.get_fignums())
    with contextlib.redirect_stdout(io.StringIO()):
        result = callback(**values)
    figures = [result] if isinstance(result, Figure) else []
    new = (plt.figure(num) for num in plt.get_fignums() if num not in before)
    figures += [fig for fig in new if fig is not result]             # a returned pyplot figure: drawn once
    return figures


def _agg_canvas(fig):
    """fig's Agg canvas: a Figure made without pyplot may still have the do-nothing base canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def _release(figures, plt) -> None:
    """Close the pyplot figures; for a kept figure made without pyplot plt.close does nothing."""
    for fig in figures:
        plt.close(fig)


def _timed_call(callback, values: dict, plt) -> tuple[float, float, float]:
    """(wall, CPU, wall of the drawing alone) seconds for callback(**values) plus drawing the figures it
    shows (the returned Figure and new pyplot figures) to their Agg canvas."""
    t0, c0 = time.perf_counter(), time.process_time()
    figures = _figures_of_call(callback, values, plt)
    t_draw = time.perf_counter()
    for fig in figures:
        _agg_canvas(fig).draw()
    t1, c1 = time.perf_counter(), time.process_time()
    _release(figures, plt)
    return t1 - t0, c1 - c0, t1 - t_draw


def _timed_png_call(callback, values: dict, plt) -> float:
    """Wall seconds for callback(**values) plus rendering the figures it shows to PNG as JupyterLab
    gets them (see png_ms in the module docstring)."""
    t0 = time.perf_counter()
    for fig in _figures_of_call(callback, values, plt):
        if hasattr(fig, "_repr_png_"):          # a kept figure: course.widgets has IPython use this
            fig._repr_png_()
        else:
            fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
        _release([fig], plt)
    return time.perf_counter() - t0


def lesson_widgets(notebook: Path, calls: int) -> tuple[dict, dict, dict, dict, dict]:
    """Run `notebook`'s code and time its panels.

    Returns ({widget: median wall ms}, {widget: median CPU ms}, {widget: median ms of the drawing alone},
    {widget: median ms of the call plus PNG rendering}, {widget or lesson: error message}).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    import course.widgets

    panels = []
    real_panel = course.widgets.panel

    def recording_panel(callback, **controls):
        p = real_panel(callback, **controls)
        panels.append(p)
        return p

    course.widgets.panel = recording_panel
    nb = nbformat.read(notebook, as_version=4)
    namespace = {"__name__": "__main__"}
    cwd = os.getcwd()
    os.chdir(notebook.parent)                    # notebooks run from their own folder
    errors = {}
    try:
        for k, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(code, f"{notebook.name}[cell {k}]", "exec"), namespace)   # noqa: S102
            except Exception as exc:             # report it, time the panels made so far
                errors[notebook.stem] = f"cell {k}: {type(exc).__name__}: {exc}"
                break
            plt.close("all")
    finally:
        os.chdir(cwd)
        course.widgets.panel = real_panel

    medians, cpu, draw, png = {}, {}, {}, {}
    for p in panels:
        name = f"{notebook.stem}/{getattr(p.callback, '__name__', 'callback')}"
        try:
            _timed_call(p.callback, p.values, plt)                       # warm-up (first-call caches)
            times = [_timed_call(p.callback, p.values, plt) for _ in range(calls)]
            medians[name] = 1e3 * statistics.median(w for w, _, _ in times)
            cpu[name] = 1e3 * statistics.median(c for _, c, _ in times)
            draw[name] = 1e3 * statistics.median(d for _, _, d in times)
            png[name] = 1e3 * statistics.median(_timed_png_call(p.callback, p.values, plt) for _ in range(calls))
        except Exception as exc:
            errors[name] = f"{type(exc).__name__}: {exc}"
    return medians, cpu, draw, png, errors


def all_lessons(calls: int) -> dict:
    """Every stored lesson, each in its own process; {"median_ms": {...}, "errors": {...}}."""
    sys.path.insert(0, str(ROOT))
    from course import syllabus

    out = {"median_ms": {}, "cpu_ms": {}, "draw_ms": {}, "png_ms": {}, "errors": {}}
    for nb in syllabus.existing_lesson_notebooks(ROOT):
        proc = subprocess.run([sys.executable, __file__, "--json", "--lesson", str(nb), "--calls", str(calls)],
                              capture_output=True, text=True, timeout=1800, cwd=ROOT)
        if proc.returncode != 0:
            out["errors"][nb.stem] = f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"
            continue
        rec = json.loads(proc.stdout.strip().splitlines()[-1])
        for key in out:
            out[key].update(rec[key])
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="median callback time of every lesson widget")
    parser.add_argument("--lesson", type=Path, help="one notebook (default: all lessons in course.syllabus)")
    parser.add_argument("--calls", type=int, default=5, help="timed calls per widget (after one warm-up)")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    if args.lesson:
        sys.path.insert(0, str(ROOT))
        medians, cpu, draw, png, errors = lesson_widgets(args.lesson.resolve(), args.calls)
        rec = {"median_ms": medians, "cpu_ms": cpu, "draw_ms": draw, "png_ms": png, "errors": errors}
    else:
        rec = all_lessons(args.calls)
    if args.json:
        print(json.dumps(rec))
    else:
        for name, ms in rec["median_ms"].items():  # the call + PNG first: the figure judged against 200 ms
            png = rec["png_ms"][name]
            print(f"{name:50s} call + PNG {png:8.1f} ms {'ok' if png < 200 else 'OVER 200 ms'} "
                  f"(call + draw {ms:.1f} ms, {rec['cpu_ms'][name]:.1f} ms CPU, drawing {rec['draw_ms'][name]:.1f} ms)")
        for name, err in rec["errors"].items():
            print(f"{name:50s} ERROR {err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
