"""Exercise every widget panel of a lesson: call each callback at its defaults and at the extremes.

Used in the kernel that ran a lesson (nbval appends a cell calling `check_panels()`, see conftest.py)
and by the widget-latency benchmark (`time_panels()`). Figures are drawn to matplotlib's current
backend and closed (a Figure the callback returns is rendered to PNG); printed text is captured.
"""
from __future__ import annotations

import contextlib
import io
import time

from course.widgets import PANELS, extreme_settings


def _call(panel, settings):
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    start = time.perf_counter()
    error = None
    try:
        with contextlib.redirect_stdout(buf):
            result = panel.callback(**settings)
            for num in plt.get_fignums():          # draw, as a browser would show the figure
                plt.figure(num).canvas.draw()
            if hasattr(result, "savefig"):         # a kept figure the callback updated and returned
                result.savefig(io.BytesIO(), format="png")
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        error = f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - start
    plt.close("all")
    return {"callback": panel.callback.__name__, "settings": settings, "seconds": elapsed,
            "error": error, "text": buf.getvalue()}


def panel_report(panels=None):
    """Call every panel's callback at its defaults and at each control's min and max.

    Returns a list of dicts: callback name, settings, seconds, error (None or text), printed text.
    """
    panels = PANELS if panels is None else panels
    return [_call(p, s) for p in panels for s in extreme_settings(p.controls)]


def check_panels(panels=None):
    """Raise AssertionError listing every callback that raised or printed NaN at some setting."""
    panels = PANELS if panels is None else panels
    if not panels:
        raise AssertionError("no interactive demo was created: every lesson needs at least one course.widgets.panel")
    report = panel_report(panels)
    bad = [r for r in report if r["error"] or "nan" in r["text"].lower().replace(",", " ").split()]
    if bad:
        raise AssertionError("widget callbacks failed:\n" + "\n".join(
            f"  {r['callback']}({r['settings']}): {r['error'] or r['text'].strip()}" for r in bad))
    print(f"{len(panels)} panel(s), {len(report)} settings checked: all answered")


def time_panels(repeats=5, panels=None):
    """Median seconds per callback at its defaults (figure drawn), for the benchmark suite."""
    panels = PANELS if panels is None else panels
    out = []
    for p in panels:
        defaults = next(extreme_settings(p.controls))
        runs = sorted(_call(p, defaults)["seconds"] for _ in range(repeats))
        out.append({"callback": p.callback.__name__, "median_s": runs[len(runs) // 2],
                    "min_s": runs[0], "max_s": runs[-1]})
    return out


__all__ = ["panel_report", "check_panels", "time_panels"]
