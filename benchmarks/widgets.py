"""Widget latency: how long every lesson widget takes to answer a slider, redraw included.

    .venv/bin/python benchmarks/widgets.py --json            # every lesson in course.syllabus
    .venv/bin/python benchmarks/widgets.py --lesson lessons/01_spikes.ipynb

For each stored lesson notebook (in syllabus order) a fresh process runs the notebook's code cells
top to bottom with matplotlib's Agg backend, with `course.widgets.panel` replaced by a recorder, so
every panel the lesson creates is captured with its callback and controls (the panel itself is
still built, as in the notebook). Then each callback is called at its controls' defaults: one
warm-up call and --calls timed calls, each followed by drawing every new figure to its Agg canvas
and closing it, which is the work a slider change causes. Reported per widget
(`<lesson>/<callback>`): the median wall time in ms, and the median CPU time of this process
(which shows how much of the wall time was waiting for a shared core), and the median wall time
of the drawing alone (Agg rendering of the finished figures). Text the callbacks print is discarded.
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


def _timed_call(callback, values: dict, plt) -> tuple[float, float, float]:
    """(wall, CPU, wall of the drawing alone) seconds for callback(**values) plus drawing and closing
    the figures it opened."""
    before = set(plt.get_fignums())
    t0, c0 = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        callback(**values)
    t_draw = time.perf_counter()
    for num in plt.get_fignums():
        if num not in before:
            fig = plt.figure(num)
            fig.canvas.draw()
            plt.close(fig)
    t1 = time.perf_counter()
    return t1 - t0, time.process_time() - c0, t1 - t_draw


def lesson_widgets(notebook: Path, calls: int) -> tuple[dict, dict, dict, dict]:
    """Run `notebook`'s code and time its panels.

    Returns ({widget: median wall ms}, {widget: median CPU ms}, {widget: median ms of the drawing alone},
    {widget or lesson: error message}).
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

    medians, cpu, draw = {}, {}, {}
    for p in panels:
        name = f"{notebook.stem}/{getattr(p.callback, '__name__', 'callback')}"
        try:
            _timed_call(p.callback, p.values, plt)                       # warm-up (first-call caches)
            times = [_timed_call(p.callback, p.values, plt) for _ in range(calls)]
            medians[name] = 1e3 * statistics.median(w for w, _, _ in times)
            cpu[name] = 1e3 * statistics.median(c for _, c, _ in times)
            draw[name] = 1e3 * statistics.median(d for _, _, d in times)
        except Exception as exc:
            errors[name] = f"{type(exc).__name__}: {exc}"
    return medians, cpu, draw, errors


def all_lessons(calls: int) -> dict:
    """Every stored lesson, each in its own process; {"median_ms": {...}, "errors": {...}}."""
    sys.path.insert(0, str(ROOT))
    from course import syllabus

    out = {"median_ms": {}, "cpu_ms": {}, "draw_ms": {}, "errors": {}}
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
        medians, cpu, draw, errors = lesson_widgets(args.lesson.resolve(), args.calls)
        rec = {"median_ms": medians, "cpu_ms": cpu, "draw_ms": draw, "errors": errors}
    else:
        rec = all_lessons(args.calls)
    if args.json:
        print(json.dumps(rec))
    else:
        for name, ms in rec["median_ms"].items():
            print(f"{name:50s} {ms:8.1f} ms ({rec['cpu_ms'][name]:.1f} ms CPU, drawing {rec['draw_ms'][name]:.1f} ms)")
        for name, err in rec["errors"].items():
            print(f"{name:50s} ERROR {err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
