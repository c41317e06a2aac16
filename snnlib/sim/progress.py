"""Progress of long runs and a clean Ctrl-C, for `Simulator.run`.

- `Progress`: after the first chunk of a run, if the whole run is expected to take more than
  `THRESHOLD_S` seconds and output is interactive (a terminal, or a Jupyter kernel), a tqdm bar shows the
  simulated time and its rate (simulated s per wall s); tqdm draws a widget in JupyterLab and text in a
  terminal (`tqdm.auto`). Off in tests and when output is not interactive; `SNNLIB_PROGRESS=0` turns it off,
  `=1` on (for any run over the threshold); `Simulator.run(t, progress=False/True)` decides for one run.
  Without tqdm installed there is no bar.
- `Interruptible`: while a run is in progress, Ctrl-C (SIGINT) only sets a flag; the run stops at the end of
  the current chunk, where the state, the probes and `sim.t` agree, and raises KeyboardInterrupt there. The
  simulator stays usable: `sim.run` goes on from `sim.t`, with the same spikes as an uninterrupted run.
"""

import os
import signal
import sys
import threading
import time

THRESHOLD_S = 2.0


def interactive():
    """Is a person watching this output? (a Jupyter kernel or a terminal; never under pytest)"""
    env = os.environ.get("SNNLIB_PROGRESS")
    if env is not None:
        return env.strip() not in ("", "0", "false", "no", "off")
    if "pytest" in sys.modules:
        return False
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """A bar for a run of `steps` steps of `dt` s, created once the run looks long enough (see module doc)."""

    def __init__(self, steps, dt, mode=None):
        self.steps, self.dt, self.mode = steps, dt, mode
        self.done, self.bar = 0, None
        self.t0 = time.perf_counter()

    def update(self, n):
        self.done += n
        if self.bar is not None:
            self.bar.update(n * self.dt)
            return
        if self.mode is False or self.done >= self.steps:
            return
        expected = (time.perf_counter() - self.t0) / self.done * self.steps
        if expected > THRESHOLD_S and (self.mode is True or interactive()):
            self.bar = _make_bar(self.steps * self.dt, self.done * self.dt)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _make_bar(total_s, done_s):
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=round(total_s, 9), initial=round(done_s, 9), unit="s", unit_scale=False,
                desc="simulated", bar_format="{desc}: {n:.3g}/{total:.3g} s |{bar}| {rate_fmt} "
                "[{elapsed}<{remaining}]", leave=False)


class Interruptible:
    """Context manager: SIGINT sets `requested` instead of raising (main thread only; elsewhere a no-op)."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def _handler(self, signum, frame):
        self.requested = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.signal(signal.SIGINT, self._handler)
            except (ValueError, OSError):
                self._previous = None
        return self

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        return False
