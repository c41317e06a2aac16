"""Re-execute stored notebooks in place, each on a fresh kernel, and print their run times.

    python tools/execute_notebooks.py [--check] [--json FILE] NOTEBOOK...

Used by `make notebooks` (all of lessons/ and exercises/). Each notebook runs top to bottom on a new
kernel of this environment with PYTHONHASHSEED=0 (the notebooks seed their own generators), so the
stored outputs are what nbval reproduces in `make test`. A notebook is written back only if every
cell ran without error; cell timing metadata is not recorded, so re-running gives small diffs.

--check runs without writing (to measure or to see that they run); --json writes the run times.
Exit status: 0 if all notebooks ran, 1 otherwise. Budget (course issues): under 60 s per notebook, 120 s for
lesson 08 (`course.syllabus.notebook_budget`).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the course package of this tree
from course.syllabus import DEFAULT_BUDGET_S as BUDGET_S, notebook_budget  # noqa: E402


def execute(path: Path, timeout: float) -> tuple[object, float, str]:
    """Run one notebook on a fresh kernel; return (executed notebook or None, seconds, error text)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,  # no per-cell timestamps in the stored file
        resources={"metadata": {"path": str(path.parent)}},  # cwd = the notebook's folder, as in JupyterLab
    )
    start = time.perf_counter()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as exc:
        last_line = str(exc).strip().splitlines()[-1]
        return None, time.perf_counter() - start, re.sub(r"\x1b\[[0-9;]*m", "", last_line)  # drop ANSI colours
    return nb, time.perf_counter() - start, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to execute (.ipynb)")
    parser.add_argument("--check", action="store_true", help="execute but do not write the notebooks back")
    parser.add_argument("--json", type=Path, help="write {notebook: seconds} to this file")
    parser.add_argument("--timeout", type=float, default=300.0, help="per-cell timeout in seconds (default 300)")
    args = parser.parse_args(argv)
    if not args.notebooks:
        parser.error("no notebooks given (e.g. lessons/*.ipynb)")
    for path in args.notebooks:
        if path.suffix != ".ipynb" or not path.is_file():
            parser.error(f"not a notebook file: {path} (expected an existing .ipynb)")

    os.environ["PYTHONHASHSEED"] = "0"  # inherited by every kernel started below
    import nbformat

    times: dict[str, float] = {}
    failures = 0
    width = max(len(str(p)) for p in args.notebooks)
    print(f"{'notebook':<{width}}  {'seconds':>8}  result")
    for path in args.notebooks:
        nb, seconds, error = execute(path, args.timeout)
        times[str(path)] = round(seconds, 2)
        if nb is None:
            failures += 1
            result = f"FAILED: {error}"
        else:
            if not args.check:
                nbformat.write(nb, path)
            result = "ran" if args.check else "written"
            if seconds > notebook_budget(path):
                result += f"  (over the {notebook_budget(path):.0f} s budget)"
        print(f"{str(path):<{width}}  {seconds:8.1f}  {result}", flush=True)
    print(f"{'total':<{width}}  {sum(times.values()):8.1f}  {len(times) - failures} ran, {failures} failed")
    if args.json:
        args.json.write_text(json.dumps({"budget_s": BUDGET_S, "seconds": times,
                                         "budgets": {p: notebook_budget(p) for p in times}}, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
