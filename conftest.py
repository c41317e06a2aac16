"""Repository-wide pytest hooks: notebook checking (nbval) and the browser-test split.

This file sits at the repository root so that it applies however pytest is started
(`pytest`, `pytest lessons/01_spikes.ipynb`, `pytest tests/test_x.py`). Test fixtures live in
tests/conftest.py.

- Notebooks (lessons/, exercises/) are checked by nbval in strict mode: every stored text output
  must match a fresh run on a new kernel from this environment. Patterns in
  tests/nbval_sanitize.cfg (memory addresses, timings, temp dirs) and the repository path are
  replaced before comparing.
- stderr streams are not compared: they carry environment noise (matplotlib's first-run font cache
  message, library deprecation warnings, numba cache notes) that differs between machines. A cell
  that raises still fails, and tests/test_notebooks_hygiene.py requires stored notebooks to have no
  stderr at all, so a warning is caught when the lesson is re-executed and stored.
- Browser and hub tests (markers `browser`, `hub`) are deselected unless `-m` names browser
  (`make test-browser` runs both).
- At the end, a table of per-notebook run times is printed (a measurement, not an assertion).
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest

# no progress bars (snnlib.sim.progress) in tests or in the notebook kernels nbval starts (they inherit this)
os.environ.setdefault("SNNLIB_PROGRESS", "0")

ROOT = Path(__file__).resolve().parent
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
# Budgets from the course issues: each notebook under 60 s on a 2-core machine, lesson 08's reference project
# under 120 s (course.syllabus: Lesson.budget_s); reported, not asserted.

# Kernels started by nbval inherit this environment: fixed hash seed so set/dict ordering of str
# keys is the same on every run (the notebooks seed their own random generators).
os.environ.setdefault("PYTHONHASHSEED", "0")
# Tests and notebook kernels record exercise checks in a throw-away progress folder, never in the
# learner's ~/.course (course.progress reads COURSE_HOME). Made per pytest session and removed when it ends
# (pytest_unconfigure): the mutation runs (tools/mutate.py) start a session per mutant in a forked process
# that leaves through os._exit, skipping atexit, and a folder made at import was left behind by each of them
# (2,756 in /tmp after session 11).
_COURSE_HOMES: list[str] = []


def _remove_course_homes() -> None:
    while _COURSE_HOMES:
        shutil.rmtree(_COURSE_HOMES.pop(), ignore_errors=True)


atexit.register(_remove_course_homes)


def pytest_configure(config: pytest.Config) -> None:
    _COURSE_HOMES.append(tempfile.mkdtemp(prefix="course-home-test-"))
    os.environ["COURSE_HOME"] = _COURSE_HOMES[-1]
    opt = config.option
    if getattr(opt, "nbval", False) or getattr(opt, "nbval_lax", False):
        # Defaults that make a bare `pytest --nbval x.ipynb` behave like `make test`.
        if not opt.nbval_sanitize_with:
            opt.nbval_sanitize_with = str(SANITIZE_FILE)
        if not opt.nbval_kernel_name:
            opt.nbval_current_env = True


def pytest_unconfigure(config: pytest.Config) -> None:
    _remove_course_homes()


def _browser_selected(config: pytest.Config) -> bool:
    return "browser" in (config.option.markexpr or "")


def _system_marker(item: pytest.Item) -> bool:
    """Tests that need more than .venv (Chromium; the hub's environment and npm proxy): make test-browser."""
    return item.get_closest_marker("browser") is not None or item.get_closest_marker("hub") is not None


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = []
    if not _browser_selected(config):
        lines.append("browser and hub tests: deselected (they need Chromium, the hub's environment; "
                     "run them with `make test-browser`)")
    if getattr(config.option, "nbval", False):
        lines.append(f"notebooks: nbval strict, sanitized with {SANITIZE_FILE.relative_to(ROOT)}; stderr not compared")
    return lines


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _browser_selected(config):
        keep, drop = [], []
        for item in items:
            (drop if _system_marker(item) else keep).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
    _tune_nbval_files(items)
    _add_widget_checks(items)


def _tune_nbval_files(items: list[pytest.Item]) -> None:
    """Adjust each collected notebook (nbval's IPyNbFile) before its kernel starts."""
    seen = set()
    for item in items:
        nb_file = item.parent
        if type(nb_file).__name__ != "IPyNbFile" or id(nb_file) in seen:
            continue
        seen.add(id(nb_file))
        # Not compared: stderr (see module docstring).
        nb_file.skip_compare = tuple(nb_file.skip_compare) + ("stderr",)
        # nbval fills sanitize_patterns from the sanitize file in setup() with update(), so entries
        # put here first are kept. A clone in another folder must not differ by its path.
        nb_file.sanitize_patterns[re.escape(str(ROOT))] = "REPO"


# Appended, in the lesson's own nbval kernel, after its last cell: every panel's callback at its defaults
# and at the min and max of each control must answer without an error or NaN (course/panel_check.py).
WIDGET_CHECK_SOURCE = "# NBVAL_IGNORE_OUTPUT\nfrom course.panel_check import check_panels\ncheck_panels()"


def _add_widget_checks(items: list[pytest.Item]) -> None:
    """After the last cell of each lesson notebook, add an item that checks its widget callbacks."""
    import nbformat

    last = {}
    for index, item in enumerate(items):
        nb_file = item.parent
        if type(nb_file).__name__ == "IPyNbFile" and Path(str(nb_file.fspath)).parent.name == "lessons":
            last[id(nb_file)] = (index, item)
    for index, item in sorted(last.values(), key=lambda x: x[0], reverse=True):
        cell = nbformat.v4.new_code_cell(WIDGET_CHECK_SOURCE)
        check = type(item).from_parent(item.parent, name="widget callbacks at defaults and extremes",
                                       cell_num=item.cell_num + 1, cell=cell,
                                       options=defaultdict(bool, check=False))
        items.insert(index + 1, check)


# notebook node id -> seconds spent in its cells (kernel start-up is in the first cell's setup)
_NOTEBOOK_TIMES: dict[str, float] = defaultdict(float)


# fuzzing category -> cases tried, from the "fuzz_cases" user property of the fuzz tests (user
# properties travel with the reports from pytest-xdist workers, so the count is the whole run's)
_FUZZ_COUNTS: Counter = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _NOTEBOOK_TIMES[path] += report.duration
    if report.when == "call":
        for name, value in report.user_properties:
            if name == "fuzz_cases" and isinstance(value, dict):
                _FUZZ_COUNTS.update(value)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if _FUZZ_COUNTS:
        terminalreporter.section("fuzzing: cases tried per category (hypothesis)")
        width = max(len(k) for k in _FUZZ_COUNTS)
        for category, n in sorted(_FUZZ_COUNTS.items()):
            terminalreporter.write_line(f"{category:<{width}}  {n:6d}")
        terminalreporter.write_line(f"{'total':<{width}}  {sum(_FUZZ_COUNTS.values()):6d}")
    times = _NOTEBOOK_TIMES
    if not times:
        return
    tr = terminalreporter
    from course.syllabus import DEFAULT_BUDGET_S, notebook_budget

    tr.section(f"notebook run times (nbval, fresh kernel; budget {DEFAULT_BUDGET_S:.0f} s each unless noted, "
               "not asserted)")
    width = max(len(p) for p in times)
    for path, seconds in sorted(times.items()):
        budget = notebook_budget(path)
        flag = f"  OVER BUDGET ({budget:.0f} s)" if seconds > budget else \
            (f"  (budget {budget:.0f} s)" if budget != DEFAULT_BUDGET_S else "")
        tr.write_line(f"{path:<{width}}  {seconds:7.1f} s{flag}")
    tr.write_line(f"{'total':<{width}}  {sum(times.values()):7.1f} s")
