"""`make mutate`: mutation testing of course/ and snnlib's numerical pure-Python modules with mutmut,
then the named kernel mutants (tools/kernel_mutants.py), printing the share of mutants killed.

    .venv/bin/python tools/mutate.py                 # every scope, then the kernel mutants
    .venv/bin/python tools/mutate.py energy analysis # some scopes; --no-kernels skips the kernel mutants
    .venv/bin/python tools/mutate.py --list

Each scope runs in its own scratch copy of the repository under .mutate/<scope>/ (git-tracked files
only; the working tree is never mutated), with a [mutmut] section that names the files to mutate and
the tests that guard them (mutmut runs, for each mutant, only the tests that reach the mutated
function).  Not part of `make test`: it takes tens of minutes.  Needs the `mutate` extra
(`pip install -e '.[mutate]'`; `make mutate` installs it).  Figures are recorded in docs/testing.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutate"
MUTMUT = Path(sys.executable).parent / "mutmut"

# scope -> (source package, files to mutate (globs), tests that guard them)
SCOPES = {
    "course": ("course", ["course/progress.py", "course/safe_call.py", "course/answers.py", "course/runner.py",
                          "course/cli.py", "course/notebook.py", "course/widgets.py", "course/panel_check.py",
                          "course/exercise.py", "course/exercise_set.py", "course/syllabus.py", "course/readout.py"],
               ["tests/test_course_progress_store.py", "tests/test_course_safe_call.py", "tests/test_course_exercise.py",
                "tests/test_course_cli.py", "tests/test_course_cli_robust.py", "tests/test_course_widgets.py",
                "tests/test_course_readout.py", "tests/test_course_syllabus.py", "tests/test_panel_check.py",
                "tests/test_course_fuzz.py", "tests/test_exercises_all.py"]),
    "energy": ("snnlib", ["snnlib/energy/*"],
               ["tests/test_energy.py", "tests/test_energy_counts.py", "tests/test_energy_conversion.py",
                "tests/test_energy_exercises.py"]),
    "analysis": ("snnlib", ["snnlib/analysis/*"], ["tests/test_spiketrains.py", "tests/test_encoders.py"]),
    "conversion": ("snnlib", ["snnlib/ml/conversion.py", "snnlib/ml/softlif.py"],
                   ["tests/test_conversion.py", "tests/test_softlif.py", "tests/test_energy_conversion.py"]),
}


def _copy_repo(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        src = ROOT / name
        if name and src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def run_scope(name: str, jobs: int) -> dict:
    """Run mutmut over one scope; returns its counts (mutmut's CI/CD stats) and the share killed."""
    package, mutate, tests = SCOPES[name]
    work = WORK / name
    _copy_repo(work)
    with open(work / "pyproject.toml", "a", encoding="utf-8") as fh:  # mutmut reads [tool.mutmut] first
        fh.write("\n[tool.mutmut]\n"
                 f"source_paths = {json.dumps([package])}\n"
                 f"only_mutate = {json.dumps(mutate)}\n"
                 f"pytest_add_cli_args = {json.dumps(['-o', 'addopts=', '-p', 'no:cacheprovider', '-q'])}\n"
                 f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(work / ".numba-cache")}
    subprocess.run([str(MUTMUT), "run", "--max-children", str(jobs)], cwd=work, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    subprocess.run([str(MUTMUT), "export-cicd-stats"], cwd=work, env=env, capture_output=True)
    stats_file = work / "mutants" / "mutmut-cicd-stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    tested = stats.get("total", 0) - stats.get("skipped", 0)
    killed = stats.get("killed", 0) + stats.get("timeout", 0)
    survivors = subprocess.run([str(MUTMUT), "results"], cwd=work, env=env, capture_output=True, text=True).stdout
    (WORK / f"{name}-survivors.txt").write_text(survivors)
    return {**stats, "scope": name, "killed_share": killed / tested if tested else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scopes", nargs="*", help=f"scopes (default all): {', '.join(SCOPES)}")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument("--no-kernels", action="store_true", help="skip the named kernel mutants")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    if args.list:
        for name, (_, mutate, tests) in SCOPES.items():
            print(f"{name:12s} mutates {', '.join(mutate)}\n{'':12s} tests   {', '.join(tests)}")
        return 0
    if not MUTMUT.exists():
        print("mutmut is not installed: pip install -e '.[mutate]' (make mutate does it)", file=sys.stderr)
        return 2
    WORK.mkdir(exist_ok=True)
    rows = []
    for name in args.scopes or list(SCOPES):
        row = run_scope(name, args.jobs)
        rows.append(row)
        share = "-" if row["killed_share"] is None else f"{100 * row['killed_share']:.1f} %"
        print(f"{name:12s} killed {row.get('killed', 0) + row.get('timeout', 0):5d} of "
              f"{row.get('total', 0) - row.get('skipped', 0):5d} ({share}); survived {row.get('survived', 0)}, "
              f"no tests {row.get('no_tests', 0)}; survivors listed in .mutate/{name}-survivors.txt", flush=True)
    (WORK / "summary.json").write_text(json.dumps(rows, indent=1))
    status = 0
    if not args.no_kernels:
        status = subprocess.run([sys.executable, str(ROOT / "tools" / "kernel_mutants.py")]).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
