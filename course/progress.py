"""The learner's progress: which exercise checks passed, kept in a small JSON file.

The file is ``$COURSE_HOME/progress.json`` (default ``~/.course/progress.json``), outside the
repository, so a ``git pull`` or a notebook reset never touches it.  Writing it must never break a
check, and never lose what is already there:

* each write replaces the file atomically (temporary file in the same folder, flushed, then
  ``os.replace``), under an exclusive lock, so two kernels checking at once lose no update and a
  crash mid-write leaves the previous file whole;
* what is read is validated: a file that is not JSON (truncated, edited by hand) is moved aside to
  ``progress.json.corrupt-<time>`` (never overwritten) before a new one is started, and an entry of
  an unexpected shape is ignored by readers but kept as it is by writers (only the one exercise
  being recorded is replaced, so other lessons' entries are never dropped);
* a save that fails (unwritable home, full disk) is reported each time, with the reason:
  :func:`record` returns the reason and prints it to stderr, so the learner is never told nothing.

``course check`` additionally sets ``COURSE_RESULTS`` to a file path; each check then appends one
JSON line ``{"lesson", "exercise", "status", "message"}`` there (diagnostics of a headless run; the
verdicts ``course check`` records are computed in its own process, see :mod:`course.runner`).
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: progress writes are rare and small; atomic replace still applies
    fcntl = None

__all__ = ["course_home", "progress_path", "load", "record", "RESULTS_ENV", "HOME_ENV", "STATUSES"]

HOME_ENV = "COURSE_HOME"
RESULTS_ENV = "COURSE_RESULTS"
STATUSES = ("passed", "not yet", "error")


def course_home() -> Path:
    """The user state directory: ``$COURSE_HOME`` or ``~/.course`` (Path, maybe not yet created)."""
    env = os.environ.get(HOME_ENV)
    return Path(env).expanduser() if env else Path.home() / ".course"


def progress_path() -> Path:
    """Path of the progress JSON file."""
    return course_home() / "progress.json"


def _valid_entry(entry) -> bool:
    return (isinstance(entry, dict) and entry.get("status") in STATUSES
            and isinstance(entry.get("passed_once", False), bool) and isinstance(entry.get("time", ""), str))


def _read_raw(path: Path) -> dict | None:
    """The file's top-level JSON object; {} if there is no file; None if it is corrupt (not JSON,
    or not an object).  OSError other than a missing file propagates."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def load() -> dict[str, dict[str, dict]]:
    """All valid recorded progress: ``{lesson_key: {exercise_id: {"status", "passed_once", "time"}}}``.

    Empty if there is none or the file cannot be read; entries of an unexpected shape are left out
    (they stay in the file).  Never raises."""
    try:
        raw = _read_raw(progress_path())
    except OSError:
        return {}
    out: dict[str, dict[str, dict]] = {}
    for lesson, entries in (raw or {}).items():
        if isinstance(entries, dict):
            good = {k: v for k, v in entries.items() if isinstance(k, str) and _valid_entry(v)}
            if good:
                out[lesson] = good
    return out


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


def lock_path(path: Path) -> Path:
    """The lock file guarding ``path`` (held by every read-modify-write of it)."""
    return path.with_name(path.name + ".lock")


def _aside_name(path: Path) -> Path:
    """A name for a copy of ``path`` that no file has yet: ``progress.json.corrupt-<time>[-k]`` beside it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    k = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{k}")
        k += 1
    return aside


def _set_aside(path: Path) -> Path:
    """Move a corrupt progress file to a new ``progress.json.corrupt-<time>[-k]`` beside it."""
    aside = _aside_name(path)
    os.replace(path, aside)
    return aside


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file next to ``path``, flush it to disk, then rename it over
    ``path``: a reader (or a crash) sees the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _update(path: Path, lesson: str, exercise: str, status: str) -> str | None:
    """Read-modify-write under the lock; returns a note for the learner (corrupt file set aside)."""
    note = None
    with _locked(lock_path(path)):  # two kernels checking at once: no lost update
        data = _read_raw(path)
        if data is None:
            aside = _set_aside(path)
            note = f"the progress file was damaged; it was kept as {aside} and a new one started"
            data = {}
        entries = data.get(lesson)
        if not isinstance(entries, dict):
            if entries is not None and note is None:  # keep the odd entry: copy the file aside first
                aside = _aside_name(path)       # never over an earlier copy of the same second
                aside.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
                note = f"progress of {lesson} had an unexpected shape; the old file was kept as {aside}"
            entries = data[lesson] = {}
        old = entries.get(exercise)
        passed_before = bool(old.get("passed_once")) if isinstance(old, dict) else False
        entries[exercise] = {"status": status, "passed_once": passed_before or status == "passed",
                             "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
        _write_atomically(path, json.dumps(data, indent=1, sort_keys=True))
    return note


def record(lesson: str, exercise: str, status: str, message: str = "", unsolved: bool = False,
           home: Path | None = None) -> str | None:
    """Store the latest ``status`` ("passed", "not yet", "error") of one exercise.

    Each entry is ``{"status": latest, "passed_once": bool, "time": ISO local time}``.
    An ``unsolved`` verdict (the untouched stub: a fresh or reset notebook, or a test run of the
    stored notebooks) says nothing about the learner, so it goes to COURSE_RESULTS only and never
    overwrites progress.  ``home`` overrides :func:`course_home` (``course check`` records under
    the COURSE_HOME of the environment it was given).

    Returns None when saved (or nothing to save), else why the progress was not saved; that reason
    is also printed to stderr, every time (a lost save must not go unnoticed).  Never raises.
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
    problem = None
    results = os.environ.get(RESULTS_ENV)
    if results:
        try:
            with open(results, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"lesson": lesson, "exercise": exercise, "status": status,
                                     "message": message}) + "\n")
        except OSError as exc:
            problem = f"could not write {results} ({exc})"
    if not unsolved:
        path = (Path(home) / "progress.json") if home is not None else progress_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            note = _update(path, lesson, exercise, status)
            if note:
                print(f"course: {note}.", file=sys.stderr)
        except OSError as exc:
            problem = (f"your progress was not saved ({exc.strerror or exc} at {exc.filename or path}); "
                       f"set {HOME_ENV} to a writable folder")
    if problem:
        print(f"course: {problem}.", file=sys.stderr)
    return problem
