"""Generate exercise notebooks from their exercise modules: the one source of truth.

``build(lesson)`` gives the learner's notebook (stubs); ``build(lesson, solved=True)`` the same
notebook with every stub replaced by its reference solution (for the test that requires every check
to pass).  Cells carry stable ids and ``metadata.course = {"exercise": id, "role": ...}`` (roles:
``setup``, ``task``, ``answer``, ``check``, ``summary``) so ``course check`` can map results back.

Maintainers regenerate the committed, executed notebooks with::

    .venv/bin/python -m course.notebook 00        # or: all

and ``differences(path, lesson)`` (used by the tests) lists how a committed notebook drifted from
what the module generates.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.progress import HOME_ENV
from course.syllabus import Lesson, course_root, lesson as find_lesson, lessons_with_exercises

__all__ = ["build", "execute", "write", "differences", "KERNEL_NAME"]

KERNEL_NAME = "python3"
_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}


def _cell(kind: str, source: str, cell_id: str, role: str, exercise: str | None = None):
    make = new_code_cell if kind == "code" else new_markdown_cell
    meta = {"course": {"role": role, **({"exercise": exercise} if exercise else {})}}
    if role == "answer":
        meta["tags"] = ["exercise-answer"]
    cell = make(source=source.rstrip("\n"), metadata=meta)
    cell["id"] = cell_id  # stable ids: regenerating gives byte-identical notebooks
    return cell


def build(lesson: Lesson | str | int, solved: bool = False) -> nbformat.NotebookNode:
    """The exercise notebook of ``lesson`` (unexecuted): stubs, or solutions if ``solved``."""
    les = lesson if isinstance(lesson, Lesson) else find_lesson(lesson)
    ex = les.exercises()
    cells = [_cell("markdown", f"# {ex.title}\n\n{ex.intro}", "intro", "intro"),
             _cell("code", ex.setup, "setup", "setup")]
    for k, e in enumerate(ex.exercises, start=1):
        task = (f"## Exercise {k}: {e.title}\n\n{e.prompt}\n\n"
                f"Stuck? `ex.hint(\"{e.id}\")` gives a hint (run it again for the next one); "
                f"`ex.solution(\"{e.id}\")` shows the reference solution.")
        cells.append(_cell("markdown", task, f"{e.id}-task", "task", e.id))
        cells.append(_cell("code", e.solution if solved else e.stub, f"{e.id}-answer", "answer", e.id))
        cells.append(_cell("code", f"ex.check_{e.id}({e.id})", f"{e.id}-check", "check", e.id))
    if ex.outro:
        cells.append(_cell("markdown", ex.outro, "outro", "outro"))
    cells.append(_cell("code", "ex.summary()", "summary", "summary"))
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": dict(_KERNELSPEC),
        "language_info": {"name": "python"},
        "course": {"lesson": les.key, "generated_by": "course.notebook", "solved": solved},
    })
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return nb


def execute(nb: nbformat.NotebookNode, cwd: os.PathLike | str, timeout: float = 120,
            env: dict | None = None, allow_errors: bool = False, quiet: bool = False,
            on_cell_start=None) -> nbformat.NotebookNode:
    """Run ``nb`` top to bottom on a fresh kernel in ``cwd`` (in place); returns it.

    ``timeout`` is per cell (s); a cell past it is interrupted.  ``env`` (default: this process's
    environment) is the kernel's environment, e.g. with COURSE_HOME / COURSE_RESULTS set.
    ``quiet`` discards the kernel process's own stderr (start-up chatter a learner need not see;
    errors inside cells are still recorded in the notebook).  ``on_cell_start(cell=, cell_index=)``
    is called before each cell runs (so a caller knows which cell a dead kernel was running).
    """
    import subprocess

    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME, allow_errors=allow_errors,
                            interrupt_on_timeout=True, record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    if on_cell_start is not None:
        client.on_cell_start = on_cell_start
    extra = {"stderr": subprocess.DEVNULL} if quiet else {}
    client.execute(env=dict(os.environ if env is None else env), cwd=str(cwd), **extra)
    for cell in nb.cells:
        if cell.get("outputs"):
            cell.outputs = merge_adjacent_streams(cell.outputs)
    return nb


def merge_adjacent_streams(outputs: list) -> list:
    """``outputs`` with each run of consecutive same-stream outputs joined into one, order kept.

    The kernel sends what a cell prints in pieces timed by its flush thread, so one ``print`` can
    arrive as two stream outputs on a busy machine; JupyterLab shows them as one text, and so does
    this (unlike nbclient's ``coalesce_streams``, it never moves text across a figure).
    """
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (last is not None and out.get("output_type") == "stream" == last.get("output_type")
                and out.get("name") == last.get("name")):
            last["text"] = last["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def write(lesson: Lesson | str | int, path: os.PathLike | str | None = None, run: bool = True,
          env: dict | None = None) -> Path:
    """Write the learner notebook of ``lesson`` to ``path`` (default: its place in the course
    root), executed on a fresh kernel if ``run`` (as committed: outputs are nbval's reference)."""
    les = lesson if isinstance(lesson, Lesson) else find_lesson(lesson)
    target = Path(path) if path else course_root() / les.exercise_notebook
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = build(les)
    if run:
        with tempfile.TemporaryDirectory(prefix="course-home-") as home:
            # the stubs' "not yet" verdicts must not land in the maintainer's own progress file
            execute(nb, cwd=target.parent, env=env or {**os.environ, HOME_ENV: home}, quiet=True)
    nbformat.validate(nb)
    nbformat.write(nb, str(target))
    return target


def _essence(nb) -> list[tuple]:
    return [(c.get("id"), c.cell_type, c.source, c.get("metadata", {}).get("course")) for c in nb.cells]


def differences(path: os.PathLike | str, lesson: Lesson | str | int) -> list[str]:
    """How the notebook at ``path`` differs from the generated one: its ``course`` metadata (which
    lesson, solved or not), then cell by cell (sources, order, ids, roles; outputs are nbval's
    business).  Empty list: up to date."""
    les = lesson if isinstance(lesson, Lesson) else find_lesson(lesson)
    have_nb, want_nb = nbformat.read(str(path), as_version=4), build(les)
    have, want = _essence(have_nb), _essence(want_nb)
    diffs = []
    if have_nb.metadata.get("course") != want_nb.metadata.get("course"):  # lesson key, solved flag
        diffs.append(f"notebook metadata 'course' is {have_nb.metadata.get('course')!r}, "
                     f"expected {want_nb.metadata.get('course')!r}")
    if len(have) != len(want):
        diffs.append(f"{len(have)} cells, expected {len(want)}")
    fields = ("id", "cell type", "source", "course metadata")
    for i, (h, w) in enumerate(zip(have, want)):
        changed = [name for name, a, b in zip(fields, h, w) if a != b]
        if changed:
            diffs.append(f"cell {i} ({w[0]}): {', '.join(changed)} differ(s) from the generated notebook")
    return diffs


def main(argv: list[str] | None = None) -> int:
    """``python -m course.notebook LESSON...|all``: regenerate and execute committed notebooks."""
    p = argparse.ArgumentParser(prog="python -m course.notebook", description=main.__doc__)
    p.add_argument("lessons", nargs="+", help="lesson numbers or keys, or 'all'")
    p.add_argument("--no-run", action="store_true", help="write without executing")
    args = p.parse_args(argv)
    chosen = lessons_with_exercises() if args.lessons == ["all"] else [find_lesson(x) for x in args.lessons]
    for les in chosen:
        print(f"wrote {write(les, run=not args.no_run)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
