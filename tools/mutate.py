"""`make mutate`: mutation testing of course/ and snnlib's numerical pure-Python modules with mutmut,
then the named kernel mutants (tools/kernel_mutants.py), printing the share of mutants killed.

    .venv/bin/python tools/mutate.py                     # every scope, then the kernel mutants
    .venv/bin/python tools/mutate.py energy analysis     # some scopes; --no-kernels skips the kernel mutants
    .venv/bin/python tools/mutate.py course              # every course.* scope, one module at a time
    .venv/bin/python tools/mutate.py --rerun-survivors analysis   # after adding tests: re-test the survivors
    .venv/bin/python tools/mutate.py --report course.cli          # figures of a run resumed by hand
    .venv/bin/python tools/mutate.py course.exercises.lesson07 course.exercises.yourturn  # one lesson's exercises
    .venv/bin/python tools/mutate.py --list

Each scope runs in its own scratch copy of the repository under .mutate/<scope>/ (git-tracked files
only; the working tree is never mutated), with a [tool.mutmut] section that names the files to mutate
and the tests that guard them (mutmut runs, for each mutant, only those of the tests that reach the
mutated function).  course/ is split into one scope per module so that each can be measured alone on a
busy machine (`nice -n 19 ... --jobs 1`).  Not part of `make test`: hours for course/.  Needs the
`mutate` extra (`pip install -e '.[mutate]'`; `make mutate` installs it).

Equivalent mutants (a mutation that cannot change behaviour) are listed, with the reason, in
tools/mutants_equivalent.toml; each record also quotes the mutated line, and a record whose mutant no
longer shows that line is reported as stale and the mutant counted as a survivor.  The share killed is
killed / (mutants - equivalent - skipped).  Figures are recorded in docs/testing.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutate"
MUTMUT = Path(sys.executable).parent / "mutmut"
EQUIVALENT = ROOT / "tools" / "mutants_equivalent.toml"

# scope -> (source package, files to mutate (globs), tests that guard them)
SCOPES = {
    "energy": ("snnlib", ["snnlib/energy/*"],
               ["tests/test_energy.py", "tests/test_energy_counts.py", "tests/test_energy_conversion.py",
                "tests/test_energy_exercises.py", "tests/test_model_ops.py", "tests/test_energy_profiles.py",
                "tests/test_energy_api.py"]),
    "analysis": ("snnlib", ["snnlib/analysis/*"],
                 ["tests/test_spiketrains.py", "tests/test_encoders.py", "tests/test_spike_statistics.py"]),
    # the conversion arithmetic on a hand-set 4-3-2-3 net (seconds per mutant); tests/test_conversion.py and
    # test_energy_conversion.py train the digits net (minutes per mutant here) and stay in `make test` only
    "conversion": ("snnlib", ["snnlib/ml/conversion.py", "snnlib/ml/softlif.py"],
                   ["tests/test_conversion_arithmetic.py", "tests/test_softlif.py"]),
    # the input checks every snnlib module shares (conversion's sample checks moved here from conversion.py)
    "validate": ("snnlib", ["snnlib/_validate.py"],
                 ["tests/test_validation.py", "tests/test_validate_messages.py", "tests/test_conversion_arithmetic.py"]),
    # which networks get edge codes, of what width, and what the memory model counts for them (session 12)
    "edge_codes": ("snnlib", ["snnlib/sim/edge_codes.py"], ["tests/test_edge_codes.py"]),
}
# course/: one scope per module, with the test files that exercise it (fast ones; the notebook-running
# CLI and runner tests take minutes per mutant and are listed only where no other test reaches the code).
COURSE = {
    "readout": ["tests/test_course_readout.py"],
    "progress": ["tests/test_course_progress_store.py", "tests/test_course_exercise.py"],
    "syllabus": ["tests/test_course_syllabus.py"],
    "diagnose": ["tests/test_course_diagnose.py", "tests/test_course_exercise.py"],
    "exercise": ["tests/test_course_exercise.py", "tests/test_course_exercise_feedback.py",
                 "tests/test_course_criterion.py", "tests/test_exercises_variants.py"],  # + test_course_fuzz.py would take hours here
    "safe_call": ["tests/test_course_safe_call.py", "tests/test_course_exercise.py"],
    # test_course_cli.py runs answers' collector in a real kernel: minutes per mutant, `make test` only
    "answers": ["tests/test_course_answers.py"],
    "panel_check": ["tests/test_panel_check.py"],
    "widgets": ["tests/test_course_widgets.py", "tests/test_panel_check.py"],
    # test_exercises_notebooks.py runs every lesson's solved notebook in a kernel (minutes per mutant)
    "exercise_set": ["tests/test_exercises_lesson00.py", "tests/test_export_nbgrader.py", "tests/test_yourturn.py"],
    # test_export_nbgrader_units.py: lesson 00 and hand-made exercises (seconds); test_export_nbgrader.py's
    # test_source_notebook_metadata runs every lesson's solutions through its checks (35 s) and is deselected below
    "export_nbgrader": ["tests/test_export_nbgrader_units.py", "tests/test_export_nbgrader.py"],
    # the cells run in this process (a stand-in for the kernel); the kernel-running tests of course check
    # (test_course_cli.py, test_course_check_headless.py) cost 10-60 s per mutant here and stay in `make test`
    "notebook": ["tests/test_exercises_notebooks.py", "tests/test_course_notebook_streams.py",
                 "tests/test_course_notebook_inprocess.py"],
    "runner": ["tests/test_course_runner_inprocess.py"],
    "cli": ["tests/test_course_cli.py", "tests/test_course_cli_robust.py", "tests/test_course_cli_inprocess.py"],
}
for _mod, _tests in COURSE.items():
    SCOPES[f"course.{_mod}"] = ("course", [f"course/{_mod}.py"], _tests)
# the exercise definitions: each lesson's checks, references and listed mistakes (the *_solutions.py modules are
# the learner-visible solutions, read as text and checked by the same tests); about 900 test cases, whose
# references run simulations: hours here
SCOPES["course.exercises"] = ("course", ["course/exercises/lesson??.py", "course/exercises/yourturn.py"],
                              ["tests/test_exercises_all.py", "tests/test_exercises_variants.py",
                               "tests/test_exercises_lesson00.py", "tests/test_yourturn.py"])
# tests of a scope's files that cannot run in the mutation venv or could never kill a mutant: they run the
# installed `course` script, which /tmp/mutate-venv does not have (its baseline would fail) and which imports
# the shared venv's checkout, not the scratch copy; and the notebook-running tests (a fresh kernel per mutant,
# 10-60 s here) whose code paths the in-process tests (tests/test_course_cli_inprocess.py,
# tests/test_course_notebook_inprocess.py) reach without a kernel.  `make test` runs them all.
_SCRIPT_TESTS = ["tests/test_course_cli.py::test_console_script_is_installed",
                 "tests/test_course_cli_robust.py::test_list_into_a_closed_pipe_is_quiet",
                 "tests/test_course_cli_robust.py::test_reset_that_cannot_write_a_complete_backup_stops_before_touching_the_notebook"]
_KERNEL_TESTS = ["tests/test_course_cli.py::test_check_runs_the_notebook_and_prints_a_verdict_table",
                 "tests/test_course_cli.py::test_check_interrupts_a_cell_that_never_ends",
                 "tests/test_course_cli.py::test_reset_saves_the_learners_copy_then_restores_the_original"]
DESELECT = {"course.cli": _SCRIPT_TESTS + _KERNEL_TESTS,
            # every lesson's solved notebook on a kernel (minutes per mutant)
            "course.notebook": ["tests/test_exercises_notebooks.py::test_solved_notebook_passes_every_check"],
            "course.export_nbgrader": ["tests/test_export_nbgrader.py::test_source_notebook_metadata"],
            # two-thread runs: mutmut forks each mutant's test process from one that already ran them, and the
            # loop's worker threads do not survive a fork (the child ended with an unknown status, "suspicious":
            # 29 of 117 mutants, session 12); one-thread runs check the same codes, `make test` the threaded ones
            "edge_codes": [f"tests/test_edge_codes.py::test_a_run_with_codes_is_bit_identical_to_one_without[{n}-{p}-2]"
                           for n in ("cuba_like", "many_weights") for p in ("float32", "float64")]}
# one lesson's exercise definitions at a time (`course.exercises.lesson00`, ...): only the tests of that lesson
# (pytest -k on its key, e.g. 00_welcome, and its own test file), so mutmut's first, mapping run takes seconds
# to minutes instead of the whole ~900 cases; tests/test_exercises_variants.py's ids carry "lessonNN" (its
# accepted variants and near-misses of lessons 00-02)
EXTRA_ARGS: dict[str, list[str]] = {}
for _nb in sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")):
    _key, _nn = _nb.stem, _nb.stem[:2]
    if (ROOT / "course" / "exercises" / f"lesson{_nn}.py").is_file():
        SCOPES[f"course.exercises.lesson{_nn}"] = ("course", [f"course/exercises/lesson{_nn}.py"],
                                                   ["tests/test_exercises_all.py", "tests/test_exercises_variants.py",
                                                    f"tests/test_exercises_lesson{_nn}.py"])
        EXTRA_ARGS[f"course.exercises.lesson{_nn}"] = ["-k", f"{_key} or lesson{_nn}"]
# the "Your turn" cells of every lesson (course/exercises/yourturn.py): only tests/test_yourturn.py reaches them
# (the all-lessons scope course.exercises mutates them together with every lesson's definitions: hours)
SCOPES["course.exercises.yourturn"] = ("course", ["course/exercises/yourturn.py"], ["tests/test_yourturn.py"])
GROUPS = {"course": [f"course.{m}" for m in COURSE] + ["course.exercises"]}
# everything else a test may import or read, copied next to the mutated package inside mutants/
ALSO_COPY = ["conftest.py", "snnlib", "course", "lessons", "exercises", "benchmarks", "tools", "docs", "README.md"]


def _copy_repo(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        src = ROOT / name
        if name and src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def _env(work: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NUMBA_DISABLE_JIT")}
    env["NUMBA_CACHE_DIR"] = str(work / ".numba-cache")      # never the working tree's code or cache
    return env


def _mutmut(work: Path, *args: str, capture: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(MUTMUT), *args], cwd=work, env=_env(work), capture_output=capture, text=True)


def load_equivalent(path: Path = EQUIVALENT) -> dict[str, dict]:
    """mutant name -> {"reason": why it cannot change behaviour, "line": the mutated line it shows}."""
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text())


def statuses(work: Path) -> dict[str, str]:
    """mutant name -> mutmut's status ("killed", "survived", "no tests", "not checked", ...)."""
    out = _mutmut(work, "results", "--all", "true").stdout
    return {name.strip(): status.strip() for name, _, status in (ln.rpartition(":") for ln in out.splitlines()) if name}


def survivors(work: Path) -> list[str]:
    return [name for name, status in statuses(work).items() if status == "survived"]


def classify(work: Path, names: list[str], equivalent: dict[str, dict]) -> tuple[list[str], list[str], list[str]]:
    """Split surviving mutants into (equivalent, survived, stale equivalent records)."""
    eq, live, stale = [], [], []
    for name in names:
        rec = equivalent.get(name)
        if rec is None:
            live.append(name)
        elif rec["line"] in _mutmut(work, "show", name).stdout:
            eq.append(name)
        else:
            stale.append(name)
            live.append(name)
    return eq, live, stale


SELECTION = "pytest_add_cli_args_test_selection = "


def _selection(work: Path) -> list[str]:
    """The test files named in the scratch copy's [tool.mutmut] section."""
    text = (work / "pyproject.toml").read_text(encoding="utf-8")
    return tomllib.loads(text).get("tool", {}).get("mutmut", {}).get("pytest_add_cli_args_test_selection", [])


def run_scope(name: str, jobs: int, rerun: bool = False, only: tuple[str, ...] = (), timeout_multiplier: float = 60.0) -> dict:
    """Run mutmut over one scope; returns its counts (mutmut's CI/CD stats) and the share killed.

    ``only``: mutant name patterns (fnmatch, e.g. ``course.diagnose.x_how_far*``): a fresh run tests those
    alone (the others stay "not checked" and out of the share), e.g. the functions an edit changed."""
    package, mutate, tests = SCOPES[name]
    work = WORK / name
    names, fresh = [], not (rerun and (work / "mutants").is_dir())
    if not fresh and _selection(work) != [t for t in tests if (ROOT / t).is_file()]:
        # a new test file in the scope: mutmut would keep its old verdicts, so start afresh
        print(f"{name}: the scope's test files changed since its last run; every mutant is tested again "
              "(new test files must be tracked by git to reach the scratch copy)", flush=True)
        fresh = True
    if not fresh:
        # new tests reach the scratch copy and mutmut's own copy (every tracked file under tests/: the helper
        # modules the tests import too); only the survivors are tested again
        tracked = subprocess.run(["git", "ls-files", "tests"], cwd=ROOT, capture_output=True, text=True).stdout.split()
        for t in [*tracked, *tests, "conftest.py"]:
            if (ROOT / t).is_file():
                for dest in (work / t, work / "mutants" / t):
                    shutil.copy2(ROOT / t, dest)
        names = survivors(work)
    else:
        _copy_repo(work)
        tests = [t for t in tests if (work / t).is_file()]
        also = [p for p in ALSO_COPY if p != package and (work / p).exists()]
        deselect = [arg for test in DESELECT.get(name, []) for arg in ("--deselect", test)] + EXTRA_ARGS.get(name, [])
        # tools/mutmut_stats_here.py: child processes (notebook kernels) import the scratch copy's packages
        # and run the mutant under test, but not mutmut's stats mode
        with open(work / "pyproject.toml", "a", encoding="utf-8") as fh:  # mutmut reads [tool.mutmut]
            fh.write("\n[tool.mutmut]\n"
                     f"source_paths = {json.dumps([package])}\n"
                     f"only_mutate = {json.dumps(mutate)}\n"
                     f"also_copy = {json.dumps(also)}\n"
                     f"pytest_add_cli_args = {json.dumps(['-o', 'addopts=', '-p', 'no:cacheprovider', '-p', 'tools.mutmut_stats_here', '-q', *deselect])}\n"
                     f"{SELECTION}{json.dumps(tests)}\n"
                     # mutmut's wall-clock limit is (estimated test time + 1 s) x this multiplier (15 by default):
                     # at nice 19 on a loaded machine a test process can get a tenth of a core, and the limit then
                     # stopped killable mutants, counted as "timeout", i.e. killed (session 8: 94 of 94 analysis
                     # timeouts were killed by their tests when re-run with a larger limit)
                     f"timeout_multiplier = {timeout_multiplier}\n")
    if fresh and only:
        names = list(only)
    if fresh or names:
        run = _mutmut(work, "run", "--max-children", str(jobs), *names)
        (WORK / f"{name}-run.log").write_text(run.stdout + run.stderr)
        if run.returncode != 0:
            return {"scope": name, "error": f"mutmut run exited {run.returncode}; see .mutate/{name}-run.log"}
    return report_scope(name)


def report_scope(name: str) -> dict:
    """The counts and share killed of the scope's scratch copy as it stands (no mutant is run): after a
    run, or after `mutmut run` resumed by hand inside .mutate/<scope>."""
    _, mutate, _ = SCOPES[name]
    work = WORK / name
    if not (work / "mutants").is_dir():
        return {"scope": name, "error": f"no run to report: .mutate/{name}/mutants does not exist"}
    _mutmut(work, "export-cicd-stats")
    stats_file = work / "mutants" / "mutmut-cicd-stats.json"
    if not stats_file.exists():
        return {"scope": name, "error": f"mutmut wrote no statistics; see .mutate/{name}-run.log"}
    stats = json.loads(stats_file.read_text())
    alive = survivors(work)
    eq, live, stale = classify(work, alive, load_equivalent())
    # records of this scope's files whose mutant did not survive: killed by a test now, or renamed by an edit
    # (ending in ".": course.exercise's records are not course.exercise_set's)
    prefixes = tuple(p if p.endswith(".") else p + "." for p in
                     (m.removesuffix("*").removesuffix(".py").replace("/", ".") for m in mutate))
    # a record of a mutant that was checked and did not survive, or of a function that has no mutants any more
    status = statuses(work)
    functions = {name.rsplit("__mutmut_", 1)[0] for name in status}
    unmatched = [k for k in load_equivalent() if k.startswith(prefixes) and k not in alive
                 and (status.get(k, "not checked") != "not checked" or k.rsplit("__mutmut_", 1)[0] not in functions)]
    (WORK / f"{name}-survivors.txt").write_text("".join(f"{n}\n" for n in live))
    # mutants mutmut never ran (--mutants, or a run stopped early) are in no count of its statistics
    stats["not_checked"] = stats["total"] - sum(stats.get(k, 0) for k in (
        "killed", "survived", "no_tests", "skipped", "suspicious", "timeout", "check_was_interrupted_by_user",
        "segfault"))
    tested = stats["total"] - stats["skipped"] - stats["not_checked"] - len(eq)
    killed = stats["killed"] + stats["timeout"]
    return {**stats, "scope": name, "equivalent": len(eq), "survived": len(live), "stale_equivalent": stale, "unmatched_equivalent": unmatched,
            "killed_share": killed / tested if tested else None}


def expand(scopes: list[str]) -> list[str]:
    out = []
    for s in scopes:
        out += GROUPS.get(s, [s])
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scopes", nargs="*", help=f"scopes (default all): {', '.join([*SCOPES, *GROUPS])}")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2),
                        help="mutmut's --max-children (test processes at a time)")
    parser.add_argument("--no-kernels", action="store_true", help="skip the named kernel mutants")
    parser.add_argument("--rerun-survivors", action="store_true",
                        help="reuse .mutate/<scope>: copy the current tests in, re-test only the survivors")
    parser.add_argument("--mutants", nargs="+", default=(), metavar="PATTERN",
                        help="test only the mutants matching these names (fnmatch; a fresh run of each scope)")
    parser.add_argument("--timeout-multiplier", type=float, default=60.0,
                        help="mutmut's timeout_multiplier (its default 15 gave false timeouts on a loaded machine)")
    parser.add_argument("--report", action="store_true",
                        help="only report the figures of .mutate/<scope> as they stand (e.g. after resuming a "
                             "stopped run with `mutmut run` inside it); runs no mutant")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    if args.list:
        for name, (_, mutate, tests) in SCOPES.items():
            print(f"{name:24s} mutates {', '.join(mutate)}\n{'':24s} tests   {', '.join(tests)}")
        return 0
    chosen = expand(args.scopes) or list(SCOPES)
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown:
        parser.error(f"unknown scopes {unknown}; --list shows them")
    if not MUTMUT.exists():
        print("mutmut is not installed: pip install -e '.[mutate]' (make mutate does it)", file=sys.stderr)
        return 2
    WORK.mkdir(exist_ok=True)
    rows, status = [], 0
    for name in chosen:
        row = report_scope(name) if args.report else run_scope(
            name, args.jobs, args.rerun_survivors, tuple(args.mutants), args.timeout_multiplier)
        rows.append(row)
        if "error" in row:
            print(f"{name:24s} ERROR: {row['error']}", flush=True)
            status = 1
            continue
        share = "-" if row["killed_share"] is None else f"{100 * row['killed_share']:.1f} %"
        print(f"{name:24s} mutants {row['total']:5d}: killed {row['killed'] + row['timeout']:5d}, survived "
              f"{row['survived']:4d}, equivalent {row['equivalent']:3d}, no tests {row['no_tests']:3d}, "
              f"skipped {row['skipped']:3d}, not checked {row['not_checked']:4d}; share killed {share}; survivors in .mutate/{name}-survivors.txt",
              flush=True)
        if row["stale_equivalent"]:
            print(f"    stale records in {EQUIVALENT.name} (counted as survivors): {row['stale_equivalent']}")
            status = 1
        if row["unmatched_equivalent"]:
            print(f"    records in {EQUIVALENT.name} whose mutant did not survive (killed now, or renamed: "
                  f"remove or re-record them): {row['unmatched_equivalent']}")
            status = 1
    (WORK / "summary.json").write_text(json.dumps(rows, indent=1))
    if not (args.no_kernels or args.report):
        status = subprocess.run([sys.executable, str(ROOT / "tools" / "kernel_mutants.py")]).returncode or status
    return status


if __name__ == "__main__":
    sys.exit(main())
