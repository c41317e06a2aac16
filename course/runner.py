"""Run the checks of a learner's exercise notebook headlessly and collect one verdict per exercise.

The learner's notebook is copied and executed on a fresh kernel (nbclient, errors allowed, each
cell interrupted after ``cell_timeout`` seconds); the learner's file is never modified.

Verdicts are computed here, in the checking process, never taken from the kernel: after each
exercise's check cell (at the end for an exercise without one) a collector cell asks the kernel for
the learner's answer as plain data (:mod:`course.answers`), and this process compares it with
references it computes itself.  Whatever the notebook patches in its kernel (a reference, the comparison, the
evaluation, the progress writer) cannot change what ``course check`` reports and records.  The
kernel gets a throw-away COURSE_HOME, so its own checks never write the learner's progress; this
process records the verdicts.

An exercise whose answer never reached the collector (its cell raised, was deleted, the setup cell
failed) counts as "error", with the reason; if the kernel dies (``os._exit``, a crash, memory
exhausted), the exercise that was running is marked and the table is still complete.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from course import progress
from course.answers import collector_source, decode
from course.exercise import ERROR, CheckResult
from course.notebook import execute
from course.safe_call import Recorded
from course.syllabus import Lesson

__all__ = ["Row", "Rows", "run_checks"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_COLLECT_ROLE = "collect"


@dataclass(frozen=True)
class Row:
    """One exercise's verdict in a headless run: ``status`` in passed / not yet / error."""

    exercise: str
    status: str
    message: str


class Rows(list):
    """The rows of a run (a list of :class:`Row`), plus ``progress_problem``: why the verdicts
    could not be saved (None if they were)."""

    progress_problem: str | None = None


def _cell_error(cell, cell_timeout: float) -> str | None:
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            if out.ename == "KeyboardInterrupt":  # nbclient interrupts a cell at the time limit
                return (f"it ran longer than {cell_timeout:g} s and was interrupted "
                        "(a loop that never ends?)")
            return _ANSI.sub("", f"{out.ename}: {out.evalue}")
    return None


def _role(cell) -> dict:
    meta = cell.get("metadata", {}).get("course", {})
    return meta if isinstance(meta, dict) else {}


def _learner_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and _role(c).get("role") != _COLLECT_ROLE]


def _setup_failure(nb, cell_timeout: float) -> str | None:
    """Why the setup cell failed, if it did: then every exercise is reported with that reason (not
    with the NameError each later cell gets from it)."""
    for i, c in enumerate(_learner_cells(nb)):
        if _role(c).get("role") == "setup":
            err = _cell_error(c, cell_timeout)
            if err:
                return (f"the setup cell (code cell {i + 1}: imports and `ex = ...`) failed, so nothing could "
                        f"be checked: {err}. Fix that cell, or `course reset` restores it (your copy is kept).")
    return None


def _why_missing(nb, exercise_id: str, cell_timeout: float) -> str:
    """Explain why an exercise's answer did not reach the collector, from the executed cells."""
    cells = _learner_cells(nb)

    def role_cells(role):
        return [c for c in cells if _role(c) == {"role": role, "exercise": exercise_id}]

    for answer in role_cells("answer"):
        err = _cell_error(answer, cell_timeout)
        if err:
            return f"your code cell failed: {err}"
    earlier = [(i, e) for i, c in enumerate(cells) for e in [_cell_error(c, cell_timeout)] if e]
    if earlier:
        i, e = earlier[0]
        return f"{exercise_id} was never defined; code cell {i + 1} failed first: {e}"
    return f"{exercise_id} is not defined in the notebook (was its cell deleted? `course reset` restores it)"


def _with_collectors(nb, spec: list[dict], out_path: str):
    """A copy of ``nb`` with a collector cell after each exercise's check cell (or, without one,
    its answer cell: the answer as the learner's own check saw it), and one at the end for the
    exercises that have neither (the learner restructured the notebook)."""
    by_id = {e["id"]: e for e in spec}
    anchors = {}
    for i, c in enumerate(nb.cells):
        meta = _role(c)
        if c.cell_type == "code" and meta.get("exercise") in by_id and meta.get("role") in ("answer", "check"):
            anchors[meta["exercise"]] = i  # the last such cell of each exercise
    out = nbformat.from_dict(nb)
    cells = []
    for i, c in enumerate(out.cells):
        cells.append(c)
        for ex_id, at in anchors.items():
            if at == i:
                cells.append(_collector_cell([by_id[ex_id]], out_path, ex_id))
    unanchored = [e for e in spec if e["id"] not in anchors]  # cells renamed or moved: look at the end
    if unanchored:
        cells.append(_collector_cell(unanchored, out_path, None))
    out.cells = cells
    return out


def _collector_cell(spec, out_path, exercise_id):
    cell = new_code_cell(source=collector_source(spec, out_path))
    cell.metadata["course"] = {"role": _COLLECT_ROLE, **({"exercise": exercise_id} if exercise_id else {})}
    return cell


def _spec(lesson: Lesson) -> list[dict]:
    return [{"id": e.id, "kind": e.kind, "cases": list(e.cases), "arg_names": e.arg_names, "timeout": e.timeout}
            for e in lesson.exercises().exercises]


def _read_answers(path: Path) -> dict[str, dict]:
    """The last well-formed record per exercise (the notebook could write anything there)."""
    found: dict[str, dict] = {}
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get("exercise"), str):
            found[rec["exercise"]] = rec
    return found


def _judge(exercise, rec: dict) -> CheckResult | None:
    """The verdict on one collected answer, computed in this process; None if nothing usable."""
    if rec.get("missing"):
        return None
    try:
        outcome = decode(rec)
    except (ValueError, KeyError, TypeError):
        return None
    # the notebook can append to the answers file: an "ok" record must carry one value per call (a value
    # answer: one), or an empty list would pass every comparison (nothing to compare)
    if outcome.status == "ok" and len(outcome.values) != (len(exercise.cases) if "call" in rec else 1):
        return None
    if "call" in rec:
        return exercise.evaluate(Recorded(outcome, exercise.id))
    if outcome.status == "ok" and outcome.values:
        return exercise.evaluate(outcome.values[0])
    return exercise.evaluate(Recorded(outcome, exercise.id))


def _where_died(nb, index: int | None, ids: list[str]) -> tuple[int, str]:
    """Where the kernel died: (position in ``ids`` of the first exercise it took down, a phrase for
    the cell that was running).  Position len(ids) if every exercise had been collected."""
    if index is None or index >= len(nb.cells):
        return 0, "while starting"
    meta = _role(nb.cells[index])
    if meta.get("role") == "setup":
        return 0, "in the setup cell"
    if meta.get("exercise") in ids:
        return ids.index(meta["exercise"]), f"while running {meta['exercise']}"
    # numbered as the learner sees it: among their code cells (not counting markdown or collector cells)
    number = sum(1 for c in nb.cells[:index + 1] if c.cell_type == "code" and _role(c).get("role") != _COLLECT_ROLE)
    for c in nb.cells[index:]:  # a cell of the learner's own: the next exercise is the first lost
        ex_id = _role(c).get("exercise")
        if ex_id in ids:
            return ids.index(ex_id), f"in code cell {number}, before {ex_id}"
    return len(ids), f"in code cell {number}, after the last exercise"


def run_checks(lesson: Lesson, notebook: os.PathLike | str, cell_timeout: float | None = None,
               env: dict | None = None, record: bool = True) -> Rows:
    """Execute a copy of ``notebook`` (the learner's exercise notebook of ``lesson``) and return
    one :class:`Row` per exercise of the lesson, in order (a :class:`Rows` list).

    ``cell_timeout`` (s) defaults to the lesson's notebook budget (``Lesson.budget_s``: 60 s, 120 s for lesson
    08's project run). ``env`` is the kernel environment (default: this process's); the verdicts are recorded (if
    ``record``) as progress under its COURSE_HOME, by this process.  Raises FileNotFoundError if
    ``notebook`` does not exist and ValueError if it is not a readable notebook.
    """
    from nbclient.exceptions import DeadKernelError

    cell_timeout = lesson.budget_s if cell_timeout is None else cell_timeout
    path = Path(notebook)
    if not path.is_file():
        raise FileNotFoundError(f"no exercise notebook at {path}; `course reset {lesson.number:02d}` creates it")
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several types for a damaged file
        raise ValueError(f"{path} is not a readable notebook ({exc}); `course reset` restores the original "
                         "(your file is kept in exercises/.backup/)") from exc
    exercises = lesson.exercises().exercises
    base_env = dict(os.environ if env is None else env)
    died = False
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        answers_path = Path(tmp) / "answers.jsonl"
        run_nb = _with_collectors(nb, _spec(lesson), str(answers_path))
        kernel_env = {**base_env, progress.RESULTS_ENV: str(Path(tmp) / "results.jsonl"),
                      progress.HOME_ENV: str(Path(tmp) / "kernel-home")}  # the kernel never writes progress
        current: dict[str, int | None] = {"cell": None}

        def on_cell_start(cell, cell_index, **_):
            current["cell"] = cell_index

        try:
            # Run in the notebook's own folder so relative paths the learner used still work.
            execute(run_nb, cwd=path.parent, timeout=cell_timeout, env=kernel_env, allow_errors=True, quiet=True,
                    on_cell_start=on_cell_start)
        except DeadKernelError:
            died = True
        answers = _read_answers(answers_path)
    ids = [e.id for e in exercises]
    lost_from, where = _where_died(run_nb, current["cell"], ids) if died else (len(ids), "")
    setup_failed = _setup_failure(run_nb, cell_timeout)
    rows = Rows()
    results = []
    for k, e in enumerate(exercises):
        verdict = _judge(e, answers[e.id]) if e.id in answers and k < lost_from and not setup_failed else None
        if setup_failed:
            rows.append(Row(e.id, ERROR, setup_failed))
        elif verdict is not None:
            rows.append(Row(e.id, verdict.status, verdict.message))
            results.append(verdict)
        elif k == lost_from:
            rows.append(Row(e.id, ERROR, (
                f"the notebook's kernel died {where} (the code ended the Python process: os._exit, a crash "
                "in compiled code, or memory exhausted); nothing after it could run.")))
        elif k > lost_from:
            rows.append(Row(e.id, ERROR, f"not checked: the kernel died earlier ({where})."))
        else:
            rows.append(Row(e.id, ERROR, _why_missing(run_nb, e.id, cell_timeout)))
    if record:
        home = base_env.get(progress.HOME_ENV)
        for res in results:
            problem = progress.record(lesson.key, res.exercise, res.status, res.message, unsolved=res.unsolved,
                                      home=Path(home).expanduser() if home else None)
            rows.progress_problem = rows.progress_problem or problem
    return rows
