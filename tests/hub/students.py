"""What one simulated student does on the class hub (shared by the hub test and benchmarks/classroom.py)."""
from __future__ import annotations

import configparser
import re
import time
from pathlib import Path

from course.exercise_set import split_solutions

ROOT = Path(__file__).resolve().parent.parent.parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs nbval uses for the stored lessons (tests/nbval_sanitize.cfg)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SANITIZE, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def sanitize(text: str, pairs) -> str:
    for regex, repl in pairs:
        text = regex.sub(repl, text)
    return text


def stdout_of(outputs: list[dict]) -> str:
    """The stdout text of stored notebook outputs (nbformat dicts) or of kernel messages."""
    text = []
    for o in outputs:
        if o.get("output_type") == "stream" and o.get("name") == "stdout":
            text.append(o["text"] if isinstance(o["text"], str) else "".join(o["text"]))
        elif o.get("msg_type") == "stream" and o["content"]["name"] == "stdout":
            text.append(o["content"]["text"])
    return "".join(text)


def run_lesson(student, rel_path: str) -> dict:
    """Run every code cell of the student's copy of a lesson in their kernel, in order.

    Returns {"seconds": per-cell wall times, "mismatches": cells whose printed text differs from the stored
    lesson (sanitized as nbval does), "kernel": {"pid", "ppid", "uid", "hub_kernel" (it runs
    course.hub_kernel)}, "peak_rss_mb", "cpu_s"}."""
    nb = student.notebook(rel_path)
    pairs = sanitizers()
    kernel = student.kernel(rel_path)
    seconds, mismatches = [], []
    try:
        for i, cell in enumerate(nb["cells"]):
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            if cell["cell_type"] != "code" or "NBVAL_SKIP" in src:
                continue
            t0 = time.perf_counter()
            outputs = kernel.run(src)
            seconds.append(time.perf_counter() - t0)
            if "NBVAL_IGNORE_OUTPUT" not in src:
                want, got = (sanitize(stdout_of(x), pairs) for x in (cell.get("outputs", []), outputs))
                if want != got:
                    mismatches.append(i)
        info = kernel.text(
            "import os, resource\n"
            "_u = resource.getrusage(resource.RUSAGE_SELF)\n"
            "_hub = 'course.hub_kernel' in open('/proc/self/cmdline').read().split(chr(0))\n"
            "print(os.getpid(), os.getppid(), os.getuid(), _u.ru_maxrss, _u.ru_utime + _u.ru_stime, _hub)")
        pid, ppid, uid, maxrss_kb, cpu, hub_kernel = info.split()
    finally:
        kernel.close()
    return {"seconds": seconds, "mismatches": mismatches,
            "kernel": {"pid": int(pid), "ppid": int(ppid), "uid": int(uid), "hub_kernel": hub_kernel == "True"},
            "peak_rss_mb": int(maxrss_kb) / 1024, "cpu_s": float(cpu)}


def exercise_ids(nb: dict) -> list[str]:
    ids = []
    for cell in nb["cells"]:
        ex = cell.get("metadata", {}).get("course", {})
        if ex.get("role") == "answer" and ex["exercise"] not in ids:
            ids.append(ex["exercise"])
    return ids


def run_exercises(student, rel_path: str, solutions_module: str, solve: set[str]) -> list[str]:
    """Run the student's exercise notebook in their kernel: answer cells of the exercises in ``solve``
    replaced by the reference solutions, the others left as shipped (stubs); return the check outputs."""
    import importlib
    import inspect

    header, solutions = split_solutions(inspect.getsource(importlib.import_module(solutions_module)))
    nb = student.notebook(rel_path)
    kernel = student.kernel(rel_path)
    printed = []
    try:
        kernel.run(header)
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            meta = cell.get("metadata", {}).get("course", {})
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            if meta.get("role") == "answer" and meta["exercise"] in solve:
                src = solutions[meta["exercise"]]
            out = kernel.run(src)
            if meta.get("role") == "check":
                printed.append(stdout_of(out))
    finally:
        kernel.close()
    return printed
