"""The course command: list lessons and progress, check an exercise notebook, reset one.

    course list                 lessons and exercises, with your progress
    course check [LESSON]       run the checks of your exercise notebook(s) headlessly: a table of
                                passed / not yet / error (exit status 0 only if all passed)
    course export nbgrader DIR  write an nbgrader course directory (one assignment per lesson)
    course reset LESSON         restore an exercise notebook to its original (as shipped, with its
                                outputs), after saving your copy as
                                exercises/.backup/NN_slug-YYYYmmdd-HHMMSS.ipynb

LESSON is a number (0, 00), a key (00_welcome) or a slug (welcome).  The course root (the clone
holding exercises/) is found from the current folder; --root or $COURSE_ROOT override it.
Progress lives in $COURSE_HOME (default ~/.course), never in the repository.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
import textwrap
import time
from pathlib import Path

from course import progress
from course.exercise import ERROR, NOT_YET, PASSED
from course.syllabus import LESSONS, Lesson, course_root, lesson as find_lesson

__all__ = ["main", "backup_path"]

_MARK = {PASSED: "\u2714", NOT_YET: "\u2718", ERROR: "\u26a0", None: "\u00b7"}


def cmd_list(root: Path) -> int:
    """Print every lesson with its notebooks and the learner's progress on its exercises."""
    done = progress.load()
    print(f"Course root: {root}    progress: {progress.progress_path()}")
    for les in LESSONS:
        has_lesson = (root / les.lesson_notebook).exists()
        head = f"{les.key:<22} {les.title:<34}"
        if not les.has_exercises():
            print(f"{head} exercises: not written yet" + ("" if has_lesson else "; lesson: not written yet"))
            continue
        ex = les.exercises()
        mine = done.get(les.key, {})
        n_pass = sum(1 for e in ex.exercises if mine.get(e.id, {}).get("status") == PASSED)
        nb_note = "" if (root / les.exercise_notebook).exists() else f" (no {les.exercise_notebook}: course reset {les.number:02d})"
        print(f"{head} exercises: {n_pass}/{len(ex.exercises)} passed{nb_note}"
              + ("" if has_lesson else "; lesson: not written yet"))
        for e in ex.exercises:
            entry = mine.get(e.id, {})
            status = entry.get("status")
            again = " (passed before)" if status != PASSED and entry.get("passed_once") else ""
            print(f"    {_MARK.get(status, '?')} {e.id:<14} {status or 'not started'}{again}")
    return 0


def _check_one(les: Lesson, root: Path, cell_timeout: float | None) -> tuple[int, int]:
    from course.runner import run_checks  # nbclient is only needed here

    cell_timeout = les.budget_s if cell_timeout is None else cell_timeout

    path = root / les.exercise_notebook
    print(f"Checking {les.exercise_notebook} on a fresh kernel (takes a few seconds)...")
    rows = run_checks(les, path, cell_timeout=cell_timeout)
    width = max(len(r.exercise) for r in rows)
    print(f"  {'exercise':<{width}}  verdict")
    for r in rows:
        print(f"  {r.exercise:<{width}}  {_MARK[r.status]} {r.status}")
        if r.message:  # the diagnosis (or a rubric criterion's measured number), in full, under its row
            print(textwrap.fill(" ".join(r.message.split()), width=100, initial_indent=" " * (width + 6),
                                subsequent_indent=" " * (width + 6)))
    counts = {s: sum(r.status == s for r in rows) for s in (PASSED, NOT_YET, ERROR)}
    print(f"  {counts[PASSED]} passed, {counts[NOT_YET]} not yet, {counts[ERROR]} error")
    if rows.progress_problem:
        print(f"  \u26a0 {rows.progress_problem}.")
    return counts[PASSED], len(rows)


def cmd_check(root: Path, ref: str | None, cell_timeout: float | None) -> int:
    """Run the checks of one lesson's exercise notebook, or of every one that exists."""
    if ref is not None:
        les = find_lesson(ref)
        if not les.has_exercises():
            raise ValueError(f"lesson {les.key} has no exercises yet")
        chosen = [les]
    else:
        chosen = [les for les in LESSONS if les.has_exercises() and (root / les.exercise_notebook).exists()]
        if not chosen:
            print(f"No exercise notebooks under {root / 'exercises'}; `course reset 00` creates the first one.")
            return 1
    passed = total = 0
    for les in chosen:
        p, n = _check_one(les, root, cell_timeout)
        passed, total = passed + p, total + n
    return 0 if passed == total else 1


def backup_path(root: Path, les: Lesson, now: float | None = None) -> Path:
    """A new, unused path ``exercises/.backup/NN_slug-YYYYmmdd-HHMMSS[-k].ipynb``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    folder = root / "exercises" / ".backup"
    candidate = folder / f"{les.key}-{stamp}.ipynb"
    k = 1
    while candidate.exists():  # two resets within a second must not overwrite a backup
        candidate = folder / f"{les.key}-{stamp}-{k}.ipynb"
        k += 1
    return candidate


def _save_backup(target: Path, backup: Path) -> None:
    """Copy ``target`` to ``backup`` through a temporary file, verified byte for byte before it is
    renamed into place; on any failure (a full disk, a short write) nothing is left behind and an
    OSError says why."""
    data = target.read_bytes()
    backup.parent.mkdir(parents=True, exist_ok=True)
    tmp = backup.with_name(f".{backup.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if tmp.read_bytes() != data:
            raise OSError(errno.EIO, f"the copy written to {tmp} differs from the notebook")
        os.replace(tmp, backup)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise OSError(exc.errno, f"could not save a copy of {target} to {backup.parent} ({reason}); nothing "
                                 "was reset and your notebook is unchanged. Free some disk space (or fix the "
                                 "folder's permissions) and run the reset again") from exc


def _edited(target: Path, les: Lesson, differences) -> bool:
    """True unless ``target`` has exactly the generated cells (outputs aside); unreadable counts as edited."""
    try:
        return bool(differences(target, les))
    except Exception:  # noqa: BLE001 - a damaged notebook is kept, never judged unmodified
        return True


def cmd_reset(root: Path, ref: str, run: bool) -> int:
    """Save the learner's notebook to .backup/, then write the original generated notebook.

    A symlinked notebook is replaced by a regular file (the file it pointed to is left alone)."""
    from course.notebook import write

    les = find_lesson(ref)
    if not les.has_exercises():
        raise ValueError(f"lesson {les.key} has no exercises yet")
    target = root / les.exercise_notebook
    from course.notebook import differences

    if target.exists() and not _edited(target, les, differences):
        print(f"{les.exercise_notebook} has no edits of yours (same cells as the original): no backup needed.")
    elif target.exists():
        backup = backup_path(root, les)
        _save_backup(target, backup)
        print(f"Saved your copy as {backup.relative_to(root)}")
    if run:
        print(f"Restoring {les.exercise_notebook} (running it on a fresh kernel, a few seconds)...")
    fresh = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(les, fresh, run=run)
        if target.is_symlink():
            print(f"{les.exercise_notebook} was a link to {os.readlink(target)}; that file is left as it is, "
                  "and the link is replaced by the restored notebook.")
        os.replace(fresh, target)  # replaces a link itself, never the file it points to
    finally:
        fresh.unlink(missing_ok=True)
    print(f"Restored {les.exercise_notebook} to its original"
          + ("." if run else " (without outputs: run it from the top)."))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``course`` console script; returns the exit status."""
    parser = argparse.ArgumentParser(prog="course", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--root", type=Path, help="course root (the folder holding exercises/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="lessons, exercises and your progress")
    p_check = sub.add_parser("check", help="run the checks of your exercise notebook(s)")
    p_check.add_argument("lesson", nargs="?", help="lesson number, key or slug (default: all)")
    p_check.add_argument("--cell-timeout", type=float, default=None,
                         help="seconds before a running cell is interrupted (default: the lesson's notebook "
                              "budget, 60 s; 120 s for lesson 08's project)")
    p_reset = sub.add_parser("reset", help="restore an exercise notebook (your copy is saved first)")
    p_reset.add_argument("lesson", help="lesson number, key or slug")
    p_reset.add_argument("--no-run", action="store_true",
                         help="restore the cells only, without executing them (faster; no stored outputs)")
    from course.export_nbgrader import register as register_export
    register_export(sub)
    args = parser.parse_args(argv)
    try:
        root = (args.root or course_root()).resolve()
        if args.command == "list":
            return cmd_list(root)
        if args.command == "check":
            return cmd_check(root, args.lesson, args.cell_timeout)
        if args.command == "export":  # registered by course.export_nbgrader
            return args.run(args, root)
        return cmd_reset(root, args.lesson, not args.no_run)
    except BrokenPipeError:
        # `course list | head`: the reader left; stop quietly (and let the interpreter's final flush
        # of stdout go nowhere instead of raising again).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (ValueError, FileNotFoundError, OSError) as exc:
        print(f"course {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"course {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback for the learner: say what and where to report
        print(f"course {args.command}: internal error ({type(exc).__name__}: {exc}); please report it to the "
              "course maintainers.", file=sys.stderr)
        return 3

if __name__ == "__main__":
    sys.exit(main())
