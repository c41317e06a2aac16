"""The learner's progress: which exercise checks passed, kept in a small JSON file.

The file is ``$COURSE_HOME/progress.json`` (default ``~/.course/progress.json``), outside the
repository, so a ``git pull`` or a notebook reset never touches it.  Writing it must never break a
check: an unwritable home gives a one-time warning and progress is simply not saved.

``course check`` additionally sets ``COURSE_RESULTS`` to a file path; each check then appends one
JSON line ``{"lesson", "exercise", "status", "message"}`` there, which is how the command line
collects the verdicts of a headless run.
"""
from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import warnings
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: progress writes are rare and small; atomic replace still applies
    fcntl = None

__all__ = ["course_home", "progress_path", "load", "record", "RESULTS_ENV", "HOME_ENV"]

HOME_ENV = "COURSE_HOME"
RESULTS_ENV = "COURSE_RESULTS"
_warned = False


def course_home() -> Path:
    """The user state directory: ``$COURSE_HOME`` or ``~/.course`` (Path, maybe not yet created)."""
    env = os.environ.get(HOME_ENV)
    return Path(env).expanduser() if env else Path.home() / ".course"


def progress_path() -> Path:
    """Path of the progress JSON file."""
    return course_home() / "progress.json"


def load() -> dict[str, dict[str, dict]]:
    """All recorded progress: ``{lesson_key: {exercise_id: {"status", "time"}}}``; empty if none
    (a missing or corrupt file reads as no progress)."""
    try:
        data = json.loads(progress_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@contextlib.contextmanager
def _locked(lock_path: Path):
    """Hold an exclusive lock on ``lock_path`` (POSIX flock; where there is none, no lock)."""
    with open(lock_path, "a", encoding="utf-8") as fh:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)


def record(lesson: str, exercise: str, status: str, message: str = "", unsolved: bool = False) -> None:
    """Store the latest ``status`` ("passed", "not yet", "error") of one exercise.

    Each entry is ``{"status": latest, "passed_once": bool, "time": ISO local time}``.
    An ``unsolved`` verdict (the untouched stub: a fresh or reset notebook, or a test run of the
    stored notebooks) says nothing about the learner, so it goes to COURSE_RESULTS only and never
    overwrites progress.
    """
    global _warned
    results = os.environ.get(RESULTS_ENV)
    try:
        if results:
            with open(results, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"lesson": lesson, "exercise": exercise, "status": status,
                                     "message": message}) + "\n")
        if unsolved:
            return
        path = progress_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path.with_suffix(".lock")):  # two kernels checking at once: no lost update
            data = load()
            old = data.get(lesson, {}).get(exercise, {})
            data.setdefault(lesson, {})[exercise] = {
                "status": status, "passed_once": bool(old.get("passed_once")) or status == "passed",
                "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)  # atomic: a reader never sees a half-written file
    except OSError as exc:
        if not _warned:
            warnings.warn(f"course: progress not saved ({exc}); set {HOME_ENV} to a writable folder",
                          stacklevel=2)
            _warned = True
